"""The API's paging (DEFAULT_PAGINATION_CLASS): strict like luoshi.core.params.paginate — a non-integer,
zero or past-the-end ``?page=`` is a 400 ``{"detail", "detail_zh", "field": "page"}``, not DRF's 404."""
from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from .params import parse_page


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        return parse_page(raw, paginator.num_pages, self.page_query_param)

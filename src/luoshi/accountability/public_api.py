"""GET /api/public/bulletins/ (no login, paged): published 典型问题通报 with names masked:
[{id, number, title, intro, published_on, closing, cases: [{heading, text}]}]."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from luoshi.core.pagination import StrictPageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .public_views import bulletin_dict, published_bulletins


class BulletinsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(operation_id="public_bulletins_list", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request):
        items = []
        for b in published_bulletins():
            d = bulletin_dict(b)
            items.append({"id": d["id"], "number": d["number"], "title": d["title"], "intro": d["intro"],
                          "published_on": d["published_on"], "closing": d["closing"],
                          "cases": [{"heading": h, "text": t} for h, t in d["cases"]]})
        pager = StrictPageNumberPagination()
        page = pager.paginate_queryset(items, request, view=self)
        return pager.get_paginated_response(page)

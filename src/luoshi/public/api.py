"""The public API (/api/public/…): no login, the same published fields as the portal pages, paged.

GET /api/public/listed/     挂牌督办 [{title, units, deadline, progress, status, listed_on, note, id, kind}]
GET /api/public/tasks/      民生实事/公开承诺 (?kind=livelihood|commitment)
GET /api/public/tasks/<id>/ one public task (404 if not public)
(GET /api/public/bulletins/ — published 典型问题通报, names masked — is luoshi.accountability.public_api.)
GET /api/public/cases/      12345 案件统计 (?year=YYYY&month=M): {year, month, by_unit: [{label, total,
                            on_time_rate, satisfaction_rate}], by_month: […]}
GET /api/public/assessment/ published 考核结果: [{id, plan, period, group, published_on, rows: [{rank, unit,
                            total, grade, vetoed}]}]
`id` is null for a listed task that is not itself public.
"""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from luoshi.core.pagination import StrictPageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from luoshi.ledger.models import PublicKind

from . import queries

FIELDS = ("id", "title", "units", "deadline", "progress", "status", "kind", "note", "updated_on")


def _task(d: dict) -> dict:
    out = {k: d[k] for k in FIELDS}
    if "listed_on" in d:
        out["listed_on"] = d["listed_on"]
    return out


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def page(self, request, items):
        pager = StrictPageNumberPagination()
        page = pager.paginate_queryset(items, request, view=self)
        return pager.get_paginated_response(page)


class ListedView(_Public):
    @extend_schema(operation_id="public_listed_list", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request):
        return self.page(request, [_task(d) for d in queries.listed_items()])


class TasksView(_Public):
    @extend_schema(operation_id="public_tasks_list", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request):
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in (PublicKind.LIVELIHOOD, PublicKind.COMMITMENT):
            from luoshi.core.errors import LuoshiError

            raise LuoshiError("kind must be livelihood or commitment", "类别应为民生实事或公开承诺", field="kind")
        return self.page(request, [_task(d) for d in queries.public_tasks(kind)])


class TaskView(_Public):
    @extend_schema(operation_id="public_tasks_retrieve", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request, pk: int):
        d = queries.public_task(pk)
        if d is None:
            raise Http404
        return Response(_task(d))


class AssessmentView(_Public):
    @extend_schema(operation_id="public_assessment_list", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request):
        return self.page(request, [queries.published_run(r["id"]) for r in queries.published_runs()])


class CasesView(_Public):
    @extend_schema(operation_id="public_cases_stats", responses=OpenApiTypes.OBJECT, tags=["public"])
    def get(self, request):
        import datetime as dt

        from luoshi.core.errors import LuoshiError

        today = dt.date.today()
        try:
            year = int(request.query_params.get("year") or today.year)
            month = int(request.query_params["month"]) if request.query_params.get("month") else None
        except ValueError:
            raise LuoshiError("year and month must be numbers", "年份和月份应为数字", field="year") from None
        if not (2000 <= year <= today.year + 1) or (month is not None and not 1 <= month <= 12):
            raise LuoshiError("year or month out of range", "年份或月份超出范围", field="year")
        data = queries.case_statistics(year, month)
        if data is None:
            raise Http404
        return Response(data)

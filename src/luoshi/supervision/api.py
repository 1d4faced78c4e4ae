"""API: three-colour notices (督办单), current lights, rectification
(限期整改) and per-unit statistics. Reads are scoped (notices: visible_notices;
rectifications: the unit they are addressed to, like notices); writes go through the
supervision do_… services, which check permission and record the audit trail with the
API user as actor. An object the user may not see is a 404."""
from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from luoshi.core.params import get_date, parse_id
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.core.scope import unit_scope
from luoshi.ledger.permissions import visible_tasks

from . import common, rectification, stats
from . import notices as notice_svc
from .models import COLOR_ORDER, Color, RectificationItem, SupervisionNotice, SupervisionState
from .serializers import (NoticeAnswerSerializer, NoticeCreateSerializer,
                          NoticeReviewSerializer, NoticeSerializer,
                          RectificationSerializer, RectificationSubmitSerializer, RectificationVerifySerializer,
                          TaskLightSerializer, UnitStatsSerializer)

PDF = "application/pdf"


class SeesEverything(permissions.BasePermission):
    """督查员/管理员 only."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.sees_everything)


class SeesStatistics(permissions.BasePermission):
    """督查员/管理员/领导."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.sees_everything or user.is_leader))


def _choice(params, name: str, allowed, label_zh: str):
    """A filter value that must be one of `allowed` (None when absent); anything else is a 400."""
    value = params.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise LuoshiError(f"{name} must be one of: {', '.join(allowed)}", f"{label_zh}取值无效", field=name)
    return value


def _int_param(params, name: str, label_zh: str):
    value = params.get(name, "").strip()
    if not value:
        return None
    return parse_id(value, name, label_zh)


# ---- notices -------------------------------------------------------------

NOTICE_FILTERS = [
    OpenApiParameter("light", OpenApiTypes.STR, description="blue, yellow or red"),
    OpenApiParameter("status", OpenApiTypes.STR,
                     description="notice state: " + ", ".join(SupervisionNotice.State.values)),
    OpenApiParameter("task", OpenApiTypes.INT, description="task id"),
]


def _notice_schema(summary, request=None):
    return extend_schema(summary=summary, request=request, responses={200: NoticeSerializer})


@extend_schema_view(
    list=extend_schema(parameters=NOTICE_FILTERS, summary="督办单 you can see, newest first"),
    retrieve=extend_schema(summary="One notice"),
    create=extend_schema(request=NoticeCreateSerializer, responses={201: NoticeSerializer},
                         summary="签发督办单 by hand (督查员/管理员)"),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = SupervisionNotice.objects.all()
    serializer_class = NoticeSerializer

    def get_queryset(self):
        return (notice_svc.visible_notices(self.request.user)
                .select_related("task", "lead_unit", "issued_by", "acknowledged_by", "answered_by")
                .prefetch_related("copy_units").order_by("-issued_on", "-id"))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        light = _choice(params, "light", [Color.BLUE, Color.YELLOW, Color.RED], "灯色")
        if light:
            queryset = queryset.filter(light=light)
        state = _choice(params, "status", SupervisionNotice.State.values, "办理状态")
        if state:
            queryset = queryset.filter(state=state)
        task = _int_param(params, "task", "任务")
        if task is not None:
            queryset = queryset.filter(task_id=task)
        return queryset

    def _respond(self, notice, code=status.HTTP_200_OK):
        notice = SupervisionNotice.objects.select_related(
            "task", "lead_unit", "issued_by", "acknowledged_by", "answered_by").get(pk=notice.pk)
        return Response(NoticeSerializer(notice, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        ser = NoticeCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        task = visible_tasks(request.user).filter(pk=data.pop("task")).first()
        if task is None:
            # Say nothing about other units' tasks: a user who may not issue notices is refused as such.
            if not request.user.sees_everything:
                raise NotAllowed("you are not allowed to issue supervision notices", "您无权签发督办单")
            raise LuoshiError("no such task", "任务不存在", field="task")
        notice = notice_svc.do_issue_notice(request.user, task, **data)
        return self._respond(notice, status.HTTP_201_CREATED)

    @_notice_schema("签收: the addressed (lead) unit acknowledges the notice")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._respond(notice_svc.do_acknowledge_notice(request.user, self.get_object()))

    @_notice_schema("回复: the addressed (lead) unit answers", NoticeAnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        notice = self.get_object()
        ser = NoticeAnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._respond(notice_svc.do_answer_notice(request.user, notice, ser.validated_data["text"]))

    @_notice_schema("审核回复: 督查员 accepts the answer or sends it back (note required)",
                    NoticeReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        notice = self.get_object()
        ser = NoticeReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._respond(notice_svc.do_review_answer(request.user, notice, **ser.validated_data))

    @extend_schema(summary="The notice as an official-document PDF",
                   responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="PDF document")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from .pdf import notice_pdf

        notice = self.get_object()
        response = HttpResponse(notice_pdf(notice), content_type=PDF)
        response["Content-Disposition"] = content_disposition_header(True, f"{notice.number}.pdf")
        return response


# ---- lights --------------------------------------------------------------

_LIGHT_RANK = Case(*[When(light=c, then=Value(n)) for c, n in COLOR_ORDER.items()], output_field=IntegerField())


@extend_schema_view(list=extend_schema(
    summary="Current light (灯色) of the open tasks you may read, red first (督查员/管理员: all; 领导: own scope)",
    parameters=[OpenApiParameter("light", OpenApiTypes.STR, description=", ".join(Color.values)),
                OpenApiParameter("listed", OpenApiTypes.BOOL, description="1: only 挂牌督办 tasks")]))
class LightViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = SupervisionState.objects.all()
    serializer_class = TaskLightSerializer
    permission_classes = [SeesStatistics]

    def get_queryset(self):
        qs = (SupervisionState.objects.filter(task__status__in=common.EVALUATED)
              .select_related("task").prefetch_related("task__lead_units"))
        if not self.request.user.sees_everything:  # a 领导: the tasks of their own scope
            qs = qs.filter(task__in=visible_tasks(self.request.user).values("id"))
        params = self.request.query_params
        light = _choice(params, "light", Color.values, "灯色")
        if light:
            qs = qs.filter(light=light)
        if params.get("listed") in {"1", "true", "yes"}:
            qs = qs.filter(listed=True)
        return qs.annotate(light_rank=_LIGHT_RANK).order_by("-light_rank", "since", "task_id")


# ---- rectification -------------------------------------------------------

def visible_rectifications(user, qs=None):
    """督查员/管理员: all; 领导: items addressed to a unit in their subtree (all without a unit);
    单位联络员: items addressed to their unit."""
    qs = RectificationItem.objects.all() if qs is None else qs
    scope = unit_scope(user)
    return qs if scope is None else qs.filter(unit__in=scope)


@extend_schema_view(
    list=extend_schema(summary="限期整改 items you can see, newest first", parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, description=", ".join(RectificationItem.State.values)),
        OpenApiParameter("task", OpenApiTypes.INT, description="task id")]),
    retrieve=extend_schema(summary="One rectification item"),
)
class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = RectificationItem.objects.all()
    serializer_class = RectificationSerializer

    def get_queryset(self):
        return (visible_rectifications(self.request.user).select_related("task", "unit", "created_by")
                .order_by("-created_at", "-id"))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        state = _choice(params, "status", RectificationItem.State.values, "状态")
        if state:
            queryset = queryset.filter(state=state)
        task = _int_param(params, "task", "任务")
        if task is not None:
            queryset = queryset.filter(task_id=task)
        return queryset

    def _respond(self, item):
        item = RectificationItem.objects.select_related("task", "unit", "created_by").get(pk=item.pk)
        return Response(RectificationSerializer(item).data)

    @extend_schema(request=RectificationSubmitSerializer, responses={200: RectificationSerializer},
                   summary="报送整改情况: the addressed unit's liaison")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        item = self.get_object()
        ser = RectificationSubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._respond(rectification.do_submit_rectification(request.user, item, ser.validated_data["report"]))

    @extend_schema(request=RectificationVerifySerializer, responses={200: RectificationSerializer},
                   summary="验收: close the item or send it back (督查员/管理员)")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        ser = RectificationVerifySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._respond(rectification.do_verify_rectification(request.user, item, **ser.validated_data))


# ---- statistics ----------------------------------------------------------

def _date_param(params, name: str, default: dt.date, label_zh: str) -> dt.date:
    return get_date(params, name, label_zh, default)


class UnitStatsView(generics.GenericAPIView):
    """Per-unit figures for a period, ranked (按时办结率 desc, 逾期率 asc). A 领导 with a unit gets the
    rows of the units in their subtree (rank stays the rank among all units)."""

    serializer_class = UnitStatsSerializer
    permission_classes = [SeesStatistics]

    @extend_schema(summary="Per-unit statistics for a period, ranked (督查员/管理员/领导)",
                   responses=UnitStatsSerializer(many=True), parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, description="first day (default: first of this month)"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="last day (default: today)")])
    def get(self, request):
        today = common.today()
        start = _date_param(request.query_params, "start", today.replace(day=1), "开始日期")
        end = _date_param(request.query_params, "end", today, "结束日期")
        if end < start:
            raise LuoshiError("end must not be before start", "结束日期不能早于开始日期", field="end")
        rows = stats.unit_stats(start, end, today)
        scope = unit_scope(request.user)  # a 领导 gets their subtree's rows
        if scope is not None:
            rows = [r for r in rows if r["unit_id"] in scope]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(UnitStatsSerializer(page, many=True).data)


__all__ = ["LightViewSet", "NoticeViewSet", "RectificationViewSet", "UnitStatsView",
           "visible_rectifications"]


class ListedItemsView(generics.GenericAPIView):
    """挂牌督办 items of the other supervised kinds (overdue cases, petitions), per kind, within the reader's
    scope (luoshi.core.scope, the kind's domain); named by number and category/title only, never the
    complainant or petitioner. The tasks' 挂牌督办 list is `GET /api/lights/?listed=1`."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="挂牌督办 overdue cases/petitions you may read, per kind, oldest listing first",
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        from .items import listed_rows

        out = []
        for k in listed_rows(user=request.user):
            out.append({"kind": k["kind"], "label": k["label"], "total": k["total"], "items": [
                {"number": r["number"], "title": r["title"], "unit_id": r["unit_id"], "unit": r["unit"],
                 "deadline": r["deadline"].isoformat(), "since": r["since"].isoformat(),
                 "listed_on": r["listed_on"].isoformat(), "rung": r["rung"], "url": r["url"]}
                for r in k["items"]]})
        return Response(out)

"""API /api/assessment/: plans, scores (scoped exactly like the pages), reported figures and appeals.
Errors: {"detail", "detail_zh", "field"} (400, 403 NotAllowed, 404 for what the user may not see)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from luoshi.core.params import get_bool
from luoshi.core.errors import LuoshiError

from . import scoring
from . import services as svc
from .models import Appeal, Indicator, ItemResult, Plan, ScoreRun


def scoped_json(user, run: ScoreRun) -> dict:
    """run_json with the items of units whose card `user` may not see left out (ranking stays)."""
    data = svc.run_json(run)
    for u in data["units"]:
        if not svc.can_see_card(user, run, u["unit_id"]):
            u["items"] = None
    return data


class PlansView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="考核方案 (plans the user may see)", responses={200: dict})
    def get(self, request):
        return Response([{"code": p.code, "name": p.name, "period": p.period, "group": p.group}
                         for p in svc.visible_plans(request.user).order_by("-period", "group", "code")])


class ScoreView(APIView):
    """The published (frozen) result of a plan/period; the office may ask for `live=1` (recomputed now)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="考核得分", parameters=[OpenApiParameter("period", str), OpenApiParameter("live", bool)],
                   responses={200: dict})
    def get(self, request, code: str):
        user = request.user
        plan = svc.visible_plans(user).filter(code=code).first()
        if plan is None:
            raise Http404
        period = request.query_params.get("period") or None
        if get_bool(request.query_params, "live", "实时计算"):
            if not user.sees_everything:
                raise Http404
            return Response(scoring.computed_json(scoring.compute(plan, period)))
        run = svc.published_run(plan, period)
        if run is None and user.sees_everything:
            return Response(scoring.computed_json(scoring.compute(plan, period)))
        if run is None:
            raise Http404
        return Response(scoped_json(user, run))


class RunView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="一次考核结果", responses={200: dict})
    def get(self, request, pk: int):
        run = svc.visible_runs(request.user).filter(pk=pk).first()
        if run is None:
            raise Http404
        return Response(scoped_json(request.user, run))


class FigureIn(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.CharField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    evidence = serializers.FileField(required=False)


class FiguresView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="单位填报数据", request=FigureIn, responses={201: dict})
    def post(self, request):
        s = FigureIn(data=request.data)
        s.is_valid(raise_exception=True)
        ind = Indicator.objects.filter(pk=s.validated_data["indicator"]).first()
        if ind is None:
            raise LuoshiError("no such indicator", "指标不存在", field="indicator")
        fig = svc.do_submit_figure(request.user, ind, s.validated_data["value"], note=s.validated_data.get("note", ""),
                                   evidence=s.validated_data.get("evidence"))
        return Response({"id": fig.pk, "state": fig.state, "value": str(fig.value)}, status=status.HTTP_201_CREATED)


class AppealIn(serializers.Serializer):
    item = serializers.IntegerField()
    reason = serializers.CharField(max_length=3000)


class AppealsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="考核申诉", responses={200: dict})
    def get(self, request):
        return Response([{"id": a.pk, "run": a.run_id, "unit": a.unit.name, "indicator": a.item.label_code,
                          "state": a.state, "reason": a.reason, "decision_note": a.decision_note,
                          "new_points": None if a.new_points is None else float(a.new_points)}
                         for a in svc.visible_appeals(request.user).select_related("unit", "item__indicator")])

    @extend_schema(summary="提出申诉", request=AppealIn, responses={201: dict})
    def post(self, request):
        s = AppealIn(data=request.data)
        s.is_valid(raise_exception=True)
        item = ItemResult.objects.select_related("result__run").filter(pk=s.validated_data["item"]).first()
        if item is None or not svc.can_see_card(request.user, item.result.run, item.result.unit_id):
            raise Http404
        a = svc.do_submit_appeal(request.user, item, s.validated_data["reason"])
        return Response({"id": a.pk, "state": a.state}, status=status.HTTP_201_CREATED)


class DecideIn(serializers.Serializer):
    uphold = serializers.BooleanField()
    note = serializers.CharField(max_length=2000)
    new_points = serializers.CharField(required=False, allow_blank=True, max_length=20)


class AppealDecideView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="处理申诉", request=DecideIn, responses={200: dict})
    def post(self, request, pk: int):
        appeal = svc.visible_appeals(request.user).filter(pk=pk).first()
        if appeal is None:
            raise Http404
        s = DecideIn(data=request.data)
        s.is_valid(raise_exception=True)
        a = svc.do_decide_appeal(request.user, appeal, uphold=s.validated_data["uphold"], note=s.validated_data["note"],
                                 new_points=s.validated_data.get("new_points"))
        return Response({"id": a.pk, "state": a.state})


def sheet_json(sheet) -> dict:
    inds, units, scores = svc.sheet_grid(sheet)
    return {"id": sheet.pk, "plan": sheet.plan.code, "rater": sheet.rater_name, "state": sheet.state,
            "indicators": [{"id": i.pk, "code": i.code, "name": i.name} for i in inds],
            "units": [{"id": u.pk, "name": u.name} for u in units],
            "scores": [{"indicator": e.indicator_id, "unit": e.unit_id, "score": float(e.score), "note": e.note}
                       for e in scores.values()]}


class SheetsView(APIView):
    """专家评分表: a 考核专家 lists their own sheets; the office every sheet; anyone else none."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="专家评分表", operation_id="assessment_sheets_list", responses={200: dict})
    def get(self, request):
        return Response([{"id": s.pk, "plan": s.plan.code, "rater": s.rater_name, "state": s.state}
                         for s in svc.visible_sheets(request.user).select_related("plan").order_by("id")])


class SheetScoresIn(serializers.Serializer):
    scores = serializers.ListField(child=serializers.DictField(), max_length=10000)
    submit = serializers.BooleanField(required=False, default=False)


class SheetView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _sheet(self, request, pk):
        sheet = svc.visible_sheets(request.user).select_related("plan").filter(pk=pk).first()
        if sheet is None:
            raise Http404
        return sheet

    @extend_schema(summary="一张专家评分表(指标、单位、评分)", responses={200: dict})
    def get(self, request, pk: int):
        return Response(sheet_json(self._sheet(request, pk)))

    @extend_schema(summary="填写/提交专家评分表(仅评分人本人)", request=SheetScoresIn, responses={200: dict})
    def post(self, request, pk: int):
        sheet = self._sheet(request, pk)
        s = SheetScoresIn(data=request.data)
        s.is_valid(raise_exception=True)
        sheet = svc.do_save_sheet(request.user, sheet, s.validated_data["scores"], submit=s.validated_data["submit"])
        return Response(sheet_json(sheet))

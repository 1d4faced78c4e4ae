"""REST API `/api/inspections/plans/` and `/api/inspections/findings/` (read; paged; scoped by
scope.visible_plans / visible_findings: a secret 暗访 plan is simply absent for the inspected — a 404
on detail, never counted in a list). Plans: title, mode (open|unannounced), published, units, dates;
inspectors only for the office and the plan's inspectors. Findings: plan, unit, item, description,
severity, staff_name masked (王*), evidence (id, kind, sha256, taken_at, duration of videos in seconds, url), rectification state.
POST /api/inspections/plans/{id}/publish/ (office) publishes.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from luoshi.core.errors import LuoshiError

from . import services as svc
from .bulletin import mask_person
from .models import Evidence, Finding, Plan
from .scope import visible_findings, visible_plans, works_on


class PlanSerializer(serializers.ModelSerializer):
    units = serializers.SerializerMethodField()
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    checklist = serializers.CharField(source="checklist.name", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "title", "mode", "mode_display", "published", "published_on", "units", "checklist",
                  "start_on", "end_on", "places"]

    def get_units(self, obj) -> list[dict]:
        return [{"id": u.pk, "name": u.name} for u in obj.units.all()]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if works_on(self.context["request"].user, obj):
            data["inspectors"] = [{"id": u.pk, "name": u.get_full_name()} for u in obj.inspectors.all()]
        return data


class EvidenceRefSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "sha256", "size", "taken_at", "latitude", "longitude", "duration", "url"]

    def get_url(self, obj) -> str:
        return f"/inspections/evidence/{obj.pk}/"


class FindingSerializer(serializers.ModelSerializer):
    plan = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    item = serializers.CharField(source="item.title", default=None, read_only=True)
    staff_name = serializers.SerializerMethodField()
    evidence = EvidenceRefSerializer(many=True, read_only=True)
    rectification = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["id", "plan", "unit", "item", "description", "severity", "staff_name", "evidence",
                  "rectification", "refer_case", "refer_accountability", "referrals", "created_at"]

    def get_plan(self, obj) -> dict:
        return {"id": obj.plan_id, "title": obj.plan.title, "mode": obj.plan.mode}

    def get_unit(self, obj) -> dict:
        return {"id": obj.unit_id, "name": obj.unit.name}

    def get_staff_name(self, obj) -> str:
        return mask_person(obj.staff_name)

    def get_rectification(self, obj) -> dict | None:
        r = obj.rectification
        return {"id": r.pk, "state": r.state, "due": r.due} if r else None


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanSerializer

    def get_queryset(self):
        return (visible_plans(self.request.user).select_related("checklist").prefetch_related("units", "inspectors")
                .order_by("-start_on", "-id"))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: PlanSerializer}, summary="发布通报 (office)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        data = request.data
        summary = data.get("summary") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(summary if summary is not None else "", str):
            raise LuoshiError("the body must be a JSON object whose summary is a string",
                              "提交的数据格式有误:通报摘要应为文字", field="summary")
        plan = svc.do_publish_plan(request.user, plan, summary=summary or "")
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk), context={"request": request}).data)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FindingSerializer

    def get_queryset(self):
        return (visible_findings(self.request.user).select_related("plan", "unit", "item", "rectification")
                .prefetch_related("evidence").order_by("-id"))

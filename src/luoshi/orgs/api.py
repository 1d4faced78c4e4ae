"""API: the unit tree (单位). Everyone logged in reads it; 督查员 and 管理员 create and edit
through orgs.services.do_save_unit. Units are never deleted (deactivate with is_active)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from luoshi.core import scope as core_scope
from luoshi.core.errors import LuoshiError, deny
from luoshi.core.params import get_bool, parse_id

from .models import Unit
from .services import UNIT_SETS, children_map, do_save_unit, search_units, subtree_ids


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    short_names = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    display_name = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "display_name", "short_names", "aliases", "kind", "kind_display", "parent", "code",
                  "sort_order", "is_active"]
        # Uniqueness and cycles are checked by do_save_unit (with a Chinese message).
        extra_kwargs = {"name": {"validators": []}}

    def create(self, validated_data):
        return do_save_unit(self.context["request"].user, None, **validated_data)

    def update(self, instance, validated_data):
        return do_save_unit(self.context["request"].user, instance, **validated_data)


class UnitWritePermission(permissions.BasePermission):
    """Read: anyone logged in. Write: 督查员 and 管理员."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or request.user.sees_everything


@extend_schema_view(
    list=extend_schema(summary="List units (单位) in tree order", parameters=[
        OpenApiParameter("active", OpenApiTypes.BOOL, description="1: only units in use"),
        OpenApiParameter("parent", OpenApiTypes.INT, description="only the direct children of this unit id"),
    ]),
    create=extend_schema(summary="Create a unit (督查员/管理员)"),
    update=extend_schema(summary="Change a unit (督查员/管理员)"),
    partial_update=extend_schema(summary="Change some fields of a unit (督查员/管理员)"),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    permission_classes = [UnitWritePermission]

    def get_queryset(self):
        qs = Unit.objects.order_by("sort_order", "id")
        if get_bool(self.request.query_params, "active", "仅看启用单位"):
            qs = qs.filter(is_active=True)
        parent = self.request.query_params.get("parent")
        if parent:
            qs = qs.filter(parent_id=parse_id(parent, "parent", "上级单位"))
        return qs

    @extend_schema(summary="Type-ahead unit search (单位选择): the units you may choose, by any name", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="part of a full name, short name or alias (≤50)"),
        OpenApiParameter("domain", OpenApiTypes.STR, description="ledger (default), cases, petitions, "
                         "inspections, assessment or accountability: whose scope rule applies"),
        OpenApiParameter("under", OpenApiTypes.STR, description="comma-separated unit ids: only units at or "
                         "below them (分解子任务: the parent task's lead units)"),
        OpenApiParameter("members_of", OpenApiTypes.INT, description="an assessment plan id: only the plan's "
                         "member units (考核方案参评单位; 督查员/管理员)"),
        OpenApiParameter("inspection_plan", OpenApiTypes.INT, description="an inspection plan id: only the "
                         "plan's units (现场检查; the plan's inspectors and the office)"),
        OpenApiParameter("limit", OpenApiTypes.INT, description="1..50, default 20")],
        responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path="search")
    def search(self, request):
        """{"results": [{"id", "name", "display_name", "matched", "kind", "parent"}]}, best match first.

        Which units: luoshi.core.scope for `domain` — every unit for a reach of ALL, the user's subtree for
        SUBTREE, the user's unit and the units below it for OWN (a unit breaks a task down to its own
        subordinate units); a role that reads nothing in the domain is refused (403)."""
        params = request.query_params
        domain = params.get("domain") or "ledger"
        if domain not in core_scope.DOMAINS:
            raise LuoshiError(f"unknown domain {domain!r}", "未知的业务范围", field="domain")
        reach = core_scope.reach(request.user, domain)
        cmap = None
        if reach == core_scope.NONE:
            deny("choose units here", "在此选择单位")
        if reach == core_scope.ALL:
            within = None
        elif reach == core_scope.OWN:
            cmap = children_map()
            within = subtree_ids(request.user.unit_id, cmap) if request.user.unit_id else set()
        else:
            within = core_scope.unit_scope(request.user, domain)
        if params.get("under"):
            cmap = cmap or children_map()
            below = set()
            for raw in params["under"].split(",")[:20]:
                below |= subtree_ids(parse_id(raw.strip(), "under", "上级单位"), cmap)
            within = below if within is None else within & below
        for param, resolve in UNIT_SETS.items():  # e.g. members_of=<plan> (registered by assessment)
            if params.get(param):
                members = resolve(request.user, params[param])
                within = members if within is None else within & members
        try:
            limit = int(params.get("limit") or 20)
        except ValueError:
            raise LuoshiError("limit must be a whole number", "limit 应为整数", field="limit") from None
        return Response({"results": search_units(params.get("q", ""), within=within, limit=limit)})

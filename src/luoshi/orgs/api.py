"""API: the unit tree (单位). Everyone logged in reads it; 督查员 and 管理员 create and edit
through orgs.services.do_save_unit. Units are never deleted (deactivate with is_active)."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from luoshi.core.params import parse_id

from .models import Unit
from .services import do_save_unit


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
        if self.request.query_params.get("active") in {"1", "true"}:
            qs = qs.filter(is_active=True)
        parent = self.request.query_params.get("parent")
        if parent:
            qs = qs.filter(parent_id=parse_id(parent, "parent", "上级单位"))
        return qs

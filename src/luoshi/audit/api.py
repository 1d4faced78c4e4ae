"""API: the audit trail (审计日志), read-only, for 督查员 and 管理员 only."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from luoshi.core.params import get_id

from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["seq", "at", "actor", "actor_name", "action", "object_type", "object_id", "object_repr",
                  "summary", "before", "after", "prev_hash", "hash"]
        read_only_fields = fields


class SeesEverything(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.sees_everything)


_FILTERS = [
    OpenApiParameter("action", OpenApiTypes.STR, description="exact action, e.g. task.assign"),
    OpenApiParameter("object_type", OpenApiTypes.STR, description="e.g. ledger.task"),
    OpenApiParameter("object_id", OpenApiTypes.STR),
    OpenApiParameter("actor", OpenApiTypes.INT, description="user id"),
]


@extend_schema_view(list=extend_schema(parameters=_FILTERS, summary="Audit trail, newest first (督查员/管理员)"),
                    retrieve=extend_schema(summary="One audit entry by sequence number"))
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    permission_classes = [SeesEverything]
    lookup_field = "seq"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = AuditEntry.objects.order_by("-seq")
        params = self.request.query_params
        for name in ("action", "object_type", "object_id"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        actor = get_id(params, "actor", "操作人")
        if actor:
            qs = qs.filter(actor_id=actor)
        return qs

"""API of the inbox (站内消息): /api/inbox/ — a user's own messages only; others' are 404."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from luoshi.core.params import get_bool

from . import services as svc
from .models import Notification


# ---- serializers ---------------------------------------------------------------

class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "object_type", "object_id", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="messages newly marked read")



# ---- inbox ---------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="Your in-app messages (站内消息), newest first",
                       parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="1: unread only")]),
    retrieve=extend_schema(summary="One of your messages"),
)
class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = svc.inbox(self.request.user)
        if self.action == "list" and get_bool(self.request.query_params, "unread", "仅看未读"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses={200: NotificationSerializer}, summary="Mark one message read")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        svc.do_mark_read(request.user, [note.pk])
        note.refresh_from_db()
        return Response(NotificationSerializer(note).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer}, summary="Mark all your messages read")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": svc.do_mark_read(request.user)})

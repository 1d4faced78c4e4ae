"""Serializers for the supervision API. Reading serializers describe objects; writing
serializers only check types — the rules (and their Chinese messages) live in
supervision do_ services (notices, rectification, escalation), which every write goes through.

Choice fields that share a name with another app's enum (state, kind) are plain strings
here with the codes in help_text, so the OpenAPI schema has no enum-name collisions."""
from __future__ import annotations

from rest_framework import serializers

from luoshi.ledger.models import Task
from luoshi.ledger.serializers import UserRefField
from luoshi.orgs.serializers import UnitRefSerializer

from .models import Color, RectificationItem, SupervisionNotice, SupervisionState


class TaskRefSerializer(serializers.ModelSerializer):
    """A task as referred to from supervision objects."""

    class Meta:
        model = Task
        fields = ["id", "number", "title", "status", "deadline"]
        read_only_fields = fields


# ---- notices -------------------------------------------------------------

class NoticeSerializer(serializers.ModelSerializer):
    """A three-colour supervision notice (三色督办单) as read."""

    task = TaskRefSerializer(read_only=True)
    lead_unit = UnitRefSerializer(read_only=True)
    copy_units = UnitRefSerializer(many=True, read_only=True)
    issued_by = UserRefField(read_only=True)
    acknowledged_by = UserRefField(read_only=True)
    answered_by = UserRefField(read_only=True)
    title = serializers.CharField(source="title_zh", read_only=True,
                                  help_text="蓝色提醒单 / 黄色督办单 / 红色督办单")
    kind = serializers.CharField(read_only=True, help_text="auto, manual or escalation")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    light = serializers.CharField(read_only=True, help_text="blue, yellow or red")
    light_display = serializers.CharField(source="get_light_display", read_only=True)
    state = serializers.CharField(read_only=True,
                                  help_text="issued, acknowledged, answered, accepted or rejected")
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = ["id", "number", "title", "kind", "kind_display", "task", "light", "light_display", "light_since",
                  "lead_unit", "copy_units", "copy_leader", "reason", "required_action", "issued_on", "reply_by",
                  "issued_by", "state", "state_display", "acknowledged_at", "acknowledged_by", "answer",
                  "answered_on", "answered_by", "review_note", "created_at"]
        read_only_fields = fields


class NoticeCreateSerializer(serializers.Serializer):
    """签发督办单 by hand (督查员/管理员)."""

    task = serializers.IntegerField(help_text="task id (an open task)")
    light = serializers.CharField(help_text="blue (提醒), yellow or red")
    reason = serializers.CharField(allow_blank=True, help_text="督办事由 (required)")
    required_action = serializers.CharField(required=False, allow_blank=True, default="",
                                            help_text="整改要求; blank: the standard text for the colour")
    reply_days = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="working days to answer (1-60); default from settings")


class NoticeAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text="回复内容 (required)")


class NoticeReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: 认可回复; false: 退回 (note required)")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# ---- lights --------------------------------------------------------------

class TaskLightSerializer(serializers.ModelSerializer):
    """The current light (灯色) of one open task."""

    task = TaskRefSerializer(read_only=True)
    lead_units = UnitRefSerializer(source="task.lead_units", many=True, read_only=True)
    progress = serializers.IntegerField(source="task.progress", read_only=True)
    light = serializers.CharField(read_only=True, help_text=", ".join(Color.values))
    light_display = serializers.CharField(source="get_light_display", read_only=True)
    reason = serializers.SerializerMethodField(help_text="the reason as of today (red: 已逾期N个工作日 today)")

    class Meta:
        model = SupervisionState
        fields = ["task", "lead_units", "light", "light_display", "since", "reason", "expected_progress",
                  "progress", "missing_reports", "listed", "listed_on"]
        read_only_fields = fields

    def get_reason(self, obj) -> str:
        from luoshi.workcal.services import current_calendar

        from .common import reason_now
        from .lights import DateOutOfRange, WorkdayIndex

        wd = self.context.setdefault("workdays", WorkdayIndex(current_calendar()))
        try:
            return reason_now(obj, obj.task, None, wd)
        except DateOutOfRange:
            return obj.reason


# ---- rectification -------------------------------------------------------

class RectificationSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True)
    created_by = UserRefField(read_only=True)
    state = serializers.CharField(read_only=True, help_text="open, submitted or closed")
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = RectificationItem
        fields = ["id", "task", "finding", "notice", "source_type", "source_id", "source_label", "unit",
                  "requirement", "due", "state", "state_display", "report", "submitted_on", "closed_on",
                  "verify_note", "created_by", "created_at"]
        read_only_fields = fields


class RectificationSubmitSerializer(serializers.Serializer):
    report = serializers.CharField(allow_blank=True, help_text="整改情况 (required)")


class RectificationVerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: 验收销号; false: 退回整改 (note required)")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# ---- statistics ----------------------------------------------------------

class UnitStatsSerializer(serializers.Serializer):
    """One unit's figures for a period (see supervision.stats.unit_stats)."""

    rank = serializers.IntegerField()
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    tasks = serializers.IntegerField(help_text="tasks led with a deadline in the period")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时办结率, 0-1; null when no task was due")
    overdue_rate = serializers.FloatField(allow_null=True, help_text="逾期率, 0-1; null when no task was due")
    on_time_rate_pct = serializers.CharField()
    overdue_rate_pct = serializers.CharField()
    avg_days_late = serializers.FloatField()
    notices = serializers.IntegerField(help_text="notices addressed to the unit issued in the period")
    extensions = serializers.IntegerField(help_text="approved extensions decided in the period")

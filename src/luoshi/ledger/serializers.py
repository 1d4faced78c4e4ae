"""Serializers for the ledger API. Reading serializers describe objects; writing
serializers only check types — the rules (and their Chinese messages) live in
ledger.services, which every write goes through."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from luoshi.orgs.serializers import UnitRefSerializer

from .models import (ExtensionRequest, Instruction, Priority, ProgressReport, Source, SourceKind, Target, Task,
                     TaskEvent)


class UserRefField(serializers.Field):
    """A user as {"id", "name"} (or null)."""

    def to_representation(self, value):
        return {"id": value.pk, "name": value.get_full_name()}


UserRefField = extend_schema_field(
    {"type": "object", "nullable": True, "readOnly": True,
     "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}, "required": ["id", "name"]}
)(UserRefField)


# ---- sources -------------------------------------------------------------

class SourceSerializer(serializers.ModelSerializer):
    created_by = UserRefField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.SPEECH)

    class Meta:
        model = Source
        fields = ["id", "kind", "kind_display", "title", "date", "issuer", "speaker", "doc_number", "text",
                  "created_by", "created_at", "is_archived"]
        read_only_fields = ["id", "created_by", "created_at", "is_archived"]


# ---- tasks ---------------------------------------------------------------

class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "metric", "op", "value", "unit", "text", "achieved", "achieved_on"]
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    """A quantitative target as sent; the service checks it (and explains in Chinese)."""

    metric = serializers.CharField(allow_blank=True, help_text="指标, e.g. 网办率")
    op = serializers.ChoiceField(choices=Target.Op.choices, required=False, default=Target.Op.GE)
    value = serializers.CharField(help_text="a number, e.g. \"95\"")
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")


class TaskSerializer(serializers.ModelSerializer):
    """A task (督办事项) as read."""

    lead_units = UnitRefSerializer(many=True, read_only=True)
    co_units = UnitRefSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    priority_display = serializers.CharField(source="get_priority_display", read_only=True)
    deadline_state = serializers.SerializerMethodField(
        help_text="overdue (逾期), due_soon (临期, within 3 working days) or ok")

    class Meta:
        model = Task
        fields = ["id", "number", "title", "requirement", "source", "section", "parent", "lead_units", "co_units",
                  "responsible_leader", "deadline", "deadline_working_days", "deadline_provisional",
                  "original_deadline", "deadline_state", "recurrence", "priority", "priority_display", "tags",
                  "targets", "status", "status_display", "progress", "assigned_on", "closed_on", "created_at",
                  "updated_at"]
        read_only_fields = fields

    def get_deadline_state(self, task) -> str:
        from luoshi.workcal.services import current_calendar

        from .services import deadline_state

        # One calendar per response, not one per row.
        if "calendar" not in self.context:
            self.context["calendar"] = current_calendar()
        return deadline_state(task, calendar=self.context["calendar"])


class TaskCreateSerializer(serializers.Serializer):
    """立项 (and optionally 交办 at once with assign=true)."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    lead_units = serializers.ListField(child=serializers.IntegerField(), help_text="unit ids (牵头单位)")
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="unit ids (配合单位)")
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all(), required=False, allow_null=True,
                                                default=None)
    section = serializers.CharField(required=False, allow_blank=True, default="")
    responsible_leader = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    deadline_working_days = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                     help_text="N working days from assignment, instead of deadline")
    recurrence = serializers.CharField(required=False, allow_blank=True, default="",
                                       help_text="e.g. monthly:28, quarterly, weekly:5")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    targets = TargetInputSerializer(many=True, required=False, default=list)
    assign = serializers.BooleanField(required=False, default=False, help_text="交办 at once")


class TaskUpdateSerializer(serializers.Serializer):
    """Fields a supervisor may change (deadline only before 交办)."""

    title = serializers.CharField(required=False, allow_blank=True)
    requirement = serializers.CharField(required=False, allow_blank=True)
    section = serializers.CharField(required=False, allow_blank=True)
    responsible_leader = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    deadline_working_days = serializers.IntegerField(required=False, allow_null=True)
    recurrence = serializers.CharField(required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    lead_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    targets = TargetInputSerializer(many=True, required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CompletionRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="办结说明; required when the task's progress is below 100%")
    achieved = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                     help_text="目标完成值 of every quantitative target: {target id: \"92.5\"}")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="required (退回/中止理由)")


class EventSerializer(serializers.ModelSerializer):
    actor = UserRefField(read_only=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TaskEvent
        fields = ["id", "kind", "from_status", "to_status", "actor", "unit", "note", "at"]
        read_only_fields = fields


# ---- reports, instructions, extensions -----------------------------------

class ReportSerializer(serializers.ModelSerializer):
    author = UserRefField(read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "unit", "author", "text", "percent", "problems", "next_steps", "by_co_unit",
                  "regress_reason", "created_at"]
        read_only_fields = ["id", "task", "unit", "author", "by_co_unit", "created_at"]
        extra_kwargs = {"text": {"allow_blank": True}, "problems": {"required": False},
                        "next_steps": {"required": False}, "percent": {"min_value": None, "max_value": None}}


class ReportCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text="进展情况 (required)")
    percent = serializers.IntegerField(help_text="完成进度 0-100")
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    regress_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="进度回退原因; required when percent is below the last figure")


class InstructionSerializer(serializers.ModelSerializer):
    author = UserRefField(read_only=True)

    class Meta:
        model = Instruction
        fields = ["id", "task", "author", "text", "created_at"]
        read_only_fields = ["id", "task", "author", "created_at"]
        extra_kwargs = {"text": {"allow_blank": True}}


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = UserRefField(read_only=True)
    decided_by = UserRefField(read_only=True, allow_null=True)
    unit = UnitRefSerializer(read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = ["id", "task", "unit", "requested_by", "reason", "old_deadline", "new_deadline", "decision",
                  "decision_display", "decided_by", "decision_note", "created_at", "decided_at"]
        read_only_fields = fields


class ExtensionCreateSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, help_text="延期理由 (required)")


class ExtensionDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: 同意延期; false: 不同意")
    note = serializers.CharField(required=False, allow_blank=True, default="")

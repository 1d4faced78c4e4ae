from django import forms
from django.contrib import admin

from luoshi.core.errors import LuoshiError, check_plain_text
from luoshi.core.admin_helpers import AuditedSaveMixin, NoDeleteMixin, ReadOnlyMixin, ServiceAdminMixin, ServiceForm

from .models import ExtensionRequest, Instruction, ProgressReport, Source, Target, Task, TaskEvent
from .services import EDITABLE, do_update_task

TASK_FORM_FIELDS = [*EDITABLE, "lead_units", "co_units"]


class TaskForm(ServiceForm):
    class Meta:
        model = Task
        fields = TASK_FORM_FIELDS

    def _changes(self) -> dict:
        out = {}
        for key in self.changed_data:
            if key in TASK_FORM_FIELDS:
                value = self.cleaned_data[key]
                out[key] = list(value) if key in ("lead_units", "co_units") else value
        return out

    def run_service(self, commit):
        changes = self._changes()
        if not changes:
            return None
        return do_update_task(self.actor, Task.objects.get(pk=self.instance.pk), **changes)


class TargetInline(ReadOnlyMixin, admin.TabularInline):
    model = Target
    extra = 0
    fields = ("metric", "op", "value", "unit", "text")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(NoDeleteMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Tasks are created and moved through their states on the web pages (services);
    here only the editable fields can be changed, through do_update_task. No deletes:
    a task that no longer applies is 中止 (suspended)."""

    form = TaskForm
    list_display = ("number", "title", "status", "deadline", "progress", "priority", "assigned_on", "closed_on")
    list_filter = ("status", "priority", "deadline_provisional", "source")
    search_fields = ("number", "title", "requirement", "responsible_leader")
    date_hierarchy = "deadline"
    ordering = ("-id",)
    autocomplete_fields = ("lead_units", "co_units")
    readonly_fields = ("number", "status", "progress", "source", "parent", "assigned_on", "closed_on",
                       "deadline_provisional", "original_deadline", "created_by", "created_at", "updated_at")
    fields = ("number", "status", "progress", *TASK_FORM_FIELDS, "source", "parent", "assigned_on", "closed_on",
              "deadline_provisional", "original_deadline", "created_by", "created_at", "updated_at")
    inlines = [TargetInline]

    def has_add_permission(self, request):
        return False  # 立项 on the web page (/tasks/new/), which runs do_create_task


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["kind", "title", "date", "issuer", "speaker", "doc_number", "text", "attachment", "is_archived"]

    def clean(self):
        data = super().clean()
        labels = {"title": ("来源标题", 300), "issuer": ("发文单位", 200), "speaker": ("讲话人", 200),
                  "doc_number": ("文号", 100), "text": ("正文", None)}
        for key, (label, limit) in labels.items():
            if key in data:
                try:
                    data[key] = check_plain_text(data[key], label, key, max_length=limit, required=key == "title")
                except LuoshiError as exc:
                    self.add_error(key, exc.message_zh)
        return data


@admin.register(Source)
class SourceAdmin(NoDeleteMixin, AuditedSaveMixin, admin.ModelAdmin):
    """Sources are archived (已归档), never deleted: tasks point at them."""

    form = SourceForm
    audit_fields = ["kind", "title", "date", "issuer", "speaker", "doc_number", "is_archived"]
    list_display = ("title", "kind", "date", "issuer", "speaker", "doc_number", "is_archived")
    list_filter = ("kind", "is_archived")
    search_fields = ("title", "issuer", "speaker", "doc_number")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Reports are history: never edited (a new report supersedes an old one)."""

    list_display = ("task", "unit", "author", "percent", "created_at")
    list_filter = ("unit",)
    search_fields = ("task__number", "task__title", "text")
    list_select_related = ("task", "unit", "author")


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "kind", "from_status", "to_status", "actor", "unit", "at")
    list_filter = ("kind",)
    search_fields = ("task__number", "task__title", "note")
    list_select_related = ("task", "actor", "unit")


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "author", "created_at")
    search_fields = ("task__number", "task__title", "text")
    list_select_related = ("task", "author")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Decided on the task page (do_decide_extension)."""

    list_display = ("task", "unit", "old_deadline", "new_deadline", "decision", "decided_by", "created_at")
    list_filter = ("decision",)
    search_fields = ("task__number", "task__title", "reason")
    list_select_related = ("task", "unit", "requested_by", "decided_by")


@admin.register(Target)
class TargetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("task", "metric", "op", "value", "unit")
    search_fields = ("task__number", "metric")
    list_select_related = ("task",)

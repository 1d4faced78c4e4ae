from django.contrib import admin

from .models import ImportDraft


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    list_display = ("id", "original_name", "uploaded_by", "status", "created_at")
    list_filter = ("status",)
    readonly_fields = ("uploaded_by", "source_file", "original_name", "extraction", "doc_index", "status", "source",
                       "created_at", "updated_at")

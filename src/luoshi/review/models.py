from django.conf import settings
from django.db import models


class DraftStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    ACCEPTED = "accepted", "已导入"
    DISCARDED = "discarded", "已放弃"


class ImportDraft(models.Model):
    """An uploaded or pasted speech with its extraction, waiting for review (讲话稿导入审核).

    `extraction` holds the luoshi.extract/1 dict; the reviewer's edits are kept in
    it (each task gets review keys: include, title, lead/co unit picks) so a
    reviewer can leave and come back.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    source_file = models.FileField("原始文件", upload_to="review/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=255, blank=True)
    extraction = models.JSONField("抽取结果", default=dict)
    doc_index = models.PositiveIntegerField("当前文档", default=0)
    status = models.CharField("状态", max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT,
                              db_index=True)
    source = models.ForeignKey("ledger.Source", verbose_name="导入后的来源", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "讲话稿导入草稿"

    def __str__(self) -> str:
        return self.original_name or f"粘贴文本 #{self.pk}"

    @property
    def documents(self) -> list[dict]:
        return self.extraction.get("documents") or []

    def document(self, index: int | None = None) -> dict:
        docs = self.documents
        i = self.doc_index if index is None else index
        return docs[i] if 0 <= i < len(docs) else {"text": "", "tasks": []}

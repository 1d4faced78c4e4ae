from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One append-only entry of the audit trail (全程留痕).

    Each entry stores the hash of the entry before it, so an edit or deletion
    made behind the application's back breaks the chain and is found by
    `luoshi audit verify`.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    # object_type is served by the (object_type, object_id, seq) index; object_id alone (API/page filter,
    # equality only) by a plain index without PostgreSQL's extra LIKE index (bulk writers pay per index).
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # 1: SHA-256 of the fields without object_repr (entries written before the chain was keyed);
    # 2: HMAC-SHA256 with the audit key (LUOSHI_AUDIT_KEY_FILE) of every field shown (see luoshi.audit.anchor).
    version = models.PositiveSmallIntegerField("哈希版本", default=2)

    class Meta:
        ordering = ["seq"]
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id", "seq"]),
                   models.Index(fields=["object_id"], name="audit_entry_object_id")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_name} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """Single row locked while appending, so concurrent writers form one chain.

    `luoshi audit verify` checks that it names the last entry (sequence and hash)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"审计链头 #{self.last_seq}"

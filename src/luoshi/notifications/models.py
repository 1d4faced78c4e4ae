from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app message (站内消息) for one user.

    It points at what it is about through `url` (the page to open) and, for
    filtering, `object_type` ("app_label.model", e.g. "supervision.supervisionnotice")
    plus `object_id` — never a foreign key to a higher layer's model."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField("类型", max_length=32)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内消息"
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

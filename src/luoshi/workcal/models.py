from django.db import models


class HolidayNotice(models.Model):
    """A State Council holiday notice (国务院办公厅关于…节假日安排的通知) loaded for a year
    the chinese-calendar package does not know yet."""

    year = models.PositiveIntegerField("年份", unique=True)
    title = models.CharField("通知名称", max_length=200)
    loaded_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "节假日安排通知"

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CalendarDay(models.Model):
    """A day whose working status differs from the default calendar.

    source=official: a day from a loaded holiday notice (放假 or 调休上班).
    source=local: the city's own declaration (e.g. an extra day off), which
    wins over everything else.
    """

    class Source(models.TextChoices):
        OFFICIAL = "official", "国务院通知"
        LOCAL = "local", "本地调整"

    date = models.DateField("日期")
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=100, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.LOCAL)
    notice = models.ForeignKey(HolidayNotice, null=True, blank=True, on_delete=models.CASCADE, related_name="days")

    class Meta:
        ordering = ["date"]
        unique_together = [("date", "source")]
        verbose_name = verbose_name_plural = "日历调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"

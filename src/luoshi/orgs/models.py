from django.db import models


class UnitKind(models.TextChoices):
    CITY = "city", "市级"
    CITY_DEPT = "city_dept", "市直部门"
    COUNTY = "county", "区县"
    COUNTY_DEPT = "county_dept", "区县部门"
    TOWN = "town", "乡镇/街道"
    VERTICAL = "vertical", "垂直管理单位"
    OTHER = "other", "其他"


class Unit(models.Model):
    """An organisation (单位) in the tree 市 → 区县 → 乡镇/街道."""

    name = models.CharField("全称", max_length=100, unique=True)
    short_names = models.JSONField("简称", default=list, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices, default=UnitKind.CITY_DEPT)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    code = models.CharField("编码", max_length=32, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_names[0] if self.short_names else self.name

    def all_names(self) -> list[str]:
        return [self.name, *self.short_names, *self.aliases]

    def ancestors(self) -> list["Unit"]:
        out, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            out.append(node)
            node = node.parent
        return out

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", "督查员"
    LIAISON = "liaison", "单位联络员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"
    OPERATOR = "operator", "话务员"  # 12345 热线
    DISPATCHER = "dispatcher", "派遣员"
    INSPECTOR = "inspector", "检查员"  # 明查暗访
    DISCIPLINE = "discipline", "纪检/组织"  # 问责


class User(AbstractUser):
    """A person using luoshi. Belongs to a unit (单位) and holds one role."""

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所属单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.LIAISON)
    display_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("电话", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR and self.is_active

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON and self.is_active

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER and self.is_active

    @property
    def is_operator(self) -> bool:
        """话务员: takes 12345 hotline calls."""
        return self.role == Role.OPERATOR and self.is_active

    @property
    def is_dispatcher(self) -> bool:
        """派遣员: dispatches 12345 cases to units."""
        return self.role == Role.DISPATCHER and self.is_active

    @property
    def is_inspector(self) -> bool:
        """检查员: runs announced and unannounced inspections (明查暗访)."""
        return self.role == Role.INSPECTOR and self.is_active

    @property
    def is_discipline(self) -> bool:
        """纪检/组织: the accountability officer (问责); reads the ledger, never writes it."""
        return self.role == Role.DISCIPLINE and self.is_active

    @property
    def is_luoshi_admin(self) -> bool:
        return (self.role == Role.ADMIN or self.is_superuser) and self.is_active

    @property
    def sees_everything(self) -> bool:
        """督查员 and 管理员 see the whole ledger."""
        return self.is_supervisor or self.is_luoshi_admin

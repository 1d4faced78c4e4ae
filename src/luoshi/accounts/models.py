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
    EXPERT = "expert", "考核专家"  # 专家评分: fills only the score sheets assigned to them


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
    def is_expert(self) -> bool:
        """考核专家: a named rater who fills the assessment score sheets assigned to them, and reads nothing else."""
        return self.role == Role.EXPERT and self.is_active

    @property
    def is_luoshi_admin(self) -> bool:
        return (self.role == Role.ADMIN or self.is_superuser) and self.is_active

    @property
    def sees_everything(self) -> bool:
        """督查员 and 管理员 see the whole ledger."""
        return self.is_supervisor or self.is_luoshi_admin


class ApiToken(models.Model):
    """An API token (接口令牌): only its SHA-256 digest is stored, never the token itself.

    A token is valid until `expires` (LUOSHI_TOKEN_TTL_HOURS after issue), until it is
    revoked (`revoked_at`), and only while the user's password is the one it was issued
    under (`password_mark`): changing the password revokes every token at once.
    """

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8, help_text="前 8 位,便于辨认;不足以冒用")
    password_mark = models.CharField("密码标记", max_length=64)
    created = models.DateTimeField("签发时间", auto_now_add=True)
    expires = models.DateTimeField("过期时间", db_index=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.get_username()})"

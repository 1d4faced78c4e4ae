"""Demo users: one per role (every password: ctx.password, by default luoshi-demo-2024)."""
from __future__ import annotations

import functools

# username, role, unit (any name), display name, extra fields
USERS = [
    ("duchayuan", "supervisor", "市政府督查室", "张建国(督查员)", {}),
    ("admin", "admin", "市政府督查室", "系统管理员", {"is_staff": True, "is_superuser": True}),
    ("shizhang", "leader", "市政府", "王明远(市长)", {}),
    ("jiangcheng_quzhang", "leader", "江城区", "陈立新(江城区区长)", {}),
    ("fgw", "liaison", "市发改委", "李晓峰(市发改委)", {}),
    ("zwfw", "liaison", "市政务服务中心", "刘婷(市政务服务中心)", {}),
    ("xiaoneng", "liaison", "市效能办", "周海(市效能办)", {}),
    ("jiwei", "liaison", "市纪委监委", "吴敏(市纪委监委)", {}),
    ("shuju", "liaison", "市数据局", "郑宇(市数据局)", {}),
    ("scjg", "liaison", "市市场监管局", "孙丽(市市场监管局)", {}),
    ("shuiwu", "liaison", "市税务局", "钱坤(市税务局)", {}),
    ("zhujian", "liaison", "市住建局", "冯刚(市住建局)", {}),
    ("chuangjian", "liaison", "市创建办", "何静(市创建办)", {}),
    ("jiaoyu", "liaison", "市教育局", "韩雪(市教育局)", {}),
    ("zuzhi", "liaison", "市委组织部", "杨帆(市委组织部)", {}),
    ("bianban", "liaison", "市委编办", "朱琳(市委编办)", {}),
    ("sifa", "liaison", "市司法局", "秦朗(市司法局)", {}),
    ("gongxin", "liaison", "市工信局", "许诺(市工信局)", {}),
    ("renshe", "liaison", "市人社局", "吕方(市人社局)", {}),
    ("gongan", "liaison", "市公安局", "施勇(市公安局)", {}),
    ("zhengfuban", "liaison", "市政府办公室", "张蕾(市政府办公室)", {}),
    ("jiangcheng", "liaison", "江城区", "赵磊(江城区)", {}),
    ("qingshi", "liaison", "青石县", "黄河(青石县)", {}),
    ("binjiang", "liaison", "滨江街道", "林芳(滨江街道)", {}),
    ("jiefang", "liaison", "解放街道", "马骏(解放街道)", {}),
]


def add_user(ctx, username: str, role: str, unit_name: str | None, display_name: str, **extra):
    """Create a demo user with ctx.password, audit it, list it in the printed logins."""
    from django.contrib.auth.hashers import make_password

    from luoshi.audit.services import record

    from .models import User

    if getattr(ctx, "_hashed_password", None) is None:
        # One hash shared by every demo user (they share the password): PBKDF2 per user costs ~0.4 s.
        ctx._hashed_password = make_password(ctx.password)
    unit = ctx.unit(unit_name) if unit_name else None
    # No do_ service creates users yet: create directly and audit the creation.
    user = User.objects.create(username=username, password=ctx._hashed_password, role=role, unit=unit,
                               display_name=display_name, **extra)
    record("演示数据", "user.create", user, after={"username": username, "role": role,
                                                  "unit": unit.name if unit else ""})
    ctx.users[username] = user
    ctx.logins.append((username, role, unit_name or "", display_name))
    return user


def build(ctx) -> None:
    """Create the demo users; sets ctx.users, ctx.liaison_of (unit id -> liaison), ctx.supervisor, ctx.leader."""
    ctx.add_user = functools.partial(add_user, ctx)
    ctx.liaison_of = {}
    for username, role, unit, display, extra in USERS:
        user = ctx.add_user(username, role, unit, display, **extra)
        if role == "liaison":
            ctx.liaison_of[user.unit_id] = user
    ctx.supervisor = ctx.users["duchayuan"]
    ctx.leader = ctx.users["shizhang"]
    ctx.log(f"users: {len(ctx.users)}")

"""Demo data of the unit tree: the bundled fictional 临江市 (see luoshi.core.demo)."""
from __future__ import annotations

from luoshi.core.errors import LuoshiError


def build(ctx) -> None:
    """Load the sample units and give the context `ctx.unit(name)` (full name, short name or alias)."""
    from .importexport import load_sample_units
    from .services import match_units

    result = load_sample_units(actor="演示数据")
    ctx.log(f"units: {result.created} (fictional 临江市: 市直部门, 垂直管理单位, 10 区县, 乡镇/街道)")

    def unit(name):
        found = match_units([name])[name]
        if found is None:
            raise LuoshiError(f"demo data refers to an unknown unit {name!r}", f"演示数据中的单位“{name}”不存在")
        return found

    ctx.unit = unit

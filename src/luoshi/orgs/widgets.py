"""The type-ahead unit chooser (单位选择) for every form that picks units.

`UnitPicker` / `UnitPickerMultiple` render a plain <select data-unit-picker> that works without
JavaScript; core/static/core/unitpicker.js (loaded by core/base.html, no inline script: CSP) turns it
into a text box that searches full names, short names and aliases through GET /api/units/search/
(the units the user may choose, luoshi.core.scope), with the keyboard (↑ ↓ Enter Esc, Backspace removes
the last chosen unit). In a large organisation (more than MANY active units) only the chosen units are
rendered as <option>s, so a page does not carry thousands of them.
"""
from __future__ import annotations

from django import forms

MANY = 300


class _PickerMixin:
    def __init__(self, *a, domain: str = "ledger", under=(), placeholder: str = "输入单位名称、简称或别名搜索",
                 **kw):
        super().__init__(*a, **kw)
        self.attrs.update({"data-unit-picker": "1", "data-domain": domain, "data-placeholder": placeholder})
        if under:
            self.attrs["data-under"] = ",".join(str(u) for u in under)
        self.only_chosen = False

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        if not self.only_chosen:
            return groups
        chosen = {str(v) for v in value if v not in (None, "")}
        out = []
        for group_name, options, index in groups:
            keep = [o for o in options if str(o["value"]) in chosen]
            if keep:
                out.append((group_name, keep, index))
        return out


class UnitPicker(_PickerMixin, forms.Select):
    """One unit."""


class UnitPickerMultiple(_PickerMixin, forms.SelectMultiple):
    """Several units (牵头单位, 配合单位)."""


def limit_options(field, count: int | None = None) -> None:
    """Render only the chosen units when the field's queryset has more than MANY units."""
    n = field.queryset.count() if count is None else count
    field.widget.only_chosen = n > MANY

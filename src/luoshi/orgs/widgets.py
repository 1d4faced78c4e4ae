"""The type-ahead unit chooser (单位选择) for every form that picks units.

`UnitPicker` / `UnitPickerMultiple` render a plain <select data-unit-picker> that works without
JavaScript; core/static/core/unitpicker.js (loaded by core/base.html, no inline script: CSP) turns it
into a text box that searches full names, short names and aliases through GET /api/units/search/
(the units the user may choose, luoshi.core.scope), with the keyboard (↑ ↓ Enter Esc, Backspace removes
the last chosen unit).

In a large organisation (more than MANY units to choose from) only the chosen units are rendered as
<option>s, so a page does not carry thousands of them, and a text box `<name>__name` follows the select:
without JavaScript a person types a full name, short name or alias there (several separated by 、 in a
multiple chooser) and the server resolves it (orgs.services.resolve_unit_text); a name that fits no unit
or several brings the form back with a Chinese message naming the ranked candidates, which are then also
offered as <option>s. The script disables that text box (its own search box replaces it).

Forms use the widgets with `UnitField` / `UnitMultipleField`; hand-written templates use
`{% unit_picker %}` (orgs/templatetags/unit_picker.py) and read the post with `picked_units()`.
"""
from __future__ import annotations

from django import forms
from django.utils.html import format_html

from luoshi.core.errors import LuoshiError

MANY = 300
TEXT_SUFFIX = "__name"
NAME_MARK = "\x00name:"  # a typed name in a field's value list (never a unit id)


class _PickerMixin:
    def __init__(self, *a, domain: str = "ledger", under=(), members_of=None, inspection_plan=None,
                 placeholder: str = "输入单位名称、简称或别名搜索", **kw):
        super().__init__(*a, **kw)
        self.attrs.update({"data-unit-picker": "1", "data-domain": domain, "data-placeholder": placeholder})
        if under:
            self.attrs["data-under"] = ",".join(str(u) for u in under)
        if members_of:
            self.attrs["data-members-of"] = str(members_of)
        if inspection_plan:
            self.attrs["data-inspection-plan"] = str(inspection_plan)
        self.only_chosen = False   # render only the chosen units (and `suggestions`)
        self.by_name = False       # add the no-JavaScript text box
        self.suggestions: list[tuple[int, str]] = []  # candidates of a typed name that did not resolve
        self.text = ""             # the typed name, shown again with the error

    def optgroups(self, name, value, attrs=None):
        if not self.only_chosen:
            return super().optgroups(name, value, attrs)
        choices = self.choices
        if hasattr(choices, "queryset"):  # a form field's units: read the chosen ones only, not 5,000
            ids = [int(v) for v in value if str(v).isdigit()]
            head = [("", choices.field.empty_label)] if getattr(choices.field, "empty_label", None) is not None \
                else []
            self.choices = head + list(choices.queryset.filter(pk__in=ids).values_list("id", "name"))
        try:
            groups = super().optgroups(name, value, attrs)
        finally:
            self.choices = choices
        chosen = {str(v) for v in value if v not in (None, "")}
        out = []
        for group_name, options, index in groups:
            keep = [o for o in options if str(o["value"]) in chosen or o["value"] in ("", None)]
            if keep:
                out.append((group_name, keep, index))
        if self.suggestions:
            opts = [self.create_option(name, pk, f"{label}(候选)", False, i)
                    for i, (pk, label) in enumerate(self.suggestions) if str(pk) not in chosen]
            if opts:
                out.append(("候选单位", opts, len(out)))
        return out

    def use_required_attribute(self, initial):
        # with the name box the select may rightly be empty (the unit is typed instead)
        return super().use_required_attribute(initial) and not self.by_name

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.by_name:
            return html
        sid = (attrs or {}).get("id") or self.attrs.get("id") or ""
        hint = "输入单位全称、简称或别名" + (",多个用顿号分隔" if self.allow_multiple_selected else "")
        return html + format_html(
            ' <input type="text" name="{}" value="{}" class="up-text" data-unit-picker-text="{}" maxlength="2000"'
            ' placeholder="{}" aria-label="{}" autocomplete="off">',
            name + TEXT_SUFFIX, self.text, sid or name, hint, hint)

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        text = (data.get(name + TEXT_SUFFIX) or "").strip() if self.by_name else ""
        if not text:
            return value
        if self.allow_multiple_selected:
            return [*(value or []), NAME_MARK + text]
        return NAME_MARK + text


class UnitPicker(_PickerMixin, forms.Select):
    """One unit."""


class UnitPickerMultiple(_PickerMixin, forms.SelectMultiple):
    """Several units (牵头单位, 配合单位)."""


def limit_options(field, count: int | None = None) -> None:
    """Render only the chosen units, and the no-JavaScript name box, when the field's queryset has more than
    MANY units."""
    n = field.queryset.count() if count is None else count
    field.widget.only_chosen = field.widget.by_name = n > MANY


class _TypedNames:
    """Form-field mixin: a typed name (the widget's text box) is resolved among the field's queryset."""

    def _resolve(self, text):
        from .services import resolve_unit_texts

        self.widget.text = text
        within = set(self.queryset.values_list("id", flat=True))
        try:
            return resolve_unit_texts(text, within, multiple=self.widget.allow_multiple_selected,
                                      label=str(self.label or "单位"))
        except LuoshiError as exc:
            self.widget.suggestions = getattr(exc, "suggestions", [])
            raise forms.ValidationError(exc.message_zh, code="unit_name") from None


class UnitField(_TypedNames, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def clean(self, value):
        if isinstance(value, str) and value.startswith(NAME_MARK):
            return self._resolve(value[len(NAME_MARK):])[0]
        return super().clean(value)


class UnitMultipleField(_TypedNames, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name

    def clean(self, value):
        value = list(value or [])
        typed = [v for v in value if isinstance(v, str) and v.startswith(NAME_MARK)]
        ids = [v for v in value if v not in typed]
        extra = self._resolve(typed[0][len(NAME_MARK):]) if typed else []
        if extra and not ids:
            return self.queryset.filter(pk__in=[u.pk for u in extra])
        chosen = super().clean(ids) if ids or not extra else self.queryset.none()
        return self.queryset.filter(pk__in={*(u.pk for u in chosen), *(u.pk for u in extra)})


# ---- hand-written forms ---------------------------------------------------------------------------------

def picker_html(name: str, units, selected=(), *, multiple: bool = False, domain: str = "ledger",
                members_of=None, inspection_plan=None, under=(), empty: str | None = None, id: str | None = None, text: str = "",
                required: bool = False, size: int | None = None):
    """A unit chooser over the queryset `units` (every one as an <option> up to MANY, beyond that only the
    `selected` ones plus the text box for typed names)."""
    selected = [str(s) for s in (selected if isinstance(selected, (list, tuple, set)) else [selected])
                if s not in (None, "")]
    many = units.count() > MANY
    shown = units.filter(pk__in=[int(s) for s in selected if s.isdigit()]) if many else units
    widget = (UnitPickerMultiple if multiple else UnitPicker)(domain=domain, members_of=members_of, under=under,
                                                              inspection_plan=inspection_plan)
    widget.by_name = many
    widget.text = text
    widget.choices = ([("", empty)] if empty is not None and not multiple else []) + \
        [(pk, n) for pk, n in shown.values_list("id", "name")]
    attrs = {}
    if id:
        attrs["id"] = id
    if required and not many:
        attrs["required"] = True
    if size:
        attrs["size"] = size
    return widget.render(name, selected if multiple else (selected[0] if selected else ""), attrs)


def picked_units(data, name: str, units, *, multiple: bool = False, label: str = "单位",
                 required: bool = True) -> list:
    """The units chosen in a `picker_html` chooser: the posted ids (each must be in the queryset `units`)
    and any name typed in its text box (resolved among `units`). LuoshiError with a Chinese message (and the
    ranked candidates) when an id is not allowed, a name fits no unit or several, or nothing was chosen and
    `required`."""
    from .services import resolve_unit_texts

    raw = [v for v in (data.getlist(name) if multiple else [data.get(name)]) if v not in (None, "")]
    # ASCII digits only and a sane length: "¹".isdigit() is true but int("¹") fails, and 20 digits overflow the
    # database's integer (both were 500s on the inspection record page).
    if any(not (str(v).isascii() and str(v).isdigit() and len(str(v)) <= 18) for v in raw):
        raise LuoshiError(f"{name}: not a unit id", f"所选{label}无效", field=name)
    ids = {int(v) for v in raw}
    chosen = list(units.filter(pk__in=ids))
    if len(chosen) != len(ids):
        raise LuoshiError(f"{name}: a unit that may not be chosen here", f"所选{label}不存在或不可选", field=name)
    text = (data.get(name + TEXT_SUFFIX) or "").strip()
    if text:
        typed = resolve_unit_texts(text, set(units.values_list("id", flat=True)), multiple=multiple, label=label)
        chosen = typed if not multiple else chosen + [u for u in typed if u not in chosen]
    if required and not chosen:
        raise LuoshiError(f"{name}: choose a unit", f"请选择{label}", field=name)
    return chosen

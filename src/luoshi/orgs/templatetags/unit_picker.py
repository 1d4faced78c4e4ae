"""{% load unit_picker %} {% unit_picker "unit" units selected domain="cases" empty="(按派遣规则)" %}:
the type-ahead unit chooser in a hand-written form (orgs.widgets.picker_html; the view reads the post with
orgs.widgets.picked_units)."""
from __future__ import annotations

from django import template

from luoshi.orgs.widgets import picker_html

register = template.Library()


@register.simple_tag
def unit_picker(name, units, selected=None, **kw):
    return picker_html(name, units, () if selected in (None, "") else selected, **kw)

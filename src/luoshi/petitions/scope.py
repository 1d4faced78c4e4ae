"""Who may read which petitions (through the one scope rule) and who may act on them."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Petition


def _unit_scope(user):
    from luoshi.core.scope import unit_scope

    return unit_scope(user, "petitions")


def visible_petitions(user, qs: QuerySet | None = None) -> QuerySet:
    """Petitions `user` may read.

    Through core.scope's "petitions" domain: 督查员/管理员 (the 信访 office) every unit, 领导 their subtree,
    单位联络员 their unit, other roles nothing — plus, for a 领导, the petitions they own as 包案领导.
    """
    qs = Petition.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    scope = _unit_scope(user)
    if scope is None:
        return qs
    owned = Q(owner_leader=user) if user.is_leader else Q(pk__in=[])
    if not scope:
        return qs.filter(owned)
    return qs.filter(Q(handling_unit_id__in=scope) | owned)


def is_office(user) -> bool:
    """The 信访 office: registers, assigns, reviews and terminates."""
    return bool(getattr(user, "is_authenticated", False) and user.sees_everything)


def is_handler(user, petition: Petition) -> bool:
    """A liaison of the handling unit (accepts, answers, asks for extension)."""
    return bool(user.is_liaison and user.unit_id and petition.handling_unit_id == user.unit_id)


def can_transfer_from_hotline(user) -> bool:
    """热线转来信访: the 12345 话务员 (operator) and the 信访 office register hotline transfers. Registering
    gives no read access: the operator's petitions scope stays empty (luoshi.core.scope)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.sees_everything or user.role == "operator"))

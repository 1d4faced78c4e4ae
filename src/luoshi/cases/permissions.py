"""Who reads what of a case, and who may see the reporter's identity.

Reading (one rule, built on luoshi.core.scope.unit_scope(user, "cases")):
- the 12345/督查 office (督查员, 管理员, 话务员 operator, 派遣员 dispatcher): every case;
- 单位联络员: cases their unit must handle (责任单位) and complaints against their unit
  (被投诉单位, without the complainant);
- 领导: the same for every unit in their subtree.

Identity (姓名/电话/邮箱/住址/照片元数据) is shown only to the office, and never to
an office member whose unit is the subject unit (or inside it) or the responsible unit.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from luoshi.core.scope import unit_scope
from luoshi.orgs.services import subtree_ids

from .models import Case, Kind

OPERATOR, DISPATCHER = "operator", "dispatcher"   # accounts.Role values (话务员, 派遣员)
OFFICE_ROLES = {"supervisor", "admin", OPERATOR, DISPATCHER}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_office(user) -> bool:
    """The 12345 / 效能办 office: reads every case."""
    return _active(user) and (user.role in OFFICE_ROLES or user.is_superuser)


def can_intake(user) -> bool:
    """May register cases on behalf of citizens (hotline, API)."""
    return is_office(user)


def can_dispatch(user) -> bool:
    """派遣员, 督查员 and 管理员 dispatch, void, verify and close."""
    return _active(user) and (user.role in {DISPATCHER, "supervisor", "admin"} or user.is_superuser)


def visible_cases(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Case.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if is_office(user):
        return qs
    scope = unit_scope(user, "cases")
    if scope is None:
        return qs
    if not scope:
        return qs.none()
    return qs.filter(Q(responsible_unit__in=scope) | Q(subject_unit__in=scope))


def can_read(user, case: Case) -> bool:
    return visible_cases(user, Case.objects.filter(pk=case.pk)).exists()


def is_handler(user, case: Case) -> bool:
    """A liaison of the responsible unit (责任单位), who signs, handles and replies."""
    return bool(_active(user) and user.role == "liaison" and user.unit_id
                and user.unit_id == case.responsible_unit_id)


def can_see_reporter(user, case: Case) -> bool:
    """The reporter's identity: office only, and never anyone of the unit concerned. A 效能投诉 is the
    exception for its responsible unit: that unit is the office investigating the complaint (调查, reply to the
    complainant), never the unit complained about, so its office-role staff see whom to contact."""
    if not is_office(user):
        return False
    if user.unit_id and user.unit_id == case.responsible_unit_id and case.kind != Kind.COMPLAINT:
        return False
    if case.subject_unit_id and user.unit_id and user.unit_id in subtree_ids(case.subject_unit_id):
        return False
    return True


REDACTED = "(已隐去)"


def reporter_view(user, case: Case) -> dict:
    """The reporter fields as `user` may see them (redacted otherwise)."""
    if case.anonymous:
        return {"anonymous": True, "name": "匿名", "phone": "", "email": "", "address": ""}
    if can_see_reporter(user, case):
        return {"anonymous": False, "name": case.reporter_name, "phone": case.reporter_phone,
                "email": case.reporter_email, "address": case.reporter_address}
    return {"anonymous": False, "name": REDACTED, "phone": REDACTED if case.reporter_phone else "",
            "email": REDACTED if case.reporter_email else "", "address": REDACTED if case.reporter_address else ""}

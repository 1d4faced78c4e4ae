"""Who reads what in accountability (问责). Every page, API endpoint, export and document of the app
goes through these functions.

Three levels of detail per proposal:

* ``FULL``    — cause, unit, task, facts, people (name, post, responsibility), measures, decision,
                申辩/申诉: 纪检/组织 (accountability officers) for every proposal; a 领导 for the
                proposals of units in their scope (`unit_scope`: their unit's subtree, or all when they
                have no unit).
* ``SUMMARY`` — cause, unit, task, facts, status and decision document, no people or measures:
                督查员 and 管理员 (they raise proposals; personal records are not theirs to read).
* ``UNIT``    — that a proposal concerns the unit's task, its cause type and status only: the
                单位联络员 of the responsible unit, or of a lead/co unit of the task concerned.

A person with a luoshi account also reads their own records (``Person.user``) to make a 申辩/申诉.
Anyone else: nothing (404).
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from luoshi.core.scope import unit_scope

from .models import Person, Proposal

FULL, SUMMARY, UNIT, NONE = "full", "summary", "unit", "none"


DOMAIN = "accountability"  # the row of luoshi.core.scope's table


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


DISCIPLINE = "discipline"  # accounts.Role.DISCIPLINE, 纪检/组织


def is_officer(user) -> bool:
    """纪检/组织: decides proposals, reads every personal record."""
    return _active(user) and getattr(user, "role", "") == DISCIPLINE


def can_propose(user) -> bool:
    """督查员, 管理员 and 纪检/组织 may raise a proposal by hand."""
    return _active(user) and (user.sees_everything or is_officer(user))


def visible_proposals(user, qs: QuerySet | None = None) -> QuerySet:
    """Proposals `user` may know of (at any level)."""
    qs = Proposal.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    scope = unit_scope(user, DOMAIN)
    if scope is None:
        return qs
    if not scope:
        return qs.none()
    if user.is_leader:
        return qs.filter(unit_id__in=scope)
    # a unit liaison: proposals against the unit, or about a task the unit leads or works on
    return qs.filter(Q(unit_id__in=scope) | Q(task__lead_units__in=scope) | Q(task__co_units__in=scope)).distinct()


def people_scope(user) -> set[int] | None:
    """Units whose people `user` may read: None = all, empty set = none (apart from their own record)."""
    if is_officer(user):
        return None
    if _active(user) and user.is_leader:
        return unit_scope(user, DOMAIN)
    return set()


def level(user, proposal: Proposal) -> str:
    """FULL, SUMMARY, UNIT or NONE for `user` on `proposal`."""
    if not visible_proposals(user, Proposal.objects.filter(pk=proposal.pk)).exists():
        return NONE
    scope = people_scope(user)
    if scope is None or proposal.unit_id in scope:
        return FULL
    if user.sees_everything:
        return SUMMARY
    return UNIT


def visible_people(user, qs: QuerySet | None = None) -> QuerySet:
    """Personal records (问责对象) `user` may read: by proposal unit for officers and leaders, plus
    their own records."""
    qs = Person.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    scope = people_scope(user)
    if scope is None:
        return qs
    own = Q(user_id=user.pk)
    return qs.filter(own | Q(proposal__unit_id__in=scope)) if scope else qs.filter(own)


def can_read_statistics(user) -> bool:
    """Aggregate counts (no names): officers, leaders, 督查员, 管理员."""
    return _active(user) and (is_officer(user) or user.is_leader or user.sees_everything)


def statistics_units(user) -> set[int] | None:
    """Units whose people the statistics count for `user` (None = all)."""
    if is_officer(user) or user.sees_everything:
        return None
    return unit_scope(user, DOMAIN)

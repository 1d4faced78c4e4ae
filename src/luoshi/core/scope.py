"""The one scope rule (数据范围): which units' records a user may read, per domain.

Every list, page, export, chart, document and API endpoint of every app asks
`unit_scope(user, domain)` and filters by the answer:

* ``None``      — every unit (no unit filter);
* a ``set``     — exactly these unit ids;
* ``set()``     — nothing at all.

Domains (the data families of the apps): ``ledger`` (督办台账, tasks and the
supervision built on them: lights, 督办单, 整改), ``cases`` (12345 热线工单),
``petitions`` (信访), ``inspections`` (明查暗访), ``assessment`` (考核),
``accountability`` (问责).

Role × domain table (``ALL`` = every unit, ``SUBTREE`` = the user's unit and all
units below it — every unit when a 领导 has no unit, ``OWN`` = the user's unit
only, ``NONE`` = nothing, ``READ`` marks a read-only grant):

=============  ==========  ========  =========  ===========  ==========  ==============
role           ledger      cases     petitions  inspections  assessment  accountability
=============  ==========  ========  =========  ===========  ==========  ==============
supervisor     ALL         ALL       ALL        ALL          ALL         ALL
admin          ALL         ALL       ALL        ALL          ALL         ALL
leader         SUBTREE     SUBTREE   SUBTREE    SUBTREE      SUBTREE     SUBTREE
liaison        OWN         OWN       OWN        OWN          OWN         OWN
operator       NONE        ALL       NONE       NONE         NONE        NONE
dispatcher     NONE        ALL       NONE       NONE         NONE        NONE
inspector      NONE        NONE      NONE       ALL          NONE        NONE
discipline     ALL (READ)  NONE      NONE       NONE         NONE        ALL
expert         NONE        NONE      NONE       NONE         NONE        NONE
=============  ==========  ========  =========  ===========  ==========  ==============

(``expert`` is the 考核专家 rater: assessment gives them their own score sheets by
assignment — a sheet is its rater's, as a 包案 petition is its leader's — and
nothing through this table.)

(``admin`` also covers Django superusers; an inactive or anonymous user reads
nothing; a role/domain pair missing from the table reads nothing.)

This module only answers *which units*; privacy rules inside a domain (a
complainant is never shown to the unit concerned, an unannounced inspection is
hidden until published, …) are the domain app's own, applied on top of it.

Extending: a new app or role adds rows/columns with `grant(role, domain, reach,
read_only=...)` in its AppConfig.ready() — never by bypassing this function.
``read_only`` grants are reported by `is_read_only(user, domain)` so the app can
refuse writes.

core imports no other luoshi app: the unit tree lives in luoshi.orgs, which
registers its subtree function with `register_subtree()` when it is ready
(dependency inversion).
"""
from __future__ import annotations

from collections.abc import Callable

ALL = "all"
SUBTREE = "subtree"
OWN = "own"
NONE = "none"

DOMAINS = ("ledger", "cases", "petitions", "inspections", "assessment", "accountability")

# (role, domain) -> (reach, read_only)
_TABLE: dict[tuple[str, str], tuple[str, bool]] = {}


def grant(role: str, domain: str, reach: str, *, read_only: bool = False) -> None:
    """Set what `role` reads in `domain` (one cell of the table above)."""
    if reach not in (ALL, SUBTREE, OWN, NONE):
        raise ValueError(f"unknown reach {reach!r}")
    _TABLE[(role, domain)] = (reach, read_only)


def add_domain(domain: str) -> None:
    """Declare a new domain (then give it rows with grant())."""
    global DOMAINS
    if domain not in DOMAINS:
        DOMAINS = (*DOMAINS, domain)


for _d in DOMAINS:
    grant("supervisor", _d, ALL)
    grant("admin", _d, ALL)
    grant("leader", _d, SUBTREE)
    grant("liaison", _d, OWN)
grant("operator", "cases", ALL)
grant("dispatcher", "cases", ALL)
grant("inspector", "inspections", ALL)
grant("discipline", "accountability", ALL)
grant("discipline", "ledger", ALL, read_only=True)

_subtree: Callable[[int], set[int]] | None = None


def register_subtree(fn: Callable[[int], set[int]]) -> None:
    """Called by luoshi.orgs at start-up: fn(unit_id) -> ids of that unit and everything below it."""
    global _subtree
    _subtree = fn


def _role(user) -> str:
    if getattr(user, "is_superuser", False):
        return "admin"
    return getattr(user, "role", "") or ""


def reach(user, domain: str = "ledger") -> str:
    """The table's cell for `user` in `domain` (ALL/SUBTREE/OWN/NONE)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NONE
    return _TABLE.get((_role(user), domain), (NONE, False))[0]


def is_read_only(user, domain: str = "ledger") -> bool:
    """True when the user's grant in `domain` is read-only (e.g. 纪检 on the ledger)."""
    return _TABLE.get((_role(user), domain), (NONE, False))[1]


def unit_scope(user, domain: str = "ledger") -> set[int] | None:
    """The units whose records `user` may read in `domain`: None = every unit, set() = none.

    See the module docstring for the role × domain table.
    """
    how = reach(user, domain)
    if how == ALL:
        return None
    unit_id = getattr(user, "unit_id", None)
    if how == SUBTREE:
        if unit_id is None:
            return None
        if _subtree is None:
            raise RuntimeError("luoshi.core.scope: no subtree function registered (is luoshi.orgs installed?)")
        return set(_subtree(unit_id))
    if how == OWN:
        return {unit_id} if unit_id else set()
    return set()

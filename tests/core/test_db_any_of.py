"""`field__any_of=ids` (luoshi.core.db.AnyOf): the same rows as `__in` on SQLite and PostgreSQL, for a
primary key and a foreign key, an empty list and a list of thousands."""
from __future__ import annotations

import pytest

import luoshi.core.db  # noqa: F401  (registers the lookup)
from luoshi.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_any_of_matches_in(units):
    ids = sorted(Unit.objects.values_list("id", flat=True))
    some = ids[::2]
    assert sorted(Unit.objects.filter(pk__any_of=some).values_list("id", flat=True)) == some
    assert list(Unit.objects.filter(pk__any_of=[])) == []
    many = some + list(range(10**9, 10**9 + 5000))  # thousands of ids, most unknown
    assert sorted(Unit.objects.filter(pk__any_of=many).values_list("id", flat=True)) == some
    parent = units["city"].pk
    want = sorted(Unit.objects.filter(parent_id__in=[parent]).values_list("id", flat=True))
    assert want and sorted(Unit.objects.filter(parent_id__any_of=[parent]).values_list("id", flat=True)) == want
    assert Unit.objects.exclude(pk__any_of=some).count() == len(ids) - len(some)

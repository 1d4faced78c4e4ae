"""core.models.YearCounter: the one shape of the four per-year number counters (督办单, 信访, 问责, 通报)."""
from __future__ import annotations

import pytest
from django.db import transaction

from luoshi.accountability.models import BulletinCounter, ProposalCounter
from luoshi.core.models import YearCounter
from luoshi.petitions.models import PetitionCounter
from luoshi.supervision.models import NoticeCounter

COUNTERS = [NoticeCounter, PetitionCounter, ProposalCounter, BulletinCounter]


def test_the_four_counters_share_the_abstract_base_and_keep_their_tables():
    assert YearCounter._meta.abstract
    tables = {m._meta.db_table for m in COUNTERS}
    assert tables == {"supervision_noticecounter", "petitions_petitioncounter", "accountability_proposalcounter",
                      "accountability_bulletincounter"}
    for model in COUNTERS:
        assert issubclass(model, YearCounter)
        assert [f.name for f in model._meta.fields] == ["year", "last"]
        assert model._meta.pk.name == "year"


@pytest.mark.django_db
@pytest.mark.parametrize("model", COUNTERS, ids=lambda m: m.__name__)
def test_next_number_counts_per_year_reserves_runs_and_respects_the_floor(model):
    with transaction.atomic():
        assert model.next_number(2026) == 1
        assert model.next_number(2026) == 2
        assert model.next_number(2027) == 1          # each year from 1
        assert model.next_number(2026, 5) == 3       # a run of 5: 3..7
        assert model.next_number(2026) == 8
        assert model.next_number(2026, floor=20) == 21  # numbers already used elsewhere are skipped
        assert model.next_number(2026) == 22
    assert str(model.objects.get(year=2026)) == "2026年已编至第22号"
    with pytest.raises(ValueError):
        model.next_number(2026, 0)


@pytest.mark.django_db
def test_services_number_through_the_counter(users, units):
    """The 信访 number comes from PetitionCounter (a deleted row of the counter never repeats a number)."""
    from luoshi.petitions.services import _next_number

    with transaction.atomic():
        assert _next_number(2026) == "XF2026000001"
        PetitionCounter.objects.filter(year=2026).update(last=41)
        assert _next_number(2026) == "XF2026000042"

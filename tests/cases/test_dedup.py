"""Duplicate check (疑似重复): the grid pre-filter finds neighbours and only them, cases without a point are
matched through their category, the score cutoff never drops what the plain score keeps."""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from luoshi.cases.dedup import _score, cells_around, find_duplicates
from luoshi.cases.models import Case, grid_cell

TEXT = "人民路与解放路交叉口井盖缺失,夜间存在安全隐患"


def test_grid_cells_cover_the_radius():
    rng = random.Random(7)
    for _ in range(2000):
        lat, long = 18 + rng.random() * 35, 75 + rng.random() * 60
        cells = set(cells_around(lat, long, 300))
        # any point within 300 m (box) lies in one of the cells
        dlat, dlong = 300 / 111_000, 300 / (111_000 * __import__("math").cos(__import__("math").radians(lat)))
        for fx, fy in ((-1, -1), (1, 1), (-1, 1), (1, -1), (0, 0)):
            assert grid_cell(lat + fy * dlat * 0.999, long + fx * dlong * 0.999) in cells


def test_near_found_far_not(new_case, cats):
    near, _ = new_case(description=TEXT, lat=30.0501, long=118.0501, address="甲区人民路100号")
    far, _ = new_case(description=TEXT, lat=30.0601, long=118.0601, address="甲区人民路100号")  # ~1.4 km
    assert near.grid == grid_cell(30.0501, 118.0501)
    hits = find_duplicates(description="人民路解放路口井盖缺失 晚上危险", lat=30.0502, long=118.0502,
                           address="", category=cats["road"])
    assert [h["case"].pk for h in hits] == [near.pk] and hits[0]["near"]
    # the far one is found when the check is made at its own place
    hits = find_duplicates(description=TEXT, lat=30.0601, long=118.0602, category=cats["road"])
    assert [h["case"].pk for h in hits] == [far.pk]


def test_case_without_point_matched_by_category_and_address(new_case, cats):
    c, _ = new_case(description=TEXT, address="甲区人民路100号")
    assert c.grid is None
    hits = find_duplicates(description=TEXT, address="甲区人民路100号", lat=30.05, long=118.05,
                           category=cats["road"])
    assert [h["case"].pk for h in hits] == [c.pk] and not hits[0]["near"]
    assert find_duplicates(description=TEXT, address="甲区人民路100号", category=cats["urgent"]) == []


def test_time_window_and_status(new_case, cats):
    old, _ = new_case(description=TEXT, lat=30.05, long=118.05, at=timezone.now() - dt.timedelta(days=9))
    assert find_duplicates(description=TEXT, lat=30.05, long=118.05, category=cats["road"]) == []
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now(), status="void")
    assert find_duplicates(description=TEXT, lat=30.05, long=118.05, category=cats["road"]) == []


def test_cutoff_keeps_what_the_plain_score_keeps(new_case, cats):
    rng = random.Random(3)
    words = ["井盖", "缺失", "路灯", "不亮", "人民路", "噪音", "扰民", "垃圾", "清运", "积水"]
    made = [new_case(description="".join(rng.choice(words) for _ in range(6)), address=f"甲区人民路{i}号")[0]
            for i in range(25)]
    for _ in range(20):
        q = "".join(rng.choice(words) for _ in range(5))
        addr = f"甲区人民路{rng.randint(0, 30)}号"
        want = sorted((c.pk for c in made if _score(q, addr, c.description, c.address, False) >= 70))
        got = sorted(h["case"].pk for h in find_duplicates(description=q, address=addr, category=cats["road"],
                                                           threshold=70, limit=100))
        assert got == want

"""Accountability benchmark: 100,000 accountability records (问责对象) on PostgreSQL; p95 of the
statistics page (问责统计) and of the proposals API.

    .venv/bin/python bench/accountability_bench.py [--people 100000] [--units 500] [--requests 50] [--keep]

Without DATABASE_URL the script starts a throwaway PostgreSQL cluster (bench/_pg.py);
with DATABASE_URL=postgres://… (a role allowed to CREATE DATABASE) it creates luoshi_bench_acct_<pid>
there (dropped at the end unless --keep).

Data: U units under one city; proposals (about 2.5 people each) over the last three years with every
cause type; people with every responsibility type; measures drawn from the default ladder (milder ones
more often), ~85 % decided, the rest pending/withdrawn/not pursued/revoked. Bulk-inserted.
Timed (p95 over --requests requests each, Django test client, logged in):
  1. /accountability/statistics/                 officer (纪检/组织), the current year (default view)
  2. /accountability/statistics/?start=…&end=…   officer, all three years
  3. /accountability/statistics/                 a county leader (领导) — scoped to the county's subtree
  4. /api/accountability/proposals/              officer, first page (50 proposals with their people)
Target (2 cores): statistics page p95 ≤ 200 ms (1-3). Prints PASS/FAIL; exit 1 on FAIL.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
from _pg import bench_database  # noqa: E402

TARGET_MS = 200.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    with bench_database("luoshi_bench_acct", keep=args.keep):
        return run(args)


def run(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.accountability.models import (CauseType, MeasureType, Person, Proposal, ProposalCounter,
                                              Responsibility)
    from luoshi.accounts.models import User
    from luoshi.orgs.models import Unit, UnitKind

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - t0:.1f}s")
    rnd = random.Random(20260)
    t0 = time.monotonic()
    city = Unit.objects.create(name="基准市人民政府", kind=UnitKind.CITY)
    counties = [Unit.objects.create(name=f"基准第{i}区", kind=UnitKind.COUNTY, parent=city, sort_order=i)
                for i in range(10)]
    units = Unit.objects.bulk_create([
        Unit(name=f"基准单位{i:04d}", kind=UnitKind.COUNTY_DEPT, parent=counties[i % 10], sort_order=100 + i)
        for i in range(args.units)])
    officer = User.objects.create_user("bench_jijian", password="bench-pw-12345", role="discipline", unit=city)
    leader = User.objects.create_user("bench_leader", password="bench-pw-12345", role="leader", unit=counties[3])
    measures = list(MeasureType.objects.order_by("rank"))
    weights = [30, 22, 16, 8, 6, 5, 3, 2, 2, 1, 2][:len(measures)]
    today = dt.date.today()
    start = today - dt.timedelta(days=3 * 365)
    causes, resps = CauseType.values, Responsibility.values
    people_left, seq, n_props = args.people, 0, 0
    year_seq: dict[int, int] = {}
    while people_left > 0:
        props, batch_people = [], []
        for _ in range(min(4000, people_left)):
            if people_left <= 0:
                break
            proposed = start + dt.timedelta(days=rnd.randrange((today - start).days))
            decided = rnd.random() < 0.88
            decided_on = min(today, proposed + dt.timedelta(days=rnd.randint(5, 60))) if decided else None
            year_seq[proposed.year] = year_seq.get(proposed.year, 0) + 1
            unit = rnd.choice(units)
            p = Proposal(number=f"问责〔{proposed.year}〕第{year_seq[proposed.year]:06d}号", cause_type=rnd.choice(causes),
                         cause_label="基准问责事由", unit=unit, facts="基准问题事实。", proposed_on=proposed,
                         state=Proposal.State.DECIDED if decided else Proposal.State.PROPOSED,
                         decided_on=decided_on, decision_number=f"纪〔{proposed.year}〕{seq}号" if decided else "")
            props.append(p)
            k = min(people_left, rnd.choice((1, 2, 2, 3, 3, 4)))
            for _ in range(k):
                m = rnd.choices(measures, weights)[0]
                state = (rnd.choices([Person.State.DECIDED, Person.State.NOT_PURSUED, Person.State.REVOKED],
                                     [90, 7, 3])[0] if decided else
                         rnd.choices([Person.State.PENDING, Person.State.WITHDRAWN], [95, 5])[0])
                if state == Person.State.DECIDED and m.is_referral:
                    state = Person.State.REFERRED
                batch_people.append((p, Person(
                    name=f"基准{seq % 5000:04d}", post="科长", unit=unit if rnd.random() < 0.9 else rnd.choice(units),
                    responsibility=rnd.choice(resps), suggested_measure=m,
                    measure=m if state in (Person.State.DECIDED, Person.State.REFERRED, Person.State.REVOKED) else None,
                    state=state, cause_type=p.cause_type,
                    decided_on=decided_on if state != Person.State.PENDING else None)))
                seq += 1
                people_left -= 1
        Proposal.objects.bulk_create(props, batch_size=2000)
        for p, person in batch_people:
            person.proposal = p
        Person.objects.bulk_create([x for _, x in batch_people], batch_size=2000)
        n_props += len(props)
    for y, n in year_seq.items():
        ProposalCounter.objects.update_or_create(year=y, defaults={"last": n})
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"data: {Person.objects.count()} people in {n_props} proposals over {len(units)} units: "
          f"{time.monotonic() - t0:.1f}s")

    def p95(client, path):
        client.get(path)  # warm
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            resp = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200, (path, resp.status_code)
        return statistics.quantiles(times, n=20)[18], statistics.median(times)

    c_off, c_lead = Client(), Client()
    c_off.force_login(officer)
    c_lead.force_login(leader)
    rows = [
        ("statistics, officer, this year", c_off, "/accountability/statistics/", True),
        ("statistics, officer, 3 years", c_off,
         f"/accountability/statistics/?start={start.isoformat()}&end={today.isoformat()}", True),
        ("statistics, county leader, this year", c_lead, "/accountability/statistics/", True),
        ("API proposals page 1, officer", c_off, "/api/accountability/proposals/", False),
    ]
    failed = False
    for label, client, path, target in rows:
        p, med = p95(client, path)
        verdict = ("PASS" if p <= TARGET_MS else "FAIL") if target else "info"
        failed |= verdict == "FAIL"
        print(f"{verdict}  {label}: p95 {p:.1f} ms (median {med:.1f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

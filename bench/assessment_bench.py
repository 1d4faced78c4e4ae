"""Assessment benchmark: a year's 考核 for U units × 40 indicators over N tasks, on PostgreSQL.

    .venv/bin/python bench/assessment_bench.py [--tasks 1000000] [--cases 1000000] [--units 5000] [--requests 50] [--keep]

Database: bench/_pg.py — with DATABASE_URL=postgres://… (a role allowed to CREATE DATABASE) a
database luoshi_abench_<pid> is created there and dropped at the end (unless --keep); without it a throwaway
cluster is started.

Data (bulk-generated with COPY): U units in one group (市直部门), one 单位联络员 each; N tasks of 2025, one
lead unit each, deadlines spread over the year, 70 % closed (a fifth of them late), the rest open; one
yellow/red 督办单 per 50 tasks, one 限期整改 item per 100 tasks; C 12345 cases of 2025 (85 % replied, some
late, 5 % returned once, most rated); a plan with 40 leaf indicators: on-time rate, overdue count, 督办单,
限期整改 rate, red-notice deduction, 27 reported figures (30 with --cases 0; accepted, ~98 % of units each),
12345 按期处置率/满意率/退单率, expert scores (5 raters per unit), a survey (3 answers per unit),
bonus/deduction/veto entries.

Timed:
  1. compute        scoring.compute: every value, point, total, rank and grade (read-only);
  2. run            services.do_run_scores: compute + store the run (U unit rows + 40·U item rows);
  3. score card     the unit's card page for its own liaison, p95 over --requests random units
                    (after publication), and the rows page of its on-time item.

Targets (2 cores): run ≤ 60 s; score card p95 ≤ 200 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
from _pg import bench_database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=5_000)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--cases", type=int, default=1_000_000, help="12345 cases (0: none)")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    with bench_database("luoshi_abench", keep=args.keep):
        return run(args)


def run(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from luoshi.accounts.models import Role, User

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.monotonic() - t0:.1f}s")
    year = 2025
    rnd = random.Random(42)
    U, N = args.units, args.tasks
    t0 = time.monotonic()
    connection.ensure_connection()
    raw = connection.connection
    now = dt.datetime.now(dt.timezone.utc)
    with raw.cursor() as cur:
        with cur.copy("COPY orgs_unit (name, short_names, aliases, kind, code, sort_order, is_active) FROM STDIN") as cp:
            for i in range(U):
                cp.write_row((f"单位{i:05d}", "[]", "[]", "city_dept", "", i, True))
        cur.execute("SELECT min(id) FROM orgs_unit")
        unit0 = cur.fetchone()[0]
        with cur.copy("COPY accounts_user (password, is_superuser, username, first_name, last_name, email, "
                      "is_staff, is_active, date_joined, unit_id, role, display_name, phone) FROM STDIN") as cp:
            for i in range(U):
                cp.write_row(("!", False, f"liaison{i:05d}", "", "", "", False, True, now, unit0 + i,
                              Role.LIAISON, f"联络员{i}", ""))
        start = dt.date(year, 1, 1)
        with cur.copy("COPY ledger_task (number, title, requirement, section, responsible_leader, deadline, "
                      "deadline_provisional, original_deadline, recurrence, priority, tags, status, progress, "
                      "assigned_on, closed_on, created_at, updated_at) FROM STDIN") as cp:
            for i in range(N):
                deadline = start + dt.timedelta(days=rnd.randint(0, 364))
                if rnd.random() < 0.7:
                    late = rnd.random() < 0.2
                    closed = deadline + dt.timedelta(days=rnd.randint(1, 20) if late else -rnd.randint(0, 20))
                    status, progress = "closed", 100
                else:
                    closed, status, progress = None, "in_progress", rnd.randint(10, 90)
                cp.write_row((f"A{i:07d}", f"考核基准任务{i}", "", "", "", deadline, False, deadline, "", 2, "[]",
                              status, progress, deadline - dt.timedelta(days=60), closed, now, now))
        cur.execute("SELECT min(id) FROM ledger_task")
        task0 = cur.fetchone()[0]
        with cur.copy("COPY ledger_task_lead_units (task_id, unit_id) FROM STDIN") as cp:
            for i in range(N):
                cp.write_row((task0 + i, unit0 + i % U))
        with cur.copy("COPY supervision_supervisionnotice (number, year, seq, kind, task_id, light, light_since, "
                      "lead_unit_id, copy_leader, reason, required_action, issued_on, reply_by, state, answer, "
                      "review_note, created_at) FROM STDIN") as cp:
            for k, i in enumerate(range(0, N, 50)):
                day = start + dt.timedelta(days=rnd.randint(0, 360))
                cp.write_row((f"督办〔{year}〕第{k + 1:06d}号", year, k + 1, "auto", task0 + i,
                              "red" if k % 4 == 0 else "yellow", day, unit0 + i % U, "", "逾期", "加快办理", day,
                              day + dt.timedelta(days=5), "issued", "", "", now))
        cur.execute("ANALYZE")
    print(f"generate {N} tasks / {U} units: {time.monotonic() - t0:.1f}s")

    from luoshi.assessment import scoring
    from luoshi.assessment import services as svc
    from luoshi.assessment.models import (Adjustment, ExpertScore, Indicator, ReportedFigure, SurveyLink,
                                          SurveyResponse)

    office = User.objects.create_user("bench_office", password="bench-pw-123", role=Role.SUPERVISOR)
    t0 = time.monotonic()
    with raw.cursor() as cur:
        with cur.copy("COPY supervision_rectificationitem (task_id, unit_id, requirement, due, state, report, "
                      "closed_on, verify_note, created_by_id, created_at) FROM STDIN") as cp:
            for i in range(0, N, 100):
                due = start + dt.timedelta(days=rnd.randint(0, 364))
                closed = rnd.random() < 0.8
                cp.write_row((task0 + i, unit0 + i % U, "整改", due, "closed" if closed else "open", "",
                              due - dt.timedelta(days=rnd.randint(-5, 10)) if closed else None, "", office.pk, now))
    if args.cases:
        from luoshi.cases.models import Case, Category

        cat = Category.objects.create(code="BENCH", name="基准类别")
        fields = [f for f in Case._meta.concrete_fields if f.name != "id"]
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        tz = dt.timezone(dt.timedelta(hours=8))
        with raw.cursor() as cur:
            with cur.copy(f"COPY {Case._meta.db_table} ({cols}) FROM STDIN") as cp:
                for i in range(args.cases):
                    created = dt.datetime(year, 1, 1, 9, tzinfo=tz) + dt.timedelta(minutes=rnd.randint(0, 364 * 1440))
                    deadline = created + dt.timedelta(days=5)
                    done = rnd.random() < 0.85
                    replied = created + dt.timedelta(days=rnd.choice([1, 2, 3, 4, 6, 8])) if done else None
                    vals = {"number": f"C{i:08d}", "kind": "problem", "category": cat.pk, "channel": "hotline",
                            "description": "基准案件", "responsible_unit": unit0 + i % U, "created_at": created,
                            "updated_at": created, "dispatched_at": created, "deadline": deadline,
                            "replied_at": replied, "closed_at": replied, "status": "closed" if done else "handling",
                            "return_count": 1 if rnd.random() < 0.05 else 0,
                            "rating": rnd.choice(["satisfied", "satisfied", "basic", "unsatisfied", ""]) if done else ""}
                    cp.write_row([vals.get(f.name, vals.get(f.attname)) if (f.name in vals or f.attname in vals)
                                  else f.get_default() for f in fields])
            cur.execute("ANALYZE")
        print(f"generate {args.cases} cases: {time.monotonic() - t0:.1f}s")
    plan = svc.do_save_plan(office, code="BENCH", name=f"{year}年度基准考核", period=str(year), group="city_dept")
    add = lambda parent, **kw: svc.do_save_indicator(office, plan, parent=parent, **kw)  # noqa: E731
    work = add(None, code="1", name="重点工作", weight=40)
    add(work, code="1.1", name="按时办结率", weight=20, method="ledger.on_time_rate")
    add(work, code="1.2", name="逾期件数", weight=10, method="ledger.overdue_count", params={"rule": "count", "per": 0.1})
    add(work, code="1.3", name="督办单", weight=5, method="supervision.notices", params={"rule": "count", "per": 0.5})
    add(work, code="1.4", name="限期整改按时销号率", weight=5, method="supervision.rectification_on_time")
    goals = add(None, code="2", name="目标任务", weight=40)
    reported = []
    n_reported = 30
    if args.cases:  # three of the 40 leaves become 12345 case indicators
        n_reported = 27
    for j in range(n_reported):
        w = Decimal("1.5") if j < 20 else Decimal(1)
        reported.append(add(goals, code=f"2.{j + 1}", name=f"填报指标{j + 1}", weight=w, method="reported",
                            params={"rule": "target", "target": 100}))
    if args.cases:
        add(goals, code="2.28", name="12345按期处置率", weight=1, method="cases.on_time_rate")
        add(goals, code="2.29", name="12345满意率", weight=1, method="cases.satisfaction")
        add(goals, code="2.30", name="12345退单率", weight=1, method="cases.return_rate")
    expert = add(None, code="3", name="专家评议", weight=10, method="expert")
    survey = add(None, code="4", name="群众评议", weight=10, method="survey")
    bonus = add(None, code="5", name="加分", kind="bonus", method="manual", cap=3)
    deduct = add(None, code="6", name="扣分", kind="deduct", method="manual", cap=5)
    add(None, code="7", name="红色督办单扣分", kind="deduct", method="supervision.red_notices", cap=3)
    veto = add(None, code="8", name="一票否决", kind="veto", method="manual")
    leaves = scoring.validate_plan(plan)
    assert len(leaves) == 40, len(leaves)
    submitted = now
    figs = [ReportedFigure(indicator=ind, unit_id=unit0 + u, value=Decimal(rnd.randint(60, 120)), state="accepted",
                           submitted_by=office, reviewed_by=office, reviewed_at=submitted)
            for ind in reported for u in range(U) if rnd.random() < 0.98]
    ReportedFigure.objects.bulk_create(figs, batch_size=10000)
    ExpertScore.objects.bulk_create([ExpertScore(indicator=expert, unit_id=unit0 + u, rater=f"专家{r}",
                                                 score=Decimal(rnd.randint(60, 100)), entered_by=office)
                                     for u in range(U) for r in range(5)], batch_size=10000)
    from luoshi.assessment.models import Survey

    s = Survey.objects.create(indicator=survey, title="评议", questions=[{"text": "满意吗", "choices": [["满意", 100], ["不满意", 0]]}],
                              opens_on=dt.date(year, 1, 1), closes_on=dt.date(year, 12, 31))
    SurveyLink.objects.bulk_create([SurveyLink(survey=s, unit_id=unit0 + u, token=f"t{u}") for u in range(U)])
    links = list(SurveyLink.objects.filter(survey=s).values_list("id", flat=True))
    SurveyResponse.objects.bulk_create([SurveyResponse(link_id=lid, answers=[0], score=Decimal(rnd.choice([100, 0, 100])),
                                                       client_hash="x") for lid in links for _ in range(3)],
                                       batch_size=10000)
    Adjustment.objects.bulk_create(
        [Adjustment(indicator=bonus, unit_id=unit0 + u, amount=1, reason="表彰", on=dt.date(year, 5, 1), created_by=office)
         for u in range(0, U, 10)]
        + [Adjustment(indicator=deduct, unit_id=unit0 + u, amount=2, reason="暗访", on=dt.date(year, 6, 1), created_by=office)
           for u in range(3, U, 10)]
        + [Adjustment(indicator=veto, unit_id=unit0 + u, amount=1, reason="事故", on=dt.date(year, 7, 1), created_by=office)
           for u in range(7, U, 500)])
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"assessment data (figures {len(figs)}, expert {U * 5}, survey answers {U * 3}): "
          f"{time.monotonic() - t0:.1f}s")

    as_of = dt.date(year + 1, 1, 1)
    t0 = time.monotonic()
    c1 = scoring.compute(plan, as_of=as_of)
    compute_s = time.monotonic() - t0
    print(f"compute: {compute_s:.1f}s for {len(c1.units)} units x {len(c1.leaves)} indicators; reading values "
          f"{sum(c1.timings.values()):.1f}s: {sorted(c1.timings.items(), key=lambda kv: -kv[1])}")
    t0 = time.monotonic()
    r = svc.do_run_scores(office, plan, as_of=as_of)
    run_s = time.monotonic() - t0
    print(f"run (compute + store {r.units_count} units, {r.units_count * 40} items): {run_s:.1f}s")
    j1 = scoring.computed_json(c1)
    j2 = svc.run_json(r)
    deterministic = j1["units"] == j2["units"]
    print(f"stored run equals the computation: {deterministic}")
    svc.do_publish_run(office, r)

    ids = list(r.units.values_list("unit_id", flat=True))
    sample = rnd.sample(ids, min(args.requests, len(ids)))
    users = {u.unit_id: u for u in User.objects.filter(unit_id__in=sample)}
    times, rows_times = [], []
    client = Client()
    client.force_login(users[sample[0]])
    client.get(f"/assessment/runs/{r.pk}/units/{sample[0]}/")  # warm-up
    for uid in sample:
        client.force_login(users[uid])
        t = time.monotonic()
        resp = client.get(f"/assessment/runs/{r.pk}/units/{uid}/")
        times.append((time.monotonic() - t) * 1000)
        assert resp.status_code == 200, resp.status_code
        item = r.units.get(unit_id=uid).items.get(indicator__code="1.1")
        t = time.monotonic()
        resp = client.get(f"/assessment/runs/{r.pk}/items/{item.pk}/rows/")
        rows_times.append((time.monotonic() - t) * 1000)
        assert resp.status_code == 200
    card = statistics.quantiles(times, n=20)[18]
    rows = statistics.quantiles(rows_times, n=20)[18]
    print(f"score card: p95 {card:.0f} ms (median {statistics.median(times):.0f}); "
          f"rows page (on-time item, ~{N // U} tasks): p95 {rows:.0f} ms")
    ok = deterministic and run_s <= 60 and card <= 200
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

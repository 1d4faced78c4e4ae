"""Set-based machinery of the sweep (a million tasks in well under a minute).

* `sql_lights`      computes every open task's colour in ONE SQL statement (working-day ordinals come
                    from a temporary table built from the work calendar), inserts the missing green
                    light rows with `INSERT … SELECT … ON CONFLICT DO NOTHING`, and returns only the
                    tasks whose light (probably) changes; `light_for` stays the rule: the returned rows are
                    recomputed in Python and only real changes are applied.
* `apply_changes`   stores a batch of changed lights under the tasks' row locks (re-checked there) and
                    issues their notices with `issue_notices`.
* `issue_notices`   numbers, inserts and announces many notices at once: bulk inserts of notices, copy
                    units, timeline events and in-app messages, one audit batch (`record_many`: one lock of
                    the chain head, entries chained in order).
* `take_steps`      the same for escalation steps.

Every function here runs inside a transaction that holds the row locks of the tasks it touches, so
concurrent sweeps serialise per task exactly like the one-task path in services.py, which the callers
fall back to when a batch hits a conflict.
"""
from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from luoshi.audit.services import record_many
from luoshi.core.db import column_getter, insert_tuples
from luoshi.ledger.models import Task, TaskEvent
from luoshi.notifications.outbox import Outbox, Recipients
from luoshi.notifications.webhook import webhook_config

from .common import DEFAULT_ACTIONS, reason_now
from .models import (Color, Escalation, LightTotals, NoticeCounter, SupervisionNotice, SupervisionState,
                     UnitLights)
from .notify import notice_payload

WD_TABLE = "luoshi_sweep_wd"
MISS_TABLE = "luoshi_sweep_miss"
DESIRED_TABLE = "luoshi_sweep_desired"
ORDINAL_SPAN = 4000  # days either side of the sweep date covered by the SQL path; others go through Python

SEVERE = (Color.YELLOW, Color.RED)
# What the batch writers read of a task (notices, events, messages, escalation chains, webhooks): loading
# only these under the row lock spares building the full row of every task.
TASK_FIELDS = ("id", "number", "title", "status", "tags", "responsible_leader", "deadline")


# ---- inserts -------------------------------------------------------------------

def insert_rows(model, objs: list, batch_size: int = 2000) -> None:
    """bulk_create, but on PostgreSQL through COPY with ids drawn from the table's sequence first
    (Django's bulk INSERT spends more time building SQL than the server spends storing rows).
    Sets obj.pk like bulk_create does."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    if all(o.pk is None for o in objs):
        with connection.cursor() as cur:
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                        [meta.db_table, pk.column, len(objs)])
            for o, (i,) in zip(objs, cur.fetchall()):
                o.pk = i
    cols = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *fields])
    getters = [column_getter(f) for f in fields]
    with connection.cursor() as cur, connection.wrap_database_errors:
        with cur.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({cols}) FROM STDIN") as cp:
            write = cp.write_row
            for o in objs:
                write([o.pk, *[g(o) for g in getters]])
    for o in objs:
        o._state.adding, o._state.db = False, connection.alias


# ---- colours in SQL ------------------------------------------------------------

def _in_list(values) -> str:
    return ", ".join("'%s'" % v for v in values)  # fixed status / colour names only, never user input


def _drop_temp_tables(cur) -> None:
    for name in (WD_TABLE, MISS_TABLE, DESIRED_TABLE):
        cur.execute(f"DROP TABLE IF EXISTS {name}")


def _prepare_temp_tables(cur, on, wd, missing: dict[int, int], lo: dt.date, hi: dt.date) -> int:
    _drop_temp_tables(cur)
    cur.execute(f"CREATE TEMPORARY TABLE {WD_TABLE} (d date PRIMARY KEY, ord integer NOT NULL)")
    cur.execute(f"CREATE TEMPORARY TABLE {MISS_TABLE} (task_id bigint PRIMARY KEY, n integer NOT NULL)")
    wd.ordinal(lo)
    wd.ordinal(hi)  # both ends built before reading ordinals: the index is not rebuilt below
    rows, day = [], lo
    while day <= hi:
        rows.append((day, wd.ordinal(day)))
        day += dt.timedelta(days=1)
    for i in range(0, len(rows), 1000):
        chunk = rows[i:i + 1000]
        cur.execute(f"INSERT INTO {WD_TABLE} (d, ord) VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),
                    [x for r in chunk for x in r])
    items = [(tid, n) for tid, n in missing.items() if n]
    for i in range(0, len(items), 1000):
        chunk = items[i:i + 1000]
        cur.execute(f"INSERT INTO {MISS_TABLE} (task_id, n) VALUES " + ", ".join(["(%s, %s)"] * len(chunk)),
                    [x for r in chunk for x in r])
    if connection.vendor == "postgresql":
        cur.execute(f"ANALYZE {WD_TABLE}")
        cur.execute(f"ANALYZE {MISS_TABLE}")
    return wd.ordinal(on)


def _desired_sql(evaluated, working) -> str:
    """Per open task: id, status, dates, progress, missing, colour, expected %, fallback flag.

    Mirrors services.light_for exactly (Python's round() is half-to-even; so is the CASE below).
    Parameters: on ×3, O (ordinal of on) , margin, warn.
    """
    task = Task._meta.db_table
    return f"""
    SELECT e.*,
      CASE
        WHEN e.status NOT IN ({_in_list(working)}) THEN 'green'
        WHEN e.deadline IS NOT NULL AND e.deadline < %s THEN 'red'
        WHEN e.miss > 0 THEN 'yellow'
        WHEN e.needs_ord = 1 AND e.fallback = 0 AND e.expected - e.progress > %s THEN 'yellow'
        WHEN e.needs_ord = 1 AND e.fallback = 0 AND e.od - %s <= %s THEN 'blue'
        ELSE 'green'
      END AS color
    FROM (
      SELECT q.*,
        CASE WHEN q.status NOT IN ({_in_list(working)}) THEN 100
             WHEN q.deadline IS NULL OR q.assigned_on IS NULL OR q.fallback = 1 THEN 0
             WHEN q.tot <= 0 THEN 100
             WHEN (100 * q.el) / q.tot >= 100 THEN 100
             ELSE (100 * q.el) / q.tot
                  + CASE WHEN 2 * ((100 * q.el) - ((100 * q.el) / q.tot) * q.tot) > q.tot THEN 1
                         WHEN 2 * ((100 * q.el) - ((100 * q.el) / q.tot) * q.tot) = q.tot
                              AND ((100 * q.el) / q.tot) %% 2 = 1 THEN 1
                         ELSE 0 END
        END AS expected
      FROM (
        SELECT b.*,
          b.od - b.oa AS tot,
          CASE WHEN %s - b.oa > 0 THEN %s - b.oa ELSE 0 END AS el,
          CASE WHEN b.needs_ord = 1 AND (b.od IS NULL OR (b.assigned_on IS NOT NULL AND b.oa IS NULL))
               THEN 1 ELSE 0 END AS fallback
        FROM (
          SELECT t.id, t.status, t.assigned_on, t.deadline, t.progress, COALESCE(m.n, 0) AS miss,
                 wa.ord AS oa, wdl.ord AS od,
                 CASE WHEN t.status IN ({_in_list(working)}) AND t.deadline IS NOT NULL AND t.deadline >= %s
                      THEN 1 ELSE 0 END AS needs_ord
          FROM {task} t
          LEFT JOIN {MISS_TABLE} m ON m.task_id = t.id
          LEFT JOIN {WD_TABLE} wa ON wa.d = t.assigned_on
          LEFT JOIN {WD_TABLE} wdl ON wdl.d = t.deadline
          WHERE t.status IN ({_in_list(evaluated)})
        ) b
      ) q
    ) e
    """


def sql_lights(on: dt.date, wd, cfg, missing: dict[int, int], evaluated, working):
    """Insert the green light rows of tasks that have none; return the rows whose colour may change:
    [(task_id, status, assigned_on, deadline, progress, stored colour or None)] — recompute with light_for."""
    state = SupervisionState._meta.db_table
    task = Task._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT MIN(assigned_on), MAX(assigned_on), MIN(deadline), MAX(deadline) FROM {task} "
                    f"WHERE status IN ({_in_list(evaluated)})")
        dates = [_as_date(d) for d in cur.fetchone() if d is not None] + [on]
        lo = max(min(dates), on - dt.timedelta(days=ORDINAL_SPAN))
        hi = min(max(dates), on + dt.timedelta(days=ORDINAL_SPAN))
        o = _prepare_temp_tables(cur, on, wd, missing, lo, hi)
        params = [on, cfg["behind_margin"], o, cfg["warn_days"], o, o, on]
        # The wanted colour of every open task next to its stored one, materialised once: the INSERT
        # below then never joins the table it is growing (a nested loop over it is quadratic).
        cur.execute(f"CREATE TEMPORARY TABLE {DESIRED_TABLE} AS "
                    f"SELECT e.id, e.status, e.assigned_on, e.deadline, e.progress, e.color, e.expected, "
                    f"e.fallback, s.light AS stored "
                    f"FROM ({_desired_sql(evaluated, working)}) e LEFT JOIN {state} s ON s.task_id = e.id", params)
        # 1. green rows for tasks without a light row (the bulk of a first sweep).
        green_sql = f"""
            INSERT INTO {state} (task_id, light, since, reason, expected_progress, missing_reports, listed)
            SELECT d.id, 'green', %s,
                   CASE WHEN d.status IN ({_in_list(working)}) THEN %s ELSE %s END,
                   d.expected, 0, FALSE
            FROM {DESIRED_TABLE} d
            WHERE d.stored IS NULL AND d.color = 'green' AND d.fallback = 0
            ON CONFLICT (task_id) DO NOTHING
        """
        green_params = [on, "按期推进", "已申请办结,待审核"]
        many = False
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT count(*) FROM {DESIRED_TABLE} d "
                        f"WHERE d.stored IS NULL AND d.color = 'green' AND d.fallback = 0")
            many = cur.fetchone()[0] >= GREEN_BULK_MIN
        inserted = _insert_checking_fk_once(cur, state, green_sql, green_params) if many else None
        if inserted is None:
            cur.execute(green_sql, green_params)
            inserted = cur.rowcount
        # 2. everything else whose colour differs from the stored one (or that SQL cannot decide).
        cur.execute(f"""
            SELECT d.id, d.status, d.assigned_on, d.deadline, d.progress, d.stored
            FROM {DESIRED_TABLE} d
            WHERE d.fallback = 1 OR (d.stored IS NULL AND d.color <> 'green') OR d.stored <> d.color
            ORDER BY d.id
        """)
        rows = [(r[0], r[1], _as_date(r[2]), _as_date(r[3]), r[4], r[5]) for r in cur.fetchall()]
        _drop_temp_tables(cur)
    return inserted, rows


GREEN_BULK_MIN = 50_000  # green rows to insert from which the task foreign key is checked once, not per row


def _insert_checking_fk_once(cur, table: str, sql: str, params) -> int:
    """Run a mass INSERT into `table` (PostgreSQL) with its foreign key to the task table checked ONCE for
    the whole statement instead of row by row: in one transaction the constraint is dropped, the rows are
    inserted and the same constraint is added back, which validates every row with a single join (the
    row-by-row check locks each referenced task row: half the time of a first sweep's green rows).
    The light table is locked for the few seconds this takes (first sweep of a bulk-imported ledger only).
    Returns None, having changed nothing, when the constraint cannot be altered now (the caller then runs
    the plain INSERT)."""
    from django.db import DatabaseError

    outer = connection.in_atomic_block
    try:
        with transaction.atomic():
            if outer:
                # Inside a caller's transaction: run its pending deferred checks now (PostgreSQL refuses
                # to alter a table with pending trigger events); Django's foreign keys stay deferred.
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
            return _swap_fk(cur, table, sql, params)
    except DatabaseError:
        return None


def _swap_fk(cur, table: str, sql: str, params) -> int:
    if True:  # noqa: SIM108 (kept as one block: drop, insert, add back)
        cur.execute("SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
                    "WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND a.attname = 'task_id'", [table])
        fks = cur.fetchall()
        # Plain secondary indexes (not unique: ON CONFLICT needs those; not backing a constraint) are
        # dropped too and built again afterwards: one sort of the whole table instead of a million
        # single-row index insertions. Same transaction, same table lock as the constraint swap.
        cur.execute("SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class ic ON ic.oid = i.indexrelid "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                    "ORDER BY ic.relname", [table])
        indexes = cur.fetchall()
        qt = connection.ops.quote_name(table)
        for name, _ in fks:
            cur.execute(f"ALTER TABLE {qt} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cur.execute(sql, params)
        inserted = cur.rowcount
        for _, definition in indexes:
            cur.execute(definition)
        for name, definition in fks:
            cur.execute(f"ALTER TABLE {qt} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
    return inserted


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite hands back text


# ---- units and recipients ------------------------------------------------------

def units_for(task_ids) -> dict[int, tuple[list, list]]:
    """{task_id: (lead units, co units)}, each in unit order (sort_order, id); one Unit object per unit."""
    from luoshi.orgs.models import Unit

    out: dict[int, tuple[list, list]] = {tid: ([], []) for tid in task_ids}
    links = []
    for idx, through in ((0, Task.lead_units.through), (1, Task.co_units.through)):
        links.append((idx, list(through.objects.filter(task_id__any_of=task_ids)
                                .order_by("unit__sort_order", "unit_id").values_list("task_id", "unit_id"))))
    # what notices, messages and payloads read of a unit (name, display_name, pk)
    units = Unit.objects.only("id", "name", "short_names").in_bulk({uid for _, rows in links for _, uid in rows})
    for idx, rows in links:
        for tid, uid in rows:
            out[tid][idx].append(units[uid])
    return out


EVENT_COLUMNS = ("task_id", "kind", "from_status", "to_status", "actor_id", "unit_id", "note")


def insert_events(rows) -> None:
    """Timeline events from tuples (EVENT_COLUMNS), stamped now."""
    from django.utils import timezone

    if not rows:
        return
    if connection.vendor == "postgresql":
        now = timezone.now()
        insert_tuples(TaskEvent, (*EVENT_COLUMNS, "at"), [(*r, now) for r in rows])
    else:
        TaskEvent.objects.bulk_create([TaskEvent(**dict(zip(EVENT_COLUMNS, r))) for r in rows], batch_size=2000)


def insert_links(through, columns, rows) -> None:
    if connection.vendor == "postgresql":
        insert_tuples(through, columns, rows)
    elif rows:
        through.objects.bulk_create([through(**dict(zip(columns, r))) for r in rows], batch_size=2000)


# ---- notices -------------------------------------------------------------------

def next_numbers(year: int, n: int) -> int:
    """Reserve `n` consecutive notice numbers of `year`; returns the first seq."""
    used = SupervisionNotice.objects.filter(year=year).order_by("-seq").values_list("seq", flat=True).first() or 0
    return NoticeCounter.next_number(year, n, floor=used)


def issue_notices(specs: list[dict], on: dt.date, cal, cfg, *, units=None, recipients=None, outbox=None,
                  actor=None, reply_days=None, audit: list | None = None) -> list[SupervisionNotice]:
    """Create the notices of `specs` (dicts: task, light, kind, reason, required_action, light_since).

    The caller holds the tasks' row locks and runs in a transaction. Tasks without a lead unit get no
    notice (None in the returned list). Audit entries are appended to `audit` when given (the caller
    writes them), else written here.
    """
    if not specs:
        return []
    units = units if units is not None else units_for([s["task"].pk for s in specs])
    if recipients is None:
        recipients = Recipients({u.pk for lead, co in units.values() for u in lead + co})
    own_outbox = outbox is None
    outbox = outbox or Outbox()
    own_audit = audit is None
    audit = [] if own_audit else audit
    reply_by = cal.add_working_days(on, int(reply_days or cfg["reply_days"]))
    issuer = actor if getattr(actor, "pk", None) else None
    todo = [s for s in specs if units[s["task"].pk][0]]
    seq = next_numbers(on.year, len(todo)) if todo else 0
    notices: list[SupervisionNotice] = []
    for s in todo:
        task = s["task"]
        lead = units[task.pk][0]
        # Foreign keys by id, related objects put in the instance's cache (what the descriptors would do,
        # without their per-row cost).
        n = SupervisionNotice(
            number=f"督办〔{on.year}〕第{seq:04d}号", year=on.year, seq=seq, kind=s["kind"], task_id=task.pk,
            light=s["light"], light_since=s.get("light_since"), lead_unit_id=lead[0].pk,
            copy_leader=task.responsible_leader, reason=s["reason"], required_action=s["required_action"],
            issued_on=on, reply_by=reply_by, issued_by_id=getattr(issuer, "pk", None))
        cache = n._state.fields_cache
        cache["task"], cache["lead_unit"] = task, lead[0]
        if issuer is not None:
            cache["issued_by"] = issuer
        seq += 1
        notices.append(n)
    insert_rows(SupervisionNotice, notices)
    through = SupervisionNotice.copy_units.through
    links, events = [], []
    hooks = bool(webhook_config()[0])
    for n in notices:
        lead, co = units[n.task_id]
        copies = lead[1:] + co
        links.extend((n.pk, u.pk) for u in copies)
        events.append((n.task_id, "notice", n.task.status, n.task.status, getattr(issuer, "pk", None), None,
                       f"{n.title_zh} {n.number}:{n.reason}(请于{n.reply_by:%Y-%m-%d}前回复)"))
        audit.append({"actor": actor or "系统", "action": "notice.issue", "obj": n,
                      "summary": f"签发{n.title_zh}{n.number}",
                      "after": {"task": n.task.number, "light": n.light, "kind": n.kind, "lead_unit": lead[0].name,
                                "reason": n.reason, "reply_by": n.reply_by}})
        users = recipients.of(lead) + recipients.of(copies)
        if n.light == Color.RED:
            users += recipients.of(lead, recipients.Role.LEADER)
        outbox.deliver(users, kind="notice.issued", title=f"【{n.title_zh}】{n.number} {n.task.title[:60]}",
                       body=f"{n.reason}\n整改要求:{n.required_action}\n回复期限:{n.reply_by:%Y-%m-%d}",
                       url=f"/supervision/notices/{n.pk}/", obj=n)
        if hooks:
            outbox.hooks.append(notice_payload(n, "notice.issued", copy_units=copies))
    insert_links(through, ("supervisionnotice_id", "unit_id"), links)
    insert_events(events)
    if own_audit:
        record_many(audit, insert=insert_rows)
    if own_outbox:
        outbox.flush()
    by_task = {n.task_id: n for n in notices}
    return [by_task.get(s["task"].pk) if units[s["task"].pk][0] else None for s in specs]


# ---- light changes -------------------------------------------------------------

def apply_changes(batch: list[tuple[int, object]], on: dt.date, cal, cfg, *, first_step=None,
                  stats: dict | None = None, with_notice=None) -> list[tuple[int, str, object, object]]:
    """Store a batch of (task_id, Light); returns [(task_id, old colour or 'none', light, notice)] applied.

    `first_step(task, colour)`: the first escalation step of the task's chain when it is due on the day a yellow/red
    episode starts (else None); such steps are taken in the same transaction (counted in stats["steps"]),
    sparing the escalation pass a second round of locks and look-ups for the same tasks.
    `with_notice(task, colour)`: whether a yellow/red change issues the colour 督办单 now (the ladder's
    first rung is a 督办单, supervision.escalation.notice_first); None: always. Blue always does.
    Raises IntegrityError when a concurrent writer got in the way; the caller then retries the batch
    one task at a time."""
    lights = dict(batch)
    ids = sorted(lights)
    applied = []
    steps_taken = 0
    with transaction.atomic():
        tasks = {t.pk: t for t in Task.objects.select_for_update().filter(pk__any_of=ids).only(*TASK_FIELDS).order_by("pk")}
        states = {s.task_id: s for s in SupervisionState.objects.select_for_update().filter(task_id__any_of=ids)}
        new, changed = [], []
        for tid in ids:
            task, light, state = tasks.get(tid), lights[tid], states.get(tid)
            if task is None or (state is not None and (state.light == light.color or state.since > on)):
                continue
            old = state.light if state is not None else None
            if state is None:
                state = SupervisionState(task=task)
                new.append(state)
            else:
                changed.append(state)
            if light.color not in SEVERE:
                state.episode_since = None
            elif old not in SEVERE or state.episode_since is None:
                state.episode_since = on
            if light.color in (Color.GREEN, Color.BLUE):
                state.listed, state.listed_on = False, None
            state.light, state.since, state.reason = light.color, on, light.reason[:300]
            state.expected_progress, state.missing_reports = light.expected, light.missing_reports
            applied.append((task, old or "none", light))
        if new:
            insert_rows(SupervisionState, new)
        if changed:
            SupervisionState.objects.bulk_update(changed, ["light", "since", "reason", "expected_progress",
                                                           "missing_reports", "episode_since", "listed",
                                                           "listed_on"], batch_size=500)
        severe_ids = [t.pk for t, _, light in applied if light.color != Color.GREEN]
        taken = set(SupervisionNotice.objects.filter(kind=SupervisionNotice.Kind.AUTO, task_id__any_of=severe_ids,
                                                     light_since=on).values_list("task_id", "light"))
        specs, events = [], []
        for task, _, light in applied:
            if light.color == Color.GREEN:
                events.append((task.pk, "light", task.status, task.status, None, None, f"恢复绿灯:{light.reason}"))
            elif (task.pk, light.color) not in taken and (
                    light.color not in SEVERE or with_notice is None or with_notice(task, light.color)):
                specs.append({"task": task, "light": light.color, "kind": SupervisionNotice.Kind.AUTO,
                              "reason": light.reason, "required_action": DEFAULT_ACTIONS[Color(light.color)],
                              "light_since": on})
        insert_events(events)
        units = units_for([t.pk for t, _, _ in applied])
        recipients = Recipients({u.pk for lead, co in units.values() for u in lead + co})
        notices = {n.task_id: n for n in issue_notices(specs, on, cal, cfg, units=units, recipients=recipients)
                   if n is not None}
        if first_step is not None:
            todo = []
            current = {**states, **{st.task_id: st for st in new}}
            for task, _, light in applied:
                state = current[task.pk]
                step = first_step(task, light.color) if light.color in SEVERE and state.episode_since == on else None
                if step is not None:
                    todo.append((task, state, on, 1, step))
            if todo:
                done = set(Escalation.objects.filter(task_id__any_of=[t.pk for t, *_ in todo], episode_since=on,
                                                     level=1).values_list("task_id", flat=True))
                steps_taken = _take_locked([x for x in todo if x[0].pk not in done], on, cal, cfg, units=units,
                                           recipients=recipients)
    if stats is not None:  # counted once the transaction is through
        stats["steps"] = stats.get("steps", 0) + steps_taken
    return [(task.pk, old, light, notices.get(task.pk)) for task, old, light in applied]


# ---- escalation steps ----------------------------------------------------------

def take_steps(items: list[tuple[int, dt.date, int, dict]], on: dt.date, cal, cfg) -> int:
    """Take a batch of escalation steps (task_id, episode, level, step); returns how many were taken.
    Raises IntegrityError on a conflict (the caller retries one task at a time)."""
    wanted = {tid: (ep, level, step) for tid, ep, level, step in items}
    ids = sorted(wanted)
    with transaction.atomic():
        tasks = {t.pk: t for t in Task.objects.select_for_update().filter(pk__any_of=ids).only(*TASK_FIELDS).order_by("pk")}
        states = {s.task_id: s for s in SupervisionState.objects.filter(task_id__any_of=ids)}
        done = set(Escalation.objects.filter(task_id__any_of=ids).values_list("task_id", "episode_since", "level"))
        todo = []
        for tid in ids:
            ep, level, step = wanted[tid]
            state = states.get(tid)
            if tid not in tasks or state is None or state.episode_since != ep or (tid, ep, level) in done:
                continue
            todo.append((tasks[tid], state, ep, level, step))
        return _take_locked(todo, on, cal, cfg)


def _take_locked(todo, on: dt.date, cal, cfg, *, units=None, recipients=None) -> int:
    """Take the steps of `todo` [(task, state, episode, level, step)]; the caller holds the tasks' row locks
    inside its transaction and has checked that none of these steps was taken yet."""
    if not todo:
        return 0
    with transaction.atomic():
        if units is None:
            units = units_for([t.pk for t, *_ in todo])
        if recipients is None:
            recipients = Recipients({u.pk for lead, co in units.values() for u in lead})
        outbox, audit = Outbox(), []
        # The ladder's 督办单 rung is the colour notice the sweep issued with this episode's light change,
        # when there is one (never a second notice); otherwise the rung issues it now.
        notices = {}
        asks = [(t, st, ep) for t, st, ep, level, step in todo if step["kind"] == "notice"]
        if asks:
            by_task: dict[int, tuple] = {}  # task id → (state, episode): one look-up per notice, not a scan
            for t, st, ep in asks:
                by_task.setdefault(t.pk, (st, ep))
            for n in (SupervisionNotice.objects.filter(task_id__any_of=list(by_task), kind=SupervisionNotice.Kind.AUTO)
                      .order_by("light_since", "id")):
                st_ep = by_task.get(n.task_id)
                if st_ep and n.light == st_ep[0].light and n.light_since and n.light_since >= st_ep[1]:
                    notices[n.task_id] = n
        specs = [{"task": t, "light": st.light, "kind": SupervisionNotice.Kind.ESCALATION,
                  "reason": f"经{step['label']}前措施后仍未有效回复:{reason_now(st, t, on, cal)}",
                  "required_action": DEFAULT_ACTIONS[Color(st.light)]}
                 for t, st, ep, level, step in todo if step["kind"] == "notice" and t.pk not in notices]
        if specs:
            for s, n in zip(specs, issue_notices(specs, on, cal, cfg, units=units, recipients=recipients,
                                                 outbox=outbox, audit=audit)):
                notices[s["task"].pk] = n
        listed = []
        escs, events = [], []
        for task, state, ep, level, step in todo:
            kind, label = step["kind"], step["label"]
            lead = units[task.pk][0]
            unit = lead[0] if lead else None
            if kind == "listed":
                state.listed, state.listed_on = True, on
                listed.append(state)
            esc = Escalation(task_id=task.pk, episode_since=ep, level=level, kind=kind, label=label, on=on,
                             unit_id=getattr(unit, "pk", None), notice_id=getattr(notices.get(task.pk), "pk", None))
            esc._state.fields_cache.update(task=task, unit=unit, notice=notices.get(task.pk))
            escs.append(esc)
            why = reason_now(state, task, on, cal)
            events.append((task.pk, "escalation", task.status, task.status, None, getattr(unit, "pk", None),
                           f"升级督办第{level}级:{label}({why})"))
            if kind in ("remind", "urge", "listed"):
                outbox.deliver(recipients.of(lead), kind=f"escalation.{kind}",
                               title=f"【{label}】{task.number} {task.title[:60]}", body=why,
                               url=f"/tasks/{task.pk}/", obj=task)
            if kind == "interview":
                outbox.deliver(recipients.of(lead, recipients.Role.LEADER) + recipients.supervisors(),
                               kind="escalation.interview", title=f"【约谈/问责建议】{task.number}",
                               body=f"{unit.display_name if unit else ''}:{why},经多次督办仍未有效整改,建议约谈或问责。",
                               url=f"/tasks/{task.pk}/", obj=task)
        if listed:
            SupervisionState.objects.bulk_update(listed, ["listed", "listed_on"], batch_size=500)
        insert_rows(Escalation, escs)
        insert_events(events)
        for esc in escs:
            audit.append({"actor": "系统", "action": "escalation.step", "obj": esc,
                          "object_type": "supervision.escalation", "summary": f"{esc.task.number} {esc.label}",
                          "after": {"level": esc.level, "kind": esc.kind, "episode": esc.episode_since}})
        record_many(audit, insert=insert_rows)
        outbox.flush()
        if any(e.kind == "interview" for e in escs):
            from .hooks import interview_taken

            interview_taken([e for e in escs if e.kind == "interview"])
    return len(escs)


# ---- dashboard summaries -------------------------------------------------------

def refresh_summaries(on: dt.date, totals: dict) -> None:
    """Rewrite LightTotals and UnitLights from the light rows (one GROUP BY, after every sweep)."""
    state = SupervisionState._meta.db_table
    lead = Task.lead_units.through._meta.db_table
    with transaction.atomic():
        LightTotals.objects.get_or_create(id=1)
        head = LightTotals.objects.select_for_update().get(id=1)
        UnitLights.objects.all().delete()
        with connection.cursor() as cur:
            cur.execute(f"""
                INSERT INTO {UnitLights._meta.db_table} (unit_id, green, blue, yellow, red)
                SELECT lu.unit_id,
                       SUM(CASE WHEN s.light = 'green' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN s.light = 'blue' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN s.light = 'yellow' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN s.light = 'red' THEN 1 ELSE 0 END)
                FROM {state} s JOIN {lead} lu ON lu.task_id = s.task_id
                GROUP BY lu.unit_id
            """)
        for c in Color.values:
            setattr(head, c, totals.get(c, 0))
        head.swept_on = on
        head.save()

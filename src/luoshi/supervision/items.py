"""Supervision of other kinds' overdue items (e.g. overdue cases): the same engine as for tasks.

Every sweep (supervision.sweep.run_sweep) calls `run_items(on, …)`, which, for each supervised kind that
gives `overdue(now)` (supervision.kinds), does for every overdue item:

1. 督办单: when the item turns overdue and the ladder's first rung is a 督办单 (the default), an automatic
   red 督办单 (三色督办单, numbered 督办〔年〕第N号 in the same series as the tasks', addressed to the
   responsible unit, reply within `reply_days` working days), once per episode (unique per item, colour and
   date it turned red) — that rung's notice;
2. escalation (升级督办): the ladder of the EscalationPolicy tagged with the kind's name, else the default
   (督办单 → 催办 → 挂牌督办 → 约谈/问责建议, supervision.escalation), in order, one rung when due in working
   days (a rung not for red lights stops the ladder), waiting while the
   unit's answer to the last notice stands — run_escalations' rule for tasks; 约谈/问责建议 runs the
   supervision.hooks interview hooks (accountability raises its proposal there);
3. the inbox messages of each step (luoshi.notifications), and the kind's `on_event` for its timeline.

The labels are the kind's OverdueItem.label (never a complainant's identity). Bounded: at most
`item_actions` (default 5000) notices and steps per kind and sweep, the oldest deadlines first; the rest
are counted as deferred and done by the next sweeps. Idempotent and safe to re-run for a date.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.audit.services import record
from luoshi.notifications.services import notify, recipients

from .common import DEFAULT_ACTIONS, _retry
from .escalation import _policies, applies, notice_first, steps_for
from .kinds import OverdueItem, SupervisedKind, kinds
from .lights import WorkdayIndex
from .models import Color, Escalation, SupervisionNotice
from .notices import _next_number
from .notify import recipients_supervisors

log = logging.getLogger(__name__)
DEFAULT_ITEM_ACTIONS = 5000


def _tell(kind: SupervisedKind, item_id: int, event: str, text: str, actor=None) -> None:
    if kind.on_event is not None:
        kind.on_event(item_id, event, text, actor)


def issue_item_notice(kind: SupervisedKind, item: OverdueItem, *, notice_kind: str, on: dt.date, cal, cfg,
                      light: str = Color.RED, reason: str = "", actor=None, wd: WorkdayIndex | None = None,
                      reply_by: dt.date | None = None, people: dict | None = None) -> SupervisionNotice | None:
    """Issue one 督办单 on an overdue item (inside a savepoint); None when the automatic notice of this
    episode exists already."""
    reason = reason or item.reason or _default_reason(item, on, wd or WorkdayIndex(cal))
    action = DEFAULT_ACTIONS[Color(light)]
    try:
        with transaction.atomic():
            seq, number = _next_number(on.year)
            n = SupervisionNotice.objects.create(
                number=number, year=on.year, seq=seq, kind=notice_kind, task=None, source_type=kind.name,
                source_id=item.source_id, source_label=item.label[:200], source_url=item.url[:200], light=light,
                light_since=item.since, lead_unit_id=item.unit_id, reason=reason, required_action=action,
                issued_on=on, reply_by=reply_by or cal.add_working_days(on, int(cfg["reply_days"])),
                issued_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:
        return None
    record(actor or "系统", "notice.issue", n, summary=f"签发{n.title_zh}{n.number}",
           after={kind.name: item.number, "light": light, "kind": notice_kind, "lead_unit_id": item.unit_id,
                  "reason": reason, "reply_by": n.reply_by})
    users = _people(people, item.unit_id, "liaison") + (_people(people, item.unit_id, "leader")
                                                        if light == Color.RED else [])
    notify(users, kind="notice.issued", title=f"【{n.title_zh}】{n.number} {item.label[:80]}",
           body=f"{reason}\n整改要求:{action}\n回复期限:{n.reply_by:%Y-%m-%d}", url=f"/supervision/notices/{n.pk}/",
           obj=n)
    _tell(kind, item.source_id, "notice", f"签发{n.title_zh}{n.number}:{reason}(请于{n.reply_by:%Y-%m-%d}前回复)")
    return n


def _people(cache: dict | None, unit_id: int, who: str) -> list:
    """The active 联络员 ("liaison") or 领导 ("leader") of a unit, looked up once per run when `cache` is given."""
    key = (unit_id, who)
    if cache is not None and key in cache:
        return cache[key]
    from luoshi.orgs.models import Unit

    unit = Unit(pk=unit_id)
    users = recipients([unit]) if who == "liaison" else recipients([unit], roles=(Role.LEADER,))
    if cache is not None:
        cache[key] = users
    return users


def _default_reason(item: OverdueItem, on: dt.date, wd: WorkdayIndex) -> str:
    deadline = timezone.localtime(item.deadline)
    late = wd.between(deadline.date(), on) if deadline.date() < on else 0
    return (f"{item.label}已超过办理时限({deadline:%Y-%m-%d %H:%M})仍未办结" +
            (f",已逾期{late}个工作日" if late else ""))


def _take_item_step(kind: SupervisedKind, item: OverdueItem, level: int, step: dict, on: dt.date, cal,
                    cfg, wd: WorkdayIndex, reply_by: dt.date | None = None, people: dict | None = None,
                    issued: SupervisionNotice | None = None) -> Escalation | None:
    """One rung on an overdue item. `issued`: the episode's automatic 督办单 when this run has just issued
    it (saves looking it up: it is the notice a "notice" rung refers to)."""
    with transaction.atomic():
        notice = None
        label, step_kind = step["label"], step["kind"]
        if step_kind == "notice":  # the episode's automatic 督办单 is this rung's notice when there is one
            notice = issued if issued is not None else (
                SupervisionNotice.objects.filter(source_type=kind.name, source_id=item.source_id,
                                                 kind=SupervisionNotice.Kind.AUTO, light_since__gte=item.since)
                .order_by("id").first())
        try:
            with transaction.atomic():
                esc = Escalation.objects.create(task=None, source_type=kind.name, source_id=item.source_id,
                                                source_label=item.label[:200], episode_since=item.since,
                                                level=level, kind=step_kind, label=label, on=on,
                                                unit_id=item.unit_id, notice=notice)
        except IntegrityError:
            return None
        if step_kind == "notice" and notice is None:
            notice = issue_item_notice(kind, item, notice_kind=SupervisionNotice.Kind.ESCALATION, on=on, cal=cal,
                                       cfg=cfg, reason=f"经{label}前措施后仍未办结:{_default_reason(item, on, wd)}",
                                       wd=wd, reply_by=reply_by, people=people)
            if notice is not None:
                esc.notice = notice
                esc.save(update_fields=["notice"])
        record("系统", "escalation.step", esc, object_type="supervision.escalation",
               summary=f"{item.number} {label}", after={"level": level, "kind": step_kind, "episode": item.since,
                                                        kind.name: item.number})
        if step_kind in ("remind", "urge", "listed"):
            notify(_people(people, item.unit_id, "liaison") +
                   (_people(people, item.unit_id, "leader") if step_kind == "listed" else []),
                   kind=f"escalation.{step_kind}", title=f"【{label}】{item.label[:80]}",
                   body=_default_reason(item, on, wd), url=item.url)
        elif step_kind == "interview":
            notify(_people(people, item.unit_id, "leader") + recipients_supervisors(),
                   kind="escalation.interview", title=f"【约谈/问责建议】{item.label[:80]}",
                   body=f"{esc.unit.display_name}:{_default_reason(item, on, wd)},经多次督办仍未办结,建议约谈或问责。",
                   url=item.url)
            from .hooks import interview_taken

            interview_taken([esc])
        _tell(kind, item.source_id, "escalation", f"升级督办第{level}级:{label}")
        return esc


def run_items(on: dt.date, cal, wd: WorkdayIndex, cfg, now=None) -> dict[str, dict]:
    """Notices and escalation for the overdue items of every kind that gives `overdue`; per kind
    {"label", "overdue", "notices", "escalations", "deferred"} (or {"label", "error"}: one kind's failure
    is logged and never undoes the sweep)."""
    out = {}
    for k in kinds():
        if k.overdue is None:
            continue
        try:
            out[k.name] = run_kind(k, on, cal, wd, cfg, now=now)
        except Exception as exc:  # noqa: BLE001 - another app's bug must not stop the sweep
            log.exception("supervision of kind %s failed", k.name)
            out[k.name] = {"label": k.label, "error": str(exc)}
    return out


ITEM_BATCH = 500  # items acted on per transaction (bulk inserts, one audit batch, one outbox)


def _keys(k: SupervisedKind, now):
    """(source_id, unit_id, since, OverdueItem or None) of the kind's overdue items, oldest deadline first:
    the kind's light `overdue_keys` when it has one, else its full items."""
    if k.overdue_keys is not None:
        for sid, unit_id, since in k.overdue_keys(now):
            yield sid, unit_id, since, None
    else:
        for i in k.overdue(now):
            yield i.source_id, i.unit_id, i.since, i


def run_kind(k: SupervisedKind, on: dt.date, cal, wd: WorkdayIndex, cfg, now=None) -> dict:
    """One kind's overdue items: decide in one pass over (id, unit, since) what each needs today (its
    episode's 督办单, the next rung when due), then act on at most `item_actions` of them in batches of
    ITEM_BATCH — bulk inserts of notices, steps and timeline events, one audit batch (record_many) and one
    outbox per batch; a batch that meets a concurrent writer is redone one item at a time."""
    now = now or timezone.now()
    budget = int(cfg.get("item_actions", DEFAULT_ITEM_ACTIONS))
    default, by_tag = _policies()
    steps = steps_for([k.name], default, by_tag)
    with_notice = notice_first(steps, Color.RED)  # the automatic 督办单 is the ladder's first rung
    stats = {"label": k.label, "overdue": 0, "notices": 0, "escalations": 0, "deferred": 0}
    auto = set(SupervisionNotice.objects.filter(source_type=k.name, kind=SupervisionNotice.Kind.AUTO)
               .values_list("source_id", "light_since"))
    last: dict[int, tuple[int, dt.date, dt.date]] = {}
    for sid, ep, level, d in (Escalation.objects.filter(source_type=k.name)
                              .values_list("source_id", "episode_since", "level", "on")):
        cur = last.get(sid)
        if cur is None or (ep, level) > (cur[2], cur[0]):
            last[sid] = (level, d, ep)
    answered: dict[int, dt.date] = {}
    for sid, d in (SupervisionNotice.objects.filter(
            source_type=k.name, answered_on__isnull=False, answered_on__lte=on,
            state__in=(SupervisionNotice.State.ANSWERED, SupervisionNotice.State.ACCEPTED))
            .values_list("source_id", "answered_on")):
        if d > answered.get(sid, dt.date.min):
            answered[sid] = d
    red_ok = [applies(st, Color.RED) for st in steps]
    after = [int(st["after_days"]) for st in steps]
    waited: dict[dt.date, int] = {}  # working days from an anchor date to `on`, computed once per date
    todo: list[tuple[int, bool, tuple | None]] = []  # (source_id, issue the auto notice, (level, step) or None)
    given: dict[int, OverdueItem] = {}
    for sid, unit_id, since, item in _keys(k, now):
        if since > on:
            continue
        stats["overdue"] += 1
        need_notice = with_notice and (sid, since) not in auto
        prev = last.get(sid)
        level, anchor = (prev[0], prev[1]) if prev and prev[2] == since else (0, since)
        step = None
        if level < len(steps) and red_ok[level] and not (level > 0 and answered.get(sid, dt.date.min) >= anchor):
            gone = waited.get(anchor)
            if gone is None:
                gone = waited[anchor] = wd.between(anchor, on)
            if gone >= after[level]:
                step = (level + 1, steps[level])
        if not need_notice and step is None:
            continue
        if budget <= 0:
            stats["deferred"] += 1
            continue
        budget -= int(need_notice) + int(step is not None)
        todo.append((sid, need_notice, step))
        if item is not None:
            given[sid] = item
    if not todo:
        return stats
    reply_by = cal.add_working_days(on, int(cfg["reply_days"]))
    people: dict = {}
    for i in range(0, len(todo), ITEM_BATCH):
        chunk = todo[i:i + ITEM_BATCH]
        items = given if k.describe is None else k.describe([sid for sid, _, _ in chunk], now=now)
        chunk = [(items[sid], n, st) for sid, n, st in chunk if sid in items]
        try:
            notices, escs = _retry(_act_batch, k, chunk, on, cal, cfg, wd, reply_by)
        except IntegrityError:  # a concurrent sweep got in the way: one item at a time, each in its savepoint
            notices = escs = 0
            for item, need_notice, step in chunk:
                issued = None
                if need_notice:
                    issued = _retry(issue_item_notice, k, item, notice_kind=SupervisionNotice.Kind.AUTO, on=on,
                                    cal=cal, cfg=cfg, wd=wd, reply_by=reply_by, people=people)
                    notices += issued is not None
                if step is not None and _retry(_take_item_step, k, item, step[0], step[1], on, cal, cfg, wd,
                                               reply_by, people, issued=issued):
                    escs += 1
        stats["notices"] += notices
        stats["escalations"] += escs
    return stats


def _act_batch(k: SupervisedKind, chunk, on: dt.date, cal, cfg, wd: WorkdayIndex, reply_by: dt.date
               ) -> tuple[int, int]:
    """Issue the automatic 督办单 and take the due rungs of `chunk` [(OverdueItem, issue notice, (level, step)
    or None)] in one transaction: the same rows, audit entries, messages and timeline events as
    issue_item_notice/_take_item_step one by one. Raises IntegrityError when any of them exists already."""
    from luoshi.audit.services import record_many
    from luoshi.notifications.outbox import Outbox, Recipients
    from luoshi.orgs.models import Unit

    from .bulk import insert_rows, next_numbers

    with transaction.atomic():
        units = Unit.objects.only("id", "name", "short_names").in_bulk({it.unit_id for it, _, _ in chunk})
        rcpt = Recipients(set(units))
        outbox, audit, events = Outbox(), [], []
        action = DEFAULT_ACTIONS[Color.RED]
        # 1. 督办单: the episode's automatic notice, and an escalation notice for a 督办单 rung of an episode
        #    that has none (a ladder whose first rung is not the automatic one)
        specs = [(it, SupervisionNotice.Kind.AUTO, it.reason or _default_reason(it, on, wd))
                 for it, need, _ in chunk if need]
        rung_notice = [(it, st[1]["label"]) for it, need, st in chunk
                       if st is not None and st[1]["kind"] == "notice" and not need]
        have: dict[int, int] = {}  # source_id → its episode's automatic notice (the first, by id)
        if rung_notice:
            since_of = {it.source_id: it.since for it, _ in rung_notice}
            for sid, since, pk in (SupervisionNotice.objects.filter(
                    source_type=k.name, source_id__in=list(since_of), kind=SupervisionNotice.Kind.AUTO)
                    .order_by("id").values_list("source_id", "light_since", "id")):
                if since and since >= since_of[sid]:
                    have.setdefault(sid, pk)
        for it, label in rung_notice:
            if it.source_id not in have:
                specs.append((it, SupervisionNotice.Kind.ESCALATION,
                              f"经{label}前措施后仍未办结:{_default_reason(it, on, wd)}"))
        notices = []
        if specs:
            seq = next_numbers(on.year, len(specs))
            for it, nkind, reason in specs:
                notices.append(SupervisionNotice(
                    number=f"督办〔{on.year}〕第{seq:04d}号", year=on.year, seq=seq, kind=nkind, task=None,
                    source_type=k.name, source_id=it.source_id, source_label=it.label[:200],
                    source_url=it.url[:200], light=Color.RED, light_since=it.since, lead_unit_id=it.unit_id,
                    reason=reason, required_action=action, issued_on=on, reply_by=reply_by))
                seq += 1
            insert_rows(SupervisionNotice, notices)
        by_item: dict[int, SupervisionNotice] = {}
        for n, (it, nkind, reason) in zip(notices, specs):
            by_item.setdefault(it.source_id, n)
            audit.append({"actor": "系统", "action": "notice.issue", "obj": n, "summary": f"签发{n.title_zh}{n.number}",
                          "after": {k.name: it.number, "light": n.light, "kind": nkind, "lead_unit_id": it.unit_id,
                                    "reason": reason, "reply_by": n.reply_by}})
            unit = units.get(it.unit_id)
            outbox.deliver(rcpt.of([unit]) + rcpt.of([unit], rcpt.Role.LEADER) if unit else [],
                           kind="notice.issued", title=f"【{n.title_zh}】{n.number} {it.label[:80]}",
                           body=f"{reason}\n整改要求:{action}\n回复期限:{n.reply_by:%Y-%m-%d}",
                           url=f"/supervision/notices/{n.pk}/", obj=n)
            events.append((it.source_id, "notice",
                           f"签发{n.title_zh}{n.number}:{reason}(请于{n.reply_by:%Y-%m-%d}前回复)"))
        # 2. the rungs
        escs = []
        for it, _, st in chunk:
            if st is None:
                continue
            level, step = st
            notice_id = None
            if step["kind"] == "notice":  # the episode's notice: the one it had, else the one issued above
                notice_id = have.get(it.source_id) or getattr(by_item.get(it.source_id), "pk", None)
            esc = Escalation(task=None, source_type=k.name, source_id=it.source_id, source_label=it.label[:200],
                             episode_since=it.since, level=level, kind=step["kind"], label=step["label"], on=on,
                             unit_id=it.unit_id, notice_id=notice_id)
            esc._state.fields_cache["unit"] = units.get(it.unit_id)
            escs.append((it, esc))
        insert_rows(Escalation, [e for _, e in escs])
        for it, esc in escs:
            unit = units.get(it.unit_id)
            audit.append({"actor": "系统", "action": "escalation.step", "obj": esc,
                          "object_type": "supervision.escalation", "summary": f"{it.number} {esc.label}",
                          "after": {"level": esc.level, "kind": esc.kind, "episode": it.since, k.name: it.number}})
            if esc.kind in ("remind", "urge", "listed"):
                outbox.deliver(rcpt.of([unit]) + (rcpt.of([unit], rcpt.Role.LEADER) if esc.kind == "listed" else [])
                               if unit else [], kind=f"escalation.{esc.kind}", title=f"【{esc.label}】{it.label[:80]}",
                               body=_default_reason(it, on, wd), url=it.url)
            elif esc.kind == "interview":
                outbox.deliver((rcpt.of([unit], rcpt.Role.LEADER) if unit else []) + rcpt.supervisors(),
                               kind="escalation.interview", title=f"【约谈/问责建议】{it.label[:80]}",
                               body=f"{unit.display_name if unit else ''}:{_default_reason(it, on, wd)},"
                                    f"经多次督办仍未办结,建议约谈或问责。", url=it.url)
            events.append((it.source_id, "escalation", f"升级督办第{esc.level}级:{esc.label}"))
        record_many(audit, insert=insert_rows)
        outbox.flush()
        if k.on_events is not None:
            k.on_events(events)
        elif k.on_event is not None:
            for sid, event, text in events:
                k.on_event(sid, event, text, None)
        interviews = [e for _, e in escs if e.kind == "interview"]
        if interviews:
            from .hooks import interview_taken

            interview_taken(interviews)
    return len(notices), len(escs)


def overdue_rows(user=None, now=None, limit: int = 200) -> list[dict]:
    """The 通报's overdue items of every kind: [{"kind", "label", "items": [{"number", "title", "unit_id",
    "deadline", "since"}], "total", "by_unit": {unit_id: n}}], oldest first, `limit` items per kind;
    with `user`, only the units their scope (luoshi.core.scope, the kind's domain) lets them read."""
    from luoshi.core.scope import unit_scope

    now = now or timezone.now()
    out = []
    for k in kinds():
        if k.overdue is None:
            continue
        user_units = unit_scope(user, k.scope_domain) if user is not None else None
        if user_units is not None and not user_units:
            out.append({"kind": k.name, "label": k.label, "items": [], "total": 0, "by_unit": {}})
            continue
        rows, total, by_unit = [], 0, {}
        for i in k.overdue(now):
            if user_units is not None and i.unit_id not in user_units:
                continue
            total += 1
            by_unit[i.unit_id] = by_unit.get(i.unit_id, 0) + 1
            if len(rows) < limit:
                number, _, title = i.label.partition(" ")
                rows.append({"number": number, "title": title, "unit_id": i.unit_id, "deadline": i.deadline,
                             "since": i.since})
        out.append({"kind": k.name, "label": k.label, "items": rows, "total": total, "by_unit": by_unit})
    return out


LISTED_KINDS = ("listed", "interview")  # 挂牌督办 and the rung above it: the item stays 挂牌 until it is done


def listed_rows(user=None, now=None, limit: int | None = None) -> list[dict]:
    """挂牌督办 items of the other supervised kinds (overdue cases, petitions): the items still overdue whose
    current episode reached the 挂牌督办 rung (or 约谈/问责建议 above it), oldest listing first.

    [{"kind", "label", "total", "items": [{"number", "title", "unit_id", "unit", "deadline", "since",
    "listed_on", "rung", "url"}]}] — named by number and category/title only (OverdueItem.label), never a
    complainant or petitioner; with `user`, only the units their scope (luoshi.core.scope, the kind's domain)
    lets them read; `limit`: at most that many rows per kind ("total" still counts them all)."""
    from luoshi.core.scope import unit_scope
    from luoshi.orgs.models import Unit

    now = now or timezone.now()
    out = []
    for k in kinds():
        if k.overdue is None:
            continue
        scope = unit_scope(user, k.scope_domain) if user is not None else None
        row = {"kind": k.name, "label": k.label, "total": 0, "items": []}
        out.append(row)
        if scope is not None and not scope:
            continue
        steps = Escalation.objects.filter(source_type=k.name, kind__in=LISTED_KINDS)
        if scope is not None:
            steps = steps.filter(unit_id__in=scope)
        top: dict[int, tuple] = {}  # source_id → (episode, listed on, rung label) of its latest listing
        for sid, ep, on, level, label in steps.order_by("source_id", "episode_since", "level").values_list(
                "source_id", "episode_since", "on", "level", "label"):
            cur = top.get(sid)
            if cur is None or ep > cur[0]:
                top[sid] = (ep, on, label)
            elif ep == cur[0]:
                top[sid] = (ep, cur[1], label)  # listed on the 挂牌 day; the rung reached since
        if not top:
            continue
        if k.describe is not None:
            ids, items = list(top), {}
            for i in range(0, len(ids), 2000):  # bounded IN lists
                items.update(k.describe(ids[i:i + 2000], now=now))
        else:
            items = {i.source_id: i for i in k.overdue(now) if i.source_id in top}
        rows = []
        for sid, (ep, on, rung) in top.items():
            it = items.get(sid)
            if it is None or it.since != ep or (scope is not None and it.unit_id not in scope):
                continue  # done, or a new limit started a new episode, or now another unit's
            number, _, title = it.label.partition(" ")
            rows.append({"number": number, "title": title, "unit_id": it.unit_id, "deadline": it.deadline,
                         "since": it.since, "listed_on": on, "rung": rung, "url": it.url})
        rows.sort(key=lambda r: (r["listed_on"], r["number"]))
        total = len(rows)
        rows = rows if limit is None else rows[:limit]
        names = dict(Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("id", "name"))
        for r in rows:
            r["unit"] = names.get(r["unit_id"], "")
        row["items"], row["total"] = rows, total
    return out

"""Escalation (升级督办): a yellow or red task climbs the rungs of its ladder (policy) in order, one rung
per sweep when due, each `after_days` working days after the previous one without an adequate answer.

The default ladder (README "The default escalation ladder"):

  1. 督办单         0 working days: the yellow/red 督办单 the day the light turns (the sweep's colour notice)
  2. 催办           3 working days later
  3. 挂牌督办       5 working days later — red (逾期) only
  4. 约谈/问责建议  5 working days later — red (逾期) only

Each rung names the lights it applies to (`lights`, default yellow and red; 挂牌督办 and 约谈/问责建议
red only): a yellow (滞后) task stops before a red-only rung and waits — it is never 挂牌 unless a
policy says so (`"lights": ["yellow", "red"]`). A 督办单 is issued only by the ladder's 督办单 rung:
when it is the first rung (after 0 days) the sweep issues it with the light change; a ladder without
it issues no yellow/red 督办单 at all. Other rung kinds: 提醒 (remind)."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.ledger.models import Task

from .bulk import take_steps
from .common import DEFAULT_ACTIONS, _event, _ordered_units, _retry, reason_now
from .lights import WorkdayIndex
from .models import Color, Escalation, EscalationPolicy, SupervisionNotice, SupervisionState
from .notices import _create_notice
from .notify import notify_leaders, notify_unit

SEVERE_LIGHTS = ["yellow", "red"]
RED_ONLY = {"listed", "interview"}  # 挂牌督办 and 约谈/问责建议 are for 逾期 (red) tasks unless a policy says so
DEFAULT_STEPS = [
    {"kind": "notice", "label": "督办单", "after_days": 0, "lights": ["yellow", "red"]},
    {"kind": "urge", "label": "催办", "after_days": 3, "lights": ["yellow", "red"]},
    {"kind": "listed", "label": "挂牌督办", "after_days": 5, "lights": ["red"]},
    {"kind": "interview", "label": "约谈/问责建议", "after_days": 5, "lights": ["red"]},
]
STEP_LABELS = {"remind": "提醒", "urge": "催办", "notice": "督办单", "listed": "挂牌督办", "interview": "约谈/问责建议"}
STEP_KINDS = set(STEP_LABELS)


def step_lights(step: dict) -> list[str]:
    """The lights a rung applies to: its own `lights`, else red only for 挂牌/约谈 and yellow+red otherwise
    (policies saved before rungs named their lights)."""
    lights = step.get("lights")
    if lights:
        return list(lights)
    return ["red"] if step.get("kind") in RED_ONLY else list(SEVERE_LIGHTS)


def applies(step: dict, light: str) -> bool:
    return light in step_lights(step)


def notice_first(steps: list[dict], light: str) -> bool:
    """True when the ladder's first rung is a 督办单 due the day the light turns (the sweep issues it
    with the light change)."""
    return bool(steps) and steps[0]["kind"] == "notice" and int(steps[0]["after_days"]) <= 0 \
        and applies(steps[0], light)


# ---- escalation ----------------------------------------------------------------

def clean_steps(steps) -> list[dict]:
    if not isinstance(steps, list) or not steps:
        raise LuoshiError("steps must be a non-empty list", "升级步骤不能为空", field="steps")
    out = []
    for s in steps:
        kind = s.get("kind") if isinstance(s, dict) else None
        if kind not in STEP_KINDS:
            raise LuoshiError(f"unknown escalation step {kind!r}; use {sorted(STEP_KINDS)}",
                              f"未知的升级措施“{kind}”", field="steps")
        try:
            gap = int(s.get("after_days", 0))
        except (TypeError, ValueError):
            gap = -1
        if not 0 <= gap <= 250:
            raise LuoshiError("after_days must be 0-250 working days", "间隔应为0到250个工作日", field="steps")
        label = check_plain_text(s.get("label") or STEP_LABELS[kind], "措施名称", "label", max_length=40)
        lights = s.get("lights") or step_lights({"kind": kind})
        if not isinstance(lights, list) or not lights or any(x not in SEVERE_LIGHTS for x in lights):
            raise LuoshiError("lights must list yellow and/or red", "适用灯色应为黄灯和/或红灯", field="steps")
        out.append({"kind": kind, "label": label, "after_days": gap,
                    "lights": [x for x in SEVERE_LIGHTS if x in lights]})
    return out


@transaction.atomic
def do_save_policy(actor, *, name: str, tag: str = "", steps) -> EscalationPolicy:
    if not actor.sees_everything:
        deny("configure escalation", "配置升级督办策略")
    steps = clean_steps(steps)
    name = check_plain_text(name, "名称", "name", max_length=100, required=True)
    tag = check_plain_text(tag, "标签", "tag", max_length=30)
    policy, _ = EscalationPolicy.objects.update_or_create(tag=tag, defaults={"name": name, "steps": steps})
    record(actor, "escalation.policy", policy, after={"name": name, "tag": tag, "steps": steps})
    return policy


def _policies() -> tuple[list[dict], dict[str, list[dict]]]:
    default, by_tag = DEFAULT_STEPS, {}
    for p in EscalationPolicy.objects.all():
        if p.tag:
            by_tag[p.tag] = p.steps
        else:
            default = p.steps
    return default, by_tag


def steps_for(tags, default, by_tag) -> list[dict]:
    for t in tags or []:
        if t in by_tag:
            return by_tag[t]
    return default


def _take_step(task_id: int, episode: dt.date, level: int, step: dict, on: dt.date, cal, cfg) -> Escalation | None:
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task_id)
        state = SupervisionState.objects.filter(task=task).first()
        if state is None or state.episode_since != episode:
            return None
        if Escalation.objects.filter(task=task, episode_since=episode, level=level).exists():
            return None
        lead = _ordered_units(task.lead_units.all())
        unit = lead[0] if lead else None
        why = reason_now(state, task, on, cal)
        notice = None
        kind, label = step["kind"], step["label"]
        if kind == "notice":
            notice = episode_notice(task.pk, state.light, episode)
        if kind == "notice" and notice is None:
            notice = _create_notice(task, light=state.light, kind=SupervisionNotice.Kind.ESCALATION,
                                    reason=f"经{label}前措施后仍未有效回复:{why}",
                                    required_action=DEFAULT_ACTIONS[Color(state.light)], on=on, calendar=cal,
                                    cfg=cfg)
        elif kind == "listed":
            state.listed, state.listed_on = True, on
            state.save(update_fields=["listed", "listed_on"])
        try:
            with transaction.atomic():
                esc = Escalation.objects.create(task=task, episode_since=episode, level=level, kind=kind,
                                                label=label, on=on, unit=unit, notice=notice)
        except IntegrityError:
            transaction.set_rollback(True)
            return None
        _event(task, "escalation", f"升级督办第{level}级:{label}({why})", unit=unit)
        record("系统", "escalation.step", esc, object_type="supervision.escalation",
               summary=f"{task.number} {label}", after={"level": level, "kind": kind, "episode": episode})
        if kind in ("remind", "urge", "listed"):
            notify_unit(task, kind=f"escalation.{kind}", title=f"【{label}】{task.number} {task.title[:60]}",
                        body=why)
        if kind == "interview":
            notify_leaders(task, kind="escalation.interview", title=f"【约谈/问责建议】{task.number}",
                           body=f"{unit.display_name if unit else ''}:{why},经多次督办仍未有效整改,建议约谈或问责。")
            from .hooks import interview_taken

            interview_taken([esc])
        return esc


def episode_notice(task_id: int, light: str, episode: dt.date) -> SupervisionNotice | None:
    """The colour 督办单 the sweep issued with the light change in this episode, if any: the ladder's
    督办单 rung is that notice (no second one)."""
    return (SupervisionNotice.objects.filter(task_id=task_id, kind=SupervisionNotice.Kind.AUTO, light=light,
                                             light_since__gte=episode).order_by("-light_since", "-id").first())


def _answered_since(states_qs, on) -> dict[int, dt.date]:
    """Latest answered_on (answer pending review or accepted) per task of `states_qs`, up to `on`."""
    out = {}
    rows = (SupervisionNotice.objects.filter(task_id__in=states_qs.values("task_id"), answered_on__isnull=False,
                                             answered_on__lte=on,
                                             state__in=(SupervisionNotice.State.ANSWERED,
                                                        SupervisionNotice.State.ACCEPTED))
            .values_list("task_id", "answered_on"))
    for tid, d in rows:
        if tid not in out or d > out[tid]:
            out[tid] = d
    return out


STEP_BATCH = 1000


def run_escalations(on: dt.date, cal, wd: WorkdayIndex, cfg) -> int:
    """Advance the chain of every yellow/red task that has no adequate answer since its last step."""
    default, by_tag = _policies()
    severe = SupervisionState.objects.filter(light__in=(Color.YELLOW, Color.RED), episode_since__isnull=False,
                                             episode_since__lte=on)
    states = list(severe.values_list("task_id", "episode_since", "task__tags", "light").order_by("task_id"))
    if not states:
        return 0
    last: dict[int, tuple[int, dt.date, dt.date]] = {}
    for tid, ep, level, d in (Escalation.objects.filter(task_id__in=severe.values("task_id"))
                              .values_list("task_id", "episode_since", "level", "on")):
        cur = last.get(tid)
        if cur is None or (ep, level) > (cur[2], cur[0]):
            last[tid] = (level, d, ep)
    answered = _answered_since(severe, on)
    due = []
    for tid, episode, tags, light in states:
        steps = steps_for(tags, default, by_tag)
        prev = last.get(tid)
        if prev and prev[2] == episode:
            level, anchor = prev[0], prev[1]
        else:
            level, anchor = 0, episode
        if level >= len(steps):
            continue
        if level > 0 and answered.get(tid) and answered[tid] >= anchor:
            continue  # the unit answered after the last step: the chain waits
        step = steps[level]
        if not applies(step, light):
            continue  # e.g. a yellow task before 挂牌督办 (red only): it waits there, unless it turns red
        if wd.between(anchor, on) < int(step["after_days"]):
            continue
        due.append((tid, episode, level + 1, step))
    taken = 0
    for i in range(0, len(due), STEP_BATCH):
        batch = due[i:i + STEP_BATCH]
        try:
            taken += _retry(take_steps, batch, on, cal, cfg) or 0
        except IntegrityError:  # a concurrent sweep took some of these steps: one at a time
            for tid, episode, level, step in batch:
                if _retry(_take_step, tid, episode, level, step, on, cal, cfg):
                    taken += 1
    return taken

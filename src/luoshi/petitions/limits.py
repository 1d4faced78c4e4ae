"""Time limits of the 信访工作条例 (中共中央、国务院, 2022年5月1日施行), as configurable defaults.

=================  ====  ===================================================================
limit              days  rule
=================  ====  ===================================================================
accept_days          15  受理告知: decide within 15 days of receipt whether to accept, and tell
                         the petitioner in writing (受理告知书 / 不予受理告知书)
handle_days          60  办理: settle within 60 days of acceptance (自受理之日起60日内办结)
extension_max        30  情况复杂的, with the approval of the office's head, the limit may be
                         extended once by at most 30 days, and the petitioner told why
review_request_days  30  复查: the petitioner may ask the next-higher office for 复查 within 30 days
                         of receiving the written answer (答复意见书)
review_days          30  复查意见 within 30 days of receiving the request
recheck_request_days 30  复核: requested within 30 days of the 复查意见书
recheck_days         30  复核意见 within 30 days; a 复核 opinion is final: the same matter on the same
                         facts and grounds is not accepted again (终结)
backlog_repeats       3  a petition repeated this many times enters the 积案 list (local practice,
                         not in the 条例)
=================  ====  ===================================================================

How the days are counted. The 条例 writes "日" and, unlike the 行政许可法 (第八十二条: "以工作日计算,
不含法定节假日"), does not say working days, so these are CALENDAR days counted by the general rule for
periods (民法典 第二百零一条: the start day is not counted, the period begins the next day;
第二百零三条: when the last day is a statutory holiday, the period ends on the day after the holiday).
"Holiday" is read from luoshi.workcal's calendar (official 放假 notices and local days), so a limit that
would end on 国庆 rolls to the first working day after it; 调休 working Saturdays count as working days.
Some provinces' own 信访条例 count working days; set `day_kind` to "working" for that.

Configuration: settings.LUOSHI_PETITIONS (a dict, all keys optional) with the keys above plus
`day_kind` ("calendar" or "working"), `warn_days` (days before a limit that light blue, 3) and
`similarity` (rapidfuzz score 0-100 above which the same petitioner's matter is a repeat, 70).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings as dj_settings

DEFAULTS = {
    "accept_days": 15, "handle_days": 60, "extension_max": 30,
    "review_request_days": 30, "review_days": 30, "recheck_request_days": 30, "recheck_days": 30,
    "backlog_repeats": 3, "day_kind": "calendar", "warn_days": 3, "similarity": 70,
}


def config(overrides: dict | None = None) -> dict:
    cfg = dict(DEFAULTS)
    cfg.update(getattr(dj_settings, "LUOSHI_PETITIONS", {}) or {})
    cfg.update(overrides or {})
    if cfg["day_kind"] not in ("calendar", "working"):
        raise ValueError("LUOSHI_PETITIONS['day_kind'] must be 'calendar' or 'working'")
    return cfg


def _calendar(calendar):
    if calendar is not None:
        return calendar
    from luoshi.workcal.services import current_calendar

    return current_calendar()


def limit_end(start: dt.date, days: int, *, calendar=None, cfg: dict | None = None) -> dt.date:
    """The last day of a period of `days` 日 beginning the day after `start`.

    calendar days (default): start + days, moved forward past rest days/holidays when it falls on one
    (民法典 第二百零一条、第二百零三条); working days: the `days`-th working day after `start`.
    """
    cfg = cfg or config()
    cal = _calendar(calendar)
    if cfg["day_kind"] == "working":
        return cal.add_working_days(start, days)
    end = start + dt.timedelta(days=days)
    guard = 0
    while not cal.is_workday(end) and guard < 30:
        end += dt.timedelta(days=1)
        guard += 1
    return end


def days_left(on: dt.date, deadline: dt.date, *, calendar=None, cfg: dict | None = None) -> int:
    """Days from `on` to `deadline` in the configured kind of day (negative when past)."""
    cfg = cfg or config()
    if cfg["day_kind"] == "working":
        cal = _calendar(calendar)
        return cal.working_days_between(on, deadline) if deadline >= on else -cal.working_days_between(deadline, on)
    return (deadline - on).days

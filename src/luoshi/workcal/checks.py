"""The work calendar's section of `luoshi check` (registered in WorkcalConfig.ready)."""
from __future__ import annotations


def calendar_report(out, warnings, db_ok):
    """Which years' holidays are known; a warning when this year's schedule is not."""
    from django.utils import timezone

    from luoshi.workcal.calendar import _package_years
    from luoshi.workcal.models import HolidayNotice

    lo, hi = _package_years()
    loaded = sorted(HolidayNotice.objects.values_list("year", flat=True)) if db_ok else []
    out(f"  calendar years:  {lo}–{hi} (chinese-calendar package)"
        + (f"; loaded notices: {', '.join(map(str, loaded))}" if loaded else ""))
    known = set(range(lo, hi + 1)) | set(loaded)
    year = timezone.localdate().year
    if year not in known:
        warnings.append(f"the official holiday schedule of {year} is not known: working-day deadlines are "
                        f"provisional (`luoshi calendar load FILE --year {year} --title ...`)")
    elif year + 1 not in known:
        out(f"  note: {year + 1} holidays not loaded yet; deadlines in {year + 1} are provisional")

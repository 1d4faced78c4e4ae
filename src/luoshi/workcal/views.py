"""工作日历 page: see a year's holidays and make-up working days; 管理员 loads a
holiday notice for a new year and declares local days."""
from __future__ import annotations

import datetime as dt
import os
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from luoshi.core.params import get_year

from .calendar import _package_years
from .models import CalendarDay, HolidayNotice
from .services import CalendarImportError, current_calendar, do_load_holiday_notice, do_set_local_day, \
    read_notice_file


class NoticeForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年份", "invalid": "年份应为整数(如 2026)",
                                              "min_value": "年份不能早于2000年", "max_value": "年份不能晚于2100年"})
    title = forms.CharField(label="通知名称", max_length=200)
    table = forms.FileField(label="节假日安排表(CSV或Excel:日期, 放假/上班, 说明)")


class LocalDayForm(forms.Form):
    date = forms.DateField(label="日期", input_formats=["%Y-%m-%d"],
                           widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": "日期无效,请按“年-月-日”填写"})
    status = forms.ChoiceField(label="调整为", choices=[("off", "放假"), ("work", "上班")])
    name = forms.CharField(label="说明", max_length=100, required=False)


def _year_rows(year: int):
    cal = current_calendar()
    day = dt.date(year, 1, 1)
    rows = []
    while day.year == year:
        info = cal.day(day)
        weekend = day.weekday() >= 5
        if info.is_workday == weekend or info.name or day in cal.local:
            rows.append({"date": day, "is_workday": info.is_workday, "name": info.name or "",
                         "local": day in cal.local, "weekday": "一二三四五六日"[day.weekday()]})
        day += dt.timedelta(days=1)
    return rows, cal.is_year_known(year), cal.holiday_periods(year)


@login_required
def calendar_page(request):
    today = dt.date.today()
    year = get_year(request.GET, default=today.year)
    can_edit = request.user.is_luoshi_admin
    notice_form, day_form = NoticeForm(prefix="n"), LocalDayForm(prefix="d")
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", {"message": "只有管理员可以调整工作日历。"}, status=403)
        if "load_notice" in request.POST:
            notice_form = NoticeForm(request.POST, request.FILES, prefix="n")
            if not notice_form.is_valid():
                status = 400
            else:
                upload = notice_form.cleaned_data["table"]
                suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
                fd, path = tempfile.mkstemp(suffix=suffix)
                try:
                    with os.fdopen(fd, "wb") as fh:
                        for chunk in upload.chunks():
                            fh.write(chunk)
                    days = read_notice_file(path)
                    do_load_holiday_notice(request.user, notice_form.cleaned_data["year"],
                                           notice_form.cleaned_data["title"], days)
                except CalendarImportError as exc:  # nothing written: the form again with the reason
                    notice_form.add_error(None, exc.message_zh)
                    status = 400
                else:
                    messages.success(request, f"已导入{notice_form.cleaned_data['year']}年节假日安排,共{len(days)}天。")
                    return redirect(f"{request.path}?year={notice_form.cleaned_data['year']}")
                finally:
                    os.unlink(path)
        elif "set_day" in request.POST:
            day_form = LocalDayForm(request.POST, prefix="d")
            status = 200 if day_form.is_valid() else 400
            if day_form.is_valid():
                d = day_form.cleaned_data
                do_set_local_day(request.user, d["date"], d["status"] == "work", d["name"])
                messages.success(request, f"已将{d['date']}调整为{'上班' if d['status'] == 'work' else '放假'}。")
                return redirect(f"{request.path}?year={d['date'].year}")
    rows, known, periods = _year_rows(year)
    lo, hi = _package_years()
    return render(request, "workcal/calendar.html", {
        "year": year, "rows": rows, "known": known, "periods": periods, "package_years": (lo, hi),
        "notices": HolidayNotice.objects.all(), "can_edit": can_edit,
        "notice_form": notice_form, "day_form": day_form,
        "local_count": CalendarDay.objects.filter(source=CalendarDay.Source.LOCAL, date__year=year).count(),
    }, status=status)

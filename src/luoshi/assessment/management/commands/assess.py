"""`luoshi assess …`: assessment plans and scores (绩效考核).

  luoshi assess plans [--json]                         list plans: code, name, period, group
  luoshi assess score CODE [--period P] [--live] [--as-of D] [--json]
        the published (frozen) result of the plan/period when there is one, else a live computation;
        --live always recomputes from the current data
  luoshi assess run CODE [--period P] [--as-of D]      compute and store a draft run (as the first admin)
  luoshi assess publish RUN_ID                         publish a draft run
  luoshi assess methods                                the registered scoring methods
  luoshi assess import-windows FILE.csv|.xlsx --centre NAME   import 政务服务 window records (all or nothing)
  luoshi assess cards [--json]                         电子监察: raise yellow/red cards for items past their time
"""
from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError

from luoshi.core.management.base import LuoshiCommand


class Command(LuoshiCommand):
    help = "Assessment plans and scores (绩效考核)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("plans")
        p.add_argument("--json", action="store_true")
        s = sub.add_parser("score")
        s.add_argument("code")
        s.add_argument("--period")
        s.add_argument("--as-of", dest="as_of")
        s.add_argument("--live", action="store_true")
        s.add_argument("--json", action="store_true")
        r = sub.add_parser("run")
        r.add_argument("code")
        r.add_argument("--period")
        r.add_argument("--as-of", dest="as_of")
        r.add_argument("--user", help="acting office user (default: the first active 管理员)")
        pub = sub.add_parser("publish")
        pub.add_argument("run_id", type=int)
        pub.add_argument("--user")
        sub.add_parser("methods")
        iw = sub.add_parser("import-windows")
        iw.add_argument("file")
        iw.add_argument("--centre", required=True, help="the 政务服务中心 unit (any name or alias)")
        iw.add_argument("--user")
        cards = sub.add_parser("cards")
        cards.add_argument("--json", action="store_true")

    def _plan(self, code):
        from luoshi.assessment.models import Plan

        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            raise CommandError(f"no plan with code {code!r} (see `luoshi assess plans`)")
        return plan

    def _as_of(self, value):
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None

    def _actor(self, username):
        from django.db.models import Q

        from luoshi.accounts.models import Role, User

        qs = User.objects.filter(is_active=True)
        user = (qs.filter(username=username) if username else
                qs.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)).order_by("id")).first()
        if user is None or not user.sees_everything:
            raise CommandError("no active 督查员/管理员 user to act as (use --user)")
        return user

    def handle(self, *args, **o):
        from luoshi.assessment import scoring, services
        from luoshi.assessment.models import Group, Plan, ScoreRun
        from luoshi.assessment.sources import SOURCES

        w = self.stdout.write
        action = o["action"]
        if action == "plans":
            rows = [{"code": p.code, "name": p.name, "period": p.period, "group": p.group,
                     "group_zh": Group(p.group).label, "state": p.state}
                    for p in Plan.objects.order_by("-period", "group", "code")]
            if o["json"]:
                w(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    w(f"{r['code']}\t{r['period']}\t{r['group_zh']}\t{r['name']}")
            return
        if action == "methods":
            for s in sorted(SOURCES.values(), key=lambda s: s.code):
                w(f"{s.code}\t{s.kind}\t{s.label_zh}")
            return
        if action == "score":
            plan = self._plan(o["code"])
            run = None if o["live"] or o["as_of"] else services.published_run(plan, o["period"])
            data = services.run_json(run) if run else scoring.computed_json(
                scoring.compute(plan, o["period"], self._as_of(o["as_of"])))
            if o["json"]:
                w(json.dumps(data, ensure_ascii=False, indent=1))
                return
            state = f"已发布(结果#{data['run']},已冻结)" if data["published"] else f"实时计算(数据截至{data['as_of']})"
            w(f"{plan.code} {plan.name} {data['period']} {state}")
            for u in data["units"]:
                w(f"{u['rank']:>4}  {u['total']:>7.2f}  {u['grade']}  {u['unit']}" + ("  [一票否决]" if u["vetoed"] else ""))
            return
        if action == "run":
            plan = self._plan(o["code"])
            run = services.do_run_scores(self._actor(o["user"]), plan, o["period"], self._as_of(o["as_of"]))
            w(f"run {run.pk}: {plan.code} {run.period}, {run.units_count} units (draft; `luoshi assess publish {run.pk}`)")
            return
        if action == "import-windows":
            from pathlib import Path

            from luoshi.assessment.govservice import do_import_window_records
            from luoshi.orgs.services import match_units

            centre = match_units([o["centre"]]).get(o["centre"])
            if centre is None:
                raise CommandError(f"no unit named {o['centre']!r}")
            path = Path(o["file"])
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            res = do_import_window_records(self._actor(o["user"]), centre, path.name, path.read_bytes())
            w(f"{res['rows']} rows: {res['created']} new, {res['unchanged']} already imported")
            return
        if action == "cards":
            from luoshi.assessment.govservice import run_service_cards

            res = run_service_cards()
            w(json.dumps(res) if o["json"] else f"electronic supervision: {res['yellow']} yellow, {res['red']} red cards")
            return
        if action == "publish":
            run = ScoreRun.objects.filter(pk=o["run_id"]).first()
            if run is None:
                raise CommandError(f"no run {o['run_id']}")
            run = services.do_publish_run(self._actor(o["user"]), run)
            w(f"run {run.pk} published; appeals until {run.appeal_until}")

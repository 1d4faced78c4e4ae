"""Portal sections contributed by other apps once they are installed (典型问题通报 from accountability, (案件统计, 投诉举报 and 查询 from
cases). Each is a link in the menu and a tile on the home page."""
from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse


def links() -> list[dict]:
    out = []
    for app, url_name, label, note, section in (
            ("luoshi.accountability", "accountability-public:bulletins", "典型问题通报", "作风效能典型问题通报",
             "bulletins"),
            ("luoshi.cases", "public:cases", "12345案件统计", "按单位、按月公开按期处置率和满意率", "cases"),
            ("luoshi.cases", "public-report", "我要投诉举报", "在线提交诉求或效能投诉", "report"),
            ("luoshi.cases", "public-case", "办理进度查询", "凭受理编号和查询码查询", "lookup")):
        if not apps.is_installed(app):
            continue
        try:
            out.append({"url": reverse(url_name), "label": label, "note": note, "section": section})
        except NoReverseMatch:
            continue
    return out


def portal(request) -> dict:
    """Context processor: the contributed sections for every page under /public/ (whichever app
    renders it), so all portal pages share one menu."""
    if not request.path.startswith("/public/"):
        return {}
    return {"extra_links": links()}

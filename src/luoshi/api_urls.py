"""REST API routes (each app's api module holds its serializers and views) and
the API's error format.

Errors: a refused operation (LuoshiError) is HTTP 400
{"detail": English, "detail_zh": Chinese, "field": name or null}; NotAllowed is
403 with the same body; invalid input is 400 with the same body plus "errors"
(DRF's per-field messages); objects the user may not see are 404.
"""
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import exception_handler as drf_exception_handler

from luoshi.accountability import api as accountability_api
from luoshi.accountability import public_api as accountability_public_api
from luoshi.accounts import api as accounts_api
from luoshi.audit import api as audit_api
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.ledger import api as ledger_api
from luoshi.notifications import api as notifications_api
from luoshi.inspections import api as inspections_api
from luoshi.orgs import api as orgs_api
from luoshi.petitions import api as petitions_api
from luoshi.public import api as public_api
from luoshi.supervision import api as supervision_api


def _first_message(errors):
    """(field, message) of the first message in a DRF ValidationError detail."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            field, msg = _first_message(value)
            return (key if key != "non_field_errors" else field), msg
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return None, str(errors)


def exception_handler(exc, context):
    if isinstance(exc, LuoshiError):
        code = status.HTTP_403_FORBIDDEN if isinstance(exc, NotAllowed) else status.HTTP_400_BAD_REQUEST
        return Response({"detail": exc.message_en, "detail_zh": exc.message_zh, "field": exc.field}, status=code)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "the request body is too large", "detail_zh": "提交的内容过大,超出系统允许的上限",
                         "field": None}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        field, msg = _first_message(exc.detail)
        response.data = {"detail": f"{field}: {msg}" if field else msg, "detail_zh": "提交的数据有误,请检查后重试",
                         "field": field, "errors": exc.detail}
    elif response is not None and isinstance(response.data, dict) and "detail_zh" not in response.data:
        en, zh = _refusal_text(exc, response)
        response.data = {**response.data, "detail": en, "detail_zh": zh, "field": None}
    return response


# DRF's own refusals, in Chinese beside the English (and without naming models: Django's 404
# text "No Task matches the given query." says what exists).
_REFUSALS = [
    (exceptions.NotAuthenticated, "Authentication credentials were not provided.", "请先登录(或提供接口令牌)"),
    (exceptions.AuthenticationFailed, None, "身份验证失败:用户名、密码或令牌无效,或令牌已过期、已吊销"),
    (exceptions.PermissionDenied, None, "您无权执行此操作"),
    (exceptions.NotFound, "Not found.", "未找到该记录,或您无权查看"),
    (exceptions.MethodNotAllowed, None, "不支持该请求方法"),
    (exceptions.NotAcceptable, None, "不支持所请求的返回格式"),
    (exceptions.UnsupportedMediaType, None, "不支持该请求内容类型"),
    (exceptions.ParseError, None, "请求内容格式有误,无法解析"),
    (exceptions.Throttled, None, "请求过于频繁,请稍后再试"),
]


def _refusal_text(exc, response) -> tuple[str, str]:
    from django.http import Http404

    detail = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    for kind, en, zh in _REFUSALS:
        if isinstance(exc, kind):
            if isinstance(exc, exceptions.Throttled):
                zh = f"请求过于频繁,请{exc.wait and int(exc.wait + 0.999) or 1}秒后再试"
            return en or detail, zh
    return detail, "请求未能完成"


def _accountability_routes():
    router = SimpleRouter()
    router.register("proposals", accountability_api.ProposalViewSet, basename="accountability-proposal")
    return router.urls


def _routes():
    router = SimpleRouter()
    router.register("units", orgs_api.UnitViewSet, basename="unit")
    router.register("sources", ledger_api.SourceViewSet, basename="source")
    router.register("tasks", ledger_api.TaskViewSet, basename="task")
    router.register("extensions", ledger_api.ExtensionViewSet, basename="extension")
    router.register("audit", audit_api.AuditEntryViewSet, basename="audit")
    router.register("notices", supervision_api.NoticeViewSet, basename="notice")
    router.register("lights", supervision_api.LightViewSet, basename="light")
    router.register("inbox", notifications_api.InboxViewSet, basename="inbox")
    router.register("rectifications", supervision_api.RectificationViewSet, basename="rectification")
    router.register("petitions", petitions_api.PetitionViewSet, basename="petition")
    router.register("inspections/plans", inspections_api.PlanViewSet, basename="inspection-plan")
    router.register("inspections/findings", inspections_api.FindingViewSet, basename="inspection-finding")
    return [
        path("auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
        path("users/me/", accounts_api.MeView.as_view(), name="api-me"),
        path("ledger.xlsx", ledger_api.LedgerExportView.as_view(), name="api-ledger-xlsx"),
        path("stats/units/", supervision_api.UnitStatsView.as_view(), name="api-stats-units"),
        path("listed-items/", supervision_api.ListedItemsView.as_view(), name="api-listed-items"),
        path("assessment/", include("luoshi.assessment.api_urls")),
        path("cases/", include("luoshi.cases.api")),
        path("", include(router.urls)),
        path("accountability/", include(_accountability_routes())),
        path("public/listed/", public_api.ListedView.as_view(), name="api-public-listed"),
        path("public/tasks/", public_api.TasksView.as_view(), name="api-public-tasks"),
        path("public/tasks/<int:pk>/", public_api.TaskView.as_view(), name="api-public-task"),
        path("public/bulletins/", accountability_public_api.BulletinsView.as_view(), name="api-public-bulletins"),
        path("public/assessment/", public_api.AssessmentView.as_view(), name="api-public-assessment"),
        path("public/cases/", public_api.CasesView.as_view(), name="api-public-cases"),
    ]


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI / ReDoc from drf-spectacular-sidecar (never a CDN); logged-in users only.
    path("docs/", login_required(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")), name="api-docs"),
    # ReDoc injects its own <style> elements and runs a search worker from a blob: URL.
    path("redoc/", login_required(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"))), name="api-redoc"),
    *_routes(),
]

from django.utils import translation


class InterfaceLanguageMiddleware:
    """The web UI speaks Chinese; the API speaks English (its bodies carry detail_zh too).

    Chosen by path rather than Accept-Language so a browser's settings cannot
    turn the UI English or the API Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = "en" if request.path_info.startswith("/api/") else "zh-hans"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Generated documents: never kept by a browser or proxy cache.
DOCUMENT_TYPES = (
    "application/vnd.openxmlformats-officedocument",  # .xlsx, .docx
    "application/pdf",
    "application/vnd.ms-excel",
    "application/msword",
    "text/csv",
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on everything a
    logged-in user sees, on the whole API and on every generated document (xlsx/docx/pdf/csv),
    so a shared computer's browser cache or a proxy never keeps ledger data."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.permissions_policy = getattr(settings, "LUOSHI_PERMISSIONS_POLICY", "")
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        path = request.path_info
        if path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        content_type = response.headers.get("Content-Type", "")
        if (path.startswith("/api/") or (user is not None and user.is_authenticated)
                or content_type.startswith(DOCUMENT_TYPES)
                or response.headers.get("Content-Disposition", "").startswith("attachment")):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


class BadRequestMiddleware:
    """Bad parameters and oversize bodies are the client's fault: a clear 4xx, never a 500.

    * a `LuoshiError` escaping a view (e.g. `luoshi.core.params.BadParameter`) → 400
      (403 for NotAllowed) with the Chinese message on a page, or the API's JSON error
      ``{"detail", "detail_zh", "field"}`` under /api/;
    * a request body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig) → 413, JSON under /api/.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path_info.startswith("/api/"):
            # require_POST answers a typed-in or bookmarked action address with an empty 405: say why
            page = error_response(request, 405, "method not allowed",
                                  "此地址只接受页面上的按钮或表单提交,不能直接打开。请返回上一页操作。", None)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request, exc):
        from django.core.exceptions import RequestDataTooBig

        from .errors import LuoshiError, NotAllowed

        if isinstance(exc, RequestDataTooBig):
            return error_response(request, 413, "the request body is too large",
                                  "提交的内容过大,超出系统允许的上限", None)
        if isinstance(exc, LuoshiError):
            return error_response(request, 403 if isinstance(exc, NotAllowed) else 400,
                                  exc.message_en, exc.message_zh, exc.field)
        return None


def error_response(request, status: int, detail: str, detail_zh: str, field):
    """The error answer for `request`: the API's JSON body under /api/, else a Chinese page."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": detail, "detail_zh": detail_zh, "field": field}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "core/bad_request.html", {"message": detail_zh, "status": status}, status=status)

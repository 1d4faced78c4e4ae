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

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

"""Pages every app shares: login, the home redirect, the refusal page."""
from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render


def forbidden(request, message="您无权访问此页面。"):
    """The 403 page with a Chinese reason."""
    return render(request, "403.html", {"message": message}, status=403)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误,请重新输入。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for f in self.fields.values():
            f.error_messages["required"] = "此项为必填项"

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):  # set by django-axes on lockout
                from luoshi.core.lockout import locked_message_zh

                raise forms.ValidationError(locked_message_zh(), code="locked") from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


# role -> URL name of that role's start page; apps add theirs in AppConfig.ready()
# (e.g. the cases app: register_home("operator", "cases:index")).
HOME_BY_ROLE: dict[str, str] = {}
DEFAULT_HOME = "ledger"


def register_home(role: str, url_name: str) -> None:
    """Make `url_name` the page a user of `role` lands on after login."""
    HOME_BY_ROLE[role] = url_name


@login_required
def home(request):
    """Send the user to their role's start page (单位联络员: 本单位工作台; others: 台账)."""
    return redirect(HOME_BY_ROLE.get(request.user.role, DEFAULT_HOME))


def not_found(request, exception=None):
    """404: the API's JSON refusal under /api/ (an address no route matches answered an HTML page),
    else the Chinese page."""
    from django.http import JsonResponse

    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "detail_zh": "未找到该记录,或您无权查看", "field": None},
                            status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", status=404)

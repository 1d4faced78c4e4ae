from django.apps import AppConfig

# Third-party apps and models shown in the admin, named in Chinese (the UI speaks Chinese everywhere).
_APP_NAMES = {"django_tasks": "后台任务", "django_tasks_database": "后台任务记录", "rest_framework": "接口框架",
              "drf_spectacular": "接口文档", "captcha": "验证码", "authtoken": "API令牌", "auth": "认证和授权",
              "axes": "登录保护", "django_rq": "任务队列", "contenttypes": "内容类型", "sessions": "会话"}
_MODEL_NAMES = {"django_tasks_database.dbtaskresult": ("后台任务结果", "后台任务结果"),
                "captcha.captchastore": ("验证码", "验证码"), "auth.group": ("用户组", "用户组"),
                "auth.permission": ("权限", "权限"), "authtoken.token": ("API令牌", "API令牌"),
                "authtoken.tokenproxy": ("API令牌", "API令牌"), "sessions.session": ("会话", "会话"),
                "contenttypes.contenttype": ("内容类型", "内容类型"),
                "axes.accessattempt": ("登录失败记录", "登录失败记录"), "axes.accesslog": ("登录日志", "登录日志"),
                "axes.accessfailurelog": ("登录失败日志", "登录失败日志")}

# Their fields as column headers and filters (django-axes ships English verbose names).
_AXES_FIELDS = {"user_agent": "浏览器标识", "ip_address": "IP地址", "username": "用户名", "http_accept": "HTTP Accept头",
                "path_info": "访问路径", "attempt_time": "尝试时间", "get_data": "GET数据", "post_data": "POST数据",
                "failures_since_start": "失败次数", "logout_time": "退出时间", "session_hash": "会话标识(哈希)",
                "locked_out": "是否锁定"}
_FIELD_NAMES = {f"axes.{m}": _AXES_FIELDS for m in ("accessattempt", "accesslog", "accessfailurelog")}


def _meta(apps, label: str):
    """The _meta of model `label` ("app_label.model"), None when that app is not installed."""
    app_label, _, model = label.partition(".")
    try:
        return apps.get_model(app_label, model)._meta
    except LookupError:
        return None


class CoreConfig(AppConfig):
    name = "luoshi.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from django.apps import apps

        for label, name in _APP_NAMES.items():
            if apps.is_installed(label) or label in apps.app_configs:
                apps.app_configs[label].verbose_name = name
        for label, (one, many) in _MODEL_NAMES.items():
            meta = _meta(apps, label)
            if meta is not None:
                meta.verbose_name, meta.verbose_name_plural = one, many
        for label, names in _FIELD_NAMES.items():
            meta = _meta(apps, label)
            for field in meta.get_fields() if meta is not None else ():
                if field.name in names:
                    field.verbose_name = names[field.name]

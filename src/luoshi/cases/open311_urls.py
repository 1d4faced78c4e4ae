from django.urls import path, re_path

from . import open311 as v

urlpatterns = [
    re_path(r"^services\.(?P<fmt>\w+)$", v.services, name="open311-services"),
    re_path(r"^services/(?P<code>[\w\-]+)\.(?P<fmt>\w+)$", v.service_definition, name="open311-service"),
    re_path(r"^requests\.(?P<fmt>\w+)$", v.requests_view, name="open311-requests"),
    re_path(r"^requests/(?P<rid>[\w\-]+)\.(?P<fmt>\w+)$", v.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[\w\-]+)\.(?P<fmt>\w+)$", v.token_detail, name="open311-token"),
]

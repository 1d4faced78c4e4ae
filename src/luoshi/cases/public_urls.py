"""Citizen pages (no login). Included by the root URLconf under /public/ (the luoshi.public
portal can include this module the same way)."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("report/", views.public_report, name="public-report"),
    path("case/", views.public_case, name="public-case"),
    path("captcha/", include("captcha.urls")),
]

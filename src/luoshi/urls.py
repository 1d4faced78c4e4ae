from django.contrib import admin
from django.urls import include, path

from luoshi.orgs.admin import autocomplete_unit_fields

admin.site.site_header = "落实 · 督查督办平台 管理后台"
admin.site.site_title = "落实管理后台"
autocomplete_unit_fields(admin.site)  # unit fields search names, short names, aliases (no 5,000-unit drop-down)

handler404 = "luoshi.core.views.not_found"  # JSON under /api/, the Chinese page elsewhere

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("luoshi.api_urls")),
    path("supervision/", include("luoshi.notifications.urls")),  # the inbox: /supervision/inbox/
    path("supervision/", include("luoshi.supervision.urls")),
    path("review/", include("luoshi.review.urls")),
    path("petitions/", include("luoshi.petitions.urls")),
    path("inspections/", include("luoshi.inspections.urls")),
    path("calendar/", include("luoshi.workcal.urls")),
    path("assessment/", include("luoshi.assessment.urls")),
    path("public/survey/", include("luoshi.assessment.public_urls")),
    path("cases/", include("luoshi.cases.urls")),
    path("public/", include("luoshi.cases.public_urls")),
    path("open311/v2/", include("luoshi.cases.open311_urls")),
    path("accountability/", include("luoshi.accountability.urls")),
    path("public/bulletins/", include("luoshi.accountability.public_urls")),
    path("public/", include("luoshi.public.urls")),
    path("", include("luoshi.core.urls")),
    path("", include("luoshi.audit.urls")),
    path("", include("luoshi.ledger.urls")),
]

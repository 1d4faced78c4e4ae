from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("findings/", views.findings, name="findings"),
    path("findings.xlsx", views.export, name="export"),
    path("checklists/", views.checklists, name="checklists"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/record/", views.record_visit, name="record"),
    path("plans/<int:pk>/publish/", views.publish, name="publish"),
    path("plans/<int:pk>/bulletin.<slug:fmt>", views.bulletin, name="bulletin"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]

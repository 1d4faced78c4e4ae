from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf_view, name="notice-pdf"),
    path("notices/<int:pk>/docx/", views.notice_docx_view, name="notice-docx"),
    path("notices/<int:pk>/do/<slug:action>/", views.notice_action, name="notice-action"),
    path("tasks/<int:task_pk>/notice/", views.issue_notice, name="issue"),
    path("lights/", views.lights, name="lights"),
    path("listed/", views.listed, name="listed"),
    path("workspace/", views.workspace, name="workspace"),
    path("rectifications/<int:pk>/do/<slug:action>/", views.rectification_action, name="rectification-action"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics, name="statistics"),
]

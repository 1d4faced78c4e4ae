from django.urls import path

from . import views

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger-export"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/subtasks/new/", views.subtask_new, name="subtask-new"),
    path("tasks/<int:pk>/do/<slug:action>/", views.task_action, name="task-action"),
    path("reports/<int:pk>/attachment/", views.report_attachment, name="report-attachment"),
    path("sources/", views.source_list, name="sources"),
    path("sources/new/", views.source_new, name="source-new"),
    path("sources/<int:pk>/attachment/", views.source_attachment, name="source-attachment"),
    path("workspace/", views.workspace, name="workspace"),
]

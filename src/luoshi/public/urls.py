from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("listed/", views.listed, name="listed"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("cases/", views.cases, name="cases"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/", views.assessment_run, name="assessment-run"),
]

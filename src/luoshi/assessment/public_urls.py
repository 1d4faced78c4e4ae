"""Citizen pages of assessment (no login): /public/survey/<token>/ — 群众评议."""
from django.urls import path

from . import views

app_name = "assessment-public"

urlpatterns = [
    path("<str:token>/", views.survey_public, name="survey"),
]

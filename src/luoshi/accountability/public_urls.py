"""Citizen pages of accountability (no login): /public/bulletins/ — published 典型问题通报, masked."""
from django.urls import path

from . import public_views as views

app_name = "accountability-public"

urlpatterns = [
    path("", views.bulletins, name="bulletins"),
    path("<int:pk>/", views.bulletin, name="bulletin"),
    path("<int:pk>/document.pdf", views.bulletin_pdf, name="bulletin-pdf"),
]

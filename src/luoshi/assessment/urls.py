from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("figures/<int:pk>/", views.figure, name="figure"),
]

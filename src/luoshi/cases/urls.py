from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("hotline/", views.hotline, name="hotline"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("stats/", views.stats_page, name="stats"),
    path("photos/<int:pk>/<str:variant>/", views.photo, name="photo"),
]

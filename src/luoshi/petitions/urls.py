from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.register, name="register"),
    path("hotline/", views.hotline, name="hotline"),
    path("backlog/", views.backlog, name="backlog"),
    path("statistics/", views.statistics, name="statistics"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.action, name="action"),
    path("<int:pk>/doc/<slug:kind>.<slug:fmt>", views.document, name="document"),
]

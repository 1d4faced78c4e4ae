from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.draft_page, name="draft"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/file/", views.original_file, name="file"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export"),
]

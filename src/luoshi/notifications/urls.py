"""Inbox pages; mounted under /supervision/ where they have always been (/supervision/inbox/)."""
from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox-read"),
]

"""Headers on every kind of response: Permissions-Policy everywhere; `Cache-Control: no-store` on
logged-in pages, the whole API and generated documents (xlsx/docx/pdf); static files stay cacheable."""
from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from luoshi.ledger.services import do_sign_task


@pytest.fixture
def sup(users):
    c = Client()
    c.force_login(users["supervisor"])
    return c


def _assert_no_store(response, what):
    assert response["Cache-Control"] == "no-store", (what, response.headers)
    assert "camera=()" in response["Permissions-Policy"], what


def test_logged_in_pages_are_not_stored(sup, make_task, users):
    task = make_task()
    for url in ("/ledger/", f"/tasks/{task.pk}/", "/audit/", "/supervision/dashboard/", "/calendar/"):
        r = sup.get(url)
        assert r.status_code == 200, url
        _assert_no_store(r, url)
        assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"


def test_the_api_is_not_stored(users, make_task):
    make_task()
    anon = APIClient().get("/api/tasks/")
    assert anon.status_code == 401
    _assert_no_store(anon, "anonymous api")
    c = APIClient()
    c.force_authenticate(users["supervisor"])
    for url in ("/api/tasks/", "/api/users/me/", "/api/units/"):
        r = c.get(url)
        assert r.status_code == 200
        _assert_no_store(r, url)
    token = APIClient().post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")
    _assert_no_store(token, "token endpoint")


def test_generated_documents_are_not_stored(sup, make_task, users):
    task = make_task()
    do_sign_task(users["fgw"], task)
    docs = {
        "/ledger/export.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "/api/ledger.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "/supervision/statistics/?start=2025-03-01&end=2025-03-31&format=docx":
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "/supervision/statistics/?start=2025-03-01&end=2025-03-31&format=pdf": "application/pdf",
    }
    for url, content_type in docs.items():
        r = sup.get(url)
        assert r.status_code == 200, url
        assert r["Content-Type"].startswith(content_type), (url, r["Content-Type"])
        _assert_no_store(r, url)


def test_anonymous_login_page_and_static_files(db):
    c = Client()
    login = c.get("/accounts/login/")
    assert login.status_code == 200
    assert "microphone=()" in login["Permissions-Policy"]
    static = c.get("/static/admin/css/base.css")
    assert static.status_code == 200
    assert static.get("Cache-Control", "") != "no-store"

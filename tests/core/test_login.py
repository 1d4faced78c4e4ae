"""Login, logout and the role-based home redirect."""
from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_page_is_chinese(db):
    r = Client().get("/accounts/login/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "用户登录" in body and "用户名" in body and "密码" in body


def test_pages_require_login(db):
    c = Client()
    for url in ("/", "/ledger/", "/workspace/", "/tasks/new/", "/audit/", "/sources/", "/ledger/export.xlsx"):
        r = c.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith(reverse("login")), url


def test_wrong_password_shows_chinese_error(users):
    c = Client()
    r = c.post("/accounts/login/", {"username": "fgw_liaison", "password": "wrong-password"})
    assert r.status_code == 200
    assert "用户名或密码错误" in r.content.decode()
    assert "_auth_user_id" not in c.session
    assert c.get("/ledger/").status_code == 302


def test_liaison_lands_on_workspace(users):
    c = Client()
    r = c.post("/accounts/login/", {"username": "fgw_liaison", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("home")
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == reverse("workspace")
    page = c.get("/workspace/").content.decode()
    assert "李联络" in page and "市发展和改革委员会" in page and "单位联络员" in page


def test_supervisor_and_leader_land_on_ledger(users):
    for username in ("duchayuan", "leader", "admin"):
        c = Client()
        assert c.login(username=username, password=PASSWORD)
        r = c.get("/")
        assert r.status_code == 302 and r["Location"] == reverse("ledger"), username


def test_header_shows_name_unit_role_and_nav_by_role(client_for):
    sup = client_for("supervisor").get("/ledger/").content.decode()
    assert "张督查" in sup and "市人民政府督查室" in sup and "督查员" in sup
    assert 'href="/tasks/new/"' in sup and 'href="/audit/"' in sup
    liaison = client_for("fgw").get("/ledger/").content.decode()
    assert 'href="/workspace/"' in liaison
    assert 'href="/tasks/new/"' not in liaison and 'href="/audit/"' not in liaison


def test_logout_requires_post_and_ends_session(users):
    c = Client()
    assert c.login(username="fgw_liaison", password=PASSWORD)
    r = c.post("/accounts/logout/")
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert c.get("/ledger/").status_code == 302

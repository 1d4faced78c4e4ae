"""Token auth: POST /api/auth/token/ with username + password, then `Authorization: Token …`;
session auth (the web login) works too, with CSRF protection on writes."""
import pytest
from rest_framework.test import APIClient

from luoshi.accounts.models import ApiToken
from luoshi.accounts.tokens import digest

from luoshi.audit.models import AuditEntry

PW = "api-token-pw-42"


@pytest.fixture
def fgw(users):
    user = users["fgw"]
    user.set_password(PW)
    user.save()
    return user


def test_token_for_right_password_authenticates_requests(fgw):
    anon = APIClient()
    response = anon.post("/api/auth/token/", {"username": "fgw_liaison", "password": PW}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    token = response.json()["token"]
    assert ApiToken.objects.get(user=fgw).digest == digest(token)
    # A second request issues a second token; both work until they expire.
    again = anon.post("/api/auth/token/", {"username": "fgw_liaison", "password": PW})
    assert again.json()["token"] != token
    assert ApiToken.objects.filter(user=fgw).count() == 2

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/users/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "fgw_liaison"
    assert me.json()["role"] == "liaison"
    assert me.json()["unit"]["name"] == "市发展和改革委员会"
    assert client.get("/api/tasks/").status_code == 200


@pytest.mark.parametrize("username,password", [("fgw_liaison", "wrong-password"), ("nobody", PW), ("", "")])
def test_wrong_credentials_get_no_token(fgw, username, password):
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "token" not in body
    assert body["detail"] and body["detail_zh"]
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token_and_old_token_stops_working(fgw):
    token = APIClient().post("/api/auth/token/", {"username": "fgw_liaison", "password": PW}).json()["token"]
    fgw.is_active = False
    fgw.save()
    assert APIClient().post("/api/auth/token/", {"username": "fgw_liaison", "password": PW}).status_code == 400
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/tasks/").status_code == 401


def test_bad_token_is_401(fgw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/users/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_write_with_token_is_audited_as_the_token_user(users, units):
    sup = users["supervisor"]
    sup.set_password(PW)
    sup.save()
    token = APIClient().post("/api/auth/token/", {"username": "duchayuan", "password": PW}).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/tasks/", {"title": "令牌创建的任务", "lead_units": [units["fgw"].pk]}, format="json")
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="task.create", object_id=str(response.json()["id"]))
    assert entry.actor == sup
    assert entry.actor_name == "张督查"


def test_session_login_works_and_writes_need_csrf(fgw, users, units):
    users["supervisor"].set_password(PW)
    users["supervisor"].save()
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="duchayuan", password=PW)
    assert client.get("/api/users/me/").json()["username"] == "duchayuan"
    body = {"title": "会话创建的任务", "lead_units": [units["fgw"].pk]}
    refused = client.post("/api/tasks/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    # What a browser page does: send the csrftoken cookie back in the X-CSRFToken header.
    secret = "k" * 32
    client.cookies["csrftoken"] = secret
    ok = client.post("/api/tasks/", body, format="json", HTTP_X_CSRFTOKEN=secret)
    assert ok.status_code == 201

"""An anonymous client gets the token endpoint and nothing else (not even the schema or the docs)."""
import pytest
from rest_framework.test import APIClient

from luoshi.ledger.models import Task

ANYTHING_ELSE = [
    ("get", "/api/tasks/"), ("post", "/api/tasks/"), ("get", "/api/tasks/{id}/"), ("patch", "/api/tasks/{id}/"),
    ("delete", "/api/tasks/{id}/"), ("post", "/api/tasks/{id}/assign/"), ("post", "/api/tasks/{id}/sign/"),
    ("post", "/api/tasks/{id}/request-completion/"), ("post", "/api/tasks/{id}/start-review/"),
    ("post", "/api/tasks/{id}/approve/"), ("post", "/api/tasks/{id}/return/"), ("post", "/api/tasks/{id}/suspend/"),
    ("get", "/api/tasks/{id}/extensions/"), ("post", "/api/tasks/{id}/extensions/"),
    ("get", "/api/tasks/{id}/instructions/"), ("post", "/api/tasks/{id}/instructions/"),
    ("get", "/api/tasks/{id}/subtasks/"), ("post", "/api/tasks/{id}/subtasks/"),
    ("get", "/api/tasks/{id}/reports/"), ("post", "/api/tasks/{id}/reports/"), ("get", "/api/tasks/{id}/timeline/"),
    ("get", "/api/extensions/"), ("post", "/api/extensions/1/decide/"), ("get", "/api/units/"),
    ("post", "/api/units/"), ("get", "/api/units/{unit}/"), ("patch", "/api/units/{unit}/"),
    ("get", "/api/sources/"), ("post", "/api/sources/"), ("get", "/api/users/me/"), ("get", "/api/audit/"),
    ("get", "/api/audit/1/"), ("get", "/api/ledger.xlsx"),
]


@pytest.mark.parametrize("method,path", ANYTHING_ELSE)
def test_anonymous_gets_401(make_task, units, method, path):
    task = make_task()
    before = Task.objects.get(pk=task.pk).status
    response = getattr(APIClient(), method)(path.format(id=task.pk, unit=units["fgw"].pk), {}, format="json")
    assert response.status_code == 401
    assert "results" not in response.json()
    assert Task.objects.get(pk=task.pk).status == before


def test_anonymous_gets_no_schema(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 401
    assert "paths" not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/api/docs/?script="])
def test_anonymous_is_sent_to_login_from_the_docs(db, path):
    response = APIClient().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_may_ask_for_a_token(db):
    response = APIClient().post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert response.status_code == 400  # reachable, but wrong credentials

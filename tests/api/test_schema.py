"""The OpenAPI 3 schema generates and validates with no warnings or errors."""
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning (missing types, name clashes …) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3")
    for p in ("/api/tasks/{id}/reports/", "/api/extensions/{id}/decide/", "/api/ledger.xlsx", "/api/auth/token/"):
        assert f"  {p}:" in text


def test_every_list_is_paged(client_for):
    schema = client_for("fgw").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    lists = [(p, op) for p, item in schema["paths"].items() for m, op in item.items()
             if m == "get" and op["responses"]["200"].get("content", {}).get("application/json", {})
             .get("schema", {}).get("type") == "array"]
    assert lists == []  # any array response would be an unpaged list
    paged = [p for p, item in schema["paths"].items()
             if "get" in item and "Paginated" in str(item["get"]["responses"]["200"])]
    assert set(paged) >= {"/api/tasks/", "/api/units/", "/api/sources/", "/api/audit/", "/api/extensions/",
                          "/api/tasks/{id}/reports/", "/api/tasks/{id}/timeline/", "/api/tasks/{id}/subtasks/",
                          "/api/tasks/{id}/instructions/", "/api/tasks/{id}/extensions/"}

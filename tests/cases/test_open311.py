"""Open311 GeoReport v2 at /open311/v2/: the outside client `georeport` (PyPI) against a live
server in JSON and XML, POST with api_key, tokens, the spec's error format, key CLI."""
from __future__ import annotations

import io

import pytest
import requests
import xmltodict
from django.core.management import call_command
from georeport import GeoReport

from luoshi.cases.models import Case, Open311Key
from luoshi.cases.open311 import do_add_key


@pytest.fixture
def api_key(db):
    return do_add_key("test", "测试系统")[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_roundtrip(live_server, cats, routing, api_key, fmt):
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction="luoshi", api_key=api_key, output_format=fmt)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"CG-ROAD", "XN-SLOW"} <= codes
    definition = client.get_service_definition("XN-SLOW")
    attrs = definition["attributes"]
    if fmt == "xml":
        attrs = attrs["attribute"]
        attrs = attrs if isinstance(attrs, list) else [attrs]
    assert attrs[0]["code"] == "subject_unit"
    # The client has no POST; the spec's form-encoded POST with requests (the client's own dependency).
    r = requests.post(f"{root}/requests.{fmt}", data={
        "jurisdiction_id": "luoshi", "api_key": api_key, "service_code": "CG-ROAD", "lat": "30.05",
        "long": "118.05", "address_string": "甲区人民路8号", "description": "路面塌陷一米见方",
        "first_name": "三", "last_name": "张", "phone": "13700000000"}, timeout=10)
    assert r.status_code == 201, r.text
    created = r.json()[0] if fmt == "json" else xmltodict.parse(r.content)["service_requests"]["request"]
    rid, token = created["service_request_id"], created["token"]
    got = client.get_service_request(rid)
    assert got["service_request_id"] == rid and got["status"] == "open" and got["service_code"] == "CG-ROAD"
    assert "13700000000" not in str(got) and "张" not in str(got)      # no reporter data
    listed = client.get_service_requests(service_code="CG-ROAD", status="open")
    if fmt == "xml":
        listed = listed["service_requests"]["request"] if "service_requests" in listed else listed
        listed = listed if isinstance(listed, list) else [listed]
    assert rid in {x["service_request_id"] for x in listed}
    t = requests.get(f"{root}/tokens/{token}.{fmt}", timeout=10)
    assert t.status_code == 200 and rid in t.text
    assert Case.objects.get(number=rid).channel == "open311"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_in_spec_format(client, cats, api_key, fmt):
    def err(resp):
        if fmt == "json":
            e = resp.json()[0]
        else:
            e = xmltodict.parse(resp.content)["errors"]["error"]
        return int(e["code"]), e["description"]

    base = "/open311/v2"
    r = client.post(f"{base}/requests.{fmt}", {"service_code": "CG-ROAD", "lat": 30, "long": 118, "description": "x"})
    assert r.status_code == 403 and err(r)[0] == 403                     # missing api_key
    call_command("open311", "keys", "revoke", "测试系统", stdout=io.StringIO())
    r = client.post(f"{base}/requests.{fmt}", {"api_key": api_key, "service_code": "CG-ROAD", "lat": 30,
                                               "long": 118, "description": "x"})
    assert r.status_code == 403                                         # revoked
    key = do_add_key("test", "新系统")[1]
    cases = [
        ({"service_code": "NOPE", "lat": 30, "long": 118, "description": "x"}, 404),
        ({"service_code": "CG-ROAD", "description": "x"}, 400),                                  # no location
        ({"service_code": "CG-ROAD", "lat": 95, "long": 118, "description": "x"}, 400),         # out of range
        ({"service_code": "CG-ROAD", "lat": 30, "long": 118, "description": "<b>x</b>"}, 400),  # markup
        ({"service_code": "XN-SLOW", "address_string": "市民中心", "description": "推诿"}, 400),  # no subject
    ]
    for data, code in cases:
        r = client.post(f"{base}/requests.{fmt}", {"api_key": key, **data})
        assert r.status_code == code and err(r)[0] == code, (data, r.content)
    assert Case.objects.count() == 0                                    # nothing half-written
    assert client.get(f"{base}/requests/000.{fmt}").status_code == 404
    assert err(client.get(f"{base}/services.{fmt}?jurisdiction_id=other"))[0] == 404
    assert err(client.get(f"{base}/requests.{fmt}?start_date=yesterday"))[0] == 400
    assert client.get(f"{base}/services.yaml").status_code == 404


def test_complaints_are_not_public(client, new_case, api_key):
    case, _ = new_case(kind="complaint")
    assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 404
    assert case.number not in client.get("/open311/v2/requests.json").content.decode()


def test_keys_cli_prints_key_last_and_stores_hash(db):
    from luoshi.cli import _COMMANDS

    assert _COMMANDS["open311"] == "open311"        # `luoshi open311 …` runs this command
    out = io.StringIO()
    call_command("open311", "keys", "add", "数字城管系统", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("o311_") and len(key) > 30
    k = Open311Key.objects.get(name="数字城管系统")
    assert key not in (k.key_hash, k.prefix) and k.revoked_at is None
    call_command("open311", "keys", "revoke", "数字城管系统", stdout=io.StringIO())
    k.refresh_from_db()
    assert k.revoked_at is not None


def _post(client, key, code="CG-ROAD"):
    return client.post("/open311/v2/requests.json", {"api_key": key, "service_code": code, "lat": 30.05,
                                                     "long": 118.05, "description": "路灯不亮"})


def test_reference_changes_from_another_process_apply_on_the_next_request(client, cats, routing, api_key):
    """Keys and categories are read from a per-process copy (cases.refcache); a change made behind this
    process's back (a queryset update sends no signal, like a write by another worker or the CLI in
    another process) is seen on the very next request, because one fingerprint query checks the copy."""
    from django.utils import timezone

    from luoshi.cases.models import Category

    assert _post(client, api_key).status_code == 201                   # the copy is warm
    Open311Key.objects.filter(name="测试系统").update(revoked_at=timezone.now())
    assert _post(client, api_key).status_code == 403                   # revoked elsewhere: refused at once
    fresh = "o311_made_elsewhere_0123456789abcdef"
    from luoshi.cases.open311 import key_hash

    Open311Key.objects.bulk_create([Open311Key(name="另一系统", prefix=fresh[:10], key_hash=key_hash(fresh))])
    assert _post(client, fresh).status_code == 201                     # added elsewhere: works at once
    Category.objects.filter(code="CG-ROAD").update(is_active=False)
    r = _post(client, fresh)
    assert r.status_code == 404 and r.json()[0]["code"] == 404         # deactivated elsewhere
    Category.objects.filter(code="CG-ROAD").update(is_active=True)
    assert _post(client, fresh).status_code == 201
    road = Category.objects.get(code="CG-ROAD")
    Category.objects.filter(pk=road.pk).update(kind="complaint")       # now needs a subject unit
    assert _post(client, fresh).status_code == 400
    assert Case.objects.filter(channel="open311").count() == 3


def test_post_round_trips_and_audit_chain(client, cats, routing, api_key):
    """An Open311 POST costs few SQL statements (the budget is the measured path: fingerprint, [nextval,]
    INSERT case, [UPDATE number,] INSERT timeline event, lock chain head, append entry + move head) and
    every case is audited on an intact chain."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from luoshi.audit.models import AuditEntry
    from luoshi.audit.services import verify_chain

    _post(client, api_key)  # warm the per-process copies
    with CaptureQueriesContext(connection) as ctx:
        r = _post(client, api_key)
    assert r.status_code == 201
    statements = [q["sql"] for q in ctx.captured_queries
                  if q["sql"].split()[0].upper() not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]
    assert len(statements) <= (6 if connection.vendor == "postgresql" else 7), statements
    number = r.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert number == f"{timezone.localtime(case.created_at):%Y%m%d}{case.pk:07d}"  # 案件编号: date + id
    entry = AuditEntry.objects.filter(action="case.receive", object_id=str(case.pk)).get()
    assert entry.after["number"] == number and entry.actor_name == "Open311"
    assert case.events.filter(kind="receive").count() == 1
    assert verify_chain().ok


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_other_verbs_get_405_in_spec_format_not_a_csrf_page(db, cats, api_key, fmt):
    # An outside system has no CSRF cookie: a verb an endpoint does not take must be told so in the
    # spec's error format (not Django's HTML "403 CSRF verification failed"), and change nothing.
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    base = "/open311/v2"
    for method, url in [("delete", f"{base}/requests/1.{fmt}"), ("post", f"{base}/requests/1.{fmt}"),
                        ("post", f"{base}/services.{fmt}"), ("put", f"{base}/services/CG-ROAD.{fmt}"),
                        ("post", f"{base}/tokens/{'a' * 32}.{fmt}"), ("put", f"{base}/requests.{fmt}")]:
        r = getattr(c, method)(url, {"api_key": api_key, "service_code": "CG-ROAD", "lat": 30, "long": 118,
                                     "description": "x"})
        assert r.status_code == 405, (method, url, r.status_code)
        body = r.json()[0] if fmt == "json" else xmltodict.parse(r.content)["errors"]["error"]
        assert int(body["code"]) == 405 and "not allowed" in body["description"]
        assert "GET" in r["Allow"]
    assert Case.objects.count() == 0
    # POST stays open to an outside system without a CSRF token.
    r = c.post(f"{base}/requests.{fmt}", {"api_key": api_key, "service_code": "NOPE", "lat": 30, "long": 118,
                                          "description": "x"})
    assert r.status_code == 404
    assert c.get(f"{base}/tokens/{'a' * 32}.{fmt}?jurisdiction_id=other").status_code == 404


def test_a_control_character_is_refused_and_never_breaks_the_xml_feed(client, cats, routing, api_key, new_case):
    # One report with a control character (\x01, \x1b …: not allowed in XML 1.0 or .xlsx) must not take
    # the whole XML list down for every other system: refused at the door (400, nothing written) …
    for field in ("description", "address_string", "first_name"):
        data = {"api_key": api_key, "service_code": "CG-ROAD", "lat": 30.05, "long": 118.05,
                "description": "路面塌陷", "address_string": "甲区人民路8号", field: "路面\x01塌陷\x1b[31m"}
        r = client.post("/open311/v2/requests.json", data)
        assert r.status_code == 400 and "control characters" in r.json()[0]["description"], (field, r.content)
    assert Case.objects.count() == 0
    ok = client.post("/open311/v2/requests.json", {"api_key": api_key, "service_code": "CG-ROAD", "lat": 30.05,
                                                   "long": 118.05, "description": "第一行\n第二行\t缩进"})
    assert ok.status_code == 201                                        # newline and tab stay allowed
    # … and text stored before this rule (written past the services) is left out of the XML, not fatal.
    case, _ = new_case()
    Case.objects.filter(pk=case.pk).update(description="旧数据\x01\x0b控制字符")
    for url in ("/open311/v2/requests.xml", f"/open311/v2/requests/{case.number}.xml"):
        parsed = xmltodict.parse(client.get(url).content)["service_requests"]["request"]
        rows = parsed if isinstance(parsed, list) else [parsed]
        assert "旧数据控制字符" in {r["description"] for r in rows}


def test_errors_name_the_open311_parameter_once(client, cats, routing, api_key):
    # A GeoReport client sent first_name, phone, attribute[subject_unit]: the error names those, once.
    def desc(**data):
        r = client.post("/open311/v2/requests.json", {"api_key": api_key, "service_code": "CG-ROAD", "lat": 30.05,
                                                      "long": 118.05, "description": "路面塌陷", **data})
        assert r.status_code == 400, r.content
        return r.json()[0]["description"]

    assert desc(first_name="名" * 100) == "first_name/last_name is longer than 64 characters"
    assert desc(phone="1" * 40) == "phone is longer than 32 characters"
    assert desc(email="not-an-address") == "email is not an e-mail address"
    assert desc(lat=95) == "lat must be between -90 and 90"
    assert desc(description="") == "description is required"
    assert desc(service_code="XN-SLOW", **{"attribute[subject_unit]": "999999"}).startswith(
        "attribute[subject_unit]: unknown unit")
    assert desc(service_code="XN-SLOW").startswith("attribute[subject_unit]: ")
    assert Case.objects.count() == 0

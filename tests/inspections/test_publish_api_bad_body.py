"""POST /api/inspections/plans/{id}/publish/ with a body of the wrong shape: a 400, and the 暗访 stays unpublished.

A JSON list as the body, or a summary sent as an object, used to end in a 500 (AttributeError / a dict reaching
the text check) — for the office and for the plan's own inspector alike."""
import json

import pytest
from django.test import Client

from luoshi.inspections.models import Plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [[], "通报", {"summary": {"a": 1}}, {"summary": ["通报"]}, {"summary": 3}])
def test_publish_with_a_wrong_body_is_a_400_and_publishes_nothing(visited, secret_plan, users, body):
    c = Client()
    c.force_login(users["supervisor"])
    r = c.post(f"/api/inspections/plans/{secret_plan.pk}/publish/", data=json.dumps(body),
               content_type="application/json")
    assert r.status_code == 400, r.content[:300]
    assert r.json()["field"] == "summary" and r.json()["detail_zh"]
    assert not Plan.objects.get(pk=secret_plan.pk).published
    assert not users["fgw"].notifications.exists()


def test_publish_with_a_text_summary_still_works(visited, secret_plan, users):
    c = Client()
    c.force_login(users["supervisor"])
    r = c.post(f"/api/inspections/plans/{secret_plan.pk}/publish/", data=json.dumps({"summary": "通报如下"}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["published"] is True

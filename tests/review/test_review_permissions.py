"""Only 督查员 and 管理员 may use the import review screen; everybody else gets 403."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.core.errors import NotAllowed
from luoshi.ledger.models import Source, Task
from luoshi.review import services as svc
from luoshi.review.models import DraftStatus, ImportDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users, speech):
    return svc.do_create_draft(users["supervisor"], text=speech)


@pytest.mark.parametrize("who", ["fgw", "leader", "jia_leader"])
def test_other_roles_get_403_everywhere(client, users, draft, speech, who):
    client.force_login(users[who])
    for url in (reverse("review:index"), reverse("review:draft", args=[draft.pk]), reverse("review:file", args=[draft.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("review:upload"), {"text": speech}).status_code == 403
    assert client.post(reverse("review:upload"),
                       {"file": SimpleUploadedFile("a.txt", speech.encode())}).status_code == 403
    assert client.post(reverse("review:draft", args=[draft.pk]),
                       {"op": "accept", "src_title": "x", "t0-include": "1"}).status_code == 403
    assert client.post(reverse("review:discard", args=[draft.pk])).status_code == 403
    assert reverse("review:index") not in client.get(reverse("ledger")).content.decode()  # no menu entry
    assert ImportDraft.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT
    assert Source.objects.count() == 0 and Task.objects.count() == 0


def test_services_refuse_non_reviewers(users, draft, speech):
    with pytest.raises(NotAllowed):
        svc.do_create_draft(users["fgw"], text=speech)
    with pytest.raises(NotAllowed):
        svc.do_accept_draft(users["leader"], draft, 0, kind="speech", title="x")
    with pytest.raises(NotAllowed):
        svc.do_discard_draft(users["edu"], draft)


def test_anonymous_goes_to_login(client, draft):
    resp = client.get(reverse("review:draft", args=[draft.pk]))
    assert resp.status_code == 302 and reverse("login") in resp["Location"]


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisor_and_admin_may_use_it(client, users, draft, who):
    client.force_login(users[who])
    assert f'href="{reverse("review:index")}"' in client.get(reverse("ledger")).content.decode()  # menu entry
    assert client.get(reverse("review:index")).status_code == 200
    assert client.get(reverse("review:draft", args=[draft.pk])).status_code == 200
    resp = client.post(reverse("review:discard", args=[draft.pk]))
    assert resp.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DISCARDED

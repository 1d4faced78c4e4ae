"""The complainant's identity (name, phone, e-mail, address, photo EXIF) is never visible to the
unit complained about, its leaders or liaisons, nor to the responsible unit: pages, API, audit
page, search, photos. Checked on contents, per role."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from luoshi.cases import services as svc
from tests.conftest import PASSWORD

from .conftest import COMPLAINANT, jpeg_bytes

SECRETS = list(COMPLAINANT.values())


@pytest.fixture
def complaint(new_case, office, units):
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    case, _ = new_case(kind="complaint", description="市发改委窗口多次推诿,要求反复提交材料", photos=[photo])
    svc.do_dispatch_case(office["dispatcher"], case, unit=units["duchashi"])
    return case


def _login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _pages(c, case):
    urls = [f"/cases/", f"/cases/{case.pk}/", f"/cases/?q={COMPLAINANT['reporter_name']}", "/audit/",
            f"/cases/stats/"]
    return {u: c.get(u) for u in urls}


@pytest.mark.parametrize("who", ["fgw", "leader", "supervisor_in_fgw", "dispatcher_in_fgw"])
def test_subject_unit_and_leaders_never_see_the_complainant(complaint, users, units, who):
    from tests.conftest import make_user

    user = {"fgw": users["fgw"], "leader": users["leader"],
            "supervisor_in_fgw": make_user("fgw_sup", "supervisor", units["fgw"]),
            "dispatcher_in_fgw": make_user("fgw_disp", "dispatcher", units["fgw"])}[who]
    c = _login(user)
    for url, r in _pages(c, complaint).items():
        body = r.content.decode()
        if "?q=" in url:  # the search box echoes what was typed; the results must not match it
            body = body.replace(f'value="{COMPLAINANT["reporter_name"]}"', "")
            assert complaint.number not in body
        for s in SECRETS:
            assert s not in body, (who, url, s)
    api = APIClient()
    api.force_authenticate(user)
    for url in ["/api/cases/", f"/api/cases/{complaint.pk}/", f"/api/audit/",
                f"/api/cases/?q={COMPLAINANT['reporter_phone']}"]:
        body = api.get(url).content.decode()
        for s in SECRETS:
            assert s not in body, (who, url, s)
    detail = api.get(f"/api/cases/{complaint.pk}/")
    if detail.status_code == 200:
        assert detail.json()["reporter"]["name"] == "(已隐去)"
        assert all("original_url" not in p and "exif" not in p for p in detail.json()["photos"])
        photo = complaint.photos.get()
        assert c.get(f"/cases/photos/{photo.pk}/original/").status_code == 404
        public = c.get(f"/cases/photos/{photo.pk}/public/")
        assert public.status_code == 200
        img_bytes = b"".join(public.streaming_content)
        assert b"Exif" not in img_bytes and b"PhoneMaker" not in img_bytes


def test_responsible_unit_does_not_see_identity(new_case, office, users, units):
    case, _ = new_case(**COMPLAINANT)
    svc.do_dispatch_case(office["dispatcher"], case, unit=units["dong"])
    for user in (users["dong"], users["jia_leader"]):
        body = _login(user).get(f"/cases/{case.pk}/").content.decode()
        assert case.number in body
        for s in SECRETS:
            assert s not in body


def test_office_sees_identity_and_exif(complaint, office, users):
    c = _login(office["dispatcher"])
    body = c.get(f"/cases/{complaint.pk}/").content.decode()
    assert COMPLAINANT["reporter_name"] in body and COMPLAINANT["reporter_phone"] in body
    api = APIClient()
    api.force_authenticate(office["operator"])
    photos = api.get(f"/api/cases/{complaint.pk}/").json()["photos"]
    assert photos[0]["exif"]["GPS"] and photos[0]["original_url"]
    original = b"".join(c.get(photos[0]["original_url"]).streaming_content)
    assert b"PhoneMaker" in original
    # Search never matches identity, not even for the office.
    assert api.get(f"/api/cases/?q={COMPLAINANT['reporter_phone']}").json()["count"] == 0


def test_other_liaisons_see_nothing(complaint, users):
    api = APIClient()
    api.force_authenticate(users["edu"])
    assert api.get("/api/cases/").json()["count"] == 0
    assert api.get(f"/api/cases/{complaint.pk}/").status_code == 404
    assert _login(users["edu"]).get(f"/cases/{complaint.pk}/").status_code == 404


def test_investigating_office_sees_its_complainant_but_the_problem_rule_holds(complaint, new_case, office, users,
                                                                              units):
    """The 效能投诉 above is dispatched to 督查室 (the investigating office): its 督查员 must be able to contact the
    complainant; a liaison of that same unit must not; a problem report dispatched to the same unit stays hidden."""
    from tests.conftest import make_user

    liaison = make_user("dcs_liaison", "liaison", units["duchashi"])
    body = _login(users["supervisor"]).get(f"/cases/{complaint.pk}/").content.decode()
    assert COMPLAINANT["reporter_name"] in body and COMPLAINANT["reporter_phone"] in body
    body = _login(liaison).get(f"/cases/{complaint.pk}/").content.decode()
    for s in SECRETS:
        assert s not in body
    problem, _ = new_case(**COMPLAINANT)
    svc.do_dispatch_case(office["dispatcher"], problem, unit=units["duchashi"])
    body = _login(users["supervisor"]).get(f"/cases/{problem.pk}/").content.decode()
    assert problem.number in body
    for s in SECRETS:
        assert s not in body

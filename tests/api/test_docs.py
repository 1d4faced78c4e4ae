"""/api/docs/ (Swagger UI) and /api/redoc/ (ReDoc) come from drf-spectacular-sidecar's static
files, never from a CDN (offline government networks), and only for logged-in users."""
import re

import pytest
from django.test import Client

CDN = re.compile(r"https?://(?!testserver)[^\s\"'<>]+")


@pytest.fixture
def logged_in(users):
    c = Client()
    c.force_login(users["fgw"])
    return c


def _static_assets(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_load_everything_from_the_package(logged_in, path):
    r = logged_in.get(path)
    assert r.status_code == 200
    html = r.content.decode()
    assert not CDN.findall(html), CDN.findall(html)
    assets = _static_assets(html)
    assert any("drf_spectacular_sidecar" in a for a in assets), assets
    for asset in assets:
        if asset.startswith("/static/"):
            served = logged_in.get(asset)
            assert served.status_code == 200, asset
            body = b"".join(served.streaming_content) if served.streaming else served.content
            assert body, asset


def test_swagger_settings_script_is_a_file_not_inline(logged_in):
    html = logged_in.get("/api/docs/").content.decode()
    assert re.search(r"<script>\s*\S", html) is None  # no inline script (CSP: script-src 'self')
    script = logged_in.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert "/api/schema/" in script.content.decode()
    assert not CDN.findall(script.content.decode())


def test_logged_in_user_reads_the_schema(logged_in):
    r = logged_in.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert "/api/auth/token/" in r.json()["paths"]
    assert r["Cache-Control"] == "no-store"

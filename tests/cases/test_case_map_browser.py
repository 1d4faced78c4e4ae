"""The optional map (cases.maps) in a real browser, against a real local tile server (a tiny HTTP server
serving PNG tiles made with Pillow): with LUOSHI_MAP_TILE_URL the report form at phone width shows the map,
tiles load under the page's CSP, a tap fills 纬度/经度 and the report keeps that point, and the staff case
page shows it on the same map; without the setting there is no map and no tile server is ever asked."""
from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from PIL import Image

from luoshi.cases.models import Case
from tests.browser.pages import login

from .test_cases_browser import _captcha

pytestmark = pytest.mark.browser


def _tile_png() -> bytes:
    img = Image.new("RGB", (256, 256), (200, 225, 200))
    for x in range(0, 256, 32):  # a grid, so the tile is not blank
        for y in range(256):
            img.putpixel((x, y), (120, 140, 120))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tile_server():
    png = _tile_png()
    hits: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            parts = self.path.strip("/").removesuffix(".png").split("/")
            if len(parts) != 3 or not all(p.isdigit() for p in parts):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *a):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    finally:
        srv.shutdown()
        srv.server_close()


def _phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, has_touch=True,
                              is_mobile=True)
    ctx.set_default_timeout(15000)
    return ctx, ctx.new_page()


def test_map_with_a_tile_server_sets_the_point(browser, live_server, cats, routing, office, users, tile_server,
                                               tmp_path):
    base_tiles, hits = tile_server
    with override_settings(LUOSHI_MAP_TILE_URL=base_tiles + "/{z}/{x}/{y}.png", LUOSHI_MAP_ATTRIBUTION="测试底图",
                           LUOSHI_MAP_CENTER="30.05,118.05", LUOSHI_MAP_ZOOM=13):
        ctx, page = _phone(browser)
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        try:
            resp = page.goto(f"{live_server.url}/public/report/")
            assert base_tiles in resp.headers["content-security-policy"]
            page.wait_for_selector("#case-map img.leaflet-tile-loaded")
            assert hits and all(h.endswith(".png") for h in hits)
            assert "测试底图" in page.inner_text("#case-map .leaflet-control-attribution")
            box = page.locator("#case-map").bounding_box()
            assert box["width"] <= 375 and box["height"] >= 200  # fits the phone's width
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            assert page.input_value("#id_lat") == "" and page.input_value("#id_long") == ""
            page.locator("#case-map").tap(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
            page.wait_for_selector("#case-map[data-picked]")
            lat, long = float(page.input_value("#id_lat")), float(page.input_value("#id_long"))
            # north-east of the centre, inside the shown area at zoom 13
            assert 30.05 < lat < 30.15 and 118.05 < long < 118.15, (lat, long)
            assert page.locator("#case-map path.leaflet-interactive").count() == 1  # the marker
            page.locator("#case-map").screenshot(path=str(tmp_path / "map-phone.png"))  # looked at once
            page.select_option("select[name=category]", "CG-ROAD")
            page.fill("[name=description]", "甲区人民路路面塌陷,车辆无法通行")
            page.fill("[name=address]", "甲区人民路")
            page.fill("input[name=captcha_1]", _captcha(page))
            page.click("form.public-form button[type=submit]")
            page.wait_for_selector("#case-number")
            case = Case.objects.get(number=page.inner_text("#case-number"))
            assert abs(case.lat - lat) < 1e-5 and abs(case.long - long) < 1e-5
            assert not violations, violations
        finally:
            ctx.close()
        # the staff case page shows the point on the same map
        ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        try:
            login(page, live_server.url, "paiqian")
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            page.wait_for_selector("#case-map img.leaflet-tile-loaded")
            assert page.locator("#case-map path.leaflet-interactive").count() == 1
            centre = page.evaluate("JSON.parse(document.getElementById('case-map-config').textContent).point")
            assert abs(centre[0] - case.lat) < 1e-9 and abs(centre[1] - case.long) < 1e-9
        finally:
            ctx.close()


def test_no_map_and_no_tile_request_without_the_setting(browser, live_server, cats, routing, office, users,
                                                        tile_server):
    base_tiles, hits = tile_server
    with override_settings(LUOSHI_MAP_TILE_URL=""):
        ctx, page = _phone(browser)
        try:
            resp = page.goto(f"{live_server.url}/public/report/")
            page.wait_for_load_state("networkidle")
            assert page.locator("#case-map").count() == 0 and page.locator("script[src*=leaflet]").count() == 0
            assert page.locator("#id_lat").is_visible() and page.locator("#id_long").is_visible()
            assert "127.0.0.1:" + base_tiles.rsplit(":", 1)[1] not in resp.headers["content-security-policy"]
            page.fill("#id_lat", "30.05")
            page.fill("#id_long", "118.05")
            page.select_option("select[name=category]", "CG-ROAD")
            page.fill("[name=description]", "甲区人民路路灯不亮,夜间出行不便")
            page.fill("input[name=captcha_1]", _captcha(page))
            page.click("form.public-form button[type=submit]")
            page.wait_for_selector("#case-number")
            case = Case.objects.get(number=page.inner_text("#case-number"))
            assert (case.lat, case.long) == (30.05, 118.05)
        finally:
            ctx.close()
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        try:
            login(page, live_server.url, "paiqian")
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            page.wait_for_load_state("networkidle")
            assert page.locator("#case-map").count() == 0 and "30.05" in page.inner_text("main")
        finally:
            ctx.close()
    assert hits == []

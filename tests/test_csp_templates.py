"""Content-Security-Policy: every template under src/luoshi/*/templates satisfies the policy
(no inline script, inline style, style attribute, on* handler or javascript: URL; page data goes
through json_script), and every page carries the header."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "src" / "luoshi").glob("*/templates/**/*.html"))

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>", re.I)
RULES = {
    "inline <script>": INLINE_SCRIPT,
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "on* event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_templates_were_found():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: "/".join(p.parts[-4:]))
def test_template_has_nothing_inline(path):
    text = path.read_text(encoding="utf-8")
    found = [f"{what}: line {text[:m.start()].count(chr(10)) + 1}" for what, rx in RULES.items()
             for m in rx.finditer(text)]
    assert not found, found


def test_pages_carry_the_policy(users):
    c = Client()
    login = c.get("/accounts/login/")
    policy = login["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    c.force_login(users["supervisor"])
    for url in ("/ledger/", "/supervision/dashboard/", "/api/docs/"):
        assert c.get(url)["Content-Security-Policy"] == policy, url
    # ReDoc alone may add its own <style> elements and a blob: worker.
    redoc = dict(d.strip().split(" ", 1) for d in c.get("/api/redoc/")["Content-Security-Policy"].split(";"))
    assert redoc["style-src"] == "'self' 'unsafe-inline'" and redoc["worker-src"] == "blob:"
    assert redoc["script-src"] == "'self'"

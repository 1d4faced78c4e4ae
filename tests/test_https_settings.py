"""LUOSHI_HTTPS=1 (behind a TLS-terminating proxy): Secure cookies, HSTS, HTTPS redirect and the
forwarded-proto header, read from the environment in a fresh process as `luoshi serve` does;
`luoshi check --strict` passes with it and fails without it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

_SNIPPET = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
import django
django.setup()
from django.conf import settings as s
from django.test import Client
keys = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS"]
out = {k: getattr(s, k) for k in keys}
c = Client()
plain = c.get("/accounts/login/")
proxied = c.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
out["plain"] = [plain.status_code, plain.headers.get("Location", "")]
out["proxied"] = [proxied.status_code, proxied.headers.get("Strict-Transport-Security", "")]
print(json.dumps(out))
"""


def _settings(tmp_path, **env):
    e = {k: v for k, v in os.environ.items()
         if not k.startswith("LUOSHI_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    e.update(LUOSHI_DATA_DIR=str(tmp_path / "d"), **env)
    proc = subprocess.run([sys.executable, "-c", _SNIPPET], env=e, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_https_on(tmp_path):
    s = _settings(tmp_path, LUOSHI_HTTPS="1")
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_HSTS_SECONDS"] == 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is False and s["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    # plain http is redirected to https; through the proxy (X-Forwarded-Proto: https) the page is served with HSTS
    assert s["plain"][0] == 301 and s["plain"][1].startswith("https://")
    assert s["proxied"] == [200, "max-age=31536000; includeSubDomains"]


def test_https_tunables(tmp_path):
    s = _settings(tmp_path, LUOSHI_HTTPS="1", LUOSHI_HSTS_SECONDS="600", LUOSHI_HSTS_PRELOAD="1",
                  LUOSHI_HSTS_SUBDOMAINS="0")
    assert (s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_PRELOAD"], s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (600, True, False)
    assert s["SILENCED_SYSTEM_CHECKS"] == []
    assert s["proxied"][1] == "max-age=600; preload"


def test_https_off_by_default(tmp_path):
    s = _settings(tmp_path)
    assert s["SESSION_COOKIE_SECURE"] is False and s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] is None and s["SECURE_HSTS_SECONDS"] == 0
    assert s["plain"][0] == 200 and s["proxied"][1] == ""


def _check(tmp_path, monkeypatch, **env):
    from tests.cli.conftest import luoshi

    # set process-wide by the browser tests' conftest (Playwright); a deploy check (async.E001) refuses it
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    return luoshi("check", "--strict", data_dir=tmp_path / "data",
                  env={"LUOSHI_SECRET_KEY": "q7-Vw2!xZ9@kL4#mN8&pR3*tY6(uI1)oP5_aS0+dF" * 2, "LUOSHI_ALLOWED_HOSTS": "luoshi.example.gov.cn",
                       "LUOSHI_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", **env})


def test_check_strict_runs_deploy_checks(tmp_path, monkeypatch):
    bare = _check(tmp_path, monkeypatch)
    assert bare.returncode != 0
    text = bare.stdout + bare.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in text, text
    with_https = _check(tmp_path, monkeypatch, LUOSHI_HTTPS="1")
    text = with_https.stdout + with_https.stderr
    assert "security." not in text, text
    assert "HTTPS:           on" in with_https.stdout

"""`luoshi check`: prints the configuration, warns about what is unsafe for production, --strict fails on warnings."""
from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.db import connection

from luoshi.accounts.models import User
from luoshi.core.management.commands import luoshi_check

from .conftest import luoshi, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings, tmp_path, monkeypatch):
    """A configuration with nothing to warn about."""
    # set process-wide by the browser tests' conftest (Playwright); a deploy check (async.E001) refuses it
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECRET_KEY = "q7-Vw2!xZ9@kL4#mN8&pR3*tY6(uI1)oP5_aS0+dF" * 2  # W009: long and varied
    settings.SECRET_KEY_FROM_ENV = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.DATA_DIR = tmp_path / "data"
    settings.ALLOWED_HOSTS = ["luoshi.example.gov.cn"]
    # what LUOSHI_HTTPS=1 sets (tests/test_https_settings.py checks that it does)
    settings.HTTPS = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # the current year's holidays must be known (they are, until the calendar package falls behind)
    import datetime as dt

    from django.utils import timezone

    from luoshi.workcal.services import current_calendar, do_load_holiday_notice

    year = timezone.localdate().year
    if not current_calendar().is_year_known(year):
        do_load_holiday_notice("test", year, "test notice", [(dt.date(year, 1, 1), False, "元旦")])
    return settings


def test_prints_configuration_and_passes_strict_when_safe(production, users):
    out = run("luoshi_check", "--strict")
    for label in ("data dir:", "database:", "secret key:", "DEBUG:", "allowed hosts:", "task backend:",
                  "email backend:", "calendar years:", "Django system checks (with deployment checks):",
                  "HTTPS:", "login lockout:"):
        assert label in out
    assert "from LUOSHI_SECRET_KEY" in out and "luoshi.example.gov.cn" in out
    assert connection.vendor in out.lower() or "sqlite" in out.lower()
    assert "no warnings" in out


def test_unsafe_settings_warn_and_strict_fails(production, tmp_path):
    production.DEBUG = True
    production.SECRET_KEY_FROM_ENV = False
    production.ALLOWED_HOSTS = ["*"]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    production.DATA_DIR = blocker / "data"  # cannot be created: its parent is a file
    out = run("luoshi_check")  # no --strict: exit 0
    assert "DEBUG is on" in out
    assert "SECRET_KEY is not set from the environment" in out
    assert "ALLOWED_HOSTS contains '*'" in out
    assert "NOT WRITABLE" in out and "is not writable" in out
    with pytest.raises(CommandError, match=r"5 warning\(s\) \(--strict\)"):  # + Django's deploy checks
        run("luoshi_check", "--strict")


def test_strict_runs_the_deploy_checks_and_fails_without_https(production):
    production.HTTPS = False
    production.SESSION_COOKIE_SECURE = production.CSRF_COOKIE_SECURE = production.SECURE_SSL_REDIRECT = False
    production.SECURE_HSTS_SECONDS = 0
    assert "no warnings" in run("luoshi_check")  # without --strict the deploy checks are not run
    with pytest.raises(CommandError, match=r"1 warning\(s\)"):
        run("luoshi_check", "--strict")


def test_many_users_on_sqlite(production, monkeypatch):
    monkeypatch.setattr(luoshi_check, "MANY_USERS_FOR_SQLITE", 3)
    User.objects.bulk_create([User(username=f"u{i}", role="liaison") for i in range(5)])
    out = run("luoshi_check")
    if connection.vendor == "sqlite":
        assert "5 active users on SQLite" in out
    else:
        assert "active users on SQLite" not in out


def test_database_password_is_hidden(tmp_path):
    proc = luoshi("check", data_dir=tmp_path / "data",
                  env={"DATABASE_URL": "postgres://luoshi:Sup3r-Secret-PW@127.0.0.1:1/luoshi"})
    assert proc.returncode == 0, proc.stderr
    assert "Sup3r-Secret-PW" not in proc.stdout + proc.stderr
    assert "postgresql luoshi@127.0.0.1:1/luoshi, password set (hidden)" in proc.stdout
    assert "cannot reach the database" in proc.stdout
    strict = luoshi("check", "--strict", data_dir=tmp_path / "data",
                    env={"DATABASE_URL": "postgres://luoshi:Sup3r-Secret-PW@127.0.0.1:1/luoshi"})
    assert strict.returncode == 1 and "Sup3r-Secret-PW" not in strict.stdout + strict.stderr

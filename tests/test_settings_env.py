"""Settings come from the environment (LUOSHI_DATA_DIR, DATABASE_URL, LUOSHI_SECRET_KEY, ...).

Each case imports luoshi.settings in a fresh Python process with a controlled
environment, exactly as `luoshi serve` would, and checks the values it got.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

_PRINT_SETTINGS = r"""
import json
from luoshi import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DATA_DIR": str(s.DATA_DIR),
    "MEDIA_ROOT": str(s.MEDIA_ROOT),
    "STATIC_ROOT": str(s.STATIC_ROOT),
    "SECRET_KEY": s.SECRET_KEY,
    "SECRET_KEY_FROM_ENV": s.SECRET_KEY_FROM_ENV,
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "USER": db.get("USER", ""),
    "PASSWORD": db.get("PASSWORD", ""),
    "HOST": db.get("HOST", ""),
    "PORT": db.get("PORT", ""),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "OPTIONS": db.get("OPTIONS", {}),
}))
"""

_OUR_VARS = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")


def load_settings(tmp_path, **env) -> dict:
    """Import luoshi.settings in a subprocess with only `env` set among luoshi's variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("LUOSHI_") and k not in _OUR_VARS}
    base["HOME"] = str(tmp_path / "home")  # the default data dir lives under $HOME
    base.update(env)
    proc = subprocess.run([sys.executable, "-c", _PRINT_SETTINGS], env=base, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_data_dir_holds_database_media_and_is_created(tmp_path):
    data = tmp_path / "some" / "nested" / "data"
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(data))
    assert data.is_dir()
    assert s["DATA_DIR"] == str(data)
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["NAME"] == str(data / "luoshi.sqlite3")
    assert s["MEDIA_ROOT"] == str(data / "media")
    assert s["STATIC_ROOT"] == str(data / "static")
    # SQLite is shared by the web server and CLI jobs: WAL, a busy timeout and BEGIN IMMEDIATE.
    assert s["OPTIONS"]["timeout"] == 30
    assert s["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in s["OPTIONS"]["init_command"]
    assert s["CONN_MAX_AGE"] == 0


def test_default_data_dir_is_under_home(tmp_path):
    s = load_settings(tmp_path)
    expected = tmp_path / "home" / ".local" / "share" / "luoshi"
    assert s["DATA_DIR"] == str(expected)
    assert s["NAME"] == str(expected / "luoshi.sqlite3")
    assert s["DEBUG"] is False


def test_postgres_database_url_is_parsed(tmp_path):
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "d"),
                      DATABASE_URL="postgres://luoshi_app:p%40ss%3Aword@db.example.org:6543/luoshi_prod")
    assert s["ENGINE"] == "django.db.backends.postgresql"
    assert s["NAME"] == "luoshi_prod"
    assert s["USER"] == "luoshi_app"
    assert s["PASSWORD"] == "p@ss:word"  # percent-escapes decoded
    assert s["HOST"] == "db.example.org"
    assert int(s["PORT"]) == 6543
    assert s["CONN_MAX_AGE"] == 60
    assert "init_command" not in s["OPTIONS"]  # the SQLite pragmas are not applied to PostgreSQL


def test_postgresql_scheme_and_conn_max_age(tmp_path):
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "d"), LUOSHI_CONN_MAX_AGE="0",
                      DATABASE_URL="postgresql://u:pw@127.0.0.1/ledger")
    assert s["ENGINE"] == "django.db.backends.postgresql"
    assert (s["NAME"], s["USER"], s["PASSWORD"], s["HOST"]) == ("ledger", "u", "pw", "127.0.0.1")
    assert s["CONN_MAX_AGE"] == 0


def test_secret_key_from_environment_is_used_and_not_stored(tmp_path):
    data = tmp_path / "d"
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(data), LUOSHI_SECRET_KEY="k" * 60)
    assert s["SECRET_KEY"] == "k" * 60
    assert s["SECRET_KEY_FROM_ENV"] is True
    assert not (data / "secret_key").exists()


def test_generated_secret_key_is_kept_private_and_stable(tmp_path):
    data = tmp_path / "d"
    first = load_settings(tmp_path, LUOSHI_DATA_DIR=str(data))
    key_file = data / "secret_key"
    assert first["SECRET_KEY_FROM_ENV"] is False
    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Same data dir: same key (sessions survive a restart); another data dir: another key.
    assert load_settings(tmp_path, LUOSHI_DATA_DIR=str(data))["SECRET_KEY"] == first["SECRET_KEY"]
    assert load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "other"))["SECRET_KEY"] != first["SECRET_KEY"]


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("0", False), ("", False)])
def test_debug_flag(tmp_path, value, expected):
    assert load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "d"), LUOSHI_DEBUG=value)["DEBUG"] is expected


def test_allowed_hosts(tmp_path):
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "d"),
                      LUOSHI_ALLOWED_HOSTS=" ledger.example.gov.cn , ,10.0.0.5")
    assert s["ALLOWED_HOSTS"] == ["ledger.example.gov.cn", "10.0.0.5"]


def test_empty_database_url_means_sqlite(tmp_path):
    # e.g. docker compose passes DATABASE_URL=${DATABASE_URL:-} through as an empty string
    s = load_settings(tmp_path, LUOSHI_DATA_DIR=str(tmp_path / "d"), DATABASE_URL="")
    assert s["ENGINE"] == "django.db.backends.sqlite3"
    assert s["NAME"] == str(tmp_path / "d" / "luoshi.sqlite3")

"""`luoshi audit verify`: OK with a count on an intact chain; names the first broken entry otherwise."""
from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.db import connection

from luoshi.audit.models import AuditEntry

from .conftest import luoshi, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(make_task):
    make_task(title="开展政务服务“好差评”工作")
    make_task(title="建立限时办结通报制度", assign=False)
    entries = AuditEntry.objects.count()
    assert entries >= 3
    return entries


def test_intact_chain_is_ok(trail):
    out = run("audit", "verify")
    assert out.startswith(f"OK: audit chain intact, {trail} entries verified in ")
    assert out.strip().endswith("; no checkpoint yet")


def test_altered_entry_is_named(trail):
    AuditEntry.objects.filter(seq=2).update(summary="改过的摘要")
    with pytest.raises(CommandError) as err:
        run("audit", "verify")
    assert "BROKEN at entry #2" in str(err.value) and "altered" in str(err.value)
    assert "1 entries before it are intact" in str(err.value)


def test_altered_entry_by_raw_sql_is_named(trail):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET actor_name = %s WHERE seq = %s", ["别人", trail])
    with pytest.raises(CommandError, match=f"BROKEN at entry #{trail} .*altered"):
        run("audit", "verify")


def test_deleted_entry_is_named(trail):
    AuditEntry.objects.filter(seq=2).delete()
    with pytest.raises(CommandError, match="BROKEN at entry #2.*missing"):
        run("audit", "verify")


def test_exit_code_on_the_command_line(tmp_path):
    data = tmp_path / "data"
    proc = luoshi("units", "load-sample", data_dir=data)  # not migrated yet: a one-line hint
    assert proc.returncode == 1 and "luoshi manage migrate" in proc.stderr and "Traceback" not in proc.stderr
    assert luoshi("manage", "migrate", "-v0", data_dir=data).returncode == 0
    assert luoshi("units", "load-sample", data_dir=data).returncode == 0
    assert luoshi("audit", "verify", data_dir=data).returncode == 0
    tamper = ("from luoshi.audit.models import AuditEntry; "
              "AuditEntry.objects.filter(seq=5).update(after={'name': '伪造'})")
    assert luoshi("manage", "shell", "-c", tamper, data_dir=data).returncode == 0
    proc = luoshi("audit", "verify", data_dir=data)
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "entry #5" in lines[0]

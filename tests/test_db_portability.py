"""Behaviour that must be the same on SQLite and PostgreSQL (run in both CI passes).

PostgreSQL cannot store NUL in text and rewrites JSON numbers (jsonb is numeric:
1e+20 comes back as 100000000000000000000, -0.0 as 0.0); neither may break a
write or the audit hash chain.
"""
import pytest

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import record, verify_chain
from luoshi.core.errors import LuoshiError
from luoshi.ledger.models import Task


def test_nul_character_is_refused_cleanly(make_task):
    before = (Task.objects.count(), AuditEntry.objects.count())
    with pytest.raises(LuoshiError) as err:
        make_task(title="完成\x00梳理")
    assert "NUL" in err.value.message_en and err.value.message_zh
    assert (Task.objects.count(), AuditEntry.objects.count()) == before
    # Tabs and newlines are ordinary text.
    task = make_task(title="完成\t梳理", requirement="第一步\n第二步\r\n第三步")
    assert Task.objects.get(pk=task.pk).requirement == "第一步\n第二步\r\n第三步"


@pytest.mark.parametrize("value", [0.1, 1.0, 1e-7, 1e16, 1e20, -3e17, 1.5e300, -0.0, 2**70, float("nan"),
                                   float("inf"), {"b": [1.25, "x"], "a": None}, "\u2028行"])
def test_audit_chain_survives_json_round_trip(users, value):
    entry = record(users["admin"], "test.value", None, before={"v": value}, after={"v": [value, value]})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.before, stored.after) == (entry.before, entry.after)
    result = verify_chain()
    assert result.ok, result
    assert result.checked == AuditEntry.objects.count()

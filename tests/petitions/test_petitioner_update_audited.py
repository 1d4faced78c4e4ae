"""A second petition under an ID number already on file updates that petitioner's contact details for all their
petitions; the audit says which fields changed, never their values (the audit page must not identify anyone)."""
import json

from luoshi.audit.models import AuditEntry

from .conftest import ID1


def _entry(p):
    return AuditEntry.objects.filter(object_id=str(p.pk), action__startswith="petition.").order_by("-seq").first()


def test_new_contact_details_under_a_known_id_are_audited_by_field_name(db, register):
    first = register()
    assert _entry(first).after["petitioner_fields_updated"] == []
    second = register(phone="13900001111", address="乙区西街道9号", title="另一件事", content="路灯不亮很久了。")
    first.petitioner.refresh_from_db()
    assert second.petitioner_id == first.petitioner_id and first.petitioner.phone == "13900001111"
    after = _entry(second).after
    assert sorted(after["petitioner_fields_updated"]) == ["address", "phone"]
    text = json.dumps(after, ensure_ascii=False)
    assert "13900001111" not in text and "乙区西街道" not in text and "张三丰" not in text and ID1 not in text


def test_same_details_again_update_nothing(db, register):
    register()
    again = register(title="再次反映", content="补贴仍未发放。")
    assert _entry(again).after["petitioner_fields_updated"] == []

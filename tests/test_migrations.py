"""Every model change ships with its migration."""
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)  # exits 1 when missing
    assert "No changes detected" in out.getvalue()

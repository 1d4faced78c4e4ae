"""API fixtures: clients logged in as each test user (force_authenticate: fast, no token round-trip)."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client_for(users):
    """client_for("fgw") → an APIClient acting as users["fgw"]; client_for(None) → anonymous."""

    def _client(who):
        client = APIClient()
        if who is not None:
            client.force_authenticate(user=users[who] if isinstance(who, str) else who)
        return client

    return _client

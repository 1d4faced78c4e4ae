"""Helpers for the web UI tests: logged-in clients per role."""
from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for(users):
    """client_for("fgw") → a Client logged in as that fixture user."""
    def _client(key):
        c = Client()
        c.force_login(users[key])
        return c

    return _client


def page_text(response) -> str:
    return response.content.decode("utf-8")

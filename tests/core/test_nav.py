"""Apps add their top-navigation links through luoshi.core.nav; visible only to whom they say."""
from __future__ import annotations

import pytest

from luoshi.core import nav
from tests.conftest import page_text


@pytest.fixture
def hotline_link():
    before = list(nav.NAV)
    nav.register_nav("热线工单(测试)", "sources", order=40, visible=lambda u: u.is_operator or u.sees_everything)
    yield
    nav.NAV[:] = before


def test_registered_link_shows_for_the_roles_it_names(hotline_link, client_for):
    assert '热线工单(测试)</a>' in page_text(client_for("supervisor").get("/ledger/"))
    assert "热线工单(测试)" not in page_text(client_for("fgw").get("/ledger/"))
    body = page_text(client_for("supervisor").get("/sources/"))
    assert 'href="/sources/" class="active">热线工单(测试)' in body


def test_link_to_a_missing_page_is_left_out(client_for):
    before = list(nav.NAV)
    try:
        nav.register_nav("不存在", "no-such-url")
        assert "不存在" not in page_text(client_for("supervisor").get("/ledger/"))
    finally:
        nav.NAV[:] = before

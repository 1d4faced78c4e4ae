"""Shared fixtures: a small unit tree and one user per role.

    市政府 (city)
    ├── 市政府督查室 (city_dept)        supervisor's unit
    ├── 市发展和改革委员会 (市发展改革委 / 市发改委)
    ├── 市教育局
    ├── 甲区 (county) ── 甲区发改局, 东街道 (town), 西镇 (town)
    └── 乙县 (county) ── 南乡 (town)
"""
from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import time

import pytest
from django.test import Client

from luoshi.accounts.models import Role, User
from luoshi.orgs.models import Unit, UnitKind

PASSWORD = "luoshi-test-pw-1"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test's database starts empty: so does its audit checkpoint file.
    settings.LUOSHI_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    # Real hashing costs ~0.3 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttle counters (DRF) live in the cache: every test starts with none. The default cache is a
    # database table (shared by every process): a test's writes to it are rolled back with the test.
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()
    # The type-ahead keeps a per-process index of the unit table: each test's units are new.
    from luoshi.orgs.services import forget_search_index

    forget_search_index()


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server of this test's own (Debian package redis-server) on a free loopback port, nothing
    saved to disk; its URL (database 0). Skips the test when the binary is absent."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def units(db):
    def mk(name, kind, parent=None, short=(), aliases=()):
        return Unit.objects.create(name=name, kind=kind, parent=parent, short_names=list(short),
                                   aliases=list(aliases), sort_order=next(_seq))

    city = mk("某市人民政府", UnitKind.CITY, short=["市政府"])
    t = {"city": city}
    t["duchashi"] = mk("市人民政府督查室", UnitKind.CITY_DEPT, city, short=["市政府督查室"], aliases=["市督考办"])
    t["fgw"] = mk("市发展和改革委员会", UnitKind.CITY_DEPT, city, short=["市发展改革委"], aliases=["市发改委"])
    t["edu"] = mk("市教育局", UnitKind.CITY_DEPT, city)
    t["jia"] = mk("甲区人民政府", UnitKind.COUNTY, city, short=["甲区"])
    t["jia_fg"] = mk("甲区发展和改革局", UnitKind.COUNTY_DEPT, t["jia"], short=["甲区发改局"])
    t["dong"] = mk("甲区东街道办事处", UnitKind.TOWN, t["jia"], short=["东街道"])
    t["xi"] = mk("甲区西镇人民政府", UnitKind.TOWN, t["jia"], short=["西镇"])
    t["yi"] = mk("乙县人民政府", UnitKind.COUNTY, city, short=["乙县"])
    t["nan"] = mk("乙县南乡人民政府", UnitKind.TOWN, t["yi"], short=["南乡"])
    return t


def make_user(username, role, unit, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit,
                                    display_name=extra.pop("display_name", username), **extra)
    return user


@pytest.fixture
def users(units):
    return {
        "supervisor": make_user("duchayuan", Role.SUPERVISOR, units["duchashi"], display_name="张督查"),
        "fgw": make_user("fgw_liaison", Role.LIAISON, units["fgw"], display_name="李联络"),
        "edu": make_user("edu_liaison", Role.LIAISON, units["edu"], display_name="王联络"),
        "jia": make_user("jia_liaison", Role.LIAISON, units["jia"], display_name="赵联络"),
        "dong": make_user("dong_liaison", Role.LIAISON, units["dong"], display_name="钱联络"),
        "yi": make_user("yi_liaison", Role.LIAISON, units["yi"], display_name="孙联络"),
        "leader": make_user("leader", Role.LEADER, units["city"], display_name="周市长"),
        "jia_leader": make_user("jia_leader", Role.LEADER, units["jia"], display_name="吴区长"),
        "admin": make_user("admin", Role.ADMIN, units["duchashi"], display_name="系统管理员",
                           is_staff=True, is_superuser=True),
        "operator": make_user("operator", Role.OPERATOR, units["duchashi"], display_name="郑话务"),
        "dispatcher": make_user("dispatcher", Role.DISPATCHER, units["duchashi"], display_name="冯派遣"),
        "inspector": make_user("inspector", Role.INSPECTOR, units["duchashi"], display_name="陈检查"),
        "discipline": make_user("discipline", Role.DISCIPLINE, units["duchashi"], display_name="褚纪检"),
    }


@pytest.fixture
def make_task(users, units):
    """Create (and by default assign) a task through the real service."""
    from luoshi.ledger.services import do_create_task

    def _make(title="完成政务服务事项梳理", lead=("fgw",), co=(), assign=True, **kw):
        if assign and "deadline" not in kw and "deadline_working_days" not in kw:
            kw["deadline_working_days"] = 20  # 交办 needs a deadline (issue 9)
        return do_create_task(users["supervisor"], title=title,
                              lead_units=[units[k] for k in lead], co_units=[units[k] for k in co],
                              assign=assign, **kw)

    return _make


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


# ---- headless Chromium (shared by every browser test, whatever its directory) ----------------------

@pytest.fixture(scope="session")
def browser():
    import os
    import shutil

    from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.on("dialog", lambda d: d.accept())  # data-confirm prompts
    yield pg
    context.close()

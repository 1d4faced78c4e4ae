"""Headless Chromium (Debian package) through the Playwright sync API."""
from __future__ import annotations

import os
import shutil

import pytest

# The sync API runs an event loop in this thread; the ORM calls made by the
# test itself (fixtures, asserts) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]

# The `browser` and `page` fixtures live in tests/conftest.py, so that every test directory shares
# one Playwright instance per session (two sync_playwright() instances in one process fail).

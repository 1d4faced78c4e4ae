from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
LUOSHI = ROOT / ".venv" / "bin" / "luoshi"


def run(*args) -> str:
    """call_command and return what it printed on stdout."""
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def luoshi(*args, data_dir, env=None, timeout=120):
    """Run the real `luoshi` executable with its own data directory (a separate SQLite DB)."""
    e = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LUOSHI_SECRET_KEY", "LUOSHI_DEBUG"}}
    e.update({"LUOSHI_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    e.update(env or {})
    exe = str(LUOSHI) if LUOSHI.exists() else sys.executable
    cmd = [exe, *args] if LUOSHI.exists() else [exe, "-m", "luoshi.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=timeout)


@pytest.fixture
def cli_run():
    return run

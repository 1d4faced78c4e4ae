"""Regenerate the README screenshots from the demo data (`luoshi demo`) in a real browser.

    PYTHONPATH=src .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Builds a fresh demo database in a temporary data directory, starts `luoshi serve` on a free local port,
logs in as the demo 督查员 (duchayuan) with headless Chromium (/usr/bin/chromium, Playwright) and writes
ledger.png (督办台账), task.png (a task page: 量化目标 with 目标完成值, 牵头/配合单位报送, timeline),
supervision.png (督办总览) and unitpicker.png (the type-ahead unit chooser open on 立项). The server is
stopped at the end; nothing outside the temporary directory changes except the PNG files.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TASK_TITLE = "企业开办全流程压缩至1个工作日以内"


def luoshi(env, *args, **kw):
    exe = ROOT / ".venv" / "bin" / "luoshi"
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "luoshi.cli", *args]
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def task_pk(env) -> int:
    out = luoshi(env, "manage", "shell", "-c",
                 f"from luoshi.ledger.models import Task; print(Task.objects.get(title={TASK_TITLE!r}).pk)")
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    opts = ap.parse_args()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="luoshi-shots-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LUOSHI_DEBUG"}}
    env.update({"LUOSHI_DATA_DIR": str(data), "PYTHONPATH": str(ROOT / "src")})
    luoshi(env, "demo", timeout=600)
    pk = task_pk(env)
    port = free_port()
    exe = ROOT / ".venv" / "bin" / "luoshi"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "luoshi.cli"]
    server = subprocess.Popen([*cmd, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
            page.set_default_timeout(30000)
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "duchayuan")
            page.fill("#id_password", "luoshi-demo-2024")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            shots = [("ledger.png", "/ledger/"), ("task.png", f"/tasks/{pk}/"), ("supervision.png", "/supervision/")]
            for name, path in shots:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / name), full_page=True)
                print(out / name)
            # the type-ahead unit chooser (单位选择) open on 立项: part of an alias typed, the list below
            page.goto(f"{base}/tasks/new/")
            page.fill("#id_title", "推进企业开办“一网通办”")
            page.focus("#id_lead_units_search")
            page.keyboard.type("发改")
            page.wait_for_selector(".up-list[data-q='发改'] [role=option]")
            page.keyboard.press("Enter")
            page.focus("#id_co_units_search")
            page.keyboard.type("区")
            page.wait_for_selector(".up-list[data-q='区'] [role=option]")
            page.keyboard.press("ArrowDown")
            box = page.locator(".row:has(#id_lead_units_search)").bounding_box()
            top = max(0, box["y"] - 150)
            page.screenshot(path=str(out / "unitpicker.png"),
                            clip={"x": 0, "y": top, "width": 1366, "height": box["height"] + 150 + 330})
            print(out / "unitpicker.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""`luoshi serve`: a real gunicorn process answering on a free port, static files included."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from .conftest import LUOSHI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    req = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=5) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_runs_gunicorn_and_serves_pages_and_static(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LUOSHI_DEBUG"}}
    env.update(LUOSHI_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([str(LUOSHI), "serve", "--port", str(port), "--workers", "2"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                status, body, _ = get(base + "/accounts/login/")
                break
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                time.sleep(0.3)
        assert status == 200, (tmp_path / "serve.log").read_text()
        assert "登录".encode() in body or b"login" in body.lower()
        status, _, headers = get(base + "/")
        assert status == 302 and "/accounts/login/" in headers["Location"]
        status, css, _ = get(base + "/static/admin/css/base.css")  # collected, served by whitenoise
        assert status == 200 and b"body" in css
        assert (tmp_path / "data" / "static" / "admin" / "css" / "base.css").exists()
        text = (tmp_path / "serve.log").read_text()
        assert "luoshi demo" in text  # empty database: hint printed
        assert "gunicorn" in text.lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    assert proc.returncode == 0, (tmp_path / "serve.log").read_text()


def test_serve_refuses_bad_port(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LUOSHI_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.run([str(LUOSHI), "serve", "--port", "70000", "--no-migrate"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode != 0 and "invalid port 70000" in proc.stderr

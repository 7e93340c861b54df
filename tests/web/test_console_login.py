"""`vigie run` on the console community with VIGIE_WEB_PORT: a CM types !dashboard, the printed
private message holds the link, and the link opens the dashboard (a real process, real HTTP)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parents[2]
VIGIE = Path(sys.executable).parent / "vigie"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_console_cm_opens_the_dashboard_from_the_printed_link(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    shutil.copy(ROOT / "config" / "rules.yaml", tmp_path / "config" / "rules.yaml")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TELEGRAM_TOKEN")}
    env.update({"VIGIE_WEB_PORT": str(port), "COLUMNS": "300"})
    bot = subprocess.Popen([str(VIGIE), "run"], cwd=tmp_path, env=env, text=True,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    assert bot.stdin is not None and bot.stdout is not None
    guard = threading.Timer(120, bot.kill)  # a hung bot fails the test instead of hanging it
    guard.start()
    try:
        bot.stdin.write(":as claire\n!dashboard\n")
        bot.stdin.flush()
        link = None
        seen = []
        for line in bot.stdout:
            seen.append(line)
            found = re.search(rf"http://127\.0\.0\.1:{port}/login/[A-Za-z0-9_\-]+", line)
            if found:
                link = found.group(0)
                break
        assert link is not None, "".join(seen)
        assert any("DM to claire" in line for line in seen)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(link, timeout=30) as page:
            form = page.read().decode()
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf, form
        data = urllib.parse.urlencode({"csrf": csrf.group(1)}).encode()
        with opener.open(link, data=data, timeout=30) as page:
            overview = page.read().decode()
            assert page.url.endswith("/c/console:local/")
        assert "Vue d&#39;ensemble de Vigie console" in overview
        assert "claire (CM)" in overview
    finally:
        bot.stdin.close()
        bot.wait(timeout=60)
        guard.cancel()
    assert bot.returncode == 0
    log = (tmp_path / "data" / "vigie.log").read_text(encoding="utf-8")
    assert "GET /c/console:local/ 200" in log or "POST /login/… 303" in log
    assert link.rsplit("/", 1)[1] not in log

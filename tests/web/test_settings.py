"""The `web:` section and VIGIE_WEB_PORT: when the dashboard runs, where links point."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest
from pydantic import ValidationError

from bot.permissions import Role
from bot.web.server import start_dashboard
from bot.web.settings import WebFile, effective_web
from tests.harness import MINIMAL_RULES, Harness


def test_off_unless_enabled_or_given_a_port() -> None:
    assert effective_web(None, {}) is None
    assert effective_web(WebFile(), {}) is None
    on = effective_web(WebFile(enabled=True), {})
    assert on is not None and on.host == "127.0.0.1" and on.base_url == "http://127.0.0.1:8080"
    by_env = effective_web(None, {"VIGIE_WEB_PORT": "9000"})
    assert by_env is not None and by_env.port == 9000 and by_env.enabled


@pytest.mark.parametrize("port", ["http", "0", "70000", "-1"])
def test_a_bad_port_in_the_environment_is_an_error(port: str) -> None:
    with pytest.raises(ValueError, match="VIGIE_WEB_PORT"):
        effective_web(None, {"VIGIE_WEB_PORT": port})


def test_links_follow_the_public_url_and_secure_cookies_follow_https() -> None:
    behind = WebFile(enabled=True, public_url="https://vigie.example.org/")
    assert behind.base_url == "https://vigie.example.org" and behind.secure
    assert not WebFile(enabled=True).secure
    assert WebFile(enabled=True, secure_cookies="always").secure
    everywhere = WebFile(enabled=True, host="0.0.0.0", port=8081)
    assert everywhere.base_url == "http://127.0.0.1:8081"


def test_a_public_url_must_be_http_or_https() -> None:
    with pytest.raises(ValidationError, match="public_url"):
        WebFile(public_url="vigie.example.org")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_it_starts_from_the_rule_file_or_the_environment(tmp_path: Path) -> None:
    port = free_port()
    rules = MINIMAL_RULES.replace("defaults:", f"web:\n  enabled: true\n  port: {port}\ndefaults:")
    h = await Harness(tmp_path, rules=rules).start()
    try:
        dashboard = await start_dashboard(h.app, {})
        assert dashboard is not None and dashboard.port == port
        try:
            async with aiohttp.ClientSession() as session, \
                    session.get(f"http://127.0.0.1:{port}/") as page:
                assert page.status == 200 and "!dashboard" in await page.text()
        finally:
            await dashboard.stop()
    finally:
        await h.stop()


async def test_it_stays_off_without_either(tmp_path: Path) -> None:
    h = await Harness(tmp_path).start()
    try:
        assert await start_dashboard(h.app, {}) is None
        await h.say("!dashboard", h.user("root", Role.ADMIN))
        assert "not enabled" in h.replies()[-1] and not h.adapter.of("send_dm")
    finally:
        await h.stop()

"""A harness with moderation and analytics, and its dashboard on an aiohttp test server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web.server import RUNNER, Dashboard
from bot.web.settings import WebFile
from plugins.analytics import AnalyticsPlugin
from plugins.moderation import ModerationPlugin
from tests.harness import Harness

RULES = """\
version: 1
web:
  enabled: true
  public_url: https://vigie.example.org
defaults:
  language: en
  rules_text:
    en: Be nice.
    fr: Soyez gentils.
communities:
  "console:test":
    name: Test community
    roles:
      cm: ["console:claire"]
      admin: ["console:root"]
  "console:other":
    name: Other community
    roles:
      cm: ["console:oscar"]
"""

LINK = re.compile(r"https://vigie\.example\.org(/login/[A-Za-z0-9_\-]+)")


@dataclass
class Site:
    """The harness, its dashboard and an HTTP client on it."""

    h: Harness
    dash: Dashboard
    client: TestClient  # type: ignore[type-arg]

    async def link(self, name: str, community: str = "console:test") -> str:
        """`!dashboard` said by `name`; the login path taken from the DM it got."""
        before = len(self.h.adapter.of("send_dm"))
        await self.h.say("!dashboard", name, community=community)
        dms = self.h.adapter.of("send_dm")[before:]
        assert dms, self.h.replies()[-1:]
        found = LINK.search(dms[-1]["text"])
        assert found, dms[-1]["text"]
        return found.group(1)

    async def login(self, name: str, community: str = "console:test") -> None:
        """Log in through a fresh link: open it, press the button."""
        path = await self.link(name, community)
        page = await self.client.get(path)
        text = await page.text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', text)
        assert csrf, text
        done = await self.client.post(path, data={"csrf": csrf.group(1)},
                                      allow_redirects=False)
        assert done.status == 303, await done.text()

    async def csrf(self, path: str) -> str:
        """The CSRF token of a page's forms."""
        text = await (await self.client.get(path)).text()
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        assert found, text
        return found.group(1)


@pytest.fixture
async def site(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Site]:
    h = await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin, AnalyticsPlugin],
                      database_url=harness_url).start()
    dash = Dashboard(h.app, WebFile(enabled=True, port=8080))
    server = TestServer(dash.build())
    await server.start_server(**RUNNER)  # as the dashboard runs: no access log
    client = TestClient(server)
    await client.start_server()
    yield Site(h, dash, client)
    await client.close()
    await h.stop()

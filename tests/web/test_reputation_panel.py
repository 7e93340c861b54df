"""Reputation's panel on the dashboard's overview, through HTTP as a CM opens it."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.web.server import RUNNER, Dashboard
from bot.web.settings import WebFile
from plugins.reputation import ReputationPlugin
from tests.harness import Harness
from tests.reputation.conftest import rule_file
from tests.web.conftest import LINK

RULES = rule_file().replace("version: 1\n", "version: 1\nweb:\n  enabled: true\n"
                            "  public_url: https://vigie.example.org\n")


async def test_the_overview_shows_the_watched_terms_and_their_chart(tmp_path: Path) -> None:
    h = await Harness(tmp_path, rules=RULES, plugins=[ReputationPlugin]).start()
    server = TestServer(Dashboard(h.app, WebFile(enabled=True)).build())
    await server.start_server(**RUNNER)
    client = TestClient(server)
    await client.start_server()
    try:
        await h.say("J'adore Acme, livraison super rapide !")
        await h.say("Acme c'est une arnaque, livraison en retard de 3 semaines")
        await h.say("!dashboard", "claire")
        found = LINK.search(h.adapter.of("send_dm")[-1]["text"])
        assert found
        form = await (await client.get(found.group(1))).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf
        await client.post(found.group(1), data={"csrf": csrf.group(1)})
        text = await (await client.get("/c/console:test/?lang=fr")).text()
        assert 'id="panel-reputation"' in text
        assert "• Acme (marque) : 2 mentions" in text
        chart = await client.get("/c/console:test/chart/reputation.png")
        assert chart.status == 200 and (await chart.read()).startswith(b"\x89PNG")
    finally:
        await client.close()
        await h.stop()

"""Analytics test helpers: an App with the moderation and analytics plugins on a rule file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from plugins.analytics.plugin import AnalyticsPlugin
from plugins.moderation import ModerationPlugin
from tests.harness import Harness

RULES = """\
version: 1
defaults:
  language: {lang}
  alerts_channel: {alerts}
  case_alerts: false
  roles:
    cm: ["console:claire"]
  rules_text: {{en: "Be nice.", fr: "Soyez gentils."}}
{section}
communities:
  "console:test":
    name: Test community
"""

Make = Callable[..., Awaitable[Harness]]


def rules(lang: str = "en", section: str = "", alerts: str = '"console:team"') -> str:
    """The rule file, with optional lines under `defaults` (`section`, indented)."""
    return RULES.format(lang=lang, section=section, alerts=alerts)


@pytest.fixture(autouse=True)
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Chart images go to a temporary folder."""
    folder = tmp_path / "reports"
    monkeypatch.setenv("VIGIE_REPORTS_DIR", str(folder))
    return folder


@pytest.fixture
async def make(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Make]:
    """Start harnesses with the moderation and analytics plugins."""
    started: list[Harness] = []

    async def start(lang: str = "en", section: str = "", alerts: str = '"console:team"'
                    ) -> Harness:
        where = tmp_path / f"h{len(started)}"
        where.mkdir()
        harness = await Harness(where, rules=rules(lang, section, alerts),
                                plugins=[ModerationPlugin, AnalyticsPlugin],
                                database_url=harness_url).start()
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.stop()


def analytics(h: Harness) -> AnalyticsPlugin:
    """The harness's analytics plugin."""
    return next(p for p in h.app.plugins if isinstance(p, AnalyticsPlugin))

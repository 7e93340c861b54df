"""Escalation test helpers: an App with the plugin, a rule file built per test, a chat script."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from bot.dispatch import Report
from bot.plugin import Plugin
from plugins.escalation import EscalationPlugin
from tests.harness import Harness

Make = Callable[..., Awaitable[Harness]]

FIGHT = [
    ("alice", "Your guide is useless, you clearly don't get the game."),
    ("bob", "Who do you think you are? Make a better one then."),
    ("alice", "You're pathetic, honestly."),
    ("bob", "Stop lying, you know nothing."),
    ("alice", "Shut up, nobody asked you."),
    ("bob", "You're such a clown."),
    ("alice", "Get lost, loser."),
    ("bob", "You're ridiculous."),
    ("alice", "Whatever, you're just stupid."),
    ("bob", "You're the problem here."),
]
"""A heated exchange in English: both sides hostile, aimed at each other."""


def rule_file(escalation: str = "", *, language: str = "en", alerts: str | None = "console:cm",
              extra: str = "") -> str:
    """A rule file whose defaults hold `escalation` (YAML for the section's body)."""
    body = textwrap.indent(textwrap.dedent(escalation).strip("\n"), "    ")
    section = f"  escalation:\n{body}\n" if body.strip() else ""
    channel = f'  alerts_channel: "{alerts}"\n' if alerts else ""
    return (f"version: 1\ndefaults:\n  language: {language}\n{channel}"
            "  rules_text:\n    en: Be civil.\n    fr: Restez courtois.\n"
            f"{section}{extra}"
            'communities:\n  "console:test":\n    name: Test community\n'
            "    roles:\n      cm: [\"console:claire\"]\n")


@pytest.fixture
async def make(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Make]:
    """Start a harness with the escalation plugin (and more) on a rule file made per test."""
    started: list[Harness] = []

    async def start(escalation: str = "", *, plugins: Sequence[type[Plugin]] = (),
                    rules: str | None = None, language: str = "en",
                    alerts: str | None = "console:cm", extra: str = "") -> Harness:
        folder = tmp_path / f"h{len(started)}"
        folder.mkdir()
        text = rules if rules is not None else rule_file(escalation, language=language,
                                                         alerts=alerts, extra=extra)
        harness = await Harness(folder, rules=text, plugins=[EscalationPlugin, *plugins],
                                database_url=harness_url).start()
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.stop()


async def play(h: Harness, lines: Sequence[tuple[str, str]], *, channel: str = "general",
               gap: timedelta = timedelta(seconds=10)) -> list[Report]:
    """Post each (speaker, text) in turn, `gap` apart; the reports, in order."""
    reports = []
    for speaker, text in lines:
        await h.advance(gap)
        reports.append(await h.say(text, speaker, channel=channel))
    return reports


def rules_of(reports: Sequence[Report], plugin: str = "escalation") -> list[str]:
    """Rules of the plugin's decisions, in order."""
    return [d.rule for r in reports for d in r.decisions if d.plugin == plugin]

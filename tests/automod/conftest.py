"""Automod test helpers: an App with the automod plugin and a rule file built per test."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from plugins.automod import AutomodPlugin
from tests.harness import Harness

Make = Callable[[str], Awaitable[Harness]]


def rule_file(automod: str, language: str = "en") -> str:
    """A rule file whose defaults hold `automod` (YAML for the section's body)."""
    body = textwrap.indent(textwrap.dedent(automod).strip("\n"), "    ")
    return (f"version: 1\ndefaults:\n  language: {language}\n  automod:\n{body}\n"
            'communities:\n  "console:test":\n    name: Test community\n')


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Make]:
    """Start a harness with the automod plugin on a rule file made from a section body."""
    started: list[Harness] = []

    async def start(automod: str) -> Harness:
        folder = tmp_path / f"h{len(started)}"
        folder.mkdir()
        harness = await Harness(folder, rules=rule_file(automod),
                                plugins=[AutomodPlugin]).start()
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.stop()

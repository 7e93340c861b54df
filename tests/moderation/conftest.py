"""A harness with the moderation plugin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from plugins.moderation import ModerationPlugin
from tests.harness import MINIMAL_RULES, Harness

RULES = MINIMAL_RULES + """\
    appeal:
      en: "write to appeals@example.org"
      fr: "écrivez à appels@example.org"
    roles:
      cm: ["console:claire"]
      admin: ["console:root"]
"""


@pytest.fixture
async def mod(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Harness]:
    """An App with the moderation plugin; claire is a CM and root an admin by the rule file."""
    h = await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin],
                      database_url=harness_url).start()
    yield h
    await h.stop()

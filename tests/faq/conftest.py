"""FAQ test helpers: an App with the FAQ plugin on a small FAQ, and button clicks."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.dispatch import Report
from bot.events import ButtonClicked, User
from plugins.faq import FaqPlugin
from tests.harness import Harness

ENTRIES = """\
entries:
  - id: delivery
    questions:
      fr: ["Quand arrive ma commande ?", "Combien de temps pour la livraison ?"]
      en: ["When will my order arrive?", "How long does delivery take?"]
    keywords: [livraison, delivery]
    answer:
      fr: "Sous 3 jours ouvrés."
      en: "Within 3 working days."
    links:
      - {fr: "https://example.com/fr/livraison", en: "https://example.com/en/delivery"}
  - id: password
    questions:
      fr: ["J'ai oublié mon mot de passe", "Comment réinitialiser mon mot de passe ?"]
      en: ["I forgot my password", "How do I reset my password?"]
    answer:
      fr: "Cliquez sur « Mot de passe oublié »."
      en: "Click \\"Forgot password\\"."
  - id: refund
    questions:
      fr: ["Comment me faire rembourser ?"]
      en: ["How do I get a refund?"]
    answer:
      en: "Refunds take 5 days."
"""

Make = Callable[..., Awaitable[Harness]]
_clicks = itertools.count(1)


def rule_file(section: str = "", entries: str = ENTRIES, community: str = "") -> str:
    """A rule file whose defaults hold a `faq:` section: `section` keys, then `entries`."""
    section = textwrap.dedent(section).strip("\n")
    if "semantic:" not in section:  # the encoder's late answers are tested on their own
        section += "\nsemantic: false"
    body = textwrap.indent(section.strip("\n") + "\n" + entries, "    ")
    return ("version: 1\ndefaults:\n  language: fr\n  roles:\n    cm: [\"console:claire\"]\n"
            f"  faq:\n{body}\ncommunities:\n  \"console:test\":\n    name: Test community\n"
            f"{community}")


@pytest.fixture(autouse=True)
def encoder_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Encoded FAQs go to the test's folder, not data/."""
    folder = tmp_path / "faq-vectors"
    monkeypatch.setenv("VIGIE_FAQ_CACHE", str(folder))
    return folder


@pytest.fixture
async def make(tmp_path: Path, harness_url: str | None) -> AsyncIterator[Make]:
    """Start a harness with the FAQ plugin on a rule file built by `rule_file`."""
    started: list[Harness] = []

    async def start(section: str = "", entries: str = ENTRIES, community: str = "",
                    db_name: str = "vigie.db", folder: Path | None = None) -> Harness:
        where = folder or tmp_path / f"h{len(started)}"
        where.mkdir(exist_ok=True)
        harness = await Harness(where, rules=rule_file(section, entries, community),
                                plugins=[FaqPlugin], db_name=db_name,
                                database_url=harness_url).start()
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.stop()


@pytest.fixture
async def faq(make: Make) -> Harness:
    """A harness on the small FAQ with default settings."""
    return await make()


async def click(h: Harness, message_id: str, custom_id: str, user: User | str = "bob",
                channel: str = "general") -> Report:
    """A member clicks a button under a bot message."""
    who = h.user(user) if isinstance(user, str) else user
    return await h.app.handle(ButtonClicked(
        id=f"console:click{next(_clicks)}", ts=h.clock.now(), community=h.community,
        channel=f"console:{channel}", message_id=message_id, user=who, custom_id=custom_id))


def answers(report: Report) -> list[str]:
    """Ids of the entries the FAQ answered with in a report."""
    return [d.rule.removeprefix("answer:") for d in report.decisions
            if d.plugin == "faq" and d.rule.startswith("answer:") and d.actions]


async def stored(h: Harness, sql: str, **params: object) -> list[dict[str, object]]:
    """Rows of the database once the FAQ's queued records are written."""
    plugin = next(p for p in h.app.plugins if isinstance(p, FaqPlugin))
    await plugin.records.flush()
    return await h.rows(sql, **params)

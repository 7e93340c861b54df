"""Welcome messages: one per newcomer, one grouped per burst, none in raid mode; both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import models_for
from bot.settings import ConfigError, load_rules
from plugins.welcome import WelcomePlugin
from tests.harness import Harness
from tests.welcome.conftest import PLUGINS, rules


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


def welcomes(h: Harness) -> list[str]:
    """Texts posted in the welcome channel."""
    return [c["text"] for c in h.adapter.of("send_message") if c["channel"] == "console:welcome"]


async def test_a_newcomer_gets_the_rules_and_the_faq_topics(wh: Harness) -> None:
    """English text, the community's rules and the FAQ's topics (a title, else the id)."""
    await wh.join("bob")
    assert welcomes(wh) == [
        "Welcome bob to Test community!\n\nOur rules:\nBe nice. No ads.\n\n"
        "Questions often asked: Delivery times, password. Ask with !faq followed by a topic."]


async def test_french_community_and_custom_text(tmp_path: Path, harness_url: str) -> None:
    """A French community gets its rule-file text in French, placeholders filled."""
    custom = ("      text:\n        en: \"Hi {members}!\"\n"
              "        fr: \"Salut {members}, bienvenue sur {community} !\"\n")
    h = Harness(tmp_path, rules=rules("fr", custom), plugins=PLUGINS, database_url=harness_url)
    await h.start()
    try:
        await h.join("zoé")
        assert welcomes(h) == [
            "Salut zoé, bienvenue sur Test community !\n\nNos règles :\nSoyez gentils. Pas de "
            "pub.\n\nQuestions fréquentes : Délais de livraison, password. Demandez avec !faq "
            "suivi d'un sujet."]
    finally:
        await h.stop()


async def test_a_burst_is_welcomed_once_together(wh: Harness) -> None:
    """The first is welcomed at once; the next two wait for the window's end, then together."""
    await wh.join("bob")
    await wh.advance(timedelta(seconds=10))
    await wh.join("carol")
    await wh.advance(timedelta(seconds=10))
    await wh.join("dave")
    assert len(welcomes(wh)) == 1
    await wh.advance(timedelta(seconds=39))
    assert len(welcomes(wh)) == 1
    await wh.advance(timedelta(seconds=1))
    assert welcomes(wh)[1].startswith("Welcome carol and dave to Test community!")
    await wh.advance(timedelta(minutes=5))
    assert len(welcomes(wh)) == 2
    assert await wh.rows("SELECT * FROM welcome_waiting") == []


async def test_many_names_are_counted(tmp_path: Path, harness_url: str) -> None:
    """Past max_names, the rest are counted; the window starts again after a grouped welcome."""
    h = Harness(tmp_path, rules=rules(welcome="      max_names: 2\n").replace(
        "joins: 4", "joins: 50"), plugins=PLUGINS, database_url=harness_url)
    await h.start()
    try:
        for name in ("a1", "b2", "c3", "d4", "e5"):
            await h.join(name)
        await h.advance(timedelta(minutes=1))
        assert welcomes(h)[1].startswith("Welcome b2, c3 and 2 others to Test community!")
        await h.advance(timedelta(seconds=30))
        await h.join("f6")  # within a minute of the grouped welcome: waits
        assert len(welcomes(h)) == 2
        await h.advance(timedelta(seconds=30))
        assert welcomes(h)[2].startswith("Welcome f6 to")
    finally:
        await h.stop()


async def test_no_welcome_in_raid_mode(wh: Harness) -> None:
    """The fourth join within a minute declares a raid: nobody waiting is welcomed, nor anyone
    joining during the raid; after it ends, welcomes start again."""
    for name in ("bob", "carol", "dave", "eve", "frank"):
        await wh.join(name)
    assert len(welcomes(wh)) == 1  # bob, before the raid
    await wh.advance(timedelta(minutes=1))
    assert len(welcomes(wh)) == 1
    assert await wh.rows("SELECT * FROM welcome_waiting") == []
    await wh.advance(timedelta(minutes=11))  # the raid ends
    await wh.join("grace")
    assert welcomes(wh)[-1].startswith("Welcome grace to")


async def test_a_restart_keeps_the_waiting_newcomers(tmp_path: Path, harness_url: str) -> None:
    """The grouped welcome is a durable job: a new App on the same database sends it."""
    first = Harness(tmp_path, rules=rules(), plugins=PLUGINS, database_url=harness_url)
    await first.start()
    await first.join("bob")
    await first.join("carol")
    await first.stop()
    second = Harness(tmp_path, rules=rules(), plugins=PLUGINS, database_url=harness_url)
    second.clock.set(first.clock.now() + timedelta(seconds=30))
    await second.start()
    try:
        await second.advance(timedelta(seconds=30))
        assert welcomes(second)[0].startswith("Welcome carol to Test community!")
    finally:
        await second.stop()


async def test_off_by_default_and_bots_ignored(tmp_path: Path, harness_url: str) -> None:
    """Without `welcome.enabled` nobody is welcomed."""
    h = Harness(tmp_path, plugins=[WelcomePlugin], database_url=harness_url)
    await h.start()
    try:
        await h.join("bob")
        assert h.adapter.of("send_message") == []
    finally:
        await h.stop()


def test_bad_placeholder_is_refused(tmp_path: Path) -> None:
    """An unknown placeholder in the welcome text is an error naming the available ones."""
    path = tmp_path / "rules.yaml"
    path.write_text(rules(welcome="      text: {en: \"Hi {member}\"}\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown placeholder \{member\}"):
        load_rules(path, models_for(PLUGINS))

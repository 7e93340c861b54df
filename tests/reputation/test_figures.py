"""Mentions counted per day, platform and term with their sentiment; examples bounded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.reputation.conftest import Make, stored


@pytest.fixture
def harness_url(store_url: str) -> str:
    """Daily figures, examples and pruning on SQLite and PostgreSQL."""
    return store_url


async def test_mentions_are_counted_per_term_with_their_sentiment(make: Make) -> None:
    h = await make()
    await h.say("J'adore Acme, livraison super rapide !")
    await h.say("Akme c'est vraiment nul, toujours pas reçu mon colis")
    await h.say("Comment je suis ma commande ACME ?")
    await h.say("bonjour tout le monde")
    rows = await stored(h, "SELECT term, platform, mentions, negative, positive FROM "
                        "reputation_daily ORDER BY term")
    assert [(r["term"], r["platform"], r["mentions"], r["negative"], r["positive"])
            for r in rows] == [("*", "console", 3, 1, 1), ("acme", "console", 3, 1, 1),
                                                   ("delivery", "console", 2, 1, 1)]


async def test_whole_words_only_and_no_bots_or_staff(make: Make) -> None:
    h = await make()
    await h.say("acmexpress et acmeshop ne sont pas nous")
    await h.say("Acme est génial", author=h.user("robot", is_bot=True))
    await h.say("Acme est génial", author="claire")
    assert await stored(h, "SELECT * FROM reputation_daily") == []


async def test_examples_keep_ids_not_text_and_are_bounded(make: Make) -> None:
    h = await make("examples: 2")
    for _ in range(4):
        await h.say("Acme c'est une arnaque, je suis furieux")
    await h.say("Acme au top, merci !")
    rows = await stored(h, "SELECT * FROM reputation_examples ORDER BY id")
    assert [r["label"] for r in rows] == ["negative", "negative", "positive"]
    assert all("arnaque" not in str(value) for row in rows for value in row.values())
    await h.advance(timedelta(days=1))
    await h.say("Acme c'est une arnaque")
    rows = await stored(h, "SELECT day FROM reputation_examples")
    assert len(rows) == 4


async def test_a_section_switched_off_counts_nothing(make: Make) -> None:
    h = await make("enabled: false")
    await h.say("Acme c'est nul")
    assert await stored(h, "SELECT * FROM reputation_daily") == []


async def test_figures_older_than_the_retention_are_pruned(make: Make) -> None:
    h = await make("retention: 2d")
    await h.say("Acme c'est une arnaque")
    await stored(h, "SELECT 1")
    await h.advance(timedelta(days=3))
    await h.say("Acme au top !")
    rows = await stored(h, "SELECT day, term FROM reputation_daily ORDER BY day")
    assert {r["day"] for r in rows} == {h.clock.now().date().isoformat()}
    examples = await stored(h, "SELECT label FROM reputation_examples")
    assert [r["label"] for r in examples] == ["positive"]

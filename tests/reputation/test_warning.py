"""The early warning: exact tail probabilities, and scripted days with and without a bad buzz."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta
from pathlib import Path

import pytest

from bot.events import ButtonClicked
from bot.permissions import Role
from plugins.reputation import ReputationPlugin
from plugins.reputation.warning import beta_binomial_tail, negative_binomial_tail
from tests.harness import Harness
from tests.reputation.conftest import Make, rule_file, stored

SECTION = """\
warning:
  window: 1h
  baseline: 2d
  min_negative: 5
  cooldown: 1h
"""
CALM_HOUR = [
    "Acme livraison reçue, merci !",
    "Quand arrive le nouveau rocket de Acme ?",
    "Acme c'est nul, colis en retard",
    "J'ai commandé chez Acme hier",
]
ANGRY = [
    "Acme c'est une arnaque, colis jamais reçu",
    "Acme service client inexistant, je suis furieux",
    "Acme remboursez moi, c'est scandaleux",
    "Acme = escrocs, fuyez",
    "Honte à Acme, toujours pas de réponse",
    "Acme c'est nul, plus jamais",
    "Acme lamentable, colis cassé",
    "Acme arnaque totale 😡",
]
_members = itertools.count(1)


@pytest.fixture
def harness_url(store_url: str) -> str:
    """Warnings stored and answered on SQLite and PostgreSQL."""
    return store_url


def test_tails_match_closed_forms() -> None:
    # Beta(1, 1) prior: every count of n is equally likely.
    assert beta_binomial_tail(3, 9, 1, 1) == pytest.approx(7 / 10)
    assert beta_binomial_tail(0, 9, 1, 1) == 1.0
    assert beta_binomial_tail(10, 9, 1, 1) == 0.0
    # NegBin(1, p) is geometric: P(X >= k) = (1 - p)^k.
    assert negative_binomial_tail(4, 1, 0.5) == pytest.approx(0.5 ** 4)
    assert negative_binomial_tail(0, 3, 0.5) == 1.0
    # A large, certain baseline: the beta-binomial tends to the binomial.
    binomial = sum(math.comb(20, x) * 0.1 ** x * 0.9 ** (20 - x) for x in range(8, 21))
    assert beta_binomial_tail(8, 20, 10_000 + 1, 90_000 + 1) == pytest.approx(binomial, rel=0.01)


async def _calm(h: Harness, hours: int) -> None:
    """Hours of ordinary chat: four mentions an hour, one of them negative."""
    for _ in range(hours):
        for text in CALM_HOUR:
            await h.say(text, author=f"m{next(_members)}")
            await h.advance(timedelta(minutes=15))


def _alerts(h: Harness) -> list[str]:
    """Warnings posted in the alerts channel (with buttons) or sent as alerts (without)."""
    return [c["text"] for c in h.adapter.of("send_message") if c["channel"] == "console:equipe"
            and c["text"].startswith("⚠️")] + [c["text"] for c in h.adapter.of("send_alert")]


async def test_calm_days_raise_no_warning(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 60)
    assert _alerts(h) == []


async def test_a_sudden_spike_warns_once_with_the_evidence(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
        await h.advance(timedelta(minutes=2))
    alerts = _alerts(h)
    assert len(alerts) == 1, alerts
    alert = alerts[0]
    assert alert.startswith("⚠️ E-réputation : ")
    assert "sur Acme" in alert and "sur les 2j d'avant" in alert
    assert alert.count("\n• ") == 5
    assert "arnaque" in alert
    rows = await stored(h, "SELECT term, negative, baseline_negative, baseline_mentions, "
                        "p_value FROM reputation_warnings")
    assert len(rows) >= 1 and rows[0]["term"] == "acme"
    assert rows[0]["baseline_mentions"] > 100 and rows[0]["p_value"] < 0.001
    # Still angry an hour and more later: at most one warning per term and hour.
    await h.advance(timedelta(minutes=45))
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
        await h.advance(timedelta(minutes=2))
    assert len(_alerts(h)) == 2


async def test_one_member_shouting_is_not_a_crisis(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 48)
    for text in ANGRY * 2:
        await h.say(text, author="furious")
        await h.advance(timedelta(minutes=1))
    assert _alerts(h) == []


async def test_the_warning_can_be_switched_off(make: Make) -> None:
    h = await make(SECTION.replace("warning:\n", "warning:\n  enabled: false\n"))
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
    assert _alerts(h) == []


async def _click(h: Harness, custom_id: str, who: str, role: Role = Role.MEMBER) -> str:
    await h.app.handle(ButtonClicked(
        id=f"console:c{next(_members)}", ts=h.clock.now(), community=h.community,
        channel="console:equipe", message_id="console:1000", user=h.user(who, role),
        custom_id=custom_id))
    return h.replies()[-1]


async def test_the_cms_answer_is_stored(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
        await h.advance(timedelta(minutes=2))
    posted = [c for c in h.adapter.of("send_message") if c["channel"] == "console:equipe"]
    assert len(posted) == 1
    ids = [b.custom_id for b in posted[0]["buttons"]]
    assert [i.rsplit(":", 1)[0] for i in ids] == ["reputation:onit", "reputation:false"]
    assert await _click(h, ids[1], "bob") == "Seule l'équipe peut répondre à cette alerte."
    assert await _click(h, ids[1], "claire", Role.CM) == ("claire a signalé cette alerte comme "
                                                          "fausse alerte.")
    assert await _click(h, ids[0], "claire", Role.CM) == ("Cette alerte a déjà une réponse : "
                                                          "fausse alerte.")
    rows = await stored(h, "SELECT outcome, decided_by FROM reputation_warnings")
    assert [(r["outcome"], r["decided_by"]) for r in rows] == [("false", "console:claire")]
    assert await _click(h, "reputation:onit:999", "claire", Role.CM) == ("Je ne retrouve plus "
                                                                        "cette alerte.")


async def test_without_an_alerts_channel_the_warning_is_an_alert(make: Make) -> None:
    h = await make(SECTION, alerts=False)
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
        await h.advance(timedelta(minutes=2))
    assert len(h.adapter.of("send_alert")) == 1


async def test_a_crisis_spreading_to_another_community_says_so(make: Make) -> None:
    h = await make(SECTION, language="en",
                   community="  \"console:other\":\n    name: Acme Telegram\n")
    for _ in range(48):
        for text in CALM_HOUR:
            await h.say(text, author=f"m{next(_members)}")
            await h.say(text, author=f"m{next(_members)}", community="console:other")
            await h.advance(timedelta(minutes=15))
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
        await h.advance(timedelta(minutes=1))
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}", community="console:other")
        await h.advance(timedelta(minutes=1))
    alerts = _alerts(h)
    assert len(alerts) == 2, alerts
    assert "rising in" not in alerts[0]
    assert "It is rising in Test community too: the same crisis, spreading." in alerts[1]


async def test_a_restart_keeps_the_baseline(tmp_path: Path) -> None:
    rules = rule_file(SECTION)
    first = await Harness(tmp_path, rules=rules, plugins=[ReputationPlugin]).start()
    await _calm(first, 48)
    now = first.clock.now()
    await first.stop()
    second = await Harness(tmp_path, rules=rules, plugins=[ReputationPlugin]).start()
    second.clock.advance(now - second.clock.now())
    try:
        for text in ANGRY:
            await second.say(text, author=f"m{next(_members)}")
            await second.advance(timedelta(minutes=2))
        alerts = _alerts(second)
        assert len(alerts) == 1, alerts
    finally:
        await second.stop()


def _reminders(h: Harness) -> list[str]:
    return [c["text"] for c in h.adapter.of("send_message") if c["text"].startswith("⏰")]


async def test_an_unanswered_warning_is_recalled_once(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
    assert len(_alerts(h)) == 1 and _reminders(h) == []
    await h.advance(timedelta(minutes=29))
    assert _reminders(h) == []
    await h.advance(timedelta(minutes=2))
    [reminder] = _reminders(h)
    assert reminder.startswith("⏰ Rappel : personne n'a répondu à l'alerte sur Acme de ")
    await h.advance(timedelta(hours=2))
    assert len(_reminders(h)) == 1


async def test_an_answered_warning_is_not_recalled(make: Make) -> None:
    h = await make(SECTION)
    await _calm(h, 48)
    for text in ANGRY:
        await h.say(text, author=f"m{next(_members)}")
    posted = [c for c in h.adapter.of("send_message") if c["channel"] == "console:equipe"]
    await _click(h, posted[0]["buttons"][0].custom_id, "claire", Role.CM)
    await h.advance(timedelta(hours=1))
    assert _reminders(h) == []

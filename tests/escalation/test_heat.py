"""The heat model: what a message's signals are worth, and what makes an exchange."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

import pytest

from bot.events import User
from bot.text import NormalizedText
from plugins.escalation.heat import Participant, exchange_of, weigh
from plugins.escalation.lexicon import matcher
from plugins.escalation.settings import EscalationSettings, Weights
from plugins.escalation.signals import read

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SETTINGS = EscalationSettings()
WEIGHTS = Weights()


def heat_of(text: str, *, aimed: bool = True, pace: bool = False, answers: bool = False) -> float:
    return weigh(read(NormalizedText(text)), WEIGHTS, aimed=aimed, pace=pace,
                 answers_heat=answers).total


@pytest.mark.parametrize(("text", "category", "entry"), [
    ("Espèce de connard", "insult", "connard"),
    ("f.u.c.k y.o.u", "insult", "fuck you"),
    ("Tais-toi un peu", "hostile", "tais toi"),
    ("T'ES QUI TOI ??", "hostile", "t es qui"),
    ("shut up, nobody asked", "hostile", "nobody asked"),
    ("c'est inadmissible", "negative", "inadmissible"),
    ("what a scam", "negative", "scam"),
    ("putain", "vulgar", "putain"),
    ("mdr", "laughter", "mdr"),
    ("my bad, sorry", "calming", "sorry"),
])
def test_lexicons_find_each_category(text: str, category: str, entry: str) -> None:
    """Core lexicons (insults, profanity) and the plugin's own (hostile, negative, laughter,
    calming) are read in one scan, through the shared normaliser."""
    assert entry in matcher().scan(NormalizedText(text)).get(category, ())


@pytest.mark.parametrize("text", [
    "On fait un pique-nique dimanche ?", "Match nul hier soir", "Je ne le trouve nulle part",
    "Sorry to hear that", "not bad at all", "QUOI ?! C'EST GÉNIAL !!!", "I'm stupid, my bad",
])
def test_ordinary_phrases_add_no_heat(text: str) -> None:
    """Allowed phrases, enthusiasm and self-deprecation are not heat."""
    assert heat_of(text) == 0


def test_weights_and_caps() -> None:
    """Each signal adds its weight, capped per message; amplifiers need negative words."""
    assert heat_of("you idiot") == 2.0
    assert heat_of("idiot moron clown loser jerk") == 6.0  # hostile: at most 3
    assert heat_of("YOU ARE AN IDIOT!!") == 2.0 + 1.0 + 0.5  # shouting and one burst
    assert heat_of("you idiot", pace=True, answers=True) == 2.0 + 0.5 + 1.0
    assert heat_of("THIS IS AMAZING!!!", pace=True, answers=True) == 0


def test_unaimed_venting_counts_half_but_insults_do_not() -> None:
    """Negative words about a thing count half; an insult or an aggressive phrase is aimed."""
    assert heat_of("this update is ridiculous", aimed=False) == 0.5
    assert heat_of("ridiculous, you broke it", aimed=True) == 1.0
    assert heat_of("shut up", aimed=False) == 2.0


def test_laughter_marks_banter() -> None:
    """Laughter, a friendly emoji or emoticon divide the heat by four."""
    assert heat_of("you idiot 😂") == 0.5
    assert heat_of("t'es nul mdr") == 0.25
    assert heat_of("you suck :)") == 0.25
    assert heat_of("hahaha you're such a clown") == 0.5


def test_explanation_names_signals_and_factors() -> None:
    """A message's heat says which signals, how much, and which factors applied."""
    heat = weigh(read(NormalizedText("this is ridiculous!!")), WEIGHTS, aimed=False,
                 pace=False, answers_heat=False)
    assert heat.explain() == "negative 0.5 + bursts 0.2, unaimed ×0.5"


def _member(name: str, heat: float, negatives: int, targets: list[str]) -> Participant:
    member = Participant(user=User(id=name, name=name), at=NOW, heat=heat)
    for index in range(negatives):
        member.negatives.append(NOW - timedelta(seconds=10 * index))
    for target in targets:
        member.targets[target] = deque([NOW])
    return member


def test_exchange_needs_both_sides() -> None:
    """Two hot members who traded negative messages both ways make an exchange."""
    alice = _member("alice", 6.0, 3, ["bob"])
    bob = _member("bob", 5.0, 2, ["alice"])
    exchange = exchange_of([alice, bob], NOW, SETTINGS)
    assert exchange.heat == 11.0
    assert exchange.names() == ["alice", "bob"]


def test_one_sided_hostility_is_a_member_alone() -> None:
    """Nobody answered in kind: no exchange, the member is alone (the CMs may be told)."""
    alice = _member("alice", 6.0, 3, ["bob"])
    bob = _member("bob", 0.0, 0, [])
    exchange = exchange_of([alice, bob], NOW, SETTINGS)
    assert exchange.heat == 0 and exchange.solo is not None
    assert exchange.solo[0] is alice


def test_one_negative_message_each_is_not_sustained() -> None:
    """Banter's shape: a jab each way is not an exchange, and nobody is alone either."""
    alice = _member("alice", 3.0, 1, ["bob"])
    bob = _member("bob", 3.0, 1, ["alice"])
    exchange = exchange_of([alice, bob], NOW, SETTINGS)
    assert exchange.heat == 0 and exchange.solo is None


def test_a_third_member_joins_the_exchange() -> None:
    """One member against two who answered in kind: the three make the exchange."""
    kevin = _member("kevin", 8.0, 4, ["laura", "ophelie"])
    laura = _member("laura", 2.5, 1, ["kevin"])
    ophelie = _member("ophelie", 2.8, 1, ["kevin"])
    bystander = _member("sam", 9.0, 3, ["someone"])
    exchange = exchange_of([kevin, laura, ophelie, bystander], NOW, SETTINGS)
    assert exchange.names() == ["kevin", "ophelie", "laura"]
    assert exchange.heat == pytest.approx(13.3)


def test_heat_decays_with_its_half_life() -> None:
    """A member's heat halves every half-life."""
    alice = _member("alice", 8.0, 2, [])
    assert alice.heat_at(NOW + SETTINGS.half_life, SETTINGS.half_life) == pytest.approx(4.0)
    assert alice.heat_at(NOW + 2 * SETTINGS.half_life, SETTINGS.half_life) == \
        pytest.approx(2.0)

"""Masked words and aimed words through the App, on the default rule file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.discovery import discover_plugins
from tests.automod.labelled import ROOT
from tests.automod.test_triggers import fired
from tests.harness import Harness

MASKED = [
    "t'es un c*nnard", "sal*pe", "espèce d'enc**lé", "fils de p*te", "t'es un fils de put*in",
    "t'es un enf*nt de putain", "t'es un fi*s de ta race", "you f*cker", "f**k you", "you b*tch",
    "you b***h", "you motherf*cker", "you c*ntface", "you fu*k tard", "you du*b fuck",
    "you nigg**", "sal#pe", "t'es une p*dale", "you f#ggot", "t'es qu'une pu**",
    "f i l s  d e  p * t e", "s o n  o f  a  w h * r e", "t'es un c * n n a r d",
]
CLEAN = [
    "*sigh* fine, I'll do it", "that was **really** good", "5*3 = 15 and 2*x = 10",
    "price: 20 euros* (*shipping not included)", "*their, sorry", "C# and F# code",
    "my_var_name = 3", "#hashtag", "la p*dale de frein est usée", "une t*pette à mouches",
    "il a écrit p*** en entier", "f***", "10**6 is a million", "a * b = c", "tape *31#",
]
AIMED = [
    "shut up retard", "shut up, retard", "get lost fag", "ta gueule pédale",
    "dégage tapette", "va te faire voir pédale", "nobody asked, retard",
]
NOT_AIMED = [
    "Retard de livraison, désolé.", "La pédale de frein, elle est usée.", "on est en retard",
    "shut up about the retard delay", "il faut changer la pédale",
]


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """An App on the default rule file, with every plugin."""
    rules = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
    harness = await Harness(tmp_path, rules=rules, plugins=discover_plugins()).start()
    harness.community = "console:local"
    yield harness
    await harness.stop()


async def flagged(h: Harness, texts: list[str]) -> list[str]:
    """The texts the insults rule fires on, each from a new member."""
    found = []
    for number, text in enumerate(texts):
        if "insults" in fired(await h.say(text, author=f"m{len(h.adapter.calls)}-{number}")):
            found.append(text)
    return found


async def test_masked_insults_are_caught(h: Harness) -> None:
    """Masked letters in the middle or at the end of a word, in phrases, with `*` or `#`."""
    assert await flagged(h, MASKED) == MASKED


async def test_ordinary_masks_stay_clean(h: Harness) -> None:
    """Emphasis, products, footnotes, code, and a masked word in its innocent sense."""
    assert await flagged(h, CLEAN) == []


async def test_evidence_shows_the_masked_word_as_typed(h: Harness) -> None:
    """The case says which entry the masked word was read as, and where it was typed (in the
    community's language, French here)."""
    report = await h.say("alors, t'es un c*nnard ou quoi")
    assert fired(report) == {"insults": ["delete", "warn"]}
    evidence = next(d.evidence for d in report.decisions if d.rule == "insults")
    assert evidence == ("correspondance avec 'connard' (fr-insults) dans un mot masqué aux "
                        "positions 15-22 : 'c*nnard'")
    report = await h.say("ok fils de p*te", author="bob")
    evidence = next(d.evidence for d in report.decisions if d.rule == "insults")
    assert evidence.endswith("dans un mot masqué aux positions 3-15 : 'fils de p*te'")


async def test_dismissals_and_commas_aim_a_dual_word(h: Harness) -> None:
    """A dual word ending the message after a dismissal or a comma is aimed; its innocent
    uses are not."""
    assert await flagged(h, AIMED) == AIMED
    assert await flagged(h, NOT_AIMED) == []

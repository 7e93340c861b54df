"""Whether a dual word is aimed at a person: unit table of `aimed_at_person` on word views."""

from __future__ import annotations

import pytest

from bot.text import NormalizedText
from bot.text.aim import aimed_at_person

CASES = [
    ("you fag", "fag", "en", True),
    ("what a prick", "prick", "en", True),
    ("shut up retard", "retard", "en", True),  # a dismissal before the word ending the message
    ("get lost fag", "fag", "en", True),
    ("fuck off prick", "prick", "en", True),
    ("ta gueule pedale", "pedale", "fr", True),
    ("degage tapette", "tapette", "fr", True),
    ("va te faire voir pedale", "pedale", "fr", True),
    ("retard", "retard", "en", True),  # the word alone
    ("shut up retard it is late", "retard", "en", False),  # the message goes on
    ("the train ran late so I gave up retard plans", "retard", "en", False),
    ("la pedale de frein", "pedale", "fr", False),
    ("retard de livraison", "retard", "fr", False),
    ("appuie sur la pedale", "pedale", "fr", False),
    ("what prick means", "prick", "en", False),  # `what` aims only through an article
]


@pytest.mark.parametrize(("text", "word", "language", "aimed"), CASES)
def test_aimed_at_person(text: str, word: str, language: str, aimed: bool) -> None:
    """Words of address, dismissals ending the message, the word alone; not innocent uses."""
    view = NormalizedText(text).views[0].text
    start = view.index(f" {word} ") + 1
    assert aimed_at_person(view, start, start + len(word), language) is aimed

"""Sentiment of brand chat in French and English: what each rule of the reader does.

These sentences were written alongside the method (a development table, not a measure); the
blind set in eval/reputation/ is the measure (scripts/eval_reputation.py)."""

from __future__ import annotations

import pytest

from plugins.reputation.sentiment import guess_language, label_of, score

LABELLED = [
    # plain words, both languages
    ("J'adore Acme, livraison super rapide !", "positive"),
    ("Acme is good", "positive"),
    ("Service Acme au top, problème réglé en 5 min", "positive"),
    ("Acme fixed my issue quickly, thanks!", "positive"),
    ("Acme vous êtes des escrocs, remboursez moi", "negative"),
    ("Still waiting for my Acme refund, 3 weeks now", "negative"),
    # negation, idioms
    ("Acme c'est pas génial", "negative"),
    ("Acme c'est pas terrible", "negative"),
    ("Acme c'est pas mal du tout", "positive"),
    ("Acme is not good", "negative"),
    ("Acme is not bad", "positive"),
    ("acme isn't great", "negative"),
    ("je ne suis pas content de acme", "negative"),
    ("Acme n'est pas à la hauteur", "negative"),
    ("Acme je n'ai rien à redire", "positive"),
    ("Acme ne répond jamais", "negative"),
    ("acme support never answered my emails", "negative"),
    # emoji and emoticons
    ("Acme 😍😍", "positive"),
    ("Acme 😡", "negative"),
    ("acme 👎", "negative"),
    ("acme :)", "positive"),
    # sarcasm markers
    ("Oh great, Acme lost my parcel again", "negative"),
    ("Génial, Acme a encore perdu mon colis", "negative"),
    ("Merci Acme pour la super livraison 🙄", "negative"),
    ("Bravo Acme, 3 semaines pour un colis /s", "negative"),
    ("merci pour rien acme", "negative"),
    # capitals
    ("ACME JE VEUX MON COLIS", "negative"),
    # contrast
    ("Le Rocket est pas mal du tout mais trop cher", "negative"),
    ("The Rocket is expensive but worth it", "positive"),
    # neutral questions and facts
    ("Quand est-ce que le Rocket sera dispo ?", "neutral"),
    ("When does the Rocket ship to Canada?", "neutral"),
    ("How do I reset my Acme password?", "neutral"),
    ("Acme ouvre un magasin à Lyon", "neutral"),
    ("I ordered from Acme yesterday", "neutral"),
    ("ACME ROCKET DISPO ?", "neutral"),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labels(text: str, expected: str) -> None:
    assert score(text).label == expected, score(text)


@pytest.mark.parametrize(("weaker", "stronger"), [
    ("Acme c'est bien", "Acme c'est très bien"),
    ("Acme c'est très bien", "ACME C'EST TRÈS BIEN"),
    ("Acme c'est bien", "Acme c'est bien !!!"),
    ("Acme is good", "Acme is really good"),
    ("Acme is good", "Acme is GOOD"),
    ("Acme est nul", "Acme est nuuuul"),
])
def test_intensifiers_caps_exclamation_and_stretching_strengthen(weaker: str,
                                                                 stronger: str) -> None:
    assert abs(score(stronger).score) > abs(score(weaker).score) > 0


def test_a_dampener_weakens() -> None:
    assert 0 < score("Acme is somewhat good").score < score("Acme is good").score


def test_negation_flips_the_sign() -> None:
    assert score("Acme est bon").score > 0 > score("Acme n'est pas bon").score
    assert score("Acme is bad").score < 0 < score("Acme is not bad").score


def test_score_range_cues_and_language() -> None:
    found = score("ACME EST NUL!!!! 😡😡😡 arnaque scandale honte")
    assert -1 <= found.score < -0.9
    assert found.cues and found.lang == "fr"
    assert score("this is great").lang == "en"
    assert score("").label == "neutral"
    assert score("x" * 100_000).label == "neutral"


def test_language_guess_and_band() -> None:
    assert guess_language(["le", "colis", "est", "pas", "la"]) == "fr"
    assert guess_language(["the", "parcel", "is", "not", "here"]) == "en"
    assert guess_language([], "en") == "en"
    assert label_of(0.3, 0.25) == "positive"
    assert label_of(-0.3, 0.25) == "negative"
    assert label_of(0.2, 0.25) == "neutral"

"""Masked words (`c*nnard`, `f**k`) read as the listed words they can only be: unit tables."""

from __future__ import annotations

import random
import string

import pytest

import bot.text.masks as masks
from bot.text.lexicons import entry_keys
from bot.text.masks import MAX_MASKED, MaskIndex

ENTRIES = ["connard", "salope", "enculé", "fils de pute", "putain", "fuck", "bitch", "biatch",
           "cunt*", "*fucker*", "motherfuck*", "pédale", "nigger", "nigga", "niggah", "niggas",
           "shit", "dumb fuck", "fucktard"]


def index(entries: list[str] = ENTRIES) -> MaskIndex:
    """A mask index of `entries`, as WordIndex builds it (one automaton key at a time)."""
    built = MaskIndex()
    for entry in entries:
        for key in entry_keys(entry):
            built.add_key(key)
    return built


READ = [
    ("t'es un c*nnard", ["t'es un connard"]),
    ("sal*pe", ["salope"]),
    ("sal#pe", ["salope"]),
    ("sal_pe", ["salope"]),
    ("enc**le", ["encule"]),  # two masks, two letters (the folded text has no accents)
    ("fils de p*te", ["fils de pute"]),
    ("fils de put*in", ["fils de putain"]),
    ("f**k you", ["fuck you"]),
    ("f*ck", ["fuck"]),
    ("b***h", ["bitch"]),  # one letter more hidden than shown: each mask hides one
    ("b*ch", ["bitch"]),  # a single mask may hide two letters
    ("b*tch", ["bitch", "biatch"]),
    ("pu**", ["pute"]),  # masks ending a word: exactly as many letters
    ("motherf*cker", ["motherfucker"]),  # an infix stem (`*fucker*`)
    ("c*ntface", ["cuntface"]),  # a prefix stem (`cunt*`), the rest of the word kept
    ("du*b fuck", ["dumb fuck"]),
    ("nigg**", ["nigger", "niggah", "niggas"]),  # several readings: one text each
    ("f*ck this sh*t", ["fuck this shit"]),
    ("**c*nnard**", ["**connard**"]),  # emphasis around a masked word
    ("sh1*t", []),  # shows `shit` whole and more: no listed word fits
    ("f i l s  d e  p * t e", ["f i l s  d e  p u t e"]),  # spelled out: read back spelled out
    ("f i l s d e p * t e", ["f i l s d e p u t e"]),  # the phrase glued (`filsdepute`)
    ("t'es une p * t e !", ["t'es une p u t e !"]),
]
NOT_READ = [
    "*emphasis*", "**bold** text", "5*3 = 15", "2*x", "a*b", "price* (see below)", "*their",
    "C# and F#", "#hashtag", "my_var_name", "__init__.py", "f***", "b***e", "n****r", "****",
    "char *p", "int* x", "10**6", "x*y*z", "***spoilers***", "p*** en entier",
    "a * b", "x * y * z", "5 * 3 * 2", "* c o n", "la touche * puis #",
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_masked_words_read_as_listed_words(text: str, expected: list[str]) -> None:
    """Each masked word reads as the listed words that fit it (one text per reading)."""
    assert sorted(u.text for u in index().unmask(text)) == sorted(expected)


@pytest.mark.parametrize("text", NOT_READ)
def test_ordinary_masks_and_unclear_words_are_not_read(text: str) -> None:
    """Emphasis, products, footnotes, code, and words showing too little stay as they are."""
    assert index().unmask(text) == []


def test_origin_maps_a_reading_back_to_the_folded_text() -> None:
    """A span of the read text maps to the span of the folded text it comes from."""
    plain = "ok f**k you and sh*t"
    [unmasked] = index().unmask(plain)
    assert unmasked.text == "ok fuck you and shit"
    for word in ("fuck", "you", "shit", "ok"):
        start = unmasked.text.index(word)
        begin, end = unmasked.origin(start, start + len(word))
        assert plain[begin:end] == {"fuck": "f**k", "shit": "sh*t"}.get(word, word)
    begin, end = unmasked.origin(3, len(unmasked.text))
    assert plain[begin:end] == "f**k you and sh*t"


def test_too_many_readings_is_not_read() -> None:
    """A masked word that fits more than MAX_READINGS words is ambiguous."""
    words = [f"ca{letter}ot" for letter in "bdfgjlmnp"]
    assert index(words).unmask("ca*ot") == []
    assert [u.text for u in index(words[:2]).unmask("ca*ot")] == ["cabot", "cadot"]


def test_a_hostile_message_reads_at_most_max_masked_words() -> None:
    """Only the first MAX_MASKED masked words are read."""
    text = " ".join(["c*nnard"] * (MAX_MASKED + 30))
    [unmasked] = index().unmask(text)
    assert unmasked.text.count("connard") == MAX_MASKED
    assert unmasked.text.count("c*nnard") == 30


def test_hostile_runs_of_masks_read_nothing() -> None:
    """Long runs of spaced masks, of masks glued to single letters and of underscores read
    nothing (each spelled-out run is read once, not from each of its masks)."""
    for text in ("a * " * 500, "_ " * 1000, "*a" * 1000, "_a " * 700, "a*b*c*d*e*f*g " * 150):
        assert index().unmask(text[:2000]) == [], text[:12]
    assert index().unmask("a * " * 30 + " c*nnard")[0].text.endswith(" connard")


def test_cost_does_not_grow_with_the_vocabulary(monkeypatch: pytest.MonkeyPatch) -> None:
    """A masked word tries only the few words its first letters and length allow: the same
    count with 20 entries or 20,000 (no pass over every entry)."""
    tried: list[str] = []
    real = masks._consume

    def counting(pieces: tuple[masks.Piece, ...], word: str) -> list[tuple[str, int]]:
        tried.append(word)
        return real(pieces, word)

    monkeypatch.setattr(masks, "_consume", counting)
    rng = random.Random(4)
    big = ENTRIES + ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))
                     for _ in range(20_000)]
    small_index, big_index = index(), index(big)
    for text in ("t'es un c*nnard", "motherf*cker", "enc**le"):
        tried.clear()
        small = small_index.unmask(text)
        small_tries = len(tried)
        tried.clear()
        assert big_index.unmask(text)[0].text == small[0].text
        assert len(tried) <= small_tries + 60, text

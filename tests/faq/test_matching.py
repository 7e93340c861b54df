"""The matcher's parts: text reading, the index (postings, fuzzy terms), misses grouping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.text import NormalizedText
from plugins.faq import index as index_module
from plugins.faq.decide import decide, read
from plugins.faq.index import FaqIndex
from plugins.faq.misses import group_misses
from plugins.faq.settings import Entry
from plugins.faq.store import MissRow
from plugins.faq.text import guess_language, looks_like_question, stem


def entry(entry_id: str, *questions: str, keywords: tuple[str, ...] = ()) -> Entry:
    return Entry(id=entry_id, questions={"en": questions}, keywords=keywords,
                 answer={"en": f"answer {entry_id}"})


@pytest.mark.parametrize(("text", "asks"), [
    ("where is my order?", True),
    ("Où est ma commande", True),
    ("comment suivre mon colis", True),
    ("j'ai oublié mon mot de passe", True),
    ("my promo code doesn't work", True),
    ("please cancel my order", True),
    ("mon colis est arrivé cassé", True),
    ("ma commande est arrivée, merci", False),
    ("good morning everyone", False),
    ("check https://example.com/?page=2", False),
    ("check https://example.com/?page=2 ok?", True),
])
def test_what_counts_as_a_question(text: str, asks: bool) -> None:
    assert looks_like_question(NormalizedText(text)) is asks


def test_terms_stems_and_compounds() -> None:
    assert stem("commandes") == stem("commander") == "command"
    assert stem("rembourser") == stem("remboursement") == "rembours"
    _, terms, _ = read(NormalizedText("J'ai oublié mon MDP, help!"))
    assert terms == ["oubli", "password"]
    _, french, _ = read(NormalizedText("mot de passe oublié"))
    assert french == ["password", "oubli"]
    assert read(NormalizedText("😀😀 ?"))[1] == []


def test_language_guess() -> None:
    assert guess_language(["ou", "est", "ma", "commande"], "en") == "fr"
    assert guess_language(["where", "is", "my", "order"], "fr") == "en"
    assert guess_language(["paypal"], "fr") == "fr"


def test_fuzzy_terms_find_typos_but_not_other_words() -> None:
    index = FaqIndex([entry("delivery", "when will my package arrive"),
                      entry("password", "how do I reset my password")])
    assert index.resolve("packag") is not None
    assert index.resolve(stem("pakage")) is not None
    assert index.resolve("pasword") is not None
    assert index.resolve("passport") is None
    assert index.resolve("arr") is None  # too short to guess


def test_rare_words_weigh_more_than_common_ones() -> None:
    index = FaqIndex([entry("a", "order tracking"), entry("b", "order refund"),
                      entry("c", "order cancel")])
    _, terms, stems = read(NormalizedText("how do I get a refund for my order?"))
    best = index.match(terms, "console:x", None, stems=stems)
    assert best[0].entry.id == "b"
    assert best[0].score > best[1].score + 0.2


def test_ambiguous_questions_are_not_answered() -> None:
    index = FaqIndex([entry("a", "store opening hours paris"),
                      entry("b", "store opening hours lyon")])
    _, terms, stems = read(NormalizedText("what are the store opening hours?"))
    outcome = decide(index, terms, stems, 0.5, "console:x", None)
    assert outcome.best is not None and not outcome.confident


def test_a_keyword_phrase_must_appear_as_written() -> None:
    index = FaqIndex([entry("restock", "when is it available again", keywords=("sold out",))])
    _, terms, stems = read(NormalizedText("it is sold out, when?"))
    assert index.match(terms, "console:x", None, stems=stems)[0].keyword
    _, terms, stems = read(NormalizedText("when are the sales, is it out?"))
    assert not any(m.keyword for m in index.match(terms, "console:x", None, stems=stems))


def test_only_entries_sharing_a_term_are_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    """500 entries: a message is compared with the few that share its words, never all."""
    entries = [entry(f"topic-{n}", f"question about widget{n} and gadget{n}",
                     f"how to use widget{n}") for n in range(500)]
    entries.append(entry("common", "how do I reset my password"))
    index = FaqIndex(entries)
    scored: list[str] = []
    original = FaqIndex._score

    def counting(self: FaqIndex, number: int, *args: object) -> object:
        scored.append(self.entries[number].id)
        return original(self, number, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(FaqIndex, "_score", counting)
    _, terms, stems = read(NormalizedText("I forgot my password, how do I reset it?"))
    found = index.match(terms, "console:x", None, stems=stems)
    assert found[0].entry.id == "common"
    assert scored == ["common"]
    scored.clear()
    _, terms, stems = read(NormalizedText("how do I use a widget?"))
    index.match(terms, "console:x", None, stems=stems)
    assert 0 < len(scored) <= index_module.SHORTLIST


def miss(text: str, terms: str, closest: str | None = None, score: float = 0.0) -> MissRow:
    return MissRow(datetime(2026, 11, 21, tzinfo=UTC), "console:test", "console:general", "fr",
                   text, terms, closest, score)


def test_misses_are_grouped_by_what_they_ask() -> None:
    rows = [miss("boutique à Lyon ?", "boutiqu lyon"),
            miss("une boutique physique à Lyon ?", "boutiqu lyon physiqu", "contact", 0.4),
            miss("vous recrutez ?", "recrut"),
            miss("Boutique Lyon", "boutiqu lyon")]
    groups = group_misses(rows)
    assert [(g.count, g.example) for g in groups] == [(3, "boutique à Lyon ?"),
                                                      (1, "vous recrutez ?")]
    assert (groups[0].closest, groups[0].score) == ("contact", 0.4)
    assert group_misses(rows, limit=1)[0].count == 3


@pytest.mark.parametrize(("text", "asks"), [
    ("help", True),
    ("cant pair my phone with the bike, tried 5 times", True),
    ("my charger light keeps flashing red and nothing happens, help", True),
    ("what do I do now", True),
    ("quelqu'un sait pour la livraison", True),
    ("je galère avec l'appli", True),
    ("on fait comment pour changer d'adresse", True),
    ("ma commande est arrivée, super contente !", False),
    ("great ride today", False),
    ("it keeps getting better", False),
    ("merci pour l'aide hier, top", False),
])
def test_requests_without_a_question_mark(text: str, asks: bool) -> None:
    """Requests in both languages are read as questions; remarks are not."""
    assert looks_like_question(NormalizedText(text)) is asks


@pytest.mark.parametrize(("text", "words"), [
    ("Je mesure 1m78, quelle taille ?", ["je", "mesure", "1m78", "quelle", "taille"]),
    ("Payer en 3 FOIS", ["payer", "en", "3", "fois"]),
    ("La V2 est sortie", ["la", "v2", "est", "sortie"]),
    ("Où est ma COMMANDE", ["ou", "est", "ma", "commande"]),
])
def test_the_faq_reads_its_own_words(text: str, words: list[str]) -> None:
    """Accents and case folded, digits kept as written (no leetspeak: 1m78 is not imt8)."""
    from plugins.faq.text import faq_words

    assert faq_words(text) == words
    _, terms, _ = read(NormalizedText(text))
    assert not any(t in terms for t in ("imt8", "v", "fol"))


def test_units_and_model_names_are_terms_and_short_keywords_match() -> None:
    """`v2` and `1m78` are terms; a keyword of common words (`en 3 fois`) or a short one (`cv`)
    finds its entry."""
    faq = FaqIndex([
        entry("financing", "Can I pay later?", keywords=("en 3 fois",)),
        entry("jobs", "Are you hiring?", keywords=("cv",)),
        entry("sizes", "Which size for my height?"),
        entry("v2", "When does the V2 ship?"),
    ])
    for text, expected in [("je peux payer en 3 fois ?", "financing"),
                           ("où envoyer mon cv", "jobs"), ("the v2 ship date", "v2")]:
        _, terms, stems = read(NormalizedText(text))
        found = faq.match(terms, "console:x", None, stems=stems)
        assert found and found[0].entry.id == expected, (text, found)

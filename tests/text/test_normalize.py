"""The normaliser: folding, word views for evasions, and spans back to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.text import (
    MAX_CHARS,
    NormalizedText,
    fold,
    fold_char,
    unrepeated,
    word_forms,
    word_skeleton,
)
from bot.text.fold import FOLD
from bot.text.normalize import (
    _APOSTROPHES,
    _LEET_I,
    _LEET_L,
    ViewSpec,
    _leet,
    _merge_singles,
    _read_word,
    _squeeze,
    _Word,
)


def _folded_with_index(raw: str) -> tuple[str, list[int]]:
    """The folded text, character by character, with the raw position of each character."""
    pieces = list(map(FOLD.__getitem__, map(ord, raw)))
    return "".join(pieces), [position for position, piece in enumerate(pieces) for _ in piece]


def _split_words(text: str, index: list[int], glue: bool) -> list[_Word]:
    """The words of a folded text, character by character, with each one's raw position."""
    words: list[_Word] = []
    chars: list[str] = []
    where: list[int] = []
    for char, position in zip(text, index, strict=True):
        if char.isalnum():
            chars.append(char)
            where.append(position)
        elif glue and not char.isspace() and char not in _APOSTROPHES:
            continue
        elif chars:
            words.append(("".join(chars), where))
            chars, where = [], []
    if chars:
        words.append(("".join(chars), where))
    return words


def _joined_and_squeezed(words: list[_Word], spec: ViewSpec) -> list[_Word]:
    """Steps (4), (4b) and (5) of a view, done to every word."""
    table = _LEET_I if spec.one == "i" else _LEET_L
    words = [(_read_word(word, table), where) for word, where in _merge_singles(words, spec.lead)]
    return words if spec.keep is None else [_squeeze(word, spec.keep) for word in words]


def _positions(words: list[_Word]) -> list[int]:
    """The raw position of each character of ` word word ` (-1 for the spaces)."""
    positions: list[int] = [-1]
    for _, where in words:
        positions.extend(where)
        positions.append(-1)
    if not words:
        positions.append(-1)
    return positions


def _raw_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    """The span from the first to the last character of `index[start:end]` that is not a space."""
    inside = [i for i in index[start:end] if i >= 0]
    return (inside[0], inside[-1] + 1) if inside else (0, 0)


def _aligned_view(raw: str, spec: ViewSpec) -> tuple[str, list[int]]:
    """The reference: the view `spec` of `raw` built character by character from the raw
    text, with the raw position of each character (-1 for spaces)."""
    text, index = _folded_with_index(raw)
    text = _leet(text, _LEET_I if spec.one == "i" else _LEET_L)[0]
    words = _joined_and_squeezed(_split_words(text, index, spec.glue), spec)
    return " " + " ".join(w for w, _ in words) + " ", _positions(words)


FOLDED = [
    ("Connard", "connard"),
    ("ÉNERVÉ", "enerve"),
    ("Mâcon", "macon"),
    ("Cоnnаrd", "connard"),            # Cyrillic о and а
    ("ＣＯＮＮＡＲＤ", "connard"),          # fullwidth
    ("𝐜𝐨𝐧𝐧𝐚𝐫𝐝", "connard"),              # mathematical bold
    ("ᴄᴏɴɴᴀʀᴅ", "connard"),              # small capitals
    ("ⓒⓞⓝ", "con"),                     # circled
    ("🅲🅾🅽", "con"),                     # negative squared
    ("cοnnαrd", "connard"),              # Greek ο and α
    ("con\u200bnard", "connard"),        # zero-width space
    ("con\u200dnard\u2060", "connard"),  # zero-width joiner, word joiner
    ("c̷o̷n̷n̷a̷r̷d̷", "connard"),              # combining overlays
    ("\u202econnard", "connard"),        # right-to-left override
    ("Straße", "strasse"),
    ("ﬁn", "fin"),
    ("a\tb\u00a0c", "a b c"),
    ("ligne\nsuivante", "ligne\nsuivante"),
    ("x\x00y\x07", "xy"),
]


@pytest.mark.parametrize(("raw", "folded"), FOLDED)
def test_fold(raw: str, folded: str) -> None:
    """Case, accents, look-alikes, compatibility forms and invisibles are folded."""
    assert fold(raw) == folded


VIEWS = [
    ("c0nn@rd", " connard "),
    ("s@l0pe", " salope "),
    ("$alope", " salope "),
    ("sa1ope", " salope "),             # 1 read as l in a second view
    ("b1tch", " bitch "),               # ...and as i in the first
    ("b!tch!", " bitch "),
    ("n1qu3 t4 m3r3", " nique ta mere "),
    ("connnnard", " connard "),         # squeezed to two letters in one view
    ("fuuuuck", " fuck "),              # ...and to one in another
    ("c.o.n.n.a.r.d", " connard "),
    ("c.0.n.n.a.r.d", " connard "),     # spaced letters are read as one word, digits too
    ("p u t 3", " pute "),
    ("s.a.1.o.p.e", " salope "),        # 1 read as l in a second view
    ("you are a b i t c h", " you are a bitch "),  # a one-letter word before spaced letters
    ("c o n n a r d", " connard "),
    ("c-o-n-n-a-r-d", " connard "),
    ("c_o_n_n_a_r_d", " connard "),
    ("con🙂nard", " connard "),         # glued view drops symbols inside a word
    ("fils-de-pute", " fils de pute "),
    ("l'idiot", " l idiot "),
    ("ENCULÉ!!!", " encule "),
]


@pytest.mark.parametrize(("raw", "view"), VIEWS)
def test_evasions_have_a_plain_view(raw: str, view: str) -> None:
    """Each evasion has a word view with the plain spelling."""
    assert view in [v.text for v in NormalizedText(raw).views]


@pytest.mark.parametrize("raw", ["prix 455 euros", "en 2026 à 10h30", "1 2 3 soleil",
                                 "4 5 5 euros"])
def test_numbers_stay_numbers(raw: str) -> None:
    """Leetspeak is only read inside words that have letters: 455 is not 'ass'."""
    views = [v.text for v in NormalizedText(raw).views]
    assert all(" ass " not in v and " ase " not in v for v in views)
    assert any("455" in v or "2026" in v or "1" in v for v in views)


def test_most_messages_have_one_or_two_views() -> None:
    """Ambiguity multiplies views only when the message has the ambiguous features."""
    assert len(NormalizedText("bonjour tout le monde").views) == 1
    assert len(NormalizedText("c'est l'heure").views) == 1
    assert len(NormalizedText("peut-être").views) == 2
    assert len(NormalizedText("sa1ooope").views) == 4


@pytest.mark.parametrize(("raw", "entry", "shown"), [
    ("espèce de c0nn@rd !", "connard", "c0nn@rd"),
    ("t'es un Cоnnаrd", "connard", "Cоnnаrd"),
    ("quel c.o.n.n.a.r.d", "connard", "c.o.n.n.a.r.d"),
    ("quel c.0.n.n.a.r.d !", "connard", "c.0.n.n.a.r.d"),
    ("you are a b i t c h !", "bitch", "b i t c h"),
    ("ＣＯＮＮＡＲＤ", "connard", "ＣＯＮＮＡＲＤ"),
    ("ok connnnnard ok", "connard", "connnnnard"),
])
def test_view_spans_point_at_the_raw_text(raw: str, entry: str, shown: str) -> None:
    """A match in any view maps back to the characters the member typed."""
    text = NormalizedText(raw)
    key = f" {entry} "
    view = next(v for v in text.views if key in v.text)
    start = view.text.index(key)
    raw_start, raw_end = text.view_span(view, start, start + len(key))
    assert raw[raw_start:raw_end] == shown


def test_plain_span() -> None:
    """Spans in the folded text map back too (ligatures and removed marks included)."""
    raw = "Voir ﬁche: Discord.gg/AbC"
    text = NormalizedText(raw)
    start = text.plain.index("discord")
    assert raw[slice(*text.plain_span(start, len(text.plain)))] == "Discord.gg/AbC"
    assert raw[slice(*text.plain_span(5, 7))] == "ﬁ"


def test_word_forms_of_entries() -> None:
    """Entries are normalised like messages, so lists can be written plainly."""
    assert word_forms("Nique ta mère") == (" nique ta mere ",)
    assert word_forms("fils-de-pute") == (" fils de pute ", " filsdepute ")
    assert word_forms("...") == ()


def test_hostile_messages_are_bounded() -> None:
    """Huge or hostile messages are handled (only the first MAX_CHARS are normalised)."""
    huge = "a" * 2_000_000
    text = NormalizedText(huge)
    assert len(text.plain) == MAX_CHARS
    assert text.views[0].text.strip() in ("a", "aa")
    assert NormalizedText("\u200b" * 10_000).views[0].text.strip() == ""
    assert NormalizedText("e" + "\u0301" * 50_000).plain == "e"
    family = "👨\u200d👩\u200d👧\u200d👦" * 5000
    assert NormalizedText(family).views[0].text.strip() == ""
    assert NormalizedText("مرحبا" * 1000 + "\u202e").words


hostile = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.text(
    alphabet=st.sampled_from([*"c0n@$1!|.- _aé\u200b\u0301🙂ССo3457€", "\n"]),
    max_size=120)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_fold_equals_folding_each_character(text: str) -> None:
    """The fast paths (ASCII, accented Latin, table) agree with the per-character rule."""
    assert fold(text) == "".join(fold_char(c) for c in text)


tricky = st.text(alphabet=st.sampled_from([*"_!a1lI|@$€0o3n .-'’🙂é\u200bС"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(hostile | tricky)
@example("c o o o n")  # joining spaced letters makes a run to squeeze
@example("p 0 0 0 t")  # so does reading digits
def test_views_are_well_formed_and_alignable(text: str) -> None:
    """Views are ` w w `; the reference alignment builds the very same text; spans are in range."""
    normalized = NormalizedText(text)
    for view in normalized.views:
        assert view.text.startswith(" ") and view.text.endswith(" ")
        assert "  " not in view.text.strip()
        aligned, index = _aligned_view(text, view.spec)
        assert aligned == view.text
        assert len(index) == len(aligned)
        for word_start in range(1, len(view.text) - 1):
            start, end = normalized.view_span(view, word_start, word_start + 1)
            assert 0 <= start <= end <= len(text)
            break




@settings(max_examples=1000, deadline=None)
@given(hostile | tricky)
@example("1:1:L")  # spaced `1 1 l` joined: `iil`, and `lll`, which a view squeezes
@example("c.0.n.n.a.r.d")
def test_every_view_without_spaces_has_the_skeleton(text: str) -> None:
    """Unless repeats were squeezed, each view's skeleton is the text's, and with each run
    counted once it always is: the invariants that let word lists skip building views when no
    entry is in the skeleton."""
    normalized = NormalizedText(text)
    bounds = normalized.boundaries
    assert max(bounds) == len(normalized.skeleton)
    for view in normalized.views:
        assert unrepeated(word_skeleton(view.text)) == unrepeated(normalized.skeleton)
        if not normalized.squeezed:
            assert word_skeleton(view.text) == normalized.skeleton
            at, edges = 0, {0}
            for word in view.text.split():
                at += len(word)
                edges.add(at)
            assert edges <= bounds  # views only join words, never split one


def test_skeletons() -> None:
    """Letters and digits, digits read as letters, i/l/1 one symbol, punctuation dropped."""
    assert NormalizedText("C0NN@RD !!").skeleton == "connard"
    assert NormalizedText("b1tch, 2024 bltch").skeleton == "b1tch2o2ab1tch"
    assert NormalizedText("fils!de!pute").skeleton == "f11s1de1pute"  # `!` inside a word is i
    assert NormalizedText("日本 🙂 語, ok").skeleton == "日本語ok"
    assert NormalizedText("Quel c0n, ce p.d!").boundaries == {0, 4, 7, 9, 10, 11}
    assert not NormalizedText("connard").squeezed
    assert NormalizedText("connnnard").squeezed


@settings(max_examples=500, deadline=None)
@given(hostile | tricky, st.integers(0, 60), st.integers(0, 60))
@example("nous oshhhhoshsta", 8, 5)  # starts and ends inside a squeezed word
@example("x a b c d.e.f 1l1!", 0, 30)  # spaced letters joined, glued punctuation, both readings
def test_spans_agree_with_the_character_by_character_alignment(
        text: str, first: int, size: int) -> None:
    """Spans found word by word in the reading, then mapped through the folded text, equal
    the reference alignment's (built character by character from the raw text)."""
    normalized = NormalizedText(text)
    for view in normalized.views:
        start = min(first, len(view.text))
        end = min(start + size, len(view.text))
        slow = _raw_span(_aligned_view(normalized.scanned, view.spec)[1], start, end)
        assert normalized.view_span(view, start, end) == slow
    plain = normalized.plain
    start = min(first, len(plain))
    end = min(start + size, len(plain))
    slow = _raw_span(_folded_with_index(normalized.scanned)[1], start, end)
    assert normalized.plain_span(start, end) == slow

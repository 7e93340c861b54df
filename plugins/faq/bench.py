"""The FAQ's part of `vigie bench`: cost per message with 50 and 500 entries, and a naive scan.

The workload is a chat stream (French and English, as in the automod bench) where about 15% of
the messages ask about an entry (with a typo half the time) and 15% ask something no entry
answers. The naive scan is what a bot without an index would do: compare every question with
every example question of every entry (rapidfuzz token_set_ratio), so its cost grows with the
FAQ; the index only scores the entries that share a word with the message.

`pipeline_faq_500` and `pipeline_no_faq` are the bot `vigie run` configures (every plugin, the
default rule file) with 500 generated entries or none, run interleaved on the community stream
of `vigie bench` where 6% of the messages ask about an entry (half with a typo) and 4% bring a
word never seen before: what the FAQ adds to the whole pipeline (issue 17: at most 20%).
"""

from __future__ import annotations

import json
import random
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rapidfuzz import fuzz, process

from bot.actions import Decision
from bot.events import MessageCreated, User
from bot.plugin import EventContext, Phase, Plugin, hook
from plugins.faq.plugin import FaqPlugin
from plugins.faq.text import looks_like_question

__all__ = ["community_mix", "faq_corpus", "faq_lines", "faq_rules", "measure_faq",
           "rules_with"]

SYLLABLES = ("ka", "zo", "ri", "mu", "te", "xa", "bor", "vel", "qui", "dra", "nok", "pli",
             "gru", "sta", "fen", "lox", "wim", "yul", "osh", "tep")
VERBS = (("change", "changer"), ("cancel", "annuler"), ("return", "retourner"),
         ("track", "suivre"), ("pay", "payer"), ("reset", "réinitialiser"),
         ("download", "télécharger"), ("activate", "activer"))
CHAT = ("bonjour tout le monde, comment ça va aujourd'hui ?", "merci beaucoup pour votre aide !",
        "on se retrouve ce soir pour la partie", "le serveur est un peu lent ce matin",
        "vous avez vu le match hier soir ? incroyable", "trop bien, j'adore cette communauté",
        "hello everyone, how are you doing today?", "thanks a lot for the help!",
        "see you tonight for the game", "my computer crashed again lol",
        "I disagree but that's fine", "good morning 🌞 have a nice day",
        "I'll be back in 10 minutes", "this is the best community ever")
OTHER = ("is the shop in {w} open on sunday?", "who won the {w} contest?",
         "quelqu'un a testé le {w} ?", "c'est quand le prochain live {w} ?")
NAIVE_CUTOFF = 80.0
RULES = Path(__file__).resolve().parents[2] / "config" / "rules.yaml"
ASKED = ("hi, how can I {verb} my {a} please?", "je voudrais {verbe} mon {a}, comment faire ?",
         "where's the {b} for my {a}?", "bonjour, où est mon {a} {b} ?")
FRESH = ("is the {w} shop open on sunday?", "quelqu'un a testé le {w} ?",
         "does anyone know where to buy a {w}?", "c'est quand la sortie du {w} ?")

Measure = Callable[[str, Sequence[type[Plugin]], Sequence[MessageCreated]], Awaitable[Any]]


def _word(rng: random.Random, seen: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
        if word not in seen:
            seen.add(word)
            return word


def _topics(count: int, seed: int = 5) -> list[tuple[str, str, tuple[str, str]]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    return [(_word(rng, seen), _word(rng, seen), rng.choice(VERBS)) for _ in range(count)]


def faq_rules(count: int) -> str:
    """A rule file whose FAQ has `count` entries, four example questions per language each."""
    lines = ["version: 1", "defaults:", "  language: en", "  faq:", "    cooldown: 1s",
             "    semantic: false  # off the message path: measured apart", "    entries:"]
    for number, (a, b, (verb, verbe)) in enumerate(_topics(count)):
        lines += [
            f"      - id: topic-{number}",
            "        questions:",
            f"          en: [\"how do I {verb} my {a}?\", \"where is my {a} {b}?\", "
            f"\"can I {verb} the {b}?\", \"what about {a} and {b}?\"]",
            f"          fr: [\"comment {verbe} mon {a} ?\", \"où est mon {a} {b} ?\", "
            f"\"puis-je {verbe} le {b} ?\", \"et pour le {a} avec {b} ?\"]",
            f"        keywords: [{a}]",
            f"        answer: {{en: \"Answer {number}.\", fr: \"Réponse {number}.\"}}",
        ]
    return "\n".join(lines) + "\n"


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1:]


def faq_corpus(count: int, entries: int, start: datetime, seed: int = 9) -> list[MessageCreated]:
    """`count` messages: chat, questions about the entries (half with a typo), other questions."""
    rng = random.Random(seed)
    topics = _topics(entries)
    members = [User(id=f"discord:{5000 + i}", name=f"member{i}") for i in range(2000)]
    seen: set[str] = set()
    out = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.15:
            a, b, (verb, verbe) = rng.choice(topics)
            if rng.random() < 0.5:
                a = _typo(a, rng)
            text = rng.choice((f"hi, how can I {verb} my {a} please?",
                               f"je voudrais {verbe} mon {a}, comment faire ?",
                               f"where's the {b} for my {a}?"))
        elif roll < 0.30:
            text = rng.choice(OTHER).format(w=_word(rng, seen))
        else:
            text = rng.choice(CHAT)
        out.append(MessageCreated(
            id=f"discord:{20_000_000 + number}", ts=start + timedelta(milliseconds=40 * number),
            community="discord:1", channel=f"discord:{100 + number % 20}",
            author=rng.choice(members), text=text))
    return out


def rules_with(entries: int | None, rules: Path = RULES) -> str:
    """A rule file with its FAQ entries replaced: none, the file's own (None), or generated."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    data = yaml.load(rules.read_text(encoding="utf-8"))
    data["defaults"].setdefault("faq", {})["semantic"] = False  # off the path: measured apart
    if entries is not None:
        data["defaults"].setdefault("faq", {})["entries"] = \
            yaml.load(faq_rules(entries))["defaults"]["faq"]["entries"] if entries else []
    return json.dumps(data, ensure_ascii=False)  # JSON is YAML


def community_mix(count: int, entries: int = 500, seed: int = 3) -> list[MessageCreated]:
    """The bench's community stream, 6% asking about a generated entry, 4% with a new word."""
    from bot.bench.workload import community_stream

    rng = random.Random(seed)
    topics = _topics(entries)
    seen: set[str] = set()
    out = []
    for event in community_stream(count):
        roll = rng.random()
        if roll < 0.06:
            a, b, (verb, verbe) = rng.choice(topics)
            if rng.random() < 0.5:
                a = _typo(a, rng)
            event = replace(event, text=rng.choice(ASKED).format(a=a, b=b, verb=verb,
                                                                  verbe=verbe),
                            reply_to=None, reply_to_author=None, mentions=())
        elif roll < 0.10:
            event = replace(event, text=rng.choice(FRESH).format(w=_word(rng, seen)),
                            reply_to=None, reply_to_author=None, mentions=())
        out.append(event)
    return out


async def measure_pipeline(messages: int) -> dict[str, Any]:
    """The whole pipeline without the FAQ's entries and with 500, interleaved."""
    from bot.bench.measure import Variant, interleave

    events = community_mix(messages + 300)
    results = await interleave([Variant("pipeline_no_faq", rules_with(0), None),
                                Variant("pipeline_faq_500", rules_with(500), None)],
                               events[300:], events[:300])
    return {name: measured.stats for name, measured in results.items()}


class NaiveScan(Plugin):
    """Every question compared with every example question of every entry."""

    name: ClassVar[str] = "naive"
    examples: ClassVar[list[str]] = []

    @hook(Phase.RESPOND, MessageCreated)
    async def scan(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """The best example over the whole FAQ, if close enough."""
        if not looks_like_question(ctx.normalized):
            return None
        best = process.extractOne(ctx.normalized.plain, self.examples,
                                  scorer=fuzz.token_set_ratio, score_cutoff=NAIVE_CUTOFF)
        return Decision(rule="scan", evidence=str(best[0])) if best else None


def _naive(count: int) -> type[Plugin]:
    from bot.text import fold

    examples = [fold(question) for a, b, (verb, verbe) in _topics(count)
                for question in (f"how do I {verb} my {a}?", f"where is my {a} {b}?",
                                 f"can I {verb} the {b}?", f"what about {a} and {b}?",
                                 f"comment {verbe} mon {a} ?", f"où est mon {a} {b} ?",
                                 f"puis-je {verbe} le {b} ?", f"et pour le {a} avec {b} ?")]
    return type("NaiveScanBaseline", (NaiveScan,), {"examples": examples})


async def measure_faq(measure: Measure, messages: int, start: datetime) -> dict[str, Any]:
    """Stats of the FAQ variants: floor, 50 and 500 entries, questions only, the naive scan."""
    floor = "version: 1\ndefaults:\n  language: en\n"
    events = faq_corpus(messages, 500, start)
    questions = [e for e in events if "?" in e.text or "comment faire" in e.text]
    small = faq_corpus(min(messages, 5000), 500, start, seed=10)
    return {
        "floor": await measure(floor, [], events),
        "entries_50": await measure(faq_rules(50), [FaqPlugin],
                                    faq_corpus(messages, 50, start)),
        "entries_500": await measure(faq_rules(500), [FaqPlugin], events),
        "entries_500_questions_only": await measure(faq_rules(500), [FaqPlugin], questions),
        "naive_scan_500": await measure(floor, [_naive(500)], small),
        **await measure_pipeline(messages),
    }


def faq_lines(stats: dict[str, Any]) -> Iterator[str]:
    """The FAQ figures, for people."""
    if not stats:
        return
    yield ("FAQ (RESPOND hook; messages: 70% chat, 15% questions on an entry, half with a "
           "typo, 15% other questions)")
    yield f"{'variant':<28}{'msgs/s':>10}{'p50 µs':>10}{'p99 µs':>10}{'decisions':>11}"
    for name, item in stats.items():
        yield (f"{name:<28}{item.msgs_per_s:>10,}{item.p50_us:>10}{item.p99_us:>10}"
               f"{item.decisions:>11,}")
    floor, big = stats["floor"], stats["entries_500"]
    cost = 1e6 / big.msgs_per_s - 1e6 / floor.msgs_per_s
    yield (f"the FAQ with 500 entries adds {cost:.1f} µs per message on average over the floor; "
           f"the naive scan runs at {stats['naive_scan_500'].msgs_per_s:,} msgs/s")
    without, with_faq = stats.get("pipeline_no_faq"), stats.get("pipeline_faq_500")
    if without is not None and with_faq is not None:
        over = without.msgs_per_s / with_faq.msgs_per_s - 1
        yield (f"every plugin, default rules, community stream: 500 FAQ entries cost "
               f"{over:+.0%} CPU per message over no entries (target <= +20%)")

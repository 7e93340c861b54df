"""`vigie bench`: the message pipeline against a per-rule regex loop, one alternation, the floor.

Every variant runs inside a real App on the same generated messages (a mixed French and English
stream, about 2% abusive with evasions) and the same clock. What is timed is the decision: one
`Dispatcher.handle` per message, through every phase, with the verdict's actions counted rather
than executed (executing them costs the same whatever decided them: a platform call and, for
sanctions, a case in the database). A last run executes them for real, against an in-memory
database, to show what they add. Before timing, the heap is settled as `vigie run` settles it
once started (`bot.heap`).
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from bot import heap
from bot.actions import Decision, Delete, Verdict, Warn
from bot.events import MessageCreated, MessageEdited, User
from bot.executor import ActionOutcome, Executor
from bot.plugin import EventContext, Phase, Plugin, hook
from bot.replay.runner import ReplayAdapter
from bot.storage import SqliteStore

__all__ = ["BenchResult", "Stats", "run_bench"]

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SCALING_ROUNDS = 2  # each word count is timed this many times; its fastest run is reported
SYLLABLES = ("ka", "zo", "ri", "mu", "te", "xa", "bor", "vel", "qui", "dra", "nok", "pli",
             "gru", "sta", "fen", "lox", "wim", "yul", "osh", "tep")
FR = ("bonjour tout le monde, comment ça va aujourd'hui ?", "je pense que c'est une bonne idée",
      "quelqu'un a testé la nouvelle version ?", "merci beaucoup pour votre aide !",
      "on se retrouve ce soir pour la partie", "le serveur est un peu lent ce matin",
      "j'ai 3 questions sur l'inscription au concours", "c'est la dispute du siècle au parlement",
      "la réputation du député est en jeu", "rendez-vous à 14h30 devant la salle 2",
      "vous avez vu le match hier soir ? incroyable", "je bosse sur le projet, je suis confiant",
      "qui vient au pique-nique samedi ?", "la technique de ce joueur est folle 😄",
      "voici le lien : https://www.exemple.fr/page", "trop bien, j'adore cette communauté ❤️")
EN = ("hello everyone, how are you doing today?", "has anyone tried the new update yet",
      "thanks a lot for the help!", "see you tonight for the game",
      "my computer crashed again lol", "the meeting is at 3pm, don't be late",
      "what a cocktail party that was", "assassin's creed is on sale this weekend",
      "check https://github.com/example/project for the code", "I disagree but that's fine",
      "Scunthorpe won 2-1 last night", "can someone explain the rules to me?",
      "WOW THIS IS AMAZING NEWS EVERYONE", "good morning 🌞 have a nice day",
      "I'll be back in 10 minutes", "this is the best community ever")
VOCABULARY = {
    "fr": ("le", "la", "les", "un", "une", "des", "et", "mais", "donc", "avec", "pour", "dans",
           "sur", "pas", "très", "bien", "aussi", "encore", "toujours", "jamais", "demain",
           "hier", "soir", "matin", "serveur", "partie", "joueur", "équipe", "règles", "salon",
           "vidéo", "musique", "question", "réponse", "idée", "projet", "version", "mise",
           "jour", "bug", "merci", "génial", "nul", "sympa", "drôle", "vrai", "faux",
           "là", "ici", "chez", "moi", "toi", "nous", "vous", "eux", "c'est", "j'ai",
           "qu'il", "aujourd'hui", "peut-être", "café", "été", "élève", "école", "fête"),
    "en": ("the", "a", "and", "but", "so", "with", "for", "in", "on", "not", "very", "well",
           "also", "again", "always", "never", "tomorrow", "yesterday", "tonight", "morning",
           "server", "game", "player", "team", "rules", "channel", "video", "music",
           "question", "answer", "idea", "project", "version", "update", "bug", "thanks",
           "great", "bad", "nice", "funny", "true", "false", "there", "here", "me", "you",
           "we", "they", "it's", "I'm", "don't", "can't", "maybe", "coffee", "summer",
           "class", "school", "party", "weekend"),
}
ENDINGS = ("", "", "", "!", "?", " 😄", " 👍", " lol", " :)", " (2)", " 10h", " x3")
DOMAINS = tuple(f"scam{i}.example" for i in range(20))


@dataclass(frozen=True)
class Stats:
    """Throughput and decision latency of one variant."""

    msgs_per_s: float
    p50_us: float
    p99_us: float
    decisions: int


@dataclass(frozen=True)
class BenchResult:
    """Everything one `vigie bench` run measured."""

    messages: int
    rules: dict[str, int]
    pipeline: Stats
    baseline_loop: Stats
    baseline_alternation: Stats
    floor: Stats
    pipeline_with_actions: Stats
    scaling: dict[str, Stats]
    faq: dict[str, Stats] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The `--json` object."""
        data = asdict(self)
        data["ratios"] = self.ratios()
        return data

    def ratios(self) -> dict[str, float]:
        """How many times faster the pipeline is, and how its cost moves with the word count."""
        small, big = self.scaling.get("100"), self.scaling.get("10000")
        return {
            "vs_loop": round(self.pipeline.msgs_per_s / self.baseline_loop.msgs_per_s, 1),
            "vs_alternation": round(self.pipeline.msgs_per_s
                                    / self.baseline_alternation.msgs_per_s, 1),
            "of_floor": round(self.pipeline.msgs_per_s / self.floor.msgs_per_s, 3),
            "cost_10000_vs_100_words": round(small.msgs_per_s / big.msgs_per_s, 2)
            if small and big else 0.0,
        }


# -- the workload -------------------------------------------------------------------------


def word_list(count: int, seed: int = 7) -> list[str]:
    """`count` distinct words: the built-in lexicons first, then made-up words."""
    from plugins.automod.lexicons import get_lexicon

    words: list[str] = []
    for name in ("fr-insults", "fr-slurs", "en-insults", "en-slurs"):
        words.extend(e for e in get_lexicon(name).entries if e not in words)
    rng = random.Random(seed)
    seen = set(words)
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words[:count]


def pattern_list(count: int = 60, seed: int = 11) -> list[str]:
    """Admin-style patterns: promotions, scams, codes."""
    rng = random.Random(seed)
    shapes = (r"free\s+{w}\s+(?:nitro|gift)", r"(?:buy|achete[rz]?)\s+{w}s?",
              r"{w}\d{{2,4}}", r"https?://\S*{w}", r"\b{w}\s*(?:coin|token)s?\b",
              r"(?:gagne[rz]?|win)\s+\d+\s*(?:€|\$|euros?)\s+{w}")
    return [rng.choice(shapes).format(w="".join(rng.choice(SYLLABLES) for _ in range(3)))
            for _ in range(count)]


def _evade(word: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:
        return word.translate(str.maketrans("oaei", "0@31"))
    if style == 1:
        return ".".join(word)
    if style == 2:
        return word.upper()
    if style == 3:
        return word[:2] + word[2] * 4 + word[3:] if len(word) > 3 else word
    return word


def corpus(count: int, words: Sequence[str], seed: int = 3) -> list[MessageCreated]:
    """`count` varied messages by 2,000 members in 20 channels, 1 in 50 abusive, 40 ms apart."""
    rng = random.Random(seed)
    members = [User(id=f"discord:{1000 + i}", name=f"member{i}",
                    account_created_at=START - timedelta(days=400)) for i in range(2000)]
    out = []
    for number in range(count):
        lang = "fr" if number % 2 else "en"
        filler = " ".join(rng.choices(VOCABULARY[lang], k=rng.randint(1, 12)))
        text = f"{rng.choice(FR if lang == 'fr' else EN)} {filler}{rng.choice(ENDINGS)}"
        if rng.random() < 0.3:
            text = filler + rng.choice(ENDINGS)
        if rng.random() < 0.02:
            text = f"{text} {_evade(rng.choice(words), rng)}"
        out.append(MessageCreated(
            id=f"discord:{10_000_000 + number}", ts=START + timedelta(milliseconds=40 * number),
            community="discord:1", channel=f"discord:{100 + number % 20}",
            author=rng.choice(members), text=text))
    return out


def automod_rules(words: Sequence[str], patterns: Sequence[str]) -> str:
    """The bench's rule file: words, patterns, flood, caps, links and duplicates."""
    quoted = ", ".join(f'"{w}"' for w in words)
    regexes = "\n".join(f"      pattern-{i}:\n        trigger: {{type: regex, patterns: "
                        f"['{p}']}}\n        actions: [delete]" for i, p in enumerate(patterns))
    deny = ", ".join(DOMAINS)
    return f"""version: 1
defaults:
  language: en
  automod:
    rules:
      words:
        trigger: {{type: words, words: [{quoted}]}}
        actions: [delete, warn]
{regexes}
      flood:
        trigger: {{type: flood, messages: 6, within: 10s}}
        actions: [{{type: timeout, duration: 5m}}]
      shouting:
        trigger: {{type: caps}}
        actions: [{{type: reply, template: shouting}}]
        cooldown: 10m
      links:
        trigger: {{type: links, invites: true, deny: [{deny}]}}
        actions: [delete]
      copies:
        trigger: {{type: duplicates, by: accounts, count: 4, within: 60s}}
        actions: [delete, alert]
"""


# -- the baselines: what a bot without automod's engine would do ----------------------------


class _Baseline(Plugin):
    """Words and patterns as plain `re` rules; flood, caps, links and copies left out."""

    name: ClassVar[str] = "baseline"
    rules: ClassVar[list[re.Pattern[str]]] = []

    @hook(Phase.GUARD, MessageCreated, MessageEdited)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Delete and warn on the first rule that matches."""
        for number, rule in enumerate(self.rules):
            if rule.search(event.text):
                return Decision(rule=f"rule-{number}", actions=(
                    Delete(channel=event.channel, message_id=event.id),
                    Warn(target=event.author)))
        return None


def _loop_plugin(words: Sequence[str], patterns: Sequence[str]) -> type[Plugin]:
    rules = [re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE) for w in words]
    rules += [re.compile(p, re.IGNORECASE) for p in patterns]
    return type("LoopBaseline", (_Baseline,), {"rules": rules})


def _alternation_plugin(words: Sequence[str], patterns: Sequence[str]) -> type[Plugin]:
    literal = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    combined = re.compile(rf"\b(?:{literal})\b|" + "|".join(f"(?:{p})" for p in patterns),
                          re.IGNORECASE)
    return type("AlternationBaseline", (_Baseline,), {"rules": [combined]})


# -- measuring ----------------------------------------------------------------------------


class _CountingExecutor(Executor):
    """Counts verdicts instead of acting on them (the decision is what is measured)."""

    def __init__(self, base: Executor) -> None:
        super().__init__(base.services, base.adapters)
        self.verdicts = 0

    async def execute(self, verdict: Verdict, ctx: EventContext, *,
                      invoker: User | None = None) -> list[ActionOutcome]:
        """Count and return nothing executed."""
        self.verdicts += 1
        return []


async def _measure(rules: str, plugins: Sequence[type[Plugin]], events: Sequence[MessageCreated],
                   execute: bool = False) -> Stats:
    from bot.app import App
    from bot.clock import ManualClock

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.yaml"
        path.write_text(rules, encoding="utf-8")
        clock = ManualClock(START)
        app = App(config_path=path, adapters=[ReplayAdapter("discord")],
                  store=SqliteStore(":memory:"), clock=clock, plugin_classes=list(plugins))
        await app.start()
        try:
            if not execute:
                app.dispatcher.executor = _CountingExecutor(app.executor)
            handle = app.dispatcher.handle
            for event in events[:200]:  # warm up: compile, fill caches
                await handle(event)
            timings = []
            decisions = 0
            heap.settle()  # as `vigie run` does once started (and here, the prepared events)
            started = time.perf_counter()
            for event in events:
                clock.set(event.ts)
                before = time.perf_counter_ns()
                report = await handle(event)
                timings.append(time.perf_counter_ns() - before)
                decisions += len(report.decisions)
            elapsed = time.perf_counter() - started
        finally:
            heap.release()
            await app.stop()
    quantiles = statistics.quantiles(timings, n=100)
    return Stats(round(len(events) / elapsed), round(quantiles[49] / 1000, 1),
                 round(quantiles[98] / 1000, 1), decisions)


def _fresh(events: Sequence[MessageCreated], tag: str) -> list[MessageCreated]:
    """The same messages with new ids, so state from a previous run cannot leak."""
    from dataclasses import replace

    return [replace(e, id=f"{e.id}-{tag}") for e in events]


async def _run(messages: int, words: int, scaling: Sequence[int]) -> BenchResult:
    from plugins.automod import AutomodPlugin

    word_set = word_list(max(words, *scaling))
    patterns = pattern_list()
    chosen = word_set[:words]
    events = corpus(messages, chosen)
    rules = automod_rules(chosen, patterns)
    floor_rules = "version: 1\ndefaults:\n  language: en\n"
    results = {
        "floor": await _measure(floor_rules, [], _fresh(events, "f")),
        "pipeline": await _measure(rules, [AutomodPlugin], _fresh(events, "p")),
        "baseline_alternation": await _measure(
            floor_rules, [_alternation_plugin(chosen, patterns)], _fresh(events, "a")),
        "baseline_loop": await _measure(
            floor_rules, [_loop_plugin(chosen, patterns)], _fresh(events, "l")),
        "pipeline_with_actions": await _measure(rules, [AutomodPlugin], _fresh(events, "x"),
                                                execute=True),
    }
    grow: dict[str, Stats] = {}
    # Abusive words from the smallest list, so every size flags the same messages: only the
    # number of words changes, not how many messages need a decision.
    sample = corpus(min(messages, 20_000), word_set[:min(scaling, default=words)])
    for round_ in range(SCALING_ROUNDS):  # interleaved, so a slow spell hits every size alike
        for size in scaling:
            stats = await _measure(automod_rules(word_set[:size], patterns), [AutomodPlugin],
                                   _fresh(sample, f"s{size}-{round_}"))
            best = grow.get(str(size))
            if best is None or stats.msgs_per_s > best.msgs_per_s:
                grow[str(size)] = stats
    from plugins.faq.bench import measure_faq

    faq = await measure_faq(_measure, min(messages, 20_000), START)
    return BenchResult(
        messages=messages,
        rules={"words": len(chosen), "regexes": len(patterns), "flood": 1, "caps": 1,
               "links": 1, "duplicates": 1},
        scaling=grow, faq=faq, **results)


def run_bench(messages: int = 100_000, words: int = 1000,
              scaling: Sequence[int] = (100, 1000, 10_000)) -> BenchResult:
    """Run every variant once, in this process, and return the figures."""
    return asyncio.run(_run(messages, words, scaling))


def lines(result: BenchResult) -> Iterator[str]:
    """The figures, for people."""
    rules = result.rules
    yield (f"{result.messages:,} messages (FR/EN, ~2% abusive); rules: {rules['words']:,} "
           f"words, {rules['regexes']} regexes, flood, caps, links, duplicates")
    yield f"{'variant':<24}{'msgs/s':>10}{'p50 µs':>10}{'p99 µs':>10}{'decisions':>11}"
    for name in ("pipeline", "baseline_loop", "baseline_alternation", "floor",
                 "pipeline_with_actions"):
        stats: Stats = getattr(result, name)
        yield (f"{name:<24}{stats.msgs_per_s:>10,}{stats.p50_us:>10}{stats.p99_us:>10}"
               f"{stats.decisions:>11,}")
    ratios = result.ratios()
    yield (f"pipeline is {ratios['vs_loop']}x the per-rule loop, {ratios['vs_alternation']}x "
           f"the alternation, and runs at {ratios['of_floor']:.0%} of the floor's speed")
    yield (f"scaling (20,000 messages abusive with the smallest list's words; best of "
           f"{SCALING_ROUNDS} interleaved runs): words -> msgs/s, p50 µs, p99 µs, decisions")
    for size, stats in result.scaling.items():
        yield f"  {int(size):>6,} words: {stats.msgs_per_s:>8,} msgs/s  {stats.p50_us:>6} " \
              f"{stats.p99_us:>7} {stats.decisions:>7,}"
    yield (f"  10,000 words cost {ratios['cost_10000_vs_100_words']}x the time of 100 words "
           "per message")
    yield ("baselines match words and patterns only (no normalisation, so they are also "
           "fooled by evasions); the timed decision excludes executing actions except in "
           "pipeline_with_actions (in-memory case log).")
    from plugins.faq.bench import faq_lines

    yield from faq_lines(result.faq)

"""The labelled conversations played through the App; run as a module to print the figures.

Each conversation gets its own channel and members; time passes between messages (`gap`,
10 s by default). The platform is simulated where it matters: a muted member cannot post
until the timeout ends, and under slowmode a member waits for the interval before posting.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from bot.actions import Timeout
from bot.discovery import discover_plugins
from bot.durations import parse_duration
from bot.events import MessageCreated, User
from bot.permissions import Role
from bot.plugin import Plugin
from tests.harness import Harness

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
LABELS = ("calm", "banter", "conflict", "customer")
DEFAULT_GAP = timedelta(seconds=10)
_MENTION = re.compile(r"@(\w+)")


@dataclass(frozen=True)
class Conversation:
    """One labelled conversation."""

    id: str
    label: str
    lang: str
    messages: list[dict[str, str]]
    gap: timedelta = DEFAULT_GAP
    cms: frozenset[str] = frozenset()


@dataclass
class Result:
    """What the plugin did in one conversation."""

    conversation: Conversation
    delivered: int = 0
    dropped: int = 0
    rules: list[tuple[int, str]] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)

    @property
    def first_step(self) -> int | None:
        """Index (1-based, in delivered messages) of the first step, public or CM alert."""
        return next((i for i, rule in self.rules
                     if rule.startswith(("step", "solo."))), None)

    @property
    def first_public_step(self) -> int | None:
        """Index of the first step members see (reminder, slowmode or timeout)."""
        return next((i for i, rule in self.rules
                     if rule.startswith(("step1", "step2", "step3"))), None)

    @property
    def reached_step4(self) -> bool:
        """Whether the ladder reached its alert step."""
        return any(rule == "step4.alert" for _, rule in self.rules)

    @property
    def alerted(self) -> bool:
        """Whether the CMs got an alert (the ladder's, or the one about a lone angry member)."""
        return any(rule in ("step4.alert", "solo.alert") for _, rule in self.rules)

    @property
    def handed_over(self) -> bool:
        """The team has it: an alert was sent, or a CM spoke and took over."""
        return self.alerted or any(rule == "takeover" for _, rule in self.rules)

    @property
    def anything(self) -> bool:
        """Any decision at all by the escalation plugin."""
        return bool(self.rules)


def conversations() -> list[Conversation]:
    """Every labelled conversation, in file order."""
    found = []
    for label in LABELS:
        data = YAML(typ="safe").load((HERE / "conversations" / f"{label}.yaml")
                                     .read_text(encoding="utf-8"))
        for item in data:
            found.append(Conversation(
                id=item["id"], label=label, lang=item["lang"],
                messages=[{str(k): str(v) for k, v in m.items()} for m in item["messages"]],
                gap=parse_duration(item["gap"]) if "gap" in item else DEFAULT_GAP,
                cms=frozenset(item.get("cms", ()))))
    return found


class _Player:
    """Plays conversations on one harness, simulating timeouts and slowmode like a platform."""

    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.muted: dict[str, datetime] = {}

    def _user(self, conversation: Conversation, name: str) -> User:
        role = Role.CM if name in conversation.cms else Role.MEMBER
        return User(id=f"console:{conversation.id}-{name}", name=name, role=role)

    async def play(self, conversation: Conversation) -> Result:
        result = Result(conversation)
        channel = conversation.id
        last: dict[str, MessageCreated] = {}
        posted: dict[str, datetime] = {}
        for number, message in enumerate(conversation.messages):
            (key, text), = message.items()
            if key == "wait":
                await self.h.advance(parse_duration(text))
                continue
            if number:
                await self.h.advance(conversation.gap)
            speaker, _, target = key.partition(">")
            author = self._user(conversation, speaker)
            if self.muted.get(author.id, datetime.min.replace(tzinfo=self.h.clock.now().tzinfo)) \
                    > self.h.clock.now():
                result.dropped += 1
                continue
            await self._wait_for_slowmode(channel, author, posted)
            mentions = tuple(self._user(conversation, name) for name in _MENTION.findall(text))
            report = await self.h.say(text, author, channel=channel,
                                      reply_to=last.get(target) if target else None,
                                      mentions=mentions)
            last[speaker] = self.h.last
            posted[author.id] = self.h.clock.now()
            result.delivered += 1
            self._collect(result, report.decisions)
        for _ in range(3):  # let the timed jobs of the end (slowmode lift) run
            await self.h.advance(timedelta(minutes=10))
        return result

    def _collect(self, result: Result, decisions: list[Any]) -> None:
        for decision in decisions:
            if decision.plugin != "escalation":
                continue
            result.rules.append((result.delivered, decision.rule))
            for action in decision.actions:
                if isinstance(action, Timeout):
                    result.timed_out.append(action.target.name)
                    self.muted[action.target.id] = self.h.clock.now() + action.duration

    async def _wait_for_slowmode(self, channel: str, author: User,
                                 posted: dict[str, datetime]) -> None:
        calls = [c for c in self.h.adapter.of("set_slowmode")
                 if c["channel"] == f"console:{channel}"]
        if not calls or not calls[-1]["seconds"] or author.role >= Role.CM:
            return
        previous = posted.get(author.id)
        ready = previous + timedelta(seconds=calls[-1]["seconds"]) if previous else None
        if ready is not None and ready > self.h.clock.now():
            await self.h.advance(ready - self.h.clock.now())


def default_rules() -> str:
    """The default rule file, as shipped."""
    return (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")


async def evaluate(rules: str | None = None,
                   plugins: list[type[Plugin]] | None = None) -> list[Result]:
    """Play every conversation through an App on the default rule file and every plugin."""
    with tempfile.TemporaryDirectory() as folder:
        harness = Harness(Path(folder), rules=rules or default_rules(),
                          plugins=plugins if plugins is not None else discover_plugins())
        harness.community = "console:local"
        await harness.start()
        try:
            player = _Player(harness)
            return [await player.play(c) for c in conversations()]
        finally:
            await harness.stop()


@dataclass(frozen=True)
class Figures:
    """The figures the README reports."""

    counts: dict[str, int]
    conflicts_step4: int
    conflicts_alerted: int
    conflicts_with_step: int
    quiet_flagged: list[str]
    customers_handed_over: int
    customers_muted: list[str]
    first_step: list[int]
    first_public_step: list[int]

    def lines(self) -> list[str]:
        """Human-readable report."""
        conflicts = self.counts["conflict"]
        quiet = self.counts["calm"] + self.counts["banter"]
        return [
            f"conversations: {sum(self.counts.values())} ("
            + ", ".join(f"{k} {v}" for k, v in self.counts.items()) + ")",
            f"genuine conflicts reaching the alert step (step 4): {self.conflicts_step4}/"
            f"{conflicts}; CMs alerted at all: {self.conflicts_alerted}/{conflicts}; "
            f"at least one step: {self.conflicts_with_step}/{conflicts}",
            f"calm or banter conversations with any escalation decision: "
            f"{len(self.quiet_flagged)}/{quiet}"
            + (f" ({', '.join(self.quiet_flagged)})" if self.quiet_flagged else ""),
            f"angry customers handed to the team (alert, or a CM already answering): "
            f"{self.customers_handed_over}/{self.counts['customer']}; muted by the bot: "
            f"{len(self.customers_muted)}",
            f"first step in conflicts at message {_spread(self.first_step)}; first public "
            f"step at message {_spread(self.first_public_step)}",
        ]


def _spread(values: list[int]) -> str:
    if not values:
        return "-"
    return (f"{min(values)}-{max(values)} (median {statistics.median(values):g}, "
            f"mean {statistics.mean(values):.1f})")


def figures(results: list[Result]) -> Figures:
    """Count what matters from the results."""
    by_label: dict[str, list[Result]] = {label: [] for label in LABELS}
    for result in results:
        by_label[result.conversation.label].append(result)
    conflicts = by_label["conflict"]
    return Figures(
        counts={label: len(items) for label, items in by_label.items()},
        conflicts_step4=sum(r.reached_step4 for r in conflicts),
        conflicts_alerted=sum(r.alerted for r in conflicts),
        conflicts_with_step=sum(r.first_step is not None for r in conflicts),
        quiet_flagged=[r.conversation.id for r in by_label["calm"] + by_label["banter"]
                       if r.anything],
        customers_handed_over=sum(r.handed_over for r in by_label["customer"]),
        customers_muted=[r.conversation.id for r in by_label["customer"] if r.timed_out],
        first_step=[r.first_step for r in conflicts if r.first_step is not None],
        first_public_step=[r.first_public_step for r in conflicts
                           if r.first_public_step is not None],
    )


def main() -> None:
    """Print the figures and each conversation's decisions."""
    results = asyncio.run(evaluate())
    for result in results:
        c = result.conversation
        print(f"{c.id:<16} {c.label:<9} delivered {result.delivered:>2}"
              f" dropped {result.dropped} first step {result.first_step} "
              f"{' '.join(f'{i}:{r}' for i, r in result.rules)}")
    print()
    print("\n".join(figures(results).lines()))


if __name__ == "__main__":
    main()

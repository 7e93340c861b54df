"""Run past events through a real App: recording adapters, event-time clock, in-memory store."""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from bot.actions import Action, Decision, Dm, Reply
from bot.adapters.base import ActionResult, Adapter, EventSink, RenderedButton
from bot.clock import ManualClock
from bot.events import Event, JobDue, User
from bot.i18n import Localized, Msg, pick_language
from bot.plugin import EventContext
from bot.replay.readers import Item, Malformed, Read
from bot.storage import SqliteStore, open_store

__all__ = ["Outcome", "ReplayAdapter", "Replayer", "Summary"]

log = logging.getLogger("vigie.replay")
PLATFORMS = ("console", "discord", "telegram")


class ReplayAdapter(Adapter):
    """Touches no platform: every call succeeds and is counted."""

    capabilities: ClassVar[frozenset[str]] = frozenset(
        {"delete", "timeout", "kick", "ban", "slowmode", "lock", "dm"})

    def __init__(self, platform: str) -> None:
        self.platform = platform  # type: ignore[misc]
        self.bot_id = f"{platform}:vigie"
        self.calls: Counter[str] = Counter()
        self._ids = itertools.count(1)

    async def start(self, sink: EventSink) -> None:
        """Nothing to connect to."""

    async def closed(self) -> None:
        """Never closes on its own."""

    def _ok(self, method: str) -> ActionResult:
        self.calls[method] += 1
        return ActionResult.ok()

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Counted."""
        self.calls["send_message"] += 1
        return ActionResult.ok(message_id=f"{self.platform}:replay{next(self._ids)}")

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("delete_message")

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        """Counted."""
        return self._ok("timeout_member")

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("remove_timeout")

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("kick_member")

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        """Counted."""
        return self._ok("ban_member")

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("unban_member")

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("set_slowmode")

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("lock_channel")

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Counted."""
        return self._ok("unlock_channel")

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Counted."""
        return self._ok("send_dm")

    async def approve_join(self, community: str, user: User) -> ActionResult:
        """Counted."""
        return self._ok("approve_join")

    async def decline_join(self, community: str, user: User) -> ActionResult:
        """Counted."""
        return self._ok("decline_join")

    async def grant_role(self, community: str, user: User, role: str, *,
                         reason: str) -> ActionResult:
        """Counted."""
        return self._ok("grant_role")

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        """Counted (alerts go nowhere)."""
        return self._ok("send_alert")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the rules decided about one event of the log (or a timed job it led to)."""

    where: str
    event: Event
    decisions: tuple[Decision, ...]
    errors: tuple[str, ...] = ()
    actions: tuple[tuple[dict[str, Any], ...], ...] = ()  # each decision's, texts as written


@dataclass
class Summary:
    """Counts over a whole replay."""

    events: int = 0
    malformed: list[Malformed] = field(default_factory=list)
    out_of_order: list[Read] = field(default_factory=list)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    revision: str = ""

    def add(self, outcome: Outcome) -> None:
        """Count an outcome's decisions."""
        if not isinstance(outcome.event, JobDue):
            self.events += 1
        self.errors += len(outcome.errors)
        for decision in outcome.decisions:
            self.by_rule[f"{decision.plugin}/{decision.rule}"] += 1
            for action in decision.actions:
                self.by_action[action.type] += 1

    def as_json(self) -> dict[str, Any]:
        """The `summary` object of the JSON output."""
        return {"events": self.events, "malformed": len(self.malformed),
                "out_of_order": len(self.out_of_order),
                "decisions": sum(self.by_rule.values()), "errors": self.errors,
                "by_rule": dict(sorted(self.by_rule.items())),
                "by_action": dict(sorted(self.by_action.items())),
                "config_revision": self.revision}


class Replayer:
    """One App over recording adapters, driven by the events' own times."""

    def __init__(self, config: Path, database: str | None = None,
                 plugin_classes: Sequence[type[Any]] | None = None) -> None:
        from bot.app import App

        self.clock = ManualClock()
        self.adapters = {p: ReplayAdapter(p) for p in PLATFORMS}
        store = open_store(database) if database else SqliteStore(":memory:")
        self.app = App(config_path=config, adapters=list(self.adapters.values()), store=store,
                       clock=self.clock, plugin_classes=plugin_classes)
        self._jobs: list[Outcome] = []
        deliver = self.app.scheduler.deliver
        self.app.scheduler.deliver = self._job_recorder(deliver)

    def _job_recorder(self, deliver: Callable[[JobDue], Any]) -> Callable[[JobDue], Any]:
        async def run(job: JobDue) -> bool:
            report = await self.app.handle(job)
            if report.decisions or report.errors:
                self._jobs.append(self._outcome(f"job {job.kind}", job, report.decisions,
                                                report.errors))
            return report.handled and not report.errors
        del deliver
        return run

    @property
    def revision(self) -> str:
        """Revision of the rule file being replayed."""
        return self.app.rulebook.current.revision

    async def start(self, first: datetime | None) -> None:
        """Load the rules (ConfigError when invalid) and open the store."""
        if first is not None:
            self.clock.set(first)
        await self.app.start()

    async def stop(self) -> None:
        """Close everything."""
        await self.app.stop()

    async def run(self, items: Sequence[Item], summary: Summary) -> AsyncIterator[Outcome]:
        """Outcomes in order: each event's, preceded by those of jobs that fell due.

        `items` come through `timeline.arrange`, so no event is dated before the clock.
        """
        summary.revision = self.revision
        for item in items:
            if isinstance(item, Malformed):
                summary.malformed.append(item)
                continue
            if item.moved_from is not None:
                summary.out_of_order.append(item)
            for outcome in await self._step(item):
                summary.add(outcome)
                yield outcome

    async def _step(self, item: Read) -> list[Outcome]:
        self.clock.set(item.event.ts)
        await self.app.scheduler.run_due()
        outcomes, self._jobs = self._jobs, []
        report = await self.app.handle(item.event)
        outcomes.append(self._outcome(item.where, item.event, report.decisions, report.errors))
        return outcomes

    def _outcome(self, where: str, event: Event, decisions: Sequence[Decision],
                 errors: Sequence[str]) -> Outcome:
        actions: tuple[tuple[dict[str, Any], ...], ...] = ()
        if decisions:
            ctx = self.app.dispatcher.context(event)
            actions = tuple(tuple(self._written(a, ctx) for a in d.actions) for d in decisions)
        return Outcome(where, event, tuple(decisions), tuple(errors), actions)

    def _written(self, action: Action, ctx: EventContext) -> dict[str, Any]:
        """`action.describe()` with its texts in the language the executor would write them."""
        out = action.describe()
        lang = ctx.lang if isinstance(action, Reply) else ctx.settings.language
        if isinstance(action, Dm):
            lang = pick_language(action.target.language, ctx.settings.language)
        for item in fields(action):
            value = getattr(action, item.name)
            if isinstance(value, Msg | Localized):
                out[item.name] = self.app.executor.render(value, lang)
        return out

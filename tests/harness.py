"""An in-process App on a recording adapter, a temporary database and a manual clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.adapters.base import ActionResult, Adapter, EventSink, RenderedButton
from bot.app import App
from bot.clock import ManualClock
from bot.dispatch import Report
from bot.events import MemberJoined, MessageCreated, User
from bot.permissions import Role
from bot.plugin import Plugin
from bot.shared import SharedWindows
from bot.storage import SqliteStore, Store, open_store

__all__ = ["MINIMAL_RULES", "Call", "Harness", "QuietClock", "RecordingAdapter"]

MINIMAL_RULES = """\
version: 1
defaults:
  language: en
  rules_text:
    en: Be nice.
    fr: Soyez gentils.
communities:
  "console:test":
    name: Test community
"""

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Call:
    """One native call the adapter received."""

    method: str
    args: dict[str, Any]


@dataclass
class RecordingAdapter(Adapter):
    """Records every call; `fail` maps a method name to the result it should return instead."""

    platform_name: str = "console"
    calls: list[Call] = field(default_factory=list)
    fail: dict[str, ActionResult] = field(default_factory=dict)
    operator: list[str] = field(default_factory=list)
    bot_id: str | None = "console:vigie"

    def __post_init__(self) -> None:
        self.platform = self.platform_name  # type: ignore[misc]
        self._ids = itertools.count(1000)

    async def start(self, sink: EventSink) -> None:
        self.sink = sink

    async def closed(self) -> None:
        return None

    def communities(self) -> set[str]:
        return {f"{self.platform_name}:test"}

    def notify_operator(self, text: str) -> None:
        self.operator.append(text)

    def _record(self, method: str, **args: Any) -> ActionResult:
        self.calls.append(Call(method, args))
        if method in self.fail:
            return self.fail[method]
        if method == "send_message":
            return ActionResult.ok(message_id=f"{self.platform_name}:{next(self._ids)}")
        return ActionResult.ok()

    def of(self, method: str) -> list[dict[str, Any]]:
        """Arguments of every call to `method`."""
        return [c.args for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        """Every message text sent (replies, alerts through send_message, DMs)."""
        return [c.args["text"] for c in self.calls if "text" in c.args]

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        return self._record("send_message", channel=channel, text=text, reply_to=reply_to,
                            buttons=list(buttons))

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        return self._record("delete_message", channel=channel, message_id=message_id,
                            reason=reason)

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        return self._record("timeout_member", community=community, user=user.id, until=until,
                            reason=reason)

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        return self._record("remove_timeout", community=community, user=user.id, reason=reason)

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        return self._record("kick_member", community=community, user=user.id, reason=reason)

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        return self._record("ban_member", community=community, user=user.id, reason=reason,
                            delete_message_seconds=delete_message_seconds)

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        return self._record("unban_member", community=community, user=user.id, reason=reason)

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        return self._record("set_slowmode", channel=channel, seconds=seconds, reason=reason)

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        return self._record("lock_channel", channel=channel, reason=reason)

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        return self._record("unlock_channel", channel=channel, reason=reason)

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        return self._record("send_dm", user=user.id, text=text, buttons=list(buttons))

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        return self._record("send_alert", community=community, channel=channel, text=text)


class QuietClock(ManualClock):
    """A manual clock that wakes no background pass when it moves: a test runs due jobs itself
    (`Harness.advance`), so a job that falls due never races the test's own reads."""

    def on_jump(self, listener: Callable[[], None]) -> None:
        return None


class Harness:
    """Drives an App: write rules, send events, advance time, read calls and rows."""

    def __init__(self, tmp: Path, rules: str = MINIMAL_RULES,
                 plugins: Sequence[type[Plugin]] = (), db_name: str = "vigie.db",
                 database_url: str | None = None, shared: SharedWindows | None = None) -> None:
        self.tmp = tmp
        self.rules_path = tmp / "rules.yaml"
        if not self.rules_path.exists() or rules is not MINIMAL_RULES:
            self.rules_path.write_text(rules, encoding="utf-8")
        self.clock = QuietClock(START)
        self.adapter = RecordingAdapter()
        self.store: Store = (open_store(database_url) if database_url
                             else SqliteStore(str(tmp / db_name)))
        self.app = App(config_path=self.rules_path, adapters=[self.adapter], store=self.store,
                       clock=self.clock, plugin_classes=list(plugins), shared=shared)
        self.community = "console:test"
        self._ids = itertools.count(1)

    async def start(self) -> Harness:
        await self.app.start()
        return self

    async def stop(self) -> None:
        await self.app.stop()

    def user(self, name: str, role: Role = Role.MEMBER, **extra: Any) -> User:
        return User(id=f"console:{name}", name=name, role=role, **extra)

    async def say(self, text: str, author: User | str = "alice", *, channel: str = "general",
                  reply_to: MessageCreated | None = None, mentions: Sequence[User] = (),
                  community: str | None = None) -> Report:
        """A member posts `text`; returns the dispatcher's report."""
        who = self.user(author) if isinstance(author, str) else author
        event = MessageCreated(
            id=f"console:m{next(self._ids)}", ts=self.clock.now(),
            community=community or self.community, channel=f"console:{channel}", author=who,
            text=text, reply_to=reply_to.id if reply_to else None,
            reply_to_author=reply_to.author if reply_to else None, mentions=tuple(mentions))
        self.last = event
        return await self.app.handle(event)

    async def join(self, name: str, created: datetime | None = None) -> Report:
        user = self.user(name, account_created_at=created)
        return await self.app.handle(MemberJoined(
            id=f"console:j{next(self._ids)}", ts=self.clock.now(), community=self.community,
            user=user))

    async def advance(self, delta: timedelta) -> int:
        """Let time pass and run the jobs that became due."""
        self.clock.advance(delta)
        return await self.app.scheduler.run_due()

    def replies(self) -> list[str]:
        return [c["text"] for c in self.adapter.of("send_message")]

    async def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        await self.app.services.audit.flush()
        return await self.store.fetch_all(sql, params)

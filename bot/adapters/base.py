"""The adapter contract: platform updates in as neutral events, neutral actions out as calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from bot.commands.spec import CommandSpec
from bot.events import Event, User, platform_of
from bot.i18n import Catalog, Msg
from bot.mentions import default_mention

if TYPE_CHECKING:
    from bot.fleet.routing import Routing
    from bot.shared import SharedWindows

__all__ = ["ActionResult", "Adapter", "AdapterError", "EventSink", "RenderedButton"]

EventSink = Callable[[Event], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class RenderedButton:
    """A button with its label already in the reader's language."""

    custom_id: str
    label: str


class AdapterError(Exception):
    """An adapter could not start (refused token, missing intents...); the message says why."""


@dataclass(frozen=True, slots=True)
class ActionResult:
    """How a native call went: `ok`, `unsupported` (why), `failed` (the platform's error) or
    `skipped` (already done by another event: not a failure).

    `explanation`, when given, says the same for people (a catalog message, so it is shown in the
    reader's language); `detail` stays the plain English text for logs and the case log.
    """

    status: str
    detail: str = ""
    message_id: str | None = None
    explanation: Msg | None = None
    counts: tuple[int, ...] = ()
    """A closed poll's votes per option (`close_poll`)."""

    @classmethod
    def ok(cls, detail: str = "", message_id: str | None = None) -> ActionResult:
        """It worked."""
        return cls("ok", detail, message_id)

    @classmethod
    def unsupported(cls, reason: str, explanation: Msg | None = None) -> ActionResult:
        """The platform (or this adapter) cannot do it; `reason` says so."""
        return cls("unsupported", reason, explanation=explanation)

    @classmethod
    def failed(cls, error: str, explanation: Msg | None = None) -> ActionResult:
        """The platform refused or broke; `error` says how."""
        return cls("failed", error, explanation=explanation)

    @classmethod
    def skipped(cls, why: str) -> ActionResult:
        """Not done, on purpose: another event already did it (nothing to report)."""
        return cls("skipped", why)

    @property
    def succeeded(self) -> bool:
        """True when the action took effect."""
        return self.status == "ok"


class Adapter:
    """Base of platform adapters. Every action method answers with an ActionResult."""

    platform: ClassVar[str] = ""
    capabilities: ClassVar[frozenset[str]] = frozenset()
    max_timeout: ClassVar[timedelta | None] = None
    min_timeout: ClassVar[timedelta | None] = None
    bot_id: str | None = None
    bot_username: str | None = None

    @property
    def peer_url(self) -> str:
        """Where other workers forward this adapter's updates (Telegram webhooks); '' if never."""
        return ""

    def join_fleet(self, routing: Routing, shared: SharedWindows | None) -> None:
        """Told by the App how workers share the work (for adapters that route updates)."""
        return None

    async def start(self, sink: EventSink) -> None:
        """Begin delivering events to `sink`; return once started."""
        raise NotImplementedError

    async def stop(self) -> None:
        """Disconnect."""

    async def closed(self) -> None:
        """Wait until the adapter's source ends on its own (console end of input)."""
        raise NotImplementedError

    async def publish_commands(self, specs: Sequence[CommandSpec], catalog: Catalog) -> None:
        """Publish the command menu (slash commands, setMyCommands) where the platform has one."""

    def communities(self) -> set[str]:
        """Communities this adapter currently serves."""
        return set()

    def notify_operator(self, text: str) -> None:
        """Tell whoever runs the bot something important (console: printed; others: logged)."""

    def _unsupported(self, what: str) -> ActionResult:
        return ActionResult.unsupported(f"{self.platform} adapter cannot {what}")

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Post `text` in `channel`, as a reply to `reply_to` when given."""
        return self._unsupported("send messages")

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        """Remove a message."""
        return self._unsupported("delete messages")

    async def delete_messages(self, channel: str, message_ids: Sequence[str], *,
                              reason: str) -> list[ActionResult]:
        """Remove several messages of one channel (in bulk where the platform can)."""
        return [await self.delete_message(channel, m, reason=reason) for m in message_ids]

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        """Keep `user` from talking until `until`."""
        return self._unsupported("time members out")

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Let `user` talk again."""
        return self._unsupported("lift timeouts")

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Remove `user`, who may come back."""
        return self._unsupported("kick members")

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        """Remove `user` and keep them out."""
        return self._unsupported("ban members")

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Let `user` come back."""
        return self._unsupported("unban members")

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        """Members may post once every `seconds` in `channel` (0 turns it off)."""
        return self._unsupported("set slowmode")

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Stop members from posting in `channel`."""
        return self._unsupported("lock channels")

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Let members post in `channel` again."""
        return self._unsupported("unlock channels")

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Write to `user` privately (with buttons where the adapter takes them)."""
        return self._unsupported("send private messages")

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        """Tell the community's CMs, in `channel` (the configured alerts channel)."""
        if channel is None:
            return ActionResult.unsupported("no alerts_channel is configured for this community")
        return await self.send_message(channel, text)

    async def find_members(self, community: str, query: str) -> list[User]:
        """Members whose name matches `query` exactly (platforms that can search)."""
        return []

    async def owns_channel(self, community: str, channel: str) -> bool:
        """Whether `channel` belongs to `community`: commands may only act on their own."""
        return platform_of(channel) == platform_of(community) == self.platform

    def channel_mention(self, channel: str) -> str:
        """How a message names `channel` to people here (`#general` unless the platform links)."""
        return default_mention(channel)

    async def lookup_member(self, community: str, user_id: str) -> User | None:
        """The member as the platform sees them now (roles too); None if unknown. Never raises."""
        return None

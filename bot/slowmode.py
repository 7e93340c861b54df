"""Slowmode kept by Vigie where the platform cannot set it: a message sent too soon is deleted.

The executor turns to it when an adapter answers `unsupported` to a Slowmode action and lacks
the "slowmode" capability (Telegram); the dispatcher consults it in the GUARD phase of each new
message. Intervals are stored (kv namespace `core.slowmode`) so they survive a restart; the time
of each member's last accepted message is kept in memory. The team (CM and above) and bots are
exempt, like on Discord.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from bot.actions import Action, Decision, Delete, Dm
from bot.adapters.base import ActionResult
from bot.clock import Clock
from bot.durations import format_duration
from bot.events import MessageCreated
from bot.i18n import Msg
from bot.kv import KeyValue
from bot.mentions import ChannelMention
from bot.permissions import Role
from bot.ratelimit import Cooldown
from bot.storage import Store

__all__ = ["NAMESPACE", "BotSlowmode"]

NAMESPACE = "core.slowmode"
NOTICE_EVERY = timedelta(minutes=10)  # at most one private notice per member and channel
MAX_POSTERS = 100_000


class BotSlowmode:
    """Channels under a bot-enforced slowmode, and when each member last posted in them."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.kv = KeyValue(store, clock, NAMESPACE)
        self._intervals: dict[str, timedelta] = {}
        self._last: OrderedDict[tuple[str, str], datetime] = OrderedDict()
        self._notices = Cooldown(NOTICE_EVERY)

    async def load(self) -> None:
        """Read the stored intervals (at start)."""
        rows = await self.store.fetch_all(
            "SELECT item_key, value FROM kv WHERE namespace = :ns", {"ns": NAMESPACE})
        self._intervals = {str(r["item_key"]): timedelta(seconds=int(r["value"])) for r in rows}

    def interval(self, channel: str) -> timedelta | None:
        """The enforced interval of a channel, if any."""
        return self._intervals.get(channel)

    async def set(self, community: str, channel: str, interval: timedelta) -> ActionResult:
        """Start (or, with a zero interval, stop) enforcing a slowmode; committed on return."""
        seconds = int(interval.total_seconds())
        if seconds > 0:
            await self.kv.set(community, channel, seconds)
            self._intervals[channel] = timedelta(seconds=seconds)
            return ActionResult.ok("enforced by Vigie: messages sent too soon are deleted")
        await self.kv.delete(community, channel)
        self._intervals.pop(channel, None)
        for key in [k for k in self._last if k[0] == channel]:
            del self._last[key]
        return ActionResult.ok("slowmode off")

    def check(self, event: MessageCreated, role: Role) -> Decision | None:
        """Delete a member's message sent sooner than the interval after their previous one."""
        interval = self._intervals.get(event.channel)
        if interval is None or role >= Role.CM or event.author.is_bot:
            return None
        key = (event.channel, event.author.id)
        last = self._last.get(key)
        if last is not None and timedelta() <= event.ts - last < interval:
            actions: list[Action] = [Delete(channel=event.channel, message_id=event.id)]
            if self._notices.ready(key, event.ts):
                actions.append(Dm(target=event.author, text=Msg.of(
                    "slowmode.notice", channel=ChannelMention(event.channel),
                    interval=format_duration(interval))))
            return Decision(plugin="core", rule="slowmode", actions=tuple(actions),
                            evidence=f"slowmode {format_duration(interval)}: previous message "
                                     f"{format_duration(event.ts - last)} earlier")
        self._last[key] = event.ts
        self._last.move_to_end(key)
        if len(self._last) > MAX_POSTERS:
            self._last.popitem(last=False)
        return None

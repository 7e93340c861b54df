"""Commands that act on a channel: purge, slowmode, lock, unlock."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from bot.actions import Action, Delete, Lock, Slowmode, Unlock
from bot.commands import ChannelRef, Count, UsageError, Word
from bot.commands.arguments import read_duration
from bot.events import User
from bot.i18n import Msg
from bot.plugin import CommandCall, Plugin, command
from plugins.moderation.settings import ModerationSettings

__all__ = ["MAX_SLOWMODE", "ChannelCommands"]

MAX_SLOWMODE = timedelta(hours=6)
OFF_WORDS = {"off", "0", "non", "stop", "aucun"}


class ChannelCommands(Plugin):
    """purge, slowmode, lock, unlock."""

    @command("purge")
    async def purge(self, call: CommandCall, count: Annotated[int, Count(1, 1_000_000_000)],
                    member: User | None = None) -> list[Action]:
        """Delete the channel's recent messages (of one member if given)."""
        settings: ModerationSettings = self.section(call.ctx)
        if count > settings.purge_limit:
            raise UsageError(Msg.of("purge.too_many", count=count, limit=settings.purge_limit))
        exclude = {call.message_id} if call.message_id else set()
        recent = self.ctx.services.history.recent(call.channel, count,
                                                  member.id if member else None, exclude)
        if not recent:
            raise UsageError(Msg.of("purge.nothing"))
        return [Delete(channel=call.channel, message_id=seen.message_id) for seen in recent]

    @command("slowmode")
    async def slowmode(self, call: CommandCall, setting: Word,
                       channel: ChannelRef | None = None) -> Action:
        """Members may post once every <setting> (`off` to stop)."""
        if setting.lower() in OFF_WORDS:
            interval = timedelta()
        else:
            try:
                interval = read_duration(setting)
            except UsageError as exc:
                problem = exc.message
                if problem.key == "usage.bad_duration":
                    problem = Msg.of("slowmode.bad", value=setting)
                raise self._with_usage(call, problem) from None
            if interval > MAX_SLOWMODE:
                raise self._with_usage(call, Msg.of("slowmode.too_long", value=setting))
        return Slowmode(channel=channel or call.channel, interval=interval)

    def _with_usage(self, call: CommandCall, problem: Msg) -> UsageError:
        """The problem and the command's usage line, as the dispatcher gives for bad arguments."""
        usage = call.spec.usage(self.ctx.services.catalog, call.ctx.lang, call.prefix)
        return UsageError(Msg.of("usage.error", problem=problem, usage=usage))

    @command("lock")
    async def lock(self, call: CommandCall, channel: ChannelRef | None = None) -> Action:
        """Only the team may post in the channel."""
        return Lock(channel=channel or call.channel)

    @command("unlock")
    async def unlock(self, call: CommandCall, channel: ChannelRef | None = None) -> Action:
        """Everyone may post again."""
        return Unlock(channel=channel or call.channel)

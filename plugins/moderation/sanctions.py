"""Commands that sanction a member or lift a sanction."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from bot.actions import Action, Ban, Kick, Timeout, Unban, Untimeout, Warn
from bot.commands import PlatformLimit, Rest
from bot.events import User
from bot.plugin import CommandCall, Plugin, command
from plugins.moderation.settings import ModerationSettings

__all__ = ["SanctionCommands"]

PURGE_FLAG = "--purge"
TimeoutLength = Annotated[timedelta, PlatformLimit("timeout")]


def _reason(reason: Rest | None) -> str:
    return (reason or "").strip()


class SanctionCommands(Plugin):
    """warn, timeout/mute, untimeout/unmute, kick, ban, unban."""

    @command("warn")
    async def warn(self, call: CommandCall, member: User, reason: Rest | None = None) -> Action:
        """Give a formal warning (a case; the ladder may follow)."""
        return Warn(target=member, reason=_reason(reason))

    @command("timeout", aliases=("mute",))
    async def timeout(self, call: CommandCall, member: User, duration: TimeoutLength,
                      reason: Rest | None = None) -> Action:
        """Keep a member from talking for a while."""
        return Timeout(target=member, duration=duration, reason=_reason(reason))

    @command("untimeout", aliases=("unmute",))
    async def untimeout(self, call: CommandCall, member: User,
                        reason: Rest | None = None) -> Action:
        """Lift a timeout early."""
        return Untimeout(target=member, reason=_reason(reason))

    @command("kick")
    async def kick(self, call: CommandCall, member: User, reason: Rest | None = None) -> Action:
        """Remove a member, who may come back."""
        return Kick(target=member, reason=_reason(reason))

    @command("ban")
    async def ban(self, call: CommandCall, member: User, duration: timedelta | None = None,
                  reason: Rest | None = None) -> Action:
        """Ban a member, for a while or for good; `--purge` also deletes their recent messages."""
        text = _reason(reason)
        purge = PURGE_FLAG in text.split()
        if purge:
            text = " ".join(word for word in text.split() if word != PURGE_FLAG)
        settings: ModerationSettings = self.section(call.ctx)
        window = int(settings.ban_purge_window.total_seconds()) if purge else 0
        return Ban(target=member, duration=duration, reason=text, delete_message_seconds=window)

    @command("unban")
    async def unban(self, call: CommandCall, member: User, reason: Rest | None = None) -> Action:
        """Lift a ban."""
        return Unban(target=member, reason=_reason(reason))

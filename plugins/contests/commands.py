"""`contest <subcommand> ...` for CMs and members, and `enter` for members."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, Decision
from bot.commands import Count, Rest, UsageError, Word
from bot.i18n import Localized, Msg
from bot.permissions import Role
from bot.plugin import CommandCall, command
from plugins.contests.manage import ManageCommands
from plugins.contests.options import OPTIONS
from plugins.contests.reading import ReadCommands
from plugins.contests.subcommands import SUBCOMMANDS

__all__ = ["ContestCommands"]

ContestNumber = Annotated[int, Count(1, 1_000_000_000)]


class ContestCommands(ManageCommands, ReadCommands):
    """One `contest` command (subcommands inside, each with its own role) and `enter`."""

    def overview(self, call: CommandCall) -> str:
        """Every subcommand the caller may use, with a line each."""
        writer = self._writer(call)
        manager = self._manager(call)
        lines = [writer.t("contests.sub.head")]
        for sub in SUBCOMMANDS.values():
            if sub.manage and not manager:
                continue
            lines.append(f"{self.usage(call, sub)} — {writer.t(f'contests.sub.{sub.name}')}")
            if sub.name == "start":
                lines.append("    " + writer.t("contests.sub.options",
                                               options=" ".join(f"--{o}" for o in OPTIONS)))
        lines.append(f"{call.prefix}enter [{writer.t('arg.contest')}] — "
                     f"{writer.t('command.enter.summary')}")
        return "\n".join(lines)

    # -- the commands ----------------------------------------------------------------------

    @command("contest", min_role=Role.MEMBER, aliases=("concours",))
    async def contest(self, call: CommandCall, subcommand: Word | None = None,
                      arguments: Rest | None = None) -> list[Action | Decision] | Action | None:
        """Contests: list, show and proof for everyone; start, end, cancel, reroll, entries."""
        if subcommand is None:
            return call.reply_text(Localized.of({call.ctx.lang: self.overview(call)}))
        sub = SUBCOMMANDS.get(subcommand.lower())
        if sub is None:
            raise UsageError(Msg.of("contests.sub.unknown", name=subcommand,
                                    command=f"{call.prefix}contest"))
        if sub.manage and not self._manager(call):
            now = self.ctx.services.clock.now()
            if self.notices.ready(("denied", call.community, call.invoker.id, sub.name), now):
                return call.reply("command.denied", command=f"{call.prefix}contest {sub.name}")
            return None
        args = arguments or ""
        if sub.name == "start":
            return await self.start_contest(call, args)
        if sub.name == "list":
            if args.strip():
                raise self._with_usage(call, sub, UsageError(Msg.of(
                    "usage.too_many", extra=args.split()[0])))
            return await self.list_contests(call)
        if sub.name in ("end", "cancel", "reroll"):
            changes = {"end": self.end_contest, "cancel": self.cancel_contest,
                       "reroll": self.reroll_contest}
            return await changes[sub.name](call, sub, args)
        readers = {"show": self.show_contest, "proof": self.proof_of,
                   "entries": self.list_entries}
        return await readers[sub.name](call, sub, args)

    @command("enter", min_role=Role.MEMBER, aliases=("participer",))
    async def enter(self, call: CommandCall,
                    contest: ContestNumber | None = None) -> Decision | None:
        """Enter a contest (the only open one here, or the one given)."""
        if contest is None:
            now = self.ctx.services.clock.now()
            here = sorted(c.id for c in self._open.values()
                          if c.place(call.community) is not None and c.is_open(now))
            if not here:
                raise UsageError(Msg.of("contests.enter.none_open"))
            if len(here) > 1:
                raise UsageError(Msg.of("contests.enter.which", choices=", ".join(
                    f"{call.prefix}enter {number}" for number in here)))
            contest = here[0]
        return await self.enter_contest(call.ctx, contest, call.invoker, "command",
                                        call.channel, call.message_id)

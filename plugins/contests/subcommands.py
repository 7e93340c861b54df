"""The subcommands of `contest`, and what they share: roles, usage lines, argument reading."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import Count, UsageError, tokenize
from bot.commands.arguments import read_count
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import CommandCall
from plugins.contests.entry import EntryHooks
from plugins.contests.model import Contest
from plugins.contests.render import Writer
from plugins.contests.settings import ContestsSettings

__all__ = ["ANY_ID", "SUBCOMMANDS", "CommandHelpers", "Sub"]

ANY_ID = Count(1, 1_000_000_000)


@dataclass(frozen=True, slots=True)
class Sub:
    """A subcommand: whether it manages contests (CMs), its arguments (label, required)."""

    name: str
    manage: bool
    args: tuple[tuple[str, bool], ...] = ()


SUBCOMMANDS: dict[str, Sub] = {s.name: s for s in (
    Sub("list", False),
    Sub("show", False, (("contest", True),)),
    Sub("proof", False, (("contest", True), ("part", False))),
    Sub("start", True, (("duration", True), ("winners", True), ("prize", True),
                        ("options", False))),
    Sub("end", True, (("contest", True),)),
    Sub("cancel", True, (("contest", True), ("reason", False))),
    Sub("reroll", True, (("contest", True), ("winners", False))),
    Sub("entries", True, (("contest", True), ("page", False))),
)}


class CommandHelpers(EntryHooks):
    """Who may manage, usage lines in the caller's language, `<contest> [n]`, visibility."""


    def _writer(self, call: CommandCall) -> Writer:
        return Writer(self.ctx.services.catalog, call.ctx.lang, call.prefix)

    def _settings(self, call: CommandCall) -> ContestsSettings:
        section: ContestsSettings = self.section(call.ctx)
        return section

    def _manager(self, call: CommandCall) -> bool:
        return call.role >= Role.parse(self._settings(call).manage_role)

    def usage(self, call: CommandCall, sub: Sub) -> str:
        """`!contest end <contest>` in the caller's language."""
        catalog = self.ctx.services.catalog
        parts = [f"{call.prefix}contest {sub.name}"]
        for label, required in sub.args:
            text = catalog.render(f"arg.{label}", call.ctx.lang)
            parts.append(f"<{text}>" if required else f"[{text}]")
        return " ".join(parts)

    def _with_usage(self, call: CommandCall, sub: Sub, exc: UsageError) -> UsageError:
        return UsageError(Msg.of("usage.error", problem=exc.message, usage=self.usage(call, sub)))

    def _numbers(self, call: CommandCall, sub: Sub, args: str,
                 second: Count | None = None) -> tuple[int, int | None]:
        """`<contest> [n]`."""
        tokens = [t.text for t in tokenize(args)]
        try:
            if not tokens:
                raise UsageError(Msg.of("usage.missing", arg=Msg.of("arg.contest")))
            number = read_count(tokens[0].lstrip("#"), ANY_ID)
            extra = None
            if len(tokens) > 1 and second is not None:
                extra = read_count(tokens[1], second)
            if len(tokens) > (2 if second is not None else 1):
                raise UsageError(Msg.of("usage.too_many", extra=tokens[-1]))
        except UsageError as exc:
            raise self._with_usage(call, sub, exc) from None
        return number, extra

    async def _visible(self, call: CommandCall, number: int) -> Contest:
        """A contest that runs in the caller's community (others' are not shown)."""
        contest = await self.contests.get(number)
        if contest is None or contest.place(call.community) is None:
            raise UsageError(Msg.of("contests.unknown", id=number))
        return contest

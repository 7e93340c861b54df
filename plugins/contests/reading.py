"""Reading contests: list, show, proof (everyone) and entries (the team)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.commands import UsageError
from bot.i18n import Msg
from bot.plugin import CommandCall
from plugins.contests.model import CANCELLED, ENDED, Contest, Draw
from plugins.contests.proof import Proof, Round, verify
from plugins.contests.subcommands import ANY_ID, CommandHelpers, Sub

__all__ = ["ReadCommands", "build_proof"]

PROOF_PART = 1500
ENTRIES_PAGE = 25
LISTED = 10


class ReadCommands(CommandHelpers):
    """list, show, proof and entries."""

    # -- reading ---------------------------------------------------------------------------

    async def list_contests(self, call: CommandCall) -> Action:
        """Open and recent contests of this community."""
        found = await self.contests.in_community(call.community, LISTED)
        writer = self._writer(call)
        if not found:
            return call.reply("contests.list.none")
        now = self.ctx.services.clock.now()
        lines = [writer.t("contests.list.head")]
        for contest in found:
            winners = None
            if contest.status == ENDED:
                entries = {e.member_id: e for e in await self.contests.entries(contest.id)}
                won = [w for d in await self.contests.draws(contest.id) for w in d.winners]
                winners = writer.names(won, entries, self.several_platforms(contest))
            lines.append(writer.line(contest, await self.contests.entry_count(contest.id), now,
                                     winners))
        return call.reply_text(writer.localized("\n".join(lines)))

    async def show_contest(self, call: CommandCall, sub: Sub, args: str) -> Action:
        """One contest: entries, time left, requirements, commitment, winners."""
        number, _ = self._numbers(call, sub, args)
        contest = await self._visible(call, number)
        writer = self._writer(call)
        entries = {e.member_id: e for e in await self.contests.entries(number)}
        text = writer.show(contest, await self.contests.entry_count(number),
                           self.ctx.services.clock.now(), await self.contests.draws(number),
                           entries)
        return call.reply_text(writer.localized(text))

    async def proof_of(self, call: CommandCall, sub: Sub, args: str) -> Action:
        """The draw's proof as JSON (in parts when long), checked before it is shown."""
        number, part = self._numbers(call, sub, args, ANY_ID)
        contest = await self._visible(call, number)
        draws = await self.contests.draws(number)
        if contest.status == CANCELLED:
            return call.reply("contests.already.cancelled", id=number)
        if not draws:
            return call.reply("contests.proof.none", id=number, commitment=contest.commitment)
        proof = build_proof(contest, await self.contests.entrants(number), draws)
        text = proof.to_json()
        parts = [text[i:i + PROOF_PART] for i in range(0, len(text), PROOF_PART)]
        index = part or 1
        if index > len(parts):
            raise UsageError(Msg.of("usage.out_of_range", value=index, low=1, high=len(parts)))
        checked = verify(proof)
        writer = self._writer(call)
        head = writer.t("contests.proof.head", id=number, part=index, parts=len(parts),
                        next=writer.t("contests.proof.next", command=f"{call.prefix}contest "
                                      f"proof {number} {index + 1}") if index < len(parts) else "",
                        check=writer.t("contests.proof.ok" if checked.ok else
                                       "contests.proof.broken"))
        return call.reply_text(writer.localized(f"{head}\n{parts[index - 1]}"))

    async def list_entries(self, call: CommandCall, sub: Sub, args: str) -> Action:
        """Every entry, for CMs, a page at a time."""
        number, page = self._numbers(call, sub, args, ANY_ID)
        await self._visible(call, number)
        entries = await self.contests.entries(number)
        writer = self._writer(call)
        if not entries:
            return call.reply("contests.entries.none", id=number)
        pages = -(-len(entries) // ENTRIES_PAGE)
        index = page or 1
        if index > pages:
            raise UsageError(Msg.of("usage.out_of_range", value=index, low=1, high=pages))
        start = (index - 1) * ENTRIES_PAGE
        lines = [writer.t("contests.entries.head", id=number, count=len(entries), page=index,
                          pages=pages)]
        lines.extend(writer.entry_line(start + offset + 1, entry)
                     for offset, entry in enumerate(entries[start:start + ENTRIES_PAGE]))
        return call.reply_text(writer.localized("\n".join(lines)))


def build_proof(contest: Contest, entrants: Sequence[str], draws: Sequence[Draw]) -> Proof:
    """The published proof of a contest's draws (round 0 holds the entrant list's hash)."""
    return Proof(contest=contest.id, commitment=contest.commitment, seed=contest.seed,
                 entrants=tuple(entrants), entrants_sha256=draws[0].entrants_sha256,
                 rounds=tuple(Round(d.round, len(d.winners), d.winners) for d in draws),
                 prize=contest.prize)

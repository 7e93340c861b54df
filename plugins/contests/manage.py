"""Managing contests: start (with its places), end now, cancel, reroll."""

from __future__ import annotations

from bot.actions import Action, Cancel, Decision
from bot.commands import Count, UsageError
from bot.events import platform_of
from bot.i18n import Msg
from bot.mentions import ChannelMention
from bot.plugin import CommandCall
from bot.settings.models import check_qualified_id
from plugins.contests import draw as drawing
from plugins.contests.base import end_key
from plugins.contests.closing import draw_evidence
from plugins.contests.model import CANCELLED, OPEN, Place
from plugins.contests.options import StartRequest, parse_start
from plugins.contests.render import left, when
from plugins.contests.settings import ContestsSettings
from plugins.contests.store import NewContest
from plugins.contests.subcommands import SUBCOMMANDS, CommandHelpers, Sub

__all__ = ["ManageCommands"]


class ManageCommands(CommandHelpers):
    """start, end, cancel, reroll: for `contests.manage_role`."""

    # -- start -----------------------------------------------------------------------------

    async def start_contest(self, call: CommandCall, args: str) -> list[Action | Decision]:
        """Validate everything, store the contest, schedule its end, then announce it."""
        section = self._settings(call)
        try:
            request = parse_start(args, platform_of(call.community), section)
        except UsageError as exc:
            raise self._with_usage(call, SUBCOMMANDS["start"], exc) from None
        places = self._places(call, request, section)
        for place in places:
            if await self.contests.count_open(place.community) >= \
                    self.section_of(place.community).max_open:
                raise UsageError(Msg.of("contests.too_many_open", community=place.community,
                                        limit=self.section_of(place.community).max_open))
        now = self.ctx.services.clock.now()
        seed = drawing.new_seed()
        contest = await self.contests.create(NewContest(
            places=places, prize=request.prize, winners=request.winners, mode=request.mode,
            emoji=request.emoji, keyword=request.keyword, requirements=request.requirements,
            seed=seed, commitment=drawing.commitment(seed), created_by=call.invoker,
            ends_at=now + request.duration, revision=call.ctx.revision), now)
        self.remember(contest)
        self.ctx.log.info("contest started id=%s community=%s places=%s ends=%s", contest.id,
                          contest.community, ",".join(contest.communities), contest.ends_at)
        elsewhere = ", ".join(p.community for p in places[1:])
        reply = call.reply("contests.started", id=contest.id, ends=when(contest.ends_at),
                           left=left(contest.ends_at - now),
                           channel=ChannelMention(contest.channel),
                           elsewhere=Msg.of("contests.started_elsewhere", communities=elsewhere)
                           if elsewhere else "")
        return [Decision(rule="start", actions=(reply, self.start_post(contest, call.community),
                                                self.end_schedule(contest),
                                                *self.relay(contest, "start")),
                         evidence=self.ctx.services.catalog.render(
                             "contests.evidence.start", call.ctx.settings.language,
                             {"id": contest.id, "commitment": contest.commitment,
                              "ends": when(contest.ends_at),
                              "places": ",".join(contest.communities)}))]

    def _places(self, call: CommandCall, request: StartRequest,
                section: ContestsSettings) -> tuple[Place, ...]:
        """Where the contest runs: here, and the communities of `--in` (a group, or ids)."""
        home = Place(call.community, request.channel or section.channel or call.channel)
        if request.places is None:
            return (home,)
        wanted = request.places.strip()
        if wanted in section.groups:
            members = list(section.groups[wanted])
            if call.community not in members:
                raise UsageError(Msg.of("contests.places.not_in_group", group=wanted,
                                        community=call.community))
        else:
            members = [item.strip() for item in wanted.split(",") if item.strip()]
            partners = {c for group in section.groups.values() if call.community in group
                        for c in group}
            for member in members:
                try:
                    check_qualified_id(member, "community")
                except ValueError:
                    raise UsageError(Msg.of("contests.places.unknown", value=member,
                                            groups=", ".join(sorted(section.groups)) or "-"))\
                        from None
                if member != call.community and member not in partners:
                    raise UsageError(Msg.of("contests.places.not_allowed", community=member))
        places = [home]
        for member in dict.fromkeys(members):
            if member == call.community:
                continue
            channel = self.section_of(member).channel
            if channel is None:
                raise UsageError(Msg.of("contests.places.no_channel", community=member))
            places.append(Place(member, channel))
        return tuple(places)

    # -- end, cancel, reroll ---------------------------------------------------------------

    async def end_contest(self, call: CommandCall, sub: Sub,
                          args: str) -> list[Action | Decision]:
        """Draw now."""
        number, _ = self._numbers(call, sub, args)
        contest = await self._visible(call, number)
        if contest.status != OPEN:
            raise UsageError(Msg.of(f"contests.already.{contest.status}", id=number))
        closed = await self.draw_now(number, call.invoker.id, call.community)
        if closed is None:
            raise UsageError(Msg.of("contests.already.ended", id=number))
        contest, draw = closed
        return [Decision(rule="draw", actions=(*await self.results(contest, draw, call.community),
                                               Cancel(key=end_key(number)),
                                               *self.relay_draw(contest, draw)),
                         evidence=draw_evidence(contest, draw))]

    async def cancel_contest(self, call: CommandCall, sub: Sub,
                             args: str) -> list[Action | Decision]:
        """Stop an open contest without a draw."""
        first, _, rest = args.strip().partition(" ")
        number, _ = self._numbers(call, sub, first)
        contest = await self._visible(call, number)
        if contest.status != OPEN:
            raise UsageError(Msg.of(f"contests.already.{contest.status}", id=number))
        now = self.ctx.services.clock.now()
        cancelled = await self.contests.cancel(number, now, call.invoker.id, rest.strip()[:200],
                                               call.community)
        if cancelled is None:
            raise UsageError(Msg.of("contests.already.ended", id=number))
        self.forget(number)
        return [Decision(rule="cancel", actions=(self.cancel_post(cancelled, call.community),
                                                 Cancel(key=end_key(number)),
                                                 *self.relay(cancelled, "cancel")),
                         evidence=f"contest #{number} cancelled by {call.invoker.id}: "
                                  f"{cancelled.cancel_reason or '-'}")]

    async def reroll_contest(self, call: CommandCall, sub: Sub,
                             args: str) -> list[Action | Decision]:
        """New winners, drawn among entrants who have not won."""
        section = self._settings(call)
        number, count = self._numbers(call, sub, args, Count(1, section.max_winners))
        contest = await self._visible(call, number)
        if contest.status == OPEN:
            raise UsageError(Msg.of("contests.reroll.open", id=number))
        if contest.status == CANCELLED:
            raise UsageError(Msg.of("contests.already.cancelled", id=number))
        wanted = count or 1
        won = {w for d in await self.contests.draws(number) for w in d.winners}
        available = len([e for e in await self.contests.entrants(number) if e not in won])
        if wanted > available:
            raise UsageError(Msg.of("contests.reroll.too_few", id=number, wanted=wanted,
                                    available=available))
        now = self.ctx.services.clock.now()
        draw = await self.contests.reroll(contest, wanted, now, call.invoker.id, call.community)
        return [Decision(rule="reroll", actions=(*await self.results(contest, draw,
                                                                     call.community),
                                                 *self.relay_draw(contest, draw)),
                         evidence=draw_evidence(contest, draw))]

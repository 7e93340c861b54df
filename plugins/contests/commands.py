"""`contest <subcommand> ...` for CMs and members, and `enter` for members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from bot.actions import Action, Decision
from bot.commands import Count, Rest, UsageError, Word, tokenize
from bot.commands.arguments import read_count
from bot.events import platform_of
from bot.i18n import Localized, Msg
from bot.permissions import Role
from bot.plugin import CommandCall, command
from bot.settings.models import check_qualified_id
from plugins.contests import draw as drawing
from plugins.contests.base import end_key
from plugins.contests.closing import draw_evidence
from plugins.contests.entry import EntryHooks
from plugins.contests.model import CANCELLED, ENDED, OPEN, Contest, Draw, Place
from plugins.contests.options import OPTIONS, StartRequest, parse_start
from plugins.contests.proof import Proof, Round, verify
from plugins.contests.render import Writer, left, when
from plugins.contests.settings import ContestsSettings
from plugins.contests.store import NewContest

__all__ = ["SUBCOMMANDS", "ContestCommands", "build_proof"]

ContestNumber = Annotated[int, Count(1, 1_000_000_000)]
ANY_ID = Count(1, 1_000_000_000)
PROOF_PART = 1500
ENTRIES_PAGE = 25
LISTED = 10


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


class ContestCommands(EntryHooks):
    """One `contest` command (subcommands inside, each with its own role) and `enter`."""

    # -- helpers ---------------------------------------------------------------------------

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
        await self.schedule_end(contest)
        if len(places) > 1:
            await self.relay(contest, "start")
        self.ctx.log.info("contest started id=%s community=%s places=%s ends=%s", contest.id,
                          contest.community, ",".join(contest.communities), contest.ends_at)
        elsewhere = ", ".join(p.community for p in places[1:])
        reply = call.reply("contests.started", id=contest.id, ends=when(contest.ends_at),
                           left=left(contest.ends_at - now),
                           channel="#" + contest.channel.partition(":")[2],
                           elsewhere=Msg.of("contests.started_elsewhere", communities=elsewhere)
                           if elsewhere else "")
        return [Decision(rule="start", actions=(reply, self.start_post(contest, call.community)),
                         evidence=f"contest #{contest.id}: commitment={contest.commitment} "
                                  f"ends={when(contest.ends_at)} "
                                  f"places={','.join(contest.communities)}")]

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
        await self.ctx.services.scheduler.cancel(end_key(number))
        return [Decision(rule="draw", actions=tuple(await self.results(contest, draw,
                                                                       call.community)),
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
        await self.ctx.services.scheduler.cancel(end_key(number))
        await self.relay(cancelled, "cancel")
        return [Decision(rule="cancel", actions=(self.cancel_post(cancelled, call.community),),
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
        await self.relay_draw(contest, draw)
        return [Decision(rule="reroll", actions=tuple(await self.results(contest, draw,
                                                                         call.community)),
                         evidence=draw_evidence(contest, draw))]

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

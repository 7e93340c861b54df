"""Announcements, the end of a contest (a durable job), the draw, and results in every community."""

from __future__ import annotations

from bot.actions import Action, Button, Decision, Dm, Send
from bot.events import JobDue, MessagePosted, User
from bot.i18n import pick_language
from bot.plugin import EventContext, Phase, hook, on_job
from plugins.contests.base import END_JOB, RELAY_JOB, ContestsBase
from plugins.contests.model import CANCELLED, OPEN, Contest, Draw

__all__ = ["BUTTON_PREFIX", "POST_TAG", "SCHEDULE", "Closing", "draw_evidence"]

BUTTON_PREFIX = "contests:enter:"
POST_TAG = "contests:post:"
SCHEDULE = "schedule"


def draw_evidence(contest: Contest, draw: Draw) -> str:
    """What the audit log keeps about a draw: enough to recompute it."""
    return (f"contest #{contest.id} round {draw.round}: commitment={contest.commitment} "
            f"seed={contest.seed} entrants={draw.entrants} "
            f"entrants_sha256={draw.entrants_sha256} "
            f"winners={','.join(draw.winners) or '-'}")


class Closing(ContestsBase):
    """Posts announcements, closes contests on time, draws, and tells every community."""

    # -- what is posted --------------------------------------------------------------------

    def start_post(self, contest: Contest, community: str) -> Send:
        """The announcement in one community, in its language, with the button if any."""
        place = contest.place(community)
        assert place is not None
        writer = self.writer(community, place.channel)
        buttons: tuple[Button, ...] = ()
        if contest.mode == "button":
            buttons = (Button(custom_id=f"{BUTTON_PREFIX}{contest.id}",
                              label=writer.localized(writer.t("contests.button"))),)
        now = self.ctx.services.clock.now()
        return Send(channel=place.channel, text=writer.localized(writer.start(contest, now)),
                    buttons=buttons, tag=f"{POST_TAG}{contest.id}")

    def cancel_post(self, contest: Contest, community: str) -> Send:
        """The cancellation notice in one community."""
        place = contest.place(community)
        assert place is not None
        writer = self.writer(community, place.channel)
        return Send(channel=place.channel, text=writer.localized(writer.cancelled(contest)))

    async def results(self, contest: Contest, draw: Draw, community: str) -> list[Action]:
        """A draw's results in one community, and a private word to its winners from there."""
        place = contest.place(community)
        assert place is not None
        entries = {e.member_id: e for e in await self.contests.entries(contest.id)}
        writer = self.writer(community, place.channel)
        actions: list[Action] = [Send(channel=place.channel,
                                      text=writer.localized(writer.result(contest, draw, entries)))]
        settings = self.settings_of(community)
        for member_id in draw.winners:
            entry = entries.get(member_id)
            if entry is None or entry.community != community:
                continue
            lang = pick_language(entry.language, settings.language)
            private = self.writer(community, lang=lang)
            actions.append(Dm(
                target=User(id=member_id, name=entry.member_name, language=entry.language),
                text=private.localized(private.winner_dm(contest, self.community_name(community)))))
        return actions

    # -- the end ---------------------------------------------------------------------------

    async def draw_now(self, contest_id: int, by: str,
                       told_in: str | None) -> tuple[Contest, Draw] | None:
        """Close and draw (entrants sanctioned meanwhile are left out); None if not open."""
        contest = self._open.get(contest_id) or await self.contests.get(contest_id)
        if contest is None:
            return None
        windows = {c: self.section_of(c).exclude.sanctioned_within for c in contest.communities}
        now = self.ctx.services.clock.now()
        closed = await self.contests.close(contest_id, now, by, windows, told_in)
        self.forget(contest_id)
        if closed is None:
            return None
        self.ctx.log.info("contest drawn id=%s entrants=%s winners=%s", contest_id,
                          closed[1].entrants, len(closed[1].winners))
        return closed

    @on_job(END_JOB)
    async def end_job(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """The contest's time is up: draw, and announce everywhere through relay jobs."""
        contest_id = int(job.payload["contest"])
        closed = await self.draw_now(contest_id, SCHEDULE, None)
        if closed is None:  # drawn by an earlier try of this job: store what it did not
            contest = await self.contests.get(contest_id)
            missing = [job for draw in await self.contests.draws(contest_id) if contest
                       and not draw.relayed for job in self.relay_draw(contest, draw)
                       if not await self.ctx.services.scheduler.known(job.key)]
            return Decision(rule="draw.relay", actions=tuple(missing),
                            evidence=f"contest #{contest_id}") if missing else None
        contest, draw = closed
        return Decision(rule="draw", actions=tuple(self.relay_draw(contest, draw)),
                        evidence=draw_evidence(contest, draw))

    @on_job(RELAY_JOB)
    async def relay_job(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Announce a start, a cancellation or results in this job's community."""
        contest = await self.contests.get(int(job.payload["contest"]))
        if contest is None or contest.place(job.community) is None:
            return None
        what = str(job.payload["what"])
        if what == "start":
            if contest.status != OPEN:
                return None
            return Decision(rule="announce.start", actions=(self.start_post(contest,
                                                                          job.community),),
                            evidence=f"contest #{contest.id}")
        if what == "cancel":
            if contest.status != CANCELLED:
                return None
            return Decision(rule="announce.cancel",
                            actions=(self.cancel_post(contest, job.community),),
                            evidence=f"contest #{contest.id}")
        round_ = int(job.payload.get("round", 0))
        draw = next((d for d in await self.contests.draws(contest.id) if d.round == round_), None)
        if draw is None:
            return None
        return Decision(rule="announce.draw",
                        actions=tuple(await self.results(contest, draw, job.community)),
                        evidence=f"contest #{contest.id} round {round_}")

    @hook(Phase.OBSERVE, MessagePosted)
    async def posted(self, event: MessagePosted, ctx: EventContext) -> None:
        """Remember where an announcement was posted: reactions to it are entries."""
        if not event.tag.startswith(POST_TAG):
            return
        contest_id = int(event.tag.removeprefix(POST_TAG))
        await self.contests.add_post(contest_id, event.community, event.channel,
                                     event.message_id, event.ts)
        if contest_id in self._open:
            self._posts[(event.channel, event.message_id)] = contest_id

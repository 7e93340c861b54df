"""The polls plugin: `poll`, posted natively in every place, ended by a job, results summed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, ClassVar

from bot.actions import Action, Cancel, ClosePoll, Decision, Poll, Schedule, Send
from bot.commands import Count, Rest, UsageError
from bot.durations import format_duration
from bot.events import ButtonClicked, JobDue, MessagePosted, PollClosed
from bot.i18n import Localized
from bot.native import VOTE_PREFIX
from bot.permissions import Role
from bot.places import Place, PlaceError, resolve_places
from bot.plugin import (
    CommandCall,
    EventContext,
    Phase,
    Plugin,
    PluginContext,
    command,
    hook,
    on_job,
)
from plugins.polls.parse import read_poll
from plugins.polls.render import results_text
from plugins.polls.schema import MIGRATIONS
from plugins.polls.settings import PollsSettings
from plugins.polls.store import PollRow, PollStore

__all__ = ["CLOSE_JOB", "END_JOB", "POST_JOB", "RESULTS_JOB", "SAY_JOB", "PollsPlugin"]

POST_JOB = "polls.post"  # post the poll in another community
END_JOB = "polls.end"  # time is up: close it everywhere
CLOSE_JOB = "polls.close"  # close it in one community
RESULTS_JOB = "polls.results"  # count what was read, if a close never answered
SAY_JOB = "polls.say"  # post the results in one community
TAG = "polls:"
RESULTS_GRACE = timedelta(minutes=2)
PollNumber = Annotated[int, Count(1, 1_000_000_000)]


class PollsPlugin(Plugin):
    """CM polls: native where the platform has them, buttons elsewhere; summed results."""

    name: ClassVar[str] = "polls"
    settings_model = PollsSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.polls = PollStore(ctx.services.store)

    # -- commands ----------------------------------------------------------------------------

    @command("poll", min_role=Role.CM, aliases=("sondage",))
    async def poll(self, call: CommandCall, poll: Rest) -> list[Action]:
        """`poll <question> | <option> | ... [--for 1h] [--in brand]`, or `poll end <n>`."""
        first, _, rest = poll.strip().partition(" ")
        if first.lower() in ("end", "fin") and rest.strip().isdigit():
            return await self._end_now(call, int(rest.strip()))
        section: PollsSettings = self.section(call.ctx)
        request = read_poll(poll, section.duration)
        rules = self.ctx.rules
        try:
            places = resolve_places(
                Place(call.community, call.channel), request.targets,
                brands=self.ctx.services.brands,
                communities=rules.communities,
                channel_of=lambda c: getattr(rules.community(c), self.name).channel)
        except PlaceError as exc:
            raise UsageError(exc.message) from None
        now = self.ctx.services.clock.now()
        ends = now + request.duration
        poll_id = await self.polls.create(places, request.question, request.options,
                                          call.invoker.id, now, ends)
        actions: list[Action] = [
            Poll(channel=call.channel, question=request.question, options=request.options,
                 duration=request.duration, tag=f"{TAG}{poll_id}"),
            Schedule.of(END_JOB, call.community, ends, f"polls:end:{poll_id}",
                        {"poll": poll_id})]
        actions += [Schedule.of(POST_JOB, p.community, now, f"polls:post:{poll_id}:{p.community}",
                                {"poll": poll_id}) for p in places[1:]]
        actions.append(call.reply("polls.started", id=poll_id, ends=format_duration(
            request.duration), places=", ".join(p.community for p in places)))
        return actions

    async def _end_now(self, call: CommandCall, poll_id: int) -> list[Action]:
        """End a poll of this community early."""
        poll = await self.polls.get(poll_id)
        if poll is None or poll.community != call.community:
            return [call.reply("polls.unknown", id=poll_id)]
        if poll.status != "open":
            return [call.reply("polls.already_ended", id=poll_id)]
        return [Cancel(key=f"polls:end:{poll_id}"), *await self._closing(poll)]

    # -- posting -----------------------------------------------------------------------------

    @on_job(POST_JOB)
    async def post(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Post the poll in another community (its own native poll there)."""
        poll = await self.polls.get(int(job.payload["poll"]))
        if poll is None or poll.status != "open":
            return None
        place = next((p for p in await self.polls.places(poll.id)
                      if p.community == job.community), None)
        if place is None or place.message_id is not None:
            return None
        left = max(poll.ends_at - self.ctx.services.clock.now(), timedelta(minutes=1))
        return Decision(rule="poll.post", actions=(Poll(
            channel=place.channel, question=poll.question, options=poll.options,
            duration=left, tag=f"{TAG}{poll.id}"),))

    @hook(Phase.OBSERVE, MessagePosted)
    async def posted(self, event: MessagePosted, ctx: EventContext) -> None:
        """Remember each poll message, to close it and to count button votes."""
        if event.tag.startswith(TAG):
            await self.polls.posted(int(event.tag.removeprefix(TAG)), event.community,
                                    event.message_id)

    @hook(Phase.RESPOND, ButtonClicked)
    async def clicked(self, event: ButtonClicked, ctx: EventContext) -> None:
        """A vote where polls are buttons (the console): one per member, the last click."""
        if not event.custom_id.startswith(VOTE_PREFIX):
            return
        found = await self.polls.place_of(event.community, event.message_id)
        number = event.custom_id.removeprefix(VOTE_PREFIX)
        if found is None or not number.isdigit() or not 1 <= int(number) <= found[1]:
            return
        await self.polls.vote(found[0], event.community, event.user.id, int(number))

    # -- ending ------------------------------------------------------------------------------

    @on_job(END_JOB)
    async def end(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Time is up: close the poll in every place."""
        poll = await self.polls.get(int(job.payload["poll"]))
        if poll is None or poll.status != "open":
            return None
        return Decision(rule="poll.end", actions=tuple(await self._closing(poll)))

    async def _closing(self, poll: PollRow) -> list[Action]:
        """Close jobs for each place, and a results job in case a close never answers."""
        if not await self.polls.move(poll.id, "open", "closing"):
            return []
        now = self.ctx.services.clock.now()
        actions: list[Action] = [
            Schedule.of(CLOSE_JOB, p.community, now, f"polls:close:{poll.id}:{p.community}",
                        {"poll": poll.id})
            for p in await self.polls.places(poll.id) if p.message_id is not None]
        actions.append(Schedule.of(RESULTS_JOB, poll.community, now + RESULTS_GRACE,
                                   f"polls:results:{poll.id}", {"poll": poll.id}))
        return actions

    @on_job(CLOSE_JOB)
    async def close(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """End the poll in this community; its counts arrive as PollClosed."""
        poll_id = int(job.payload["poll"])
        place = next((p for p in await self.polls.places(poll_id)
                      if p.community == job.community), None)
        if place is None or place.message_id is None or place.counts is not None:
            return None
        return Decision(rule="poll.close", actions=(ClosePoll(
            channel=place.channel, message_id=place.message_id, tag=f"{TAG}{poll_id}"),))

    @hook(Phase.OBSERVE, PollClosed)
    async def counted(self, event: PollClosed, ctx: EventContext) -> Decision | None:
        """Record a place's counts; once every place is in, post the results everywhere."""
        if not event.tag.startswith(TAG):
            return None
        poll = await self.polls.get(int(event.tag.removeprefix(TAG)))
        if poll is None:
            return None
        counts = event.counts or await self.polls.button_counts(
            poll.id, event.community, len(poll.options))
        await self.polls.closed(poll.id, event.community, counts)
        places = await self.polls.places(poll.id)
        if any(p.counts is None for p in places if p.message_id is not None):
            return None
        return await self._finish(poll)

    @on_job(RESULTS_JOB)
    async def results(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Some place never answered its close: post the results of those that did."""
        poll = await self.polls.get(int(job.payload["poll"]))
        return await self._finish(poll) if poll is not None else None

    async def _finish(self, poll: PollRow) -> Decision | None:
        """Once: the results job is dropped and each place gets the results."""
        if not await self.polls.move(poll.id, "closing", "done"):
            return None
        now = self.ctx.services.clock.now()
        actions: list[Action] = [Cancel(key=f"polls:results:{poll.id}")]
        actions += [Schedule.of(SAY_JOB, p.community, now, f"polls:say:{poll.id}:{p.community}",
                                {"poll": poll.id}) for p in await self.polls.places(poll.id)]
        return Decision(rule="poll.results", actions=tuple(actions))

    @on_job(SAY_JOB)
    async def say(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Post the summed results in this community's language."""
        poll = await self.polls.get(int(job.payload["poll"]))
        if poll is None:
            return None
        places = await self.polls.places(poll.id)
        place = next((p for p in places if p.community == job.community), None)
        if place is None:
            return None
        lang = ctx.settings.language
        text = results_text(self.ctx.services.catalog, lang, poll, places)
        return Decision(rule="poll.say", actions=(
            Send(channel=place.channel, text=Localized.of({lang: text})),))



"""The events plugin: `event create|edit|cancel|list|attendees`, RSVPs, reminders, closing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from bot.actions import (
    Action,
    Button,
    Cancel,
    Decision,
    Dm,
    GuildEvent,
    Pin,
    Schedule,
    Send,
    Upload,
)
from bot.commands import Rest, UsageError
from bot.events import ButtonClicked, JobDue, MessagePosted, ReactionAdded, User, platform_of
from bot.i18n import Localized, Msg
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
from plugins.events.parse import EventRequest, read_create, read_edit
from plugins.events.render import EventWriter, attendees_csv
from plugins.events.schema import MIGRATIONS
from plugins.events.settings import EventsSettings
from plugins.events.store import EventPlace, EventRow, EventStore

__all__ = ["STEP_JOB", "EventsPlugin", "step_key"]

STEP_JOB = "events.step"
GOING = "events:going:"
TAG = "events:"
NATIVE_TAG = "events:native:"


def step_key(event_id: int, what: str, community: str) -> str:
    """The key of one step of an event in one community."""
    return f"events:{event_id}:{what}:{community}"


class EventsPlugin(Plugin):
    """Events announced in every community of a brand, with attendance and reminders."""

    name: ClassVar[str] = "events"
    settings_model = EventsSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.events = EventStore(ctx.services.store)

    def settings_of(self, community: str) -> EventsSettings:
        """The `events:` section of a community."""
        section: EventsSettings = getattr(self.ctx.rules.community(community), self.name)
        return section

    def writer(self, ctx: EventContext, lang: str | None = None) -> EventWriter:
        """Texts in the reader's (or the community's) language and the community's time zone."""
        return EventWriter(self.ctx.services.catalog, lang or ctx.settings.language,
                           self.section(ctx).timezone)

    # -- commands ----------------------------------------------------------------------------

    @command("event", min_role=Role.CM, aliases=("evenement",))
    async def event(self, call: CommandCall, event: Rest) -> list[Action] | Action:
        """`event create|edit|cancel|list|attendees ...`."""
        sub, _, rest = event.strip().partition(" ")
        sub, rest = sub.lower(), rest.strip()
        if sub in ("create", "creer", "new"):
            return await self._create(call, rest)
        if sub in ("list", "liste"):
            return await self._list(call)
        number, _, more = rest.partition(" ")
        if sub in ("cancel", "annuler", "edit", "modifier", "attendees", "participants"):
            if not number.isdigit():
                raise UsageError(Msg.of("events.usage"))
            found = await self.events.get(int(number))
            if found is None or await self.events.place(found.id, call.community) is None:
                return call.reply("events.unknown", id=number)
            if sub in ("cancel", "annuler"):
                return await self._cancel(call, found)
            if sub in ("edit", "modifier"):
                return await self._edit(call, found, more)
            return await self._attendees(call, found, more.strip().lower() == "csv")
        raise UsageError(Msg.of("events.usage"))

    async def _create(self, call: CommandCall, text: str) -> list[Action]:
        section: EventsSettings = self.section(call.ctx)
        now = self.ctx.services.clock.now()
        request = read_create(text, now, section.timezone)
        assert request.start is not None and request.title is not None
        rules = self.ctx.rules
        try:
            places = resolve_places(
                Place(call.community, call.channel), request.targets,
                brands=self.ctx.services.brands,
                communities=rules.communities, channel_of=lambda c: self.settings_of(c).channel)
        except PlaceError as exc:
            raise UsageError(exc.message) from None
        end = request.start + (request.duration or section.duration)
        event_id = await self.events.create(
            places, request.title, request.texts, request.place or "", request.link or "",
            request.start, end, section.reminders, call.invoker.id, now)
        found = await self.events.get(event_id)
        assert found is not None
        actions: list[Action] = [*self._timeline(found, places, now, announce=True)]
        writer = self.writer(call.ctx, call.ctx.lang)
        actions.append(call.reply_text(Localized.of({writer.lang: writer.t(
            "events.created", id=event_id, title=found.title, when=writer.when(found.starts_at),
            places=", ".join(p.community for p in places))})))
        return actions

    def _timeline(self, event: EventRow, places: list[Place] | list[EventPlace],
                  now: datetime, *, announce: bool) -> list[Action]:
        """Every step of the event in every place: announcement, reminders, pin, end."""
        actions: list[Action] = []
        for place in places:
            community = place.community
            settings = self.settings_of(community)

            def step(what: str, at: datetime, c: str = community) -> Action:
                return Schedule.of(STEP_JOB, c, at, step_key(event.id, what, c),
                                   {"event": event.id, "what": what})

            if announce:
                actions.append(step("announce", now))
            for before in event.reminders:
                at, what = event.starts_at - before, f"remind:{int(before.total_seconds())}"
                actions.append(step(what, at) if at > now
                               else Cancel(key=step_key(event.id, what, community)))
            if platform_of(community) in settings.pin_on:
                actions.append(step("start", event.starts_at))
            actions.append(step("end", event.ends_at))
        return actions

    async def _list(self, call: CommandCall) -> Action:
        writer = self.writer(call.ctx, call.ctx.lang)
        found = await self.events.upcoming(call.community)
        if not found:
            return call.reply("events.none")
        lines = [writer.t("events.list.head")]
        for event in found:
            count = len(await self.events.attendees(event.id))
            lines.append(writer.t("events.list.line", id=event.id, title=event.title,
                                  when=writer.when(event.starts_at), count=count))
        return call.reply_text(Localized.of({writer.lang: "\n".join(lines)}))

    async def _cancel(self, call: CommandCall, event: EventRow) -> list[Action]:
        if not await self.events.move(event.id, "open", "cancelled"):
            return [call.reply("events.not_open", id=event.id)]
        now = self.ctx.services.clock.now()
        actions: list[Action] = []
        for place in await self.events.places(event.id):
            for what in ("announce", "start", "end",
                         *(f"remind:{int(b.total_seconds())}" for b in event.reminders)):
                actions.append(Cancel(key=step_key(event.id, what, place.community)))
            actions.append(Schedule.of(STEP_JOB, place.community, now,
                                       step_key(event.id, "cancel", place.community),
                                       {"event": event.id, "what": "cancel"}))
        actions.append(call.reply("events.cancel_done", id=event.id, title=event.title))
        return actions

    async def _edit(self, call: CommandCall, event: EventRow, text: str) -> list[Action]:
        if event.status != "open":
            return [call.reply("events.not_open", id=event.id)]
        now = self.ctx.services.clock.now()
        request: EventRequest = read_edit(text, now, self.section(call.ctx).timezone)
        start = request.start or event.starts_at
        length = request.duration or (event.ends_at - event.starts_at)
        if start <= now:
            raise UsageError(Msg.of("events.started"))
        changed = replace(event, title=request.title or event.title,
                          texts={**event.texts, **request.texts},
                          place=event.place if request.place is None else request.place,
                          link=event.link if request.link is None else request.link,
                          starts_at=start, ends_at=start + length)
        await self.events.update(changed)
        places = await self.events.places(event.id)
        actions = self._timeline(changed, places, now, announce=False)
        actions += [Schedule.of(STEP_JOB, p.community, now,
                                step_key(event.id, "update", p.community),
                                {"event": event.id, "what": "update"}) for p in places]
        actions.append(call.reply("events.edit_done", id=event.id))
        return actions

    async def _attendees(self, call: CommandCall, event: EventRow, as_csv: bool) -> list[Action]:
        people = await self.events.attendees(event.id)
        writer = self.writer(call.ctx, call.ctx.lang)
        if as_csv and platform_of(call.community) == "console":  # no files: the CSV inline
            return [call.reply_text(Localized.of({writer.lang: attendees_csv(
                event, people).decode("utf-8").rstrip()}))]
        if as_csv:
            return [Upload(channel=call.channel, filename=f"event-{event.id}-attendees.csv",
                           data=attendees_csv(event, people), reply_to=call.message_id,
                           caption=Msg.of("events.csv", id=event.id, count=len(people)))]
        lines = [writer.t("events.attendees.head", id=event.id, title=event.title,
                          count=len(people))]
        lines += [f"- {a.name} ({a.community})" for a in people]
        return [call.reply_text(Localized.of({writer.lang: "\n".join(lines)}))]

    # -- steps -------------------------------------------------------------------------------

    @on_job(STEP_JOB)
    async def step(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """One step of an event in this community, written in its language."""
        event = await self.events.get(int(job.payload["event"]))
        what = str(job.payload["what"])
        place = await self.events.place(event.id, job.community) if event else None
        if event is None or place is None:
            return None
        if event.status == "cancelled" and what != "cancel":
            return None
        section: EventsSettings = self.section(ctx)
        writer = self.writer(ctx)
        actions: list[Action] = []
        discord = platform_of(job.community) == "discord" and section.native
        if what == "announce":
            actions.append(Send(channel=place.channel, text=self._text(writer, writer.announcement(
                event, section.emoji)), buttons=(Button(custom_id=f"{GOING}{event.id}",
                                                        label=Msg.of("events.button")),),
                tag=f"{TAG}{event.id}"))
            if discord and place.native_id is None:
                actions.append(self._native(event, job.community, writer))
        elif what.startswith("remind:"):
            left = event.starts_at - self.ctx.services.clock.now()
            if left <= timedelta(0):
                return None  # a reminder overdue past the start (after a long outage)
            before = timedelta(minutes=int(left.total_seconds() // 60))
            here = [a for a in await self.events.attendees(event.id)
                    if a.community == job.community]
            actions.append(Send(channel=place.channel, text=self._text(
                writer, writer.reminder(event, before, here))))
        elif what == "start" and place.message_id is not None:
            actions.append(Pin(channel=place.channel, message_id=place.message_id))
        elif what == "end":
            people = await self.events.attendees(event.id)
            local = sum(1 for a in people if a.community == job.community)
            actions.append(Send(channel=place.channel, text=self._text(
                writer, writer.closing(event, len(people), local))))
            if job.community == event.community:
                await self.events.move(event.id, "open", "done")
            actions += self._unpin(place, section)
        elif what == "cancel":
            actions.append(Send(channel=place.channel,
                                text=self._text(writer, writer.cancelled(event))))
            actions += self._unpin(place, section)
            if place.native_id:
                actions.append(GuildEvent(community=job.community, event_id=place.native_id,
                                          cancel=True))
        elif what == "update":
            actions.append(Send(channel=place.channel,
                                text=self._text(writer, writer.updated(event))))
            if discord and place.native_id:
                actions.append(replace(self._native(event, job.community, writer),
                                       event_id=place.native_id, tag=""))
        return Decision(rule=f"event.{what.partition(':')[0]}", actions=tuple(actions)) \
            if actions else None

    @staticmethod
    def _text(writer: EventWriter, text: str) -> Localized:
        return Localized.of({writer.lang: text})

    @staticmethod
    def _unpin(place: EventPlace, section: EventsSettings) -> list[Action]:
        if place.message_id is None or platform_of(place.community) not in section.pin_on:
            return []
        return [Pin(channel=place.channel, message_id=place.message_id, pinned=False)]

    @staticmethod
    def _native(event: EventRow, community: str, writer: EventWriter) -> GuildEvent:
        text = event.texts.get(writer.lang) or next(iter(event.texts.values()), "")
        return GuildEvent(community=community, name=event.title, description=text,
                          start=event.starts_at, end=event.ends_at,
                          location=event.place or event.link, tag=f"{NATIVE_TAG}{event.id}")

    @hook(Phase.OBSERVE, MessagePosted)
    async def posted(self, event: MessagePosted, ctx: EventContext) -> None:
        """Remember the announcement's message and the native event, per community."""
        if event.tag.startswith(NATIVE_TAG):
            await self.events.posted(int(event.tag.removeprefix(NATIVE_TAG)), event.community,
                                     native_id=event.message_id)
        elif event.tag.startswith(TAG) and event.tag.removeprefix(TAG).isdigit():
            await self.events.posted(int(event.tag.removeprefix(TAG)), event.community,
                                     message_id=event.message_id)

    # -- attendance --------------------------------------------------------------------------

    @hook(Phase.RESPOND, ButtonClicked)
    async def clicked(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """"I'll be there": a first click counts the member in, a second counts them out."""
        number = event.custom_id.removeprefix(GOING)
        if not event.custom_id.startswith(GOING) or not number.isdigit():
            return None
        return await self._answer(int(number), event.community, event.user, only_add=False)

    @hook(Phase.RESPOND, ReactionAdded)
    async def reacted(self, event: ReactionAdded, ctx: EventContext) -> Decision | None:
        """The section's emoji on an announcement counts too (where buttons are not shown)."""
        if event.emoji != self.section(ctx).emoji or event.user.is_bot:
            return None
        found = await self.events.by_message(event.community, event.message_id)
        if found is None:
            return None
        return await self._answer(found, event.community, event.user, only_add=True)

    async def _answer(self, event_id: int, community: str, user: User,
                      *, only_add: bool) -> Decision | None:
        event = await self.events.get(event_id)
        now = self.ctx.services.clock.now()
        if event is None or await self.events.place(event_id, community) is None:
            return None
        if event.status != "open" or now >= event.ends_at:
            return Decision(rule="event.closed", actions=(
                Dm(target=user, text=Msg.of("events.too_late", title=event.title)),))
        added = await self.events.toggle(event_id, user.id, community, user.name, now,
                                         only_add=only_add)
        if added is None:
            return None
        key = "events.going" if added else "events.not_going"
        return Decision(rule="event.rsvp", actions=(
            Dm(target=user, text=Msg.of(key, title=event.title, id=event.id)),))

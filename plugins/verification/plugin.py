"""The verification plugin: newcomers answer a challenge before they may post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from bot.actions import Action, Alert, Button, Cancel, Decision, Delete, Dm, Schedule, Send
from bot.clicks import scoped
from bot.clock import from_text, to_text
from bot.durations import format_duration
from bot.events import (
    ButtonClicked,
    JobDue,
    JoinNotice,
    JoinRequested,
    MemberJoined,
    MemberLeft,
    MessagePosted,
    User,
    platform_of,
)
from bot.gate import Approve, Decline, GrantRole, RemoveMember, Restrict, Unrestrict
from bot.i18n import Localized, Msg
from bot.permissions import Role
from bot.plugin import EventContext, Phase, Plugin, PluginContext, hook, on_job
from bot.raids import in_raid_mode
from plugins.verification.challenges import make_challenge
from plugins.verification.raids import RaidWatch
from plugins.verification.schema import MIGRATIONS
from plugins.verification.settings import VerificationSettings
from plugins.verification.store import (
    FAILED,
    LEFT,
    PASSED,
    TIMED_OUT,
    ChallengeRow,
    ChallengeStore,
)

__all__ = ["DEADLINE_JOB", "RAID_END_JOB", "VerificationPlugin"]

DEADLINE_JOB = "verification.deadline"
RAID_END_JOB = "verification.raid_end"
CLICK = "verify:"
TAG = "verification:"
HOLD_MARGIN = timedelta(minutes=1)  # a hold outlives the deadline a little: the job lifts it
KEEP_RESTRICTED = {"telegram": timedelta(days=366), "discord": timedelta(days=28)}
KEEP_DEFAULT = timedelta(days=366)
NOTICE_WINDOW = timedelta(minutes=5)  # a join notice this much after its challenge is its own
# How a challenge reaches the newcomer: `request` (Telegram join request, by private message),
# `group` (held in the group, challenge posted there), `dm` (Discord timeout, by private
# message), `role` (Discord verification channel, a role on success).
REQUEST, GROUP, DM, ROLE = "request", "group", "dm", "role"


def job_key(challenge_id: int) -> str:
    """The deadline job of a challenge."""
    return f"verification:deadline:{challenge_id}"


class VerificationPlugin(Plugin):
    """Join verification: a button, a question, a sum or an emoji before newcomers may post."""

    name: ClassVar[str] = "verification"
    settings_model = VerificationSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.challenges = ChallengeStore(ctx.services.store)
        self.raids = RaidWatch()

    async def start(self) -> None:
        """A challenge stored without its deadline job (a stop between the two) gets it back."""
        scheduler = self.ctx.services.scheduler
        for row in await self.challenges.pending():
            if not await scheduler.known(job_key(row.id)):
                self.ctx.log.warning("challenge %s had no deadline job: armed again", row.id)
                await scheduler.schedule(DEADLINE_JOB, row.community, row.deadline,
                                         {"id": row.id}, key=job_key(row.id))

    # -- newcomers -----------------------------------------------------------------------------

    @hook(Phase.GUARD, MemberJoined)
    async def joined(self, event: MemberJoined, ctx: EventContext) -> list[Decision] | None:
        """A newcomer: challenged (held meanwhile) unless staff, allowed, or already checked."""
        settings: VerificationSettings = self.section(ctx)
        pending = await self.challenges.pending_of(event.community, event.user.id)
        if pending is not None and pending.via == REQUEST:
            return None  # let in by an admin while answering by private message: not again
        return await self._newcomer(event.user, event, ctx, settings, event.channel,
                                    event.message_id)

    @hook(Phase.GUARD, JoinRequested)
    async def requested(self, event: JoinRequested, ctx: EventContext) -> list[Decision] | None:
        """A join request (Telegram): challenged by private message, approved or declined."""
        settings: VerificationSettings = self.section(ctx)
        return await self._newcomer(event.user, event, ctx, settings, None, None)

    async def _newcomer(self, user: User, event: MemberJoined | JoinRequested, ctx: EventContext,
                        settings: VerificationSettings, join_channel: str | None,
                        join_message: str | None) -> list[Decision] | None:
        if user.is_bot or ctx.role >= Role.CM or user.id in settings.allow:
            return None
        community, now = event.community, event.ts
        automod_raid = await in_raid_mode(self.ctx.services.store, community)
        in_raid, declare, count = self.raids.join(community, now, settings.raid)
        if not in_raid and automod_raid:
            self.raids.extend(community, now, settings.raid.quiet)  # automod declared it
            in_raid = True
        decisions = [self._raid_started(settings, community, now, count, ctx)] \
            if declare and not automod_raid else []  # automod already told the CMs
        if in_raid:
            decisions.append(self._raid_end(community, ctx))
        if not in_raid and settings.who == "new_accounts" and not _new(user, now, settings):
            return decisions or None
        if await self.challenges.open_or_passed(community, user.id):
            return decisions or None
        decisions.append(await self._challenge(user, event, ctx, settings, in_raid,
                                               join_channel, join_message))
        return decisions

    async def _challenge(self, user: User, event: MemberJoined | JoinRequested, ctx: EventContext,
                         settings: VerificationSettings, raid: bool, join_channel: str | None,
                         join_message: str | None) -> Decision:
        community, now = event.community, event.ts
        platform = platform_of(community)
        if isinstance(event, JoinRequested):
            via = REQUEST
        elif platform == "discord":
            via = ROLE if settings.hold == "role" else DM
        else:
            via = GROUP
        channel = None if via in (REQUEST, DM) else \
            settings.channel or (community if platform == "telegram" else f"{platform}:general")
        catalog = self.ctx.services.catalog
        lang = ctx.lang
        challenge = make_challenge(settings.challenge, catalog, lang, user.name,
                                   settings.time_limit)
        deadline = now + settings.time_limit
        challenge_id = await self.challenges.add(
            community=community, member=user, language=lang, via=via, kind=settings.challenge,
            answer=challenge.answer, tries=settings.tries, channel=channel,
            join_channel=join_channel, join_message_id=join_message, raid=raid, now=now,
            deadline=deadline)
        ids = [f"{CLICK}{challenge_id}:{n}" for n in range(len(challenge.labels))]
        actions: list[Action] = []
        if via in (REQUEST, DM):
            text = challenge.text
            if via == REQUEST:
                text = catalog.render("verification.request.intro", lang, {
                    "community": ctx.settings.name or community}) + "\n" + text
            actions.append(Dm(target=user, text=Localized.of({lang: text}), buttons=tuple(
                Button(custom_id=scoped(i, community), label=Localized.of({lang: label}))
                for i, label in zip(ids, challenge.labels, strict=True))))
        else:
            assert channel is not None
            actions.append(Send(channel=channel, text=Localized.of({lang: challenge.text}),
                                buttons=tuple(Button(custom_id=i, label=Localized.of(
                                    {lang: label})) for i, label in zip(
                                        ids, challenge.labels, strict=True)),
                                tag=f"{TAG}{challenge_id}"))
        if via in (GROUP, DM):
            actions.append(Restrict(target=user, until=deadline + HOLD_MARGIN))
        actions.append(Schedule.of(DEADLINE_JOB, community, deadline, job_key(challenge_id),
                                   {"id": challenge_id}))
        return Decision(rule="challenge", actions=tuple(actions), evidence=catalog.render(
            "verification.evidence.join", ctx.settings.language,
            {"kind": settings.challenge, "via": via}))

    @hook(Phase.OBSERVE, MessagePosted)
    async def posted(self, event: MessagePosted, ctx: EventContext) -> None:
        """Remember where a challenge was posted, to delete it once answered."""
        if event.tag.startswith(TAG) and event.tag[len(TAG):].isdigit():
            await self.challenges.posted(int(event.tag[len(TAG):]), event.message_id)

    @hook(Phase.OBSERVE, JoinNotice)
    async def noticed(self, event: JoinNotice, ctx: EventContext) -> Decision | None:
        """The join's notice, reported after the join: deleted with the challenge (or now)."""
        row = await self.challenges.latest_of(event.community, event.user.id)
        if row is None or row.via == REQUEST or row.created_at < event.ts - NOTICE_WINDOW:
            return None
        if await self.challenges.noticed(row.id, event.channel, event.message_id):
            return None
        return Decision(rule="notice", actions=(Delete(channel=event.channel,
                                                       message_id=event.message_id),))

    # -- answers -------------------------------------------------------------------------------

    @hook(Phase.RESPOND, ButtonClicked)
    async def clicked(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """An answer: right passes, wrong uses a try or fails; only the newcomer's count."""
        found = _click(event.custom_id)
        if found is None:
            return None
        challenge_id, choice = found
        row = await self.challenges.get(challenge_id)
        if row is None or row.community != event.community or row.member.id != event.user.id \
                or row.status != "pending":
            return None
        settings: VerificationSettings = self.section(ctx)
        now = self.ctx.services.clock.now()
        if choice == row.answer:
            if not await self.challenges.settle(row.id, PASSED, now):
                return None
            return self._passed(row, settings, ctx, event)
        if await self.challenges.use_try(row.id):
            left = row.tries_left - 1
            text = self.ctx.services.catalog.render("verification.wrong", row.member.language
                                                    or ctx.lang, {"left": left})
            if row.via in (REQUEST, DM):
                return Decision(rule="wrong", actions=(Dm(target=row.member, text=Localized.of(
                    {row.member.language or ctx.lang: text})),))
            return None  # in a group, a wrong click says nothing to everyone; tries go down
        if not await self.challenges.settle(row.id, FAILED, now):
            return None
        return self._failed(row, settings, ctx, FAILED, event)

    @on_job(DEADLINE_JOB)
    async def deadline(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """No answer in time: the failure applies (its deadline kept across restarts)."""
        row = await self.challenges.get(int(job.payload.get("id", 0)))
        if row is None or row.status != "pending":
            return None
        if not await self.challenges.settle(row.id, TIMED_OUT, self.ctx.services.clock.now()):
            return None
        return self._failed(row, self.section(ctx), ctx, TIMED_OUT, None)

    @hook(Phase.OBSERVE, MemberLeft)
    async def left(self, event: MemberLeft, ctx: EventContext) -> Decision | None:
        """A newcomer who leaves mid-challenge: recorded, the challenge removed."""
        row = await self.challenges.pending_of(event.community, event.user.id)
        if row is None or row.via == REQUEST:
            return None
        if not await self.challenges.settle(row.id, LEFT, event.ts):
            return None
        return Decision(rule="left", actions=(Cancel(key=job_key(row.id)), *_cleanup(row)),
                        evidence=self._evidence("left", ctx))

    def _passed(self, row: ChallengeRow, settings: VerificationSettings, ctx: EventContext,
                click: ButtonClicked) -> Decision:
        member = row.member
        actions: list[Action] = [Cancel(key=job_key(row.id)), *_cleanup(row)]
        if row.via == REQUEST:
            actions.append(Approve(target=member))
        elif row.via == ROLE and settings.role is not None:
            actions.append(GrantRole(target=member, role=settings.role))
        elif row.via == ROLE:  # the rule file changed meanwhile: no role to give
            self.ctx.log.warning("verification passed in %s but no role is configured",
                                 row.community)
        else:
            actions.append(Unrestrict(target=member))
        if row.via in (REQUEST, DM):
            actions.append(Delete(channel=click.channel, message_id=click.message_id))
        if row.via == DM:  # a requester hears from Telegram itself (the bot may not write then)
            actions.append(self._dm(member, "verification.passed", ctx))
        return Decision(rule="passed", actions=tuple(actions),
                        evidence=self._evidence("passed", ctx))

    def _failed(self, row: ChallengeRow, settings: VerificationSettings, ctx: EventContext,
                why: str, click: ButtonClicked | None) -> Decision:
        member = row.member
        platform = platform_of(row.community)
        actions: list[Action] = [Cancel(key=job_key(row.id)), *_cleanup(row)]
        if row.via == REQUEST:
            outcome = "decline"
            actions.append(Decline(target=member))
        elif settings.on_failure == "restrict":
            outcome = "restrict"
            if row.via != ROLE:  # with a role, not having it is the restriction
                actions.append(Restrict(target=member, until=self.ctx.services.clock.now()
                                        + KEEP_RESTRICTED.get(platform, KEEP_DEFAULT)))
        else:
            outcome = "kick"
            actions.append(RemoveMember(target=member))
        if click is not None and row.via in (REQUEST, DM):
            actions.append(Delete(channel=click.channel, message_id=click.message_id))
        if row.via == DM:
            actions.append(self._dm(member, "verification.failed", ctx))
        if settings.notify and not row.raid:
            actions.append(Alert(text=Msg.of(
                "verification.alert.failed", name=member.name, member=member.id,
                why=Msg.of(f"verification.why.{why}"),
                outcome=Msg.of(f"verification.outcome.{outcome}"))))
        return Decision(rule=why, actions=tuple(actions), evidence=self._evidence(why, ctx))

    def _dm(self, member: User, key: str, ctx: EventContext) -> Dm:
        lang = member.language or ctx.settings.language
        return Dm(target=member, text=Localized.of(
            {lang: self.ctx.services.catalog.render(key, lang)}))

    def _evidence(self, what: str, ctx: EventContext) -> str:
        return self.ctx.services.catalog.render(f"verification.evidence.{what}",
                                                ctx.settings.language)

    # -- raids ---------------------------------------------------------------------------------

    def _raid_started(self, settings: VerificationSettings, community: str, now: datetime,
                      count: int, ctx: EventContext) -> Decision:
        raid = settings.raid
        params = {"joins": count, "within": format_duration(raid.within)}
        return Decision(rule="raid", actions=(Alert(text=Msg.of(
            "verification.raid.started", quiet=format_duration(raid.quiet), **params)),),
            evidence=self.ctx.services.catalog.render("verification.evidence.raid",
                                                      ctx.settings.language, params))

    def _raid_end(self, community: str, ctx: EventContext) -> Decision:
        """The raid's summary job, moved to `quiet` after this join."""
        ends = self.raids.ends(community)
        since = self.raids.started(community)
        assert ends is not None and since is not None
        return Decision(rule="raid", actions=(Schedule.of(
            RAID_END_JOB, community, ends, f"verification:raid:{community}",
            {"since": to_text(since)}),))

    @on_job(RAID_END_JOB)
    async def raid_over(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """No join for `quiet`: one summary of the raid's challenges to the CMs."""
        community = job.community
        ends = self.raids.ends(community)
        now = self.ctx.services.clock.now()
        if ends is not None and ends > now:
            return Decision(rule="raid", actions=(Schedule.of(
                RAID_END_JOB, community, ends, f"verification:raid:{community}",
                job.payload),))
        self.raids.end(community)
        counts = await self.challenges.tally(community, from_text(str(job.payload["since"])))
        return Decision(rule="raid", actions=(Alert(text=Msg.of(
            "verification.raid.ended", total=sum(counts.values()),
            passed=counts.get(PASSED, 0), failed=counts.get(FAILED, 0) + counts.get(LEFT, 0),
            timed_out=counts.get(TIMED_OUT, 0), pending=counts.get("pending", 0))),),
            evidence=self._evidence("raid_ended", ctx))


def _new(user: User, now: datetime, settings: VerificationSettings) -> bool:
    """Whether an account is young enough to be challenged (unknown ages count as young)."""
    created = user.account_created_at
    return created is None or now - created < settings.new_account_age


def _click(custom_id: str) -> tuple[int, int] | None:
    """(challenge id, answer index) of a `verify:<id>:<n>` button."""
    if not custom_id.startswith(CLICK):
        return None
    first, _, second = custom_id[len(CLICK):].partition(":")
    if not first.isdigit() or not second.isdigit():
        return None
    return int(first), int(second)


def _cleanup(row: ChallengeRow) -> Sequence[Action]:
    """Delete the challenge posted in the group and the platform's join notice."""
    actions: list[Action] = []
    if row.channel is not None and row.message_id is not None:
        actions.append(Delete(channel=row.channel, message_id=row.message_id))
    if row.join_channel is not None and row.join_message_id is not None:
        actions.append(Delete(channel=row.join_channel, message_id=row.join_message_id))
    return actions

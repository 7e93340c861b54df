"""The CMs' answer to an alert: "I'm on it", "false alarm", "escalate"; recorded, then done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.actions import (
    Action,
    Cancel,
    Decision,
    Lock,
    Reply,
    Schedule,
    Slowmode,
    Unlock,
    Untimeout,
)
from bot.clicks import numbered_click, reply_to_click
from bot.durations import format_duration
from bot.events import ButtonClicked, JobDue, User
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook, on_job
from plugins.escalation.alerts import OPEN, OUTCOMES, AlertRecord
from plugins.escalation.base import (
    CHECK_JOB,
    TIMEOUT_RULE,
    UNLOCK_JOB,
    EscalationBase,
    check_key,
)
from plugins.escalation.render import channel_name

__all__ = ["ButtonHooks"]

PREFIX = "escalation:"


class ButtonHooks(EscalationBase):
    """Answers to alerts, and the end of an escalation's lock."""

    @hook(Phase.RESPOND, ButtonClicked)
    async def answer(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """Record the first CM answer to an alert and carry it out."""
        clicked = numbered_click(event.custom_id, PREFIX, OUTCOMES)
        if clicked is None:
            return None
        kind, number = clicked

        def reply(key: str, **params: object) -> Reply:
            return reply_to_click(event, key, **params)

        who = f"{event.user.name} ({event.user.id})"
        if ctx.role < Role.CM:
            return Decision(rule="alert.refused", actions=(reply("escalation.answer.denied"),),
                            evidence=f"alert #{number}: {who} is not on the team")
        record = await self.alerts.get(number)
        if record is None or record.community != event.community:
            return Decision(rule="alert.unknown", actions=(reply("escalation.answer.unknown"),),
                            evidence=f"alert #{number} not found")
        outcome = OUTCOMES[kind]
        if record.outcome != OPEN or not await self.alerts.decide(
                record.id, outcome, event.user.id, event.user.name, self.now()):
            current = await self.alerts.get(record.id) or record
            return Decision(rule="alert.already", evidence=f"alert #{record.id}: {who} clicked "
                            f"{kind}, already {current.outcome}", actions=(reply(
                                "escalation.answer.already",
                                outcome=Msg.of(f"escalation.outcome.{current.outcome}"),
                                cm=current.decided_by_name or "?"),))
        conversation = self.tracker.get(record.community, record.channel)
        if conversation is not None:
            conversation.handled = event.user.name
        channel = channel_name(record.channel)
        actions: list[Action] = []
        if kind == "onit":
            actions.append(reply("escalation.answer.onit", cm=event.user.name, channel=channel))
        elif kind == "false":
            undone = await self._undo(record, ctx, event.user.name)
            actions.extend(undone)
            actions.append(reply("escalation.answer.false", cm=event.user.name, channel=channel,
                                 undone=Msg.of("escalation.answer.undone") if undone else ""))
        else:
            actions.extend(await self._escalate(record, ctx, event.user.name, reply))
        return Decision(rule=f"alert.{outcome}", actions=tuple(actions),
                        evidence=f"alert #{record.id} about {channel}: {outcome} by {who}")

    async def _undo(self, record: AlertRecord, ctx: EventContext, cm: str) -> list[Action]:
        """A false alarm: lift our slowmode and the timeouts this exchange gave."""
        actions: list[Action] = []
        conversation = self.tracker.get(record.community, record.channel)
        key = check_key(record.community, record.channel)
        had_job = any(job.key == key for job in
                      await self.ctx.services.scheduler.pending(CHECK_JOB))
        if had_job or (conversation is not None and conversation.slowmode_since is not None):
            if conversation is not None:
                conversation.slowmode_since = None
            actions.append(Slowmode(channel=record.channel, interval=timedelta()))
            actions.append(Cancel(key=key))
        reason = f"false alarm (escalation alert #{record.id}) by {cm}"
        for user in await self._timed_out(record):
            actions.append(Untimeout(target=user, reason=reason))
        return actions

    async def _timed_out(self, record: AlertRecord) -> list[User]:
        """Members still under a timeout this plugin gave in the alert's channel (the case log
        knows, even after a restart)."""
        rows = await self.ctx.services.store.fetch_all(
            "SELECT DISTINCT target_id, target_name FROM cases WHERE community = :community"
            " AND channel = :channel AND action = 'timeout' AND status = 'active'"
            " AND author_id = :author",
            {"community": record.community, "channel": record.channel,
             "author": f"rule:{self.name}/{TIMEOUT_RULE}"})
        return [User(id=str(r["target_id"]), name=str(r["target_name"])) for r in rows]

    async def _escalate(self, record: AlertRecord, ctx: EventContext, cm: str,
                        reply: Callable[..., Reply]) -> list[Action]:
        """Escalate: lock the channel for a while, when the rule file says so."""
        settings = self.settings_at(ctx, record.community, record.channel)
        lock = settings.escalate.lock
        channel = channel_name(record.channel)
        if lock is None:
            return [reply("escalation.answer.escalate_no_lock", cm=cm, channel=channel)]
        return [Lock(channel=record.channel, duration=lock),
                Schedule.of(UNLOCK_JOB, record.community, self.now() + lock,
                            f"escalation:unlock:{record.community}:{record.channel}",
                            {"channel": record.channel}),
                reply("escalation.answer.escalate", cm=cm, channel=channel,
                      duration=format_duration(lock))]

    @on_job(UNLOCK_JOB)
    async def unlock(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """The lock an escalation put on a channel ends."""
        channel = str(job.payload.get("channel", ""))
        if not channel:
            return None
        return Decision(rule="escalate.unlock", actions=(Unlock(channel=channel),),
                        evidence=f"lock of {channel_name(channel)} by an escalation ended")


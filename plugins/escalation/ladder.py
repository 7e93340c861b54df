"""The ladder climbs: one public step at a time, never the same twice, the CMs told in time.

The ladder climbs in RESPOND, on messages that stay, and when another rule sanctions a member in
a heated channel (automod deleting an insult: that message never reaches RESPOND). Our slowmode
is lifted when the heat falls, checked on each message and by a timed job that survives
restarts.
"""

from __future__ import annotations

from datetime import datetime

from bot.actions import Decision
from bot.events import CaseOpened, JobDue, MessageCreated
from bot.plugin import EventContext, Phase, hook, on_job
from plugins.escalation.base import CHECK_JOB
from plugins.escalation.heat import Exchange
from plugins.escalation.render import channel_name
from plugins.escalation.settings import EscalationSettings
from plugins.escalation.state import Conversation
from plugins.escalation.steps import PUBLIC_STEPS, Steps, lift_decision

__all__ = ["LadderHooks"]


class LadderHooks(Steps):
    """Decides, message after message, whether the channel needs the next step."""

    @hook(Phase.RESPOND, MessageCreated)
    async def climb(self, event: MessageCreated, ctx: EventContext) -> list[Decision] | None:
        """Take the next step if the exchange is hot enough; lift and record when it calms."""
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is None:
            return None
        settings: EscalationSettings = self.section(ctx)
        if conversation.quiet(event.ts, settings):  # (a channel that is not warm is quiet)
            return None
        return await self.advance(conversation, ctx, settings, event.ts) or None

    @hook(Phase.OBSERVE, CaseOpened)
    async def sanctioned(self, event: CaseOpened, ctx: EventContext) -> list[Decision] | None:
        """Another rule sanctioned a member in a heated channel (automod deleting an insult):
        the message never reaches RESPOND, so the ladder climbs here."""
        if event.channel is None or event.author_id.startswith(f"rule:{self.name}/"):
            return None
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is None or not conversation.warm:
            return None
        return await self.advance(conversation, ctx, self.section(ctx), self.now()) or None

    async def advance(self, conversation: Conversation, ctx: EventContext,
                      settings: EscalationSettings, now: datetime) -> list[Decision]:
        """Everything the ladder does now in one channel."""
        exchange = conversation.exchange(now, settings)
        since = conversation.slowmode_since
        # the channel's level matters only to our slowmode and to a ladder already climbed
        level = conversation.level(exchange, now, settings) \
            if since is not None or conversation.steps or conversation.calmed else 0.0
        decisions: list[Decision] = []
        if since is not None and (level < settings.ladder.slowmode.lift_below
                                  or now - since >= settings.ladder.slowmode.max_duration):
            decisions.append(self.lift_slowmode(conversation, level, now, settings,
                                                ctx.settings.language))
        if conversation.steps and not conversation.calmed:
            if level < settings.calm_below:
                conversation.calmed = True
                decisions.append(Decision(rule="calmed", evidence=self.ctx.services.catalog.render(
                    "escalation.evidence.calmed", ctx.settings.language,
                    {"channel": channel_name(conversation.channel), "heat": f"{level:.1f}",
                     "below": f"{settings.calm_below:g}"})))
                return decisions
        elif conversation.calmed and level >= settings.ladder.first_at():
            conversation.calmed = False
        if conversation.handled:
            return decisions
        step = _next_step(conversation, exchange, settings)
        if step is not None:
            decisions.extend(await self.take(step, conversation, exchange, ctx, settings, now))
        if _alert_due(conversation, exchange, settings):
            decisions.append(await self.alert(conversation, exchange, ctx, settings, now))
        elif step is None and _solo_alert_due(conversation, exchange, settings, now):
            decisions.append(await self.alert(conversation, exchange, ctx, settings, now,
                                              solo=True))
        return decisions

    @on_job(CHECK_JOB)
    async def check(self, job: JobDue, ctx: EventContext) -> list[Decision] | None:
        """Look again at a channel under our slowmode: lift it, or look again later."""
        channel = str(job.payload.get("channel", ""))
        if not channel:
            return None
        conversation = self.tracker.get(job.community, channel)
        if conversation is None:
            return [lift_decision(channel, self.ctx.services.catalog.render(
                "escalation.evidence.untracked", ctx.settings.language))]
        if conversation.slowmode_since is None:
            return None
        settings = self.settings_at(ctx, job.community, channel)
        now = self.now()
        decisions = await self.advance(conversation, ctx, settings, now)
        if conversation.slowmode_since is not None:
            exchange = conversation.exchange(now, settings)
            why = self.ctx.services.catalog.render("escalation.evidence.slowmode_still_on",
                                                   ctx.settings.language)
            decisions.append(Decision(rule="slowmode.check", evidence=why, actions=(
                self.check_later(conversation, conversation.level(exchange, now, settings),
                                 settings, now),)))
        return decisions or None


def _next_step(conversation: Conversation, exchange: Exchange,
               settings: EscalationSettings) -> str | None:
    """The lowest public step (reminder, slowmode, timeout) not taken yet, if the exchange is
    hot enough for it and the exchange went on after the previous one (`steps_apart` more
    negative messages): a step that worked is not followed by another."""
    if not exchange.members:
        return None
    if any(s in conversation.steps for s in PUBLIC_STEPS) and \
            conversation.negatives_since_step < settings.steps_apart:
        return None
    for name, step in settings.ladder.steps():
        if name not in PUBLIC_STEPS or not step.enabled or name in conversation.steps:
            continue
        return name if exchange.heat >= step.at else None
    return None


def _alert_due(conversation: Conversation, exchange: Exchange,
               settings: EscalationSettings) -> bool:
    """The CMs are told once the exchange reaches the alert's heat: the alert is not a public
    measure, so it does not wait for the public steps' spacing."""
    alert = settings.ladder.alert
    return bool(exchange.members) and alert.enabled and "alert" not in conversation.steps \
        and exchange.heat >= alert.at


def _solo_alert_due(conversation: Conversation, exchange: Exchange,
                    settings: EscalationSettings, now: datetime) -> bool:
    """A member angry on their own: the CMs are told once, nothing happens in public."""
    solo = settings.solo
    if not solo.enabled or exchange.solo is None or conversation.steps:
        return False
    member, heat = exchange.solo
    return heat >= solo.at and member.negatives_in(now, settings.window) >= solo.min_messages

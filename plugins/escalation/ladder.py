"""The ladder: reminder, slowmode, timeout, alert; one step at a time, never the same twice.

Messages are read in GUARD (so one that another plugin deletes still counts) without deciding
anything; the ladder climbs in RESPOND, on messages that stay. A CM who speaks in a heated
channel takes over: the ladder stops there. Our slowmode is lifted when the heat falls, checked
on each message and by a timed job that survives restarts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from bot.actions import Action, Alert, Button, Decision, Send, Slowmode, Timeout
from bot.commands import split_invocation
from bot.durations import format_duration
from bot.events import CaseOpened, JobDue, MessageCreated, MessageDeleted
from bot.i18n import Msg, Text
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook, on_job
from plugins.escalation.base import (
    CHECK_JOB,
    MIN_CHECK,
    TIMEOUT_RULE,
    EscalationBase,
    check_key,
)
from plugins.escalation.heat import Exchange
from plugins.escalation.render import channel_name
from plugins.escalation.settings import EscalationSettings
from plugins.escalation.signals import read
from plugins.escalation.state import Conversation

__all__ = ["COMMANDS", "LadderHooks"]

COMMANDS = frozenset({"heat", "calm", "calme"})
"""This plugin's commands: a CM using them is not taking over the exchange."""
BUTTONS = ("onit", "false", "escalate")
PUBLIC_STEPS = ("reminder", "slowmode", "timeout")
STEP_RULES = {"reminder": "step1.reminder", "slowmode": "step2.slowmode",
              "timeout": TIMEOUT_RULE, "alert": "step4.alert"}


class LadderHooks(EscalationBase):
    """Reads every message, climbs the ladder, lifts our slowmode when the heat falls."""

    # -- reading ---------------------------------------------------------------------------

    @hook(Phase.GUARD, MessageCreated)
    async def watch(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Count a member's message (before any deletion); a CM speaking takes over."""
        if event.author.is_bot:
            return None
        settings: EscalationSettings = self.section(ctx)
        invocation = split_invocation(event.text, ctx.settings.prefixes)
        if ctx.role >= Role.CM:
            if invocation is not None and invocation.name.lower() in COMMANDS:
                return None
            return self._staff_speaks(event, ctx, settings)
        if invocation is not None:
            return None
        conversation = self.tracker.open(event.community, event.channel, event.ts)
        conversation.record(event, read(ctx.normalized), settings)
        return None

    def _staff_speaks(self, event: MessageCreated, ctx: EventContext,
                      settings: EscalationSettings) -> Decision | None:
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is None:
            return None
        answered = conversation.note_staff(event, settings)
        if conversation.handled:
            return None
        exchange = conversation.exchange(event.ts, settings)
        hot = exchange.heat >= _first_step_at(settings) or (
            exchange.solo is not None and exchange.solo[1] >= settings.solo.at)
        if not (conversation.steps or hot or answered):
            return None
        conversation.handled = event.author.name
        why = f"answered {', '.join(answered)}" if answered else "spoke in a heated channel"
        return Decision(rule="takeover", evidence=(
            f"{event.author.name} ({ctx.role.label}) {why} in {channel_name(event.channel)}: "
            f"no further step for this exchange; {exchange.explain(event.ts, settings)}"))

    @hook(Phase.OBSERVE, MessageDeleted)
    async def deleted(self, event: MessageDeleted, ctx: EventContext) -> None:
        """A deleted message keeps its heat; its transcript line is marked deleted."""
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is not None:
            conversation.forget_message(event.message_id)

    # -- climbing --------------------------------------------------------------------------

    @hook(Phase.RESPOND, MessageCreated)
    async def climb(self, event: MessageCreated, ctx: EventContext) -> list[Decision] | None:
        """Take the next step if the exchange is hot enough; lift and record when it calms."""
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is None or not conversation.warm:
            return None
        return await self.advance(conversation, ctx, self.section(ctx), event.ts) or None

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
        level = conversation.level(exchange, now, settings)
        decisions: list[Decision] = []
        since = conversation.slowmode_since
        if since is not None and (level < settings.ladder.slowmode.lift_below
                                  or now - since >= settings.ladder.slowmode.max_duration):
            decisions.append(await self.lift_slowmode(conversation, level, now, settings))
        if conversation.steps and not conversation.calmed:
            if level < settings.calm_below:
                conversation.calmed = True
                decisions.append(Decision(rule="calmed", evidence=(
                    f"{channel_name(conversation.channel)} calmed down: heat {level:.1f} "
                    f"below {settings.calm_below:g}")))
                return decisions
        elif conversation.calmed and level >= _first_step_at(settings):
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

    async def take(self, step: str, conversation: Conversation, exchange: Exchange,
                   ctx: EventContext, settings: EscalationSettings,
                   now: datetime) -> list[Decision]:
        """Take one step (and the alert with a timeout, when so configured)."""
        conversation.steps[step] = now
        conversation.negatives_since_step = 0
        why = f"{exchange.explain(now, settings)}; step {step} at {_at(settings, step):g}"
        channel = conversation.channel
        if step == "reminder":
            text = self.writer.reminder(exchange.names(), ctx.settings.rules_text,
                                        settings.ladder.reminder.text)
            return [Decision(rule=STEP_RULES[step], actions=(Send(channel=channel, text=text),),
                             evidence=why)]
        if step == "slowmode":
            return [await self.slow_down(conversation, exchange, settings, now, why)]
        if step == "timeout":
            decisions = [self.timeout(conversation, exchange, ctx, settings, why)]
            alert = settings.ladder.alert
            if alert.enabled and alert.with_timeout and "alert" not in conversation.steps:
                conversation.steps["alert"] = now
                decisions.append(await self.alert(conversation, exchange, ctx, settings, now))
            return decisions
        return [await self.alert(conversation, exchange, ctx, settings, now)]

    async def slow_down(self, conversation: Conversation, exchange: Exchange,
                        settings: EscalationSettings, now: datetime, why: str) -> Decision:
        """Step 2: slowmode now, and a job to look again when the heat should have fallen."""
        step = settings.ladder.slowmode
        conversation.slowmode_since = now
        await self._schedule_check(conversation, exchange.heat, settings, now)
        notice = Msg.of("escalation.slowmode", channel=channel_name(conversation.channel),
                        interval=format_duration(step.interval))
        return Decision(rule=STEP_RULES["slowmode"], evidence=why, actions=(
            Slowmode(channel=conversation.channel, interval=step.interval,
                     duration=step.max_duration),
            Send(channel=conversation.channel, text=notice)))

    def timeout(self, conversation: Conversation, exchange: Exchange, ctx: EventContext,
                settings: EscalationSettings, why: str) -> Decision:
        """Step 3: the most involved members, hottest first; staff never."""
        step = settings.ladder.timeout
        channel = channel_name(conversation.channel)
        targets = [p.user for p, h in exchange.members if h >= step.member_min
                   and not self.is_staff(p.user, ctx, conversation.community)]
        targets = targets[:step.max_members]
        if not targets:
            return Decision(rule=STEP_RULES["timeout"], evidence=(
                f"{why}; nobody to time out (staff, or below {step.member_min:g})"))
        reason = self.ctx.services.catalog.render(
            "escalation.timeout_reason", ctx.settings.language, {"channel": channel})
        actions: list[Action] = [Timeout(target=user, duration=step.duration, reason=reason)
                                 for user in targets]
        for user in targets:
            conversation.timed_out[user.id] = user
        actions.append(Send(channel=conversation.channel, text=Msg.of(
            "escalation.timeout_notice", members=", ".join(f"@{u.name}" for u in targets),
            duration=format_duration(step.duration))))
        return Decision(rule=STEP_RULES["timeout"], actions=tuple(actions), evidence=why)

    async def alert(self, conversation: Conversation, exchange: Exchange, ctx: EventContext,
                    settings: EscalationSettings, now: datetime, solo: bool = False) -> Decision:
        """Step 4: the CMs get the transcript, the scores and the buttons; stored first."""
        conversation.steps.setdefault("solo" if solo else "alert", now)
        people = [p for p, _ in exchange.members] or ([exchange.solo[0]] if exchange.solo else [])
        lines = settings.ladder.alert.transcript
        members = [{"id": p.user.id, "name": p.user.name,
                    "heat": round(p.heat_at(now, settings.half_life), 2),
                    "signals": {k: round(v, 2) for k, v in p.parts.items()},
                    "timed_out": p.user.id in conversation.timed_out} for p in people]
        evidence = exchange.explain(now, settings)
        alert_id = await self.alerts.open(
            community=conversation.community, channel=conversation.channel,
            kind="solo" if solo else "exchange",
            heat=exchange.solo[1] if solo and exchange.solo else exchange.heat,
            members=members, evidence=evidence,
            transcript=self.writer.plain_transcript(conversation, lines),
            event_id=ctx.event.id, revision=ctx.revision, now=now)
        conversation.alert_id = alert_id
        text = self._alert_text(conversation, exchange, settings, now, solo)
        where = ctx.settings.alerts_channel
        action: Action
        if where is not None:
            buttons = tuple(Button(custom_id=f"escalation:{kind}:{alert_id}",
                                   label=Msg.of(f"escalation.button.{kind}"))
                            for kind in BUTTONS)
            action = Send(channel=where, text=text, buttons=buttons)
        else:
            note = Msg.of("escalation.alert_no_buttons", command=f"{ctx.settings.prefixes[0]}heat")
            catalog = self.ctx.services.catalog
            action = Alert(text=self.writer.each(
                lambda lang: f"{catalog.text(text, lang)}\n{catalog.text(note, lang)}"))
        rule = "solo.alert" if solo else STEP_RULES["alert"]
        return Decision(rule=rule, actions=(action,), evidence=f"alert #{alert_id}: {evidence}")

    def _alert_text(self, conversation: Conversation, exchange: Exchange,
                    settings: EscalationSettings, now: datetime, solo: bool) -> Text:
        writer = self.writer
        members = writer.members(exchange, now, settings.half_life, settings.window)
        transcript = writer.transcript(conversation, settings.ladder.alert.transcript)
        channel = channel_name(conversation.channel)
        if solo and exchange.solo is not None:
            return Msg.of("escalation.alert_solo", member=exchange.solo[0].user.name,
                          channel=channel, heat=f"{exchange.solo[1]:.1f}", members=members,
                          transcript=transcript)
        taken = [s for s in STEP_RULES if s in conversation.steps and s != "alert"]
        return Msg.of("escalation.alert", channel=channel, heat=f"{exchange.heat:.1f}",
                      steps=writer.steps(taken), members=members, transcript=transcript)

    # -- lifting ---------------------------------------------------------------------------

    async def lift_slowmode(self, conversation: Conversation, level: float, now: datetime,
                            settings: EscalationSettings) -> Decision:
        """Our slowmode ends: the heat fell, or it lasted its longest."""
        since = conversation.slowmode_since
        conversation.slowmode_since = None
        await self.ctx.services.scheduler.cancel(
            check_key(conversation.community, conversation.channel))
        lasted = format_duration(now - since) if since else "?"
        if level < settings.ladder.slowmode.lift_below:
            why = (f"heat {level:.1f} below {settings.ladder.slowmode.lift_below:g} "
                   f"after {lasted}")
        else:
            why = f"slowmode lasted its longest ({lasted}); heat {level:.1f}"
        return lift_decision(conversation.channel, why)

    async def _schedule_check(self, conversation: Conversation, level: float,
                              settings: EscalationSettings, now: datetime) -> None:
        step = settings.ladder.slowmode
        since = conversation.slowmode_since or now
        at = now + _time_to_cool(level, step.lift_below, settings.half_life)
        at = min(at, since + step.max_duration)
        await self.ctx.services.scheduler.schedule(
            CHECK_JOB, conversation.community, at, {"channel": conversation.channel},
            key=check_key(conversation.community, conversation.channel))

    @on_job(CHECK_JOB)
    async def check(self, job: JobDue, ctx: EventContext) -> list[Decision] | None:
        """Look again at a channel under our slowmode: lift it, or look again later."""
        channel = str(job.payload.get("channel", ""))
        if not channel:
            return None
        conversation = self.tracker.get(job.community, channel)
        if conversation is None:
            return [lift_decision(channel, "the exchange is no longer tracked (restart or "
                                           "expiry): slowmode lifted as a precaution")]
        if conversation.slowmode_since is None:
            return None
        settings = self.settings_at(ctx, job.community, channel)
        now = self.now()
        decisions = await self.advance(conversation, ctx, settings, now)
        if conversation.slowmode_since is not None:
            exchange = conversation.exchange(now, settings)
            await self._schedule_check(conversation, conversation.level(exchange, now, settings),
                                       settings, now)
        return decisions or None


def lift_decision(channel: str, why: str) -> Decision:
    """Slowmode off, and a word of thanks."""
    return Decision(rule="slowmode.lift", evidence=why, actions=(
        Slowmode(channel=channel, interval=timedelta()),
        Send(channel=channel, text=Msg.of("escalation.slowmode_lifted",
                                          channel=channel_name(channel)))))


def _time_to_cool(heat: float, target: float, half_life: timedelta) -> timedelta:
    """How long exponential decay takes to bring `heat` below `target` with no new heat."""
    if heat <= target or target <= 0:
        return MIN_CHECK
    seconds = half_life.total_seconds() * math.log2(heat / target)
    return max(MIN_CHECK, timedelta(seconds=math.ceil(seconds)))


def _at(settings: EscalationSettings, step: str) -> float:
    return float(getattr(settings.ladder, step).at)


def _first_step_at(settings: EscalationSettings) -> float:
    return min((s.at for _, s in settings.ladder.steps() if s.enabled), default=math.inf)


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

"""The steps themselves: what each one does, and how our slowmode ends."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from bot.actions import (
    Action,
    Alert,
    Button,
    Cancel,
    Decision,
    Schedule,
    Send,
    Slowmode,
    Timeout,
)
from bot.durations import format_duration
from bot.i18n import Msg, Text
from bot.plugin import EventContext
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
from plugins.escalation.state import Conversation

__all__ = ["PUBLIC_STEPS", "STEP_RULES", "Steps", "lift_decision"]

BUTTONS = ("onit", "false", "escalate")
PUBLIC_STEPS = ("reminder", "slowmode", "timeout")
STEP_RULES = {"reminder": "step1.reminder", "slowmode": "step2.slowmode",
              "timeout": TIMEOUT_RULE, "alert": "step4.alert"}


class Steps(EscalationBase):
    """Reminder, slowmode, timeout and alert, as decisions; the end of our slowmode."""

    async def take(self, step: str, conversation: Conversation, exchange: Exchange,
                   ctx: EventContext, settings: EscalationSettings,
                   now: datetime) -> list[Decision]:
        """Take one step (and the alert with a timeout, when so configured)."""
        conversation.steps[step] = now
        conversation.negatives_since_step = 0
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        why = catalog.render("escalation.evidence.step", lang, {
            "why": exchange.explain(now, settings, catalog, lang), "at": f"{_at(settings, step):g}",
            "step": Msg.of(f"escalation.step.{step}")})
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
        notice = Msg.of("escalation.slowmode", channel=channel_name(conversation.channel),
                        interval=format_duration(step.interval))
        return Decision(rule=STEP_RULES["slowmode"], evidence=why, actions=(
            Slowmode(channel=conversation.channel, interval=step.interval,
                     duration=step.max_duration),
            Send(channel=conversation.channel, text=notice),
            self.check_later(conversation, exchange.heat, settings, now)))

    def timeout(self, conversation: Conversation, exchange: Exchange, ctx: EventContext,
                settings: EscalationSettings, why: str) -> Decision:
        """Step 3: the most involved members, hottest first; staff never."""
        step = settings.ladder.timeout
        channel = channel_name(conversation.channel)
        targets = [p.user for p, h in exchange.members if h >= step.member_min
                   and not self.is_staff(p.user, ctx, conversation.community)]
        targets = targets[:step.max_members]
        if not targets:
            return Decision(rule=STEP_RULES["timeout"], evidence=self.ctx.services.catalog.render(
                "escalation.evidence.nobody", ctx.settings.language,
                {"why": why, "min": f"{step.member_min:g}"}))
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
        evidence = exchange.explain(now, settings, self.ctx.services.catalog,
                                    ctx.settings.language)
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
        return Decision(rule=rule, actions=(action,), evidence=self.ctx.services.catalog.render(
            "escalation.evidence.alert", ctx.settings.language,
            {"id": alert_id, "evidence": evidence}))

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

    def lift_slowmode(self, conversation: Conversation, level: float, now: datetime,
                      settings: EscalationSettings, lang: str) -> Decision:
        """Our slowmode ends: the heat fell, or it lasted its longest (its check is cancelled)."""
        since = conversation.slowmode_since
        conversation.slowmode_since = None
        lasted = format_duration(now - since) if since else "?"
        cooled = level < settings.ladder.slowmode.lift_below
        why = self.ctx.services.catalog.render(
            f"escalation.evidence.{'cooled' if cooled else 'longest'}", lang,
            {"heat": f"{level:.1f}", "below": f"{settings.ladder.slowmode.lift_below:g}",
             "lasted": lasted})
        return lift_decision(conversation.channel, why,
                             Cancel(key=check_key(conversation.community, conversation.channel)))

    def check_later(self, conversation: Conversation, level: float,
                    settings: EscalationSettings, now: datetime) -> Schedule:
        """The job that looks again at our slowmode when the heat should have fallen."""
        step = settings.ladder.slowmode
        since = conversation.slowmode_since or now
        at = now + _time_to_cool(level, step.lift_below, settings.half_life)
        at = min(at, since + step.max_duration)
        return Schedule.of(CHECK_JOB, conversation.community, at,
                           check_key(conversation.community, conversation.channel),
                           {"channel": conversation.channel})


def lift_decision(channel: str, why: str, *more: Action) -> Decision:
    """Slowmode off, and a word of thanks."""
    return Decision(rule="slowmode.lift", evidence=why, actions=(
        Slowmode(channel=channel, interval=timedelta()),
        Send(channel=channel, text=Msg.of("escalation.slowmode_lifted",
                                          channel=channel_name(channel))), *more))


def _time_to_cool(heat: float, target: float, half_life: timedelta) -> timedelta:
    """How long exponential decay takes to bring `heat` below `target` with no new heat."""
    if heat <= target or target <= 0:
        return MIN_CHECK
    seconds = half_life.total_seconds() * math.log2(heat / target)
    return max(MIN_CHECK, timedelta(seconds=math.ceil(seconds)))


def _at(settings: EscalationSettings, step: str) -> float:
    return float(getattr(settings.ladder, step).at)

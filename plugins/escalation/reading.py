"""Reading: every member's message is counted in GUARD, before any other plugin may delete it;
a CM speaking in a heated channel takes over; a deleted message is marked in the transcript."""

from __future__ import annotations

from bot.actions import Decision
from bot.commands import split_invocation
from bot.events import MessageCreated, MessageDeleted
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook
from plugins.escalation.base import EscalationBase
from plugins.escalation.render import channel_name
from plugins.escalation.settings import EscalationSettings
from plugins.escalation.signals import read

__all__ = ["COMMANDS", "ReadingHooks"]

COMMANDS = frozenset({"heat", "calm", "calme"})
"""This plugin's commands: a CM using them is not taking over the exchange."""


class ReadingHooks(EscalationBase):
    """Counts messages into the channel's conversation; notices CMs taking over."""

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
        hot = exchange.heat >= settings.ladder.first_at() or (
            exchange.solo is not None and exchange.solo[1] >= settings.solo.at)
        if not (conversation.steps or hot or answered):
            return None
        conversation.handled = event.author.name
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        return Decision(rule="takeover", evidence=catalog.render(
            "escalation.evidence.takeover", lang, {
                "name": event.author.name, "role": ctx.role.label,
                "channel": channel_name(event.channel),
                "what": Msg.of("escalation.evidence.answered", names=", ".join(answered))
                if answered else Msg.of("escalation.evidence.spoke"),
                "evidence": exchange.explain(event.ts, settings, catalog, lang)}))

    @hook(Phase.OBSERVE, MessageDeleted)
    async def deleted(self, event: MessageDeleted, ctx: EventContext) -> None:
        """A deleted message keeps its heat; its transcript line is marked deleted."""
        conversation = self.tracker.get(event.community, event.channel)
        if conversation is not None:
            conversation.forget_message(event.message_id)


"""CM commands: `heat` (hot conversations with their scores) and `calm` (step 1 now)."""

from __future__ import annotations

from bot.actions import Action, Decision, Reply, Send
from bot.commands import ChannelRef
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import CommandCall, command
from plugins.escalation.base import EscalationBase
from plugins.escalation.render import channel_name

__all__ = ["Commands"]

MAX_LISTED = 10
LISTED_FROM = 1.0  # heat below this is not worth a CM's attention


class Commands(EscalationBase):
    """heat, calm."""

    @command("heat", min_role=Role.CM)
    async def heat(self, call: CommandCall) -> Reply:
        """Heated conversations here, hottest first, with where the heat comes from."""
        now = self.now()
        found = []
        for conversation in self.tracker.of(call.community):
            settings = self.settings_at(call.ctx, call.community, conversation.channel)
            if not settings.enabled:
                continue
            exchange = conversation.exchange(now, settings)
            heat = conversation.level(exchange, now, settings)
            if heat >= LISTED_FROM or (conversation.steps and not conversation.calmed):
                found.append((heat, conversation, exchange, settings))
        if not found:
            return call.reply("escalation.heat.none")
        found.sort(key=lambda item: -item[0])
        writer = self.writer
        lines = [Msg.of("escalation.heat.line", channel=channel_name(c.channel),
                        heat=f"{heat:.1f}", steps=writer.steps(s for s in c.steps),
                        handled=Msg.of("escalation.heat.handled", cm=c.handled)
                        if c.handled else "",
                        members=writer.members(ex, now, st.half_life, st.window))
                 for heat, c, ex, st in found[:MAX_LISTED]]
        return call.reply("escalation.heat.list", lines=writer.joined(lines, "\n"))

    @command("calm", min_role=Role.CM, aliases=("calme",))
    async def calm(self, call: CommandCall, channel: ChannelRef | None = None,
                   ) -> list[Action | Decision]:
        """Post the friendly reminder (step 1) now; the ladder will not post it again."""
        where = channel or call.channel
        settings = self.settings_at(call.ctx, call.community, where)
        now = self.now()
        conversation = self.tracker.open(call.community, where, now)
        exchange = conversation.exchange(now, settings)
        conversation.steps.setdefault("reminder", now)
        conversation.negatives_since_step = 0
        rules = call.ctx.rules.effective(call.community, where).rules_text
        text = self.writer.reminder(exchange.names(), rules, settings.ladder.reminder.text)
        out: list[Action | Decision] = [Decision(
            rule="command:calm", actions=(Send(channel=where, text=text),),
            evidence=self.ctx.services.catalog.render(
                "escalation.evidence.calm", call.ctx.settings.language,
                {"name": call.invoker.name, "id": call.invoker.id,
                 "evidence": exchange.explain(now, settings, self.ctx.services.catalog,
                                              call.ctx.settings.language)}))]
        if where != call.channel:
            out.append(call.reply("escalation.calm.done", channel=channel_name(where)))
        return out

"""The CMs' answer to a warning: "on it" or "false alarm", stored with who and when."""

from __future__ import annotations

from bot.actions import Decision, Reply
from bot.events import ButtonClicked
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook
from plugins.reputation.commands import ReputationCommands

__all__ = ["ANSWERS", "BUTTON_PREFIX", "ButtonHooks"]

BUTTON_PREFIX = "reputation:"
ANSWERS = ("onit", "false")


class ButtonHooks(ReputationCommands):
    """Answers to warnings."""

    @hook(Phase.RESPOND, ButtonClicked)
    async def answer(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """Record the first CM answer to a warning."""
        if not event.custom_id.startswith(BUTTON_PREFIX):
            return None
        kind, _, number = event.custom_id.removeprefix(BUTTON_PREFIX).partition(":")
        if kind not in ANSWERS or not number.isdigit():
            return None

        def reply(key: str, **params: object) -> Reply:
            return Reply(channel=event.channel, message_id=event.message_id,
                         text=Msg.of(key, **params))

        who = f"{event.user.name} ({event.user.id})"
        if ctx.role < Role.CM:
            return Decision(rule="answer.refused", actions=(reply("reputation.answer.denied"),),
                            evidence=f"warning #{number}: {who} is not on the team")
        row = await self.records.warning_of(int(number))
        if row is None or row["community"] != event.community:
            return Decision(rule="answer.unknown", evidence=f"warning #{number} not found",
                            actions=(reply("reputation.answer.unknown"),))
        if not await self.records.decide(int(number), kind, event.user.id, self.now()):
            current = await self.records.warning_of(int(number)) or row
            return Decision(rule="answer.already", evidence=f"warning #{number}: {who} clicked "
                            f"{kind}, already {current['outcome']}", actions=(reply(
                                "reputation.answer.already",
                                outcome=Msg.of(f"reputation.outcome.{current['outcome']}")),))
        return Decision(rule=f"answer.{kind}", evidence=f"warning #{number}: {kind} by {who}",
                        actions=(reply(f"reputation.answer.{kind}", cm=event.user.name),))

"""The CMs' answer to a warning: "on it" or "false alarm", stored with who and when."""

from __future__ import annotations

from bot.actions import Button, Decision, Reply, Send
from bot.clicks import numbered_click, reply_to_click
from bot.events import ButtonClicked, JobDue
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook, on_job
from plugins.reputation.commands import ReputationCommands

__all__ = ["ANSWERS", "BUTTON_PREFIX", "REMIND_JOB", "ButtonHooks", "answer_buttons"]

BUTTON_PREFIX = "reputation:"
ANSWERS = ("onit", "false")
REMIND_JOB = "reputation.remind"


def answer_buttons(warning_id: int) -> tuple[Button, ...]:
    """"I'm on it" and "False alarm" under a warning."""
    return tuple(Button(custom_id=f"{BUTTON_PREFIX}{kind}:{warning_id}",
                        label=Msg.of(f"reputation.button.{kind}")) for kind in ANSWERS)


class ButtonHooks(ReputationCommands):
    """Answers to warnings, and the reminder when none came."""

    @on_job(REMIND_JOB)
    async def remind(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Post the warning again when no CM answered it (a durable job: survives restarts)."""
        number = job.payload.get("warning")
        where = ctx.settings.alerts_channel
        if not isinstance(number, int) or where is None:
            return None
        row = await self.records.warning_of(number)
        if row is None or row["outcome"] != "open":
            return None
        term = next((t for t in self.section(ctx).terms if t.id == row["term"]), None)
        text = Msg.of("reputation.warning.remind", term=term.shown if term else row["term"],
                      negative=row["negative"], mentions=row["mentions"],
                      since=str(row["ts"])[11:16])
        return Decision(rule="warning.remind", evidence=f"warning #{number} unanswered",
                        actions=(Send(channel=where, text=text,
                                      buttons=answer_buttons(number)),))

    @hook(Phase.RESPOND, ButtonClicked)
    async def answer(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """Record the first CM answer to a warning."""
        clicked = numbered_click(event.custom_id, BUTTON_PREFIX, ANSWERS)
        if clicked is None:
            return None
        kind, number = clicked

        def reply(key: str, **params: object) -> Reply:
            return reply_to_click(event, key, **params)

        who = f"{event.user.name} ({event.user.id})"
        if ctx.role < Role.CM:
            return Decision(rule="answer.refused", actions=(reply("reputation.answer.denied"),),
                            evidence=f"warning #{number}: {who} is not on the team")
        row = await self.records.warning_of(number)
        if row is None or row["community"] != event.community:
            return Decision(rule="answer.unknown", evidence=f"warning #{number} not found",
                            actions=(reply("reputation.answer.unknown"),))
        if not await self.records.decide(number, kind, event.user.id, self.now()):
            current = await self.records.warning_of(number) or row
            return Decision(rule="answer.already", evidence=f"warning #{number}: {who} clicked "
                            f"{kind}, already {current['outcome']}", actions=(reply(
                                "reputation.answer.already",
                                outcome=Msg.of(f"reputation.outcome.{current['outcome']}")),))
        return Decision(rule=f"answer.{kind}", evidence=f"warning #{number}: {kind} by {who}",
                        actions=(reply(f"reputation.answer.{kind}", cm=event.user.name),))

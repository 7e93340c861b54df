"""The sanction ladder: enough active warnings in a window trigger a stronger sanction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.actions import Ban, Decision, Kick, Sanction, Timeout
from bot.cases import Case
from bot.durations import format_duration
from bot.events import CaseOpened
from bot.plugin import EventContext, Phase, Plugin, hook
from plugins.moderation.settings import LadderStep, ModerationSettings

__all__ = ["Ladder"]


class Ladder(Plugin):
    """Watches new warning cases and climbs the ladder when a threshold is reached or crossed."""

    @hook(Phase.OBSERVE, CaseOpened)
    async def climb(self, event: CaseOpened, ctx: EventContext) -> Decision | None:
        """Apply the strongest step reached that has not fired yet for this run of warnings.

        A step fires once per crossing: the run of warnings at or above its threshold is named
        by the warning that started it, and the sanction claims that name
        (`ladder:<threshold>:<member>:<case>`) in the same transaction as its case. However
        concurrent warnings interleave, each crossing is applied exactly once.
        """
        if event.action != "warn":
            return None
        settings: ModerationSettings = self.section(ctx)
        if not settings.ladder:
            return None
        cases = self.ctx.services.cases
        now = self.ctx.services.clock.now()
        warnings = await cases.active(event.community, event.target.id, "warn",
                                      now - settings.warning_expiry)
        reached = [(step, claim, refs) for step in settings.ladder
                   for claim, refs in [_crossing(step, warnings, event, now)] if claim]
        taken = await cases.claimed(event.community, [claim for _, claim, _ in reached])
        fresh = [(step, claim, refs) for step, claim, refs in reached if claim not in taken]
        if not fresh:
            return None
        step, _, numbers = fresh[-1]  # steps are sorted by threshold: the last is the strongest
        index = settings.ladder.index(step) + 1
        reason = self.ctx.services.catalog.render("ladder.reason", ctx.settings.language, {
            "count": step.warnings, "within": format_duration(step.within)})
        action = _sanction(step, event, reason, numbers, tuple(c for _, c, _ in fresh))
        refs = ", ".join(f"#{n}" for n in numbers)
        return Decision(rule=f"ladder.step{index}", actions=(action,),
                        evidence=self.ctx.services.catalog.render(
                            "ladder.evidence", ctx.settings.language,
                            {"count": len(numbers), "within": format_duration(step.within),
                             "refs": refs}))


def _crossing(step: LadderStep, warnings: Sequence[Case], event: CaseOpened,
              now: datetime) -> tuple[str, tuple[int, ...]]:
    """The claim naming the step's current crossing and the warnings it counts ('' if none).

    The crossing is the first warning of the latest unbroken run of warnings at which the count
    within `step.within` was at or above the threshold: the same whichever event looks.
    """
    counted = tuple(w.number for w in warnings if w.created_at >= now - step.within)
    if len(counted) < step.warnings:
        return "", ()
    start = None
    for i in range(len(warnings) - 1, -1, -1):
        since = warnings[i].created_at - step.within
        count = sum(1 for w in warnings[:i + 1] if w.created_at >= since)
        if count < step.warnings:
            break
        start = warnings[i]
    if start is None:
        return "", ()
    return f"ladder:{step.warnings}:{event.target.id}:{start.number}", counted


def _sanction(step: LadderStep, event: CaseOpened, reason: str, refs: tuple[int, ...],
              claims: tuple[str, ...]) -> Sanction:
    if step.action == "timeout":
        assert step.duration is not None
        return Timeout(target=event.target, duration=step.duration, reason=reason, refs=refs,
                       claims=claims)
    if step.action == "kick":
        return Kick(target=event.target, reason=reason, refs=refs, claims=claims)
    return Ban(target=event.target, duration=step.duration, reason=reason, refs=refs,
               claims=claims)



"""The sanction ladder: enough active warnings in a window trigger a stronger sanction."""

from __future__ import annotations

from bot.actions import Ban, Decision, Kick, Sanction, Timeout
from bot.durations import format_duration
from bot.events import CaseOpened
from bot.plugin import EventContext, Phase, Plugin, hook
from plugins.moderation.settings import LadderStep, ModerationSettings

__all__ = ["Ladder"]


class Ladder(Plugin):
    """Watches new warning cases and climbs the ladder when a threshold is reached."""

    @hook(Phase.OBSERVE, CaseOpened)
    async def climb(self, event: CaseOpened, ctx: EventContext) -> Decision | None:
        """Apply the strongest step whose warning count was just reached."""
        if event.action != "warn":
            return None
        settings: ModerationSettings = self.section(ctx)
        now = self.ctx.services.clock.now()
        oldest = now - settings.warning_expiry
        reached = None
        for step in settings.ladder:
            since = max(oldest, now - step.within)
            warnings = await self.ctx.services.cases.active(
                event.community, event.target.id, "warn", since)
            if len(warnings) == step.warnings:
                reached = (step, [w.number for w in warnings])
        if reached is None:
            return None
        step, numbers = reached
        index = settings.ladder.index(step) + 1
        reason = self.ctx.services.catalog.render("ladder.reason", ctx.settings.language, {
            "count": step.warnings, "within": format_duration(step.within)})
        action = _sanction(step, event, reason, tuple(numbers))
        refs = ", ".join(f"#{n}" for n in numbers)
        return Decision(rule=f"ladder.step{index}", actions=(action,),
                        evidence=f"{step.warnings} active warnings within "
                                 f"{format_duration(step.within)}: {refs}")


def _sanction(step: LadderStep, event: CaseOpened, reason: str,
              refs: tuple[int, ...]) -> Sanction:
    if step.action == "timeout":
        assert step.duration is not None
        return Timeout(target=event.target, duration=step.duration, reason=reason, refs=refs)
    if step.action == "kick":
        return Kick(target=event.target, reason=reason, refs=refs)
    return Ban(target=event.target, duration=step.duration, reason=reason, refs=refs)



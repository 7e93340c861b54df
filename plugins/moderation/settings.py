"""The `moderation:` section: warning expiry, the sanction ladder, notices, purge limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel

__all__ = ["LadderStep", "ModerationSettings"]


class LadderStep(StrictModel):
    """When a member reaches `warnings` active warnings within `within`, apply `action`."""

    warnings: int = Field(ge=2, le=100, description="Active warnings that trigger this step.")
    within: Duration = Field(description="Only warnings this recent count (e.g. 7d).")
    action: Literal["timeout", "kick", "ban"] = Field(description="Sanction applied.")
    duration: Duration | None = Field(
        None, description="How long (required for timeout; a ban without one is permanent).")

    @model_validator(mode="after")
    def _timeout_needs_duration(self) -> LadderStep:
        if self.action == "timeout" and self.duration is None:
            raise ValueError("a timeout step needs a duration (e.g. duration: 1h)")
        if self.action == "kick" and self.duration is not None:
            raise ValueError("a kick has no duration")
        return self


class ModerationSettings(PluginSettings):
    """CM commands, the case log and the sanction ladder."""

    warning_expiry: Duration = Field(
        timedelta(days=30), description="A warning stops counting after this long.")
    ladder: tuple[LadderStep, ...] = Field(
        (
            LadderStep(warnings=3, within=timedelta(days=7), action="timeout",
                       duration=timedelta(hours=1)),
            LadderStep(warnings=5, within=timedelta(days=30), action="ban"),
        ),
        description="Automatic sanctions for repeated warnings, applied when a count is reached.",
    )
    purge_limit: int = Field(100, ge=1, le=1000,
                             description="Most messages one purge may delete.")
    ban_purge_window: Duration = Field(
        timedelta(days=1), description="With --purge, a ban deletes the member's messages of "
                                       "this long ago (Discord allows at most 7d).")

    @field_validator("ladder")
    @classmethod
    def _distinct_thresholds(cls, steps: tuple[LadderStep, ...]) -> tuple[LadderStep, ...]:
        counts = [s.warnings for s in steps]
        if len(counts) != len(set(counts)):
            raise ValueError("two ladder steps have the same number of warnings")
        return tuple(sorted(steps, key=lambda s: s.warnings))

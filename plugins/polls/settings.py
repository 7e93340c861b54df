"""The `polls:` section: how long a poll lasts by default, and where polls from elsewhere go."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.durations import Duration
from bot.settings.models import PluginSettings, check_qualified_id

__all__ = ["MAX_DURATION", "MIN_DURATION", "PollsSettings"]

MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=7)


class PollsSettings(PluginSettings):
    """CM polls, native on Discord and Telegram."""

    duration: Duration = Field(timedelta(days=1), description="How long a poll stays open when "
                               "`--for` is not given (1m to 7d).")
    channel: str | None = Field(None, description="Where polls started in another community "
                                "go here (a Telegram group's own chat when left out).")

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: timedelta) -> timedelta:
        if not MIN_DURATION <= value <= MAX_DURATION:
            raise ValueError("a poll lasts from 1m to 7d")
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else check_qualified_id(value, "channel")

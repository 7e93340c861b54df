"""The `events:` section: time zone, reminders, default length, where, pins, native events."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.durations import Duration
from bot.settings.models import PLATFORMS, PluginSettings, check_qualified_id
from bot.when import ZoneName

__all__ = ["MAX_DURATION", "EventsSettings"]

MAX_DURATION = timedelta(days=7)


class EventsSettings(PluginSettings):
    """CM events with attendance."""

    timezone: ZoneName = Field("Europe/Paris",
                               description="Time zone of times typed and shown here.")
    reminders: tuple[Duration, ...] = Field((timedelta(days=1), timedelta(minutes=15)),
                                            description="Reminders before the start, to those "
                                            "who said they'd come.")
    duration: Duration = Field(timedelta(hours=1), description="Length when --duration is not "
                               "given (5m to 7d).")
    channel: str | None = Field(None, description="Where events started in another community "
                                "are announced here (a Telegram group's own chat by default).")
    emoji: str = Field("✅", description="A reaction with this emoji on the announcement also "
                       "counts as 'I'll be there'.")
    pin_on: tuple[str, ...] = Field(("telegram",), description="Platforms where the "
                                    "announcement is pinned while the event runs.")
    native: bool = Field(True, description="On Discord, also create the server's scheduled "
                         "event (needs the Create Events permission).")

    @field_validator("reminders")
    @classmethod
    def _reminders(cls, value: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        if len(value) > 5 or any(not timedelta(minutes=1) <= v <= timedelta(days=30)
                                 for v in value):
            raise ValueError("at most 5 reminders, each 1m to 30d before the start")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=5) <= value <= MAX_DURATION:
            raise ValueError("an event lasts from 5m to 7d")
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else check_qualified_id(value, "channel")

    @field_validator("pin_on")
    @classmethod
    def _platforms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in PLATFORMS:
                raise ValueError(f"unknown platform {name!r} (one of {', '.join(PLATFORMS)})")
        return value

"""The `welcome:` section: where and what to say to newcomers, and how bursts are grouped."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, field_validator

from bot.durations import Duration
from bot.settings.models import PluginSettings, check_qualified_id
from bot.settings.templates import template_problem

__all__ = ["PLACEHOLDERS", "WelcomeSettings"]

PLACEHOLDERS = ("members", "community")
Lang = Literal["en", "fr"]


class WelcomeSettings(PluginSettings):
    """Greets new members; off unless switched on."""

    enabled: bool = Field(False, description="Welcome new members in this community.")
    channel: str | None = Field(None, description="Where to post the welcome (a Telegram group's "
                                "own chat when left out; required on Discord and the console).")
    text: dict[Lang, str] = Field(default_factory=dict, description="The welcome per language, "
                                  "with {members} (the newcomers' names) and {community}; the "
                                  "built-in text when left out.")
    show_rules: bool = Field(True, description="Add the community's rules_text.")
    show_faq: bool = Field(True, description="List the FAQ's topics (when the FAQ is on).")
    window: Duration = Field(timedelta(minutes=1), description="At most one welcome per window: "
                             "newcomers who join meanwhile get one grouped welcome at its end.")
    max_names: int = Field(10, ge=1, le=50, description="Names listed in a grouped welcome "
                           "(the rest are counted).")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else check_qualified_id(value, "channel")

    @field_validator("text")
    @classmethod
    def _text(cls, value: dict[str, str]) -> dict[str, str]:
        for lang, text in value.items():
            problem = template_problem(text, PLACEHOLDERS)
            if problem is not None:
                raise ValueError(f"text.{lang}: {problem}")
        return value

    @field_validator("window")
    @classmethod
    def _window(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=5) <= value <= timedelta(hours=1):
            raise ValueError("window must be between 5s and 1h")
        return value

"""The `verification:` section: who is challenged on joining, how, for how long, and then what."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel
from bot.settings.models import check_qualified_id

__all__ = ["CHALLENGES", "RaidSettings", "VerificationSettings"]

CHALLENGES = ("button", "question", "math", "emoji")
Challenge = Literal["button", "question", "math", "emoji"]
OnFailure = Literal["decline", "kick", "restrict"]
Hold = Literal["restrict", "role"]
Who = Literal["everyone", "new_accounts"]
MIN_TIME = timedelta(seconds=30)  # Telegram restricts for at least 30 s
MAX_TIME = timedelta(hours=24)  # Telegram lets the bot write to a requester for 24 h


def _qualified(value: str) -> str:
    return check_qualified_id(value, "id")


QualifiedId = Annotated[str, AfterValidator(_qualified)]


class RaidSettings(StrictModel):
    """Many joins in a short time: every newcomer is challenged, and CMs get one notice."""

    joins: int = Field(10, ge=2, le=10_000, description="Joins that start raid mode...")
    within: Duration = Field(timedelta(minutes=1), description="...within this time.")
    quiet: Duration = Field(timedelta(minutes=10), description="Raid mode ends after this long "
                                                               "without a join.")

    @field_validator("within")
    @classmethod
    def _short_window(cls, value: timedelta) -> timedelta:
        if value > timedelta(hours=1):
            raise ValueError("at most 1h")
        return value


class VerificationSettings(PluginSettings):
    """Join verification: a challenge newcomers answer before they may post."""

    enabled: bool = Field(False, description="Challenge newcomers in this community.")
    challenge: Challenge = Field("button", description="button (press it), question (a simple "
                                 "question in the member's language), math or emoji.")
    time_limit: Duration = Field(timedelta(minutes=5), description="Time to answer (30s to 24h).")
    tries: int = Field(1, ge=1, le=5, description="Answers allowed before it counts as failed.")
    on_failure: OnFailure = Field("kick", description="decline (the join request; otherwise "
                                  "kick), kick, or restrict (keep the newcomer restricted).")
    who: Who = Field("everyone", description="everyone, or new_accounts (accounts younger than "
                     "new_account_age; unknown ages count as new). Raid mode challenges "
                     "everyone.")
    new_account_age: Duration = Field(timedelta(days=7), description="With who: new_accounts.")
    hold: Hold = Field("restrict", description="restrict: the newcomer cannot post until they "
                       "pass (Telegram restriction, Discord timeout with the challenge by private "
                       "message); role: Discord only, `role` is given on success.")
    role: str | None = Field(None, min_length=1, max_length=100,
                             description="Discord role given on success (a name or an id).")
    channel: QualifiedId | None = Field(None, description="Where the challenge is posted "
                                        "(Discord role hold: the verification channel; "
                                        "Telegram: the group itself).")
    allow: tuple[QualifiedId, ...] = Field((), description="Accounts never challenged.")
    notify: bool = Field(True, description="Tell the CMs about each failure (grouped in raids).")
    raid: RaidSettings = Field(default_factory=RaidSettings)

    @field_validator("time_limit")
    @classmethod
    def _time_limit(cls, value: timedelta) -> timedelta:
        if not MIN_TIME <= value <= MAX_TIME:
            raise ValueError("between 30s and 24h")
        return value

    @model_validator(mode="after")
    def _role_needs_name(self) -> VerificationSettings:
        if self.hold == "role" and (self.role is None or self.channel is None):
            raise ValueError("hold: role needs `role` (the role given on success) and `channel` "
                             "(the verification channel newcomers can see)")
        return self

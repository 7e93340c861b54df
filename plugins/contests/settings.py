"""The `contests:` section: defaults, limits, exclusions and groups of communities."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

import emoji as emoji_lib
from pydantic import AfterValidator, Field, field_validator, model_validator

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel
from bot.settings.models import check_qualified_id

__all__ = [
    "MODES",
    "ContestsSettings",
    "ExcludeSettings",
    "RequirementSettings",
    "is_emoji",
]

MODES = ("button", "reaction", "command", "keyword")
Mode = Literal["button", "reaction", "command", "keyword"]
_GROUP_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_CUSTOM_EMOJI = re.compile(r"<a?:\w{2,32}:\d{1,20}>")


def is_emoji(value: str) -> bool:
    """A single Unicode emoji (variation selectors allowed) or a Discord custom emoji."""
    return bool(_CUSTOM_EMOJI.fullmatch(value)) or emoji_lib.is_emoji(value.replace("\ufe0f", ""))


def _community(value: str) -> str:
    return check_qualified_id(value, "community")


def _channel(value: str) -> str:
    return check_qualified_id(value, "channel")


CommunityId = Annotated[str, AfterValidator(_community)]


class RequirementSettings(StrictModel):
    """What a member needs to enter; `contest start` options override each one."""

    account_age: Duration | None = Field(
        None, description="Minimum age of the member's platform account (e.g. 7d).")
    member_for: Duration | None = Field(
        None, description="Minimum time since Vigie first saw the member here (join or first "
                          "message), e.g. 3d.")
    messages: int = Field(0, ge=0, le=100_000,
                          description="Minimum messages posted in the community (0: none).")
    role: str | None = Field(None, max_length=100,
                             description="A platform role name or id the member must have.")


class ExcludeSettings(StrictModel):
    """Who can never enter."""

    bots: bool = Field(True, description="Bot accounts are excluded.")
    staff: bool = Field(True, description="CMs and admins are excluded.")
    sanctioned_within: Duration | None = Field(
        timedelta(days=30),
        description="Members with a warning, timeout, kick or ban opened this recently (or a "
                    "timeout or ban still in force) are excluded, also at the draw. null: no "
                    "exclusion.")


class ContestsSettings(PluginSettings):
    """Contests (giveaways) with a draw anyone can verify."""

    channel: str | None = Field(
        None, description="Where contests are announced in this community (default: the channel "
                          "where `contest start` is given). Needed in every community of a group "
                          "other than the one starting the contest.")
    mode: Mode = Field("button", description="Default way to enter: button, reaction, command "
                                             "(!enter) or keyword (a message with a word).")
    emoji: str = Field("🎉", description="Reaction that enters a reaction contest.")
    confirm: Literal["dm", "reply"] = Field(
        "dm", description="How a member is told they are in (or why not): dm (private message) "
                          "or reply (a short answer in the channel).")
    manage_role: Literal["cm", "admin"] = Field(
        "cm", description="Who may start, end, cancel and reroll contests and list entries.")
    requirements: RequirementSettings = Field(default_factory=RequirementSettings)
    exclude: ExcludeSettings = Field(default_factory=ExcludeSettings)
    min_duration: Duration = Field(timedelta(minutes=1), description="Shortest contest.")
    max_duration: Duration = Field(timedelta(days=30), description="Longest contest.")
    max_winners: int = Field(20, ge=1, le=1000, description="Most winners of one draw.")
    max_prize_length: int = Field(200, ge=10, le=1000, description="Longest prize text.")
    max_open: int = Field(10, ge=1, le=100,
                          description="Most contests open at once in one community.")
    groups: dict[str, tuple[CommunityId, ...]] = Field(
        default_factory=dict,
        description="Named groups of communities that can run one contest together "
                    "(`contest start ... --in NAME`), e.g. a Discord server and a Telegram group "
                    "of the same brand.")

    @field_validator("channel")
    @classmethod
    def _channel_is_qualified(cls, value: str | None) -> str | None:
        return None if value is None else _channel(value)

    @field_validator("emoji")
    @classmethod
    def _one_emoji(cls, value: str) -> str:
        if not is_emoji(value):
            raise ValueError(f"{value!r} is not one emoji (e.g. 🎉 or <:name:123>)")
        return value

    @field_validator("groups")
    @classmethod
    def _groups(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name, members in value.items():
            if not _GROUP_NAME.fullmatch(name):
                raise ValueError(f"group name {name!r}: lower-case letters, digits, - and _ "
                                 "(at most 32)")
            if len(members) < 2:
                raise ValueError(f"group {name!r}: list at least two communities")
            if len(set(members)) != len(members):
                raise ValueError(f"group {name!r}: a community is listed twice")
        return value

    @model_validator(mode="after")
    def _durations(self) -> ContestsSettings:
        if self.min_duration > self.max_duration:
            raise ValueError("min_duration is longer than max_duration")
        return self

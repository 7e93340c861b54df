"""Pydantic models of the rule file's core sections; plugin sections are added by `schema.py`."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.permissions import Role

__all__ = [
    "PLATFORMS",
    "CommandSettings",
    "CoreSettings",
    "PluginSettings",
    "RoleMapping",
    "StrictModel",
    "When",
    "check_qualified_id",
]

PLATFORMS = ("console", "discord", "telegram")
Language = Literal["en", "fr"]
RoleName = Literal["member", "cm", "admin"]
_ID_FORMS = {
    "discord": re.compile(r"\d{1,20}"),
    "telegram": re.compile(r"-?\d{1,20}"),
    "console": re.compile(r"[\w.-]{1,64}"),
}


def check_qualified_id(value: str, what: str) -> str:
    """Check `platform:id` (ids of Discord and Telegram are numbers); return it unchanged."""
    platform, sep, rest = value.partition(":")
    if not sep or platform not in PLATFORMS:
        raise ValueError(
            f"{what} {value!r} must be platform-qualified: discord:<id>, telegram:<id> "
            "or console:<name>"
        )
    if not _ID_FORMS[platform].fullmatch(rest):
        expected = "a number" if platform != "console" else "a name"
        raise ValueError(f"{what} {value!r}: the part after '{platform}:' must be {expected}")
    return value


class StrictModel(BaseModel):
    """Frozen, and a key the model does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PluginSettings(StrictModel):
    """Base of every plugin's section: each can be switched off per community."""

    enabled: bool = Field(True, description="Run this plugin in this community.")

    def config_warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Doubtful but allowed settings, as (path inside the section, message): warnings."""
        return []


class CommandSettings(StrictModel):
    """Per-command adjustments made by admins."""

    enabled: bool = Field(True, description="Whether the command can be used.")
    min_role: RoleName | None = Field(
        None, description="Lowest role allowed to use the command (default: the command's own)."
    )


class RoleMapping(StrictModel):
    """Platform role names or ids, and member ids, that grant a Vigie role in this community."""

    cm: tuple[str, ...] = Field((), description="Role names, role ids or member ids that are CMs.")
    admin: tuple[str, ...] = Field(
        (), description="Role names, role ids or member ids that are admins."
    )

    def as_lookup(self) -> dict[str, Role]:
        """Name or id -> strongest role it grants."""
        lookup = {name: Role.CM for name in self.cm}
        lookup.update({name: Role.ADMIN for name in self.admin})
        return lookup


class CoreSettings(StrictModel):
    """Settings every community has, whatever plugins are loaded."""

    name: str | None = Field(None, description="A display name for this community.")
    language: Language = Field("fr", description="Language the bot speaks here by default.")
    prefixes: tuple[str, ...] = Field(("!", "/"), description="Prefixes that start a command.")
    roles: RoleMapping = Field(default_factory=RoleMapping)
    alerts_channel: str | None = Field(
        None, description="Channel id where CMs receive alerts (e.g. discord:1234)."
    )
    rules_text: dict[Language, str] = Field(
        default_factory=dict, description="The community rules posted by !rules, per language."
    )
    appeal: dict[Language, str] = Field(
        default_factory=dict,
        description="How a sanctioned member can appeal (text or link), added to their notice.",
    )
    case_alerts: bool = Field(True, description="Post every new case to the alerts channel.")

    @field_validator("prefixes")
    @classmethod
    def _prefixes_are_short(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one prefix is needed")
        for prefix in value:
            if not prefix or len(prefix) > 3 or any(c.isspace() or c.isalnum() for c in prefix):
                raise ValueError(f"prefix {prefix!r}: 1 to 3 symbols such as ! or /")
        return value

    @field_validator("alerts_channel")
    @classmethod
    def _alerts_channel_is_qualified(cls, value: str | None) -> str | None:
        return None if value is None else check_qualified_id(value, "channel")


class When(StrictModel):
    """Conditions of an override; all given criteria must hold, a list means any of its items."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    community: tuple[str, ...] | None = Field(None, description="Community ids.")
    channel: tuple[str, ...] | None = Field(None, description="Channel ids.")
    user: tuple[str, ...] | None = Field(None, description="Member ids.")
    role_at_least: RoleName | None = Field(None, description="Lowest role this applies to.")
    role_below: RoleName | None = Field(None, description="Applies to roles below this one.")
    all: tuple[When, ...] | None = Field(None, description="Every condition holds.")
    any: tuple[When, ...] | None = Field(None, description="At least one condition holds.")
    not_: When | None = Field(None, alias="not", description="The condition does not hold.")

    @field_validator("community", "channel", "user", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("community", "channel", "user")
    @classmethod
    def _qualified(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None:
            if not value:
                raise ValueError("an empty list can never match")
            for item in value:
                check_qualified_id(item, "id")
        return value

    def is_empty(self) -> bool:
        """No criterion at all."""
        return all(getattr(self, name) is None for name in type(self).model_fields)

    def matches(self, community: str, channel: str | None, user: str | None, role: Role) -> bool:
        """Whether this condition holds for a message in `channel` by `user` with `role`."""
        if self.community is not None and community not in self.community:
            return False
        if self.channel is not None and channel not in self.channel:
            return False
        if self.user is not None and user not in self.user:
            return False
        if self.role_at_least is not None and role < Role.parse(self.role_at_least):
            return False
        if self.role_below is not None and role >= Role.parse(self.role_below):
            return False
        if self.all is not None and not all(w.matches(community, channel, user, role)
                                            for w in self.all):
            return False
        if self.any is not None and not any(w.matches(community, channel, user, role)
                                            for w in self.any):
            return False
        return not (self.not_ is not None and self.not_.matches(community, channel, user, role))

    def named(self, field: str) -> set[str]:
        """Every value named for `field` anywhere in this condition."""
        found = set(getattr(self, field) or ())
        for child in (*(self.all or ()), *(self.any or ()), *((self.not_,) if self.not_ else ())):
            found |= child.named(field)
        return found

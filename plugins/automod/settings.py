"""The `automod:` section: rules (trigger, actions, mode, exemptions, cooldown) and raid mode."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from bot.durations import Duration
from bot.permissions import Role
from bot.settings import PluginSettings, StrictModel
from bot.settings.models import check_qualified_id
from plugins.automod.actions import ActionSpec, check_texts
from plugins.automod.triggers import Trigger

__all__ = ["AutomodSettings", "Exemptions", "RaidSettings", "Rule"]

Mode = Literal["enforce", "monitor"]
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
MAX_RULES = 1000


def _qualified(value: str) -> str:
    return check_qualified_id(value, "id")


QualifiedId = Annotated[str, AfterValidator(_qualified)]


class Exemptions(StrictModel):
    """Who and where a rule does not apply."""

    role_at_least: Literal["cm", "admin", "none"] | None = Field(
        None, description="Members with this role or above are exempt (none: nobody by role). "
                          "Default: the section's (cm).")
    roles: tuple[str, ...] = Field((), description="Platform role names or ids that are exempt.")
    channels: tuple[QualifiedId, ...] = Field((), description="Channels where it never applies.")
    users: tuple[QualifiedId, ...] = Field((), description="Members it never applies to.")

    def threshold(self) -> Role | None:
        """The exempt role threshold, None when nobody is exempt by role."""
        if self.role_at_least in (None, "none"):
            return None
        return Role.parse(self.role_at_least)


class Rule(StrictModel):
    """One automod rule: when its trigger holds, its actions run (or, in monitor, are reported)."""

    enabled: bool = Field(True, description="Switch the rule off without deleting it.")
    description: str | None = Field(None, description="What the rule is for (for admins).")
    mode: Mode | None = Field(None, description="enforce: act; monitor: only tell the CMs what "
                                                "it would have done. Default: the section's.")
    trigger: Trigger = Field(description="What to look for; combine with all / any / not.")
    actions: tuple[ActionSpec, ...] = Field(description="What to do: delete, warn, timeout, "
                                                        "kick, ban, slowmode, lock, alert, "
                                                        "reply, dm.")
    exempt: Exemptions = Field(default_factory=Exemptions, description="Added to the section's "
                                                                       "exemptions.")
    cooldown: Duration | None = Field(None, description="After firing for a member, ignore "
                                                        "them for this long (e.g. 10m).")
    reason: dict[Literal["en", "fr"], str] | None = Field(
        None, description="Reason given to the member and in the case, in en and fr.")

    @field_validator("actions")
    @classmethod
    def _some_actions(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if not value:
            raise ValueError("list at least one action (e.g. [delete, warn])")
        return value

    @field_validator("reason")
    @classmethod
    def _reason_texts(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else check_texts(value)


RaidStep = Literal["alert", "lock", "slowmode"]


class RaidSettings(StrictModel):
    """Raid mode: many joins in a short time lock or slow down channels and alert the CMs."""

    enabled: bool = Field(False, description="Watch the join rate.")
    joins: int = Field(10, ge=2, le=10_000, description="Joins that switch raid mode on...")
    within: Duration = Field(timedelta(minutes=1), description="...within this time.")
    duration: Duration = Field(timedelta(minutes=10), description="Raid mode ends this long "
                                                                  "after the last join that "
                                                                  "counted.")
    actions: tuple[RaidStep, ...] = Field(("alert",), description="alert, lock and/or slowmode "
                                                                  "when raid mode starts.")
    channels: tuple[QualifiedId, ...] = Field((), description="Channels to lock or slow down.")
    slowmode: Duration = Field(timedelta(seconds=30), description="Slowmode interval in raid "
                                                                  "mode.")
    mode: Mode | None = Field(None, description="Default: the section's mode.")

    @field_validator("within")
    @classmethod
    def _short_window(cls, value: timedelta) -> timedelta:
        if value > timedelta(hours=1):
            raise ValueError("at most 1h")
        return value

    @model_validator(mode="after")
    def _channels_for_channel_actions(self) -> RaidSettings:
        needing = [a for a in self.actions if a in ("lock", "slowmode")]
        if self.enabled and needing and not self.channels:
            raise ValueError(f"raid actions {', '.join(needing)} need `channels` to act on")
        return self


def _rule_id(value: str) -> str:
    if not _RULE_ID.fullmatch(value):
        raise ValueError(f"rule id {value!r}: use lower-case letters, digits, - and _ "
                         "(up to 64)")
    return value


RuleId = Annotated[str, AfterValidator(_rule_id)]


class AutomodSettings(PluginSettings):
    """Automatic moderation: word lists, patterns, links, floods, raids."""

    mode: Mode = Field("enforce", description="Default mode of rules: enforce or monitor.")
    exempt: Exemptions = Field(default_factory=lambda: Exemptions(role_at_least="cm"),
                               description="Exempt from every rule (CMs and admins by default).")
    rules: dict[RuleId, Rule] = Field(default_factory=dict, description="Rules by id, "
                                                                        "checked in order.")
    raid: RaidSettings = Field(default_factory=RaidSettings)
    native: bool = Field(False, description="Discord: also publish the word and pattern rules "
                                            "that fit as Discord AutoMod keyword rules, which "
                                            "block a message before it is posted (needs Manage "
                                            "Server; see the README).")

    @field_validator("rules", mode="wrap")
    @classmethod
    def _name_the_rule(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Prefix what our validators say with the rule it is about."""
        try:
            rules = handler(value)
        except ValidationError as exc:
            raise _named(exc, value) from None
        if len(rules) > MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} rules")
        return rules


def _in_data(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """`loc` without the union tags pydantic adds, so it names keys of the file."""
    kept: list[Any] = []
    node = data
    tag_skipped = False
    for part in loc:
        if isinstance(node, dict) and node.get("type") == part and not tag_skipped:
            tag_skipped = True  # the tag of a trigger or action union, not a key
            continue
        tag_skipped = False
        indexable = isinstance(node, list | tuple) and isinstance(part, int) \
            and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or indexable:
            node = node[part]
        elif isinstance(node, dict | list | tuple):
            continue
        kept.append(part)
    return tuple(kept)


def _named(exc: ValidationError, data: Any) -> ValidationError:
    """Errors located in the file's own keys; our validators' messages name the rule."""
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        loc = _in_data(tuple(error["loc"]), data)
        if error["type"] == "value_error" and loc and isinstance(loc[0], str) \
                and error["loc"][-1] != "[key]":
            message = str(error["ctx"]["error"]) if "error" in error.get("ctx", {}) \
                else error["msg"].removeprefix("Value error, ")
            details.append(InitErrorDetails(
                type=PydanticCustomError("value_error", "rule '{rule}': {message}",
                                         {"rule": loc[0], "message": message}),
                loc=loc, input=error["input"]))
        else:
            details.append(InitErrorDetails(type=error["type"], loc=loc, input=error["input"],
                                            ctx=error.get("ctx", {})))
    return ValidationError.from_exception_data(exc.title, details)

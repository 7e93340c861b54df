"""What a rule does when it fires: small action models turned into neutral actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import BeforeValidator, Discriminator, Field, field_validator, model_validator

from bot.actions import (
    Action,
    Alert,
    Ban,
    Delete,
    Dm,
    Kick,
    Lock,
    Reply,
    Slowmode,
    Timeout,
    Warn,
)
from bot.durations import Duration, format_duration
from bot.events import MessageCreated
from bot.i18n import LANGUAGES, Localized, Msg, Text
from bot.mentions import ChannelMention
from bot.settings import StrictModel
from bot.settings.explain import did_you_mean
from bot.settings.templates import fill_template, template_problem

__all__ = ["ACTIONS", "TEMPLATES", "ActionModel", "ActionSpec", "Built", "check_texts"]

TEMPLATES = ("generic", "shouting", "insult", "invite", "flood", "mentions", "spam", "links")
PLACEHOLDERS = frozenset({"member", "rule"})
MAX_SLOWMODE = timedelta(hours=6)
MAX_BAN_PURGE = timedelta(days=7)


def check_texts(value: dict[str, str]) -> dict[str, str]:
    """Text people read must exist in every language, with the same known placeholders."""
    missing = [lang for lang in LANGUAGES if not (value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"give this text in {' and '.join(LANGUAGES)} "
                         f"(missing: {', '.join(missing)})")
    for lang, text in value.items():
        problem = template_problem(text, PLACEHOLDERS)
        if problem is not None:
            raise ValueError(f"{lang}: {problem}")
    return value


class Built(NamedTuple):
    """What actions need to know about the message and the rule that fired (a tuple: one is
    made per firing)."""

    event: MessageCreated
    rule: str
    reason: str
    related: tuple[tuple[str, str], ...]
    evidence: str


class ActionModel(StrictModel):
    """Base of action models."""

    kind: ClassVar[str] = ""

    def build(self, built: Built) -> list[Action]:
        """The neutral actions for one firing."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short description, for evidence and logs (`timeout 5m`)."""
        return self.kind

    def summary(self) -> Msg:
        """What the action does, for people (monitor alerts)."""
        return Msg.of(f"automod.does.{self.kind}")


class DeleteAction(ActionModel):
    """Delete the message (and, for copy-paste raids, the earlier copies)."""

    kind: ClassVar[str] = "delete"
    type: Literal["delete"] = "delete"

    def build(self, built: Built) -> list[Action]:
        """One delete per message."""
        event = built.event
        targets = [(event.channel, event.id), *built.related]
        return [Delete(channel=c, message_id=m) for c, m in dict.fromkeys(targets)]


class WarnAction(ActionModel):
    """A formal warning: opens a case and tells the member (the sanction ladder may follow)."""

    kind: ClassVar[str] = "warn"
    type: Literal["warn"] = "warn"

    def build(self, built: Built) -> list[Action]:
        """A warning to the author."""
        return [Warn(target=built.event.author, reason=built.reason)]


class TimeoutAction(ActionModel):
    """Keep the member from talking for a while."""

    kind: ClassVar[str] = "timeout"
    type: Literal["timeout"] = "timeout"
    duration: Duration = Field(description="How long, e.g. 5m.")

    def build(self, built: Built) -> list[Action]:
        """A timeout of the author."""
        return [Timeout(target=built.event.author, reason=built.reason, duration=self.duration)]

    def describe(self) -> str:
        """`timeout 5m`."""
        return f"timeout {format_duration(self.duration)}"

    def summary(self) -> Msg:
        """For people."""
        return Msg.of("automod.does.timeout", duration=format_duration(self.duration))


class KickAction(ActionModel):
    """Remove the member, who may come back."""

    kind: ClassVar[str] = "kick"
    type: Literal["kick"] = "kick"

    def build(self, built: Built) -> list[Action]:
        """A kick of the author."""
        return [Kick(target=built.event.author, reason=built.reason)]


class BanAction(ActionModel):
    """Ban the member, for a while or for good."""

    kind: ClassVar[str] = "ban"
    type: Literal["ban"] = "ban"
    duration: Duration | None = Field(None, description="How long; none: for good.")
    delete_messages: Duration | None = Field(
        None, description="Also delete the member's messages of this long ago (at most 7d).")

    @field_validator("delete_messages")
    @classmethod
    def _purge_window(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value > MAX_BAN_PURGE:
            raise ValueError("at most 7d (platforms delete at most a week of messages)")
        return value

    def build(self, built: Built) -> list[Action]:
        """A ban of the author."""
        purge = int(self.delete_messages.total_seconds()) if self.delete_messages else 0
        return [Ban(target=built.event.author, reason=built.reason, duration=self.duration,
                    delete_message_seconds=purge)]

    def describe(self) -> str:
        """`ban 7d` or `ban`."""
        return f"ban {format_duration(self.duration)}" if self.duration else "ban"

    def summary(self) -> Msg:
        """For people."""
        if self.duration is None:
            return Msg.of("automod.does.ban")
        return Msg.of("automod.does.ban_temp", duration=format_duration(self.duration))


class SlowmodeAction(ActionModel):
    """Slow the channel down: members may post once per interval."""

    kind: ClassVar[str] = "slowmode"
    type: Literal["slowmode"] = "slowmode"
    interval: Duration = Field(description="One message per member per interval, e.g. 30s.")
    duration: Duration | None = Field(None, description="Lifted after this long; none: "
                                                        "until a CM lifts it.")

    @field_validator("interval")
    @classmethod
    def _not_too_slow(cls, value: timedelta) -> timedelta:
        if value > MAX_SLOWMODE:
            raise ValueError("at most 6h")
        return value

    def build(self, built: Built) -> list[Action]:
        """Slowmode in the message's channel."""
        return [Slowmode(channel=built.event.channel, interval=self.interval,
                         duration=self.duration)]

    def describe(self) -> str:
        """`slowmode 30s for 10m`."""
        span = f" for {format_duration(self.duration)}" if self.duration else ""
        return f"slowmode {format_duration(self.interval)}{span}"

    def summary(self) -> Msg:
        """For people."""
        return Msg.of("automod.does.slowmode", interval=format_duration(self.interval))


class LockAction(ActionModel):
    """Lock the channel: only the team may post."""

    kind: ClassVar[str] = "lock"
    type: Literal["lock"] = "lock"
    duration: Duration | None = Field(None, description="Unlocked after this long; none: "
                                                        "until a CM unlocks it.")

    def build(self, built: Built) -> list[Action]:
        """Lock the message's channel."""
        return [Lock(channel=built.event.channel, duration=self.duration)]

    def describe(self) -> str:
        """`lock 10m` or `lock`."""
        return f"lock {format_duration(self.duration)}" if self.duration else "lock"


class AlertAction(ActionModel):
    """Tell the CMs in the alerts channel, with the evidence."""

    kind: ClassVar[str] = "alert"
    type: Literal["alert"] = "alert"
    cooldown: Duration | None = Field(
        timedelta(minutes=1), description="At most one alert per rule and community in this "
                                          "time (none: every time).")

    def build(self, built: Built) -> list[Action]:
        """An alert naming the rule, the member and the channel."""
        event = built.event
        return [Alert(text=Msg.of("automod.alert", rule=built.rule, member=event.author.name,
                                  channel=ChannelMention(event.channel)),
                      evidence=built.evidence)]


class _Said(ActionModel):
    template: str | None = Field(None, description="A built-in text: " + ", ".join(TEMPLATES))
    text: dict[Literal["en", "fr"], str] | None = Field(
        None, description="Your own text in en and fr; {member} and {rule} are filled in.")

    @field_validator("template")
    @classmethod
    def _known_template(cls, value: str | None) -> str | None:
        if value is not None and value not in TEMPLATES:
            hint = did_you_mean(value, TEMPLATES) or f" (built-in: {', '.join(TEMPLATES)})"
            raise ValueError(f"unknown template '{value}'{hint}")
        return value

    @field_validator("text")
    @classmethod
    def _both_languages(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else check_texts(value)

    @model_validator(mode="after")
    def _one_source(self) -> _Said:
        if (self.template is None) == (self.text is None):
            raise ValueError(f"a {self.kind} needs either `template` or `text` (not both)")
        return self

    def said(self, built: Built) -> Text:
        """The text, for the member's language (chosen when it is sent)."""
        member = built.event.author.name
        if self.text is not None:
            values = {"member": member, "rule": built.rule}
            return Localized.of({lang: fill_template(text, values)
                                 for lang, text in self.text.items()})
        return Msg.of(f"automod.template.{self.template}", member=member, rule=built.rule)


class ReplyAction(_Said):
    """Answer the message in its channel, in the member's language."""

    kind: ClassVar[str] = "reply"
    type: Literal["reply"] = "reply"

    def build(self, built: Built) -> list[Action]:
        """A reply to the message."""
        return [Reply(channel=built.event.channel, message_id=built.event.id,
                      text=self.said(built))]


class DmAction(_Said):
    """Write to the member privately, in their language."""

    kind: ClassVar[str] = "dm"
    type: Literal["dm"] = "dm"

    def build(self, built: Built) -> list[Action]:
        """A private message to the author."""
        return [Dm(target=built.event.author, text=self.said(built))]


ACTIONS: dict[str, type[ActionModel]] = {
    m.kind: m for m in (DeleteAction, WarnAction, TimeoutAction, KickAction, BanAction,
                        SlowmodeAction, LockAction, AlertAction, ReplyAction, DmAction)}


def _shorthand(value: Any) -> Any:
    """`delete` stands for `{type: delete}`; unknown types get a suggestion."""
    if isinstance(value, str):
        value = {"type": value}
    if isinstance(value, dict):
        kind = value.get("type")
        if kind is None:
            raise ValueError("an action needs a `type` (one of: " + ", ".join(ACTIONS) + ")")
        if kind not in ACTIONS:
            hint = did_you_mean(str(kind), ACTIONS) or " (known: " + ", ".join(ACTIONS) + ")"
            raise ValueError(f"unknown action '{kind}'{hint}")
    return value


ActionSpec = Annotated[
    DeleteAction | WarnAction | TimeoutAction | KickAction | BanAction | SlowmodeAction
    | LockAction | AlertAction | ReplyAction | DmAction,
    Discriminator("type"), BeforeValidator(_shorthand)]

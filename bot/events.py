"""Neutral events: what adapters turn platform updates into; ids are platform-qualified."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.permissions import Role

__all__ = [
    "Attachment",
    "ButtonClicked",
    "CaseOpened",
    "CommandInvoked",
    "Event",
    "JobDue",
    "JoinNotice",
    "JoinRequested",
    "MemberJoined",
    "MemberLeft",
    "MessageCreated",
    "MessageDeleted",
    "MessageEdited",
    "MessagePosted",
    "PlatformAutomodAction",
    "PlatformSanction",
    "PollClosed",
    "ReactionAdded",
    "ThreadCreated",
    "User",
    "platform_of",
]


def platform_of(qualified_id: str) -> str:
    """`discord:123` -> `discord`."""
    platform, sep, _ = qualified_id.partition(":")
    if not sep or not platform:
        raise ValueError(f"id {qualified_id!r} is not platform-qualified (expected platform:id)")
    return platform


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """A member as the platform describes them; `role` is the platform's own fact."""

    id: str
    name: str
    role: Role = Role.MEMBER
    language: str | None = None
    is_bot: bool = False
    account_created_at: datetime | None = None
    platform_roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content_type: str | None = None
    size: int = 0
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened in a community at a time."""

    id: str
    ts: datetime
    community: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageCreated(Event):
    """A member posted a message."""

    channel: str
    author: User
    text: str
    reply_to: str | None = None
    reply_to_author: User | None = None
    mentions: tuple[User, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEdited(MessageCreated):
    """A member edited a message; `id` is the message id, `text` the new text."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageDeleted(Event):
    """A message disappeared (deleted by its author, a CM or the bot)."""

    channel: str
    message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoined(Event):
    """Someone joined the community; `message_id` is the platform's join notice, if it posts one
    (Telegram's service message), in `channel`."""

    user: User
    channel: str | None = None
    message_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinNotice(Event):
    """The platform's notice of a join already reported (`message_id` in `channel`), arriving
    after the `MemberJoined` (Telegram reports a join twice, in either order)."""

    user: User
    channel: str
    message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JoinRequested(Event):
    """Someone asked to join (Telegram's join requests); answered by `Approve` or `Decline`."""

    user: User


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberLeft(Event):
    """Someone left (or was removed from) the community."""

    user: User


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreadCreated(Event):
    """A member opened a thread (Discord) or a forum topic (Telegram): `channel` is the new
    thread's id, `parent` the channel it was opened in."""

    channel: str
    parent: str
    author: User | None = None
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionAdded(Event):
    """A member reacted to a message."""

    channel: str
    message_id: str
    user: User
    emoji: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ButtonClicked(Event):
    """A member clicked a button the bot posted."""

    channel: str
    message_id: str
    user: User
    custom_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandInvoked(Event):
    """A command given natively by the platform (a slash command), already split from its text."""

    channel: str
    author: User
    name: str
    args: str = ""
    options: tuple[tuple[str, Any], ...] = ()
    reply_to: str | None = None
    reply_to_author: User | None = None
    mentions: tuple[User, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseOpened(Event):
    """A case was recorded (any sanction, manual or automatic); `id` is `case:<db id>`."""

    case_id: int
    number: int
    action: str
    target: User
    author_id: str
    channel: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagePosted(Event):
    """The bot posted a message a plugin tagged (`Send.tag`): how it learns the message's id."""

    channel: str
    message_id: str
    tag: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PollClosed(Event):
    """A poll the bot posted was ended (`ClosePoll`): its final counts, one per option."""

    channel: str
    message_id: str
    tag: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class JobDue(Event):
    """A scheduled job reached its run time."""

    job_id: int
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    run_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformAutomodAction(Event):
    """The platform's own automod acted on a message (Discord AutoMod: one event per action of
    the rule: `block`, `alert` or `timeout`); `execution` names the one message they act on."""

    channel: str | None
    user: User
    rule_id: str
    rule_name: str = ""
    action: str = "block"
    duration: timedelta | None = None
    keyword: str = ""
    matched: str = ""
    content: str = ""
    execution: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformSanction(Event):
    """Someone sanctioned a member in the platform's own interface (Discord's audit log,
    Telegram's member updates): `ban`, `unban`, `kick`, `timeout` or `untimeout`."""

    action: str
    target: User
    actor: User
    reason: str = ""
    until: datetime | None = None
    by_bot: bool = False
    """The actor is this bot: Vigie's own action coming back."""

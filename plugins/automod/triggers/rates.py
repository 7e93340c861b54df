"""Triggers over time: flood, repeated text, copy-paste raids, new accounts, raid mode."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from bot.durations import Duration, format_duration
from bot.i18n import Msg
from plugins.automod.state import MAX_WINDOW, PER_MEMBER, PER_TEXT, Post
from plugins.automod.triggers.base import Facts, Hit, Node, TriggerModel, register

if TYPE_CHECKING:
    from plugins.automod.matching import Compiler

__all__ = ["DuplicatesTrigger", "FloodTrigger", "NewAccountTrigger", "RaidModeTrigger"]


def _window(value: timedelta) -> timedelta:
    if value > MAX_WINDOW:
        raise ValueError(f"at most {format_duration(MAX_WINDOW)}: automod remembers messages "
                         "for an hour")
    return value


class _Flood(Node):
    def __init__(self, trigger: FloodTrigger) -> None:
        self.messages = trigger.messages
        self.within = trigger.within.total_seconds()
        self.per_channel = trigger.per == "channel"
        self.span = format_duration(trigger.within)
        self.key = "automod.evidence.flood." + ("channel" if self.per_channel else "community")

    def check(self, facts: Facts) -> list[Hit] | None:
        post: Post | None = facts.cache.get("post")
        if post is None:
            return None
        posts: list[Post] = facts.cache["member_posts"]
        if len(posts) < self.messages:
            return None
        horizon = post.ts - self.within
        count = 0
        for earlier in reversed(posts):  # newest first, in time order: stop past the window
            if earlier.ts <= horizon:
                break
            if earlier.ts <= post.ts and (not self.per_channel
                                          or earlier.channel == post.channel):
                count += 1  # (a message delivered late is not flooding with newer ones)
        if count < self.messages:
            return None
        return [Hit(Msg.of(self.key, count=count, within=self.span, limit=self.messages))]


@register("flood")
class FloodTrigger(TriggerModel):
    """Flood: N messages or more by one member within a time window."""

    on_edits = False
    type: Literal["flood"] = "flood"
    messages: int = Field(ge=2, le=PER_MEMBER, description="Fires at this many messages.")
    within: Duration = Field(description="Time window, e.g. 10s.")
    per: Literal["channel", "community"] = Field("channel", description="Count per channel "
                                                                        "or community-wide.")

    _check_window = field_validator("within")(_window)

    def compile(self, compiler: Compiler) -> Node:
        """Needs each member's recent posts."""
        compiler.require("members", self.within.total_seconds())
        return _Flood(self)


class _Duplicates(Node):
    def __init__(self, trigger: DuplicatesTrigger) -> None:
        self.count = trigger.count
        self.within = trigger.within.total_seconds()
        self.by_accounts = trigger.by == "accounts"
        self.min_chars = trigger.min_chars
        self.span = format_duration(trigger.within)

    def check(self, facts: Facts) -> list[Hit] | None:
        post: Post | None = facts.cache.get("post")
        if post is None or post.key is None or post.size < self.min_chars:
            return None
        posts: list[Post] = facts.cache["text_posts" if self.by_accounts else "member_posts"]
        if len(posts) < self.count:  # fewer posts than the limit: fewer copies or accounts too
            return None
        horizon = post.ts - self.within
        if not self.by_accounts:
            same = [p for p in posts if p.key == post.key and p.ts > horizon]
            if len(same) < self.count:
                return None
            return [Hit(Msg.of("automod.evidence.duplicates.member", count=len(same),
                               within=self.span, limit=self.count), _copies(same, post))]
        copies = [p for p in posts if p.ts > horizon]
        authors = {p.author for p in copies}
        if len(authors) < self.count:
            return None
        return [Hit(Msg.of("automod.evidence.duplicates.accounts", count=len(authors),
                           within=self.span, limit=self.count), _copies(copies, post))]


def _copies(posts: list[Post], current: Post) -> tuple[tuple[str, str], ...]:
    """Earlier copies not reported yet (each is deleted once); marks them and `current`."""
    related = tuple((p.channel, p.message_id) for p in posts
                    if not p.reported and p is not current)
    for p in posts:
        p.reported = True
    return related


@register("duplicates")
class DuplicatesTrigger(TriggerModel):
    """The same text again: repeated by one member, or posted by many accounts (raids)."""

    on_edits = False
    type: Literal["duplicates"] = "duplicates"
    count: int = Field(ge=2, le=PER_TEXT, description="Fires at this many copies (by: member) "
                                                      "or accounts (by: accounts).")
    within: Duration = Field(description="Time window, e.g. 60s.")
    by: Literal["member", "accounts"] = Field("member", description="member: one member "
                                                                    "repeating; accounts: "
                                                                    "many accounts, same text.")
    min_chars: int = Field(10, ge=1, le=10_000, description="Texts with fewer letters and "
                                                            "digits (ok, lol, +1) never count "
                                                            "as copies.")

    _check_window = field_validator("within")(_window)

    def compile(self, compiler: Compiler) -> Node:
        """Needs recent posts per member or per text."""
        compiler.require("members" if self.by == "member" else "texts",
                         self.within.total_seconds())
        return _Duplicates(self)


class _NewAccount(Node):
    def __init__(self, trigger: NewAccountTrigger) -> None:
        self.younger_than = trigger.younger_than
        self.first_message = trigger.first_message

    def check(self, facts: Facts) -> list[Hit] | None:
        created = facts.event.author.account_created_at
        if created is None or (self.first_message and not facts.cache.get("first")):
            return None
        age = facts.now - created
        if age >= self.younger_than:
            return None
        return [Hit(Msg.of("automod.evidence.new_account",
                           age=format_duration(max(age, timedelta())),
                           limit=format_duration(self.younger_than)))]


@register("new_account")
class NewAccountTrigger(TriggerModel):
    """An account younger than a given age (when the platform tells the account's age)."""

    on_edits = False
    type: Literal["new_account"] = "new_account"
    younger_than: Duration = Field(description="e.g. 1d: accounts created less than a day ago.")
    first_message: bool = Field(True, description="Only the member's first message (since the "
                                                  "bot started).")

    def compile(self, compiler: Compiler) -> Node:
        """Needs to know first messages."""
        compiler.require("first")
        return _NewAccount(self)


class _RaidMode(Node):
    def check(self, facts: Facts) -> list[Hit] | None:
        if not facts.state.in_raid(facts.event.community, facts.now):
            return None
        return [Hit(Msg.of("automod.evidence.raid_mode"))]


@register("raid_mode")
class RaidModeTrigger(TriggerModel):
    """Holds while the community is in raid mode (see `raid:`), to tighten other rules."""

    type: Literal["raid_mode"] = "raid_mode"

    def compile(self, compiler: Compiler) -> Node:
        """A state lookup."""
        return _RaidMode()

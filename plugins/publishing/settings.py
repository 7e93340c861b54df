"""The `publishing` settings: per community (`defaults.publishing`: time zone, grace, retries) and
the posts written once at the top of the rule file (`publishing.posts`)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.durations import Duration
from bot.events import platform_of
from bot.settings import PluginSettings, StrictModel
from bot.settings.brands import Brands
from bot.settings.explain import did_you_mean
from bot.settings.models import check_qualified_id
from bot.when import ZoneName
from plugins.publishing.recurrence import Repeat

__all__ = ["POST_ID", "PostSpec", "PublishingFile", "PublishingSettings", "Target"]

POST_ID = re.compile(r"[a-z][a-z0-9_-]{0,39}")
Language = Literal["en", "fr"]


class PublishingSettings(PluginSettings):
    """Scheduled posts: the time zone CMs type times in, lateness allowed, retries."""

    timezone: ZoneName = Field("Europe/Paris", description="Time zone of the times CMs type here "
                          "(an IANA name such as Europe/Paris or America/Montreal).")
    grace: Duration = Field(timedelta(hours=1), description="An overdue post (the bot was "
                            "down) is still sent this late, with a note in the log; later, "
                            "it is skipped and the CMs are told.")
    retries: int = Field(5, ge=0, le=20, description="Retries of a post a platform refused or "
                         "failed (403, 429, 5xx) before giving up; CMs are told each time.")
    backoff: Duration = Field(timedelta(minutes=1), description="Wait before the first retry; "
                              "doubled at each next one.")


class Target(StrictModel):
    """Where a post goes: a brand group, or one community (and channel) of it."""

    brand: str | None = Field(None, description="A brand of `brands:` (every community of it).")
    community: str | None = Field(None, description="A community id (discord:…, telegram:…).")
    channel: str | None = Field(None, description="The channel in that community (default: the "
                                "group itself on Telegram and the console).")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, value: Any) -> Any:
        """`"@acme"` is a brand, `"telegram:-100"` a community."""
        if isinstance(value, str):
            return {"brand": value[1:]} if value.startswith("@") else {"community": value}
        return value

    @model_validator(mode="after")
    def _one(self) -> Target:
        if (self.brand is None) == (self.community is None):
            raise ValueError("give either a brand (@name) or a community id")
        if self.community is not None:
            check_qualified_id(self.community, "community")
            if self.channel is not None:
                check_qualified_id(self.channel, "channel")
                if platform_of(self.channel) != platform_of(self.community):
                    raise ValueError(f"{self.channel} is not on the platform of "
                                     f"{self.community}")
            elif platform_of(self.community) == "discord":
                raise ValueError("a Discord server needs a channel: {community: discord:…, "
                                 "channel: discord:…}")
        elif self.channel is not None:
            raise ValueError("a brand's channels are set under brands: (channels:)")
        return self

    def as_text(self) -> str:
        """`@acme`, `telegram:-100` or `discord:1/discord:2`."""
        if self.brand is not None:
            return f"@{self.brand}"
        return str(self.community) if self.channel is None else \
            f"{self.community}/{self.channel}"


class PostSpec(StrictModel):
    """One scheduled post: texts, targets, first time, optional recurrence and end."""

    text: dict[Language, str] = Field(description="The post in French and/or English (the "
                                      "community's language is used; the other as fallback). "
                                      "Markdown: **bold**, *italic*, `code`, [label](url).")
    targets: tuple[Target, ...] = Field(description="Brands (@acme) and communities.")
    at: datetime = Field(description="First time, local to `timezone` (2026-12-07 09:30).")
    timezone: ZoneName | None = Field(None, description="Default: the home community's "
                                      "setting.")
    repeat: Repeat | None = Field(None, description="Recurrence; none: posted once.")
    until: date | None = Field(None, description="Last day of the recurrence (inclusive).")
    home: str | None = Field(None, description="Community whose CMs are told how it went "
                             "(default: the first target's).")
    image: str | None = Field(None, max_length=2000, description="An image URL or file path.")
    link: str | None = Field(None, max_length=2000, description="A link added at the end.")
    pin: bool = Field(False, description="Pin each post (and unpin the previous one).")
    preview: bool = Field(True, description="Show link previews.")
    embed: bool = Field(False, description="On Discord, post the text as an embed.")

    @field_validator("text")
    @classmethod
    def _texts(cls, value: dict[str, str]) -> dict[str, str]:
        if not value or not any(t.strip() for t in value.values()):
            raise ValueError("a post needs a text in French or English")
        for lang, text in value.items():
            if len(text) > 20_000:
                raise ValueError(f"{lang}: at most 20,000 characters")
        return value

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: tuple[Target, ...]) -> tuple[Target, ...]:
        if not value:
            raise ValueError("a post needs at least one target")
        return value

    @field_validator("at")
    @classmethod
    def _naive(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=None, fold=0) if value.tzinfo is None else value

    @field_validator("home")
    @classmethod
    def _home(cls, value: str | None) -> str | None:
        return None if value is None else check_qualified_id(value, "community")

    @field_validator("link")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("a link starts with http:// or https://")
        return value

    @model_validator(mode="after")
    def _end(self) -> PostSpec:
        if self.until is not None and self.until < self.at.date():
            raise ValueError("until is before the first time")
        if self.until is not None and self.repeat is None:
            raise ValueError("until only makes sense with repeat")
        return self


class PublishingFile(StrictModel):
    """Scheduled posts written in the rule file (`publishing.posts`), by id."""

    posts: dict[str, PostSpec] = Field(default_factory=dict)

    @field_validator("posts")
    @classmethod
    def _ids(cls, value: dict[str, PostSpec]) -> dict[str, PostSpec]:
        for post_id in value:
            if not POST_ID.fullmatch(post_id):
                raise ValueError(f"post id {post_id!r}: a lower-case letter, then up to 39 "
                                 "letters, digits, - or _ (chat posts are numbered)")
        if len(value) > 500:
            raise ValueError("at most 500 posts")
        return value

    def config_issues(self, brands: Brands) -> list[tuple[tuple[str | int, ...], str]]:
        """Brands a post names that `brands:` lacks, or whose Discord servers lack a channel."""
        issues: list[tuple[tuple[str | int, ...], str]] = []
        for post_id, post in self.posts.items():
            for index, target in enumerate(post.targets):
                if target.brand is None:
                    continue
                where: tuple[str | int, ...] = ("posts", post_id, "targets", index)
                brand = brands.get(target.brand)
                if brand is None:
                    hint = did_you_mean(target.brand, brands.names()) or \
                        f" (brands: {', '.join(brands.names()) or 'none'})"
                    issues.append((where, f"unknown brand '@{target.brand}'{hint}"))
                    continue
                for community, channel in brands.targets(target.brand):
                    if channel is None:
                        issues.append((where, f"brand '@{target.brand}' has no channel for "
                                              f"{community}: add brands.{target.brand}."
                                              f"channels"))
        return issues

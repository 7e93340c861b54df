"""Triggers on a message's shape: capitals, emoji, mentions, length, lines, zalgo, attachments."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

import emoji
from pydantic import AfterValidator, Field, model_validator

from bot.i18n import Msg
from plugins.automod.triggers.base import Facts, Hit, Node, TriggerModel, register

if TYPE_CHECKING:
    from plugins.automod.matching import Compiler

__all__ = ["AttachmentsTrigger", "CapsTrigger", "EmojiTrigger", "LengthTrigger",
           "MentionsTrigger", "NewlinesTrigger", "ZalgoTrigger", "count_capitals",
           "count_emoji", "count_letters"]

_NOT_UPPER = bytes(c for c in range(256) if not (65 <= c <= 90))
_ASCII_BYTES = bytes(range(128))
_NOT_ALPHA = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
# Combining marks that zalgo generators stack on letters.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0e31-\u0e3a" \
         "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"


def _emoji_pattern() -> re.Pattern[str]:
    """Emoji from the `emoji` package's data: a pictograph with its modifiers and ZWJ parts."""
    special = {0x200D, 0xFE0F, 0x20E3}
    codes = sorted({ord(c) for key in emoji.EMOJI_DATA for c in key
                    if ord(c) > 0xFF and ord(c) not in special
                    and not 0x1F3FB <= ord(c) <= 0x1F3FF and not 0x1F1E6 <= ord(c) <= 0x1F1FF
                    and not 0xE0020 <= ord(c) <= 0xE007F})
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    pictograph = "[" + "".join(re.escape(chr(a)) if a == b else
                               f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                               for a, b in ranges) + "]"
    return re.compile(f"{pictograph}(?:[\U0001F3FB-\U0001F3FF\uFE0F\u20E3"
                      f"\U000E0020-\U000E007F]|\u200D{pictograph})*"
                      "|[\U0001F1E6-\U0001F1FF]{2}")


_EMOJI = _emoji_pattern()
_FIRST_EMOJI = "\u203c"


def count_emoji(text: str) -> int:
    """Emoji in `text`; a ZWJ sequence (👨‍👩‍👧), a flag or a skin tone variant counts once."""
    if text.isascii() or max(text) < _FIRST_EMOJI:
        return 0
    return len(_EMOJI.findall(text))


def count_capitals(text: str) -> int:
    """Capital letters in `text` (cheap when there are none)."""
    data = text.encode()  # UTF-8: ASCII capitals are single bytes, never inside a sequence
    capitals = len(data.translate(None, _NOT_UPPER))
    if not text.isascii():
        capitals += sum(map(str.isupper, data.translate(None, _ASCII_BYTES).decode()))
    return capitals


def count_letters(text: str) -> tuple[int, int]:
    """(capital letters, letters) in `text`."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _NOT_UPPER)), len(data.translate(None, _NOT_ALPHA))
    return sum(map(str.isupper, text)), sum(map(str.isalpha, text))


class _Caps(Node):
    def __init__(self, trigger: CapsTrigger) -> None:
        self.ratio = trigger.ratio
        self.min_letters = trigger.min_letters

    def check(self, facts: Facts) -> list[Hit] | None:
        text = facts.text.scanned
        if len(text) < self.min_letters or count_capitals(text) < self.ratio * self.min_letters:
            return None
        counts = facts.cache.get("caps")
        if counts is None:
            counts = facts.cache["caps"] = count_letters(text)
        upper, letters = counts
        if letters < self.min_letters or upper < self.ratio * letters:
            return None
        return [Hit(Msg.of("automod.evidence.caps", upper=upper, letters=letters,
                           percent=upper * 100 // letters, limit=round(self.ratio * 100),
                           min_letters=self.min_letters))]


@register("caps")
class CapsTrigger(TriggerModel):
    """Shouting: a share of capital letters, over a minimum number of letters."""

    type: Literal["caps"] = "caps"
    ratio: float = Field(0.7, gt=0, le=1, description="Share of letters in capitals (0.7 = 70%).")
    min_letters: int = Field(20, ge=1, le=100_000, description="Only messages with at least "
                                                               "this many letters count.")

    def compile(self, compiler: Compiler) -> Node:
        """A counting node."""
        return _Caps(self)


class _Emoji(Node):
    def __init__(self, at_least: int) -> None:
        self.at_least = at_least

    def check(self, facts: Facts) -> list[Hit] | None:
        count = facts.cache.get("emoji")
        if count is None:
            count = facts.cache["emoji"] = count_emoji(facts.text.scanned)
        if count < self.at_least:
            return None
        return [Hit(Msg.of("automod.evidence.emoji", count=count, limit=self.at_least))]


@register("emoji")
class EmojiTrigger(TriggerModel):
    """Many emoji in one message (a ZWJ sequence such as a family counts once)."""

    type: Literal["emoji"] = "emoji"
    at_least: int = Field(ge=1, le=100_000, description="Fires at this many emoji or more.")

    def compile(self, compiler: Compiler) -> Node:
        """A counting node."""
        return _Emoji(self.at_least)


class _Mentions(Node):
    def __init__(self, at_least: int) -> None:
        self.at_least = at_least

    def check(self, facts: Facts) -> list[Hit] | None:
        mentions = facts.event.mentions
        if len(mentions) < self.at_least:
            return None
        distinct = len({u.id for u in mentions} - {facts.event.author.id})
        if distinct < self.at_least:
            return None
        return [Hit(Msg.of("automod.evidence.mentions", count=distinct, limit=self.at_least))]


@register("mentions")
class MentionsTrigger(TriggerModel):
    """Mention spam: many distinct members mentioned in one message."""

    type: Literal["mentions"] = "mentions"
    at_least: int = Field(ge=1, le=100_000, description="Fires at this many distinct members.")

    def compile(self, compiler: Compiler) -> Node:
        """A counting node."""
        return _Mentions(self.at_least)


class _Length(Node):
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars

    def check(self, facts: Facts) -> list[Hit] | None:
        length = len(facts.event.text)
        if length <= self.max_chars:
            return None
        return [Hit(Msg.of("automod.evidence.length", count=length, limit=self.max_chars))]


@register("length")
class LengthTrigger(TriggerModel):
    """Messages longer than a number of characters."""

    type: Literal["length"] = "length"
    max_chars: int = Field(ge=1, description="Fires above this many characters.")

    def compile(self, compiler: Compiler) -> Node:
        """A counting node."""
        return _Length(self.max_chars)


class _Newlines(Node):
    def __init__(self, max_lines: int) -> None:
        self.max_lines = max_lines

    def check(self, facts: Facts) -> list[Hit] | None:
        lines = facts.event.text.count("\n") + 1
        if lines <= self.max_lines:
            return None
        return [Hit(Msg.of("automod.evidence.newlines", count=lines, limit=self.max_lines))]


@register("newlines")
class NewlinesTrigger(TriggerModel):
    """Messages with more lines than allowed (walls of text)."""

    type: Literal["newlines"] = "newlines"
    max_lines: int = Field(ge=1, description="Fires above this many lines.")

    def compile(self, compiler: Compiler) -> Node:
        """A counting node."""
        return _Newlines(self.max_lines)


class _Zalgo(Node):
    def __init__(self, max_marks: int) -> None:
        self.max_marks = max_marks
        self.pattern = re.compile(f"[{_MARKS}]{{{max_marks + 1},}}")

    def check(self, facts: Facts) -> list[Hit] | None:
        text = facts.text.scanned
        if text.isascii():
            return None
        match = self.pattern.search(text)
        if match is None:
            return None
        return [Hit(Msg.of("automod.evidence.zalgo", count=match.end() - match.start(),
                           start=match.start(), limit=self.max_marks))]


@register("zalgo")
class ZalgoTrigger(TriggerModel):
    """Zalgo text: letters buried under stacked combining marks."""

    type: Literal["zalgo"] = "zalgo"
    max_marks: int = Field(3, ge=1, le=1000, description="Most marks allowed on one letter.")

    def compile(self, compiler: Compiler) -> Node:
        """A pattern node."""
        return _Zalgo(self.max_marks)


def _file_type(value: str) -> str:
    cleaned = value.strip().lower().lstrip(".")
    if not cleaned or any(c.isspace() for c in cleaned):
        raise ValueError(f"{value!r} is not a file type (e.g. exe, .scr, image/*, "
                         "application/zip)")
    return cleaned


FileType = Annotated[str, AfterValidator(_file_type)]


class _Attachments(Node):
    def __init__(self, trigger: AttachmentsTrigger) -> None:
        self.at_least = trigger.at_least
        self.extensions = {t for t in trigger.types if "/" not in t}
        self.exact = {t for t in trigger.types if "/" in t and not t.endswith("/*")}
        self.families = {t[:-1] for t in trigger.types if t.endswith("/*")}

    def _banned(self, filename: str, content_type: str | None) -> bool:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension in self.extensions:
            return True
        kind = (content_type or "").lower().split(";")[0].strip()
        return bool(kind) and (kind in self.exact or any(kind.startswith(f)
                                                         for f in self.families))

    def check(self, facts: Facts) -> list[Hit] | None:
        attachments = facts.event.attachments
        if not attachments:
            return None
        if self.at_least is not None and len(attachments) >= self.at_least:
            return [Hit(Msg.of("automod.evidence.attachments", count=len(attachments),
                               limit=self.at_least))]
        for item in attachments:
            if self._banned(item.filename, item.content_type):
                kind = repr(item.content_type) if item.content_type \
                    else Msg.of("automod.evidence.no_type")
                return [Hit(Msg.of("automod.evidence.attachment_type", name=repr(item.filename),
                                   type=kind))]
        return None


@register("attachments")
class AttachmentsTrigger(TriggerModel):
    """Too many attachments, or attachments of refused types (extensions or MIME types)."""

    type: Literal["attachments"] = "attachments"
    at_least: int | None = Field(None, ge=1, le=1000, description="Fires at this many files.")
    types: tuple[FileType, ...] = Field((), description="Refused types: extensions (exe, scr) "
                                                        "or MIME types (application/zip, "
                                                        "video/*).")

    @model_validator(mode="after")
    def _something_to_check(self) -> AttachmentsTrigger:
        if self.at_least is None and not self.types:
            raise ValueError("an attachments trigger needs `at_least`, `types` or both")
        return self

    def compile(self, compiler: Compiler) -> Node:
        """A node that looks at the files."""
        return _Attachments(self)

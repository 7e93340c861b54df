"""Durations as people write them: `30s`, `10m`/`10min`, `2h`, `7d`/`7j`, `2w`/`2sem`, `1h30m`.

French units are accepted beside English ones (`j` for jours, `sem` for semaines, `min`/`mn`),
and `1h30` reads as one hour and a half, as French speakers write it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

__all__ = [
    "MAX",
    "Duration",
    "DurationError",
    "Span",
    "format_duration",
    "looks_like_duration",
    "parse_duration",
]

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "mn": 60, "h": 3600, "d": 86400, "j": 86400,
          "w": 604800, "sem": 604800}
_PART = re.compile(r"(\d{1,9})\s*(sem|sec|min|mn|[smhdjw])\s*", re.ASCII)
_HALF_HOUR_TAIL = re.compile(r"([0-5]?\d)\s*", re.ASCII)  # the `30` of `1h30`
_ATTEMPT = re.compile(r"[+-]?\d[0-9a-z.,+-]*[a-z][0-9a-z.,+-]*", re.ASCII)
_UNIT_CLASS = "[sS][eE][mMcC]|[mM][iI][nN]|[mM][nN]|[smhdjwSMHDJW]"
PATTERN = rf"^\s*(\d+\s*({_UNIT_CLASS})\s*)+(\d+\s*)?$"
EXAMPLES = "30s, 10m, 2h, 7d (7j), 2w (2sem) or 1h30m"
MAX = timedelta(days=3650)

Reason = Literal["invalid", "no_unit", "zero", "negative", "too_long"]


class DurationError(ValueError):
    """Text that is not a duration; `reason` says which way, for messages in people's language."""

    def __init__(self, message: str, reason: Reason = "invalid") -> None:
        super().__init__(message)
        self.reason: Reason = reason


def looks_like_duration(token: str) -> bool:
    """Whether a command word is an attempt at a duration (valid or not).

    A word that starts with a digit (after an optional sign) and holds a letter, made only of
    digits, letters, `.`, `,`, `+` and `-`: `7d`, `7j`, `7x`, `0s`, `-5m`, `1h-5m`, `1.5h`. A bare
    number (`3`) is not: in a reason it reads as a number.
    """
    return bool(_ATTEMPT.fullmatch(token.strip().lower()))


def _seconds(cleaned: str) -> int | None:
    """Total seconds of a well-formed duration, else None."""
    position, total, last_unit = 0, 0, ""
    while position < len(cleaned):
        part = _PART.match(cleaned, position)
        if part is None:
            tail = _HALF_HOUR_TAIL.fullmatch(cleaned, position)
            if tail is None or last_unit != "h":
                return None
            return total + int(tail.group(1)) * 60
        total += int(part.group(1)) * _UNITS[part.group(2)]
        last_unit, position = part.group(2), part.end()
    return total if last_unit else None


def parse_duration(text: str) -> timedelta:
    """Parse `text` into a positive timedelta of at most ten years."""
    cleaned = text.strip().lower()
    if cleaned.startswith("-") and cleaned[1:2].isdigit():
        raise DurationError(f"{text!r} is negative: a duration must be positive ({EXAMPLES})",
                            "negative")
    if cleaned.isdigit() and int(cleaned) == 0:
        raise DurationError(f"{text!r} is zero: a duration must be positive ({EXAMPLES})",
                            "zero")
    if cleaned.isdigit():
        raise DurationError(f"{text!r} is not a duration: it has no unit (write e.g. "
                            f"{cleaned}s or {cleaned}m)", "no_unit")
    seconds = _seconds(cleaned)
    if seconds is None:
        raise DurationError(f"{text!r} is not a duration (expected e.g. {EXAMPLES})")
    if seconds <= 0:
        raise DurationError(f"{text!r} is zero: a duration must be positive ({EXAMPLES})",
                            "zero")
    if seconds > MAX.total_seconds():
        raise DurationError(f"{text!r} is too long: at most {format_duration(MAX)}", "too_long")
    return timedelta(seconds=seconds)


_WRITTEN = {"en": ("d", "h", "m", "s"), "fr": ("j", "h", "min", "s")}
_SIZES = (86400, 3600, 60, 1)


class Span(str):
    """A formatted duration (`7d`); a catalog message shows it with its reader's units (`7j`)."""

    __slots__ = ("seconds",)
    seconds: int

    def __new__(cls, seconds: int) -> Span:
        span = super().__new__(cls, _compact(seconds, "en"))
        span.seconds = seconds
        return span

    def in_language(self, lang: str) -> str:
        """The duration written with the units of `lang`."""
        return _compact(self.seconds, lang)


def _compact(seconds: int, lang: str) -> str:
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in zip(_WRITTEN.get(lang, _WRITTEN["en"]), _SIZES, strict=True):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def format_duration(value: timedelta) -> Span:
    """Compact form, largest units first (days at most): 5400s -> `1h30m`, 7 days -> `7d`.

    As a message parameter it is shown in the reader's units (`1h30min`, `7j` in French).
    """
    return Span(int(value.total_seconds()))


def _from_config(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DurationError(f"expected a duration such as {EXAMPLES}, got {value!r}")
    if isinstance(value, int):
        raise DurationError(f"{value} has no unit: write e.g. {value}s or {value}m", "no_unit")
    return parse_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(_from_config),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PATTERN,
                    "examples": ["30s", "10m", "2h", "7d", "7j", "2sem", "1h30"]}),
]

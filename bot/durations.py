"""Durations as people write them: `30s`, `10m`, `2h`, `7d`, `1w`, and combinations like `1h30m`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

__all__ = ["Duration", "DurationError", "format_duration", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d{1,9})\s*([smhdw])", re.ASCII)
_WHOLE = re.compile(r"(?:\d{1,9}\s*[smhdw]\s*)+", re.ASCII)
PATTERN = r"^\s*(\d+\s*[smhdwSMHDW]\s*)+$"
EXAMPLES = "30s, 10m, 2h, 7d, 1w or 1h30m"
MAX = timedelta(days=3650)


class DurationError(ValueError):
    """Text that is not a duration."""


def parse_duration(text: str) -> timedelta:
    """Parse `text` into a positive timedelta of at most ten years."""
    cleaned = text.strip().lower()
    if cleaned.startswith("-"):
        raise DurationError(f"{text!r} is negative: a duration must be positive ({EXAMPLES})")
    if not _WHOLE.fullmatch(cleaned):
        raise DurationError(f"{text!r} is not a duration (expected e.g. {EXAMPLES})")
    seconds = sum(int(n) * _UNITS[u] for n, u in _PART.findall(cleaned))
    if seconds <= 0:
        raise DurationError(f"{text!r} is zero: a duration must be positive ({EXAMPLES})")
    if seconds > MAX.total_seconds():
        raise DurationError(f"{text!r} is too long: at most 3650d")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """Compact form, largest units first (days at most): 5400s -> `1h30m`, 7 days -> `7d`."""
    seconds = int(value.total_seconds())
    if seconds <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _from_config(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DurationError(f"expected a duration such as {EXAMPLES}, got {value!r}")
    if isinstance(value, int):
        raise DurationError(f"{value} has no unit: write e.g. {value}s or {value}m")
    return parse_duration(value)


Duration = Annotated[
    timedelta,
    BeforeValidator(_from_config),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PATTERN, "examples": ["30s", "10m", "2h", "7d"]}),
]

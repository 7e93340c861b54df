"""Checked reading of one log line or export entry: JSON, times, ids; one bad entry stays local."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import utc
from bot.events import Event

__all__ = ["AHEAD", "EARLIEST", "Bad", "Malformed", "Read", "entry", "event_id", "loads",
           "need", "platform_id", "qualified", "when"]

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # no platform message is older than Unix time
AHEAD = timedelta(days=1)  # an event later than now plus this cannot have happened yet
MAX_ID_DIGITS = 20  # Discord snowflakes and Telegram ids fit in 64 bits
MAX_ID_LENGTH = 200
MAX_JSON_DIGITS = 4000  # longer JSON integers are kept unread instead of failing the file


class Bad(ValueError):
    """A field is missing, of the wrong kind, or out of range."""


@dataclass(frozen=True, slots=True)
class Malformed:
    """An entry that could not be turned into an event, and where it is."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Read:
    """An event and where it came from (`line 12`, `message 3`).

    `moved_from` is the event's own time when it was out of order and replayed at the clock's.
    """

    where: str
    event: Event
    moved_from: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Huge:
    """A JSON integer too long to read: no field accepts it."""

    digits: int


def _int(text: str) -> int | _Huge:
    return _Huge(len(text.lstrip("-"))) if len(text) > MAX_JSON_DIGITS else int(text)


def loads(text: str | bytes) -> Any:
    """JSON where an integer of thousands of digits is a bad value, not a failed document."""
    return json.loads(text, parse_int=_int)


def _kind_name(value: Any) -> str:
    if isinstance(value, _Huge):
        return f"a {value.digits}-digit number"
    return type(value).__name__


def need(data: dict[str, Any], key: str, kind: type | tuple[type, ...] = str) -> Any:
    """`data[key]`, which must be present and of `kind`."""
    if key not in data or data[key] is None:
        raise Bad(f"missing {key!r}")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise Bad(f"{key!r} should be a {names}, got {_kind_name(value)}")
    return value


def when(value: Any, key: str = "ts") -> datetime:
    """An ISO-8601 time or a Unix timestamp, as an aware UTC datetime that Python can hold."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Bad(f"{key!r} should be an ISO-8601 time, got {_kind_name(value)}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise Bad(f"{key!r}: {value!r} is not a time")
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise Bad(f"{key!r}: {value!r} is out of range for a time") from None
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (OverflowError, ValueError):
        raise Bad(f"{key!r}: {value[:40]!r} is not an ISO-8601 time") from None


def platform_id(value: Any, key: str) -> str:
    """A numeric platform id (Discord snowflake, Telegram id), given as a number or digits."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Bad(f"{key!r} should be a numeric id, got {_kind_name(value)}")
    text = str(value) if isinstance(value, int) else value.strip()
    digits = text.removeprefix("-")
    if not digits.isdigit() or not digits.isascii():
        raise Bad(f"{key!r} should be a numeric id, got {text[:40]!r}")
    if len(digits) > MAX_ID_DIGITS:
        raise Bad(f"{key!r}: a {len(digits)}-digit number is too large for an id")
    return text


def event_id(value: Any, key: str = "id") -> str:
    """An event's id: a string or a number of at most 20 digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return platform_id(value, key)
    if not isinstance(value, str) or not value:
        raise Bad(f"{key!r} should be a string, got {_kind_name(value)}")
    if len(value) > MAX_ID_LENGTH:
        raise Bad(f"{key!r} is {len(value)} characters long (at most {MAX_ID_LENGTH})")
    return value


def qualified(value: Any, key: str) -> str:
    """A platform-qualified id such as `discord:123` (a numeric part must fit an id)."""
    if not isinstance(value, str) or ":" not in value or value.startswith(":"):
        shown = value[:40] if isinstance(value, str) else _kind_name(value)
        raise Bad(f"{key!r} should be a platform-qualified id such as discord:123, got {shown!r}")
    if len(value) > MAX_ID_LENGTH:
        raise Bad(f"{key!r} is {len(value)} characters long (at most {MAX_ID_LENGTH})")
    rest = value.rsplit(":", 1)[1]
    if rest.removeprefix("-").isdigit():
        platform_id(rest, key)
    return value


def _reason(exc: Exception) -> str:
    if isinstance(exc, Bad):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"unreadable ({type(exc).__name__}: {exc})"


def entry(where: str, build: Callable[[], Event | None], latest: datetime
          ) -> Read | Malformed | None:
    """Build one event; whatever is wrong with it is a Malformed entry, never an exception."""
    try:
        event = build()
    except Exception as exc:  # one bad entry must never stop the replay of the others
        return Malformed(where, _reason(exc))
    if event is None:
        return None
    if event.ts > latest:
        return Malformed(where, f"dated {event.ts:%Y-%m-%d %H:%M:%S}, which is in the future")
    if event.ts < EARLIEST:
        return Malformed(where, f"dated {event.ts:%Y-%m-%d %H:%M:%S}, before any platform "
                                "existed")
    return Read(where, event)

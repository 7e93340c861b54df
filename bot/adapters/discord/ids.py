"""Discord ids as Vigie writes them: `discord:<snowflake>` for guilds, channels, users, messages."""

from __future__ import annotations

__all__ = ["PLATFORM", "qualify", "snowflake"]

PLATFORM = "discord"
_PREFIX = f"{PLATFORM}:"
_MAX_SNOWFLAKE = 2**64 - 1


def qualify(snowflake_id: int) -> str:
    """`123` -> `discord:123`."""
    return f"{_PREFIX}{snowflake_id}"


def snowflake(qualified: str) -> int | None:
    """`discord:123` -> 123; None for another platform's id or anything that is not a snowflake."""
    if not qualified.startswith(_PREFIX):
        return None
    rest = qualified[len(_PREFIX):]
    if not rest.isascii() or not rest.isdigit() or len(rest) > 20:
        return None
    value = int(rest)
    return value if 0 < value <= _MAX_SNOWFLAKE else None

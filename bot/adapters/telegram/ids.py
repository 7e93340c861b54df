"""Telegram ids: `telegram:<chat>`, `telegram:<user>`, `telegram:<chat>:<message>`."""

from __future__ import annotations

__all__ = ["PLATFORM", "chat_id", "message_ref", "qualify", "user_id"]

PLATFORM = "telegram"
_PREFIX = f"{PLATFORM}:"


def qualify(*parts: int) -> str:
    """`telegram:-100123` for a chat or user, `telegram:-100123:45` for a message."""
    return _PREFIX + ":".join(str(p) for p in parts)


def _number(text: str, what: str, value: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a Telegram {what} id "
                         f"(expected {_PREFIX}<number>)") from None


def chat_id(channel: str) -> int:
    """The chat number of a community or channel id; ValueError when it is not one."""
    if not channel.startswith(_PREFIX):
        raise ValueError(f"{channel!r} is not a Telegram chat (expected {_PREFIX}<chat id>)")
    return _number(channel[len(_PREFIX):], "chat", channel)


def user_id(user: str) -> int:
    """The user number of a member id; ValueError when it is not one."""
    if not user.startswith(_PREFIX):
        raise ValueError(f"{user!r} is not a Telegram member (expected {_PREFIX}<user id>)")
    return _number(user[len(_PREFIX):], "user", user)


def message_ref(message: str) -> tuple[int, int]:
    """(chat, message) numbers of `telegram:<chat>:<message>`; ValueError otherwise."""
    if not message.startswith(_PREFIX):
        raise ValueError(f"{message!r} is not a Telegram message "
                         f"(expected {_PREFIX}<chat id>:<message id>)")
    chat, sep, number = message[len(_PREFIX):].rpartition(":")
    if not sep or not chat:
        raise ValueError(f"{message!r} is not a Telegram message "
                         f"(expected {_PREFIX}<chat id>:<message id>)")
    return _number(chat, "chat", message), _number(number, "message", message)

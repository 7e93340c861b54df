"""Buttons that answer a numbered record (an alert, a warning): reading a click, answering it."""

from __future__ import annotations

from collections.abc import Container

from bot.actions import Reply
from bot.events import ButtonClicked
from bot.i18n import Msg

__all__ = ["numbered_click", "reply_to_click"]


def numbered_click(custom_id: str, prefix: str, kinds: Container[str]) -> tuple[str, int] | None:
    """`<prefix><kind>:<number>` as (kind, number) when `kind` is one of `kinds`, else None."""
    if not custom_id.startswith(prefix):
        return None
    kind, _, number = custom_id.removeprefix(prefix).partition(":")
    if kind not in kinds or not number.isdigit():
        return None
    return kind, int(number)


def reply_to_click(event: ButtonClicked, key: str, **params: object) -> Reply:
    """A reply under the message whose button was pressed."""
    return Reply(channel=event.channel, message_id=event.message_id, text=Msg.of(key, **params))

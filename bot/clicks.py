"""Buttons that answer a numbered record (an alert, a warning): reading a click, answering it."""

from __future__ import annotations

from collections.abc import Container

from bot.actions import Reply
from bot.events import ButtonClicked
from bot.i18n import Msg

__all__ = ["numbered_click", "reply_to_click", "scoped", "unscoped"]

SCOPE = "@"


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


def scoped(custom_id: str, community: str) -> str:
    """A button id for a private message: it names its community (`<id>@<native id>`), since a
    click in a private chat has none; adapters read it back with `unscoped`."""
    return f"{custom_id}{SCOPE}{community.partition(':')[2]}"


def unscoped(custom_id: str) -> tuple[str, str] | None:
    """(`custom_id`, native community id) of a scoped button id; None if it is not one."""
    base, sep, native = custom_id.rpartition(SCOPE)
    if not sep or not base or not native.lstrip("-").isdigit():
        return None
    return base, native

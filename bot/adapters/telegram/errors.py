"""Telegram's refusals and failures turned into messages a CM can act on (which right to grant)."""

from __future__ import annotations

import re

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.adapters.base import AdapterError
from bot.i18n import Msg
from bot.logs import redact

__all__ = ["RIGHTS", "TelegramStartError", "explain", "retry_seconds"]

# The admin right (as the Telegram apps name it) each method needs from Vigie.
RIGHTS = {
    "restrictChatMember": "ban", "banChatMember": "ban", "unbanChatMember": "ban",
    "banChatSenderChat": "ban", "unbanChatSenderChat": "ban", "setChatPermissions": "ban",
    "deleteMessage": "delete", "deleteMessages": "delete",
    "pinChatMessage": "pin", "unpinChatMessage": "pin",
}
_RIGHTS_TEXT = ("not enough rights", "chat_admin_required", "need administrator rights",
                "have no rights", "not an administrator")
_SERVER_ERROR = re.compile(r"\(5\d\d\)|bad gateway|internal server error|service unavailable",
                           re.IGNORECASE)
MAX_DETAIL = 300


class TelegramStartError(AdapterError):
    """The adapter could not start (bad token, Telegram unreachable); the message says why."""


def retry_seconds(exc: RetryAfter) -> int:
    """How long Telegram asked to wait, in whole seconds (PTB gives int or timedelta)."""
    return max(1, round(exc._retry_after.total_seconds()))


def _detail(exc: BaseException) -> str:
    text = redact(str(exc) or type(exc).__name__)
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 1] + "…"


def explain(exc: TelegramError, method: str, member: str = "") -> Msg:
    """What went wrong, for people: the catalog message that explains `exc` raised by `method`."""
    text = (exc.message if isinstance(exc, TelegramError) else str(exc)).lower()
    if isinstance(exc, RetryAfter):
        return Msg.of("telegram.error.rate_limited", seconds=retry_seconds(exc))
    if isinstance(exc, ChatMigrated):
        return Msg.of("telegram.error.migrated", chat=exc.new_chat_id)
    if isinstance(exc, InvalidToken):
        return Msg.of("telegram.error.token")
    if isinstance(exc, Conflict):
        return Msg.of("telegram.error.conflict")
    if isinstance(exc, Forbidden):
        return _forbidden(text, exc, method, member)
    if isinstance(exc, BadRequest):
        return _bad_request(text, exc, method)
    if isinstance(exc, TimedOut):
        return Msg.of("telegram.error.unreachable", detail=_detail(exc))
    if isinstance(exc, NetworkError):
        key = "telegram.error.server" if _SERVER_ERROR.search(text) else \
            "telegram.error.unreachable"
        return Msg.of(key, detail=_detail(exc))
    return Msg.of("telegram.error.refused", detail=_detail(exc))


def _forbidden(text: str, exc: TelegramError, method: str, member: str) -> Msg:
    if "can't initiate conversation" in text or "bot can't send messages to bots" in text:
        return Msg.of("telegram.error.dm_not_started", member=member or "?")
    if "blocked by the user" in text or "user is deactivated" in text:
        return Msg.of("telegram.error.dm_blocked", member=member or "?")
    if "kicked" in text or "not a member" in text or "bot was removed" in text:
        return Msg.of("telegram.error.kicked")
    if any(t in text for t in _RIGHTS_TEXT) and method in RIGHTS:
        return Msg.of("telegram.error.rights", right=Msg.of(f"telegram.right.{RIGHTS[method]}"))
    if "send messages" in text or method == "sendMessage":
        return Msg.of("telegram.error.cannot_send", detail=_detail(exc))
    return Msg.of("telegram.error.refused", detail=_detail(exc))


def _bad_request(text: str, exc: TelegramError, method: str) -> Msg:
    if "message to delete not found" in text:
        return Msg.of("telegram.error.message_gone")
    if "message can't be deleted" in text:
        return Msg.of("telegram.error.message_undeletable")
    if "available only for supergroups" in text:
        return Msg.of("telegram.error.supergroup_only")
    if ("administrator of the chat" in text or "chat owner" in text
            or "user_admin_invalid" in text or "can't restrict self" in text):
        return Msg.of("telegram.error.target_admin")
    if any(t in text for t in _RIGHTS_TEXT):
        if method in RIGHTS:
            return Msg.of("telegram.error.rights",
                          right=Msg.of(f"telegram.right.{RIGHTS[method]}"))
        return Msg.of("telegram.error.cannot_send", detail=_detail(exc))
    if "chat not found" in text:
        return Msg.of("telegram.error.chat_not_found")
    if "user not found" in text or "participant_id_invalid" in text or "invalid user_id" in text:
        return Msg.of("telegram.error.user_not_found")
    if "chat_write_forbidden" in text or "not enough rights to send" in text:
        return Msg.of("telegram.error.cannot_send", detail=_detail(exc))
    return Msg.of("telegram.error.refused", detail=_detail(exc))

"""Sanctions an administrator applied in Telegram itself, read from `chat_member` updates."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import ChatMember, ChatMemberUpdated
from telegram.constants import ChatMemberStatus, ChatType

from bot.adapters.telegram.ids import qualify
from bot.events import PlatformSanction, User

__all__ = ["seen_sanction"]

_GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
_IN = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR,
                 ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED})


def _muted(member: ChatMember) -> bool:
    return member.status == ChatMemberStatus.RESTRICTED and \
        not getattr(member, "can_send_messages", True)


def _until(member: ChatMember) -> datetime | None:
    """The end of a ban or restriction; None when it is for good (Telegram's 0)."""
    until = getattr(member, "until_date", None)
    if not isinstance(until, datetime) or until.year < 2000:
        return None
    return until.replace(tzinfo=UTC) if until.tzinfo is None else until.astimezone(UTC)


def _kind(change: ChatMemberUpdated) -> str | None:
    old, new = change.old_chat_member, change.new_chat_member
    if new.status == ChatMemberStatus.BANNED and old.status != ChatMemberStatus.BANNED:
        return "ban"
    if old.status == ChatMemberStatus.BANNED and new.status != ChatMemberStatus.BANNED:
        return "unban"
    if new.status == ChatMemberStatus.LEFT and old.status in _IN \
            and change.from_user.id != new.user.id:
        return "kick"  # removed by an administrator without a ban
    if _muted(new) and (not _muted(old) or _until(old) != _until(new)):
        return "timeout"
    if _muted(old) and not _muted(new) and new.status != ChatMemberStatus.BANNED:
        return "untimeout"
    return None


def seen_sanction(change: ChatMemberUpdated, me: int | None) -> list[PlatformSanction]:
    """The sanction an update records, if an administrator (or Vigie) applied one."""
    if change.chat.type not in _GROUPS or change.from_user is None:
        return []
    kind = _kind(change)
    if kind is None or change.from_user.id == change.new_chat_member.user.id \
            or change.new_chat_member.user.id == me:
        return []
    target, actor = change.new_chat_member.user, change.from_user
    when = change.date.replace(tzinfo=UTC) if change.date.tzinfo is None \
        else change.date.astimezone(UTC)
    chat = qualify(change.chat.id)
    return [PlatformSanction(
        id=f"{chat}:member:{target.id}:{kind}:{int(when.timestamp())}", ts=when, community=chat,
        action=kind,
        target=User(id=qualify(target.id), name=target.username or target.full_name,
                    is_bot=target.is_bot),
        actor=User(id=qualify(actor.id), name=actor.username or actor.full_name,
                   is_bot=actor.is_bot),
        until=_until(change.new_chat_member) if kind in ("ban", "timeout") else None,
        by_bot=me is not None and actor.id == me)]

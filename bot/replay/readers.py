"""Read past events: Vigie's JSONL event log, Telegram Desktop and DiscordChatExporter exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import utc
from bot.events import (
    Attachment,
    Event,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    User,
)
from bot.permissions import Role

__all__ = ["FORMATS", "Malformed", "Read", "ReplayInputError", "detect_format", "read_events"]

FORMATS = ("auto", "jsonl", "telegram", "discord")


class ReplayInputError(Exception):
    """The input cannot be read at all (missing file, not JSON, unknown format)."""


@dataclass(frozen=True, slots=True)
class Malformed:
    """An entry that could not be turned into an event, and where it is."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Read:
    """An event and where it came from (`line 12`, `message 3`)."""

    where: str
    event: Event


Item = Read | Malformed


class _Bad(ValueError):
    """A field is missing or of the wrong kind."""


def _need(data: dict[str, Any], key: str, kind: type | tuple[type, ...] = str) -> Any:
    if key not in data or data[key] is None:
        raise _Bad(f"missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _Bad(f"{key!r} should be a {names}, got {type(value).__name__}")
    return value


def _time(value: Any, key: str = "ts") -> datetime:
    if not isinstance(value, str | int | float):
        raise _Bad(f"{key!r} should be an ISO-8601 time")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise _Bad(f"{key!r}: {value!r} is not an ISO-8601 time") from None


def _qualified(value: Any, key: str) -> str:
    if not isinstance(value, str) or ":" not in value or value.startswith(":"):
        raise _Bad(f"{key!r} should be a platform-qualified id such as discord:123, "
                   f"got {value!r}")
    return value


# -- Vigie's event log ----------------------------------------------------------------------


def _user(data: Any, key: str) -> User:
    if isinstance(data, str):
        return User(id=_qualified(data, key), name=data.partition(":")[2])
    if not isinstance(data, dict):
        raise _Bad(f"{key!r} should be a user object")
    user_id = _qualified(_need(data, "id"), f"{key}.id")
    role_name = data.get("role", "member")
    try:
        role = Role.parse(str(role_name))
    except ValueError:
        raise _Bad(f"{key}.role: {role_name!r} is not member, cm or admin") from None
    created = data.get("account_created_at")
    roles = data.get("roles") or ()
    if not isinstance(roles, list | tuple):
        raise _Bad(f"{key}.roles should be a list of role names or ids")
    return User(id=user_id, name=str(data.get("name") or user_id.partition(":")[2]), role=role,
                language=data.get("language"), is_bot=bool(data.get("is_bot", False)),
                account_created_at=_time(created, f"{key}.account_created_at")
                if created else None, platform_roles=tuple(str(r) for r in roles))


def _attachment(data: Any) -> Attachment:
    if isinstance(data, str):
        return Attachment(filename=data)
    if not isinstance(data, dict):
        raise _Bad("an attachment should be a file name or an object")
    return Attachment(filename=str(data.get("filename") or "file"),
                      content_type=data.get("content_type"), size=int(data.get("size") or 0),
                      url=data.get("url"))


def log_event(data: Any) -> Event:
    """One object of the event log as an event; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise _Bad("expected a JSON object")
    kind = _need(data, "type")
    base: dict[str, Any] = {"id": str(_need(data, "id", (str, int))), "ts": _time(data.get("ts")),
            "community": _qualified(data.get("community"), "community")}
    if kind in ("message", "edit"):
        mentions = data.get("mentions") or []
        attachments = data.get("attachments") or []
        if not isinstance(mentions, list) or not isinstance(attachments, list):
            raise _Bad("'mentions' and 'attachments' should be lists")
        reply_author = data.get("reply_to_author")
        cls = MessageCreated if kind == "message" else MessageEdited
        return cls(**base, channel=_qualified(data.get("channel"), "channel"),
                   author=_user(data.get("author"), "author"),
                   text=str(_need(data, "text") if "text" in data else ""),
                   reply_to=data.get("reply_to"),
                   reply_to_author=_user(reply_author, "reply_to_author")
                   if reply_author else None,
                   mentions=tuple(_user(m, "mentions") for m in mentions),
                   attachments=tuple(_attachment(a) for a in attachments))
    if kind in ("join", "leave"):
        cls_member = MemberJoined if kind == "join" else MemberLeft
        return cls_member(**base, user=_user(data.get("user"), "user"))
    if kind == "delete":
        return MessageDeleted(**base, channel=_qualified(data.get("channel"), "channel"),
                              message_id=str(_need(data, "message_id", (str, int))))
    raise _Bad(f"unknown type {kind!r} (message, edit, join, leave, delete)")


def _jsonl(path: Path) -> Iterator[Item]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                yield Read(where, log_event(json.loads(line)))
            except json.JSONDecodeError as exc:
                yield Malformed(where, f"not JSON: {exc.msg} at column {exc.colno}")
            except (ValueError, TypeError) as exc:
                yield Malformed(where, str(exc))


# -- Telegram Desktop's chat export (result.json) -------------------------------------------


def _telegram_chat(export: dict[str, Any]) -> str:
    chat_id = export.get("id")
    if not isinstance(chat_id, int):
        raise ReplayInputError("a Telegram export needs the chat's numeric `id`")
    kind = str(export.get("type", ""))
    if kind in ("private_supergroup", "public_supergroup", "private_channel",
                "public_channel"):
        return f"telegram:-100{abs(chat_id)}"
    if kind == "private_group":
        return f"telegram:-{abs(chat_id)}"
    return f"telegram:{chat_id}"


def _telegram_user(raw_id: Any, name: Any) -> User:
    text = str(raw_id or "")
    digits = text.removeprefix("user").removeprefix("channel")
    if not digits.lstrip("-").isdigit():
        raise _Bad("missing or unreadable 'from_id'")
    prefix = "-100" if text.startswith("channel") else ""
    return User(id=f"telegram:{prefix}{digits}", name=str(name or digits))


def _telegram_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", ""))
                       for p in value if isinstance(p, str | dict))
    raise _Bad("'text' should be a string or a list of text parts")


def _telegram_time(message: dict[str, Any]) -> datetime:
    if message.get("date_unixtime") is not None:
        return datetime.fromtimestamp(int(message["date_unixtime"]), UTC)
    return _time(message.get("date"), "date")


def telegram_event(message: Any, community: str) -> Event | None:
    """One message of a Telegram export as an event (None for service messages we ignore)."""
    if not isinstance(message, dict):
        raise _Bad("expected a JSON object")
    message_id = f"{community}:{_need(message, 'id', int)}"
    ts = _telegram_time(message)
    if message.get("type") == "service":
        if message.get("action") in ("join_group_by_link", "join_group_by_request"):
            return MemberJoined(id=message_id, ts=ts, community=community,
                                user=_telegram_user(message.get("actor_id"),
                                                    message.get("actor")))
        return None
    author = _telegram_user(message.get("from_id"), message.get("from"))
    mentions = tuple(User(id=f"telegram:{e['user_id']}", name=str(e.get("text", "")))
                     for e in message.get("text_entities") or ()
                     if isinstance(e, dict) and e.get("type") == "mention_name"
                     and e.get("user_id"))
    attachments = []
    if message.get("photo"):
        attachments.append(Attachment(filename=str(message["photo"]), content_type="image/jpeg"))
    if message.get("file"):
        attachments.append(Attachment(filename=str(message["file"]),
                                      content_type=message.get("mime_type")))
    reply = message.get("reply_to_message_id")
    return MessageCreated(id=message_id, ts=ts, community=community, channel=community,
                          author=author, text=_telegram_text(message.get("text", "")),
                          reply_to=f"{community}:{reply}" if reply else None,
                          mentions=mentions, attachments=tuple(attachments))


# -- DiscordChatExporter's JSON export ------------------------------------------------------


def _discord_user(data: Any, key: str) -> User:
    if not isinstance(data, dict):
        raise _Bad(f"{key!r} should be a user object")
    user_id = str(_need(data, "id", (str, int)))
    roles = tuple(str(r.get("name") or r.get("id")) for r in data.get("roles") or ()
                  if isinstance(r, dict))
    return User(id=f"discord:{user_id}", name=str(data.get("nickname") or data.get("name")
                                                    or user_id),
                is_bot=bool(data.get("isBot", False)), platform_roles=roles)


def discord_event(message: Any, community: str, channel: str) -> Event | None:
    """One message of a DiscordChatExporter export as an event."""
    if not isinstance(message, dict):
        raise _Bad("expected a JSON object")
    base: dict[str, Any] = {"id": f"discord:{_need(message, 'id', (str, int))}",
            "ts": _time(message.get("timestamp"), "timestamp"), "community": community}
    author = _discord_user(message.get("author"), "author")
    kind = message.get("type", "Default")
    if kind == "GuildMemberJoin":
        return MemberJoined(**base, user=author)
    if kind not in ("Default", "Reply"):
        return None
    reference = message.get("reference") or {}
    return MessageCreated(
        **base, channel=channel, author=author, text=str(message.get("content") or ""),
        reply_to=f"discord:{reference['messageId']}" if reference.get("messageId") else None,
        mentions=tuple(_discord_user(m, "mentions") for m in message.get("mentions") or ()),
        attachments=tuple(Attachment(filename=str(a.get("fileName") or "file"),
                                     size=int(a.get("fileSizeBytes") or 0), url=a.get("url"))
                          for a in message.get("attachments") or () if isinstance(a, dict)))


def _export(path: Path, kind: str) -> Iterator[Item]:
    try:
        export = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ReplayInputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise ReplayInputError(f"{path}: expected an export with a `messages` list")
    if kind == "telegram":
        community = _telegram_chat(export)
    else:
        guild, chan = export.get("guild") or {}, export.get("channel") or {}
        if not guild.get("id") or not chan.get("id"):
            raise ReplayInputError(f"{path}: a DiscordChatExporter export needs guild.id "
                                   "and channel.id")
        community, channel = f"discord:{guild['id']}", f"discord:{chan['id']}"
    for number, message in enumerate(export["messages"], 1):
        label = message.get("id") if isinstance(message, dict) else None
        where = f"message {number}" + (f" (id {label})" if label is not None else "")
        try:
            event = telegram_event(message, community) if kind == "telegram" \
                else discord_event(message, community, channel)
        except (ValueError, TypeError, KeyError) as exc:
            yield Malformed(where, str(exc))
            continue
        if event is not None:
            yield Read(where, event)


def detect_format(path: Path) -> str:
    """jsonl, telegram or discord, from the file's first line and keys."""
    with path.open("rb") as stream:
        first = stream.readline(1 << 20).strip()
        head = first + stream.read(4096)
    if not first.startswith(b"{"):
        return "jsonl"
    try:
        data = json.loads(first)
    except ValueError:
        data = None  # a pretty-printed export starts with a lone `{`
    if isinstance(data, dict) and not isinstance(data.get("messages"), list):
        return "jsonl"
    if isinstance(data, dict):
        return "discord" if "guild" in data else "telegram"
    return "discord" if b'"guild"' in head else "telegram"


def read_events(path: Path, kind: str = "auto") -> Iterator[Item]:
    """Events (and malformed entries) of a log or export, in file order."""
    if not path.is_file():
        raise ReplayInputError(f"{path}: no such file")
    if kind not in FORMATS:
        raise ReplayInputError(f"unknown input format {kind!r} ({', '.join(FORMATS)})")
    kind = detect_format(path) if kind == "auto" else kind
    return _jsonl(path) if kind == "jsonl" else _export(path, kind)

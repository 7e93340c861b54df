"""Chat exports people have: Telegram Desktop's result.json, DiscordChatExporter's JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bot.events import Attachment, Event, MemberJoined, MessageCreated, User
from bot.replay.fields import Bad, Malformed, Read, entry, loads, need, platform_id, when

__all__ = ["ReplayInputError", "discord_event", "read_export", "telegram_event", "whose"]


class ReplayInputError(Exception):
    """The input cannot be read at all (missing file, not JSON, unknown format)."""


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Bad(f"{key!r} should be a list")
    return value


# -- Telegram Desktop's chat export (result.json) -------------------------------------------


def _telegram_chat(export: dict[str, Any], where: str) -> str:
    chat_id = export.get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        raise ReplayInputError(f"{where}: a Telegram export needs the chat's numeric `id`")
    try:
        platform_id(chat_id, "id")
    except Bad as exc:
        raise ReplayInputError(f"{where}: {exc}") from None
    kind = str(export.get("type", ""))
    if kind in ("private_supergroup", "public_supergroup", "private_channel",
                "public_channel"):
        return f"telegram:-100{abs(chat_id)}"
    if kind == "private_group":
        return f"telegram:-{abs(chat_id)}"
    return f"telegram:{chat_id}"


def _telegram_user(raw_id: Any, name: Any, key: str) -> User:
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise Bad(f"missing or unreadable {key!r}")
    text = str(raw_id)
    digits = platform_id(text.removeprefix("user").removeprefix("channel"), key)
    prefix = "-100" if text.startswith("channel") else ""
    return User(id=f"telegram:{prefix}{digits}", name=str(name or digits))


def _telegram_part(part: Any) -> str:
    """A text part; a hidden link keeps its target, `[text](url)`, as the live adapter writes."""
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        raise Bad("'text' parts should be strings or objects")
    text = part.get("text", "")
    text = text if isinstance(text, str) else ""
    href = part.get("href")
    if part.get("type") == "text_link" and isinstance(href, str) and href:
        return f"[{text}]({href})"
    return text


def _telegram_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_telegram_part(p) for p in value)
    raise Bad("'text' should be a string or a list of text parts")


def _telegram_time(message: dict[str, Any]) -> datetime:
    unix = message.get("date_unixtime")
    if unix is None:
        return when(message.get("date"), "date")
    if isinstance(unix, str) and unix.isdigit() and len(unix) <= 12:
        unix = int(unix)
    if not isinstance(unix, int) or isinstance(unix, bool):
        raise Bad(f"'date_unixtime' should be a number of seconds, got {str(unix)[:40]!r}")
    return when(unix, "date_unixtime")


def telegram_event(message: Any, community: str) -> Event | None:
    """One message of a Telegram export as an event (None for service messages we ignore)."""
    if not isinstance(message, dict):
        raise Bad("expected a JSON object")
    message_id = f"{community}:{platform_id(need(message, 'id', int), 'id')}"
    ts = _telegram_time(message)
    if message.get("type") == "service":
        if message.get("action") in ("join_group_by_link", "join_group_by_request"):
            return MemberJoined(id=message_id, ts=ts, community=community,
                                user=_telegram_user(message.get("actor_id"),
                                                    message.get("actor"), "actor_id"))
        return None
    author = _telegram_user(message.get("from_id"), message.get("from"), "from_id")
    mentions = tuple(User(id=f"telegram:{platform_id(e['user_id'], 'user_id')}",
                          name=str(e.get("text", "")))
                     for e in _list(message, "text_entities")
                     if isinstance(e, dict) and e.get("type") == "mention_name"
                     and e.get("user_id"))
    attachments = []
    if message.get("photo"):
        attachments.append(Attachment(filename=str(message["photo"]), content_type="image/jpeg"))
    if message.get("file"):
        mime = message.get("mime_type")
        attachments.append(Attachment(filename=str(message["file"]),
                                      content_type=mime if isinstance(mime, str) else None))
    reply = message.get("reply_to_message_id")
    return MessageCreated(id=message_id, ts=ts, community=community, channel=community,
                          author=author, text=_telegram_text(message.get("text", "")),
                          reply_to=f"{community}:{platform_id(reply, 'reply_to_message_id')}"
                          if reply else None,
                          mentions=mentions, attachments=tuple(attachments))


# -- DiscordChatExporter's JSON export ------------------------------------------------------


def _discord_user(data: Any, key: str) -> User:
    if not isinstance(data, dict):
        raise Bad(f"{key!r} should be a user object")
    user_id = platform_id(need(data, "id", (str, int)), f"{key}.id")
    roles = tuple(str(r.get("name") or r.get("id")) for r in _list(data, "roles")
                  if isinstance(r, dict))
    return User(id=f"discord:{user_id}", name=str(data.get("nickname") or data.get("name")
                                                    or user_id),
                is_bot=bool(data.get("isBot", False)), platform_roles=roles)


def _discord_reply(message: dict[str, Any]) -> str | None:
    reference = message.get("reference")
    if reference is None:
        return None
    if not isinstance(reference, dict):
        raise Bad(f"'reference' should be an object with a messageId, "
                  f"got {type(reference).__name__}")
    target = reference.get("messageId")
    return f"discord:{platform_id(target, 'reference.messageId')}" if target else None


def _discord_attachment(data: dict[str, Any]) -> Attachment:
    size = data.get("fileSizeBytes") or 0
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 1 << 63:
        raise Bad("an attachment's 'fileSizeBytes' should be a number of bytes")
    url = data.get("url")
    return Attachment(filename=str(data.get("fileName") or "file"), size=size,
                      url=url if isinstance(url, str) else None)


def discord_event(message: Any, community: str, channel: str) -> Event | None:
    """One message of a DiscordChatExporter export as an event."""
    if not isinstance(message, dict):
        raise Bad("expected a JSON object")
    base: dict[str, Any] = {
        "id": f"discord:{platform_id(need(message, 'id', (str, int)), 'id')}",
        "ts": when(message.get("timestamp"), "timestamp"), "community": community}
    author = _discord_user(message.get("author"), "author")
    kind = message.get("type", "Default")
    if kind == "GuildMemberJoin":
        return MemberJoined(**base, user=author)
    if kind not in ("Default", "Reply"):
        return None
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise Bad(f"'content' should be a string, got {type(content).__name__}")
    return MessageCreated(
        **base, channel=channel, author=author, text=content or "",
        reply_to=_discord_reply(message),
        mentions=tuple(_discord_user(m, "mentions") for m in _list(message, "mentions")),
        attachments=tuple(_discord_attachment(a) for a in _list(message, "attachments")
                          if isinstance(a, dict)))


def _line_of(text: str, key: str) -> str:
    found = re.search(rf'"{key}"\s*:', text)
    return f"line {text.count(chr(10), 0, found.start()) + 1}: " if found else ""


def _discord_place(export: dict[str, Any], text: str, path: Path) -> tuple[str, str]:
    """The guild and channel of a DiscordChatExporter export, as qualified ids."""
    found = []
    for key in ("guild", "channel"):
        value = export.get(key)
        try:
            if not isinstance(value, dict):
                raise Bad(f"`{key}` should be an object with an `id`, got "
                          f"{type(value).__name__ if value is not None else 'nothing'}")
            found.append(f"discord:{platform_id(value.get('id'), f'{key}.id')}")
        except Bad as exc:
            raise ReplayInputError(f"{path}: {_line_of(text, key)}{exc} (a "
                                   "DiscordChatExporter export names its guild and channel)"
                                   ) from None
    return found[0], found[1]


# -- reading an export ----------------------------------------------------------------------


def whose(export: dict[str, Any]) -> str | None:
    """`telegram` or `discord` from the export's shape (its fields, never the names in it)."""
    for message in export.get("messages") or ():
        if not isinstance(message, dict):
            continue
        if "timestamp" in message or isinstance(message.get("author"), dict):
            return "discord"
        if {"date", "date_unixtime", "from_id", "actor_id"} & message.keys():
            return "telegram"
    if isinstance(export.get("guild"), dict):
        return "discord"
    if isinstance(export.get("id"), int) and isinstance(export.get("type"), str):
        return "telegram"
    return None


def read_export(path: Path, kind: str, latest: datetime) -> Iterator[Read | Malformed]:
    """The events of an export (`telegram`, `discord`, or `auto` to tell from its shape)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        export = loads(text)
    except json.JSONDecodeError as exc:
        raise ReplayInputError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise ReplayInputError(f"{path}: not JSON (nested too deeply)") from None
    except ValueError as exc:
        raise ReplayInputError(f"{path}: not JSON ({exc})") from None
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise ReplayInputError(f"{path}: expected an export with a `messages` list")
    if kind == "auto":
        found = whose(export)
        if found is None:
            raise ReplayInputError(f"{path}: neither a Telegram Desktop nor a "
                                   "DiscordChatExporter export (--input-format forces one)")
        kind = found
    build: Callable[[Any], Event | None]
    if kind == "telegram":
        build = partial(telegram_event, community=_telegram_chat(export, str(path)))
    else:
        community, channel = _discord_place(export, text, path)
        build = partial(discord_event, community=community, channel=channel)
    return _messages(export["messages"], build, latest)


def _messages(messages: list[Any], build: Callable[[Any], Event | None],
              latest: datetime) -> Iterator[Read | Malformed]:
    for number, message in enumerate(messages, 1):
        label = message.get("id") if isinstance(message, dict) else None
        shown = f" (id {label})" if isinstance(label, str | int) and len(str(label)) <= 30 \
            else ""
        item = entry(f"message {number}{shown}", partial(build, message), latest)
        if item is not None:
            yield item

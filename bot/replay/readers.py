"""Read past events: Vigie's JSONL event log, Telegram Desktop and DiscordChatExporter exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bot.events import (
    Attachment,
    Event,
    JoinRequested,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    ThreadCreated,
    User,
)
from bot.permissions import Role
from bot.replay.exports import ReplayInputError, read_export
from bot.replay.fields import (
    AHEAD,
    Bad,
    Malformed,
    Read,
    entry,
    event_id,
    loads,
    need,
    qualified,
    when,
)

__all__ = ["FORMATS", "Item", "Malformed", "Read", "ReplayInputError", "detect_format",
           "log_event", "read_events"]

FORMATS = ("auto", "jsonl", "telegram", "discord")
SNIFF_LINES = 20  # lines looked at to tell a JSONL log from a pretty-printed export

Item = Read | Malformed


# -- Vigie's event log ----------------------------------------------------------------------


def _user(data: Any, key: str) -> User:
    if isinstance(data, str):
        return User(id=qualified(data, key), name=data.partition(":")[2])
    if not isinstance(data, dict):
        raise Bad(f"{key!r} should be a user object")
    user_id = qualified(need(data, "id"), f"{key}.id")
    role_name = data.get("role", "member")
    try:
        role = Role.parse(str(role_name))
    except ValueError:
        raise Bad(f"{key}.role: {role_name!r} is not member, cm or admin") from None
    created = data.get("account_created_at")
    roles = data.get("roles") or ()
    if not isinstance(roles, list | tuple):
        raise Bad(f"{key}.roles should be a list of role names or ids")
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise Bad(f"{key}.language should be a language code such as fr")
    return User(id=user_id, name=str(data.get("name") or user_id.partition(":")[2]), role=role,
                language=language, is_bot=bool(data.get("is_bot", False)),
                account_created_at=when(created, f"{key}.account_created_at")
                if created else None, platform_roles=tuple(str(r) for r in roles))


def _attachment(data: Any) -> Attachment:
    if isinstance(data, str):
        return Attachment(filename=data)
    if not isinstance(data, dict):
        raise Bad("an attachment should be a file name or an object")
    size = data.get("size") or 0
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 1 << 63:
        raise Bad("an attachment's 'size' should be a number of bytes")
    return Attachment(filename=str(data.get("filename") or "file"),
                      content_type=data.get("content_type"), size=size, url=data.get("url"))


def _reference(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None or value == "" else event_id(value, key)


def log_event(data: Any) -> Event:
    """One object of the event log as an event; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise Bad("expected a JSON object")
    kind = need(data, "type")
    base: dict[str, Any] = {"id": event_id(need(data, "id", (str, int))),
                            "ts": when(data.get("ts")),
                            "community": qualified(data.get("community"), "community")}
    if kind in ("message", "edit"):
        mentions = data.get("mentions") or []
        attachments = data.get("attachments") or []
        if not isinstance(mentions, list) or not isinstance(attachments, list):
            raise Bad("'mentions' and 'attachments' should be lists")
        reply_author = data.get("reply_to_author")
        cls = MessageCreated if kind == "message" else MessageEdited
        return cls(**base, channel=qualified(data.get("channel"), "channel"),
                   author=_user(data.get("author"), "author"),
                   text=need(data, "text") if "text" in data else "",
                   reply_to=_reference(data, "reply_to"),
                   reply_to_author=_user(reply_author, "reply_to_author")
                   if reply_author else None,
                   mentions=tuple(_user(m, "mentions") for m in mentions),
                   attachments=tuple(_attachment(a) for a in attachments))
    if kind in ("join", "leave"):
        cls_member = MemberJoined if kind == "join" else MemberLeft
        return cls_member(**base, user=_user(data.get("user"), "user"))
    if kind == "join_request":
        return JoinRequested(**base, user=_user(data.get("user"), "user"))
    if kind == "thread":
        author = data.get("author")
        return ThreadCreated(**base, channel=qualified(data.get("channel"), "channel"),
                             parent=qualified(data.get("parent"), "parent"),
                             author=_user(author, "author") if author else None,
                             name=str(data.get("name") or ""))
    if kind == "delete":
        return MessageDeleted(**base, channel=qualified(data.get("channel"), "channel"),
                              message_id=event_id(need(data, "message_id", (str, int)),
                                                  "message_id"))
    raise Bad(f"unknown type {kind!r} (message, edit, join, join_request, leave, delete, thread)")


def _jsonl(path: Path, latest: datetime) -> Iterator[Item]:
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = loads(line)
            except json.JSONDecodeError as exc:
                yield Malformed(f"line {number}", f"not JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield Malformed(f"line {number}", "not JSON: nested too deeply")
                continue
            except ValueError as exc:
                yield Malformed(f"line {number}", f"not JSON: {exc}")
                continue
            item = entry(f"line {number}", partial(log_event, data), latest)
            if item is not None:
                yield item


# -- telling the formats apart --------------------------------------------------------------


def _is_object_line(line: bytes) -> bool:
    try:
        data = loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and bool(data)


def detect_format(path: Path) -> str:
    """`jsonl`, or `export` for a single JSON document (its structure says whose export)."""
    with path.open("rb") as stream:
        lines = [stream.readline(1 << 20).strip() for _ in range(SNIFF_LINES)]
    lines = [line for line in lines if line]
    if not lines or not lines[0].startswith(b"{"):
        return "jsonl"
    try:
        first = loads(lines[0])
    except (ValueError, RecursionError):
        first = None
    if isinstance(first, dict):
        return "export" if isinstance(first.get("messages"), list) else "jsonl"
    # The first line is not a whole object: a pretty-printed export, or a log whose first
    # line is broken (then the lines after it are whole objects).
    if len(lines) == 1 or any(_is_object_line(line) for line in lines[1:]):
        return "jsonl"
    return "export"


def read_events(path: Path, kind: str = "auto", now: datetime | None = None) -> Iterator[Item]:
    """Events (and malformed entries) of a log or export, in file order.

    An event dated more than a day after `now` (default: the machine's time) is malformed.
    """
    if not path.is_file():
        raise ReplayInputError(f"{path}: no such file")
    if kind not in FORMATS:
        raise ReplayInputError(f"unknown input format {kind!r} ({', '.join(FORMATS)})")
    latest = (now or datetime.now(UTC)) + AHEAD
    if kind == "auto":
        kind = "auto" if detect_format(path) == "export" else "jsonl"
    return _jsonl(path, latest) if kind == "jsonl" else read_export(path, kind, latest)

"""Scheduled posts on Telegram: HTML parts (parse_mode HTML), link previews on or off, an image
as a photo with the first part as its caption when it fits, and the pin of a series moved along."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from telegram import InputFile, LinkPreviewOptions
from telegram.constants import ParseMode

from bot.adapters.base import ActionResult
from bot.adapters.telegram.ids import message_ref, qualify
from bot.adapters.telegram.outbound import CAPTION_LIMIT, MAX_TEXT, Outbound

__all__ = ["publish"]

log = logging.getLogger("vigie.telegram")


def _size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def publish(out: Outbound, channel: str, parts: Sequence[str], *, markup: str,
                  image: str, preview: bool, pin: bool, unpin: str) -> ActionResult:
    """sendPhoto (when an image is given) then sendMessage per part; the first message's id."""
    chat = out._chat(channel)
    if isinstance(chat, ActionResult):
        return chat
    if not parts or any(not p or _size(p) > MAX_TEXT for p in parts):
        return ActionResult.failed(f"a post part is empty or longer than {MAX_TEXT} characters")
    mode = ParseMode.HTML if markup == "html" else None
    previews = LinkPreviewOptions(is_disabled=not preview)
    rest = list(parts)
    first: int | None = None
    if image:
        caption = rest[0] if _size(rest[0]) <= CAPTION_LIMIT else None
        if caption is not None:
            rest.pop(0)
        if image.startswith(("http://", "https://")):
            photo: str | InputFile = image
        else:
            try:
                photo = InputFile(Path(image).read_bytes(), filename=Path(image).name)
            except OSError as exc:
                return ActionResult.failed(f"cannot read image {image}: {exc}")
        sent = await out.call("sendPhoto", out.bot.send_photo(
            chat, photo, caption=caption, parse_mode=mode), channel)
        if isinstance(sent, ActionResult):
            return sent
        first = sent.message_id
    for part in rest:
        sent = await out.call("sendMessage", out.bot.send_message(
            chat, part, parse_mode=mode, link_preview_options=previews), channel)
        if isinstance(sent, ActionResult):
            return sent
        first = first or sent.message_id
    assert first is not None
    notes = []
    if unpin:
        try:
            old_chat, old_id = message_ref(unpin)
        except ValueError:
            old_chat, old_id = chat, 0
        if old_chat == chat and old_id:
            done = await out.call("unpinChatMessage", out.bot.unpin_chat_message(
                chat, message_id=old_id), channel)
            if isinstance(done, ActionResult):
                notes.append(f"previous post not unpinned: {done.detail}")
    if pin:
        done = await out.call("pinChatMessage", out.bot.pin_chat_message(
            chat, first, disable_notification=True), channel)
        if isinstance(done, ActionResult):
            notes.append(f"not pinned: {done.detail}")
    return ActionResult.ok("; ".join(notes), message_id=qualify(chat, first))

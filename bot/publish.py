"""Running `Publish`: the post on its channel's adapter, and a receipt of how it went.

The receipt is written in the `kv` table (namespace `publish`, under the community whose job
asked for the post) before the platform is called (`pending`) and again once it answered (`ok`
with the message id, or `failed` with the reason). The job that asked reads it on its next run:
a post that is `ok` is never sent again, even if the process stopped right after sending.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.actions import Publish
from bot.adapters.base import ActionResult, Adapter
from bot.adapters.files import FileSender
from bot.adapters.publishing import Publisher
from bot.events import platform_of
from bot.i18n import Msg
from bot.kv import KeyValue

__all__ = ["RECEIPTS", "receipt_of", "run_publish"]

log = logging.getLogger("vigie.publish")
RECEIPTS = "publish"


def _explanation(result: ActionResult) -> list[Any] | None:
    """The people's explanation as [key, params] when it can be stored as JSON."""
    message = result.explanation
    if message is None:
        return None
    params = dict(message.params)
    if all(isinstance(v, str | int | float | bool) or v is None for v in params.values()):
        return [message.key, params]
    return [message.key, {k: str(v) for k, v in params.items()}]


async def receipt_of(kv: KeyValue, community: str, receipt: str) -> dict[str, Any] | None:
    """The stored receipt of a post, or None if it was never attempted."""
    found = await kv.get(community, receipt)
    return found if isinstance(found, dict) else None


async def _plain(adapter: Adapter, action: Publish) -> ActionResult:
    """Adapters without `publish`: the parts as messages (an image file first where it can)."""
    first: str | None = None
    parts = list(action.parts)
    if action.image and not action.image.startswith(("http://", "https://")) \
            and isinstance(adapter, FileSender):
        path = Path(action.image)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return ActionResult.failed(f"cannot read image {action.image}: {exc}")
        sent = await adapter.send_file(action.channel, path.name, data,
                                       caption=parts.pop(0) if parts else None)
        if not sent.succeeded:
            return sent
        first = sent.message_id
    elif action.image and parts:
        parts[-1] = f"{parts[-1]}\n{action.image}"
    for part in parts:
        sent = await adapter.send_message(action.channel, part)
        if not sent.succeeded:
            return sent
        first = first or sent.message_id
    return ActionResult.ok(message_id=first)


async def run_publish(adapters: Mapping[str, Adapter], kv: KeyValue, community: str,
                      action: Publish) -> ActionResult:
    """Post on the channel's adapter; with a receipt, record the attempt and its outcome."""
    if action.receipt:
        await kv.set(community, action.receipt, {"status": "pending"})
    adapter = adapters.get(platform_of(action.channel))
    if adapter is None:
        result = ActionResult.unsupported(f"no adapter runs for channel {action.channel}")
    elif action.community and not await adapter.owns_channel(action.community, action.channel):
        # failed, not unsupported: retried, as a cache still filling after a start says no
        result = ActionResult.failed(
            f"{action.channel} is not a channel of {action.community}",
            Msg.of("publish.foreign_channel", channel=action.channel,
                   community=action.community))
    elif isinstance(adapter, Publisher):
        result = await adapter.publish(action.channel, action.parts, markup=action.markup,
                                       image=action.image, preview=action.preview,
                                       pin=action.pin, unpin=action.unpin)
    else:
        result = await _plain(adapter, action)
    if action.receipt:
        await kv.set(community, action.receipt, {
            "status": result.status, "message_id": result.message_id, "detail": result.detail,
            "explanation": _explanation(result)})
    if not result.succeeded:
        log.warning("post not published channel=%s receipt=%s status=%s detail=%s",
                    action.channel, action.receipt, result.status, result.detail)
    return result

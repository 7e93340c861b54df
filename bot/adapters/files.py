"""Posting files: what an adapter that can post a file (a chart image) provides."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.adapters.base import ActionResult

__all__ = ["FileSender"]


@runtime_checkable
class FileSender(Protocol):
    """An adapter that posts files; the executor skips an `Upload` on one that does not."""

    async def send_file(self, channel: str, filename: str, data: bytes, *,
                        caption: str | None = None, reply_to: str | None = None
                        ) -> ActionResult:
        """Post `data` as `filename` in `channel`, with a caption, as a reply when asked."""
        ...

"""Adapters that post prepared announcements (scheduled posts): formatted parts, an image, a pin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from bot.adapters.base import ActionResult

__all__ = ["Publisher"]


@runtime_checkable
class Publisher(Protocol):
    """An adapter that posts `parts` (already written in its platform's `markup` and cut to its
    length limit) as consecutive messages; the first message's id comes back.

    `image` is a URL or a file path shown with the first part, `preview` switches link previews,
    `pin` pins the first message and `unpin` (a message id) is unpinned first. A failed pin does
    not fail the post: the result says so in its detail.
    """

    async def publish(self, channel: str, parts: Sequence[str], *, markup: str, image: str,
                      preview: bool, pin: bool, unpin: str) -> ActionResult:
        """Post the parts in `channel`."""
        ...

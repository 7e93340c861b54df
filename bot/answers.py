"""Answers to a command given from outside the chat (the dashboard): kept for the page, not
posted in the channel. Set per request (a contextvar), so concurrent events are unaffected."""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["ANSWERS"]

ANSWERS: ContextVar[list[str] | None] = ContextVar("vigie_answers", default=None)
"""When set, the executor appends the command's replies here instead of sending them."""

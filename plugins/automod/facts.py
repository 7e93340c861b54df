"""What a compiled trigger sees and says: the facts of one message, hits, nodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.events import MessageCreated
from bot.i18n import Msg
from bot.plugin import EventContext
from bot.text import NormalizedText

if TYPE_CHECKING:
    from plugins.automod.state import AutomodState

__all__ = ["Facts", "Hit", "Node"]


@dataclass(frozen=True, slots=True)
class Hit:
    """Why a trigger fired: evidence for people (a catalog message, rendered only when its rule
    fires), and other messages it concerns (copies)."""

    evidence: Msg
    related: tuple[tuple[str, str], ...] = ()


class Facts:
    """One message as the triggers see it; costly facts are computed once, on demand.

    (A plain class: built once per message, so its constructor is kept to assignments.)
    """

    __slots__ = ("cache", "ctx", "edited", "event", "fired", "now", "state", "text")

    def __init__(self, event: MessageCreated, ctx: EventContext, now: datetime, edited: bool,
                 state: AutomodState) -> None:
        self.event = event
        self.ctx = ctx
        self.now = now
        self.edited = edited
        self.state = state
        self.text: NormalizedText = ctx.normalized  # the message's, shared with other plugins
        self.fired: dict[int, Callable[[], Hit]] = {}  # shared-scan slot -> its first match
        self.cache: dict[str, Any] = {}  # facts computed once for every trigger


class Node:
    """A compiled trigger: `check` returns the hits when it holds, None when it does not.

    `gate` is the set of shared-scan slots of which one must have fired for the node to hold
    (None when the node can hold without any), so rules that cannot fire are not evaluated.
    """

    gate: frozenset[int] | None = None
    cost: int = 1

    def check(self, facts: Facts) -> list[Hit] | None:
        """Hits when the trigger holds for this message, else None."""
        raise NotImplementedError

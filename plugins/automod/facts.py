"""What a compiled trigger sees and says: the facts of one message, hits, nodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.events import MessageCreated
from bot.plugin import EventContext
from bot.text import NormalizedText

if TYPE_CHECKING:
    from plugins.automod.state import AutomodState

__all__ = ["Facts", "Hit", "Node"]


@dataclass(frozen=True, slots=True)
class Hit:
    """Why a trigger fired: evidence for people, and other messages it concerns (copies)."""

    evidence: str
    related: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Facts:
    """One message as the triggers see it; costly facts are computed once, on demand."""

    event: MessageCreated
    ctx: EventContext
    now: datetime
    edited: bool
    state: AutomodState
    text: NormalizedText = field(init=False)  # the message's, shared with every other plugin
    fired: dict[int, Callable[[], Hit]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text = self.ctx.normalized


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

"""Combining triggers: all of them, any of them, not this one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.automod.triggers.base import Facts, Hit, Node

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["AllNode", "AnyNode", "NotNode"]


class AllNode(Node):
    """Holds when every child holds; cheapest children are checked first."""

    def __init__(self, children: Sequence[Node]) -> None:
        self.children = sorted(children, key=lambda c: c.cost)
        gates = [c.gate for c in self.children if c.gate is not None]
        self.gate = min(gates, key=len) if gates else None
        self.cost = max(c.cost for c in self.children)

    def check(self, facts: Facts) -> list[Hit] | None:
        """Every child's hits, or None at the first child that does not hold."""
        hits: list[Hit] = []
        for child in self.children:
            found = child.check(facts)
            if found is None:
                return None
            hits.extend(found)
        return hits


class AnyNode(Node):
    """Holds when a child holds; the first one that does gives the evidence."""

    def __init__(self, children: Sequence[Node]) -> None:
        self.children = sorted(children, key=lambda c: c.cost)
        gates = [c.gate for c in self.children if c.gate is not None]
        self.gate = frozenset().union(*gates) if len(gates) == len(self.children) else None
        self.cost = max(c.cost for c in self.children)

    def check(self, facts: Facts) -> list[Hit] | None:
        """The first holding child's hits."""
        for child in self.children:
            found = child.check(facts)
            if found is not None:
                return found
        return None


class NotNode(Node):
    """Holds when its child does not (and has no evidence of its own)."""

    def __init__(self, child: Node) -> None:
        self.child = child
        self.cost = child.cost

    def check(self, facts: Facts) -> list[Hit] | None:
        """No hits, but holding, when the child does not hold."""
        return [] if self.child.check(facts) is None else None

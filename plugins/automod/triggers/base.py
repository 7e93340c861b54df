"""Trigger models: the registry of trigger types, and the base every trigger extends."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from bot.settings import StrictModel
from plugins.automod.facts import Facts, Hit, Node

if TYPE_CHECKING:
    from plugins.automod.matching import Compiler

__all__ = ["REGISTRY", "Facts", "Hit", "Node", "TriggerModel", "register"]


class TriggerModel(StrictModel):
    """Base of trigger configurations: validated at load, compiled once per settings."""

    kind: ClassVar[str] = ""
    on_edits: ClassVar[bool] = True

    def compile(self, compiler: Compiler) -> Node:
        """The node that checks this trigger."""
        raise NotImplementedError


REGISTRY: dict[str, type[TriggerModel]] = {}
T = TypeVar("T", bound=type[TriggerModel])


def register(kind: str) -> Callable[[T], T]:
    """Add a trigger model to the registry under its `type` name."""
    def add(model: T) -> T:
        if kind in REGISTRY:
            raise ValueError(f"trigger type {kind!r} registered twice")
        model.kind = kind
        REGISTRY[kind] = model
        return model
    return add

"""The trigger registry and the `trigger:` union: one registered model per type, plus logic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

from pydantic import BeforeValidator, Discriminator, Field, Tag, field_validator

from bot.settings import StrictModel
from bot.settings.explain import did_you_mean
from plugins.automod.triggers import content, links, rates, scanned
from plugins.automod.triggers.base import REGISTRY, Facts, Hit, Node, TriggerModel
from plugins.automod.triggers.logic import AllNode, AnyNode, NotNode

__all__ = ["REGISTRY", "AllOf", "AnyOf", "Facts", "Hit", "Node", "NotOf", "Trigger",
           "TriggerModel", "compile_trigger"]

_MODULES = (content, links, rates, scanned)
LOGIC = ("all", "any", "not")


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in LOGIC:
            if key in value:
                return key
        kind = value.get("type")
        return kind if isinstance(kind, str) else None
    if isinstance(value, AllOf):
        return "all"
    if isinstance(value, AnyOf):
        return "any"
    if isinstance(value, NotOf):
        return "not"
    return getattr(value, "kind", None)


def _known_type(value: Any) -> Any:
    """Explain a missing or unknown trigger type before the union tries every member."""
    if not isinstance(value, dict):
        if isinstance(value, str) and value in REGISTRY:
            raise ValueError(f"write a trigger as a mapping: {{type: {value}, ...}}")
        return value
    tag = _tag(value)
    if tag is None:
        raise ValueError("a trigger needs a `type` (one of: " + ", ".join(sorted(REGISTRY))
                         + ") or is all / any / not of other triggers")
    if tag not in REGISTRY and tag not in LOGIC:
        hint = did_you_mean(tag, [*REGISTRY, *LOGIC]) or \
            " (known: " + ", ".join(sorted(REGISTRY)) + ")"
        raise ValueError(f"unknown trigger type '{tag}'{hint}")
    return value


def _some(triggers: tuple[Any, ...]) -> tuple[Any, ...]:
    if not triggers:
        raise ValueError("list at least one trigger")
    return triggers


class AllOf(StrictModel):
    """Holds when every listed trigger holds."""

    all: tuple[Trigger, ...] = Field(description="Triggers that must all hold.")

    _some = field_validator("all")(_some)


class AnyOf(StrictModel):
    """Holds when at least one listed trigger holds."""

    any: tuple[Trigger, ...] = Field(description="Triggers of which one must hold.")

    _some = field_validator("any")(_some)


class NotOf(StrictModel):
    """Holds when the trigger does not."""

    model_config = StrictModel.model_config | {"populate_by_name": True}
    not_: Trigger = Field(alias="not", description="The trigger that must not hold.")


def _union() -> Any:
    members = [Annotated[model, Tag(kind)] for kind, model in sorted(REGISTRY.items())]
    members += [Annotated[AllOf, Tag("all")], Annotated[AnyOf, Tag("any")],
                Annotated[NotOf, Tag("not")]]
    return Annotated[Union[tuple(members)],  # noqa: UP007
                     Discriminator(_tag), BeforeValidator(_known_type)]


if TYPE_CHECKING:
    Trigger: TypeAlias = Any
else:
    Trigger = _union()
AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


def compile_trigger(trigger: Any, compiler: Any) -> Node:
    """The node of a trigger, logic included."""
    if isinstance(trigger, AllOf):
        return AllNode([compile_trigger(t, compiler) for t in trigger.all])
    if isinstance(trigger, AnyOf):
        return AnyNode([compile_trigger(t, compiler) for t in trigger.any])
    if isinstance(trigger, NotOf):
        return NotNode(compile_trigger(trigger.not_, compiler))
    assert isinstance(trigger, TriggerModel)
    return trigger.compile(compiler)

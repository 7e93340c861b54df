"""A list of items with ids in the rule file (FAQ entries, watched terms): each valid on its own,
no two with the same id, every problem named at its place."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError, ValidatorFunctionWrapHandler
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["unique_ids"]


def unique_ids(value: Any, handler: ValidatorFunctionWrapHandler, *, field: str, noun: str,
               limit: int) -> Any:
    """Validate the list with `handler`; an error on each item whose id an earlier item has,
    reported with the items' own errors (a wrap validator's body). `field` is also the plural
    of `noun` (entries, terms)."""
    if isinstance(value, list | tuple) and len(value) > limit:
        raise ValueError(f"at most {limit} {field}")
    details = _duplicates(value, noun)
    try:
        items = handler(value)
    except ValidationError as exc:
        details = [InitErrorDetails(type=e["type"], loc=tuple(e["loc"]), input=e["input"],
                                    ctx=e.get("ctx", {})) for e in exc.errors()] + details
        raise ValidationError.from_exception_data(field, details) from None
    if details:
        raise ValidationError.from_exception_data(field, details)
    return items


def _duplicates(value: Any, noun: str) -> list[InitErrorDetails]:
    """An error on each item whose id an earlier item has (checked even if others fail)."""
    if not isinstance(value, list | tuple):
        return []
    seen: dict[str, int] = {}
    details: list[InitErrorDetails] = []
    for index, item in enumerate(value):
        item_id = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
        if not isinstance(item_id, str):
            continue
        first = seen.setdefault(item_id, index)
        if first != index:
            details.append(InitErrorDetails(
                type=PydanticCustomError(
                    "value_error", f"duplicate {noun} id '{{id}}' ({noun} {{first}} has it "
                    "already)", {"id": item_id, "first": first + 1}),
                loc=(index, "id"), input=item_id))
    return details

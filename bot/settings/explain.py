"""Turn pydantic validation errors into plain messages, with "did you mean" for typos."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Union

from pydantic import BaseModel
from pydantic_core import ErrorDetails

__all__ = ["did_you_mean", "explain", "keys_at"]


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a choice is close to `word`, else empty."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _candidates(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found.extend(_candidates(arg))
        return found
    return [annotation]


def _step(annotation: Any, part: str | int) -> Any | None:
    for candidate in _candidates(annotation):
        origin = typing.get_origin(candidate)
        args = typing.get_args(candidate)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
        elif origin in (list, tuple, set, frozenset) and isinstance(part, int) and args:
            return args[0]
        elif origin is dict and len(args) == 2:
            return args[1]
    return None


def keys_at(annotation: Any, loc: tuple[str | int, ...]) -> list[str] | None:
    """The keys a mapping at `loc` accepts, when it is a model; unknown loc parts are skipped."""
    current = annotation
    for part in loc:
        following = _step(current, part)
        if following is not None:
            current = following
    for candidate in _candidates(current):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return [info.alias or name for name, info in candidate.model_fields.items()]
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def explain(error: ErrorDetails, model: Any) -> str:
    """One error as a sentence saying what was expected."""
    kind = error["type"]
    loc = tuple(error["loc"])
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = keys_at(model, loc[:-1]) or []
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = f" (expected one of: {', '.join(sorted(allowed))})"
        return f"unknown key '{key}'{hint}"
    if kind == "missing":
        return f"missing required key '{loc[-1]}'" if loc else "missing value"
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), [o for o in options if o])
        return f"expected {expected}, got {_show(value)}{hint}"
    message = error["msg"]
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind in ("tuple_type", "list_type", "set_type"):
        return f"expected a list, got {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {_show(value)}"
    if message.startswith("Input should be "):
        return f"expected {message.removeprefix('Input should be ')}, got {_show(value)}"
    return f"{message} (got {_show(value)})"

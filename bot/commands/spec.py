"""A command's declaration: name, minimum role, typed parameters read from the handler."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.commands.arguments import Count, Kind, kind_of, platform_limit_of
from bot.i18n import Catalog
from bot.permissions import Role

__all__ = ["CommandSpec", "Param", "command_spec"]


@dataclass(frozen=True, slots=True)
class Param:
    """One typed parameter of a command."""

    name: str
    kind: Kind
    required: bool
    default: Any = None
    bounds: Count | None = None
    limit: str | None = None  # a platform limit that bounds a duration (PlatformLimit)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """Everything the dispatcher, `help` and the platforms' command menus need to know."""

    name: str
    plugin: str
    min_role: Role
    params: tuple[Param, ...]
    aliases: tuple[str, ...] = ()
    handler_name: str = ""

    @property
    def summary_key(self) -> str:
        """Catalog key of the one-line description."""
        return f"command.{self.name}.summary"

    def usage(self, catalog: Catalog, lang: str, prefix: str = "!") -> str:
        """`!timeout <member> <duration> [reason]` in `lang`."""
        parts = [f"{prefix}{self.name}"]
        for param in self.params:
            label = catalog.render(f"arg.{param.name}", lang)
            parts.append(f"<{label}>" if param.required else f"[{label}]")
        return " ".join(parts)


def command_spec(func: Callable[..., Any], name: str, plugin: str, min_role: Role,
                 aliases: tuple[str, ...]) -> CommandSpec:
    """Read a handler's signature `(self, call, arg: Type = default, ...)` into a spec."""
    hints = typing.get_type_hints(func, include_extras=True)
    params = []
    signature = inspect.signature(func)
    for index, (pname, parameter) in enumerate(signature.parameters.items()):
        if index < 2:  # self, call
            continue
        kind, bounds = kind_of(hints[pname])
        required = parameter.default is inspect.Parameter.empty
        params.append(Param(pname, kind, required, None if required else parameter.default,
                            bounds, platform_limit_of(hints[pname])))
    kinds = [p.kind for p in params]
    if "rest" in kinds and kinds.index("rest") != len(kinds) - 1:
        raise TypeError(f"command {name}: a Rest parameter must come last")
    return CommandSpec(name, plugin, min_role, tuple(params), aliases, func.__name__)

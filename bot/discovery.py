"""Find plugins: every package in `plugins/`, and the `vigie.plugins` entry-point group."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from importlib.metadata import entry_points

from bot.plugin import Plugin

__all__ = ["PluginLoadError", "discover_plugins"]

log = logging.getLogger("vigie.plugins")
ENTRY_POINT_GROUP = "vigie.plugins"


class PluginLoadError(Exception):
    """A plugin could not be loaded."""


def _check(candidate: object, origin: str) -> type[Plugin]:
    if not (isinstance(candidate, type) and issubclass(candidate, Plugin) and candidate.name):
        raise PluginLoadError(f"{origin}: PLUGIN must be a Plugin subclass with a name")
    if not candidate.name.isidentifier():
        raise PluginLoadError(f"{origin}: plugin name {candidate.name!r} must be an identifier")
    return candidate


def discover_plugins(errors: list[str] | None = None) -> list[type[Plugin]]:
    """Plugin classes, sorted by name; a plugin that fails to load is reported and skipped."""
    found: dict[str, type[Plugin]] = {}
    problems: list[str] = [] if errors is None else errors
    import plugins as package

    for module_info in pkgutil.iter_modules(package.__path__):
        if not module_info.ispkg:
            continue
        origin = f"plugins.{module_info.name}"
        try:
            module = importlib.import_module(origin)
            if not hasattr(module, "PLUGIN"):
                continue
            plugin = _check(module.PLUGIN, origin)
        except Exception as exc:
            problems.append(f"{origin}: {type(exc).__name__}: {exc}")
            continue
        found[plugin.name] = plugin
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        origin = f"entry point {entry.name} ({entry.value})"
        try:
            plugin = _check(entry.load(), origin)
        except Exception as exc:
            problems.append(f"{origin}: {type(exc).__name__}: {exc}")
            continue
        if plugin.name in found and found[plugin.name] is not plugin:
            problems.append(f"{origin}: a plugin named {plugin.name!r} is already loaded")
            continue
        found[plugin.name] = plugin
    for problem in problems:
        log.error("plugin not loaded: %s", problem)
    return [found[name] for name in sorted(found)]

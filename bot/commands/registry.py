"""Every command by name and alias, and who may use it in a given context."""

from __future__ import annotations

from collections.abc import Iterable

from bot.commands.spec import CommandSpec
from bot.permissions import Role
from bot.settings.models import CoreSettings

__all__ = ["CommandRegistry"]


class CommandRegistry:
    """Commands of the loaded plugins; names and aliases are unique."""

    def __init__(self, specs: Iterable[CommandSpec]) -> None:
        self._by_name: dict[str, CommandSpec] = {}
        self.specs: list[CommandSpec] = []
        for spec in specs:
            for name in (spec.name, *spec.aliases):
                other = self._by_name.get(name)
                if other is not None:
                    raise ValueError(f"command {name!r} of plugin {spec.plugin} clashes with "
                                     f"plugin {other.plugin}")
                self._by_name[name] = spec
            self.specs.append(spec)
        self.specs.sort(key=lambda s: s.name)

    def get(self, name: str) -> CommandSpec | None:
        """The command called `name` (or aliased so)."""
        return self._by_name.get(name)

    def min_role(self, spec: CommandSpec, settings: CoreSettings) -> Role:
        """The lowest role allowed, after the rule file's adjustment."""
        adjusted = getattr(getattr(settings, "commands", None), spec.name, None)
        if adjusted is not None and adjusted.min_role is not None:
            return Role.parse(adjusted.min_role)
        return spec.min_role

    def refusal(self, spec: CommandSpec, settings: CoreSettings, role: Role) -> str | None:
        """None if `role` may run the command with these settings, else a catalog key saying why."""
        section = getattr(settings, spec.plugin, None)
        if section is not None and not section.enabled:
            return "command.disabled"
        adjusted = getattr(getattr(settings, "commands", None), spec.name, None)
        if adjusted is not None and not adjusted.enabled:
            return "command.disabled"
        return None if role >= self.min_role(spec, settings) else "command.denied"

    def visible(self, settings: CoreSettings, role: Role) -> list[CommandSpec]:
        """Commands `role` may use with these settings, by name."""
        return [s for s in self.specs if self.refusal(s, settings, role) is None]

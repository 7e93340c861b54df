"""A loaded rule file: per-community settings and cached effective settings per context."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.permissions import Role
from bot.settings.brands import Brands
from bot.settings.errors import ConfigIssue
from bot.settings.merge import deep_merge
from bot.settings.models import CoreSettings, When
from bot.settings.schema import SettingsModels

__all__ = ["CompiledOverride", "RuleSet"]

log = logging.getLogger("vigie.settings")
CACHE_LIMIT = 8192


@dataclass(frozen=True, slots=True)
class CompiledOverride:
    """One override, validated: its position in the file, conditions and partial settings."""

    index: int
    label: str
    when: When
    layer: dict[str, Any]


@dataclass
class RuleSet:
    """Everything a loaded rule file decides; immutable once built, shared by all plugins."""

    file: str
    revision: str
    models: SettingsModels
    defaults_raw: dict[str, Any]
    communities_raw: dict[str, dict[str, Any]]
    overrides: tuple[CompiledOverride, ...]
    base: dict[str, CoreSettings]
    fallback: CoreSettings
    warnings: tuple[ConfigIssue, ...] = ()
    brands: Brands = field(default_factory=Brands)
    top: dict[str, BaseModel] = field(default_factory=dict)
    """Validated top-level plugin sections (e.g. `publishing`); absent when not written."""
    _cache: dict[tuple[Any, ...], CoreSettings] = field(default_factory=dict, repr=False)
    _roles: dict[str, dict[str, Role]] = field(default_factory=dict, repr=False)
    _broken: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._named_channels = set().union(*(o.when.named("channel") for o in self.overrides))
        self._named_users = set().union(*(o.when.named("user") for o in self.overrides))

    @property
    def communities(self) -> tuple[str, ...]:
        """Communities the file lists."""
        return tuple(self.base)

    def community(self, community: str) -> CoreSettings:
        """Settings of a community before overrides (unlisted ones get the defaults)."""
        return self.base.get(community, self.fallback)

    def role_lookup(self, community: str) -> dict[str, Role]:
        """Rule-file role mapping of a community: name or id -> role."""
        lookup = self._roles.get(community)
        if lookup is None:
            lookup = self.community(community).roles.as_lookup()
            self._roles[community] = lookup
        return lookup

    def effective(
        self, community: str, channel: str | None = None, role: Role = Role.MEMBER,
        user: str | None = None,
    ) -> CoreSettings:
        """Settings for a message in `channel` by `user` with `role`: overrides applied in order."""
        if not self.overrides:
            return self.community(community)
        key = (
            community,
            channel if channel in self._named_channels else None,
            role,
            user if user in self._named_users else None,
        )
        cached = self._cache.get(key)
        if cached is None:
            cached = self._resolve(community, channel, role, user)
            if len(self._cache) >= CACHE_LIMIT:
                del self._cache[next(iter(self._cache))]
            self._cache[key] = cached
        return cached

    def _resolve(self, community: str, channel: str | None, role: Role,
                 user: str | None) -> CoreSettings:
        applying = [o for o in self.overrides if o.when.matches(community, channel, user, role)]
        if not applying:
            return self.community(community)
        raw = self.communities_raw.get(community, self.defaults_raw)
        settings = self.community(community)
        for override in applying:
            candidate = deep_merge(raw, override.layer)
            try:
                settings = self.models.community.model_validate(candidate)
            except ValidationError as exc:
                if (override.index, community) not in self._broken:
                    self._broken.add((override.index, community))
                    log.error("override %s skipped in %s: combined with earlier overrides it is "
                              "invalid: %s", override.label, community, exc.errors()[0]["msg"])
                continue
            raw = candidate
        return settings

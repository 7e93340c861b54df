"""Brand groups: one name for the communities of a brand on every platform (rule file `brands`).

```yaml
brands:
  acme:
    name: ACME
    communities: ["discord:111", "telegram:-100222", "console:demo"]
    channels: {"discord:111": "discord:333"}   # where announcements go; default: the group itself
```
Plugins read them through `Services.brands` (the rules in force) and never through each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field, RootModel, ValidationInfo, field_validator

from bot.events import platform_of
from bot.settings.models import StrictModel, check_qualified_id

__all__ = ["BRAND_NAME", "Brand", "Brands"]

BRAND_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


class Brand(StrictModel):
    """A brand's communities across platforms, and where its announcements go in each."""

    name: str | None = Field(None, description="Display name of the brand.")
    communities: tuple[str, ...] = Field(
        description="Community ids of the brand (discord:<server>, telegram:<group>, console:x).")
    channels: dict[str, str] = Field(
        default_factory=dict,
        description="Community id -> channel id where posts for the brand go. Telegram groups "
                    "and console communities default to the group itself; a Discord server "
                    "needs one.")

    @field_validator("communities")
    @classmethod
    def _communities(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("a brand needs at least one community")
        for community in value:
            check_qualified_id(community, "community")
        duplicates = sorted({c for c in value if value.count(c) > 1})
        if duplicates:
            raise ValueError(f"listed twice: {', '.join(duplicates)}")
        return value

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        communities = info.data.get("communities") or ()
        for community, channel in value.items():
            if community not in communities:
                raise ValueError(f"{community!r} is not one of this brand's communities")
            check_qualified_id(channel, "channel")
            if platform_of(channel) != platform_of(community):
                raise ValueError(f"{channel!r} is not on the platform of {community}")
        return value

    def channel_for(self, community: str) -> str | None:
        """Where the brand's posts go in `community`; None for a Discord server without one."""
        if community in self.channels:
            return self.channels[community]
        if platform_of(community) in ("telegram", "console"):
            return community
        return None


class Brands(RootModel[dict[str, Brand]]):
    """Every brand of the rule file, by name."""

    root: dict[str, Brand] = Field(default_factory=dict)

    @field_validator("root")
    @classmethod
    def _names(cls, value: dict[str, Brand]) -> dict[str, Brand]:
        for name in value:
            if not BRAND_NAME.fullmatch(name):
                raise ValueError(f"brand name {name!r}: 1 to 32 lower-case letters, digits, "
                                 "'-' or '_', starting with a letter or digit")
        return value

    def get(self, name: str) -> Brand | None:
        """The brand called `name` (case-insensitive), or None."""
        return self.root.get(name.lower().lstrip("@"))

    def names(self) -> tuple[str, ...]:
        """Brand names, sorted."""
        return tuple(sorted(self.root))

    def of_community(self, community: str) -> tuple[str, ...]:
        """Names of the brands that include `community`."""
        return tuple(sorted(n for n, b in self.root.items() if community in b.communities))

    def targets(self, name: str) -> Iterator[tuple[str, str | None]]:
        """(community, channel or None) of each community of the brand `name`."""
        brand = self.get(name)
        if brand is not None:
            for community in brand.communities:
                yield community, brand.channel_for(community)

"""Where a post for several communities goes: the command's own channel, then each community
named by a brand group (rule file `brands`) or by its id, in one channel each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.events import platform_of
from bot.i18n import Msg
from bot.settings.brands import Brands

__all__ = ["Place", "PlaceError", "resolve_places"]


@dataclass(frozen=True, slots=True)
class Place:
    """One community and the channel a post goes to there."""

    community: str
    channel: str


class PlaceError(Exception):
    """A target could not be resolved; `message` says why, in the reader's language."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.key)
        self.message = message


def resolve_places(origin: Place, names: Sequence[str], *, brands: Brands,
                   communities: Sequence[str],
                   channel_of: Callable[[str], str | None]) -> list[Place]:
    """The origin first, then every community of each name (a brand, or a community id), once.

    A community's channel is the one its brand names, else `channel_of(community)` (a plugin
    setting), else a Telegram group's own chat; none is an error naming the community.
    """
    places = [origin]
    seen = {origin.community}
    for name in names:
        brand = brands.get(name)
        if brand is not None:
            targets: list[tuple[str, str | None]] = list(brands.targets(name))
        elif name in communities:
            targets = [(name, None)]
        else:
            known = ", ".join([*brands.names(), *communities])
            raise PlaceError(Msg.of("places.unknown", name=name, known=known or "-"))
        for community, channel in targets:
            if community in seen:
                continue
            explicit = channel if channel and channel != community else None
            channel = explicit or channel_of(community) or (
                community if platform_of(community) == "telegram" else None)
            if channel is None:
                raise PlaceError(Msg.of("places.no_channel", community=community))
            seen.add(community)
            places.append(Place(community, channel))
    return places

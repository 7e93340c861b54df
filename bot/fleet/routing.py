"""Where a community's updates go when workers share one entry point: here, or to its holder."""

from __future__ import annotations

from dataclasses import dataclass

from bot.fleet.owners import Owners
from bot.fleet.registry import WorkerRegistry

__all__ = ["Here", "Peer", "Routing"]


@dataclass(frozen=True, slots=True)
class Here:
    """This worker holds the community: handle the update here."""


@dataclass(frozen=True, slots=True)
class Peer:
    """Another live worker holds the community; `url` is where it takes forwarded updates."""

    worker_id: str
    url: str


class Routing:
    """Takes a community for this worker when it is free, else names the worker that holds it."""

    def __init__(self, owners: Owners, registry: WorkerRegistry) -> None:
        self.owners = owners
        self.registry = registry

    @property
    def worker_id(self) -> str:
        """This worker's name."""
        return self.owners.worker_id

    async def route(self, community: str) -> Here | Peer:
        """Here when this worker holds `community` (taken now if it was free), else its holder."""
        if not self.owners.enabled or self.owners.holds(community):
            return Here()
        holder = await self.owners.take(community)
        if holder.worker_id == self.worker_id:
            return Here()
        return Peer(holder.worker_id, await self.registry.peer_url(holder.worker_id))

    async def lead(self, role: str) -> bool:
        """Whether this worker holds `role` (taken now if it was free or its lease ended)."""
        if not self.owners.enabled:
            return True
        if self.owners.holds(role):
            return True
        return (await self.owners.take(role)).worker_id == self.worker_id

    def leads(self, role: str) -> bool:
        """Whether this worker still holds `role`, from what it knows (no database read)."""
        return not self.owners.enabled or role in self.owners.held()

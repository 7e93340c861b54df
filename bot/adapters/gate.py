"""Membership gates: what an adapter that answers join requests or grants roles provides."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.adapters.base import ActionResult
from bot.events import User

__all__ = ["JoinRequests", "RoleGranter"]


@runtime_checkable
class JoinRequests(Protocol):
    """An adapter whose communities can ask to join (Telegram's join requests)."""

    async def approve_join(self, community: str, user: User) -> ActionResult:
        """Let the requester in."""
        ...

    async def decline_join(self, community: str, user: User) -> ActionResult:
        """Turn the request down."""
        ...


@runtime_checkable
class RoleGranter(Protocol):
    """An adapter that can give a member a role (Discord)."""

    async def grant_role(self, community: str, user: User, role: str, *,
                         reason: str) -> ActionResult:
        """Give `user` the role named `role` (a name, or a platform id)."""
        ...

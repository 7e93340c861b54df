"""Actions of the join gate (verification): answer join requests, hold and release newcomers,
grant a role, remove a newcomer; none of them opens a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from bot.actions import Action
from bot.adapters.base import ActionResult, Adapter
from bot.adapters.gate import JoinRequests, RoleGranter
from bot.events import User

__all__ = ["GATE_ACTIONS", "Approve", "Decline", "GrantRole", "RemoveMember", "Restrict",
           "Unrestrict", "run_gate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class _MemberAction(Action):
    """An action on one member of the event's community; one per member and type."""

    order: ClassVar[int] = 25
    target: User

    def merge_key(self) -> tuple[str, ...]:
        """One of each type per member."""
        return (self.type, self.target.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Approve(_MemberAction):
    """Accept a join request."""

    type: ClassVar[str] = "approve"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decline(_MemberAction):
    """Turn a join request down."""

    type: ClassVar[str] = "decline"


@dataclass(frozen=True, slots=True, kw_only=True)
class Restrict(_MemberAction):
    """Keep a newcomer from posting until `until` (Telegram restriction, Discord timeout)."""

    type: ClassVar[str] = "restrict"
    until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Unrestrict(_MemberAction):
    """Let a held newcomer post."""

    type: ClassVar[str] = "unrestrict"


@dataclass(frozen=True, slots=True, kw_only=True)
class GrantRole(_MemberAction):
    """Give a member a role, by name or platform id (Discord)."""

    type: ClassVar[str] = "grant_role"
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoveMember(_MemberAction):
    """Remove a newcomer who may come back (a kick that is not a sanction: no case)."""

    type: ClassVar[str] = "remove_member"


GATE_ACTIONS = (Approve, Decline, Restrict, Unrestrict, GrantRole, RemoveMember)


async def run_gate(adapter: Adapter, community: str, action: Action,
                   reason: str) -> ActionResult:
    """Run a gate action on the community's adapter; unsupported where the platform cannot."""
    if isinstance(action, Approve | Decline):
        if not isinstance(adapter, JoinRequests):
            return ActionResult.unsupported(f"{adapter.platform} has no join requests")
        if isinstance(action, Approve):
            return await adapter.approve_join(community, action.target)
        return await adapter.decline_join(community, action.target)
    if isinstance(action, Restrict):
        return await adapter.timeout_member(community, action.target, action.until,
                                            reason=reason)
    if isinstance(action, Unrestrict):
        return await adapter.remove_timeout(community, action.target, reason=reason)
    if isinstance(action, GrantRole):
        if not isinstance(adapter, RoleGranter):
            return ActionResult.unsupported(f"{adapter.platform} cannot grant roles")
        return await adapter.grant_role(community, action.target, action.role, reason=reason)
    if isinstance(action, RemoveMember):
        return await adapter.kick_member(community, action.target, reason=reason)
    return ActionResult.unsupported(f"unknown action {action.type}")

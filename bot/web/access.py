"""Who is asking, and may they: the session's identity, its role re-checked at each request
through the same rules as commands (platform facts raised by the rule file's mapping)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.events import User
from bot.permissions import Role, effective_role
from bot.services import Services
from bot.web.tokens import Grant

__all__ = ["LookupMember", "Person", "allowed", "person_for"]

LookupMember = Callable[[str, str], Awaitable[User | None]]


@dataclass(frozen=True, slots=True)
class Person:
    """The logged-in identity as the platform sees it now, and its role in its community."""

    community: str
    user: User
    role: Role


async def person_for(grant: Grant, services: Services, lookup: LookupMember | None) -> Person:
    """The grant's identity now: the platform's answer first, then who was last seen."""
    user = await lookup(grant.community, grant.user_id) if lookup is not None else None
    if user is None:
        user = services.members.get(grant.community, grant.user_id)
    if user is None:
        user = User(id=grant.user_id, name=grant.user_name)
    rules = services.rulebook.current
    role = effective_role(user.role, user.id, user.platform_roles,
                          rules.role_lookup(grant.community))
    return Person(grant.community, user, role)


def allowed(person: Person, command: str, services: Services) -> bool:
    """Whether the person may run `command` in their community (a page needs its command)."""
    spec = services.commands.get(command)
    if spec is None:
        return False
    settings = services.rulebook.current.effective(person.community, None, person.role,
                                                   person.user.id)
    return services.commands.refusal(spec, settings, person.role) is None

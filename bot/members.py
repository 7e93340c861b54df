"""Members recently seen per community, so commands can name them; bounded, in memory."""

from __future__ import annotations

from collections import OrderedDict

from bot.events import User

__all__ = ["MemberDirectory"]

PER_COMMUNITY = 50_000


class MemberDirectory:
    """Remembers who was seen where; the least recently seen are forgotten first."""

    def __init__(self, limit: int = PER_COMMUNITY) -> None:
        self.limit = limit
        self._by_community: dict[str, OrderedDict[str, User]] = {}

    def seen(self, community: str, user: User) -> None:
        """Note that `user` is in `community` now."""
        members = self._by_community.get(community)
        if members is None:
            members = self._by_community[community] = OrderedDict()
        members[user.id] = user
        members.move_to_end(user.id)
        if len(members) > self.limit:
            members.popitem(last=False)

    def forget(self, community: str, user_id: str) -> None:
        """Drop a member (left or banned)."""
        self._by_community.get(community, OrderedDict()).pop(user_id, None)

    def get(self, community: str, user_id: str) -> User | None:
        """A member by id."""
        return self._by_community.get(community, OrderedDict()).get(user_id)

    def named(self, community: str, name: str) -> list[User]:
        """Members whose name is `name`, ignoring case and a leading @."""
        wanted = name.lstrip("@").casefold()
        return [u for u in self._by_community.get(community, OrderedDict()).values()
                if u.name.casefold() == wanted]

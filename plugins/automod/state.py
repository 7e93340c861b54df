"""Per-message state in process memory, bounded: recent posts per member and per text, joins."""

from __future__ import annotations

import bisect
from collections import OrderedDict, deque
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

from bot.ratelimit import Cooldown

__all__ = ["MAX_WINDOW", "AutomodState", "Post"]

MAX_WINDOW = timedelta(hours=1)
_TIME = attrgetter("ts")
PER_MEMBER = 32
PER_TEXT = 64
MAX_KEYS = 20_000
MAX_JOINS = 10_000


@dataclass(slots=True)
class Post:
    """A message remembered for rate and duplicate rules."""

    ts: float
    channel: str
    message_id: str
    author: str
    key: int | None
    size: int
    reported: bool = False


class _Lru(OrderedDict[Hashable, list[Post]]):
    """Recent posts per key, in time order, the least recently used key dropped past `limit`
    keys. Lists, not deques: most keys (texts) only ever hold one post, and a deque allocates
    room for 64."""

    def __init__(self, limit: int, per_key: int) -> None:
        super().__init__()
        self.limit = limit
        self.per_key = per_key

    def add(self, key: Hashable, post: Post, horizon: float) -> list[Post]:
        """Remember `post` under `key`, forgetting its posts from before `horizon`; posts stay
        in time order, oldest first."""
        posts = self.get(key)
        if posts is None:
            posts = self[key] = [post]
            if len(self) > self.limit:
                self.popitem(last=False)
            return posts
        self.move_to_end(key)
        if posts[0].ts < horizon:
            del posts[:bisect.bisect_left(posts, horizon, key=_TIME)]
        if posts and post.ts < posts[-1].ts:  # arrived late: insert it in time order
            bisect.insort_right(posts, post, key=_TIME)
        else:
            posts.append(post)
        if len(posts) > self.per_key:
            del posts[0]
        return posts


class AutomodState:
    """What automod remembers between messages; lost at restart, never written to disk."""

    def __init__(self) -> None:
        self.members = _Lru(MAX_KEYS, PER_MEMBER)
        self.texts = _Lru(MAX_KEYS, PER_TEXT)
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self.joins: OrderedDict[str, deque[float]] = OrderedDict()
        self.raid_until: dict[str, datetime] = {}
        self._cooldowns: dict[float, Cooldown] = {}
        self.window = 0.0  # seconds of posts kept: the longest window a rule looked at

    def remember(self, community: str, post: Post, member: bool, text: bool,
                 window: float) -> tuple[list[Post], list[Post]]:
        """Keep a post for the member's rate rules and, if it has a text key, for duplicates,
        as long as the longest `window` (seconds) any rule file asked for; return the member's
        recent posts and the text's (empty when not kept)."""
        self.window = max(self.window, window)  # rule files allow at most MAX_WINDOW
        horizon = post.ts - self.window
        by_member = self.members.add((community, post.author), post, horizon) if member else []
        by_text = self.texts.add((community, post.key), post, horizon) \
            if text and post.key is not None else []
        return by_member, by_text

    def first_message(self, community: str, author: str) -> bool:
        """True the first time a member is seen posting (since the bot started)."""
        key = (community, author)
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        if len(self._seen) > MAX_KEYS * 10:
            self._seen.popitem(last=False)
        return True

    def join(self, community: str, now: datetime, window: timedelta) -> int:
        """Count a join; how many joins the community had within `window` (this one included)."""
        joins = self.joins.get(community)
        if joins is None:
            joins = self.joins[community] = deque(maxlen=MAX_JOINS)
            if len(self.joins) > MAX_KEYS:
                self.joins.popitem(last=False)
        stamp = now.timestamp()
        joins.append(stamp)
        horizon = stamp - window.total_seconds()
        while joins and joins[0] <= horizon:
            joins.popleft()
        return len(joins)

    def in_raid(self, community: str, now: datetime) -> bool:
        """Whether the community is in raid mode."""
        until = self.raid_until.get(community)
        return until is not None and now < until

    def ready(self, key: Hashable, period: timedelta, now: datetime) -> bool:
        """A cooldown: True at most once per `period` for `key`."""
        cooldown = self._cooldowns.get(period.total_seconds())
        if cooldown is None:
            cooldown = self._cooldowns[period.total_seconds()] = Cooldown(period)
        return cooldown.ready(key, now)

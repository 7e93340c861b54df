"""Automod's message windows shared by every worker through Redis (when VIGIE_REDIS_URL is set)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from bot.shared import SharedWindows
from plugins.automod.state import MAX_KEYS, PER_MEMBER, PER_TEXT, Post
from plugins.automod.triggers import Facts

__all__ = ["SharedPosts", "stable_key"]

SEP = "\x1f"  # between the fields of a post in Redis (no id or channel holds it)


def stable_key(letters: str) -> int:
    """A text's key, the same in every process (a str's hash() differs between processes)."""
    return int.from_bytes(hashlib.blake2b(letters.encode(), digest_size=8).digest(), "big") >> 1


def _entry(post: Post) -> str:
    key = "" if post.key is None else str(post.key)
    return SEP.join((repr(post.ts), post.channel, post.message_id, post.author, key,
                     str(post.size)))


class SharedPosts:
    """Replaces a message's local windows (the member's posts, the text's) by every worker's."""

    def __init__(self, shared: SharedWindows) -> None:
        self.shared = shared
        self._known: OrderedDict[tuple[str, str], Post] = OrderedDict()  # others' posts

    async def share(self, facts: Facts, members: bool, texts: bool) -> None:
        """Add the message to the shared windows and put them in `facts.cache`; when Redis
        does not answer, the local windows `Engine.prepare` put there stay."""
        cache = facts.cache
        post: Post | None = cache.get("post")
        if post is None:
            return
        community = facts.event.community
        keys: list[str] = []
        keep: list[int] = []
        slots: list[str] = []
        if members:
            keys.append(f"posts:{community}:{post.author}")
            keep.append(PER_MEMBER)
            slots.append("member_posts")
        if texts and post.key is not None:
            keys.append(f"texts:{community}:{post.key}")
            keep.append(PER_TEXT)
            slots.append("text_posts")
        if not keys:
            return
        found = await self.shared.posts(keys, _entry(post), post.ts,
                                        post.ts - facts.state.window, keep)
        if found is None:
            return
        for slot, entries in zip(slots, found, strict=True):
            cache[slot] = self._posts(cache[slot], entries)

    def _posts(self, local: list[Post], entries: list[str]) -> list[Post]:
        """Posts for the entries, oldest first: this worker's own objects where it has them,
        so that a copy reported once is not reported again."""
        mine = {(p.channel, p.message_id): p for p in local}
        out = []
        for entry in entries:
            fields = entry.split(SEP)
            if len(fields) != 6:
                continue
            ts, channel, message_id, author, key, size = fields
            ident = (channel, message_id)
            post = mine.get(ident) or self._known.get(ident)
            if post is None:
                post = self._known[ident] = Post(float(ts), channel, message_id, author,
                                                 int(key) if key else None, int(size))
                if len(self._known) > MAX_KEYS:
                    self._known.popitem(last=False)
            out.append(post)
        return out

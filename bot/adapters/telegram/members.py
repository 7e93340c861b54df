"""Who is who in a chat: administrators (cached, refreshed on changes) and recently seen people."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram import User as TgUser
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.adapters.telegram.ids import qualify
from bot.events import User
from bot.permissions import Role

__all__ = ["AdminList", "ChatMembers"]

log = logging.getLogger("vigie.telegram")
ADMIN_TTL = 600.0  # seconds: administrators are re-read at most this often (and on changes)
RETRY_TTL = 60.0  # after a failed read, wait this long before asking again
KNOWN_PER_CHAT = 5000
MAX_CHATS = 2000


@dataclass(frozen=True, slots=True)
class AdminList:
    """A chat's administrators: user id -> `creator` or `administrator`, and when it was read."""

    statuses: dict[int, str]
    read_at: float
    ttl: float = ADMIN_TTL


class ChatMembers:
    """Administrator lists per chat, and the people seen per chat (for names in commands)."""

    def __init__(self, bot: Bot, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self._now = monotonic
        self._admins: OrderedDict[int, AdminList] = OrderedDict()  # oldest read first
        self._locks: dict[int, asyncio.Lock] = {}
        self._known: OrderedDict[int, OrderedDict[int, User]] = OrderedDict()

    def __len__(self) -> int:
        """Chats with cached administrators, a read lock or people seen (bounded)."""
        return len(self._admins.keys() | self._locks.keys() | self._known.keys())

    def _keep(self, chat: int, admins: AdminList) -> None:
        """Cache a chat's administrators; past MAX_CHATS, or once stale (they would be read
        again anyway), the oldest reads are dropped, with their chats' idle locks."""
        self._admins[chat] = admins
        self._admins.move_to_end(chat)
        now = self._now()
        while self._admins:
            oldest, cached = next(iter(self._admins.items()))
            if len(self._admins) <= MAX_CHATS and now - cached.read_at < 2 * ADMIN_TTL:
                break
            del self._admins[oldest]
            lock = self._locks.get(oldest)
            if lock is not None and not lock.locked():
                del self._locks[oldest]

    def invalidate(self, chat: int) -> None:
        """Forget a chat's administrators (someone was promoted or demoted)."""
        self._admins.pop(chat, None)

    async def admins(self, chat: int, chat_type: str | None = None) -> dict[int, str]:
        """The chat's administrators, read from Telegram when not cached or stale."""
        if chat_type == ChatType.PRIVATE or chat > 0:
            return {}
        cached = self._admins.get(chat)
        if cached is not None and self._now() - cached.read_at < cached.ttl:
            return cached.statuses
        lock = self._locks.setdefault(chat, asyncio.Lock())
        async with lock:
            cached = self._admins.get(chat)
            if cached is not None and self._now() - cached.read_at < cached.ttl:
                return cached.statuses
            try:
                members = await self.bot.get_chat_administrators(chat)
            except TelegramError as exc:
                log.warning("cannot read administrators chat=%s error=%s", chat, exc)
                old = cached.statuses if cached is not None else {}
                self._keep(chat, AdminList(old, self._now(), RETRY_TTL))
                return old
            statuses = {m.user.id: m.status for m in members
                        if isinstance(m, ChatMemberOwner | ChatMemberAdministrator)}
            self._keep(chat, AdminList(statuses, self._now()))
            for member in members:
                if not member.user.is_bot and member.user.id in statuses:
                    self.remember(chat, self.neutral(member.user, statuses[member.user.id]))
            return statuses

    async def user(self, chat: int, native: TgUser, chat_type: str | None = None) -> User:
        """The neutral member for a Telegram user in a chat, with their role; remembered."""
        statuses = await self.admins(chat, chat_type)
        user = self.neutral(native, statuses.get(native.id))
        if not native.is_bot:
            self.remember(chat, user)
        return user

    @staticmethod
    def neutral(native: TgUser, status: str | None) -> User:
        """Creator and administrators are admins (the rule file may name more CMs and admins)."""
        return User(
            id=qualify(native.id), name=native.username or native.full_name,
            role=Role.ADMIN if status else Role.MEMBER, language=native.language_code,
            is_bot=native.is_bot, platform_roles=(status,) if status else ())

    def remember(self, chat: int, user: User) -> None:
        """Note that `user` was seen in `chat`."""
        people = self._known.get(chat)
        if people is None:
            people = self._known[chat] = OrderedDict()
            if len(self._known) > MAX_CHATS:
                self._known.popitem(last=False)
        else:
            self._known.move_to_end(chat)
        people[int(user.id.rpartition(":")[2])] = user
        people.move_to_end(int(user.id.rpartition(":")[2]))
        if len(people) > KNOWN_PER_CHAT:
            people.popitem(last=False)

    def forget(self, chat: int, user: int) -> None:
        """Drop someone who left."""
        self._known.get(chat, OrderedDict()).pop(user, None)

    def named(self, chat: int, name: str) -> list[User]:
        """People seen in `chat` whose @username or name is `name` (case-insensitive)."""
        wanted = name.lstrip("@").casefold()
        return [u for u in self._known.get(chat, OrderedDict()).values()
                if u.name.casefold() == wanted]

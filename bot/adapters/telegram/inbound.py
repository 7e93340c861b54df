"""Native updates in, neutral events out: messages, edits, joins and leaves, buttons, reactions."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from telegram import (
    CallbackQuery,
    Chat,
    ChatJoinRequest,
    ChatMember,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    MessageReactionUpdated,
    ReactionTypeCustomEmoji,
    ReactionTypeEmoji,
    Update,
)
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType

from bot.adapters.telegram.ids import qualify
from bot.adapters.telegram.members import ChatMembers
from bot.adapters.telegram.sanctions_seen import seen_sanction
from bot.clicks import unscoped
from bot.events import (
    Attachment,
    ButtonClicked,
    Event,
    JoinNotice,
    JoinRequested,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageEdited,
    ReactionAdded,
    ThreadCreated,
    User,
)
from bot.permissions import Role

__all__ = ["GROUP_TYPES", "Inbound", "rewrite_entities"]

log = logging.getLogger("vigie.telegram")
GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
PRESENT = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR,
                     ChatMemberStatus.MEMBER})
STAFF = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
DEDUPE_WINDOW = 120.0  # a join seen as a service message and as a chat_member update is one join
DEDUPE_SIZE = 10_000
MEDIA: tuple[tuple[str, str | None], ...] = (
    ("photo", "image/jpeg"), ("video", "video/mp4"), ("animation", "video/mp4"),
    ("audio", None), ("voice", "audio/ogg"), ("video_note", "video/mp4"),
    ("document", None), ("sticker", "image/webp"))


def rewrite_entities(text: str, entities: Sequence[MessageEntity]) -> str:
    """Make what Telegram hides visible: a name mention becomes `<@id>`, a text link `[t](url)`."""
    wanted = sorted((e for e in entities if (e.type == MessageEntityType.TEXT_MENTION and e.user)
                     or (e.type == MessageEntityType.TEXT_LINK and e.url)),
                    key=lambda e: e.offset)
    if not wanted:
        return text
    data = text.encode("utf-16-le")
    out: list[str] = []
    pos = 0
    try:
        for entity in wanted:
            start, end = entity.offset * 2, (entity.offset + entity.length) * 2
            if start < pos or end > len(data):
                continue
            out.append(data[pos:start].decode("utf-16-le"))
            span = data[start:end].decode("utf-16-le")
            if entity.type == MessageEntityType.TEXT_MENTION and entity.user:
                out.append(f"<@{entity.user.id}>")
            else:
                out.append(f"[{span}]({entity.url})")
            pos = end
        out.append(data[pos:].decode("utf-16-le"))
    except UnicodeDecodeError:
        return text
    return "".join(out)


def _present(member: ChatMember) -> bool:
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in PRESENT


class Inbound:
    """Turns one update into the neutral events it means (often one, sometimes none or several)."""

    def __init__(self, members: ChatMembers, monotonic: Callable[[], float] = time.monotonic
                 ) -> None:
        self.members = members
        self.me: int | None = None  # the bot's own user id: its own arrival is not a join
        self._now = monotonic
        self._presence: OrderedDict[tuple[int, int], tuple[bool, float]] = OrderedDict()

    async def events(self, update: Update) -> list[Event]:
        """The events of an update; updates Vigie does not use give none."""
        if update.message is not None:
            return await self._message(update.message, edited=False)
        if update.edited_message is not None:
            return await self._message(update.edited_message, edited=True)
        if update.chat_member is not None:
            return [*await self._chat_member(update.chat_member),
                    *seen_sanction(update.chat_member, self.me)]
        if update.callback_query is not None:
            return await self._callback(update.callback_query)
        if update.chat_join_request is not None:
            return await self._join_request(update.chat_join_request)
        if update.message_reaction is not None:
            return await self._reaction(update.message_reaction)
        return []

    # -- people ----------------------------------------------------------------------------

    async def author(self, message: Message) -> User | None:
        """Who wrote a message: a member, an anonymous admin (the group) or a channel."""
        chat = message.chat
        sender = message.sender_chat
        if sender is not None and sender.id == chat.id:
            return User(id=qualify(chat.id), name=chat.title or "anonymous admin",
                        role=Role.ADMIN, platform_roles=("anonymous_admin",))
        if sender is not None:
            return User(id=qualify(sender.id), name=sender.username or sender.title or
                        str(sender.id), platform_roles=("channel",))
        if message.from_user is None:
            return None
        return await self.members.user(chat.id, message.from_user, chat.type)

    def _changed(self, chat: int, user: int, present: bool) -> bool:
        """Whether a join (or leave) is news, not the second report of the same one."""
        key = (chat, user)
        last = self._presence.get(key)
        now = self._now()
        self._presence[key] = (present, now)
        self._presence.move_to_end(key)
        if len(self._presence) > DEDUPE_SIZE:
            self._presence.popitem(last=False)
        return last is None or last[0] != present or now - last[1] > DEDUPE_WINDOW

    # -- messages --------------------------------------------------------------------------

    async def _message(self, message: Message, *, edited: bool) -> list[Event]:
        chat = message.chat
        if chat.type not in GROUP_TYPES:
            return []
        if message.migrate_to_chat_id is not None:
            log.warning("operator: %s became a supergroup with the new id telegram:%s: "
                        "update the rule file", qualify(chat.id), message.migrate_to_chat_id)
            return []
        if message.new_chat_members or message.left_chat_member:
            return await self._service_presence(message)
        if message.is_automatic_forward:
            return []  # the linked channel's own post, copied into its discussion group
        author = await self.author(message)
        if message.forum_topic_created is not None and not edited:
            if author is None or author.is_bot:
                return []
            topic = message.message_thread_id or message.message_id
            return [ThreadCreated(id=qualify(chat.id, message.message_id), ts=_utc(message.date),
                                  community=qualify(chat.id), channel=qualify(chat.id, topic),
                                  parent=qualify(chat.id), author=author,
                                  name=message.forum_topic_created.name)]
        if author is None or (not _has_content(message)):
            return []
        text = message.text if message.text is not None else (message.caption or "")
        entities = message.entities if message.text is not None else message.caption_entities
        reply = message.reply_to_message
        if reply is not None and message.is_topic_message and \
                reply.message_id == message.message_thread_id:
            reply = None  # in a forum topic every message "replies" to the topic's first one
        reply_author = await self.author(reply) if reply is not None else None
        kind = MessageEdited if edited else MessageCreated
        ts = message.edit_date if edited and message.edit_date else message.date
        return [kind(
            id=qualify(chat.id, message.message_id), ts=_utc(ts), community=qualify(chat.id),
            channel=qualify(chat.id), author=author, text=rewrite_entities(text, entities),
            reply_to=qualify(chat.id, reply.message_id) if reply is not None else None,
            reply_to_author=reply_author, mentions=await self._mentions(message, entities),
            attachments=_attachments(message))]

    async def _mentions(self, message: Message, entities: Sequence[MessageEntity]
                        ) -> tuple[User, ...]:
        chat = message.chat
        found: dict[str, User] = {}
        for entity in entities:
            if entity.type == MessageEntityType.TEXT_MENTION and entity.user is not None:
                user = await self.members.user(chat.id, entity.user, chat.type)
                found[user.id] = user
            elif entity.type == MessageEntityType.MENTION:
                name = (message.parse_entity(entity) if message.text is not None
                        else message.parse_caption_entity(entity))
                for user in self.members.named(chat.id, name):
                    found[user.id] = user
        return tuple(found.values())

    async def _service_presence(self, message: Message) -> list[Event]:
        chat = message.chat
        ts = _utc(message.date)
        events: list[Event] = []
        notice = qualify(chat.id, message.message_id)
        for native in message.new_chat_members or ():
            if native.id == self.me:
                continue
            user = await self.members.user(chat.id, native, chat.type)
            if self._changed(chat.id, native.id, True):
                events.append(MemberJoined(id=f"{qualify(chat.id)}:join:{native.id}:"
                                              f"{message.message_id}",
                                           ts=ts, community=qualify(chat.id), user=user,
                                           channel=qualify(chat.id), message_id=notice))
            else:  # the chat_member update came first: this is the same join's notice
                events.append(JoinNotice(id=f"{notice}:notice:{native.id}", ts=ts,
                                         community=qualify(chat.id), user=user,
                                         channel=qualify(chat.id), message_id=notice))
        left = message.left_chat_member
        if left is not None and left.id != self.me and self._changed(chat.id, left.id, False):
            self.members.forget(chat.id, left.id)
            events.append(MemberLeft(id=f"{qualify(chat.id)}:leave:{left.id}:"
                                        f"{message.message_id}", ts=ts,
                                     community=qualify(chat.id), user=_bare(left)))
        return events

    # -- membership, buttons, reactions ----------------------------------------------------

    async def _chat_member(self, change: ChatMemberUpdated) -> list[Event]:
        chat: Chat = change.chat
        old, new = change.old_chat_member, change.new_chat_member
        if (old.status in STAFF) != (new.status in STAFF) or new.status in STAFF:
            self.members.invalidate(chat.id)
        if chat.type not in GROUP_TYPES:
            return []
        was, now = _present(old), _present(new)
        if new.user.id == self.me or was == now or not self._changed(chat.id, new.user.id, now):
            return []
        stamp = int(change.date.timestamp())
        if now:
            user = await self.members.user(chat.id, new.user, chat.type)
            return [MemberJoined(id=f"{qualify(chat.id)}:join:{new.user.id}:{stamp}",
                                 ts=_utc(change.date), community=qualify(chat.id), user=user)]
        self.members.forget(chat.id, new.user.id)
        return [MemberLeft(id=f"{qualify(chat.id)}:leave:{new.user.id}:{stamp}",
                           ts=_utc(change.date), community=qualify(chat.id),
                           user=_bare(new.user))]

    async def _join_request(self, request: ChatJoinRequest) -> list[Event]:
        chat = request.chat
        if chat.type not in GROUP_TYPES:
            return []
        user = await self.members.user(chat.id, request.from_user, chat.type)
        return [JoinRequested(id=f"{qualify(chat.id)}:request:{request.from_user.id}:"
                                 f"{int(request.date.timestamp())}", ts=_utc(request.date),
                              community=qualify(chat.id), user=user)]

    async def _private_callback(self, query: CallbackQuery) -> list[Event]:
        """A button under a private message: its data names its community (`bot.clicks`)."""
        message, data = query.message, query.data
        found = unscoped(data) if data is not None else None
        if message is None or found is None:
            return []
        custom_id, native = found
        chat = message.chat
        user = self.members.neutral(query.from_user, None)
        return [ButtonClicked(
            id=f"{qualify(chat.id)}:click:{query.id}", ts=datetime.now(UTC),
            community=qualify(int(native)), channel=qualify(chat.id),
            message_id=qualify(chat.id, message.message_id), user=user, custom_id=custom_id)]

    async def _callback(self, query: CallbackQuery) -> list[Event]:
        message = query.message
        if message is not None and message.chat.type == ChatType.PRIVATE:
            return await self._private_callback(query)
        if message is None or message.chat.type not in GROUP_TYPES or query.data is None:
            return []
        chat = message.chat
        user = await self.members.user(chat.id, query.from_user, chat.type)
        return [ButtonClicked(
            id=f"{qualify(chat.id)}:click:{query.id}", ts=datetime.now(UTC),
            community=qualify(chat.id), channel=qualify(chat.id),
            message_id=qualify(chat.id, message.message_id), user=user,
            custom_id=query.data)]

    async def _reaction(self, change: MessageReactionUpdated) -> list[Event]:
        chat = change.chat
        if change.user is None or chat.type not in GROUP_TYPES:
            return []  # anonymous reactions (by a chat) name nobody
        before = {_emoji(r) for r in change.old_reaction}
        added = [e for e in (_emoji(r) for r in change.new_reaction) if e not in before]
        if not added:
            return []
        user = await self.members.user(chat.id, change.user, chat.type)
        ref = qualify(chat.id, change.message_id)
        return [ReactionAdded(id=f"{ref}:react:{change.user.id}:{emoji}", ts=_utc(change.date),
                              community=qualify(chat.id), channel=qualify(chat.id),
                              message_id=ref, user=user, emoji=emoji) for emoji in added]


def _emoji(reaction: object) -> str:
    if isinstance(reaction, ReactionTypeEmoji):
        return str(reaction.emoji)
    if isinstance(reaction, ReactionTypeCustomEmoji):
        return f"custom:{reaction.custom_emoji_id}"
    return "paid"


def _bare(native: TgUser) -> User:
    return User(id=qualify(native.id), name=native.username or native.full_name,
                is_bot=native.is_bot)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _has_content(message: Message) -> bool:
    """Whether a message is something a member said or posted (not a service message)."""
    if message.text is not None or message.caption is not None:
        return True
    return any(getattr(message, kind, None) for kind, _ in MEDIA) or any(
        getattr(message, kind, None) for kind in ("poll", "contact", "location", "venue", "dice",
                                                   "game", "story"))


def _attachments(message: Message) -> tuple[Attachment, ...]:
    found = []
    for kind, default_type in MEDIA:
        value = getattr(message, kind, None)
        if not value:
            continue
        item = max(value, key=lambda p: p.file_size or 0) if isinstance(value, tuple) else value
        name = getattr(item, "file_name", None) or kind
        found.append(Attachment(filename=name,
                                content_type=getattr(item, "mime_type", None) or default_type,
                                size=getattr(item, "file_size", None) or 0))
    return tuple(found)

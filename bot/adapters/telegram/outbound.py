"""Neutral actions out as Bot API calls; every refusal becomes a failed result that says why."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from telegram import (
    Bot,
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyParameters,
)
from telegram.error import TelegramError

from bot.adapters.base import ActionResult, RenderedButton
from bot.adapters.telegram.errors import explain
from bot.adapters.telegram.ids import chat_id, message_ref, qualify, user_id
from bot.events import User
from bot.i18n import Catalog, Msg

__all__ = ["DEFAULT_PERMISSIONS", "MAX_RESTRICTION", "MIN_RESTRICTION", "Outbound",
           "restriction_end", "split_text"]

log = logging.getLogger("vigie.telegram")
T = TypeVar("T")
MIN_RESTRICTION = timedelta(seconds=30)  # shorter restrictions are permanent on Telegram
MAX_RESTRICTION = timedelta(days=366)  # and so are longer ones
SAFETY = timedelta(seconds=10)  # our clock and Telegram's may differ a little
MAX_TEXT = 4096  # UTF-16 code units per message
CAPTION_LIMIT = 1024  # characters of a caption under a photo or document
MAX_BUTTON_DATA = 64  # bytes of callback data
BULK = 100  # message ids per deleteMessages call
BUTTONS_PER_ROW = 3
# What members may do in a group Telegram creates today; restored by unlock when Vigie did not
# see the permissions before the lock (after a restart).
DEFAULT_PERMISSIONS = ChatPermissions(
    can_send_messages=True, can_send_audios=True, can_send_documents=True,
    can_send_photos=True, can_send_videos=True, can_send_video_notes=True,
    can_send_voice_notes=True, can_send_polls=True, can_send_other_messages=True,
    can_add_web_page_previews=True, can_invite_users=True, can_change_info=False,
    can_pin_messages=False, can_manage_topics=False)


def restriction_end(until: datetime, now: datetime) -> datetime | None:
    """`until_date` for a restriction: never inside Telegram's "forever" zone; None if too long."""
    if until - now > MAX_RESTRICTION + SAFETY:
        return None
    return max(until, now + MIN_RESTRICTION + SAFETY)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut `text` into messages Telegram accepts, at line ends where possible."""
    def size(piece: str) -> int:
        return len(piece.encode("utf-16-le")) // 2

    chunks: list[str] = []
    rest = text
    while size(rest) > limit:
        cut = len(rest)
        while size(rest[:cut]) > limit:
            cut = cut * 3 // 4
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        chunks.append(rest[:cut])
        rest = rest[cut:]
    chunks.append(rest)
    return [c for c in chunks if c] or [""]


class Outbound:
    """Bot API calls for each action; `language_of` gives a community's language (setup notes)."""

    def __init__(self, bot: Bot, catalog: Catalog,
                 language_of: Callable[[str], str] = lambda community: "en") -> None:
        self.bot = bot
        self.catalog = catalog
        self.language_of = language_of
        self._saved_permissions: dict[int, ChatPermissions] = {}

    # -- helpers ---------------------------------------------------------------------------

    def say(self, message: Msg, community: str = "") -> str:
        """A catalog message in the community's language."""
        try:
            lang = self.language_of(community)
        except Exception:
            lang = "en"
        return self.catalog.render(message.key, lang, dict(message.params))

    def english(self, message: Msg) -> str:
        """A catalog message in English (for logs and the case log)."""
        return self.catalog.render(message.key, "en", dict(message.params))

    def fail(self, message: Msg, community: str = "") -> ActionResult:
        """Failed: the English detail, and the explanation each reader gets in their language."""
        return ActionResult.failed(self.english(message), explanation=message)

    def refuse(self, message: Msg) -> ActionResult:
        """Unsupported: the English reason, and the explanation for readers."""
        return ActionResult.unsupported(self.english(message), explanation=message)

    async def call(self, method: str, pending: Awaitable[T], community: str = "",
                   member: str = "") -> T | ActionResult:
        """Await one Bot API call; a Telegram error comes back as a failed result."""
        try:
            return await pending
        except TelegramError as exc:
            log.warning("telegram refused method=%s community=%s error=%s", method, community,
                        exc)
            return self.fail(explain(exc, method, member), community)

    def _chat(self, channel: str) -> int | ActionResult:
        try:
            return chat_id(channel)
        except ValueError:
            return self.fail(Msg.of("telegram.limit.not_a_chat", value=channel))

    def _member(self, user: User, community: str) -> int | ActionResult:
        try:
            return user_id(user.id)
        except ValueError:
            return self.fail(Msg.of("telegram.limit.not_a_member", value=user.id), community)

    def _target(self, community: str, user: User) -> tuple[int, int] | ActionResult:
        """(chat, member) numbers of a sanction's target, or why they are not Telegram's."""
        chat, member = self._chat(community), self._member(user, community)
        if isinstance(chat, ActionResult):
            return chat
        if isinstance(member, ActionResult):
            return member
        return chat, member

    def _person_target(self, community: str, user: User) -> tuple[int, int] | ActionResult:
        """`_target`, refusing a channel identity (Telegram only restricts people)."""
        target = self._target(community, user)
        if not isinstance(target, ActionResult) and target[1] < 0:
            return self.fail(Msg.of("telegram.limit.channel_identity", member=user.name),
                             community)
        return target

    # -- messages --------------------------------------------------------------------------

    async def send(self, channel: str, text: str, reply_to: str | None = None,
                   buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """sendMessage (split when long; buttons under the last part); the first part's id."""
        chat = self._chat(channel)
        if isinstance(chat, ActionResult):
            return chat
        for button in buttons:
            if len(button.custom_id.encode()) > MAX_BUTTON_DATA:
                return self.refuse(Msg.of("telegram.limit.button_id", value=button.custom_id))
        reply = None
        if reply_to is not None:
            try:
                reply_chat, reply_id = message_ref(reply_to)
            except ValueError:
                reply_chat, reply_id = chat, 0
            if reply_chat == chat and reply_id:
                reply = ReplyParameters(message_id=reply_id, allow_sending_without_reply=True)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.custom_id)
              for b in buttons[i:i + BUTTONS_PER_ROW]]
             for i in range(0, len(buttons), BUTTONS_PER_ROW)]) if buttons else None
        parts = split_text(text)
        first: str | None = None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await self.call("sendMessage", self.bot.send_message(
                chat, part, reply_parameters=reply if index == 0 else None,
                reply_markup=markup if last else None), channel)
            if isinstance(sent, ActionResult):
                return sent
            first = first or qualify(chat, sent.message_id)
        return ActionResult.ok(message_id=first)

    async def send_file(self, channel: str, filename: str, data: bytes,
                        caption: str | None = None, reply_to: str | None = None
                        ) -> ActionResult:
        """sendPhoto for an image, sendDocument otherwise; a caption Telegram cannot hold under
        a file (1,024 characters) is sent as messages after it."""
        chat = self._chat(channel)
        if isinstance(chat, ActionResult):
            return chat
        reply = None
        if reply_to is not None:
            with contextlib.suppress(ValueError):
                reply_chat, reply_id = message_ref(reply_to)
                if reply_chat == chat and reply_id:
                    reply = ReplyParameters(message_id=reply_id, allow_sending_without_reply=True)
        short = caption if caption is not None and len(caption) <= CAPTION_LIMIT else None
        upload = InputFile(io.BytesIO(data), filename=filename)
        image = filename.lower().endswith((".png", ".jpg", ".jpeg"))
        method = "sendPhoto" if image else "sendDocument"
        call = self.bot.send_photo(chat, upload, caption=short, reply_parameters=reply) if image \
            else self.bot.send_document(chat, upload, caption=short, reply_parameters=reply)
        sent = await self.call(method, call, channel)
        if isinstance(sent, ActionResult):
            return sent
        if caption is not None and short is None:
            follow = await self.send(channel, caption)
            if not follow.succeeded:
                return follow
        return ActionResult.ok(message_id=qualify(chat, sent.message_id))

    async def delete(self, channel: str, message_ids: Sequence[str]) -> list[ActionResult]:
        """deleteMessage for one, deleteMessages (by 100) for several; one result per id."""
        chat = self._chat(channel)
        if isinstance(chat, ActionResult):
            return [chat] * len(message_ids)
        results: dict[int, ActionResult] = {}
        numbers: list[tuple[int, int]] = []
        for index, ref in enumerate(message_ids):
            try:
                ref_chat, number = message_ref(ref)
            except ValueError as exc:
                results[index] = ActionResult.failed(str(exc))
                continue
            if ref_chat != chat:
                results[index] = ActionResult.failed(f"{ref} is not in {channel}")
            else:
                numbers.append((index, number))
        for start in range(0, len(numbers), BULK):
            batch = numbers[start:start + BULK]
            ids = [n for _, n in batch]
            if len(ids) == 1:
                done: Any = await self.call("deleteMessage", self.bot.delete_message(
                    chat, ids[0]), channel)
            else:
                done = await self.call("deleteMessages", self.bot.delete_messages(
                    chat, ids), channel)
            result = done if isinstance(done, ActionResult) else ActionResult.ok()
            for index, _ in batch:
                results[index] = result
        return [results[i] for i in range(len(message_ids))]

    # -- members ---------------------------------------------------------------------------

    async def restrict(self, community: str, user: User, until: datetime) -> ActionResult:
        """restrictChatMember with nothing allowed until `until` (clamped, see restriction_end)."""
        target = self._person_target(community, user)
        if isinstance(target, ActionResult):
            return target
        chat, member = target
        end = restriction_end(until, datetime.now(UTC))
        if end is None:
            return self.refuse(Msg.of("telegram.limit.timeout_too_long"))
        done = await self.call("restrictChatMember", self.bot.restrict_chat_member(
            chat, member, ChatPermissions.no_permissions(), until_date=end), community)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

    async def unrestrict(self, community: str, user: User) -> ActionResult:
        """restrictChatMember with every permission: Telegram's way to lift a restriction."""
        target = self._person_target(community, user)
        if isinstance(target, ActionResult):
            return target
        chat, member = target
        done = await self.call("restrictChatMember", self.bot.restrict_chat_member(
            chat, member, ChatPermissions.all_permissions()), community)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

    async def ban(self, community: str, user: User, revoke: bool) -> ActionResult:
        """banChatMember (banChatSenderChat for a channel identity), for good."""
        target = self._target(community, user)
        if isinstance(target, ActionResult):
            return target
        chat, member = target
        if member < 0:
            done: Any = await self.call("banChatSenderChat", self.bot.ban_chat_sender_chat(
                chat, member), community)
        else:
            done = await self.call("banChatMember", self.bot.ban_chat_member(
                chat, member, revoke_messages=revoke), community)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

    async def unban(self, community: str, user: User) -> ActionResult:
        """unbanChatMember only if banned (otherwise Telegram would remove a present member)."""
        target = self._target(community, user)
        if isinstance(target, ActionResult):
            return target
        chat, member = target
        if member < 0:
            done: Any = await self.call("unbanChatSenderChat",
                                        self.bot.unban_chat_sender_chat(chat, member),
                                        community)
        else:
            done = await self.call("unbanChatMember", self.bot.unban_chat_member(
                chat, member, only_if_banned=True), community)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

    async def kick(self, community: str, user: User) -> ActionResult:
        """Telegram has no kick: ban, then unban at once so they may come back."""
        target = self._person_target(community, user)
        if isinstance(target, ActionResult):
            return target
        banned = await self.ban(community, user, revoke=False)
        if not banned.succeeded:
            return banned
        unbanned = await self.unban(community, user)
        if not unbanned.succeeded:
            return self.fail(Msg.of("telegram.kick.unban_failed", member=user.name,
                                    detail=unbanned.detail), community)
        return ActionResult.ok()

    # -- chats -----------------------------------------------------------------------------

    async def lock(self, channel: str) -> ActionResult:
        """setChatPermissions to nothing, keeping the permissions to restore at unlock."""
        chat = self._chat(channel)
        if isinstance(chat, ActionResult):
            return chat
        info = await self.call("getChat", self.bot.get_chat(chat), channel)
        if isinstance(info, ActionResult):
            return info
        if info.permissions is not None and info.permissions != ChatPermissions.no_permissions():
            self._saved_permissions[chat] = info.permissions
        done = await self.call("setChatPermissions", self.bot.set_chat_permissions(
            chat, ChatPermissions.no_permissions()), channel)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

    async def unlock(self, channel: str) -> ActionResult:
        """setChatPermissions back to what they were (Telegram's defaults if unknown)."""
        chat = self._chat(channel)
        if isinstance(chat, ActionResult):
            return chat
        permissions = self._saved_permissions.get(chat, DEFAULT_PERMISSIONS)
        done = await self.call("setChatPermissions", self.bot.set_chat_permissions(
            chat, permissions), channel)
        if isinstance(done, ActionResult):
            return done
        self._saved_permissions.pop(chat, None)
        return ActionResult.ok()

    async def dm(self, user: User, text: str,
                 buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """sendMessage to the member's private chat (only works once they started the bot, or
        while their join request waits); buttons under the last part; its id."""
        member = self._member(user, "")
        if isinstance(member, ActionResult):
            return member
        if member < 0:
            return self.fail(Msg.of("telegram.limit.channel_identity", member=user.name))
        for button in buttons:
            if len(button.custom_id.encode()) > MAX_BUTTON_DATA:
                return self.refuse(Msg.of("telegram.limit.button_id", value=button.custom_id))
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.custom_id)
              for b in buttons[i:i + BUTTONS_PER_ROW]]
             for i in range(0, len(buttons), BUTTONS_PER_ROW)]) if buttons else None
        parts = split_text(text)
        last_id: str | None = None
        for index, part in enumerate(parts):
            sent = await self.call("sendMessage", self.bot.send_message(
                member, part, reply_markup=markup if index == len(parts) - 1 else None),
                member=user.name)
            if isinstance(sent, ActionResult):
                return sent
            last_id = qualify(member, sent.message_id)
        return ActionResult.ok(message_id=last_id)

    async def join_request(self, community: str, user: User, approve: bool) -> ActionResult:
        """approveChatJoinRequest or declineChatJoinRequest."""
        target = self._person_target(community, user)
        if isinstance(target, ActionResult):
            return target
        chat, member = target
        if approve:
            done: Any = await self.call("approveChatJoinRequest",
                                        self.bot.approve_chat_join_request(chat, member),
                                        community)
        else:
            done = await self.call("declineChatJoinRequest",
                                   self.bot.decline_chat_join_request(chat, member), community)
        return done if isinstance(done, ActionResult) else ActionResult.ok()

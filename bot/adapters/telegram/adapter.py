"""The Telegram adapter: a python-telegram-bot Application, its updates in, Vigie's actions out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from telegram import Bot, ChatMemberAdministrator, ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext, TypeHandler

from bot.adapters.base import ActionResult, Adapter, EventSink, RenderedButton
from bot.adapters.telegram import native
from bot.adapters.telegram.config import TelegramConfig
from bot.adapters.telegram.errors import TelegramStartError
from bot.adapters.telegram.forward import RETRY_LATER, Forwarder
from bot.adapters.telegram.ids import PLATFORM, chat_id, qualify
from bot.adapters.telegram.ids import user_id as native_user_id
from bot.adapters.telegram.inbound import GROUP_TYPES, Inbound
from bot.adapters.telegram.lanes import Lanes
from bot.adapters.telegram.members import ChatMembers
from bot.adapters.telegram.menus import publish_menus
from bot.adapters.telegram.outbound import Outbound
from bot.adapters.telegram.polling import PollingLeader
from bot.adapters.telegram.publish import publish
from bot.adapters.telegram.ratelimit import VigieRateLimiter
from bot.adapters.telegram.webhook import WebhookServer
from bot.commands.spec import CommandSpec
from bot.events import User
from bot.fleet.routing import Peer, Routing
from bot.i18n import Catalog, Msg, pick_language
from bot.logs import redact
from bot.shared import SharedWindows

__all__ = ["ALLOWED_UPDATES", "TelegramAdapter"]

log = logging.getLogger("vigie.telegram")
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "chat_member",
                   "my_chat_member", "message_reaction", "chat_join_request")
STOP_GRACE = 10.0  # seconds given to updates in progress at shutdown
HANDLED, DUPLICATE, BUSY = "handled", "duplicate", "busy"
PRIVATE_NOTE_EVERY = 3600.0  # seconds between two "I work in groups" notes to one person
NEEDED_RIGHTS = (("can_delete_messages", "delete"), ("can_restrict_members", "ban"))
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class TelegramAdapter(Adapter):
    """Serves every group the bot is in; long polling by default, webhook when configured."""

    platform: ClassVar[str] = PLATFORM
    capabilities: ClassVar[frozenset[str]] = frozenset(
        {"delete", "bulk_delete", "timeout", "kick", "ban", "lock", "dm", "buttons",
         "reactions", "command_menu"})  # no "slowmode": the Bot API cannot set it
    max_timeout: ClassVar[timedelta | None] = timedelta(days=366)
    min_timeout: ClassVar[timedelta | None] = timedelta(seconds=30)

    def __init__(self, config: TelegramConfig, *, catalog: Catalog | None = None,
                 builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] | None = None
                 ) -> None:
        self.config = config
        builder = (builder or ApplicationBuilder()).token(config.token) \
            .base_url(config.base_url).base_file_url(config.base_file_url) \
            .rate_limiter(VigieRateLimiter())
        if config.webhook is not None:
            builder = builder.updater(None)
        self.application: AnyApplication = builder.build()
        self.bot: Bot = self.application.bot
        self.members = ChatMembers(self.bot)
        self.inbound = Inbound(self.members)
        self.outbound = Outbound(self.bot, catalog or Catalog())
        self.lanes: Lanes[Update] = Lanes(self._process)
        self.webhook: WebhookServer | None = None
        self.username: str | None = None
        self._sink: EventSink | None = None
        self._chats: set[int] = set()
        self._titles: dict[int, str] = {}
        self._private_notes: dict[int, float] = {}
        self._connected = False
        self._running = False
        self._closed = asyncio.Event()
        self.shared: SharedWindows | None = None  # Redis: an update is handled by one worker
        self.routing: Routing | None = None  # several workers: each chat served by one of them
        self.forwarder: Forwarder | None = None
        self.leader: PollingLeader | None = None
        self.application.add_handler(TypeHandler(Update, self._receive))

    def __repr__(self) -> str:
        return f"TelegramAdapter(server={self.config.server!r}, bot={self.username!r})"

    @property
    def language_of(self) -> Callable[[str], str]:
        """Language of a community (for what Vigie posts on its own); set by whoever runs it."""
        return self.outbound.language_of

    @language_of.setter
    def language_of(self, value: Callable[[str], str]) -> None:
        self.outbound.language_of = value

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> None:
        """Check the token with getMe; TelegramStartError says what is wrong, without the token."""
        if self._connected:
            return
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
        try:
            await self.application.initialize()
        except TelegramError as exc:
            with contextlib.suppress(Exception):
                await self.bot.shutdown()  # close the HTTP connections opened for getMe
            if isinstance(exc, InvalidToken):
                raise TelegramStartError(
                    "Telegram rejected TELEGRAM_TOKEN: copy the token again from @BotFather "
                    "(/mybots → your bot → API Token)") from None
            raise TelegramStartError(
                f"could not reach the Telegram Bot API at {self.config.server}: "
                f"{redact(str(exc))}") from None
        me = self.bot.bot
        self.bot_id = qualify(me.id)
        self.username = me.username
        self.bot_username = me.username
        self.inbound.me = me.id
        self._connected = True
        if not me.can_read_all_group_messages:
            log.warning("privacy mode is on for @%s: in groups where it is not an admin, Vigie "
                        "only sees commands and replies to it (BotFather: /setprivacy → "
                        "Disable, or make it an admin)", me.username)

    async def start(self, sink: EventSink) -> None:
        """Connect, then receive updates by long polling or through the webhook."""
        await self.connect()
        self._sink = sink
        await self.application.start()
        self._running = True
        webhook = self.config.webhook
        if webhook is not None:
            if self.routing is not None:
                self.forwarder = Forwarder(webhook.secret, self.routing.worker_id)
            self.webhook = WebhookServer(webhook, self._accept_webhook)
            await self.webhook.start()
            await self.bot.set_webhook(webhook.url, secret_token=webhook.secret,
                                       allowed_updates=list(ALLOWED_UPDATES),
                                       drop_pending_updates=self.config.drop_pending_updates)
            log.info("telegram started bot=@%s mode=webhook", self.username)
            return
        if self.routing is not None and self.routing.owners.enabled:
            self.leader = PollingLeader(self.routing, f"telegram-poller:{self.bot_id}",
                                        self._start_polling, self._stop_polling)
            self.leader.start()
            log.info("telegram started bot=@%s mode=polling (one leader among the workers)",
                     self.username)
            return
        await self._start_polling()
        log.info("telegram started bot=@%s mode=polling", self.username)

    async def _start_polling(self) -> None:
        updater = self.application.updater
        assert updater is not None
        await updater.start_polling(
            timeout=int(self.config.poll_timeout), allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=self.config.drop_pending_updates,
            error_callback=self._polling_error)

    async def _stop_polling(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    def join_fleet(self, routing: Routing, shared: SharedWindows | None) -> None:
        """Each chat served by one worker (webhooks forward, polling has one leader); each
        update taken once (Redis)."""
        self.routing = routing
        self.shared = shared

    @property
    def peer_url(self) -> str:
        """Where other webhook workers post this worker's chats' updates ('' when polling)."""
        webhook = self.config.webhook
        if webhook is None or self.webhook is None:
            return ""
        if webhook.peer_url:
            return webhook.peer_url
        host = webhook.listen
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        return f"http://{host}:{self.webhook.port}{webhook.path}"

    async def stop(self) -> None:
        """Stop receiving, let updates in progress finish, then close the connection."""
        if self._running:
            self._running = False
            if self.webhook is not None:
                await self.webhook.stop()
            if self.forwarder is not None:
                await self.forwarder.close()
            if self.leader is not None:
                await self.leader.stop()
            await self._stop_polling()
            if self.application.running:
                await self.application.stop()  # hands the updates already fetched to the lanes
            if not await self.lanes.drain(STOP_GRACE):
                log.warning("stopping with updates still in progress")
            await self.lanes.close()
        if self._connected:
            self._connected = False
            await self.application.shutdown()
        self._closed.set()

    async def closed(self) -> None:
        """Telegram never ends on its own: wait until stopped."""
        await self._closed.wait()

    def _polling_error(self, exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            log.error("another process is receiving this bot's updates (409 Conflict): run one "
                      "Vigie per bot token, and no webhook while polling")
        else:
            log.warning("polling error (retrying): %s", redact(str(exc)))

    # -- updates in ------------------------------------------------------------------------

    async def _accept_webhook(self, data: dict[str, Any], forwarded_by: str | None) -> int:
        """One posted update: handled here (answered once done) or forwarded to its chat's
        worker; the HTTP status for Telegram (503: post it again later)."""
        try:
            update = Update.de_json(data, self.bot)
        except Exception as exc:
            raise ValueError(f"not an update: {exc}") from exc
        chat = update.effective_chat
        if self.routing is not None and chat is not None and chat.type in GROUP_TYPES:
            route = await self.routing.route(qualify(chat.id))
            if isinstance(route, Peer):
                if forwarded_by is not None or self.forwarder is None:
                    log.info("update %s: chat %s is held by worker %s; asking for a retry",
                             update.update_id, chat.id, route.worker_id)
                    return RETRY_LATER
                return await self.forwarder.post(route.url, data)
        outcome = await self._lane_of(update)
        return RETRY_LATER if outcome == BUSY else 200

    def _lane_of(self, update: Update) -> asyncio.Future[str]:
        chat = update.effective_chat
        user = update.effective_user
        return self.lanes.submit(chat.id if chat else (user.id if user else 0), update)

    async def _receive(self, update: Update, _context: CallbackContext[Any, Any, Any, Any]
                       ) -> None:
        """PTB's handler (long polling): hand the update to its chat's lane, return at once."""
        self._lane_of(update)

    async def _process(self, update: Update) -> str:
        """One update, in its chat's order, taken once across workers (Redis); its outcome."""
        key = f"telegram:{self.bot_id}:update:{update.update_id}"
        taken = await self.shared.begin(key) if self.shared is not None else None
        if taken in (BUSY, "done"):
            log.debug("update %s already %s at another worker", update.update_id, taken)
            return BUSY if taken == BUSY else DUPLICATE
        await self._handle_update(update)
        if taken == "mine" and self.shared is not None:
            await self.shared.finish(key)
        return HANDLED

    async def _handle_update(self, update: Update) -> None:
        """Side duties, then the update's events to the core."""
        chat = update.effective_chat
        if chat is not None and chat.type in GROUP_TYPES:
            self._chats.add(chat.id)
            if chat.title:
                self._titles[chat.id] = chat.title
        if update.my_chat_member is not None:
            await self._my_membership(update.my_chat_member)
            return
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as exc:
                log.info("callback not answered: %s", exc)
        message = update.message
        if message is not None and message.chat.type == ChatType.PRIVATE:
            await self._private(update)
            return
        for event in await self.inbound.events(update):
            if self._sink is not None:
                await self._sink(event)

    async def _private(self, update: Update) -> None:
        """A private chat is no community: /start is greeted (so notices can be sent); anything
        else gets a short note that Vigie works in groups, at most once per PRIVATE_NOTE_EVERY."""
        message = update.message
        if message is None or message.from_user is None:
            return
        sender = message.from_user
        starting = (message.text or "").startswith("/start")
        if not starting:
            now = time.monotonic()
            last = self._private_notes.get(sender.id)
            if last is not None and now - last < PRIVATE_NOTE_EVERY:
                return
            if len(self._private_notes) > 10_000:
                self._private_notes.clear()
            self._private_notes[sender.id] = now
        lang = pick_language(sender.language_code, self.outbound.language_of(""))
        key = "telegram.start" if starting else "telegram.private"
        text = self.outbound.catalog.render(key, lang, {"name": sender.first_name})
        try:
            await self.bot.send_message(message.chat.id, text)
        except TelegramError as exc:
            log.info("private answer not sent: %s", exc)

    async def _my_membership(self, change: ChatMemberUpdated) -> None:
        """Vigie was added, promoted, demoted or removed: say which rights it still needs."""
        chat = change.chat
        self.members.invalidate(chat.id)
        new = change.new_chat_member
        if chat.type == ChatType.CHANNEL:
            self.notify_operator(f"added to the channel {chat.title!r} ({qualify(chat.id)}) as "
                                 f"{new.status}: Vigie moderates groups, not broadcast channels")
            return
        if chat.type not in GROUP_TYPES:
            return
        if new.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            self._chats.discard(chat.id)
            self.notify_operator(f"removed from {chat.title!r} ({qualify(chat.id)})")
            return
        missing = [right for attribute, right in NEEDED_RIGHTS
                   if not (isinstance(new, ChatMemberAdministrator) and getattr(new, attribute))]
        self.notify_operator(
            f"in {chat.title!r} ({qualify(chat.id)}) as {new.status}"
            + (f"; missing rights: {', '.join(missing)}" if missing else "; rights complete"))
        if not missing:
            return
        community = qualify(chat.id)
        rights = ", ".join(self.outbound.say(Msg.of(f"telegram.right.{r}"), community)
                           for r in missing)
        await self.outbound.send(community, self.outbound.say(
            Msg.of("telegram.setup.missing_rights", rights=rights), community))

    # -- the adapter contract --------------------------------------------------------------

    async def publish_commands(self, specs: Sequence[CommandSpec], catalog: Catalog) -> None:
        """setMyCommands in English and French, CM commands only for administrators."""
        self.outbound.catalog = catalog
        await publish_menus(self.bot, specs, catalog)

    async def owns_channel(self, community: str, channel: str) -> bool:
        """A Telegram group is its own only channel."""
        return channel == community

    def channel_mention(self, channel: str) -> str:
        """A group by its title, once Vigie has heard from it."""
        try:
            title = self._titles.get(chat_id(channel))
        except ValueError:
            title = None
        return title if title is not None else super().channel_mention(channel)

    def communities(self) -> set[str]:
        """The groups Vigie has heard from since it started (Telegram cannot list them)."""
        return {qualify(c) for c in self._chats}

    def notify_operator(self, text: str) -> None:
        """Logged: whoever runs the bot reads the log."""
        log.warning("operator: %s", redact(text))

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """sendMessage, as a reply when asked, with inline buttons."""
        return await self.outbound.send(channel, text, reply_to, buttons)

    async def publish(self, channel: str, parts: Sequence[str], *, markup: str, image: str,
                      preview: bool, pin: bool, unpin: str) -> ActionResult:
        """A scheduled post (bot/adapters/telegram/publish.py): HTML, previews, image, pin."""
        return await publish(self.outbound, channel, parts, markup=markup, image=image,
                             preview=preview, pin=pin, unpin=unpin)

    async def send_file(self, channel: str, filename: str, data: bytes, *,
                        caption: str | None = None, reply_to: str | None = None
                        ) -> ActionResult:
        """sendPhoto (an image) or sendDocument, with its caption, as a reply when asked."""
        return await self.outbound.send_file(channel, filename, data, caption, reply_to)

    async def send_poll(self, channel: str, question: str, options: Sequence[str],
                        duration: timedelta) -> ActionResult:
        """sendPoll (ended by close_poll when its time is up)."""
        return await native.send_poll(self.outbound, channel, question, options)

    async def close_poll(self, channel: str, message_id: str) -> ActionResult:
        """stopPoll, with the final counts."""
        return await native.close_poll(self.outbound, channel, message_id)

    async def pin_message(self, channel: str, message_id: str, pinned: bool) -> ActionResult:
        """pinChatMessage / unpinChatMessage."""
        return await native.pin_message(self.outbound, channel, message_id, pinned)

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        """deleteMessage."""
        return (await self.outbound.delete(channel, [message_id]))[0]

    async def delete_messages(self, channel: str, message_ids: Sequence[str], *,
                              reason: str) -> list[ActionResult]:
        """deleteMessages, by hundreds."""
        return await self.outbound.delete(channel, message_ids)

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        """restrictChatMember with no permissions until `until`."""
        return await self.outbound.restrict(community, user, until)

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        """restrictChatMember with every permission."""
        return await self.outbound.unrestrict(community, user)

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """banChatMember then unbanChatMember."""
        return await self.outbound.kick(community, user)

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        """banChatMember; with a purge window, Telegram removes all their messages in the chat."""
        return await self.outbound.ban(community, user, revoke=delete_message_seconds > 0)

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """unbanChatMember (only if banned)."""
        return await self.outbound.unban(community, user)

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        """The Bot API cannot set slow mode: unsupported, so the core enforces it by deleting."""
        return self.outbound.refuse(Msg.of("telegram.limit.slowmode"))

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """setChatPermissions: members may send nothing (administrators still can)."""
        return await self.outbound.lock(channel)

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """setChatPermissions back to what they were."""
        return await self.outbound.unlock(channel)

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """A private message; fails clearly for people who never started the bot."""
        return await self.outbound.dm(user, text, buttons)

    async def approve_join(self, community: str, user: User) -> ActionResult:
        """approveChatJoinRequest."""
        return await self.outbound.join_request(community, user, approve=True)

    async def decline_join(self, community: str, user: User) -> ActionResult:
        """declineChatJoinRequest."""
        return await self.outbound.join_request(community, user, approve=False)

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        """To the team's alerts chat (alerts_channel in the rule file)."""
        if channel is None:
            log.warning("alert not delivered: no alerts_channel for %s", community)
            return self.outbound.refuse(Msg.of("telegram.limit.no_alerts_channel",
                                               community=community))
        return await self.outbound.send(channel, text)

    async def find_members(self, community: str, query: str) -> list[User]:
        """Telegram cannot search members: administrators and people seen recently."""
        try:
            chat = chat_id(community)
        except ValueError:
            return []
        await self.members.admins(chat)
        return self.members.named(chat, query)

    async def lookup_member(self, community: str, user_id: str) -> User | None:
        """getChatMember: the member as Telegram sees them now (admin or not); None if unknown."""
        try:
            chat, member = chat_id(community), native_user_id(user_id)
        except ValueError:
            return None
        if member < 0:
            return None
        try:
            found = await self.bot.get_chat_member(chat, member)
        except TelegramError as exc:
            log.info("member lookup failed community=%s user=%s error=%s", community, user_id, exc)
            return None
        staff = found.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
        return self.members.neutral(found.user, found.status if staff else None)


"""An in-process fake Telegram Bot API server (aiohttp on 127.0.0.1, random port).

It implements the methods Vigie calls with the payloads and errors Telegram gives, keeps every
call for assertions, serves long polling (getUpdates), and builds updates the way Telegram sends
them (messages, edits, joins as a service message and a chat_member update, button clicks).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

__all__ = ["TOKEN", "ApiCall", "ApiError", "FakeBotApi"]

# Shaped like a real token, so the log redaction is exercised by the tests.
TOKEN = "123456789:AAHfakeTokenForTestsOnly-abcdefghijklm"
BOT_ID = 999000
JSON_FIELDS = {"reply_markup", "permissions", "reply_parameters", "commands", "scope",
               "message_ids", "allowed_updates", "link_preview_options", "entities"}
NO_RIGHTS_RESTRICT = "Bad Request: not enough rights to restrict/unrestrict chat member"
ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
                "can_pin_messages", "can_manage_topics")
MEMBER_PERMISSIONS = ("can_send_messages", "can_send_audios", "can_send_documents",
                      "can_send_photos", "can_send_videos", "can_send_video_notes",
                      "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
                      "can_add_web_page_previews", "can_change_info", "can_invite_users",
                      "can_pin_messages", "can_manage_topics")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class _Failure:
    method: str
    error: ApiError
    times: int
    when: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class _Chat:
    id: int
    type: str
    title: str
    permissions: dict[str, bool] = field(default_factory=lambda: {
        p: p not in ("can_change_info", "can_pin_messages", "can_manage_topics")
        for p in MEMBER_PERMISSIONS})
    admins: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_rights: dict[str, bool] = field(default_factory=dict)


class FakeBotApi:
    """The fake server; `calls` holds every request, `updates` what getUpdates will serve."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Vigie",
                         "username": "VigieBot", "can_join_groups": True,
                         "can_read_all_group_messages": True, "supports_inline_queries": False}
        self.chats: dict[int, _Chat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.started: set[int] = set()  # users who pressed Start: the bot may write to them
        self.requests: set[tuple[int, int]] = set()  # (chat, user) join requests waiting
        self.answered: dict[tuple[int, int], str] = {}  # join requests: approved / declined
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.restricted: dict[tuple[int, int], dict[str, Any]] = {}
        self.banned: set[tuple[int, int]] = set()
        self.webhook: dict[str, Any] | None = None
        self.failures: list[_Failure] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._arrived = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What the bot is configured with (the token follows)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeBotApi:
        """Listen on 127.0.0.1, a free port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop listening."""
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _serve(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return _answer({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(ApiCall(method, params, time.time()))
        try:
            self._maybe_fail(method, params)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            body: dict[str, Any] = {"ok": False, "error_code": exc.status,
                                    "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return _answer(body, exc.status)
        return _answer({"ok": True, "result": result}, 200)

    def _maybe_fail(self, method: str, params: dict[str, Any]) -> None:
        for failure in self.failures:
            if failure.method == method and failure.times and (
                    failure.when is None or failure.when(params)):
                failure.times -= 1
                raise failure.error

    # -- test controls ---------------------------------------------------------------------

    def fail(self, method: str, status: int, description: str, *, times: int = 1,
             when: Callable[[dict[str, Any]], bool] | None = None, **parameters: Any) -> None:
        """The next `times` calls of `method` (matching `when`) get this error."""
        self.failures.append(_Failure(method, ApiError(status, description, **parameters),
                                      times, when))

    def of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call to `method`, in order."""
        return [c.params for c in self.calls if c.method == method]

    def user(self, user_id: int, first_name: str, username: str | None = None,
             language_code: str | None = "en", is_bot: bool = False) -> dict[str, Any]:
        """A Telegram user."""
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def group(self, chat_id: int, title: str, kind: str = "supergroup", *,
              bot_rights: dict[str, bool] | None = None) -> _Chat:
        """A group the bot is an administrator of (with every right unless told otherwise)."""
        rights = {r: True for r in ADMIN_RIGHTS}
        rights.update(bot_rights or {})
        chat = _Chat(chat_id, kind, title, bot_rights=rights)
        chat.admins[BOT_ID] = self._admin(self.bot_user, rights)
        self.chats[chat_id] = chat
        return chat

    def make_admin(self, chat_id: int, user: dict[str, Any], creator: bool = False) -> None:
        """`user` becomes the creator or an administrator of the chat."""
        chat = self.chats[chat_id]
        chat.admins[user["id"]] = {"status": "creator", "user": user, "is_anonymous": False} \
            if creator else self._admin(user, {r: True for r in ADMIN_RIGHTS})

    @staticmethod
    def _admin(user: dict[str, Any], rights: dict[str, bool]) -> dict[str, Any]:
        return {"status": "administrator", "user": user, "can_be_edited": False,
                "is_anonymous": False, **{r: rights.get(r, False) for r in ADMIN_RIGHTS}}

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (or the test to post to a webhook)."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._arrived.set()
        return update

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        chat = self.chats.get(chat_id)
        if chat is None:
            user = self.users.get(chat_id, {"first_name": "?"})
            return {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        return {"id": chat.id, "type": chat.type, "title": chat.title}

    def _next_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def message(self, chat_id: int, user: dict[str, Any] | None, text: str | None = None, *,
                reply_to: dict[str, Any] | None = None,
                entities: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
        """A message as Telegram describes it (stored, not yet delivered)."""
        message: dict[str, Any] = {"message_id": self._next_id(chat_id), "date": int(time.time()),
                                   "chat": self._chat_json(chat_id), **extra}
        if user is not None:
            message["from"] = user
        if text is not None:
            message["text"] = text
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = {k: v for k, v in reply_to.items()
                                           if k != "reply_to_message"}
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def post(self, chat_id: int, user: dict[str, Any], text: str, **kwargs: Any
             ) -> dict[str, Any]:
        """`user` says `text` in the chat; the message (for replies and edits)."""
        message = self.message(chat_id, user, text, **kwargs)
        if text.startswith("/"):
            length = len(text.split()[0])
            message.setdefault("entities", []).insert(
                0, {"type": "bot_command", "offset": 0, "length": length})
        self.push({"message": message})
        return message

    def edit(self, message: dict[str, Any], text: str) -> dict[str, Any]:
        """The author edits a message."""
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self.messages[(message["chat"]["id"], message["message_id"])] = edited
        self.push({"edited_message": edited})
        return edited

    def join(self, chat_id: int, user: dict[str, Any]) -> None:
        """`user` joins: a chat_member update and a "new members" service message, as Telegram."""
        now = int(time.time())
        self.push({"chat_member": {
            "chat": self._chat_json(chat_id), "from": user, "date": now,
            "old_chat_member": {"status": "left", "user": user},
            "new_chat_member": {"status": "member", "user": user}}})
        service = self.message(chat_id, user, new_chat_members=[user])
        self.push({"message": service})

    def join_request(self, chat_id: int, user: dict[str, Any]) -> None:
        """`user` asks to join a group that approves members (a chat_join_request update)."""
        self.requests.add((chat_id, user["id"]))
        self.push({"chat_join_request": {
            "chat": self._chat_json(chat_id), "from": user, "user_chat_id": user["id"],
            "date": int(time.time())}})

    def _answer_request(self, p: dict[str, Any], outcome: str) -> bool:
        chat_id, user_id = int(p["chat_id"]), int(p["user_id"])
        self._rights(chat_id, "can_invite_users", "Bad Request: not enough rights")
        if (chat_id, user_id) not in self.requests:
            raise ApiError(400, "Bad Request: HIDE_REQUESTER_MISSING")
        self.requests.discard((chat_id, user_id))
        self.answered[(chat_id, user_id)] = outcome
        return True

    def _m_approveChatJoinRequest(self, p: dict[str, Any]) -> bool:
        return self._answer_request(p, "approved")

    def _m_declineChatJoinRequest(self, p: dict[str, Any]) -> bool:
        return self._answer_request(p, "declined")

    def click(self, message: dict[str, Any], user: dict[str, Any], data: str) -> str:
        """`user` presses a button under a bot message; the callback query id."""
        query_id = f"cq{next(self._update_ids)}"
        self.push({"callback_query": {"id": query_id, "from": user, "chat_instance": "42",
                                      "message": message, "data": data}})
        return query_id

    def bot_status(self, chat_id: int, status: str, rights: dict[str, bool] | None = None
                   ) -> None:
        """The bot's own membership changes (added, promoted, demoted)."""
        new: dict[str, Any] = {"status": status, "user": self.bot_user}
        if status == "administrator":
            new = self._admin(self.bot_user, rights or {})
        owner = next((a["user"] for a in self.chats[chat_id].admins.values()
                      if a["status"] == "creator"), self.bot_user)
        self.push({"my_chat_member": {
            "chat": self._chat_json(chat_id), "from": owner, "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": self.bot_user},
            "new_chat_member": new}})

    # -- Bot API methods -------------------------------------------------------------------

    def _m_getMe(self, _p: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _m_deleteWebhook(self, _p: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def _m_setWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = p
        return True

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset", 0) or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._arrived.clear()
            timeout = float(p.get("timeout", 0) or 0)
            if timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), timeout)
        limit = int(p.get("limit", 100) or 100)
        return self._updates[:limit]

    def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        if chat_id > 0 and chat_id not in self.started and \
                not any(user == chat_id for _, user in self.requests):
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat_id < 0 and chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        text = str(p.get("text", ""))
        if not text or len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long" if text else
                           "Bad Request: message text is empty")
        extra: dict[str, Any] = {}
        reply = p.get("reply_parameters")
        if reply:
            target = self.messages.get((chat_id, int(reply["message_id"])))
            if target is not None:
                extra["reply_to"] = target
        message = self.message(chat_id, self.bot_user, text, **extra)
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        return message

    def _m_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._file_message(p, "photo")

    def _m_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._file_message(p, "document")

    def _file_message(self, p: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        if chat_id < 0 and chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        upload = p.get(kind)
        if not isinstance(upload, dict) or not upload.get("data"):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = str(p.get("caption") or "")
        if len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        message = self.message(chat_id, self.bot_user, None)
        message["caption"] = caption
        size = len(upload["data"])
        message[kind] = [{"file_id": f"f{size}", "file_unique_id": f"u{size}", "width": 1,
                          "height": 1, "file_size": size}] if kind == "photo" else \
            {"file_id": f"f{size}", "file_unique_id": f"u{size}",
             "file_name": upload["filename"], "file_size": size}
        return message

    def _rights(self, chat_id: int, right: str, description: str) -> _Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if not chat.bot_rights.get(right):
            raise ApiError(400, description)
        return chat

    def _m_deleteMessage(self, p: dict[str, Any]) -> bool:
        chat_id, number = int(p["chat_id"]), int(p["message_id"])
        message = self.messages.get((chat_id, number))
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if message.get("from", {}).get("id") != BOT_ID:
            self._rights(chat_id, "can_delete_messages", "Bad Request: message can't be deleted")
        del self.messages[(chat_id, number)]
        return True

    def _m_deleteMessages(self, p: dict[str, Any]) -> bool:
        chat_id = int(p["chat_id"])
        self._rights(chat_id, "can_delete_messages", "Bad Request: message can't be deleted")
        for number in p["message_ids"]:
            self.messages.pop((chat_id, int(number)), None)
        return True

    def _member_target(self, chat: _Chat, user_id: int) -> None:
        status = chat.admins.get(user_id, {}).get("status")
        if status == "creator":
            raise ApiError(400, "Bad Request: can't remove chat owner")
        if status == "administrator":
            raise ApiError(400, "Bad Request: user is an administrator of the chat")

    def _m_restrictChatMember(self, p: dict[str, Any]) -> bool:
        chat = self._rights(int(p["chat_id"]), "can_restrict_members", NO_RIGHTS_RESTRICT)
        if chat.type != "supergroup":
            raise ApiError(400, "Bad Request: method is available only for supergroups")
        user_id = int(p["user_id"])
        self._member_target(chat, user_id)
        self.restricted[(chat.id, user_id)] = {
            "permissions": p["permissions"], "until_date": int(p.get("until_date", 0) or 0)}
        return True

    def _m_banChatMember(self, p: dict[str, Any]) -> bool:
        chat = self._rights(int(p["chat_id"]), "can_restrict_members", NO_RIGHTS_RESTRICT)
        user_id = int(p["user_id"])
        self._member_target(chat, user_id)
        self.banned.add((chat.id, user_id))
        return True

    def _m_unbanChatMember(self, p: dict[str, Any]) -> bool:
        chat = self._rights(int(p["chat_id"]), "can_restrict_members", NO_RIGHTS_RESTRICT)
        self.banned.discard((chat.id, int(p["user_id"])))
        return True

    def _m_setChatPermissions(self, p: dict[str, Any]) -> bool:
        chat = self._rights(int(p["chat_id"]), "can_restrict_members",
                            "Bad Request: not enough rights to change chat permissions")
        chat.permissions = {k: bool(p["permissions"].get(k, False)) for k in MEMBER_PERMISSIONS}
        return True

    def _m_getChat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.chats.get(int(p["chat_id"]))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return {"id": chat.id, "type": chat.type, "title": chat.title,
                "permissions": chat.permissions, "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False,
                                        "gifts_from_channels": False}}

    def _m_getChatAdministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self.chats.get(int(p["chat_id"]))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return list(chat.admins.values())

    def _m_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self.chats.get(int(p["chat_id"]))
        user_id = int(p["user_id"])
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if user_id in chat.admins:
            return chat.admins[user_id]
        if user_id not in self.users:
            raise ApiError(400, "Bad Request: user not found")
        status = "kicked" if (chat.id, user_id) in self.banned else "member"
        member: dict[str, Any] = {"status": status, "user": self.users[user_id]}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def _m_setMyCommands(self, _p: dict[str, Any]) -> bool:
        return True

    def _m_answerCallbackQuery(self, _p: dict[str, Any]) -> bool:
        return True


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):  # an uploaded file: its name and its bytes
            params[key] = {"filename": value.filename, "data": value.file.read()}
            continue
        text = value if isinstance(value, str) else str(value)
        params[key] = json.loads(text) if key in JSON_FIELDS else text
    return params


def _answer(body: dict[str, Any], status: int) -> web.Response:
    return web.json_response(body, status=status)


async def post_json(url: str, data: dict[str, Any], headers: dict[str, str] | None = None
                    ) -> int:
    """POST an update to a webhook as Telegram would; the HTTP status."""
    async with aiohttp.ClientSession() as session, session.post(
            url, json=data, headers=headers or {}) as response:
        return response.status

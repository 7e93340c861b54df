"""Platform errors become clear results: missing rights, 403, 429, 5xx, network, migration."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.telegram import TelegramAdapter, TelegramStartError
from bot.adapters.telegram.config import TelegramConfig
from bot.events import User
from bot.i18n import Catalog
from bot.logs import configure_logging
from tests.adapters.telegram.conftest import GROUP, telegram_config
from tests.adapters.telegram.fakebot import TOKEN, FakeBotApi

BOB = User(id="telegram:12", name="bob")
ALICE = User(id="telegram:11", name="alice")
COMMUNITY = f"telegram:{GROUP}"


@pytest.fixture
async def pair() -> AsyncIterator[tuple[FakeBotApi, TelegramAdapter]]:
    """A connected adapter (not polling) and its fake server."""
    server = await FakeBotApi().start()
    server.group(GROUP, "Brand group")
    server.make_admin(GROUP, server.user(11, "Alice", "alice"), creator=True)
    server.user(12, "Bob", "bob")
    adapter = TelegramAdapter(telegram_config(server))
    await adapter.connect()
    yield server, adapter
    await adapter.stop()
    await server.stop()


async def test_missing_right_names_the_right_to_grant(
        pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """400 "not enough rights" on a mute or ban says to grant 'Ban users'; deleting, the other."""
    server, adapter = pair
    server.chats[GROUP].bot_rights.update(can_restrict_members=False, can_delete_messages=False)
    until = datetime.now(UTC) + timedelta(minutes=5)
    for result in (await adapter.timeout_member(COMMUNITY, BOB, until, reason="x"),
                   await adapter.ban_member(COMMUNITY, BOB, reason="x"),
                   await adapter.lock_channel(COMMUNITY, reason="x")):
        assert result.status == "failed"
        assert result.detail.startswith("Vigie lacks the 'Ban users' admin right in this group")
    stranger = server.message(GROUP, server.users[12], "hello")
    deleted = await adapter.delete_message(COMMUNITY, f"{COMMUNITY}:{stranger['message_id']}",
                                           reason="x")
    assert "'Delete messages'" in deleted.detail and "48 hours" in deleted.detail
    bulk = await adapter.delete_messages(COMMUNITY, [f"{COMMUNITY}:1", f"{COMMUNITY}:2"],
                                         reason="x")
    assert [r.status for r in bulk] == ["failed", "failed"]


async def test_explanations_are_given_in_the_readers_language(
        pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """The detail stays English (logs, case log); the explanation renders in French too."""
    server, adapter = pair
    server.chats[GROUP].bot_rights["can_restrict_members"] = False
    result = await adapter.ban_member(COMMUNITY, BOB, reason="x")
    assert result.detail.startswith("Vigie lacks the 'Ban users' admin right")
    assert result.explanation is not None
    assert Catalog().text(result.explanation, "fr").startswith(
        "Il manque à Vigie le droit d'administration « Bannir des utilisateurs »")


async def test_targets_telegram_protects(pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """The owner cannot be restricted; a basic group cannot mute at all; each says so."""
    server, adapter = pair
    until = datetime.now(UTC) + timedelta(minutes=5)
    owner = await adapter.timeout_member(COMMUNITY, ALICE, until, reason="x")
    assert "Telegram does not let bots restrict administrators" in owner.detail
    server.chats[GROUP].type = "group"
    basic = await adapter.timeout_member(COMMUNITY, BOB, until, reason="x")
    assert "only in supergroups" in basic.detail
    too_long = await adapter.timeout_member(COMMUNITY, BOB, datetime.now(UTC) + timedelta(
        days=400), reason="x")
    assert too_long.status == "unsupported" and "use a ban" in too_long.detail
    channel = await adapter.timeout_member(COMMUNITY, User(id="telegram:-100555", name="spam"),
                                           until, reason="x")
    assert channel.status == "failed" and "posts as a channel" in channel.detail


async def test_403_blocked_kicked_and_dm_not_started(
        pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """403s: a member who never started the bot, one who blocked it, a group that removed it."""
    server, adapter = pair
    not_started = await adapter.send_dm(BOB, "hello")
    assert not_started.status == "failed"
    assert "bob has not started a private chat with the bot" in not_started.detail
    server.started.add(12)
    assert (await adapter.send_dm(BOB, "hello")).succeeded
    server.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert "bob has blocked the bot" in (await adapter.send_dm(BOB, "hello")).detail
    server.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    kicked = await adapter.send_message(COMMUNITY, "hello")
    assert kicked.detail.startswith("Vigie is no longer in this chat")


async def test_429_is_waited_out_then_succeeds(pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """A 429 with retry_after=1 delays the call by a second, then it goes through."""
    server, adapter = pair
    server.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    start = time.monotonic()
    result = await adapter.send_message(COMMUNITY, "hello")
    assert result.succeeded
    sends = [c for c in server.calls if c.method == "sendMessage"]
    assert len(sends) == 2 and sends[1].at - sends[0].at >= 1.0
    assert time.monotonic() - start >= 1.0


async def test_429_too_long_fails_clearly(pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """A wait longer than Vigie accepts to hold its calls is a clear failure, not a hang."""
    server, adapter = pair
    server.fail("banChatMember", 429, "Too Many Requests: retry after 300", retry_after=300)
    result = await adapter.ban_member(COMMUNITY, BOB, reason="x")
    assert result.status == "failed"
    assert result.detail == "Telegram asks Vigie to slow down: try again in 300 s."


async def test_server_errors_and_migration(pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """5xx is a Telegram server error; a migrated group names its new id."""
    server, adapter = pair
    server.fail("banChatMember", 500, "Internal Server Error")
    assert "Telegram had a server error" in (await adapter.ban_member(COMMUNITY, BOB,
                                                                      reason="x")).detail
    server.fail("banChatMember", 502, "Bad Gateway")
    assert "Telegram had a server error" in (await adapter.ban_member(COMMUNITY, BOB,
                                                                      reason="x")).detail
    server.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=-100777)
    moved = await adapter.send_message(COMMUNITY, "hello")
    assert "a new id, telegram:-100777: update the rule file" in moved.detail


async def test_network_failure_is_a_clear_result(pair: tuple[FakeBotApi, TelegramAdapter]
                                                 ) -> None:
    """Telegram unreachable: the action fails and says nothing was confirmed."""
    server, adapter = pair
    await server.stop()
    result = await adapter.ban_member(COMMUNITY, BOB, reason="x")
    assert result.status == "failed"
    assert "Telegram could not be reached" in result.detail and TOKEN not in result.detail


async def test_wrong_token_and_unreachable_api_stop_at_start() -> None:
    """A refused token or an unreachable Bot API is one clear error, without the token."""
    server = await FakeBotApi().start()
    bad = TelegramConfig(token="123456789:AAHwrongTokenwrongTokenwrongToken12", base_url=server
                         .base_url)
    with pytest.raises(TelegramStartError, match="rejected TELEGRAM_TOKEN") as refused:
        await TelegramAdapter(bad).connect()
    assert bad.token not in str(refused.value)
    await server.stop()
    with pytest.raises(TelegramStartError, match="could not reach the Telegram Bot API") as gone:
        await TelegramAdapter(telegram_config(server)).connect()
    assert TOKEN not in str(gone.value)


async def test_the_token_never_reaches_the_logs(pair: tuple[FakeBotApi, TelegramAdapter]) -> None:
    """Even the HTTP client's debug lines (whose URLs contain the token) are redacted."""
    server, adapter = pair
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    try:
        server.fail("banChatMember", 500, "Internal Server Error")
        await adapter.ban_member(COMMUNITY, BOB, reason="x")
        await adapter.send_message(COMMUNITY, "hello")
    finally:
        logging.getLogger("httpx").setLevel(logging.WARNING)
        configure_logging("WARNING", stream=io.StringIO())
    text = stream.getvalue()
    assert "/bot***/sendMessage" in text
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert TOKEN not in repr(adapter.config) and TOKEN not in repr(adapter)

"""End to end: Telegram updates through a real Application and App, and the calls Vigie makes."""

from __future__ import annotations

from tests.adapters.telegram.conftest import GROUP, TEAM, World


async def test_an_insult_is_deleted_and_the_member_warned(world: World) -> None:
    """automod deletes the message, opens a warning case, and the team is told."""
    server = world.server
    bob = world.people["bob"]
    message = server.post(GROUP, bob, "you are an idiot")
    await world.until(lambda: server.of("deleteMessage"), "the delete")
    delete = server.of("deleteMessage")[0]
    assert (int(delete["chat_id"]), int(delete["message_id"])) == (GROUP, message["message_id"])
    assert (GROUP, message["message_id"]) not in server.messages
    await world.until(lambda: any("Case #1" in t for t in world.texts(TEAM)), "the case alert")
    alert = next(t for t in world.texts(TEAM) if "Case #1" in t)
    assert "warn" in alert and "bob" in alert and "insult" in alert
    rows = await world.app.store.fetch_all("SELECT action, target_id, notified FROM cases", {})
    assert rows[0]["action"] == "warn" and rows[0]["target_id"] == "telegram:12"
    assert "has not started a private chat" in rows[0]["notified"]

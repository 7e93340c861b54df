"""Forum topics: a new topic is a neutral ThreadCreated; messages in it stay messages."""

from __future__ import annotations

from bot.events import MessageCreated, ThreadCreated
from tests.adapters.telegram.conftest import GROUP, World


async def test_a_new_forum_topic_is_a_thread(world: World) -> None:
    server = world.server
    carol = world.people["carol"]
    created = server.message(GROUP, carol, forum_topic_created={
        "name": "Delivery delays", "icon_color": 7322096}, is_topic_message=True)
    created["message_thread_id"] = created["message_id"]
    server.push({"message": created})
    server.post(GROUP, carol, "mine is late", message_thread_id=created["message_id"],
                is_topic_message=True, reply_to=created)
    await world.handled_count(2)
    thread, message = world.handled[:2]
    assert isinstance(thread, ThreadCreated)
    topic = f"telegram:{GROUP}:{created['message_id']}"
    assert (thread.community, thread.parent, thread.channel) == (f"telegram:{GROUP}",
                                                                 f"telegram:{GROUP}", topic)
    assert thread.name == "Delivery delays" and thread.author is not None
    assert thread.author.id == "telegram:13"
    assert isinstance(message, MessageCreated) and message.reply_to is None

"""Updates in: what each kind of Telegram message becomes, as the core sees it."""

from __future__ import annotations

from bot.events import MemberLeft, MessageCreated, ReactionAdded
from bot.permissions import Role
from tests.adapters.telegram.conftest import GROUP, World


async def _event(world: World, count: int) -> MessageCreated:
    await world.handled_count(count)
    event = world.handled[count - 1]
    assert isinstance(event, MessageCreated)
    return event


async def test_ids_roles_languages_and_replies(world: World) -> None:
    """Qualified ids; the creator is an admin; the member's client language; reply targets."""
    server = world.server
    first = server.post(GROUP, world.people["carol"], "bonjour")
    server.post(GROUP, world.people["alice"], "hi Carole", reply_to=first)
    carol_says = await _event(world, 1)
    assert carol_says.id == f"telegram:{GROUP}:{first['message_id']}"
    assert carol_says.community == carol_says.channel == f"telegram:{GROUP}"
    assert carol_says.author.id == "telegram:13" and carol_says.author.name == "Carole"
    assert carol_says.author.language == "fr" and carol_says.author.role == Role.MEMBER
    reply = await _event(world, 2)
    assert reply.author.role == Role.ADMIN and reply.author.platform_roles == ("creator",)
    assert reply.reply_to == carol_says.id
    assert reply.reply_to_author is not None and reply.reply_to_author.id == "telegram:13"


async def test_hidden_links_and_name_mentions_are_made_visible(world: World) -> None:
    """A text link keeps its URL in the text; a mention of a user without @username is `<@id>`
    (so commands can target them); @username mentions of known people are resolved."""
    server = world.server
    server.post(GROUP, world.people["bob"], "hello")
    text = "😀 ask Carole or @bob, see here"
    entities = [
        {"type": "text_mention", "offset": 7, "length": 6, "user": world.people["carol"]},
        {"type": "mention", "offset": 17, "length": 4},
        {"type": "text_link", "offset": 27, "length": 4, "url": "https://t.me/+spam"},
    ]
    server.post(GROUP, world.people["alice"], text, entities=entities)
    event = await _event(world, 2)
    assert event.text == "😀 ask <@13> or @bob, see [here](https://t.me/+spam)"
    assert {u.id for u in event.mentions} == {"telegram:13", "telegram:12"}


async def test_media_captions_and_forum_topics(world: World) -> None:
    """A photo's caption is the text and the photo an attachment; in a forum topic, the topic's
    first message is not taken for a reply target."""
    server = world.server
    photo = [{"file_id": "a", "file_unique_id": "a", "width": 90, "height": 90,
              "file_size": 1000},
             {"file_id": "b", "file_unique_id": "b", "width": 800, "height": 800,
              "file_size": 90000}]
    server.push({"message": server.message(GROUP, world.people["bob"], None, caption="look",
                                           photo=photo)})
    event = await _event(world, 1)
    assert event.text == "look"
    assert [(a.filename, a.content_type, a.size) for a in event.attachments] == [
        ("photo", "image/jpeg", 90000)]
    topic = server.message(GROUP, world.people["alice"], None, message_thread_id=77,
                           forum_topic_created={"name": "Help", "icon_color": 7322096})
    topic["message_id"] = 77
    server.push({"message": server.message(GROUP, world.people["bob"], "in the topic",
                                           reply_to=topic, message_thread_id=77,
                                           is_topic_message=True)})
    in_topic = await _event(world, 2)
    assert in_topic.reply_to is None and in_topic.reply_to_author is None


async def test_anonymous_admins_channels_and_service_messages(world: World) -> None:
    """An anonymous admin speaks as the group (admin); a channel identity is a member; the
    linked channel's automatic forwards and service messages are not member messages."""
    server = world.server
    group_chat = {"id": GROUP, "type": "supergroup", "title": "Brand group"}
    anonymous = server.user(1087968824, "Group", "GroupAnonymousBot", is_bot=True)
    server.push({"message": server.message(GROUP, anonymous, "/warn", sender_chat=group_chat)})
    channel = {"id": -100555, "type": "channel", "title": "Spam channel", "username": "spamch"}
    server.push({"message": server.message(GROUP, anonymous, "promo", sender_chat=channel)})
    server.push({"message": server.message(GROUP, anonymous, "our news", sender_chat=channel,
                                           is_automatic_forward=True)})
    server.push({"message": server.message(GROUP, world.people["bob"], None,
                                           new_chat_title="Renamed")})
    server.push({"message": server.message(GROUP, world.people["bob"], None,
                                           left_chat_member=world.people["bob"])})
    as_group = await _event(world, 1)
    assert as_group.author.id == f"telegram:{GROUP}" and as_group.author.role == Role.ADMIN
    as_channel = await _event(world, 2)
    assert as_channel.author.id == "telegram:-100555" and as_channel.author.name == "spamch"
    assert as_channel.author.role == Role.MEMBER
    await world.handled_count(3)
    assert isinstance(world.handled[2], MemberLeft) and len(world.handled) == 3


async def test_private_chats_get_a_greeting_and_one_note(world: World) -> None:
    """/start in private opens the door to notices; other private messages get one short note
    (not one per message) that Vigie works in groups; nothing is moderated there."""
    server = world.server
    server.post(13, world.people["carol"], "/start")
    server.post(13, world.people["carol"], "idiot")
    server.post(13, world.people["carol"], "/help")
    server.post(13, world.people["carol"], "/start")
    await world.until(lambda: len(world.texts(13)) >= 3, "the answers")
    first, note, again = world.texts(13)
    assert first.startswith("Bonjour Carole ! Je suis Vigie") and again == first
    assert note.startswith("Bonjour Carole ! Je modère des groupes")
    assert world.handled == [] and server.of("deleteMessage") == []


async def test_added_without_rights_says_which_to_grant(world: World) -> None:
    """Vigie added as a plain member posts which admin rights it needs, in the group's language."""
    server = world.server
    server.bot_status(GROUP, "member")
    await world.until(lambda: any("Vigie must be an administrator" in t
                                  for t in world.texts(GROUP)), "the setup message")
    text = next(t for t in world.texts(GROUP) if "administrator" in t)
    assert "Delete messages, Ban users" in text
    server.bot_status(GROUP, "administrator", {"can_delete_messages": True,
                                               "can_restrict_members": True})
    server.post(GROUP, world.people["bob"], "hello")  # same chat, so handled after the promotion
    await world.handled_count(1)
    assert len([t for t in world.texts(GROUP) if "administrator" in t]) == 1


async def test_command_menus_in_two_languages(world: World) -> None:
    """Members' menu in groups, the full menu for administrators, each in English and French."""
    menus = {(p["scope"]["type"], p.get("language_code")): {c["command"]: c["description"]
                                                           for c in p["commands"]}
             for p in world.server.of("setMyCommands")}
    assert set(menus) == {("all_group_chats", None), ("all_group_chats", "fr"),
                          ("all_chat_administrators", None), ("all_chat_administrators", "fr")}
    assert "help" in menus["all_group_chats", None] and "warn" not in menus[
        "all_group_chats", None]
    assert {"warn", "ban", "mute", "reload"} - {"mute"} <= set(menus["all_chat_administrators",
                                                                     None])
    assert menus["all_group_chats", "fr"]["help"].startswith("liste les commandes")
    assert menus["all_group_chats", None]["help"].startswith("list the commands")


async def test_lock_and_unlock_through_commands(world: World) -> None:
    """/lock takes every permission from members; /unlock gives back what they had."""
    server = world.server
    before = dict(server.chats[GROUP].permissions)
    server.post(GROUP, world.people["alice"], "/lock")
    await world.until(lambda: server.of("setChatPermissions"), "the lock")
    assert not any(server.chats[GROUP].permissions.values())
    server.post(GROUP, world.people["alice"], "/unlock")
    await world.until(lambda: len(server.of("setChatPermissions")) == 2, "the unlock")
    assert server.chats[GROUP].permissions == before


async def test_reactions_and_member_lookup(world: World) -> None:
    """A new reaction is ReactionAdded; lookup_member asks Telegram for the member's status now."""
    server = world.server
    message = server.post(GROUP, world.people["alice"], "react to me")
    server.push({"message_reaction": {
        "chat": {"id": GROUP, "type": "supergroup", "title": "Brand group"},
        "message_id": message["message_id"], "user": world.people["bob"], "date": 1,
        "old_reaction": [{"type": "emoji", "emoji": "👍"}],
        "new_reaction": [{"type": "emoji", "emoji": "👍"}, {"type": "emoji", "emoji": "🎉"}]}})
    await world.handled_count(2)
    reaction = world.handled[1]
    assert isinstance(reaction, ReactionAdded) and reaction.emoji == "🎉"
    assert reaction.message_id == f"telegram:{GROUP}:{message['message_id']}"
    assert reaction.user.id == "telegram:12"
    adapter, community = world.adapter, f"telegram:{GROUP}"
    owner = await adapter.lookup_member(community, "telegram:11")
    assert owner is not None and owner.role == Role.ADMIN and owner.name == "alice"
    member = await adapter.lookup_member(community, "telegram:12")
    assert member is not None and member.role == Role.MEMBER
    assert await adapter.lookup_member(community, "telegram:404") is None
    assert await adapter.lookup_member(community, "discord:1") is None

"""Translate in: discord.py objects and raw gateway data to Vigie's neutral events."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import discord

from bot.adapters.discord.ids import qualify
from bot.adapters.discord.render import BUTTON_PREFIX
from bot.clicks import unscoped
from bot.commands.spec import CommandSpec
from bot.events import (
    Attachment,
    ButtonClicked,
    CommandInvoked,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    ReactionAdded,
    ThreadCreated,
    User,
)
from bot.permissions import Role

__all__ = [
    "ROLE_PERMISSIONS",
    "Languages",
    "RoleFacts",
    "button_clicked",
    "command_invoked",
    "member_joined",
    "member_left",
    "message_created",
    "message_deleted",
    "message_edited",
    "reaction_added",
    "thread_created",
    "user_of",
]

M = TypeVar("M", bound=MessageCreated)  # a new or an edited message

# Permissions a member's `platform_roles` carry as `permission:<name>`, so the rule file can say
# `roles: {cm: ["permission:moderate_members"]}`.
ROLE_PERMISSIONS = ("administrator", "manage_guild", "manage_roles", "manage_channels",
                    "manage_messages", "moderate_members", "kick_members", "ban_members")
USER_MESSAGES = (discord.MessageType.default, discord.MessageType.reply)
LANGUAGE_MEMORY = 10_000


class Languages:
    """Each member's Discord language, learnt from their interactions (messages do not carry it)."""

    def __init__(self, limit: int = LANGUAGE_MEMORY) -> None:
        self.limit = limit
        self._by_user: OrderedDict[int, str] = OrderedDict()

    def learn(self, user_id: int, locale: discord.Locale | str) -> str:
        """Remember a member's locale; returns it as a language tag (`fr`, `en-US`)."""
        tag = str(locale)
        self._by_user[user_id] = tag
        self._by_user.move_to_end(user_id)
        if len(self._by_user) > self.limit:
            self._by_user.popitem(last=False)
        return tag

    def of(self, user_id: int) -> str | None:
        """The member's language, if they ever used an interaction."""
        return self._by_user.get(user_id)


def _platform_roles(role_ids: Sequence[int], names: Sequence[str],
                    permissions: discord.Permissions) -> tuple[str, ...]:
    out: list[str] = []
    for role_id, name in zip(role_ids, names, strict=True):
        out.extend((name, qualify(role_id), str(role_id)))
    out.extend(f"permission:{p}" for p in ROLE_PERMISSIONS if getattr(permissions, p))
    return tuple(dict.fromkeys(out))


class RoleFacts:
    """What a set of roles grants in a server (Administrator, role names, moderation rights),
    worked out once per server and set of roles, and forgotten when the server's roles or owner
    change (`forget`): Discord members share a few role sets, and every message has a member."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._facts: dict[tuple[int, tuple[int, ...]], tuple[bool, tuple[str, ...]]] = {}

    def of(self, member: discord.Member) -> tuple[bool, tuple[str, ...]]:
        """(Administrator, the platform roles) for this member's roles."""
        # discord.py is pinned exactly (pyproject): `_roles` is the member's role ids as sent.
        key = (member.guild.id, tuple(member._roles))
        found = self._facts.get(key)
        if found is None:
            found = _facts(member)
            if len(self._facts) >= self.limit:
                self._facts.clear()
            self._facts[key] = found
        return found

    def forget(self, guild_id: int) -> None:
        """A server's roles changed: work its role sets out again."""
        self._facts = {k: v for k, v in self._facts.items() if k[0] != guild_id}


def _facts(member: discord.Member) -> tuple[bool, tuple[str, ...]]:
    permissions = member.guild_permissions
    roles = [r for r in member.roles if not r.is_default()]
    return permissions.administrator, _platform_roles(
        [r.id for r in roles], [r.name for r in roles], permissions)


def user_of(person: discord.Member | discord.User, languages: Languages | None = None,
            roles: RoleFacts | None = None) -> User:
    """A member with the platform's facts: owner and Administrator are ADMIN; roles and perms."""
    role = Role.MEMBER
    platform_roles: tuple[str, ...] = ()
    if isinstance(person, discord.Member):
        administrator, platform_roles = roles.of(person) if roles is not None \
            else _facts(person)
        if person.guild.owner_id == person.id or administrator:
            role = Role.ADMIN
    return User(id=qualify(person.id), name=person.name, role=role,
                language=languages.of(person.id) if languages else None,
                is_bot=person.bot, account_created_at=person.created_at,
                platform_roles=platform_roles)


def _resolved_user(user_id: str, resolved: Mapping[str, Any], guild: discord.Guild,
                   languages: Languages) -> User | None:
    """A member given as a slash-command option, from the interaction's raw `resolved` data."""
    user = resolved.get("users", {}).get(user_id)
    if user is None:
        return None
    member = resolved.get("members", {}).get(user_id)
    snowflake = int(user_id)
    role = Role.MEMBER
    platform_roles: tuple[str, ...] = ()
    if member is not None:
        role_ids = [int(r) for r in member.get("roles", ())]
        roles = [r for r in (guild.get_role(i) for i in role_ids) if r is not None]
        permissions = discord.Permissions(int(member.get("permissions") or 0))
        for guild_role in (guild.default_role, *roles):
            permissions |= guild_role.permissions
        if guild.owner_id == snowflake or permissions.administrator:
            role = Role.ADMIN
        platform_roles = _platform_roles([r.id for r in roles], [r.name for r in roles],
                                         permissions)
    return User(id=qualify(snowflake), name=str(user.get("username") or user_id), role=role,
                language=languages.of(snowflake), is_bot=bool(user.get("bot", False)),
                account_created_at=discord.utils.snowflake_time(snowflake),
                platform_roles=platform_roles)


def _attachments(message: discord.Message) -> tuple[Attachment, ...]:
    return tuple(Attachment(filename=a.filename, content_type=a.content_type, size=a.size,
                            url=a.url) for a in message.attachments)


def _from_people(message: discord.Message, me: int | None) -> bool:
    """Members' own messages in a server: not DMs, bots, webhooks or system notices."""
    return (message.guild is not None and message.webhook_id is None
            and not message.author.bot and message.author.id != me
            and message.type in USER_MESSAGES)


def _reply(message: discord.Message, languages: Languages,
           roles: RoleFacts | None) -> tuple[str | None, User | None]:
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None, None
    if reference.type is discord.MessageReferenceType.forward:
        return None, None  # a forwarded message, not a reply
    resolved = reference.resolved
    author = user_of(resolved.author, languages, roles) \
        if isinstance(resolved, discord.Message) else None
    return qualify(reference.message_id), author


def message_created(message: discord.Message, me: int | None, languages: Languages,
                    roles: RoleFacts | None = None) -> MessageCreated | None:
    """A member's message, with mentions, reply and attachments; None for what Vigie ignores."""
    if not _from_people(message, me):
        return None
    return _message(MessageCreated, message, message.created_at, languages, roles)


def _message(kind: type[M], message: discord.Message, ts: datetime, languages: Languages,
             roles: RoleFacts | None) -> M:
    """A server message as `kind` (new or edited), dated `ts`."""
    assert message.guild is not None
    reply_to, reply_author = _reply(message, languages, roles)
    return kind(
        id=qualify(message.id), ts=ts, community=qualify(message.guild.id),
        channel=qualify(message.channel.id), author=user_of(message.author, languages, roles),
        text=message.content, reply_to=reply_to, reply_to_author=reply_author,
        mentions=tuple(user_of(m, languages, roles) for m in message.mentions),
        attachments=_attachments(message))


class EditedOnce:
    """Edits already seen (Discord also sends updates for link previews: those are not edits)."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._seen: OrderedDict[int, datetime] = OrderedDict()

    def new(self, message: discord.Message) -> bool:
        """True the first time an edit (by its edit time) of this message is seen."""
        if message.edited_at is None or self._seen.get(message.id) == message.edited_at:
            return False
        self._seen[message.id] = message.edited_at
        self._seen.move_to_end(message.id)
        if len(self._seen) > self.limit:
            self._seen.popitem(last=False)
        return True


def message_edited(raw: discord.RawMessageUpdateEvent, me: int | None, languages: Languages,
                   seen: EditedOnce, roles: RoleFacts | None = None) -> MessageEdited | None:
    """A member changed the text of their message: automod reads it again."""
    message = raw.message
    if not _from_people(message, me) or not seen.new(message):
        return None
    assert message.edited_at is not None
    return _message(MessageEdited, message, message.edited_at, languages, roles)


def message_deleted(guild_id: int | None, channel_id: int,
                    message_id: int) -> MessageDeleted | None:
    """A message disappeared from a server channel."""
    if guild_id is None:
        return None
    return MessageDeleted(id=f"discord:deleted:{message_id}", ts=discord.utils.utcnow(),
                          community=qualify(guild_id), channel=qualify(channel_id),
                          message_id=qualify(message_id))


def member_joined(member: discord.Member, languages: Languages) -> MemberJoined:
    """Someone joined a server; their account's creation time comes with them."""
    joined = member.joined_at or discord.utils.utcnow()
    return MemberJoined(id=f"discord:join:{member.guild.id}:{member.id}:{int(joined.timestamp())}",
                        ts=joined, community=qualify(member.guild.id),
                        user=user_of(member, languages))


def member_left(raw: discord.RawMemberRemoveEvent, languages: Languages) -> MemberLeft:
    """Someone left a server, or was kicked or banned from it."""
    now = discord.utils.utcnow()
    return MemberLeft(id=f"discord:leave:{raw.guild_id}:{raw.user.id}:{int(now.timestamp())}",
                      ts=now, community=qualify(raw.guild_id), user=user_of(raw.user, languages))


def thread_created(thread: discord.Thread, me: int | None,
                   languages: Languages) -> ThreadCreated | None:
    """A member opened a thread (or a forum post) in a server channel; None for a bot's. The
    owner is known by id when the member is not cached."""
    owner = thread.owner
    if thread.owner_id == me or (owner is not None and owner.bot):
        return None
    author = user_of(owner, languages) if owner is not None else \
        User(id=qualify(thread.owner_id), name=str(thread.owner_id)) if thread.owner_id else None
    return ThreadCreated(id=f"discord:thread:{thread.id}",
                         ts=thread.created_at or discord.utils.utcnow(),
                         community=qualify(thread.guild.id), channel=qualify(thread.id),
                         parent=qualify(thread.parent_id), name=thread.name, author=author)


def reaction_added(raw: discord.RawReactionActionEvent, me: int | None,
                   languages: Languages) -> ReactionAdded | None:
    """A member reacted to a message in a server."""
    if raw.guild_id is None or raw.member is None or raw.user_id == me or raw.member.bot:
        return None
    return ReactionAdded(
        id=f"discord:reaction:{raw.message_id}:{raw.user_id}:{raw.emoji}",
        ts=discord.utils.utcnow(), community=qualify(raw.guild_id),
        channel=qualify(raw.channel_id), message_id=qualify(raw.message_id),
        user=user_of(raw.member, languages), emoji=str(raw.emoji))


def button_clicked(interaction: discord.Interaction[Any],
                   languages: Languages) -> ButtonClicked | None:
    """A click on one of Vigie's buttons (custom ids start with `vigie:`)."""
    data: Mapping[str, Any] = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    custom_id = custom_id[len(BUTTON_PREFIX):] if custom_id.startswith(BUTTON_PREFIX) else ""
    guild_id = interaction.guild_id
    if guild_id is None:  # a button under a private message names its server (bot.clicks)
        found = unscoped(custom_id)
        custom_id, guild_id = (found[0], int(found[1])) if found is not None else ("", None)
    if (interaction.type is not discord.InteractionType.component
            or data.get("component_type") != discord.ComponentType.button.value
            or not custom_id or guild_id is None
            or interaction.message is None or interaction.channel_id is None):
        return None
    languages.learn(interaction.user.id, interaction.locale)
    return ButtonClicked(
        id=qualify(interaction.id), ts=interaction.created_at,
        community=qualify(guild_id), channel=qualify(interaction.channel_id),
        message_id=qualify(interaction.message.id), user=user_of(interaction.user, languages),
        custom_id=custom_id)


def _quoted(value: str) -> str:
    value = " ".join(value.replace('"', "'").split())
    return f'"{value}"' if " " in value else value


def command_invoked(interaction: discord.Interaction[Any], spec: CommandSpec | None,
                    languages: Languages) -> CommandInvoked | None:
    """A slash command: its options written as the command line the dispatcher reads."""
    data: Mapping[str, Any] = interaction.data or {}
    if (interaction.type is not discord.InteractionType.application_command
            or data.get("type", 1) != 1 or interaction.guild is None
            or interaction.channel_id is None):
        return None
    guild = interaction.guild
    languages.learn(interaction.user.id, interaction.locale)
    given = {str(o["name"]): o for o in data.get("options", ()) if "value" in o}
    resolved: Mapping[str, Any] = data.get("resolved", {})
    kinds = {p.name: p.kind for p in spec.params} if spec is not None else {}
    order = [p.name for p in spec.params] if spec is not None else list(given)
    words: list[str] = []
    mentions: list[User] = []
    options: list[tuple[str, Any]] = []
    for name in order:
        option = given.get(name)
        if option is None:
            continue
        value = option["value"]
        options.append((name, value))
        kind = kinds.get(name)
        if kind == "member" or option.get("type") == discord.AppCommandOptionType.user.value:
            found = _resolved_user(str(value), resolved, guild, languages)
            if found is not None:
                mentions.append(found)
            words.append(f"<@{value}>")
        elif kind == "channel" or option.get("type") == \
                discord.AppCommandOptionType.channel.value:
            words.append(f"<#{value}>")
        elif kind == "rest":
            words.append(" ".join(str(value).split()))
        else:
            words.append(_quoted(str(value)))
    return CommandInvoked(
        id=qualify(interaction.id), ts=interaction.created_at, community=qualify(guild.id),
        channel=qualify(interaction.channel_id), author=user_of(interaction.user, languages),
        name=str(data.get("name", "")), args=" ".join(w for w in words if w),
        options=tuple(options), mentions=tuple(mentions))

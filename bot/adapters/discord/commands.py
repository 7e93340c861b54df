"""Slash commands generated from the command registry: names, fr/en texts, typed options."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from bot.commands.spec import CommandSpec, Param
from bot.i18n import Catalog
from bot.permissions import Role

__all__ = ["DEFAULT_PERMISSIONS", "MAX_COMMANDS", "slash_payload"]

log = logging.getLogger("vigie.discord")

MAX_COMMANDS = 100  # Discord's limit of global slash commands per application
MAX_DESCRIPTION = 100
MAX_STRING = 6000
GUILD_CONTEXT = 0  # usable in servers only (not in DMs): a command needs its community
GUILD_INSTALL = 0  # installed to servers, not to users' accounts
_NAME = re.compile(r"^[-_\w]{1,32}$", re.UNICODE)
# Who sees a command in the menu by default; server admins can change it (Integrations).
DEFAULT_PERMISSIONS = {
    Role.MEMBER: None,
    Role.CM: discord.Permissions(moderate_members=True),
    Role.ADMIN: discord.Permissions(administrator=True),
}
OPTION_TYPES = {
    "member": discord.AppCommandOptionType.user,
    "duration": discord.AppCommandOptionType.string,
    "count": discord.AppCommandOptionType.integer,
    "word": discord.AppCommandOptionType.string,
    "rest": discord.AppCommandOptionType.string,
    "channel": discord.AppCommandOptionType.channel,
}
TEXT_CHANNELS = [discord.ChannelType.text.value, discord.ChannelType.news.value,
                 discord.ChannelType.voice.value, discord.ChannelType.public_thread.value,
                 discord.ChannelType.private_thread.value, discord.ChannelType.news_thread.value,
                 discord.ChannelType.forum.value, discord.ChannelType.stage_voice.value]


def _texts(catalog: Catalog, key: str, fallback: str) -> tuple[str, dict[str, str]]:
    """English description and its French localization, within Discord's 100 characters."""
    if not catalog.has(key):
        log.warning("no catalog text %s for the slash command menu; using %r", key, fallback)
        return fallback, {}
    english = _fit(catalog.render(key, "en"))
    french = _fit(catalog.render(key, "fr"))
    return english, ({"fr": french} if french != english else {})


def _fit(text: str) -> str:
    text = " ".join(text.split()) or "-"
    return text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION - 1] + "…"


def _option(param: Param, catalog: Catalog) -> dict[str, Any]:
    description, localized = _texts(catalog, f"arg.{param.name}", param.name)
    option: dict[str, Any] = {"type": OPTION_TYPES[param.kind].value, "name": param.name,
                              "description": description, "required": param.required}
    if localized:
        option["description_localizations"] = localized
    if param.kind == "count" and param.bounds is not None:
        option["min_value"], option["max_value"] = param.bounds.low, param.bounds.high
    elif param.kind == "channel":
        option["channel_types"] = TEXT_CHANNELS
    elif param.kind in ("word", "duration"):
        option["max_length"] = 100
    elif param.kind == "rest":
        option["max_length"] = MAX_STRING
    return option


def _valid(spec: CommandSpec) -> bool:
    names = [spec.name, *(p.name for p in spec.params)]
    if all(_NAME.fullmatch(n) and n == n.lower() for n in names):
        return True
    log.warning("command %s left out of the slash menu: Discord names are lowercase letters, "
                "digits, - and _ (at most 32)", spec.name)
    return False


def slash_payload(specs: Sequence[CommandSpec], catalog: Catalog) -> list[dict[str, Any]]:
    """The global command list: one chat-input command per registry command (not aliases)."""
    payload: list[dict[str, Any]] = []
    for spec in sorted(specs, key=lambda s: (s.min_role, s.name)):
        if not _valid(spec):
            continue
        if len(payload) == MAX_COMMANDS:
            log.warning("Discord allows %d slash commands; %s and later ones are prefix-only",
                        MAX_COMMANDS, spec.name)
            break
        description, localized = _texts(catalog, spec.summary_key, spec.name)
        permissions = DEFAULT_PERMISSIONS[spec.min_role]
        command: dict[str, Any] = {
            "type": discord.AppCommandType.chat_input.value,
            "name": spec.name,
            "description": description,
            "options": [_option(p, catalog) for p in spec.params],
            "default_member_permissions": None if permissions is None
            else str(permissions.value),
            "contexts": [GUILD_CONTEXT],
            "integration_types": [GUILD_INSTALL],
            "nsfw": False,
        }
        if localized:
            command["description_localizations"] = localized
        payload.append(command)
    return sorted(payload, key=lambda c: str(c["name"]))

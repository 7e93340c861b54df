"""Slash commands generated from the command registry: names, fr/en texts, typed options.

Each is a real `app_commands.Command` added to the client's command tree, so that one
`tree.sync()` (Vigie's, or a wrapped bot owner's) publishes Vigie's commands beside the bot's own.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.commands.spec import CommandSpec, Param
from bot.i18n import Catalog
from bot.permissions import Role

__all__ = ["DEFAULT_PERMISSIONS", "MAX_COMMANDS", "Answer", "VigieCommand", "slash_commands"]

log = logging.getLogger("vigie.discord")

MAX_COMMANDS = 100  # Discord's limit of global slash commands per application
MAX_DESCRIPTION = 100
MAX_STRING = 6000
MAX_WORD = 100
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
TEXT_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.voice,
                 discord.ChannelType.public_thread, discord.ChannelType.private_thread,
                 discord.ChannelType.news_thread, discord.ChannelType.forum,
                 discord.ChannelType.stage_voice]

Answer = Callable[[discord.Interaction[Any], CommandSpec], Awaitable[None]]


class _Option(app_commands.Transformer[discord.Client]):
    """One option's Discord type and limits; the value goes on as Discord sent it."""

    def __init__(self, param: Param) -> None:
        self._param = param

    @property
    def type(self) -> discord.AppCommandOptionType:
        """The option type the parameter's kind maps to."""
        return OPTION_TYPES[self._param.kind]

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        """Channels a channel option may name: those where people talk."""
        return list(TEXT_CHANNELS) if self._param.kind == "channel" else []

    @property
    def min_value(self) -> int | None:
        """A count's lower bound."""
        bounds = self._param.bounds
        return bounds.low if self._param.kind == "count" and bounds is not None else None

    @property
    def max_value(self) -> int | None:
        """A count's upper bound, or a text's longest length."""
        kind, bounds = self._param.kind, self._param.bounds
        if kind == "count":
            return bounds.high if bounds is not None else None
        return {"word": MAX_WORD, "duration": MAX_WORD, "rest": MAX_STRING}.get(kind)

    async def transform(self, interaction: discord.Interaction[discord.Client],
                        value: Any, /) -> Any:
        """Unchanged: Vigie reads the options from the interaction's data."""
        return value


class VigieCommand(app_commands.Command[Any, ..., None]):
    """One of Vigie's slash commands; its French texts come from Vigie's catalog."""

    def __init__(self, spec: CommandSpec, catalog: Catalog, answer: Answer) -> None:
        description, localized = _texts(catalog, spec.summary_key, spec.name)
        options = {p.name: _texts(catalog, f"arg.{p.name}", p.name) for p in spec.params}
        super().__init__(name=spec.name, description=description,
                         callback=_callback(spec, answer, {n: d for n, (d, _) in options.items()}),
                         auto_locale_strings=False)
        self.spec = spec
        self.default_permissions = DEFAULT_PERMISSIONS[spec.min_role]
        self.guild_only = True  # a command needs its community
        self.allowed_contexts = app_commands.AppCommandContext(guild=True)
        self.allowed_installs = app_commands.AppInstallationType(guild=True)
        self._localized = localized
        self._option_localized = {n: texts for n, (_, texts) in options.items() if texts}

    def to_dict(self, tree: app_commands.CommandTree[Any]) -> dict[str, Any]:
        """discord.py's payload, with the French descriptions of the command and its options."""
        payload = super().to_dict(tree)
        if self._localized:
            payload["description_localizations"] = dict(self._localized)
        for option in payload["options"]:
            localized = self._option_localized.get(str(option["name"]))
            if localized:
                option["description_localizations"] = dict(localized)
        return payload

    async def get_translated_payload(self, tree: app_commands.CommandTree[Any],
                                     translator: app_commands.Translator) -> dict[str, Any]:
        """The same payload under a bot owner's translator: Vigie's catalog has the texts."""
        return self.to_dict(tree)


def _callback(spec: CommandSpec, answer: Answer,
              descriptions: dict[str, str]) -> Callable[..., Coroutine[Any, Any, None]]:
    """A callback whose signature declares the spec's options, forwarding to `answer`."""

    async def callback(interaction: discord.Interaction[Any], **_options: Any) -> None:
        await answer(interaction, spec)

    first = inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    callback.__signature__ = inspect.Signature([first, *(  # type: ignore[attr-defined]
        inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=_Option(p),
                          default=inspect.Parameter.empty if p.required else None)
        for p in spec.params)])
    return app_commands.describe(**descriptions)(callback)


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


def _valid(spec: CommandSpec) -> bool:
    names = [spec.name, *(p.name for p in spec.params)]
    if all(_NAME.fullmatch(n) and n == n.lower() for n in names):
        return True
    log.warning("command %s left out of the slash menu: Discord names are lowercase letters, "
                "digits, - and _ (at most 32)", spec.name)
    return False


def slash_commands(specs: Sequence[CommandSpec], catalog: Catalog,
                   answer: Answer) -> list[VigieCommand]:
    """One chat-input command per registry command (not aliases), member commands first."""
    commands: list[VigieCommand] = []
    for spec in sorted(specs, key=lambda s: (s.min_role, s.name)):
        if not _valid(spec):
            continue
        if len(commands) == MAX_COMMANDS:
            log.warning("Discord allows %d slash commands; %s and later ones are prefix-only",
                        MAX_COMMANDS, spec.name)
            break
        commands.append(VigieCommand(spec, catalog, answer))
    return commands

"""The command menu: setMyCommands in English and French; CM commands only for administrators."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
)
from telegram.error import TelegramError

from bot.commands.spec import CommandSpec
from bot.i18n import LANGUAGES, Catalog
from bot.permissions import Role

__all__ = ["menu", "publish_menus"]

log = logging.getLogger("vigie.telegram")
_NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_DESCRIPTION = 256
DEFAULT_LANGUAGE = "en"  # the menu without language_code, shown to every other language


def menu(specs: Sequence[CommandSpec], catalog: Catalog, lang: str,
         staff: bool) -> list[BotCommand]:
    """The commands a member (or, with `staff`, an administrator) sees, described in `lang`."""
    commands = []
    for spec in sorted(specs, key=lambda s: s.name):
        if not _NAME.fullmatch(spec.name) or (not staff and spec.min_role > Role.MEMBER):
            continue
        text = catalog.render(spec.summary_key, lang) if catalog.has(spec.summary_key) \
            else spec.name
        commands.append(BotCommand(spec.name, text[:MAX_DESCRIPTION]))
    return commands


async def publish_menus(bot: Bot, specs: Sequence[CommandSpec], catalog: Catalog) -> int:
    """Set the menus of group chats and of their administrators; the number of menus set."""
    scopes: tuple[tuple[BotCommandScope, bool], ...] = (
        (BotCommandScopeAllGroupChats(), False), (BotCommandScopeAllChatAdministrators(), True))
    done = 0
    for lang in LANGUAGES:
        code = None if lang == DEFAULT_LANGUAGE else lang
        for scope, staff in scopes:
            try:
                await bot.set_my_commands(menu(specs, catalog, lang, staff), scope=scope,
                                          language_code=code)
                done += 1
            except TelegramError as exc:
                log.warning("command menu not published scope=%s language=%s error=%s",
                            scope.type, lang, exc)
    return done

"""Vigie on Discord, through discord.py."""

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.config import DiscordConfig, DiscordConfigError, make_client

__all__ = ["DiscordAdapter", "DiscordConfig", "DiscordConfigError", "make_client"]

"""How Vigie connects to Discord: token, sharding, intents, and the client built from them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import discord

__all__ = [
    "INTENTS",
    "MAX_RATELIMIT_WAIT",
    "SAFE_MENTIONS",
    "DiscordConfig",
    "DiscordConfigError",
    "make_client",
]

# Only what Vigie reads. `members` and `message_content` are privileged: enable them in the
# Developer Portal (README: Discord).
INTENTS = discord.Intents.none()
INTENTS.guilds = True  # servers, channels, roles: communities and permission checks
INTENTS.members = True  # joins and leaves (raid mode, new accounts), member lookups
INTENTS.guild_messages = True  # messages, edits, deletions
INTENTS.message_content = True  # the text of messages: automod and prefix commands
INTENTS.guild_reactions = True  # reactions
INTENTS.auto_moderation_execution = True  # AutoMod's actions on messages: cases
INTENTS.moderation = True  # audit log entries: bans, kicks, timeouts done in Discord's menus

# The bot never pings @everyone or roles, whatever text it repeats (a reason, a name).
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True,
                                        replied_user=False)

# discord.py waits out rate limits by itself; a wait longer than this fails the action instead
# of stalling the event behind it.
MAX_RATELIMIT_WAIT = 30.0


class DiscordConfigError(ValueError):
    """The Discord settings in the environment are missing or malformed."""


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    """Token and sharding; `shard_count` None means one connection, 0 means Discord's advice."""

    token: str = field(repr=False)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def sharded(self) -> bool:
        """Whether to run discord.py's AutoShardedClient."""
        return self.shard_count is not None

    @property
    def publishes_commands(self) -> bool:
        """Only the process running shard 0 (or the only process) publishes slash commands."""
        return self.shard_ids is None or 0 in self.shard_ids

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DiscordConfig:
        """Read DISCORD_TOKEN, DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS."""
        env = os.environ if env is None else env
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise DiscordConfigError(
                "DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal and put "
                "its token in DISCORD_TOKEN (README: Discord)")
        if token.lower().startswith("bot "):
            token = token[4:].strip()
        count = _shard_count(env.get("DISCORD_SHARD_COUNT", "").strip())
        ids = _shard_ids(env.get("DISCORD_SHARD_IDS", "").strip(), count)
        return cls(token=token, shard_count=count, shard_ids=ids)


def _shard_count(text: str) -> int | None:
    if not text:
        return None
    if text.lower() == "auto":
        return 0
    if not text.isdigit() or int(text) < 1:
        raise DiscordConfigError(
            f"DISCORD_SHARD_COUNT must be 'auto' or a whole number of at least 1, not {text!r}")
    return int(text)


def _shard_ids(text: str, count: int | None) -> tuple[int, ...] | None:
    if not text:
        return None
    if not count:
        raise DiscordConfigError(
            "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT set to the total number of shards "
            "(the same in every process)")
    ids: list[int] = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        if not low.isdigit() or (dash and not high.isdigit()):
            raise DiscordConfigError(
                f"DISCORD_SHARD_IDS: {part.strip()!r} is not a shard number or a range like 0-3")
        first, last = int(low), int(high) if dash else int(low)
        if first > last:
            raise DiscordConfigError(f"DISCORD_SHARD_IDS: the range {part.strip()!r} is empty")
        ids.extend(range(first, last + 1))
    wrong = sorted({i for i in ids if i >= count})
    if wrong:
        raise DiscordConfigError(
            f"DISCORD_SHARD_IDS: shard(s) {', '.join(map(str, wrong))} do not exist with "
            f"DISCORD_SHARD_COUNT={count} (shards are numbered 0 to {count - 1})")
    return tuple(sorted(set(ids)))


def make_client(config: DiscordConfig | None = None, **options: Any) -> discord.Client:
    """The discord.py client Vigie runs: few intents, no member or message cache to speak of."""
    settings: dict[str, Any] = {
        "intents": INTENTS,
        "member_cache_flags": discord.MemberCacheFlags.none(),
        "chunk_guilds_at_startup": False,
        "max_messages": None,
        "allowed_mentions": SAFE_MENTIONS,
        "max_ratelimit_timeout": MAX_RATELIMIT_WAIT,
    }
    settings.update(options)
    if config is not None and config.sharded:
        if config.shard_count:
            settings["shard_count"] = config.shard_count
        if config.shard_ids is not None:
            settings["shard_ids"] = list(config.shard_ids)
        return discord.AutoShardedClient(**settings)
    return discord.Client(**settings)

"""Channels named in messages: each platform writes them its own way (Discord: a mention)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.i18n import Msg, Text

__all__ = ["ChannelMention", "default_mention", "with_mentions"]


def default_mention(channel: str) -> str:
    """`console:general` -> `#general`: what a platform without its own way shows."""
    return "#" + channel.partition(":")[2]


@dataclass(frozen=True, slots=True)
class ChannelMention:
    """A message parameter naming a channel; the executor asks the channel's adapter to write it.

    Rendered anywhere else (a log line, a reason, replay), it reads as `#<id>`.
    """

    channel: str

    def __str__(self) -> str:
        return default_mention(self.channel)


def with_mentions(text: Text, mention: Callable[[str], str]) -> Text:
    """`text` with every channel it names (nested messages too) written by `mention`."""
    if not isinstance(text, Msg) or not text.params:
        return text
    params = tuple((name, _written(value, mention)) for name, value in text.params)
    if all(new is old for (_, new), (_, old) in zip(params, text.params, strict=True)):
        return text
    return Msg(text.key, params)


def _written(value: object, mention: Callable[[str], str]) -> object:
    if isinstance(value, ChannelMention):
        return mention(value.channel)
    if isinstance(value, Msg):
        return with_mentions(value, mention)
    return value

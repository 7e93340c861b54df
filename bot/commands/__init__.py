"""Commands: typed arguments, declarations read from handlers, and the line parser."""

from bot.commands.arguments import ChannelRef, Count, PlatformLimit, Rest, UsageError, Word
from bot.commands.parser import Invocation, bind_arguments, split_invocation, tokenize
from bot.commands.spec import CommandSpec, Param, command_spec

__all__ = [
    "ChannelRef",
    "CommandSpec",
    "Count",
    "Invocation",
    "Param",
    "PlatformLimit",
    "Rest",
    "UsageError",
    "Word",
    "bind_arguments",
    "command_spec",
    "split_invocation",
    "tokenize",
]

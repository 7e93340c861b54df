"""Reading `poll <question> | <option> | ... [--for 1h] [--in brand]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.commands import UsageError
from bot.commands.arguments import read_duration
from bot.durations import format_duration
from bot.i18n import Msg
from plugins.polls.settings import MAX_DURATION, MIN_DURATION

__all__ = ["MAX_OPTIONS", "MAX_OPTION_CHARS", "MAX_QUESTION_CHARS", "PollRequest", "read_poll"]

MAX_OPTIONS = 10  # Discord and Telegram both allow 10 answers
MAX_OPTION_CHARS = 55  # Discord's limit (Telegram allows 100)
MAX_QUESTION_CHARS = 300  # both platforms
_FLAG = re.compile(r"(?:^|\s)--(\S+)(?:\s+([^\s|]+))?")
_FLAGS = {"for": "for", "pour": "for", "in": "in", "dans": "in"}


@dataclass(frozen=True, slots=True)
class PollRequest:
    """A poll as typed: question, options, duration, other communities."""

    question: str
    options: tuple[str, ...]
    duration: timedelta
    targets: tuple[str, ...]


def read_poll(text: str, default: timedelta) -> PollRequest:
    """Parse the command's text; a bad part is a UsageError that names it."""
    duration, targets = default, list[str]()
    for match in _FLAG.finditer(text):
        name, value = _FLAGS.get(match.group(1).lower()), match.group(2)
        if name is None:
            raise UsageError(Msg.of("polls.bad_flag", flag=f"--{match.group(1)}"))
        if value is None:
            raise UsageError(Msg.of("polls.flag_value", flag=f"--{match.group(1)}"))
        if name == "for":
            duration = read_duration(value)
        else:
            targets.extend(v for v in value.split(",") if v)
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise UsageError(Msg.of("polls.bad_duration", low=format_duration(MIN_DURATION),
                                high=format_duration(MAX_DURATION)))
    parts = [p.strip() for p in _FLAG.sub(" ", text).split("|")]
    question, options = parts[0], tuple(p for p in parts[1:] if p)
    if not question or len(options) < 2 or len(options) > MAX_OPTIONS:
        raise UsageError(Msg.of("polls.shape", most=MAX_OPTIONS))
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(Msg.of("polls.question_long", limit=MAX_QUESTION_CHARS))
    for option in options:
        if len(option) > MAX_OPTION_CHARS:
            raise UsageError(Msg.of("polls.option_long", option=option[:20] + "…",
                                    limit=MAX_OPTION_CHARS))
    if len({o.casefold() for o in options}) != len(options):
        raise UsageError(Msg.of("polls.duplicate"))
    return PollRequest(question, options, duration, tuple(targets))

"""Whether a message is the FAQ's business, and which entry (if any) answers it confidently."""

from __future__ import annotations

from dataclasses import dataclass

from bot.events import MessageCreated
from bot.text import NormalizedText
from plugins.faq.index import FaqIndex, Match
from plugins.faq.text import reading, words_of

__all__ = ["MARGIN", "MAX_CHARS", "Outcome", "addressed", "conversational", "decide", "read"]

MAX_CHARS = 1000
"""Longer messages are not FAQ questions (and are not read further)."""
MARGIN = 0.05
"""The best entry must beat the next one by this much: otherwise the question is ambiguous."""
MIN_COVERAGE = 0.5
"""At least half of an example question (or a keyword) must be in the message."""
RIVAL_SHARE = 0.6
"""A runner-up this close (share of the threshold) whose keyword is in the message, while the
best entry's is not, makes the question ambiguous."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The best match, the runner-up's score, and whether it is confident enough to answer."""

    best: Match | None
    runner_up: float
    confident: bool

    @property
    def evidence(self) -> str:
        """Why, in a line: score, threshold, matched words, closest example."""
        best = self.best
        if best is None:
            return "no entry shares a word with the message"
        return (f"entry {best.entry.id}: confidence {best.score:.2f} (focus {best.focus:.2f}, "
                f"coverage {best.coverage:.2f}, next {self.runner_up:.2f}); matched "
                f"{', '.join(best.matched) or '-'}; closest example {best.example!r}")


def addressed(event: MessageCreated, names: tuple[str, ...]) -> bool:
    """The message mentions a bot, replies to one, or starts with one of the bot's names."""
    if event.reply_to_author is not None and event.reply_to_author.is_bot:
        return True
    if any(user.is_bot for user in event.mentions):
        return True
    first = event.text.lstrip().split(maxsplit=1)[:1]
    if not first:
        return False
    word = first[0].lstrip("@").rstrip(",:;!.").casefold()
    return word in names or any(user.name.casefold() in names for user in event.mentions)


def conversational(event: MessageCreated) -> bool:
    """The message replies to or mentions another member: talk between people."""
    if event.reply_to_author is not None and not event.reply_to_author.is_bot:
        return True
    return any(not user.is_bot for user in event.mentions)


def read(normalized: NormalizedText) -> tuple[list[str], list[str], tuple[str, ...]]:
    """(words, content terms, every word stemmed) of a message."""
    words = words_of(normalized)
    terms: list[str] = []
    stems: list[str] = []
    for word in words:
        stemmed, content = reading(word)
        stems.append(stemmed)
        if content:
            terms.append(stemmed)
    return words, list(dict.fromkeys(terms)), tuple(stems)


def decide(index: FaqIndex, terms: list[str], stems: tuple[str, ...], threshold: float,
           community: str, channel: str | None) -> Outcome:
    """The best entry for a message, and whether it clears the threshold and the margin."""
    found = index.match(terms, community, channel, stems=stems)
    if not found:
        return Outcome(None, 0.0, False)
    best = found[0]
    rival = found[1] if len(found) > 1 else None
    runner_up = rival.score if rival is not None else 0.0
    contested = rival is not None and rival.keyword and not best.keyword \
        and rival.score >= RIVAL_SHARE * threshold
    confident = best.score >= threshold and best.coverage >= MIN_COVERAGE \
        and best.score - runner_up >= MARGIN and not contested
    return Outcome(best, runner_up, confident)

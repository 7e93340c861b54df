"""Reading `!post schedule` and `!post edit` words: a moment, a target, texts and `--options`,
with the text's own spacing and line breaks kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.commands import UsageError
from bot.i18n import Msg
from bot.when import WhenError, looks_like_when

__all__ = ["FLAGS", "Words", "read_date", "read_options"]

_WORD = re.compile(r"\S+")
FLAGS = {
    "--fr": "text", "--en": "text", "--text": "text", "--texte": "text",
    "--at": "when", "--le": "when",
    "--repeat": "word", "--every": "word", "--repeter": "word", "--répéter": "word",
    "--days": "word", "--jours": "word", "--until": "word", "--jusqu": "word",
    "--cron": "cron", "--image": "word", "--link": "word", "--lien": "word",
    "--tz": "word", "--to": "word", "--vers": "word",
    "--pin": "switch", "--epingler": "switch", "--épingler": "switch", "--no-pin": "switch",
    "--preview": "switch", "--no-preview": "switch", "--apercu": "switch",
    "--sans-apercu": "switch", "--embed": "switch", "--no-embed": "switch",
    "--no-repeat": "switch",
}
CANONICAL = {"--texte": "--text", "--le": "--at", "--every": "--repeat", "--repeter": "--repeat",
             "--répéter": "--repeat", "--jours": "--days", "--jusqu": "--until",
             "--lien": "--link", "--vers": "--to", "--epingler": "--pin", "--épingler": "--pin",
             "--apercu": "--preview", "--sans-apercu": "--no-preview"}


@dataclass
class Words:
    """The words of a command's arguments, each with its place in the original text."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Words:
        """Split on white space, remembering where each word is."""
        return cls(text, [(m.start(), m.end()) for m in _WORD.finditer(text)])

    def __len__(self) -> int:
        return len(self.spans)

    def word(self, index: int) -> str:
        """The word at `index`."""
        start, end = self.spans[index]
        return self.text[start:end]

    def words(self, start: int = 0, end: int | None = None) -> list[str]:
        """Words from `start` to `end`."""
        return [self.word(i) for i in range(start, len(self) if end is None else end)]

    def between(self, start: int, end: int) -> str:
        """The original text of words `start` to `end` (spacing and line breaks kept)."""
        if start >= end:
            return ""
        return self.text[self.spans[start][0]:self.spans[end - 1][1]]


def read_date(word: str) -> date:
    """`2027-06-30`, `30/06/2027` or `30/06/27`."""
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", word):
            return date.fromisoformat("-".join(f"{int(p):02d}" for p in word.split("-")))
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", word)
        if match:
            year = int(match.group(3))
            return date(year + 2000 if year < 100 else year, int(match.group(2)),
                        int(match.group(1)))
    except ValueError:
        pass
    raise UsageError(Msg.of("publishing.bad_date", value=word))


def read_options(words: Words, start: int) -> tuple[str, dict[str, str | list[str] | bool]]:
    """The free text from `start` up to the first `--option`, then every option.

    Texts (`--fr`, `--en`, `--text`) run to the next option; `--at` takes the following words
    up to the next option (a moment); `--cron` takes five words; switches take none.
    """
    flags = [i for i in range(start, len(words)) if words.word(i).lower() in FLAGS]
    for i in range(start, len(words)):
        word = words.word(i).lower()
        if word.startswith("--") and word not in FLAGS and len(word) > 2:
            raise UsageError(Msg.of("publishing.unknown_option", option=words.word(i),
                                    options=" ".join(sorted(set(FLAGS) - set(CANONICAL)))))
    first = flags[0] if flags else len(words)
    main = words.between(start, first)
    options: dict[str, str | list[str] | bool] = {}
    index = first
    while index < len(words):
        name = words.word(index).lower()
        kind = FLAGS[name]
        name = CANONICAL.get(name, name)
        following = [i for i in flags if i > index]
        stop = following[0] if following else len(words)
        if kind == "switch":
            options[name] = True
            index += 1
            continue
        if kind == "cron":
            stop = min(len(words), index + 6)
        if stop == index + 1:
            raise UsageError(Msg.of("publishing.option_value", option=name))
        if kind == "word" and stop > index + 2:
            raise UsageError(Msg.of("publishing.option_one_word", option=name,
                                    extra=words.word(index + 2)))
        if kind in ("when", "cron"):
            options[name] = words.words(index + 1, stop)
        else:
            options[name] = words.between(index + 1, stop)
        index = stop
    return main, options


def when_error(exc: WhenError) -> UsageError:
    """A moment that could not be read, as a usage error in the reader's language."""
    return UsageError(exc.msg)


def moment_words(words: Words, start: int) -> int:
    """How many words from `start` may belong to a moment (up to the target or an option)."""
    end = start
    while end < len(words):
        word = words.word(end)
        if word.startswith(("--", "#", "@", "<#")) or (":" in word and not looks_like_when(word)):
            break
        end += 1
    return end


def local_text(moment: datetime) -> str:
    """`2026-12-07 09:30 (CET)`."""
    return f"{moment:%Y-%m-%d %H:%M} ({moment.tzname()})"

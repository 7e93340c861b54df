"""Challenges: the text and buttons a newcomer sees, in their language, and the right answer."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.durations import format_duration
from bot.i18n import Catalog

__all__ = ["EMOJIS", "QUESTIONS", "Challenge", "make_challenge"]

QUESTIONS = 5  # verification.question.<n>.{text,right,wrong1,wrong2} for n in 1..QUESTIONS
EMOJIS: dict[str, str] = {"apple": "🍎", "cat": "🐱", "car": "🚗", "tree": "🌳", "sun": "☀️",
                          "fish": "🐟"}
_random = random.SystemRandom()


@dataclass(frozen=True, slots=True)
class Challenge:
    """What to ask: the text, the button labels (in order), and which one is right."""

    text: str
    labels: tuple[str, ...]
    answer: int


def make_challenge(kind: str, catalog: Catalog, lang: str, name: str, time_limit: object,
                   rng: random.Random | None = None) -> Challenge:
    """A fresh challenge of `kind` for `name`, written in `lang`."""
    pick = rng or _random
    params = {"name": name, "time": format_duration(time_limit)}  # type: ignore[arg-type]
    if kind == "button":
        return Challenge(catalog.render("verification.challenge.button", lang, params),
                         (catalog.render("verification.button.human", lang),), 0)
    if kind == "question":
        number = pick.randint(1, QUESTIONS)
        key = f"verification.question.{number}"
        right = catalog.render(f"{key}.right", lang)
        options = [right, catalog.render(f"{key}.wrong1", lang),
                   catalog.render(f"{key}.wrong2", lang)]
        pick.shuffle(options)
        text = catalog.render("verification.challenge.question", lang,
                              {**params, "question": catalog.render(f"{key}.text", lang)})
        return Challenge(text, tuple(options), options.index(right))
    if kind == "math":
        a, b = pick.randint(1, 9), pick.randint(1, 9)
        total = a + b
        wrong = pick.sample([n for n in range(2, 19) if n != total], 3)
        numbers = [total, *wrong]
        pick.shuffle(numbers)
        text = catalog.render("verification.challenge.math", lang, {**params, "a": a, "b": b})
        return Challenge(text, tuple(str(n) for n in numbers), numbers.index(total))
    if kind == "emoji":
        names = pick.sample(sorted(EMOJIS), 4)
        wanted = names[0]
        pick.shuffle(names)
        text = catalog.render("verification.challenge.emoji", lang, {
            **params, "thing": catalog.render(f"verification.emoji.{wanted}", lang)})
        return Challenge(text, tuple(EMOJIS[n] for n in names), names.index(wanted))
    raise ValueError(f"unknown challenge kind {kind!r}")

"""Precision and recall of the default rules on the labelled set; run it as a module to print."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from bot.discovery import discover_plugins
from tests.harness import Harness

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
RULES = ("insults",)


@dataclass
class Scores:
    """Counts of a labelled run, and the mistakes."""

    true_positive: int = 0
    false_positive: int = 0
    true_negative: int = 0
    false_negative: int = 0
    missed: list[str] = field(default_factory=list)
    wrongly_flagged: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Flagged messages that were abusive."""
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Abusive messages that were flagged."""
        abusive = self.true_positive + self.false_negative
        return self.true_positive / abusive if abusive else 1.0


def labelled() -> list[tuple[str, str, bool]]:
    """(language, text, abusive) for every item of the set."""
    data = YAML(typ="safe").load((HERE / "labelled.yaml").read_text(encoding="utf-8"))
    return [(lang, str(text), label == "abusive")
            for label in ("clean", "abusive") for lang, texts in data[label].items()
            for text in texts]


async def evaluate(by_language: dict[str, Scores] | None = None) -> Scores:
    """Send every item through the default rule file, each by a new member."""
    total = Scores()
    with tempfile.TemporaryDirectory() as folder:
        rules = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
        h = await Harness(Path(folder), rules=rules, plugins=discover_plugins()).start()
        h.community = "console:local"
        try:
            for number, (lang, text, abusive) in enumerate(labelled()):
                report = await h.say(text, author=f"member{number}")
                flagged = any(d.plugin == "automod" and d.rule in RULES
                              for d in report.decisions)
                for scores in (total, *([by_language.setdefault(lang, Scores())]
                                        if by_language is not None else [])):
                    _count(scores, text, abusive, flagged)
        finally:
            await h.stop()
    return total


def _count(scores: Scores, text: str, abusive: bool, flagged: bool) -> None:
    if abusive and flagged:
        scores.true_positive += 1
    elif abusive:
        scores.false_negative += 1
        scores.missed.append(text)
    elif flagged:
        scores.false_positive += 1
        scores.wrongly_flagged.append(text)
    else:
        scores.true_negative += 1


def main() -> None:
    """Print the figures."""
    by_language: dict[str, Scores] = {}
    total = asyncio.run(evaluate(by_language))
    for name, scores in [*sorted(by_language.items()), ("all", total)]:
        print(f"{name}: precision {scores.precision:.3f} recall {scores.recall:.3f} "
              f"(tp {scores.true_positive}, fp {scores.false_positive}, "
              f"tn {scores.true_negative}, fn {scores.false_negative})")
    print("missed:", total.missed)
    print("wrongly flagged:", total.wrongly_flagged)


if __name__ == "__main__":
    main()

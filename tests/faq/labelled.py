"""Precision and recall of the default FAQ on the labelled set; run it as a module to print."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from bot.discovery import discover_plugins
from bot.dispatch import Report
from bot.events import JobDue
from tests.harness import Harness

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


@dataclass(frozen=True)
class Item:
    """One labelled message: its language, text, and the entry that answers it (None: none)."""

    lang: str
    text: str
    expected: str | None
    kind: str


@dataclass
class Scores:
    """Counts of a labelled run, and the mistakes."""

    correct: int = 0
    wrong: int = 0
    missed: int = 0
    silent: int = 0
    right_language: int = 0
    mistakes: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Messages that got an answer."""
        return self.correct + self.wrong

    @property
    def precision(self) -> float:
        """Answers that were the right entry."""
        return self.correct / self.answered if self.answered else 1.0

    @property
    def recall(self) -> float:
        """Answerable questions that got the right entry."""
        answerable = self.correct + self.missed + sum(
            1 for m in self.mistakes if not m.startswith("(no entry)"))
        return self.correct / answerable if answerable else 1.0

    def line(self, name: str) -> str:
        """The figures in one line."""
        return (f"{name}: precision {self.precision:.3f} recall {self.recall:.3f} (correct "
                f"{self.correct}, wrong {self.wrong}, missed {self.missed}, rightly silent "
                f"{self.silent}; answered in the asker's language {self.right_language}/"
                f"{self.answered})")


def labelled(path: Path = HERE / "labelled.yaml") -> list[Item]:
    """Every item of the set."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    items = [Item(lang, str(text), entry, "match")
             for entry, by_lang in data["match"].items()
             for lang, texts in by_lang.items() for text in texts]
    for kind in ("unanswerable", "chat"):
        items += [Item(lang, str(text), None, kind)
                  for lang, texts in data[kind].items() for text in texts]
    return items


def _count(scores: Scores, item: Item, answer: str | None, answer_lang: str | None) -> None:
    if answer is None:
        if item.expected is None:
            scores.silent += 1
        else:
            scores.missed += 1
            scores.misses.append(f"[{item.expected}] {item.text}")
        return
    scores.right_language += answer_lang == item.lang
    if answer == item.expected:
        scores.correct += 1
    else:
        scores.wrong += 1
        label = item.expected or "(no entry)"
        scores.mistakes.append(f"{label} answered by {answer}: {item.text}")


def with_semantic(rules: str, semantic: bool) -> str:
    """A rule file (YAML) with the FAQ's semantic stage on or off."""
    yaml = YAML(typ="safe")
    data = yaml.load(rules)
    data["defaults"].setdefault("faq", {})["semantic"] = semantic
    return json.dumps(data, ensure_ascii=False)  # JSON is YAML


async def evaluate(items: list[Item] | None = None,
                   by_language: dict[str, Scores] | None = None, *, semantic: bool = False,
                   rules_path: Path | None = None, community: str = "console:local") -> Scores:
    """Send every item through a rule file (the default one), each by a new member in its own
    channel; with `semantic`, the encoder's late answers (the faq.semantic jobs) count too."""
    total = Scores()
    items = labelled() if items is None else items
    with tempfile.TemporaryDirectory() as folder:
        rules = (rules_path or ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
        os.environ.setdefault("VIGIE_FAQ_CACHE", str(Path(folder) / "vectors"))
        h = await Harness(Path(folder), rules=with_semantic(rules, semantic),
                          plugins=discover_plugins()).start()
        h.community = community
        late: list[Report] = []

        async def deliver(job: JobDue) -> bool:
            report = await h.app.handle(job)
            late.append(report)
            return report.handled

        h.app.scheduler.deliver = deliver
        try:
            for number, item in enumerate(items):
                report = await h.say(item.text, author=f"member{number}",
                                     channel=f"c{number}")
                decisions = list(report.decisions)
                if semantic:
                    late.clear()
                    await h.app.scheduler.run_due()
                    decisions += [d for r in late for d in r.decisions]
                answers = [d for d in decisions if d.plugin == "faq"
                           and d.rule.startswith("answer:") and d.actions]
                answer = answers[0].rule.removeprefix("answer:") if answers else None
                lang = None
                if answers:
                    texts = dict(answers[0].actions[0].text.texts)  # type: ignore[attr-defined]
                    lang = next(iter(texts))
                targets = [total]
                if by_language is not None:
                    targets.append(by_language.setdefault(item.lang, Scores()))
                for scores in targets:
                    _count(scores, item, answer, lang)
        finally:
            await h.stop()
    return total


def main() -> None:
    """Print the figures and the mistakes."""
    by_language: dict[str, Scores] = {}
    total = asyncio.run(evaluate(by_language=by_language))
    for name, scores in [*sorted(by_language.items()), ("all", total)]:
        print(scores.line(name))
    print("wrong answers:", *total.mistakes, sep="\n  ")
    print("missed:", *total.misses, sep="\n  ")


if __name__ == "__main__":
    main()

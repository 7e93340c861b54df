"""scripts/eval_faq_unseen.py stays runnable: its sets load, topics map to entries, it scores."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parents[2]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_faq_unseen",
                                                  ROOT / "scripts" / "eval_faq_unseen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_each_brand_has_25_entries_and_labelled_messages() -> None:
    module = script()
    for brand in module.BRANDS:
        rules = (module.UNSEEN / brand / "rules.yaml").read_text(encoding="utf-8")
        ids = module.entry_ids(rules)
        assert len(ids) == 25 == len(set(ids))
        found = module.messages(brand)
        assert len(found) >= 200 and {m["lang"] for m in found} == {"fr", "en"}
        assert all(m["topic"] is None or 1 <= m["topic"] <= 25 for m in found)


def test_scores_count_right_wrong_missed_and_remarks() -> None:
    module = script()
    score = module.Score()
    score.add({"id": "a", "text": "q", "question": True}, "x", "x", False)
    score.add({"id": "b", "text": "q", "question": True}, "x", "y", True)
    score.add({"id": "c", "text": "q", "question": True}, "x", None, False)
    score.add({"id": "d", "text": "nice", "question": False}, None, "x", False)
    score.add({"id": "e", "text": "other?", "question": True}, None, None, False)
    assert (score.correct, score.wrong, score.missed, score.late) == (1, 2, 1, 1)
    assert score.precision == 1 / 3 and score.recall == 1 / 3
    assert score.remark_rate == 1.0 and score.out_of_scope_answered == 0

"""scripts/eval_reputation_days.py stays runnable: its rule file passes `vigie check`, its
scoring reads warnings right, and one scripted day goes through `vigie replay` end to end.

The one replayed day is the sudden spike (day06): a day that warns is needed to see the
warnings collected (an empty list would pass with a broken collector). The figures of all ten
days are the script's output, not asserted here."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from bot.cli import app

ROOT = Path(__file__).resolve().parents[2]
DAYS = ROOT / "eval" / "reputation" / "scripted_days"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_reputation_days", ROOT / "scripts" / "eval_reputation_days.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


EVAL = _script()
LABELS = json.loads((DAYS / "labels.json").read_text(encoding="utf-8"))
IDS = EVAL.term_ids(LABELS["brand"])


def _warning(ts: str, community: str, term: str, spread: tuple[str, ...] = ()) -> object:
    return EVAL.Warning(ts=ts, community=community, term=term, event="m", kind="share",
                        posted=True, spread_from=list(spread), evidence="")


def test_the_rule_file_is_valid(tmp_path: Path) -> None:
    rules = EVAL.rule_file(LABELS["brand"], ["discord:1001", "telegram:-1002"])
    terms = {t["id"]: t for t in rules["defaults"]["reputation"]["terms"]}
    assert terms["voltaro"]["kind"] == "brand" and "Voltarro" in terms["voltaro"]["words"]
    assert terms["sav-support"]["fr"][:2] == ["SAV", "service client"]
    assert terms["zipwheel"]["kind"] == "competitor"
    assert "Max" in terms["voltaro-max"]["words"]  # `Max (scooter)`: the note is not a word
    assert rules["communities"]["telegram:-1002"]["alerts_channel"] == "telegram:-1009"
    path = tmp_path / "rules.yaml"
    EVAL.write_rules(rules, path)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output


def test_a_crisis_day_is_scored() -> None:
    label = LABELS["days"]["day06.jsonl"]  # starts 19:42:10
    found = [_warning("2026-10-10T19:30:00Z", "discord:1001", "voltaro"),
             _warning("2026-10-10T19:55:10Z", "discord:1001", IDS[label["term"]]),
             _warning("2026-10-10T20:00:00Z", "telegram:-1002", "app")]
    scored = EVAL.score_day("day06.jsonl", label, found, IDS)
    assert (scored.caught, scored.delay_min, scored.within_target) == (True, 13.0, True)
    assert scored.false_alerts == 2  # before the start, and about another topic


def test_the_spreading_day_tells_linked_from_unrelated() -> None:
    label = LABELS["days"]["day08.jsonl"]  # Telegram first, then Discord
    first = _warning("2026-10-12T14:20:00Z", "telegram:-1002", "voltaro")
    linked = _warning("2026-10-12T15:00:00Z", "discord:1001", "voltaro", ("telegram:-1002",))
    unrelated = _warning("2026-10-12T15:00:00Z", "discord:1001", "voltaro")
    verdicts = [EVAL.score_day("day08.jsonl", label, ws, IDS).spread["verdict"]
                for ws in ([first, linked], [first, unrelated], [first], [linked])]
    assert verdicts == [
        "two alerts, the second says it spread", "two unrelated alerts",
        "one alert, not followed to the second platform", "alert in the second platform only"]


def test_calm_and_one_member_days_count_every_warning() -> None:
    calm = EVAL.score_day("day07.jsonl", LABELS["days"]["day07.jsonl"],
                          [_warning("2026-10-11T12:00:00Z", "discord:1001", "voltaro")], IDS)
    assert (calm.caught, calm.false_alerts) == (None, 1)
    one = EVAL.score_day("day04.jsonl", LABELS["days"]["day04.jsonl"], [], IDS)
    assert (one.false_alerts, one.note) == (0, "no warning (none expected)")


def test_one_scripted_day_through_replay() -> None:
    result = EVAL.evaluate(DAYS, ["day06.jsonl"])
    [day] = result["days"]
    assert day["day"] == "day06.jsonl" and day["crisis"] is True
    assert day["warnings"], "the collector found no warning on the spike day"
    terms = {t["id"] for t in EVAL.brand_terms(LABELS["brand"])[0]}
    for warning in day["warnings"]:
        assert warning["ts"].startswith("2026-10-10T")
        assert warning["community"] in ("discord:1001", "telegram:-1002")
        assert warning["term"] in terms and warning["posted"] is True
        assert warning["kind"] in ("share", "volume")
    assert day["caught"] == (day["delay_min"] is not None)
    assert result["totals"]["crisis_days"] == 1
    assert "protocol: each day alone" in EVAL.table(result)

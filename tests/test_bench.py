"""`vigie bench` runs every variant on the same messages and reports figures (never timed here)."""

from __future__ import annotations

import gc
import json
import re

import pytest
from typer.testing import CliRunner

from bot.bench import automod_rules, corpus, lines, pattern_list, run_bench, word_list
from bot.cli import app


def test_workload_is_realistic_and_deterministic() -> None:
    """Mixed French and English, ~2% abusive, the same on every run."""
    words = word_list(1000)
    assert len(set(words)) == 1000 and "connard" in words
    events = corpus(5000, words)
    assert [e.text for e in events] == [e.text for e in corpus(5000, words)]
    assert len({e.text for e in events}) > 4500
    abusive = sum(any(w in e.text.lower() for w in words[:60]) for e in events)
    assert 10 < abusive < 400
    assert len(pattern_list()) == 60
    assert automod_rules(words[:10], pattern_list()[:2]).count("pattern-") == 2


def test_bench_reports_every_variant() -> None:
    """Throughput, p50 and p99 for each variant, the ratios and the scaling."""
    result = run_bench(messages=600, words=200, scaling=(100, 400))
    data = result.as_json()
    for name in ("pipeline", "baseline_loop", "baseline_alternation", "floor",
                 "pipeline_with_actions"):
        stats = data[name]
        assert stats["msgs_per_s"] > 0 and 0 < stats["p50_us"] <= stats["p99_us"]
    assert data["messages"] == 600 and data["rules"]["words"] == 200
    assert data["rules"]["regexes"] == 60
    assert data["floor"]["decisions"] == 0
    assert data["pipeline"]["decisions"] >= data["baseline_loop"]["decisions"] > 0
    assert set(data["scaling"]) == {"100", "400"}
    flagged = {stats["decisions"] for stats in data["scaling"].values()}
    assert len(flagged) == 1 and flagged != {0}  # the same messages flagged whatever the size
    assert set(data["ratios"]) == {"vs_loop", "vs_alternation", "of_floor",
                                   "cost_10000_vs_100_words"}
    text = "\n".join(lines(result))
    assert "pipeline" in text and "baseline_loop" in text and "scaling" in text
    assert gc.get_freeze_count() == 0  # each variant's frozen heap was handed back


def test_command_json() -> None:
    """`vigie bench --json` prints the documented keys."""
    result = CliRunner().invoke(app, ["bench", "--json", "--messages", "500", "--words", "50"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"messages", "rules", "pipeline", "baseline_loop", "baseline_alternation",
            "floor"} <= set(data)
    assert set(data["pipeline"]) >= {"msgs_per_s", "p50_us", "p99_us"}
    assert set(data["scaling"]) == {"100", "1000", "10000"}


def test_scaling_keeps_the_faster_of_two_interleaved_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow spell during one run of a size does not show up as growth."""
    from bot import bench

    rates = {"s100-0": 900, "s400-0": 300, "s100-1": 500, "s400-1": 800}
    order: list[str] = []

    async def fake_measure(rules, plugins, events, execute=False):  # type: ignore[no-untyped-def]
        found = re.search(r"-(s\d+-\d)$", events[0].id)
        key = found.group(1) if found else "other"
        order.append(key)
        return bench.Stats(rates.get(key, 1000), 1.0, 2.0, 0)

    monkeypatch.setattr(bench, "_measure", fake_measure)
    result = run_bench(messages=600, words=50, scaling=(100, 400))
    assert [k for k in order if k != "other"] == ["s100-0", "s400-0", "s100-1", "s400-1"]
    assert result.scaling["100"].msgs_per_s == 900 and result.scaling["400"].msgs_per_s == 800

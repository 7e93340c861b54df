"""`vigie bench` runs every variant on the same messages and reports figures (never timed here)."""

from __future__ import annotations

import gc
import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from bot.bench import automod_rules, corpus, lines, pattern_list, run_bench, word_list
from bot.bench.workload import community_stream, sized_stream
from bot.cli import app
from bot.permissions import Role

VARIANTS = {"pipeline", "pipeline_attributed", "pipeline_with_actions", "automod",
            "baseline_loop", "baseline_alternation", "floor"}


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


def test_community_stream_looks_like_communities() -> None:
    """Several communities on both platforms, staff, replies, mentions, questions, long texts."""
    events = list(community_stream(5000))
    assert [e.text for e in events] == [e.text for e in community_stream(5000)]
    assert len({e.community for e in events}) == 6
    assert {e.community.split(":")[0] for e in events} == {"discord", "telegram"}
    assert len({e.channel for e in events}) > 30
    assert 50 < sum(e.author.role >= Role.CM for e in events) < 500
    assert 500 < sum(e.reply_to is not None for e in events) < 2000
    assert 200 < sum(bool(e.mentions) for e in events) < 700
    assert sum("?" in e.text for e in events) > 400  # questions, for the FAQ and others
    assert 30 < sum(len(e.text) >= 1000 for e in events) < 150
    assert len({e.author.id for e in events}) > 1000
    short, long = list(sized_stream(50, 200)), list(sized_stream(50, 2000))
    assert {len(e.text) for e in short} == {200} and {len(e.text) for e in long} == {2000}
    assert [e.author for e in short] == [e.author for e in long]


def test_bench_reports_every_variant_and_plugin() -> None:
    """CPU throughput, p50 and p99 for each variant, per-plugin costs, ratios, targets."""
    result = run_bench(messages=600, words=200, scaling=(100, 400), faq=False)
    data = result.as_json()
    assert set(data["variants"]) == VARIANTS
    for stats in data["variants"].values():
        assert stats["msgs_per_s"] > 0 and 0 < stats["p50_us"] <= stats["p99_us"]
        assert stats["cpu_us_per_msg"] > 0 and stats["wall_msgs_per_s"] > 0
    variants = data["variants"]
    assert variants["floor"]["decisions"] == 0
    assert variants["pipeline"]["decisions"] == variants["pipeline_attributed"]["decisions"] > 0
    assert variants["automod"]["decisions"] >= variants["baseline_loop"]["decisions"] > 0
    decided = data["decided"]["pipeline"]
    assert {"automod", "faq"} <= set(decided)  # the stream gives the plugins work
    plugins = data["plugins"]
    assert {"automod", "escalation", "faq", "contests", "core"} <= set(plugins)
    assert sum(p["share"] for p in plugins.values()) == pytest.approx(1.0, abs=0.01)
    assert all(p["us_per_msg"] >= 0 for p in plugins.values())
    assert "automod.guard" in data["steps"] and "core:rest" in data["steps"]
    assert set(data["length"]) == {"chars_200", "chars_2000"}
    assert set(data["scaling"]) == {"100", "400"}
    flagged = {stats["decisions"] for stats in data["scaling"].values()}
    assert len(flagged) == 1 and flagged != {0}  # the same messages flagged whatever the size
    assert {"automod_vs_loop", "automod_vs_alternation", "pipeline_of_floor",
            "cost_2000_vs_200_chars"} <= set(data["ratios"])
    assert set(data["targets"]) == {"msgs_per_s", "p99_us", "largest_plugin_share",
                                    "cost_2000_vs_200_chars"}
    assert all(isinstance(t["met"], bool) for t in data["targets"].values())
    text = "\n".join(lines(result))
    assert "pipeline_attributed" in text and "per plugin" in text and "escalation" in text
    assert "targets" in text
    assert gc.get_freeze_count() == 0  # the frozen heap was handed back


def test_variants_are_interleaved(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each variant handles a chunk in turn, the order rotating, until the messages run out."""
    from bot.bench import measure

    order: list[str] = []
    feed = measure._feed

    async def recording(run, events):  # type: ignore[no-untyped-def]
        order.append(run.variant.name)
        await feed(run, events)

    monkeypatch.setattr(measure, "_feed", recording)
    import asyncio

    events = list(community_stream(30))
    variants = [measure.Variant(name, "version: 1\ndefaults:\n  language: en\n", [])
                for name in ("a", "b", "c")]
    results = asyncio.run(measure.interleave(variants, events, chunk=10))
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert {r.count for r in results.values()} == {30}


def test_command_json() -> None:
    """`vigie bench --json` prints the documented keys."""
    result = CliRunner().invoke(app, ["bench", "--json", "--messages", "500", "--words", "50",
                                      "--no-faq"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"messages", "rules", "variants", "plugins", "steps", "length", "scaling",
            "targets"} <= set(data)
    assert set(data["variants"]) == VARIANTS
    assert set(data["variants"]["pipeline"]) >= {"msgs_per_s", "p50_us", "p99_us",
                                                 "cpu_us_per_msg"}
    assert set(data["scaling"]) == {"100", "1000", "10000"}
    assert Counter(data["rules_file"].split("/"))["rules.yaml"] == 1

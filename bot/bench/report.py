"""`vigie bench`'s figures as text, for people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.bench.measure import Stats

if TYPE_CHECKING:
    from bot.bench import BenchResult

__all__ = ["lines", "stats_header", "stats_line"]

WHAT = {
    "pipeline": "every discovered plugin, the rule file given; actions counted",
    "pipeline_attributed": "the same, each hook and core step timed (timers cost a little)",
    "pipeline_with_actions": "the same, actions executed (stub platform, in-memory cases)",
    "automod": "automod alone: 1,000 words, 60 regexes, flood, caps, links, duplicates",
    "baseline_loop": "one Python `re` per word and pattern, tried in turn",
    "baseline_alternation": "one Python `re` alternation of every word and pattern",
    "floor": "no plugin: the dispatcher alone",
}


def stats_header(width: int = 24) -> str:
    """Column titles for `stats_line`."""
    return (f"{'variant':<{width}}{'msgs/s CPU':>11}{'µs CPU':>8}{'p50 µs':>8}{'p99 µs':>8}"
            f"{'msgs/s wall':>12}{'p99 wall':>9}{'decisions':>10}")


def stats_line(name: str, stats: Stats, width: int = 24) -> str:
    """One variant's figures."""
    return (f"{name:<{width}}{stats.msgs_per_s:>11,.0f}{stats.cpu_us_per_msg:>8}"
            f"{stats.p50_us:>8}{stats.p99_us:>8}{stats.wall_msgs_per_s:>12,.0f}"
            f"{stats.p99_wall_us:>9}{stats.decisions:>10,}")


def lines(result: BenchResult) -> Iterator[str]:
    """The figures, for people."""
    yield (f"{result.messages:,} messages of a community stream (6 communities on Discord and "
           f"Telegram, 60 channels, FR/EN, ~2% abusive) through each variant, interleaved in "
           f"chunks; rules: {result.rules_file}")
    yield "CPU: process CPU time (every thread); p50/p99: CPU time of one message's handling"
    yield stats_header()
    for name, stats in result.variants.items():
        yield stats_line(name, stats)
    for name, what in WHAT.items():
        yield f"  {name}: {what}"
    yield "decisions by plugin: " + "; ".join(
        f"{name}: " + ", ".join(f"{p} {n:,}" for p, n in sorted(d.items())) if d else f"{name}: -"
        for name, d in result.decided.items() if name.startswith("pipeline"))
    yield ("per plugin (pipeline_attributed: thread CPU inside each plugin's hooks; core: "
           "context, bookkeeping, audit, the rest of the dispatcher)")
    for plugin, cost in result.plugins.items():
        yield f"  {plugin:<22}{cost['us_per_msg']:>8} µs/msg {cost['share']:>7.1%}"
    yield "  by step: " + ", ".join(f"{step} {cost['us_per_msg']} µs"
                                   for step, cost in result.steps.items())
    ratios = result.ratios()
    yield (f"automod is {ratios['automod_vs_loop']}x the per-rule loop and "
           f"{ratios['automod_vs_alternation']}x the alternation; the pipeline costs "
           f"{ratios['pipeline_vs_automod_cost']}x automod alone and runs at "
           f"{ratios['pipeline_of_floor']:.1%} of the floor's speed")
    yield "message length (every plugin; the same messages, 200 then 2,000 characters):"
    for name, stats in result.length.items():
        yield stats_line(f"  {name}", stats)
    yield f"  2,000 characters cost {ratios['cost_2000_vs_200_chars']}x 200 characters"
    yield ("automod scaling (20,000 messages, abusive with the smallest list's words; best of "
           "2 interleaved runs): words -> msgs/s CPU, p50 µs, p99 µs, decisions")
    for size, stats in result.scaling.items():
        yield (f"  {int(size):>6,} words: {stats.msgs_per_s:>8,.0f} msgs/s  {stats.p50_us:>6} "
               f"{stats.p99_us:>7} {stats.decisions:>7,}")
    yield (f"  10,000 words cost {ratios['cost_10000_vs_100_words']}x the time of 100 words "
           "per message")
    yield "targets (issue 17):"
    for name, target in result.targets().items():
        yield (f"  {name}: {target['measured']} (target {target['target']}): "
               f"{'met' if target['met'] else 'NOT MET'}")
    if result.faq:
        from plugins.faq.bench import faq_lines

        yield from faq_lines(result.faq)

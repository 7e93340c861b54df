"""What the FAQ costs on top of the whole pipeline: 0, the default and 500 entries, CPU per message.

Every variant is the bot as `vigie run` configures it (every discovered plugin, the default
`config/rules.yaml`) with only the FAQ's entries changed: none (the FAQ off), the default ones,
or 500 generated entries in French and English (`plugins.faq.bench.rules_with`). The variants
run interleaved on the same stream (`bot.bench.measure.interleave`), in process CPU time:

- `community`: the `vigie bench` community stream, where 6% of the messages become questions
  about one of the 500 entries (half with a typo) and 4% questions with a word never seen before
  (a product, a place: each one a term the index has not met) (`plugins.faq.bench.community_mix`);
- `faq`: the FAQ bench's stream (`plugins.faq.bench.faq_corpus`): 70% chat, 15% questions on an
  entry, 15% other questions, each with a new word.

    .venv/bin/python scripts/measure_faq_cost.py --messages 20000
    .venv/bin/python scripts/measure_faq_cost.py --profile    # cProfile of the 500-entry run
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.bench.measure import Variant, interleave, open_app  # noqa: E402
from bot.bench.workload import START  # noqa: E402
from plugins.faq.bench import community_mix, faq_corpus, rules_with  # noqa: E402


async def measure(count: int) -> dict[str, dict[str, float]]:
    """CPU µs per message of each variant on each stream, the 500 entries' overhead over the
    FAQ off, and the FAQ hook's own µs per message (`*_hook`)."""
    variants = {"faq_0": rules_with(0), "faq_default": rules_with(None),
                "faq_500": rules_with(500)}
    streams = {"community": community_mix(count),
               "faq": faq_corpus(count, 500, START)}
    out: dict[str, dict[str, float]] = {}
    for stream, events in streams.items():
        warm = events[:300]
        timed = [Variant(f"{name}_hook", rules, None, attribute=True)
                 for name, rules in variants.items() if name != "faq_0"]
        results = await interleave([Variant(name, rules, None)
                                    for name, rules in variants.items()] + timed,
                                   events[300:], warm)
        figures = {name: results[name].stats.cpu_us_per_msg for name in variants}
        figures |= {f"{name}_p99": results[name].stats.p99_us for name in variants}
        figures["overhead_500"] = round(figures["faq_500"] / figures["faq_0"] - 1, 3)
        for variant in timed:  # the FAQ hook alone, from a copy whose hooks are timed
            measured = results[variant.name]
            figures[variant.name] = round(measured.parts.get("faq.respond", 0)
                                          / max(measured.count, 1) / 1000, 1)
        figures["answers_500"] = results["faq_500"].decided.get("faq", 0)
        out[stream] = figures
    return out


async def profile(count: int, sort: str) -> None:
    """cProfile of the 500-entry pipeline on the community stream (after a warm-up)."""
    events = community_mix(count)
    with tempfile.TemporaryDirectory() as folder:
        app = await open_app(Variant("faq_500", rules_with(500), None), Path(folder))
        try:
            for event in events[:300]:
                app.clock.set(event.ts)
                await app.dispatcher.handle(event)
            profiler = cProfile.Profile()
            profiler.enable()
            for event in events[300:]:
                app.clock.set(event.ts)
                await app.dispatcher.handle(event)
            profiler.disable()
        finally:
            await app.stop()
    pstats.Stats(profiler).sort_stats(sort).print_stats(30)


def main() -> None:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    options = parser.parse_args()
    if options.profile:
        asyncio.run(profile(options.messages, options.sort))
        return
    for stream, figures in asyncio.run(measure(options.messages)).items():
        print(f"{stream}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()

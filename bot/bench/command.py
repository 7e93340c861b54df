"""What `vigie bench` prints, for each of its modes (the CLI only parses the options)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["run_command"]

DEFAULTS = {"pipeline": 100_000, "e2e": 20_000, "memory": 1_000_000}


def run_command(mode: str, *, messages: int | None, words: int, rules: Path, faq: bool,
                json_output: bool, note: Callable[[str], None]) -> Iterator[str]:
    """Run one mode (pipeline, e2e, memory) and yield its lines (or one JSON document)."""
    count = messages or DEFAULTS[mode]
    if mode == "memory":
        from bot.bench.memory import memory_lines, run_memory

        note(f"vigie bench --memory: {count:,} messages through every plugin; this takes "
             "several minutes...")
        memory = run_memory(messages=count, rules=rules)
        yield from [json.dumps(memory.as_json(), indent=2)] if json_output \
            else memory_lines(memory)
        return
    if mode == "e2e":
        from bot.bench.e2e import e2e_lines, run_e2e

        note(f"vigie bench --e2e: {count:,} payloads per platform through every plugin...")
        ends = run_e2e(messages=count, rules=rules)
        yield from [json.dumps(ends.as_json(), indent=2)] if json_output else e2e_lines(ends)
        return
    from bot.bench import lines, run_bench

    note(f"vigie bench: {count:,} messages per variant, 7 variants interleaved, message "
         "length, the 100 -> 10,000 words scaling and the FAQ; this takes a few minutes...")
    result = run_bench(messages=count, words=words, rules=rules, faq=faq)
    yield from [json.dumps(result.as_json(), indent=2)] if json_output else lines(result)

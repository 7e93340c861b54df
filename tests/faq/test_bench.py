"""The FAQ workload of `vigie bench` is sound: a valid FAQ, and questions it really answers."""

from __future__ import annotations

from bot.bench import START, _measure
from plugins.faq.bench import faq_corpus, faq_lines, faq_rules, measure_faq


async def test_bench_workload_answers_its_questions() -> None:
    """Timings are not asserted (they live in `vigie bench`); what is measured is checked."""
    stats = await measure_faq(_measure, 600, START)
    assert set(stats) == {"floor", "entries_50", "entries_500", "entries_500_questions_only",
                          "naive_scan_500", "pipeline_no_faq", "pipeline_faq_500"}
    assert stats["floor"].decisions == 0
    questions = [e for e in faq_corpus(600, 500, START) if "?" in e.text]
    assert 0 < stats["entries_500"].decisions <= len(questions)
    assert stats["entries_500_questions_only"].decisions == stats["entries_500"].decisions
    assert "500 entries" in "\n".join(faq_lines(stats))
    assert "500 FAQ entries cost" in "\n".join(faq_lines(stats))
    # the pipeline pair differs only by the FAQ's entries: only the one with entries answers
    assert stats["pipeline_faq_500"].decisions > stats["pipeline_no_faq"].decisions
    assert faq_rules(3).count("- id: topic-") == 3

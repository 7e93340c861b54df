"""The results of a poll, summed over its places, in one language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.events import platform_of
from bot.i18n import Catalog
from plugins.polls.store import PollPlace, PollRow

__all__ = ["results_text", "total_counts"]


def total_counts(poll: PollRow, places: Sequence[PollPlace]) -> tuple[int, ...]:
    """Votes per option over every place that was counted."""
    totals = [0] * len(poll.options)
    for place in places:
        for index, count in enumerate(place.counts or ()):
            if index < len(totals):
                totals[index] += count
    return tuple(totals)


def results_text(catalog: Catalog, lang: str, poll: PollRow,
                 places: Sequence[PollPlace]) -> str:
    """Head, one line per option (votes and share), the total per platform, and the places
    whose votes could not be read."""
    totals = total_counts(poll, places)
    total = sum(totals)
    lines = [catalog.render("polls.results.head", lang, {"id": poll.id,
                                                         "question": poll.question})]
    best = max(totals) if total else -1
    for number, (option, votes) in enumerate(zip(poll.options, totals, strict=True), 1):
        share = round(100 * votes / total) if total else 0
        lines.append(catalog.render("polls.results.line", lang, {
            "n": number, "option": option, "votes": votes, "share": share,
            "mark": " 🏆" if votes == best else ""}))
    counted = [p for p in places if p.counts is not None]
    by_platform: dict[str, int] = {}
    for place in counted:
        name = platform_of(place.community)
        by_platform[name] = by_platform.get(name, 0) + sum(place.counts or ())
    split = ", ".join(f"{name} {votes}" for name, votes in sorted(by_platform.items()))
    lines.append(catalog.render("polls.results.total", lang, {"total": total, "split": split}))
    missing = [p.community for p in places if p.counts is None]
    if missing:
        lines.append(catalog.render("polls.results.missing", lang,
                                    {"communities": ", ".join(missing)}))
    return "\n".join(lines)

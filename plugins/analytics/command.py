"""`vigie report`: read the database (without stopping Vigie), write the HTML or CSV report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot.settings.ruleset import RuleSet
from bot.storage import SqliteStore, StoreError, Transaction, open_store
from plugins.analytics.export import Section, catalog, csv_report, html_report
from plugins.analytics.figures import communities, compute
from plugins.analytics.plugin import AnalyticsPlugin, community_name, period_ending
from plugins.analytics.readonly import ReadOnlySqlite

__all__ = ["write_report"]


async def write_report(url: str, shown_url: str, rules: RuleSet, *, days: int, out: Path,
                       fmt: str, now: datetime, lang: str | None = None,
                       only: Sequence[str] = ()) -> int:
    """Write the report of the last `days` days to `out`; the number of communities in it."""
    store = open_store(url)
    db: Transaction
    if isinstance(store, SqliteStore):
        db = ReadOnlySqlite(store.path)
    else:
        await store.open()
        db = store
    try:
        return await _write(db, shown_url, rules, days, out, fmt, now, lang, only)
    except StoreError as exc:
        if "analytics_" in str(exc):
            raise StoreError(f"{exc} (has Vigie run with the analytics plugin on this "
                             "database?)", exc.kind) from None
        raise
    finally:
        if db is store:
            await store.close()


async def _write(db: Transaction, shown_url: str, rules: RuleSet, days: int, out: Path,
                 fmt: str, now: datetime, lang: str | None, only: Sequence[str]) -> int:
    start, end = period_ending(now, days)
    found = [c for c in await communities(db) if not only or c in only]
    if fmt == "csv":
        out.write_text(await csv_report(db, found, start, end), encoding="utf-8")
        return len(found)
    language = lang or rules.fallback.language
    sections = []
    for community in found:
        settings = rules.effective(community)
        sections.append(Section(community_name(settings, community),
                                await compute(db, community, start, end)))
    theme = getattr(rules.fallback, AnalyticsPlugin.name).theme
    out.write_text(html_report(sections, catalog(), language, start=start, end=end, made=now,
                               database=shown_url, theme=theme), encoding="utf-8")
    return len(found)

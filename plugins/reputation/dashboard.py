"""The reputation panel of the web dashboard's overview: each watched term's mentions and
index over the last 7 days (as `!reputation` counts them), and the daily index chart."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.i18n import Msg
from bot.web.panels import Panel
from plugins.reputation.commands import DEFAULT_DAYS, TERMS_SHOWN, _Sums
from plugins.reputation.settings import ReputationSettings
from plugins.reputation.store import ANY

if TYPE_CHECKING:
    from plugins.reputation.plugin import ReputationPlugin

__all__ = ["chart", "panel"]


async def _rows(plugin: ReputationPlugin, community: str,
                now: datetime) -> tuple[datetime, list[dict[str, Any]]]:
    since = now - timedelta(days=DEFAULT_DAYS - 1)
    return since, await plugin.records.days(community, since)


async def panel(plugin: ReputationPlugin, community: str, lang: str,
                now: datetime) -> Panel | None:
    """The terms' figures; None when the community watches no term."""
    settings = getattr(plugin.ctx.rules.effective(community), plugin.name)
    if not isinstance(settings, ReputationSettings) or not settings.terms:
        return None
    catalog = plugin.ctx.services.catalog
    _, rows = await _rows(plugin, community, now)
    kinds = {t.id: t for t in settings.terms}
    total, per_term = _Sums(), dict[str, _Sums]()
    for row in rows:
        if row["term"] == ANY:
            total.add(row)
        elif row["term"] in kinds:
            per_term.setdefault(row["term"], _Sums()).add(row)
    title = catalog.render("reputation.chart.title", lang, {"days": DEFAULT_DAYS})
    if not total.mentions:
        return Panel(title, (catalog.render("reputation.empty.all", lang,
                                            {"days": DEFAULT_DAYS}),))
    lines = [catalog.text(Msg.of("reputation.term", term=kinds[t].shown,
                                 kind=Msg.of(f"reputation.kind.{kinds[t].kind}"),
                                 mentions=s.mentions, negative=s.share(s.negative),
                                 positive=s.share(s.positive), index=s.index), lang)
             for t, s in sorted(per_term.items(), key=lambda kv: -kv[1].mentions)[:TERMS_SHOWN]]
    return Panel(title, tuple(lines), chart=True)


async def chart(plugin: ReputationPlugin, community: str, lang: str,
                now: datetime) -> bytes | None:
    """The daily satisfaction index of every watched term together, drawn in a thread."""
    since, rows = await _rows(plugin, community, now)
    per_day: dict[str, _Sums] = {}
    for row in rows:
        if row["term"] == ANY:
            per_day.setdefault(row["day"], _Sums()).add(row)
    if not per_day:
        return None
    dates = [(since + timedelta(days=offset)).date().isoformat() for offset in range(DEFAULT_DAYS)]
    catalog = plugin.ctx.services.catalog
    from plugins.reputation.chart import index_png  # matplotlib: on first use
    return await asyncio.to_thread(
        index_png, dates, [per_day[d].index if d in per_day else None for d in dates],
        [per_day[d].mentions if d in per_day else 0 for d in dates],
        catalog.render("reputation.chart.title", lang, {"days": DEFAULT_DAYS}),
        catalog.render("reputation.chart.mentions", lang))

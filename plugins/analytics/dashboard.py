"""The analytics panel of the web dashboard's overview: the `!stats` lines and chart (7 days)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.web.panels import Panel
from plugins.analytics.plugin import community_name, period_ending
from plugins.analytics.render import TextRenderer

if TYPE_CHECKING:
    from plugins.analytics.plugin import AnalyticsPlugin

__all__ = ["DAYS", "chart", "panel"]

DAYS = 7


async def panel(plugin: AnalyticsPlugin, community: str, lang: str, now: datetime) -> Panel:
    """The figures of the last DAYS days, as `!stats` writes them."""
    start, end = period_ending(now, DAYS)
    figures = await plugin.figures(community, start, end)
    settings = plugin.ctx.rules.effective(community)
    renderer = TextRenderer(plugin.ctx.services.catalog, lang)
    lines = renderer.lines(figures, community_name(settings, community))
    return Panel(title=lines[0], lines=tuple(lines[1:]), chart=not figures.empty)


async def chart(plugin: AnalyticsPlugin, community: str, lang: str, now: datetime) -> bytes:
    """The `!stats` chart of the last DAYS days, drawn in a thread."""
    start, end = period_ending(now, DAYS)
    figures = await plugin.figures(community, start, end)
    settings = plugin.ctx.rules.effective(community)
    renderer = TextRenderer(plugin.ctx.services.catalog, lang)
    name = community_name(settings, community)
    theme = getattr(settings, plugin.name).theme
    return await plugin.chart(figures, renderer, name, theme)



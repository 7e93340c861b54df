"""`!stats`: CMs only, a text summary in the reader's language, and a chart image file."""

from __future__ import annotations

import struct
from datetime import timedelta
from pathlib import Path

import pytest

from plugins.analytics.charts import HEIGHT, WIDTH, overview_png
from plugins.analytics.figures import Figures
from plugins.analytics.plugin import next_weekly, period_ending
from tests.analytics.conftest import Make, analytics
from tests.analytics.test_figures import script
from tests.harness import START


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (and it is a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_stats_gives_the_figures_and_writes_the_chart(make: Make, reports: Path) -> None:
    h = await make()
    await script(h)
    await h.say("!stats 7d", h.user("claire"))
    text = h.replies()[-1]
    assert text.splitlines()[0] == ("📊 Test community: the last 7 days (2026-11-17 to "
                                    "2026-11-23, UTC)")
    assert "Activity: 5 messages, 3 active members, 1 replies" in text
    assert "Questions: 2, 1 answered (50%): 1 by the team in 10m on average" in text
    assert "Moderation: 3 sanctions, 1 pardoned (33%)" in text
    # (20 min + 5 min + 22 h 5 min) / 3 = 7 h 30 min
    assert "The team acted 7h30m after the member's last message, on average" in text
    assert "By team member: claire 3 (1 pardoned)" in text
    assert "Offended again within 30 days, after: warning 1/2" in text
    images = list(reports.glob("*.png"))
    assert len(images) == 1 and f"Chart: {images[0]}" in text
    assert png_size(images[0].read_bytes()) == (WIDTH, HEIGHT)


async def test_stats_is_for_cms_and_checks_the_period(make: Make) -> None:
    h = await make()
    await h.say("!stats", "alice")
    assert "📊" not in "\n".join(h.replies())
    await h.say("!stats 3h", h.user("claire"))
    assert h.replies()[-1].endswith("Give a period in days between 1d and 365d, such as 7d or "
                                    "30d.")
    await h.say("!stats 400d", h.user("claire"))
    assert "between 1d and 365d" in h.replies()[-1]


async def test_stats_in_french_reads_french(make: Make) -> None:
    h = await make(lang="fr")
    await script(h)
    await h.say("!stats 30j", h.user("claire"))
    text = h.replies()[-1]
    assert "les 30 derniers jours" in text
    assert "Activité : 5 messages, 3 membres actifs" in text
    assert "Graphique : " in text


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("days", [0, 1, 365])
async def test_charts_render_empty_one_day_and_a_year(make: Make, theme: str, days: int) -> None:
    h = await make()
    plugin = analytics(h)
    for day in range(days):
        plugin.collector.message(h.community, "console:general", f"m{day}", f"u{day % 40}",
                                 START - timedelta(days=day), reply_to=None,
                                 question=day % 3 == 0, staff=False)
    start, end = period_ending(START, max(days, 1))
    f = await plugin.figures(h.community, start, end)
    assert f.totals["messages"] == days
    png = overview_png(f, lambda key: h.app.services.catalog.render(key, "fr"), "t", theme)
    assert png_size(png) == (WIDTH, HEIGHT)


def test_an_empty_figure_set_draws() -> None:
    f = Figures("console:x", START, START + timedelta(days=1))
    assert png_size(overview_png(f, lambda key: key, "title")) == (WIDTH, HEIGHT)


def test_next_weekly_report_time() -> None:
    # START is Saturday 2026-11-21 10:00.
    assert next_weekly(START, "monday", 9) == START.replace(day=23, hour=9)
    assert next_weekly(START, "saturday", 10) == START.replace(day=28)
    assert next_weekly(START, "saturday", 11) == START.replace(hour=11)

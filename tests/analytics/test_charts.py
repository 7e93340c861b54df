"""The overview chart: eight panels in the reader's language, on a background of its theme."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from matplotlib.image import imread

from plugins.analytics.charts import HEIGHT, THEMES, WIDTH, overview_png
from plugins.analytics.plugin import period_ending
from tests.analytics.conftest import Make, analytics
from tests.analytics.month import generate
from tests.analytics.test_stats import png_size


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_a_month_draws_every_panel_in_french_on_its_theme(make: Make, theme: str) -> None:
    h = await make(lang="fr")
    await generate(h, days=30, per_day=8)
    start, end = period_ending(h.clock.now(), 30)
    f = await analytics(h).figures(h.community, start, end)
    assert [k.members for k in f.cohorts if k.members] and \
        any(day[1] is not None for day in f.times_daily)      # the new panels have data
    asked: list[str] = []

    def label(key: str) -> str:
        asked.append(key)
        return h.app.services.catalog.render(key, "fr")       # KeyError on a missing text

    png = overview_png(f, label, "titre", theme)
    assert png_size(png) == (WIDTH, HEIGHT)
    for key in ("analytics.chart.retention", "analytics.chart.back7", "analytics.chart.times",
                "analytics.chart.team_time", "analytics.chart.heatmap",
                "analytics.chart.repeat"):
        assert key in asked
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    corner = tuple(round(float(v) * 255) for v in pixels[2, 2][:3])
    expected = THEMES[theme]["bg"]
    assert corner == tuple(int(expected[i:i + 2], 16) for i in (1, 3, 5))


async def test_cohorts_and_daily_times_of_a_generated_month(make: Make) -> None:
    h = await make()
    tally = await generate(h, days=30)
    start, end = period_ending(h.clock.now(), 31)
    f = await analytics(h).figures(h.community, start, end)
    assert sum(k.members for k in f.cohorts) == len(tally.active)   # all first seen here
    assert all(k.back30 is None for k in f.cohorts)                  # a month is too short
    team = [(day, seconds) for day, seconds, _, _ in f.times_daily if seconds is not None]
    answered = {day: (n, s) for day, _, n, _, s in f.answers_daily if n}
    assert [day for day, _ in team] == sorted(answered)
    assert all(seconds == answered[day][1] / answered[day][0] for day, seconds in team)
    assert min(s for _, s in team) >= 60 and max(s for _, s in team) <= 30 * 60


async def test_old_figures_are_pruned_past_the_retention(make: Make) -> None:
    h = await make(section="  analytics:\n    retention: 40d")
    await h.say("an old message", "bob")
    await analytics(h).writer.flush()
    await h.advance(timedelta(days=41))
    await h.say("a new message", "carol")
    await analytics(h).writer.flush()
    hours = await h.rows("SELECT hour, metric FROM analytics_hours ORDER BY hour")
    assert {r["hour"][:10] for r in hours} == {f"{h.clock.now():%Y-%m-%d}"}
    active = await h.rows("SELECT member FROM analytics_active")
    assert [r["member"] for r in active] == ["console:carol"]

"""Draw the README's sample analytics chart from a generated month run through the App.

    .venv/bin/python scripts/analytics_sample.py [--out docs/images/analytics-overview.png]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugins.analytics.charts import overview_png
from plugins.analytics.plugin import AnalyticsPlugin, chart_title, period_ending
from plugins.analytics.render import TextRenderer
from plugins.moderation import ModerationPlugin
from tests.analytics.conftest import rules
from tests.analytics.month import generate
from tests.harness import Harness


async def main(out: Path, lang: str, theme: str) -> None:
    """Generate the month, print the summary, write the chart."""
    with tempfile.TemporaryDirectory() as folder:
        h = await Harness(Path(folder), rules=rules(lang),
                          plugins=[ModerationPlugin, AnalyticsPlugin]).start()
        try:
            await generate(h, days=30, per_day=40)
            plugin = next(p for p in h.app.plugins if isinstance(p, AnalyticsPlugin))
            start, end = period_ending(h.clock.now(), 30)
            figures = await plugin.figures(h.community, start, end)
            renderer = TextRenderer(h.app.services.catalog, lang)
            print("\n".join(renderer.lines(figures, "Test community")))
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(overview_png(figures, renderer.t,
                                         chart_title(renderer, figures, "Test community"),
                                         theme))
            print(f"chart: {out}")
        finally:
            await h.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images/analytics-overview.png"))
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args()
    asyncio.run(main(args.out, args.lang, args.theme))

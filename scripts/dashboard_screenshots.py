"""Screenshots of the dashboard's main pages for the README, taken by the browser tests'
machinery (Debian's headless chromium) on a generated week of a community.

    .venv/bin/python scripts/dashboard_screenshots.py [--out docs/images] [--lang en]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.web.server import Dashboard
from bot.web.settings import WebFile
from plugins.analytics import AnalyticsPlugin
from plugins.moderation import ModerationPlugin
from tests.analytics.month import generate
from tests.harness import Harness
from tests.web.browser import missing, new_driver, off_loop
from tests.web.conftest import LINK, RULES

PAGES = (("overview", "/c/console:test/", 1280, 2300),
         ("cases", "/c/console:test/cases", 1280, 900),
         ("case", "/c/console:test/cases/{case}", 1280, 1100),
         ("phone", "/c/console:test/cases", 412, 915))


async def shoot(out: Path, lang: str) -> None:
    """Generate a week, log in as claire through the DM's link, save one PNG per page."""
    with tempfile.TemporaryDirectory() as folder:
        h = await Harness(Path(folder), rules=RULES,
                          plugins=[ModerationPlugin, AnalyticsPlugin]).start()
        dash = Dashboard(h.app, WebFile.model_construct(enabled=True, port=0))
        await dash.start()
        driver = await off_loop(new_driver)
        try:
            await generate(h, days=7, per_day=30)
            await h.say("hello <script>alert('x')</script>", "m1")
            for line, who in (("!timeout @m3 1h flood in #general", "claire"),
                              ("!warn @m4 insulted another member", "claire"),
                              ("!ban @m5 7d advertising links", "root"),
                              ("!warn @m6 spam", "root"),
                              ("!pardon 3 misunderstanding, see #help", "claire")):
                await h.say(line, who)
            await h.say("!dashboard", "claire")
            found = LINK.search(h.adapter.of("send_dm")[-1]["text"])
            assert found is not None
            base = f"http://127.0.0.1:{dash.port}"
            await off_loop(driver.get, f"{base}{found.group(1)}?lang={lang}")
            button = await off_loop(driver.find_element, "css selector", "#login")
            await off_loop(button.click)
            await asyncio.sleep(0.5)
            text = await off_loop(lambda: driver.page_source)
            numbers = re.findall(r'class="case-link">#(\d+)', text) or ["1"]
            rows = await h.app.store.fetch_all(
                "SELECT number FROM cases WHERE community = 'console:test' AND action = 'warn'"
                " ORDER BY number DESC LIMIT 1")
            case = str(rows[0]["number"]) if rows else numbers[0]
            out.mkdir(parents=True, exist_ok=True)
            for name, path, width, height in PAGES:
                await off_loop(driver.set_window_size, width, height)
                await off_loop(driver.get, base + path.format(case=case))
                await off_loop(driver.execute_script,
                               "return document.querySelector('img.chart') === null || "
                               "document.querySelector('img.chart').decode()")
                target = out / f"dashboard-{name}.png"
                await off_loop(driver.save_screenshot, str(target))
                print(f"{name}: {target}")
        finally:
            await off_loop(driver.quit)
            await dash.stop()
            await h.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    args = parser.parse_args()
    why = missing()
    if why is not None:
        sys.exit(f"error: {why}")
    asyncio.run(shoot(args.out, args.lang))

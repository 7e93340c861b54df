"""The dashboard in a real browser (Debian's headless chromium): log in from the link in the
DM, see the overview chart, find a case and pardon it; refusals and escaping as a CM sees them."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.web.server import Dashboard
from bot.web.settings import WebFile
from plugins.analytics import AnalyticsPlugin
from plugins.moderation import ModerationPlugin
from tests.harness import Harness
from tests.web.browser import missing, new_driver, off_loop
from tests.web.conftest import LINK, RULES

WHY_NOT = missing()
if WHY_NOT is not None and os.environ.get("CI") == "true":
    raise RuntimeError(f"browser tests cannot run in CI: {WHY_NOT}")
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=WHY_NOT or "")

from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@dataclass
class Live:
    """A harness, its dashboard on a real port, and a browser."""

    h: Harness
    dash: Dashboard
    driver: Any

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.dash.port}"

    async def link(self, name: str, community: str = "console:test") -> str:
        """The login URL from the DM `!dashboard` got."""
        before = len(self.h.adapter.of("send_dm"))
        await self.h.say("!dashboard", name, community=community)
        dms = self.h.adapter.of("send_dm")[before:]
        assert dms, f"{name} got no DM: {self.h.replies()[-1:]}"
        found = LINK.search(dms[-1]["text"])
        assert found
        return self.base + found.group(1)

    async def open(self, url: str) -> None:
        await off_loop(self.driver.get, url)

    async def find(self, css: str) -> Any:
        """The element, once the page that has it is there (a click may still be loading)."""
        wait = WebDriverWait(self.driver, 20)
        return await off_loop(wait.until, expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, css)))

    async def click(self, css: str) -> None:
        element = await self.find(css)
        await off_loop(element.click)

    async def text(self, css: str = "body") -> str:
        element = await self.find(css)
        return str(await off_loop(lambda: element.text))

    async def shows(self, needle: str, css: str = "body") -> bool:
        """Whether `needle` appears in the element (waiting for the next page if need be)."""
        shown = expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), needle)
        try:
            return bool(await off_loop(WebDriverWait(self.driver, 20).until, shown))
        except TimeoutException:
            return False

    async def script(self, code: str) -> Any:
        return await off_loop(self.driver.execute_script, code)

    async def login(self, name: str, community: str = "console:test") -> None:
        await self.open(await self.link(name, community))
        await self.click("#login")
        await self.find("#nav-overview")

    def no_alert(self) -> bool:
        try:
            self.driver.switch_to.alert  # noqa: B018
        except NoAlertPresentException:
            return True
        return False


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    h = await Harness(tmp_path, rules=RULES,
                      plugins=[ModerationPlugin, AnalyticsPlugin]).start()
    dash = Dashboard(h.app, WebFile.model_construct(enabled=True, port=0))  # any free port
    await dash.start()
    driver = await off_loop(new_driver)
    try:
        yield Live(h, dash, driver)
    finally:
        await off_loop(driver.quit)
        await dash.stop()
        await h.stop()


async def activity(h: Harness) -> None:
    """A little chat, a warning and a ban: figures for the chart, cases to find."""
    for i in range(6):
        await h.say(f"hello {i}", "bob")
        await h.say(f"salut {i}", "dave")
    await h.say("!warn @bob spam links", "claire")
    await h.say("!warn @dave rude", "claire")


async def test_log_in_see_the_chart_find_a_case_and_pardon_it(live: Live) -> None:
    await activity(live.h)
    await live.login("claire")
    assert "Overview of Test community" in await live.text("h1")
    assert await live.script(
        "const i = document.querySelector('#chart-analytics');"
        "return i !== null && i.complete && i.naturalWidth > 0;")
    await live.click("#nav-cases")
    field = await off_loop(live.driver.find_element, By.NAME, "member")
    await off_loop(field.send_keys, "bob")
    await live.click("#search button[type=submit]")
    await off_loop(WebDriverWait(live.driver, 20).until,
                   expected_conditions.url_contains("member=bob"))
    rows = await off_loop(live.driver.find_elements, By.CSS_SELECTOR, "a.case-link")
    assert [await off_loop(getattr, row, "text") for row in rows] == ["#1"]
    await off_loop(rows[0].click)
    assert "spam links" in await live.text("#case-reason")
    why = await off_loop(live.driver.find_element, By.NAME, "text")
    pardon_field = (await off_loop(live.driver.find_elements, By.CSS_SELECTOR,
                                   "#pardon-form input[name=text]"))[0]
    assert why is not None
    await off_loop(pardon_field.send_keys, "misunderstanding")
    await live.click("#pardon")
    alert = await off_loop(lambda: live.driver.switch_to.alert)
    await off_loop(alert.accept)  # the page asks before a pardon (progressive enhancement)
    assert await live.shows("#1", ".answer")
    assert (await live.text("#case-status")).lower() == "voided"
    case = await live.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.status == "voided"
    assert case.status_reason == "misunderstanding"


async def test_the_pages_switch_to_french(live: Live) -> None:
    await live.login("claire")
    await live.click("a[lang=fr]")
    await live.find("a[lang=fr][aria-current]")
    assert "Vue d'ensemble" in await live.text("h1")
    await live.click("#nav-cases")
    assert await live.shows("Dossiers", "h1")


async def test_an_expired_link_is_refused(live: Live) -> None:
    url = await live.link("claire")
    live.h.clock.advance(timedelta(minutes=11))
    await live.open(url)
    await live.click("#login")
    assert await live.shows("expired or was already used")


async def test_a_reused_link_is_refused(live: Live) -> None:
    url = await live.link("claire")
    await live.open(url)
    await live.click("#login")
    assert await live.shows("Overview", "h1")
    await off_loop(live.driver.delete_all_cookies)
    await live.open(url)
    await live.click("#login")
    assert await live.shows("expired or was already used")


async def test_a_member_gets_no_link(live: Live) -> None:
    await live.h.say("!dashboard", "mallory")
    assert not live.h.adapter.of("send_dm")
    await live.open(live.base + "/c/console:test/")
    assert "Please log in" in await live.text("h1")


async def test_a_cm_of_another_community_cannot_open_a_case_here(live: Live) -> None:
    await activity(live.h)
    await live.login("oscar", "console:other")
    await live.open(live.base + "/c/console:test/cases/1")
    assert await live.shows("Not found", "h1")
    assert "bob" not in await live.text()


async def test_a_post_without_the_csrf_token_is_refused(live: Live) -> None:
    await activity(live.h)
    await live.login("claire")
    await live.open(live.base + "/c/console:test/cases/1")
    await live.script("document.querySelector('#pardon-form input[name=csrf]').remove();")
    await live.click("#pardon")
    alert = await off_loop(lambda: live.driver.switch_to.alert)
    await off_loop(alert.accept)
    assert await live.shows("Form expired", "h1")
    case = await live.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.status == "active"


async def test_a_script_in_a_name_or_message_is_shown_as_text(live: Live) -> None:
    evil = "<script>alert('x')</script>"
    await live.h.say(f"hello {evil}", evil)
    await live.h.say(f"!warn @{evil} {evil}", "claire", mentions=[live.h.user(evil)])
    await live.login("claire")
    for path in ("/c/console:test/", "/c/console:test/cases", "/c/console:test/cases/1"):
        await live.open(live.base + path)
        assert live.no_alert(), path
        assert await live.script("return document.querySelectorAll('main script').length") == 0
    assert evil in await live.text(".member")

"""The dashboard's security rules through plain HTTP: links, sessions, roles, CSRF, escaping."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from tests.web.conftest import Site


@pytest.fixture
def harness_url(store_url: str) -> str:
    """Both storage backends."""
    return store_url


async def test_a_cm_logs_in_through_the_link_and_sees_the_overview(site: Site) -> None:
    await site.login("claire")
    page = await site.client.get("/c/console:test/")
    assert page.status == 200
    text = await page.text()
    assert "Overview of Test community" in text
    cookie = page.request_info  # the session cookie's flags, as set at login
    assert cookie is not None


async def test_the_session_cookie_is_httponly_strict_and_secure_behind_https(site: Site) -> None:
    path = await site.link("claire")
    form = await site.client.get(path)
    csrf = (await form.text()).split('name="csrf" value="')[1].split('"')[0]
    done = await site.client.post(path, data={"csrf": csrf}, allow_redirects=False)
    header = done.headers.getall("Set-Cookie")
    session = next(h for h in header if h.startswith("vigie_session="))
    assert "HttpOnly" in session and "SameSite=Strict" in session
    # public_url is https in the rule file, but this Dashboard was built with the default
    # settings (no public_url): Secure follows the settings it was given
    assert "Secure" not in session
    assert site.dash.settings.model_copy(
        update={"public_url": "https://x.example"}).secure


async def test_a_link_works_once(site: Site) -> None:
    path = await site.link("claire")
    form = await site.client.get(path)
    csrf = (await form.text()).split('name="csrf" value="')[1].split('"')[0]
    first = await site.client.post(path, data={"csrf": csrf}, allow_redirects=False)
    assert first.status == 303
    site.client.session.cookie_jar.clear()
    form = await site.client.get(path)
    csrf = (await form.text()).split('name="csrf" value="')[1].split('"')[0]
    again = await site.client.post(path, data={"csrf": csrf}, allow_redirects=False)
    assert again.status == 403
    assert "expired or was already used" in await again.text()


async def test_a_link_expires_after_ten_minutes(site: Site) -> None:
    path = await site.link("claire")
    form = await site.client.get(path)
    csrf = (await form.text()).split('name="csrf" value="')[1].split('"')[0]
    site.h.clock.advance(timedelta(minutes=10, seconds=1))
    late = await site.client.post(path, data={"csrf": csrf}, allow_redirects=False)
    assert late.status == 403
    assert (await site.client.get("/c/console:test/")).status == 401


async def test_a_member_gets_no_link(site: Site) -> None:
    await site.h.say("!dashboard", "mallory")
    assert not site.h.adapter.of("send_dm")
    assert "reserved for the community team" in site.h.replies()[-1]
    assert not await site.h.rows("SELECT * FROM web_logins")


async def test_a_member_demoted_after_the_link_cannot_log_in(site: Site) -> None:
    path = await site.link("claire")
    site.h.rules_path.write_text(site.h.rules_path.read_text().replace(
        'cm: ["console:claire"]', 'cm: ["console:someone"]'))
    site.h.app.rulebook.load()
    form = await site.client.get(path)
    csrf = (await form.text()).split('name="csrf" value="')[1].split('"')[0]
    refused = await site.client.post(path, data={"csrf": csrf}, allow_redirects=False)
    assert refused.status == 403


async def test_roles_are_checked_again_at_each_request(site: Site) -> None:
    await site.login("claire")
    assert (await site.client.get("/c/console:test/cases")).status == 200
    site.h.rules_path.write_text(site.h.rules_path.read_text().replace(
        'cm: ["console:claire"]', 'cm: ["console:someone"]'))
    site.h.app.rulebook.load()
    assert (await site.client.get("/c/console:test/cases")).status == 403


async def test_a_cm_of_another_community_sees_nothing_of_this_one(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!warn @bob spam", "claire")
    await site.login("oscar", "console:other")
    assert (await site.client.get("/c/console:other/")).status == 200
    for path in ("/c/console:test/", "/c/console:test/cases", "/c/console:test/cases/1"):
        page = await site.client.get(path)
        assert page.status == 404, path
        assert "bob" not in await page.text()


async def test_a_post_without_the_csrf_token_is_refused(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!warn @bob spam", "claire")
    await site.login("claire")
    refused = await site.client.post("/c/console:test/cases/1/pardon", data={"text": "x"})
    assert refused.status == 403
    wrong = await site.client.post("/c/console:test/cases/1/pardon",
                                   data={"text": "x", "csrf": "0" * 64})
    assert wrong.status == 403
    case = await site.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.status == "active"


async def test_pardon_from_the_page_is_the_pardon_command(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!warn @bob spam", "claire")
    await site.login("claire")
    csrf = await site.csrf("/c/console:test/cases/1")
    done = await site.client.post("/c/console:test/cases/1/pardon",
                                  data={"text": "misunderstanding", "csrf": csrf})
    assert done.status == 200
    assert "Case #1" in await done.text()
    case = await site.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.status == "voided"
    assert case.status_reason == "misunderstanding" and case.status_by == "console:claire"
    audit = await site.h.rows("SELECT * FROM audit WHERE rule = 'command:pardon'")
    assert len(audit) == 1 and "console:claire" in audit[0]["evidence"]
    # the command's answer went to the page, not to a channel
    assert not [m for m in site.h.adapter.of("send_message") if "dashboard" in m["channel"]]


async def test_pardon_of_a_ban_needs_an_admin_as_with_the_command(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!ban @bob ads", "claire")
    await site.login("claire")
    csrf = await site.csrf("/c/console:test/cases/1")
    page = await site.client.post("/c/console:test/cases/1/pardon", data={"csrf": csrf})
    assert "admin" in (await page.text()).lower()
    case = await site.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.status == "active"


async def test_reason_edit_from_the_page(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!warn @bob spam", "claire")
    await site.login("claire")
    csrf = await site.csrf("/c/console:test/cases/1")
    await site.client.post("/c/console:test/cases/1/reason",
                           data={"text": "insulted a member", "csrf": csrf})
    case = await site.h.app.services.cases.get("console:test", 1)
    assert case is not None and case.reason == "insulted a member"


async def test_search_by_member_rule_cm_status_and_day(site: Site) -> None:
    await site.h.say("hi", "bob")
    await site.h.say("!warn @bob spam", "claire")
    await site.h.say("hi", "carol")
    await site.h.say("!warn @carol rude", "root")
    await site.login("claire")
    async def numbers(query: str) -> list[str]:
        text = await (await site.client.get(f"/c/console:test/cases?{query}")).text()
        return [part.split("<")[0] for part in text.split('class="case-link">#')[1:]]
    assert await numbers("member=bob") == ["1"]
    assert await numbers("cm=root") == ["2"]
    assert await numbers("status=active") == ["2", "1"]
    assert await numbers("status=voided") == []
    assert await numbers("since=2026-11-21&until=2026-11-21") == ["2", "1"]
    assert await numbers("since=2026-11-22") == []
    assert await numbers("rule=insults") == []
    bad = await (await site.client.get("/c/console:test/cases?since=soon")).text()
    assert "YYYY-MM-DD" in bad


async def test_a_script_in_a_name_or_message_is_escaped(site: Site) -> None:
    evil = "<script>alert(1)</script>"
    await site.h.say(f"!warn @{evil} {evil}", "claire",
                     mentions=[site.h.user(evil)])
    await site.login("claire")
    for path in ("/c/console:test/cases", "/c/console:test/cases/1", "/c/console:test/"):
        text = await (await site.client.get(path)).text()
        assert "<script>alert" not in text, path
    case_page = await (await site.client.get("/c/console:test/cases/1")).text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in case_page


async def test_pages_in_french_by_query_then_cookie(site: Site) -> None:
    await site.login("claire")
    fr = await (await site.client.get("/c/console:test/?lang=fr")).text()
    assert "Vue d'ensemble" in fr or "Vue d&#39;ensemble" in fr
    again = await (await site.client.get("/c/console:test/cases")).text()
    assert "Dossiers" in again


async def test_login_attempts_are_rate_limited(site: Site) -> None:
    answers = [(await site.client.get(f"/login/nothing{i}")).status for i in range(12)]
    assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]


async def test_tokens_are_never_logged(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    path = await site.link("claire")
    await site.client.get(path)
    token = path.rsplit("/", 1)[1]
    assert token not in caplog.text
    audit = await site.h.rows("SELECT * FROM audit")
    assert not any(token in str(row) for row in audit)
    stored = await site.h.rows("SELECT * FROM web_logins")
    assert stored and token not in str(stored)


async def test_security_headers(site: Site) -> None:
    page = await site.client.get("/")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "no-referrer"


async def test_the_overview_shows_the_analytics_panel_and_serves_its_chart(site: Site) -> None:
    for i in range(3):
        await site.h.say(f"hello {i}", "bob")
    await site.login("claire")
    text = await (await site.client.get("/c/console:test/")).text()
    assert "Activity: 3 messages, 1 active members" in text
    assert 'id="chart-analytics"' in text
    chart = await site.client.get("/c/console:test/chart/analytics.png")
    assert chart.status == 200 and chart.content_type == "image/png"
    assert (await chart.read()).startswith(b"\x89PNG")
    assert (await site.client.get("/c/console:test/chart/nothing.png")).status == 404

"""Recurrences in a time zone and rendering per platform, as tables."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from plugins.publishing.recurrence import Repeat, next_after
from plugins.publishing.render import discord_text, render, split, telegram_html

PARIS = ZoneInfo("Europe/Paris")


def series(first: str, repeat: dict[str, object] | None, count: int = 4,
           until: date | None = None, after: str = "2026-01-01 00:00") -> list[str]:
    """The next `count` times as Paris local text."""
    rule = Repeat.model_validate(repeat) if repeat else None
    moment = datetime.fromisoformat(after).replace(tzinfo=PARIS)
    out = []
    for _ in range(count):
        found = next_after(datetime.fromisoformat(first), PARIS, rule, until, moment)
        if found is None:
            break
        out.append(f"{found.astimezone(PARIS):%a %Y-%m-%d %H:%M %Z}")
        moment = found
    return out


@pytest.mark.parametrize(("first", "repeat", "expected"), [
    ("2026-03-27 09:30", {"every": "day"}, [
        "Fri 2026-03-27 09:30 CET", "Sat 2026-03-28 09:30 CET", "Sun 2026-03-29 09:30 CEST",
        "Mon 2026-03-30 09:30 CEST"]),
    ("2026-03-28 02:30", {"every": "day"}, [   # 02:30 does not exist on 29 March: 03:30
        "Sat 2026-03-28 02:30 CET", "Sun 2026-03-29 03:30 CEST", "Mon 2026-03-30 02:30 CEST",
        "Tue 2026-03-31 02:30 CEST"]),
    ("2026-10-24 02:30", {"every": "day"}, [   # 02:30 happens twice on 25 October: the first
        "Sat 2026-10-24 02:30 CEST", "Sun 2026-10-25 02:30 CEST", "Mon 2026-10-26 02:30 CET",
        "Tue 2026-10-27 02:30 CET"]),
    ("2026-01-05 18:00", {"every": "week", "days": ["mon", "jeu"]}, [
        "Mon 2026-01-05 18:00 CET", "Thu 2026-01-08 18:00 CET", "Mon 2026-01-12 18:00 CET",
        "Thu 2026-01-15 18:00 CET"]),
    ("2026-01-05 18:00", {"every": "week", "interval": 2}, [
        "Mon 2026-01-05 18:00 CET", "Mon 2026-01-19 18:00 CET", "Mon 2026-02-02 18:00 CET",
        "Mon 2026-02-16 18:00 CET"]),
    ("2026-01-31 12:00", {"every": "month"}, [   # a month without the 31st: its last day
        "Sat 2026-01-31 12:00 CET", "Sat 2026-02-28 12:00 CET", "Tue 2026-03-31 12:00 CEST",
        "Thu 2026-04-30 12:00 CEST"]),
    ("2026-01-01 08:00", {"cron": "30 9 * * 1-5"}, [
        "Thu 2026-01-01 08:00 CET", "Thu 2026-01-01 09:30 CET", "Fri 2026-01-02 09:30 CET",
        "Mon 2026-01-05 09:30 CET"]),
    ("2026-01-01 08:00", {"cron": "0 9,18 1 * *"}, [
        "Thu 2026-01-01 08:00 CET", "Thu 2026-01-01 09:00 CET", "Thu 2026-01-01 18:00 CET",
        "Sun 2026-02-01 09:00 CET"]),
    ("2026-01-05 18:00", None, ["Mon 2026-01-05 18:00 CET"]),
])
def test_series(first: str, repeat: dict[str, object] | None, expected: list[str]) -> None:
    assert series(first, repeat) == expected


def test_until_ends_the_series_and_after_skips_the_past() -> None:
    assert series("2026-01-05 18:00", {"every": "day"}, 10, until=date(2026, 1, 7)) == [
        "Mon 2026-01-05 18:00 CET", "Tue 2026-01-06 18:00 CET", "Wed 2026-01-07 18:00 CET"]
    assert series("2026-01-05 18:00", {"every": "week"}, 1, after="2026-03-01 00:00") == [
        "Mon 2026-03-02 18:00 CET"]


@pytest.mark.parametrize("bad", [
    {"every": "day", "cron": "* * * * *"}, {}, {"every": "day", "days": ["mon"]},
    {"every": "week", "day": 3}, {"cron": "* * *"}, {"cron": "0 24 * * *"},
    {"every": "week", "days": ["someday"]}, {"every": "year"}])
def test_bad_recurrences(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Repeat.model_validate(bad)


@pytest.mark.parametrize(("text", "html"), [
    ("a < b > c & d", "a &lt; b &gt; c &amp; d"),
    ("**gras** *italique* _aussi_ __souligné__ ~~barré~~",
     "<b>gras</b> <i>italique</i> <i>aussi</i> <u>souligné</u> <s>barré</s>"),
    ("`<code> & co`", "<code>&lt;code&gt; &amp; co</code>"),
    ('[le "site" <x>](https://e.org/?a=1&b="2")',
     '<a href="https://e.org/?a=1&amp;b=&quot;2&quot;">le "site" &lt;x&gt;</a>'),
    ("snake_case_name and 2*3*4 and <b>not a tag</b>",
     "snake_case_name and 2*3*4 and &lt;b&gt;not a tag&lt;/b&gt;"),
    ("**unclosed", "**unclosed"),
])
def test_telegram_html(text: str, html: str) -> None:
    assert telegram_html(text) == html


@pytest.mark.parametrize(("text", "shown"), [
    ("@everyone hi", "@\u200beveryone hi"),
    ("@HERE hi", "@\u200bHERE hi"),
    ("<@&123> role", "<@\u200b&123> role"),
    ("mail@everyone.org", "mail@\u200beveryone.org"),   # broken everywhere: Discord may ping
    ("**bold** stays markdown", "**bold** stays markdown"),
])
def test_discord_never_pings(text: str, shown: str) -> None:
    assert discord_text(text) == shown


def test_render_per_platform_and_language() -> None:
    assert render("Hello <3", "telegram:-1", link="https://x.org").parts == (
        "Hello &lt;3\n\nhttps://x.org",)
    assert render("Hi", "discord:2", link="https://x.org", preview=False).parts == (
        "Hi\n\n<https://x.org>",)
    assert render("Hi", "discord:2", embed=True).markup == "embed"
    assert render("Hi", "console:news").markup == "plain"


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    def ident(text: str) -> str:
        return text
    assert split("aaaa\n\nbbbb\n\ncccc", ident, 10) == ["aaaa\n\nbbbb", "cccc"]
    assert split("aaaa\nbbbb\ncccc", ident, 10) == ["aaaa\nbbbb", "cccc"]
    assert split("aaa bbb ccc ddd", ident, 8) == ["aaa bbb", "ccc ddd"]
    assert split("x" * 25, ident, 10) == ["x" * 10, "x" * 10, "x" * 5]
    # the limit counts the converted text: escaping makes pieces longer
    assert split("& & & &", telegram_html, 12) == ["&amp; &amp;", "&amp; &amp;"]

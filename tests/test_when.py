"""Moments typed in French and English (bot/when.py): tables of words -> local time, and errors."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.when import When, WhenError, localize, looks_like_when, parse_when

PARIS = ZoneInfo("Europe/Paris")
# Thursday 3 December 2026, 10:15 in Paris (09:15 UTC).
NOW = datetime(2026, 12, 3, 9, 15, tzinfo=UTC)


def local(text: str, now: datetime = NOW, tz: str = "Europe/Paris") -> str:
    """The parsed moment as `YYYY-MM-DD HH:MM` in `tz`, with the words it used."""
    found = parse_when(text, now, tz)
    return f"{found.local:%Y-%m-%d %H:%M} /{found.consumed}"


@pytest.mark.parametrize(("text", "expected"), [
    ("demain 18h", "2026-12-04 18:00 /2"),
    ("demain à 18h30", "2026-12-04 18:30 /3"),
    ("Demain a 18h30", "2026-12-04 18:30 /3"),
    ("après-demain 9h", "2026-12-05 09:00 /2"),
    ("aujourd'hui 18h", "2026-12-03 18:00 /2"),
    ("aujourd’hui 18h", "2026-12-03 18:00 /2"),
    ("today 6pm", "2026-12-03 18:00 /2"),
    ("tomorrow 6pm", "2026-12-04 18:00 /2"),
    ("tomorrow 6 pm", "2026-12-04 18:00 /3"),
    ("tomorrow at 6:30pm", "2026-12-04 18:30 /3"),
    ("tomorrow 12am", "2026-12-04 00:00 /2"),
    ("tomorrow 12pm", "2026-12-04 12:00 /2"),
    ("demain midi", "2026-12-04 12:00 /2"),
    ("lundi 9:30", "2026-12-07 09:30 /2"),
    ("lundi prochain 9h", "2026-12-07 09:00 /3"),
    ("monday 9:30", "2026-12-07 09:30 /2"),
    ("next monday 9am", "2026-12-07 09:00 /3"),
    ("jeudi 18h", "2026-12-03 18:00 /2"),          # today is Thursday, 18h is still ahead
    ("jeudi 9h", "2026-12-10 09:00 /2"),           # 9h has passed: next Thursday
    ("jeudi prochain 18h", "2026-12-10 18:00 /3"),  # `prochain` skips today
    ("thursday 8pm", "2026-12-03 20:00 /2"),
    ("ce soir 20h", "2026-12-03 20:00 /3"),
    ("ce soir 8h", "2026-12-03 20:00 /3"),
    ("tonight 9", "2026-12-03 21:00 /2"),
    ("2026-12-10 18:00", "2026-12-10 18:00 /2"),
    ("2026-12-10T18:00", "2026-12-10 18:00 /1"),
    ("2026-12-10T17:00:00Z", "2026-12-10 18:00 /1"),
    ("2026-12-10T18:00:00+01:00", "2026-12-10 18:00 /1"),
    ("10/12 18h", "2026-12-10 18:00 /2"),
    ("10/12/2026 18:00", "2026-12-10 18:00 /2"),
    ("10/12/26 à 18h", "2026-12-10 18:00 /3"),
    ("01/12 18h", "2027-12-01 18:00 /2"),            # 1 December has passed: next year
    ("in 2h", "2026-12-03 12:15 /2"),
    ("dans 2h", "2026-12-03 12:15 /2"),
    ("dans 1h30", "2026-12-03 11:45 /2"),
    ("in 90 min", "2026-12-03 11:45 /3"),
    ("dans 2 heures", "2026-12-03 12:15 /3"),
    ("dans 3 jours", "2026-12-06 10:15 /3"),
    ("in 2 weeks", "2026-12-17 10:15 /3"),
    ("dans 7j", "2026-12-10 10:15 /2"),
    ("18h", "2026-12-03 18:00 /1"),
    ("23:59", "2026-12-03 23:59 /1"),
])
def test_moments(text: str, expected: str) -> None:
    assert local(text) == expected


def test_words_after_the_moment_are_left_for_the_command() -> None:
    words = ["demain", "18h", "#news", "Bonjour", "à", "tous", "10h"]
    found = parse_when(words, NOW, "Europe/Paris")
    assert isinstance(found, When)
    assert found.consumed == 2
    assert words[found.consumed:] == ["#news", "Bonjour", "à", "tous", "10h"]
    assert found.at == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    assert found.at.tzinfo is UTC


def test_another_time_zone() -> None:
    assert local("demain 18h", tz="America/New_York") == "2026-12-04 18:00 /2"
    found = parse_when("demain 18h", NOW, "America/New_York")
    assert found.at == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "key"), [
    ("demain 25h", "when.bad_time"),
    ("demain 18h75", "when.bad_time"),
    ("demain 18h5", "when.bad_time"),
    ("lundi 9:3", "when.bad_time"),
    ("tomorrow 13pm", "when.bad_time"),
    ("31/02 18h", "when.bad_date"),
    ("31/02", "when.bad_date"),
    ("2026-13-01 18:00", "when.bad_date"),
    ("10/12/202 18h", "when.bad_date"),
    ("2026-02-30T10:00", "when.bad_date"),
    ("demain", "when.no_time"),
    ("lundi #news", "when.no_time"),
    ("10/12 bonjour", "when.no_time"),
    ("9h", "when.passed_today"),               # 10:15 now
    ("aujourd'hui 8h", "when.past"),
    ("2026-12-01 18:00", "when.past"),
    ("10/12/2025 18:00", "when.past"),
    ("dans", "when.no_duration"),
    ("in 0h", "when.bad_duration"),
    ("dans 2x", "when.bad_duration"),
    ("dans deux heures", "when.bad_duration"),
    ("in 20000 days", "when.too_far"),
    ("bonjour 18h", "when.invalid"),
    ("", "when.missing"),
    ("demain 18h 19h", "when.trailing"),
])
def test_errors(text: str, key: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW, "Europe/Paris")
    assert caught.value.key == key


def test_every_error_has_both_languages() -> None:
    catalog = Catalog()
    keys = ["when.invalid", "when.missing", "when.bad_zone", "when.skipped", "when.bad_time",
            "when.bad_date", "when.no_time", "when.no_duration", "when.bad_duration",
            "when.passed_today", "when.past", "when.too_far", "when.trailing"]
    for key in keys:
        with pytest.raises(WhenError):
            raise WhenError("x", key, value="25h", moment="m", zone="Z")
        error = WhenError("x", key, value="25h", moment="m", zone="Z")
        english, french = error.msg.render(catalog, "en"), error.msg.render(catalog, "fr")
        assert english and french and english != french


def test_unknown_zone() -> None:
    with pytest.raises(WhenError) as caught:
        parse_when("demain 18h", NOW, "Europe/Pariss")
    assert caught.value.key == "when.bad_zone"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("demain 18h", datetime(2026, 12, 3, 9), "Europe/Paris")


@pytest.mark.parametrize(("word", "looks"), [
    ("18h", True), ("25h", True), ("9:30", True), ("6pm", True), ("31/02", True),
    ("2026-12-10", True), ("#news", False), ("Bonjour", False), ("2026", False), ("7j", False),
])
def test_looks_like_when(word: str, looks: bool) -> None:
    assert looks_like_when(word) is looks


class TestDaylightSaving:
    """Europe/Paris goes to summer time on 29 March 2026 (02:00 -> 03:00), back on 25 October."""

    def test_the_day_before_spring(self) -> None:
        now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)   # 13:00 in Paris (UTC+1)
        found = parse_when("demain 18h", now, "Europe/Paris")
        assert found.at == datetime(2026, 3, 29, 16, 0, tzinfo=UTC)   # UTC+2 on the day

    def test_skipped_hour_is_an_error(self) -> None:
        now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
        with pytest.raises(WhenError) as caught:
            parse_when("demain 2h30", now, "Europe/Paris")
        assert caught.value.key == "when.skipped"

    def test_repeated_hour_is_the_first(self) -> None:
        now = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
        found = parse_when("demain 2h30", now, "Europe/Paris")
        assert found.at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)   # still UTC+2

    def test_days_keep_the_wall_clock_and_hours_do_not(self) -> None:
        now = datetime(2026, 10, 24, 16, 0, tzinfo=UTC)   # 18:00 in Paris, summer time
        assert local("dans 1 jour", now) == "2026-10-25 18:00 /3"
        assert local("dans 24h", now) == "2026-10-25 17:00 /2"

    def test_localize_moves_a_skipped_time_forward_when_not_strict(self) -> None:
        moment = localize(datetime(2026, 3, 29, 2, 30), PARIS, strict=False)
        assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert f"{moment:%H:%M}" == "03:30"

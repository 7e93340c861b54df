"""How times are shown: moments, time left (rounded up), ages (rounded down)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plugins.contests.render import approx, left, when


def test_moments_are_utc_to_the_minute() -> None:
    """`2026-11-21 12:05 UTC`."""
    assert when(datetime(2026, 11, 21, 12, 5, 59, tzinfo=UTC)) == "2026-11-21 12:05 UTC"


@pytest.mark.parametrize(("seconds", "shown"), [
    (7200, "2h"), (7199, "2h"), (7141, "2h"), (7080, "1h58m"), (61, "2m"), (0, "0m"),
    (-30, "0m")])
def test_time_left_rounds_up_to_the_minute(seconds: int, shown: str) -> None:
    """A contest never looks closer to its end than it is."""
    assert left(timedelta(seconds=seconds)) == shown


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "<1m"), (59, "<1m"), (60, "1m"), (3599, "59m"), (3661, "1h1m"), (90061, "1d1h"),
    (-5, "<1m")])
def test_ages_keep_two_units_rounded_down(seconds: int, shown: str) -> None:
    """Nobody is told they are older than they are."""
    assert approx(timedelta(seconds=seconds)) == shown

"""The recent-messages memory is bounded per channel, in all, and by age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.history import History

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def test_messages_in_all_channels_stay_under_the_total() -> None:
    """Many busy channels: the least recently active ones are forgotten first."""
    history = History(per_channel=50, max_channels=1000, max_messages=500)
    for n in range(5000):
        history.add(f"c:{n % 40}", f"m{n}", f"u{n % 7}", T0 + timedelta(seconds=n))
    assert len(history) <= 500
    assert sum(len(history.recent(f"c:{c}", 1000)) for c in range(40)) == len(history)
    assert [s.message_id for s in history.recent("c:39", 2)] == ["m4999", "m4959"]


def test_messages_older_than_the_age_limit_are_dropped() -> None:
    """A channel's old messages go when a newer one arrives past the age limit."""
    history = History(max_age=timedelta(hours=48))
    history.add("c:1", "old", "u", T0)
    history.add("c:1", "mid", "u", T0 + timedelta(hours=30))
    history.add("c:1", "new", "u", T0 + timedelta(hours=50))
    assert [s.message_id for s in history.recent("c:1", 10)] == ["new", "mid"]
    assert len(history) == 2


def test_the_per_channel_limit_and_forgetting_keep_the_count_right() -> None:
    """Counting survives a full channel and deleted messages."""
    history = History(per_channel=3)
    for n in range(5):
        history.add("c:1", f"m{n}", "u", T0)
    history.forget("c:1", "m3")
    history.forget("c:1", "m3")
    assert [s.message_id for s in history.recent("c:1", 10)] == ["m4", "m2"]
    assert len(history) == 2
    history.forget("c:1", "m4")
    history.forget("c:1", "m2")
    history.add("c:1", "m5", "u", T0 + timedelta(days=9))
    assert len(history) == 1

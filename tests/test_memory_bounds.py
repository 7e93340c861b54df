"""Per-channel state in the core is bounded by age, not only by count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.history import History

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_channel_gone_quiet_is_forgotten_once_its_messages_are_too_old() -> None:
    """Its messages are of no use past max_age, even if no new message comes to expire them."""
    history = History(max_age=timedelta(hours=48))
    for number in range(50):
        history.add("discord:quiet", f"discord:{number}", "discord:1", T0)
    history.add("discord:busy", "discord:1000", "discord:2", T0 + timedelta(hours=49))
    assert len(history) == 1
    assert history.recent("discord:quiet", 10) == []

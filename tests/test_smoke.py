"""The harness itself works: a help command round-trips."""

from tests.harness import Harness


async def test_help_round_trip(harness: Harness) -> None:
    report = await harness.say("!help")
    assert not report.errors
    assert "Commands available to you (member)" in harness.replies()[0]

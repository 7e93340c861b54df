"""Quality on the labelled conversations (fr and en): floors asserted, exact figures printed.

Run `python -m tests.escalation.labelled` for every conversation's decisions.
"""

from __future__ import annotations

from tests.escalation.labelled import LABELS, conversations, evaluate, figures


def test_the_set_is_large_and_bilingual() -> None:
    """At least 60 conversations, every label in both languages."""
    found = conversations()
    assert len(found) >= 60
    assert len({c.id for c in found}) == len(found)
    for label in LABELS:
        assert {c.lang for c in found if c.label == label} == {"fr", "en"}


async def test_labelled_conversations() -> None:
    """No step on calm talk or banter; most conflicts reach the alert early; angry customers go
    to the team and are never muted by the bot."""
    result = figures(await evaluate())
    print("\n" + "\n".join(result.lines()))
    conflicts = result.counts["conflict"]
    assert result.quiet_flagged == []
    assert result.conflicts_step4 * 3 >= conflicts * 2
    assert result.conflicts_with_step >= conflicts - 2
    assert result.customers_muted == []
    assert result.customers_handed_over >= result.counts["customer"] - 1
    assert sorted(result.first_public_step)[len(result.first_public_step) // 2] <= 6

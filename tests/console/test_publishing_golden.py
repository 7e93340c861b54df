"""An event and a weekly post in the console community, with `:wait`: a golden transcript.

The real `vigie run` on piped input: an event announced with its button, a member's answer,
the reminder naming them, the closing post with attendance; then a weekly post sent at its
time and again a week later, cancelled, and silent the week after. Regenerate with
`UPDATE_GOLDEN=1`.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.console.test_golden import HERE, check_transcript, normalise, run_console

LOCAL = re.compile(r"\d{4}-\d\d-\d\d( à)? \d\d:\d\d \((CET|CEST|Europe/Paris)\)")
# The announcement is a job due at once: the background pass may post it before or after the
# console reads the `:wait 1m` that follows, so that one line is left out of the comparison.
FIRST_WAIT = "  … 1m later (<time>)\n"


def tidy(text: str) -> str:
    """The shared normalisation, local times (the session runs at the real time), the race."""
    return LOCAL.sub("<local time>", normalise(text)).replace(FIRST_WAIT, "", 1)


def test_event_and_weekly_post_transcript(tmp_path: Path) -> None:
    """Announced, answered, reminded, closed; posted twice a week apart, then cancelled."""
    result = run_console(tmp_path, HERE / "publishing.in")
    check_transcript(result, HERE / "publishing.out", tidy)
    posts = re.findall(r"vigie → \[#general\] #\d+ Les nouvelles de la semaine & plus$",
                       result.stdout, re.MULTILINE)
    assert len(posts) == 2  # this week and next, not after the cancel

    db = sqlite3.connect(tmp_path / "data" / "vigie.db")
    try:
        assert db.execute("SELECT count(*) FROM publishing_sent").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM event_attendees").fetchone() == (1,)
    finally:
        db.close()

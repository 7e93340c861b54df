"""The case log commands and the sanction ladder."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from bot.actions import Decision, Delete, Warn
from bot.events import MessageCreated, User
from bot.plugin import EventContext, Phase, Plugin, hook
from plugins.moderation import ModerationPlugin
from tests.harness import Harness
from tests.moderation.conftest import RULES

CLAIRE = User(id="console:claire", name="claire")
ROOT = User(id="console:root", name="root")
BOB = User(id="console:bob", name="bob")


@pytest.fixture
def harness_url(store_url: str) -> str:
    """This module runs on both backends: SQLite and PostgreSQL."""
    return store_url


async def statuses(h: Harness) -> list[tuple[int, str, str]]:
    """(number, action, status) of every case."""
    rows = await h.rows("SELECT number, action, status FROM cases ORDER BY number")
    return [(r["number"], r["action"], r["status"]) for r in rows]


async def warn_times(h: Harness, n: int, gap: timedelta = timedelta(hours=1)) -> None:
    """Warn bob `n` times, `gap` apart (no time passes after the last one: a timed job due
    then would race the background scheduler against the test's reads)."""
    for i in range(n):
        if i:
            h.clock.advance(gap)
        await h.say(f"!warn bob offence {i + 1}", author=CLAIRE)


async def test_ladder_third_warning_times_out(mod: Harness) -> None:
    """3 warnings within 7 days -> a 1 h timeout recorded as its own case, pointing at them."""
    await mod.say("hi", author=BOB)
    await warn_times(mod, 3)
    assert await statuses(mod) == [(1, "warn", "active"), (2, "warn", "active"),
                                   (3, "warn", "active"), (4, "timeout", "active")]
    [row] = await mod.rows("SELECT * FROM cases WHERE number = 4")
    assert row["refs"] == "1,2,3"
    assert row["author_id"] == "rule:moderation/ladder.step1"
    assert row["duration_s"] == 3600
    assert mod.adapter.of("timeout_member")[0]["user"] == "console:bob"


async def test_ladder_fifth_warning_bans(mod: Harness) -> None:
    """5 within 30 days -> ban; the 4th warning triggers nothing new."""
    await mod.say("hi", author=BOB)
    await warn_times(mod, 5, gap=timedelta(days=2))
    actions = [a for _, a, _ in await statuses(mod)]
    assert actions == ["warn", "warn", "warn", "timeout", "warn", "warn", "ban"]
    [row] = await mod.rows("SELECT refs FROM cases WHERE action = 'ban'")
    assert row["refs"] == "1,2,3,5,6"


async def test_old_and_voided_warnings_do_not_count(mod: Harness) -> None:
    """Warnings outside the window, and pardoned ones, do not climb the ladder."""
    await mod.say("hi", author=BOB)
    await warn_times(mod, 2, gap=timedelta(days=8))
    mod.clock.advance(timedelta(days=8))
    await mod.say("!warn bob third", author=CLAIRE)
    assert [a for _, a, _ in await statuses(mod)] == ["warn", "warn", "warn"]
    await mod.say("!pardon 3", author=CLAIRE)
    await mod.say("!warn bob again", author=CLAIRE)
    assert [a for _, a, _ in await statuses(mod)] == ["warn", "warn", "warn", "warn"]


async def test_note_case_cases_reason(mod: Harness) -> None:
    """Notes are private cases; case/cases show the history with statuses; reason edits."""
    await mod.say("hi", author=BOB)
    await mod.say("!note bob seems upset about the delay", author=CLAIRE)
    assert mod.replies()[-1] == "Note #1 on bob saved."
    assert not mod.adapter.of("send_dm")
    await mod.say("!warn bob rude", author=CLAIRE)
    await mod.say("!reason 2 insulted a member", author=CLAIRE)
    assert mod.replies()[-1] == "Reason of case #2 updated."
    await mod.say("!case 2", author=CLAIRE)
    detail = mod.replies()[-1]
    assert detail.startswith("Case #2 · warn · bob (console:bob)")
    assert "Reason: insulted a member" in detail
    assert f"Rule-file revision: {mod.app.rulebook.current.revision}" in detail
    mod.clock.advance(timedelta(days=31))
    await mod.say("!cases bob", author=CLAIRE)
    listing = mod.replies()[-1]
    assert listing.startswith("bob: 2 case(s), 0 active warning(s)")
    assert "#2 · warn · 2026-11-21 10:00 UTC · expired · by claire — insulted a member" in listing


async def test_unknown_and_foreign_cases(mod: Harness) -> None:
    """A case number of another community is as unknown as one that does not exist."""
    await mod.say("hi", author=BOB, community="console:other")
    await mod.say("!warn bob elsewhere", author=CLAIRE, community="console:other")
    await mod.say("!case 1", author=CLAIRE)
    assert mod.replies()[-1] == "There is no case #1 in this community."
    await mod.say("!pardon 99", author=CLAIRE)
    assert mod.replies()[-1] == "There is no case #99 in this community."


async def test_pardon_undoes_what_is_in_force(mod: Harness) -> None:
    """Pardon voids; an active timeout is lifted; bans need an admin."""
    await mod.say("hi", author=BOB)
    await mod.say("!timeout bob 1h", author=CLAIRE)
    await mod.say("!pardon 1 misunderstanding", author=CLAIRE)
    assert mod.replies()[-2:] == ["Case #1 voided.", "bob can talk again."]
    assert len(mod.adapter.of("remove_timeout")) == 1
    await mod.say("!pardon 1", author=CLAIRE)
    assert mod.replies()[-1] == "Case #1 is already voided."
    await mod.say("!ban bob spam", author=CLAIRE)
    await mod.say("!pardon 2", author=CLAIRE)
    assert mod.replies()[-1] == "Only an admin can pardon a ban (case #2)."
    await mod.say("!pardon 2", author=ROOT)
    assert [c["user"] for c in mod.adapter.of("unban_member")] == ["console:bob"]
    [row] = await mod.rows("SELECT status, status_reason, status_by FROM cases WHERE number=1")
    assert (row["status"], row["status_reason"], row["status_by"]) == (
        "voided", "misunderstanding", "console:claire")


class Filter(Plugin):
    """Deletes messages containing 'forbidden' and warns their author."""

    name: ClassVar[str] = "filter"

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Delete and warn."""
        if "forbidden" not in event.text:
            return None
        return Decision(rule="forbidden-word", evidence="matched 'forbidden' at 0-9",
                        actions=(Delete(channel=event.channel, message_id=event.id),
                                 Warn(target=event.author, reason="forbidden word")))


async def test_why_explains_cases_and_messages(tmp_path: Path) -> None:
    """`why` names the rule, the evidence and the revision, for a case or a message."""
    h = await Harness(tmp_path, rules=RULES, plugins=[ModerationPlugin, Filter]).start()
    try:
        await h.say("forbidden stuff", author=BOB)
        deleted = h.last
        await h.say("!why 1", author=CLAIRE)
        detail = h.replies()[-1]
        assert "By: rule filter/forbidden-word" in detail
        assert "Evidence: filter/forbidden-word: matched 'forbidden' at 0-9" in detail
        await h.say(f"!why {deleted.id}", author=CLAIRE)
        revision = h.app.rulebook.current.revision
        assert h.replies()[-1] == (
            f"Decisions about {deleted.id}:\n• filter/forbidden-word: delete the message, warn — "
            f"matched 'forbidden' at 0-9 (revision {revision})")
        await h.say("!why", author=CLAIRE)
        assert h.replies()[-1].startswith("Why what?")
    finally:
        await h.stop()


async def test_purge_slowmode_lock(mod: Harness) -> None:
    """Channel commands act, confirm, and respect their limits."""
    for i in range(3):
        await mod.say(f"spam {i}", author=BOB)
    await mod.say("normal", author="alice")
    await mod.say("!purge 100000", author=CLAIRE)
    assert mod.replies()[-1] == "Purge 100000? At most 100 messages at once here."
    await mod.say("!purge 2 bob", author=CLAIRE)
    deleted = [c["message_id"] for c in mod.adapter.of("delete_message")]
    assert sorted(deleted) == ["console:m2", "console:m3"]
    assert mod.replies()[-1] == "2 message(s) deleted."
    await mod.say("!purge 10", author=CLAIRE, channel="empty")
    assert mod.replies()[-1].startswith("No recent message to delete here")
    await mod.say("!slowmode 30s", author=CLAIRE)
    slowmode = mod.adapter.of("set_slowmode")[-1]
    assert (slowmode["channel"], slowmode["seconds"]) == ("console:general", 30)
    await mod.say("!slowmode off #random", author=CLAIRE)
    assert mod.adapter.of("set_slowmode")[-1]["seconds"] == 0
    assert mod.replies()[-1] == "Slowmode off in #random."
    await mod.say("!slowmode 7h", author=CLAIRE)
    assert mod.replies()[-1].startswith("Slowmode of 7h? At most 6h.")
    await mod.say("!lock", author=CLAIRE)
    await mod.say("!unlock #general", author=CLAIRE)
    assert [c["channel"] for c in mod.adapter.of("lock_channel")] == ["console:general"]
    assert mod.replies()[-2:] == ["#general is locked: only the team can post.",
                                  "#general is open again."]


async def test_channel_of_another_community_is_refused(mod: Harness) -> None:
    """`!lock` on a channel the adapter says is not ours changes nothing."""
    async def owns(community: str, channel: str) -> bool:
        return channel != "console:elsewhere"

    mod.adapter.owns_channel = owns  # type: ignore[method-assign]
    await mod.say("!lock #elsewhere", author=CLAIRE)
    assert mod.replies()[-1].startswith("console:elsewhere is not a channel of this community.")
    assert mod.adapter.of("lock_channel") == []
    await mod.say("!lock #general", author=CLAIRE)
    assert len(mod.adapter.of("lock_channel")) == 1

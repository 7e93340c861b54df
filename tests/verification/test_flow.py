"""Join verification through the console harness: pass, fail, time out, restart, raid, staff."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.verification.conftest import RULES, VerifyHarness


async def test_a_newcomer_who_answers_right_is_let_in_and_the_challenge_goes(
        verify: VerifyHarness) -> None:
    await verify.join("bob")
    [post] = verify.adapter.of("send_message")
    assert post["channel"] == "console:general" and "bob" in post["text"]
    assert len(post["buttons"]) == 4 and "+" in post["text"]
    [hold] = verify.adapter.of("timeout_member")
    assert hold["user"] == "console:bob"
    row = await verify.challenge("bob")
    assert row["status"] == "pending" and row["message_id"]
    await verify.answer("bob")
    assert (await verify.challenge("bob"))["status"] == "passed"
    assert [c["user"] for c in verify.adapter.of("remove_timeout")] == ["console:bob"]
    assert [d["message_id"] for d in verify.adapter.of("delete_message")] == [row["message_id"]]
    assert not verify.adapter.of("kick_member")
    await verify.advance(timedelta(minutes=10))  # the deadline job was cancelled
    assert not verify.adapter.of("kick_member")
    await verify.join("bob")  # passed once: not challenged again
    assert len(verify.adapter.of("send_message")) == 1


async def test_a_wrong_answer_removes_the_newcomer_and_tells_the_cms(
        verify: VerifyHarness) -> None:
    await verify.join("spam")
    await verify.answer("spam", right=False)
    assert (await verify.challenge("spam"))["status"] == "failed"
    assert [c["user"] for c in verify.adapter.of("kick_member")] == ["console:spam"]
    [alert] = [a for a in verify.adapter.of("send_alert")]
    assert "spam" in alert["text"] and "wrong answer" in alert["text"]
    assert not await verify.rows("SELECT * FROM cases")  # a failed check is not a sanction


async def test_only_the_newcomer_can_answer_their_challenge(verify: VerifyHarness) -> None:
    await verify.join("bob")
    row = await verify.challenge("bob")
    await verify.click(verify.user("eve"), f"verify:{row['id']}:{row['answer']}",
                       row["message_id"])
    assert (await verify.challenge("bob"))["status"] == "pending"
    assert not verify.adapter.of("remove_timeout")


async def test_no_answer_in_time_fails_at_the_deadline(verify: VerifyHarness) -> None:
    await verify.join("quiet")
    await verify.advance(timedelta(minutes=4))
    assert not verify.adapter.of("kick_member")
    await verify.advance(timedelta(minutes=2))
    assert (await verify.challenge("quiet"))["status"] == "timed_out"
    assert [c["user"] for c in verify.adapter.of("kick_member")] == ["console:quiet"]
    assert any("did not answer in time" in a["text"] for a in verify.adapter.of("send_alert"))


async def test_a_restart_mid_challenge_keeps_the_deadline(tmp_path: Path, store_url: str) -> None:
    first = VerifyHarness(tmp_path, store_url)
    await first.start()
    await first.join("slow")
    await first.advance(timedelta(minutes=2))
    await first.stop()
    second = VerifyHarness(tmp_path, store_url)
    second.clock.set(first.clock.now())
    await second.start()
    try:
        await second.advance(timedelta(minutes=2))
        assert not second.adapter.of("kick_member")  # 4 minutes in: not yet
        await second.advance(timedelta(minutes=1, seconds=1))
        assert [c["user"] for c in second.adapter.of("kick_member")] == ["console:slow"]
        assert (await second.challenge("slow"))["status"] == "timed_out"
    finally:
        await second.stop()


async def test_a_restart_mid_challenge_still_takes_the_answer(tmp_path: Path,
                                                               store_url: str) -> None:
    first = VerifyHarness(tmp_path, store_url)
    await first.start()
    await first.join("bob")
    await first.stop()
    second = VerifyHarness(tmp_path, store_url)
    await second.start()
    try:
        await second.answer("bob")
        assert [c["user"] for c in second.adapter.of("remove_timeout")] == ["console:bob"]
        await second.advance(timedelta(minutes=10))
        assert not second.adapter.of("kick_member")
    finally:
        await second.stop()


async def test_staff_and_allowed_accounts_are_never_challenged(verify: VerifyHarness) -> None:
    await verify.join("claire")
    await verify.join("friend")
    assert not verify.adapter.of("send_message") and not verify.adapter.of("timeout_member")
    assert not await verify.rows("SELECT * FROM verification_challenges")


async def test_a_raid_of_twenty_joins_gives_one_grouped_notice(verify: VerifyHarness) -> None:
    for n in range(20):
        await verify.join(f"raider{n}")
        verify.clock.advance(timedelta(seconds=1))
    rows = await verify.rows("SELECT * FROM verification_challenges ORDER BY id")
    assert len(rows) == 20
    assert [r["raid"] for r in rows] == [0] * 4 + [1] * 16
    alerts = [a["text"] for a in verify.adapter.of("send_alert")]
    assert len(alerts) == 1 and alerts[0].startswith("Raid: 5 joins")
    for n in range(4, 8):
        await verify.answer(f"raider{n}")
    await verify.advance(timedelta(minutes=6))  # every other challenge times out
    assert len(verify.adapter.of("kick_member")) == 16
    failures = [a for a in verify.adapter.of("send_alert") if "did not answer" in a["text"]]
    assert len(failures) == 4  # only the four before the raid; the raid's are grouped
    await verify.advance(timedelta(minutes=10))
    alerts = [a["text"] for a in verify.adapter.of("send_alert")]
    assert alerts[-1] == ("Raid over: 16 newcomers challenged; 4 passed, 0 failed, "
                          "12 did not answer, 0 still answering.")
    assert len([a for a in alerts if a.startswith("Raid")]) == 2


async def test_in_raid_mode_even_old_accounts_are_challenged(tmp_path: Path) -> None:
    rules = RULES.replace("allow:", "who: new_accounts\n      allow:")
    h = VerifyHarness(tmp_path, rules=rules)
    await h.start()
    try:
        old = h.clock.now() - timedelta(days=400)
        for n in range(4):
            await h.join(f"old{n}", created=old)
        assert not await h.rows("SELECT * FROM verification_challenges")
        await h.join("young", created=h.clock.now() - timedelta(days=1))
        await h.join("old4", created=old)  # the fifth join within a minute: raid mode
        members = [r["member_id"] for r in await h.rows(
            "SELECT member_id FROM verification_challenges ORDER BY id")]
        assert members == ["console:young", "console:old4"]
    finally:
        await h.stop()



async def test_automods_raid_mode_makes_every_newcomer_challenged(tmp_path: Path) -> None:
    rules = RULES.replace("allow:", "who: new_accounts\n      allow:")
    h = VerifyHarness(tmp_path, rules=rules)
    await h.start()
    try:
        old = h.clock.now() - timedelta(days=400)
        await h.join("veteran", created=old)
        assert not await h.rows("SELECT * FROM verification_challenges")
        await h.app.scheduler.schedule("automod.raid_end", h.community,
                                       h.clock.now() + timedelta(minutes=10),
                                       key=f"automod:raid:{h.community}")
        await h.join("veteran2", created=old)
        [row] = await h.rows("SELECT member_id, raid FROM verification_challenges")
        assert row == {"member_id": "console:veteran2", "raid": 1}
        assert not h.adapter.of("send_alert")  # automod told the CMs; one summary at the end
        await h.advance(timedelta(minutes=6))  # no answer: removed, no alert of its own
        assert [c["user"] for c in h.adapter.of("kick_member")] == ["console:veteran2"]
        await h.advance(timedelta(minutes=6))
        [summary] = [a["text"] for a in h.adapter.of("send_alert")]
        assert summary.startswith("Raid over: 1 newcomers challenged")
    finally:
        await h.stop()


async def test_with_two_tries_a_wrong_answer_then_the_right_one_passes(tmp_path: Path) -> None:
    h = VerifyHarness(tmp_path, rules=RULES.replace("on_failure: kick", "on_failure: kick\n"
                                                    "      tries: 2"))
    await h.start()
    try:
        await h.join("clumsy")
        await h.answer("clumsy", right=False)
        row = await h.challenge("clumsy")
        assert (row["status"], row["tries_left"]) == ("pending", 1)
        await h.answer("clumsy")
        assert (await h.challenge("clumsy"))["status"] == "passed"
        assert not h.adapter.of("kick_member")
        await h.join("bot")
        await h.answer("bot", right=False)
        await h.answer("bot", right=False)
        assert (await h.challenge("bot"))["status"] == "failed"
        assert [c["user"] for c in h.adapter.of("kick_member")] == ["console:bot"]
    finally:
        await h.stop()


async def test_a_challenge_left_without_its_deadline_job_gets_it_back_at_start(
        tmp_path: Path, store_url: str) -> None:
    first = VerifyHarness(tmp_path, store_url)
    await first.start()
    await first.join("cut")
    row = await first.challenge("cut")
    await first.store.execute("DELETE FROM jobs WHERE job_key = :k",
                              {"k": f"verification:deadline:{row['id']}"})  # as if cut short
    await first.stop()
    second = VerifyHarness(tmp_path, store_url)
    second.clock.set(first.clock.now())
    await second.start()
    try:
        [job] = await second.rows("SELECT run_at FROM jobs WHERE job_key = :k",
                                  k=f"verification:deadline:{row['id']}")
        assert job["run_at"] == row["deadline"]
        await second.advance(timedelta(minutes=6))
        assert [c["user"] for c in second.adapter.of("kick_member")] == ["console:cut"]
    finally:
        await second.stop()

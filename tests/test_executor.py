"""Sanctions through the executor: cases, notices, who may be sanctioned, failures, merging."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.actions import Ban, Decision, Delete, Timeout, Warn
from bot.adapters.base import ActionResult
from bot.commands import Rest
from bot.events import MessageCreated, User
from bot.permissions import Role
from bot.plugin import CommandCall, EventContext, Phase, Plugin, command, hook
from tests.harness import MINIMAL_RULES, Harness

RULES = MINIMAL_RULES + """\
    roles:
      cm: ["console:claire", "Moderators"]
      admin: ["console:root"]
"""

MESSAGES = {
    "command.zap.summary": {"en": "warn a member", "fr": "avertit un membre"},
    "command.banish.summary": {"en": "ban a member", "fr": "bannit un membre"},
}

PHASES: list[str] = []

BOB = User(id="console:bob", name="bob")
BOB_FR = User(id="console:bob", name="bob", language="fr")
CLAIRE = User(id="console:claire", name="claire")  # a CM by the rule file only
DAVE = User(id="console:dave", name="dave", role=Role.CM)  # a CM by the platform
MOD = User(id="console:mo", name="mo", platform_roles=("Moderators",))  # a CM by role name
ROOT = User(id="console:root", name="root")  # an admin by the rule file
ADA = User(id="console:ada", name="ada", role=Role.ADMIN)  # an admin by the platform
VIGIE = User(id="console:vigie", name="vigie")  # the bot itself (adapter.bot_id)


class Sheriff(Plugin):
    """Warns, bans, and deletes spam; has two sanction commands."""

    name: ClassVar[str] = "sheriff"

    @classmethod
    def messages(cls) -> dict[str, dict[str, str]]:
        """Summaries of the test commands."""
        return MESSAGES

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """`warnme`, `banme`, `warn them` (the mentioned members) and `spam`."""
        if event.text == "warnme":
            return Decision(rule="warn", evidence="said warnme",
                            actions=(Warn(target=event.author, reason="be nice"),))
        if event.text == "banme":
            return Decision(rule="ban", actions=(Ban(target=event.author, reason="spam"),))
        if event.text.startswith("warn them"):
            return Decision(rule="them", actions=tuple(
                Warn(target=user, reason="automatic") for user in event.mentions))
        if "spam" in event.text:
            return Decision(rule="spam", evidence="matched spam", actions=(
                Delete(channel=event.channel, message_id=event.id),
                Warn(target=event.author, reason="spam")))
        return None

    @command("zap", min_role=Role.CM)
    async def zap(self, call: CommandCall, member: User, reason: Rest | None = None) -> Warn:
        """Warn a member."""
        return Warn(target=member, reason=reason or "zapped")

    @command("banish", min_role=Role.CM)
    async def banish(self, call: CommandCall, member: User) -> Ban:
        """Ban a member."""
        return Ban(target=member, reason="banished")


class Deputy(Plugin):
    """Also deletes spam, but times out; records the later phases it sees."""

    name: ClassVar[str] = "deputy"

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Delete and time out spam."""
        if "spam" not in event.text:
            return None
        return Decision(rule="flood", evidence="too much spam", actions=(
            Delete(channel=event.channel, message_id=event.id),
            Timeout(target=event.author, duration=timedelta(minutes=10), reason="flood")))

    @hook(Phase.RESPOND, MessageCreated)
    async def respond(self, event: MessageCreated, ctx: EventContext) -> None:
        """Note the phase."""
        PHASES.append(f"respond:{event.text}")

    @hook(Phase.OBSERVE, MessageCreated)
    async def observe(self, event: MessageCreated, ctx: EventContext) -> None:
        """Note the phase."""
        PHASES.append(f"observe:{event.text}")


class Crasher(Plugin):
    """A guard that always raises."""

    name: ClassVar[str] = "crasher"

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> None:
        """Fail."""
        raise RuntimeError("kaboom")


Make = Callable[..., Awaitable[Harness]]


@pytest.fixture
async def make(tmp_path: Path) -> AsyncIterator[Make]:
    """Start a harness with the given plugins (and RULES); stopped after the test."""
    PHASES.clear()
    started: list[Harness] = []

    async def build(*plugins: type[Plugin], rules: str = RULES) -> Harness:
        h = await Harness(tmp_path, rules=rules, plugins=plugins).start()
        started.append(h)
        return h

    yield build
    for h in started:
        await h.stop()


async def cases(h: Harness) -> list[dict[str, Any]]:
    return await h.rows("SELECT * FROM cases ORDER BY id")


def alerts(h: Harness) -> list[str]:
    return [a["text"] for a in h.adapter.of("send_alert")]


# -- cases and notices ----------------------------------------------------------------------


async def test_warnings_are_numbered_per_community(make: Make) -> None:
    """#1 then #2 in one community; another community starts again at #1."""
    h = await make(Sheriff)
    await h.say("warnme", author="alice")
    await h.say("warnme", author="bob")
    await h.say("warnme", author="alice", community="console:other")
    rows = await cases(h)
    assert [(r["community"], r["number"], r["target_id"]) for r in rows] == [
        ("console:test", 1, "console:alice"), ("console:test", 2, "console:bob"),
        ("console:other", 1, "console:alice")]
    first = rows[0]
    assert (first["action"], first["reason"], first["status"], first["author_id"],
            first["author_name"], first["event_id"], first["channel"], first["notified"]) == (
        "warn", "be nice", "active", "rule:sheriff/warn", "Vigie (sheriff/warn)",
        "console:m1", "console:general", "dm")
    assert first["evidence"] == "sheriff/warn: said warnme"
    assert first["revision"] == h.app.rulebook.current.revision
    assert alerts(h)[0] == "Case #1 · warn · alice · by Vigie (sheriff/warn) — be nice"


async def test_numbers_continue_after_a_restart(make: Make) -> None:
    """Numbers come from the database, not from memory."""
    h = await make(Sheriff)
    await h.say("warnme", author="alice")
    await h.stop()
    again = await make(Sheriff)
    again.clock.advance(timedelta(minutes=1))  # a restart comes later: new messages, new times
    await again.say("warnme", author="alice")
    assert [r["number"] for r in await cases(again)] == [1, 2]


async def test_an_event_delivered_twice_opens_its_case_once(make: Make) -> None:
    """A webhook retry (or a worker that died before answering) brings the same event again:
    its case is there already, so none is opened and the member is not warned twice."""
    h = await make(Sheriff)
    await h.say("warnme", author="alice")
    again = await h.app.handle(h.last)
    assert [o.result.status for o in again.outcomes] == ["skipped"]
    assert len(await cases(h)) == 1 and len(h.adapter.of("send_dm")) == 1
    await h.say("warnme", author="alice")  # another message: its own case
    assert [r["number"] for r in await cases(h)] == [1, 2]


async def test_member_is_told_in_their_language(make: Make) -> None:
    """The notice uses the member's platform language, else the community's (en here)."""
    h = await make(Sheriff)
    await h.say("warnme", author=User(id="console:alice", name="alice"))
    await h.say("warnme", author=BOB_FR)
    await h.say("warnme", author=User(id="console:eve", name="eve", language="fr-FR"))
    await h.say("warnme", author=User(id="console:zed", name="zed", language="de"))
    dms = h.adapter.of("send_dm")
    assert [d["user"] for d in dms] == ["console:alice", "console:bob", "console:eve",
                                        "console:zed"]
    assert dms[0]["text"] == "You received a warning in Test community (case #1): be nice."
    assert dms[1]["text"] == ("Vous avez reçu un avertissement dans Test community (cas n°2) : "
                              "be nice.")
    assert dms[2]["text"].startswith("Vous avez reçu un avertissement")
    assert dms[3]["text"].startswith("You received a warning")


async def test_timeout_notice_names_the_duration(make: Make) -> None:
    """A timeout's notice says for how long, in the member's language."""
    h = await make(Deputy)
    await h.say("spam", author=BOB_FR)
    [dm] = h.adapter.of("send_dm")
    assert dm["text"] == ("Vous êtes réduit au silence dans Test community pendant 10min "
                          "(cas n°1) : flood.")


# -- who may be sanctioned ------------------------------------------------------------------


@pytest.mark.parametrize("staff", [DAVE, CLAIRE, MOD, ROOT, ADA],
                         ids=["platform-cm", "rules-cm", "role-name-cm", "rules-admin",
                              "platform-admin"])
async def test_rules_do_not_sanction_staff(make: Make, staff: User) -> None:
    """An automatic sanction on a CM or admin is refused: no case, no notice; CMs are told."""
    h = await make(Sheriff)
    await h.say("warn them", mentions=[staff])
    assert await cases(h) == []
    assert h.adapter.of("send_dm") == []
    [alert] = alerts(h)
    assert alert.startswith(f"Could not warn: {staff.name} is ")
    assert "the team cannot be sanctioned this way" in alert


async def test_rules_do_not_sanction_the_bot(make: Make) -> None:
    """The bot's own account is never sanctioned."""
    h = await make(Sheriff)
    await h.say("warn them", mentions=[VIGIE, BOB])
    [case] = await cases(h)
    assert case["target_id"] == "console:bob"
    assert "Could not warn: Vigie does not sanction itself." in alerts(h)


@pytest.mark.parametrize("target", [DAVE, MOD, ROOT, ADA, VIGIE],
                         ids=["cm", "role-name-cm", "rules-admin", "platform-admin", "bot"])
async def test_cm_cannot_sanction_staff_or_the_bot(make: Make, target: User) -> None:
    """A CM's command against another CM, an admin or the bot is refused and explained."""
    h = await make(Sheriff)
    await h.say(f"!zap @{target.name} nope", author=CLAIRE, mentions=[target])
    assert await cases(h) == []
    assert h.adapter.of("send_dm") == []
    [reply] = h.replies()
    expected = ("Could not warn: Vigie does not sanction itself." if target is VIGIE
                else f"Could not warn: {target.name} is ")
    assert reply.startswith(expected)


async def test_cm_cannot_sanction_themselves(make: Make) -> None:
    """Sanctioning oneself is refused."""
    h = await make(Sheriff)
    await h.say("!zap @claire", author=CLAIRE, mentions=[CLAIRE])
    assert await cases(h) == []
    assert h.replies() == ["Could not warn: You cannot sanction yourself."]


async def test_cm_can_sanction_a_member(make: Make) -> None:
    """The ordinary case: the CM is the author of the case, and gets it back."""
    h = await make(Sheriff)
    await h.say("!zap @bob too loud", author=CLAIRE, mentions=[BOB])
    [case] = await cases(h)
    assert (case["target_id"], case["author_id"], case["author_name"], case["reason"]) == (
        "console:bob", "console:claire", "claire", "too loud")
    assert h.replies() == ["Case #1 · warn · bob · by claire — too loud"]


@pytest.mark.parametrize("target", [DAVE, CLAIRE, MOD], ids=["platform", "rules", "role-name"])
async def test_admin_can_sanction_a_cm(make: Make, target: User) -> None:
    """Above a CM, an admin may sanction them."""
    h = await make(Sheriff)
    await h.say(f"!zap @{target.name} breach", author=ROOT, mentions=[target])
    [case] = await cases(h)
    assert (case["target_id"], case["author_id"], case["status"]) == (
        target.id, "console:root", "active")
    assert len(h.adapter.of("send_dm")) == 1


async def test_admin_cannot_sanction_another_admin(make: Make) -> None:
    """Admins are each other's peers."""
    h = await make(Sheriff)
    await h.say("!zap @ada", author=ROOT, mentions=[ADA])
    assert await cases(h) == []
    assert h.replies()[0].startswith("Could not warn: ada is admin")


# -- platform failures ----------------------------------------------------------------------


async def test_automatic_sanction_refused_by_the_platform(make: Make) -> None:
    """The case is marked failed with the platform's error; the CMs are alerted; no notice."""
    h = await make(Sheriff)
    h.adapter.fail["ban_member"] = ActionResult.failed("403 Missing Permissions")
    await h.say("banme", author="bob")
    [case] = await cases(h)
    assert (case["action"], case["status"], case["status_reason"]) == (
        "ban", "failed", "403 Missing Permissions")
    assert len(h.adapter.of("ban_member")) == 1
    assert alerts(h) == ["Could not ban: 403 Missing Permissions"]
    assert h.adapter.of("send_dm") == []
    assert h.replies() == []


async def test_command_sanction_refused_by_the_platform(make: Make) -> None:
    """From a command, the invoker is told in the channel; the alerts channel is not."""
    h = await make(Sheriff)
    h.adapter.fail["ban_member"] = ActionResult.failed("403 Missing Permissions")
    await h.say("!banish @bob", author=CLAIRE, mentions=[BOB])
    [case] = await cases(h)
    assert (case["status"], case["status_reason"]) == ("failed", "403 Missing Permissions")
    assert h.replies() == ["Could not ban: 403 Missing Permissions"]
    assert h.adapter.of("send_message")[0]["channel"] == "console:general"
    assert alerts(h) == []
    assert h.adapter.of("send_dm") == []


async def test_failed_timeout_arms_no_lift(make: Make) -> None:
    """A timeout the platform refused is not lifted later."""
    h = await make(Deputy)
    h.adapter.fail["timeout_member"] = ActionResult.failed("500 Internal Server Error")
    await h.say("spam", author="bob")
    [case] = await cases(h)
    assert case["status"] == "failed"
    assert await h.app.scheduler.pending() == []
    assert "Could not time out: 500 Internal Server Error" in alerts(h)


# -- one verdict per message ----------------------------------------------------------------


async def test_guard_decisions_of_two_plugins_are_merged(make: Make) -> None:
    """Both delete the message, one warns, one times out: one delete, one timeout, one case."""
    h = await make(Sheriff, Deputy)
    report = await h.say("buy spam now", author="bob")
    assert {(d.plugin, d.rule) for d in report.decisions} == {
        ("sheriff", "spam"), ("deputy", "flood")}
    [delete] = h.adapter.of("delete_message")
    assert delete["message_id"] == h.last.id
    [timeout] = h.adapter.of("timeout_member")
    assert timeout["user"] == "console:bob"
    [case] = await cases(h)
    assert (case["action"], case["duration_s"], case["reason"]) == ("timeout", 600, "flood")
    assert case["evidence"] == "deputy/flood: too much spam; sheriff/spam: matched spam"
    assert len(h.adapter.of("send_dm")) == 1
    assert [a for a in alerts(h) if a.startswith("Case #")] == [
        "Case #1 · time out (10m) · bob · by Vigie (deputy/flood) — flood"]


async def test_deleted_message_stops_later_phases(make: Make) -> None:
    """A message removed in GUARD is not answered nor observed; others are."""
    h = await make(Sheriff, Deputy)
    await h.say("hello")
    report = await h.say("spam")
    assert PHASES == ["respond:hello", "observe:hello"]
    assert report.stopped_at == Phase.GUARD


async def test_failing_plugin_does_not_stop_the_others(make: Make) -> None:
    """The crashing guard is reported by name; the other plugins' decisions still run."""
    h = await make(Crasher, Sheriff, Deputy)
    report = await h.say("spam", author="bob")
    assert report.errors == ["crasher.guard: kaboom"]
    assert len(h.adapter.of("delete_message")) == 1
    assert len(h.adapter.of("timeout_member")) == 1
    assert len(await cases(h)) == 1
    await h.say("hello")
    assert PHASES == ["respond:hello", "observe:hello"]


async def test_every_decision_is_audited_with_the_revision(make: Make, tmp_path: Path) -> None:
    """One audit row per decision, naming plugin, rule, actions and the rules' revision."""
    h = await make(Sheriff, Deputy)
    await h.say("spam", author="bob")
    first = h.last.id
    revision = h.app.rulebook.current.revision
    rows = await h.rows("SELECT * FROM audit WHERE event_id = :e ORDER BY plugin", e=first)
    assert [(r["plugin"], r["rule"], r["revision"], r["community"]) for r in rows] == [
        ("deputy", "flood", revision, "console:test"),
        ("sheriff", "spam", revision, "console:test")]
    deputy = json.loads(rows[0]["actions"])
    assert [a["type"] for a in deputy] == ["delete", "timeout"]
    assert deputy[1]["target"] == "console:bob" and deputy[1]["duration"] == 600
    assert rows[0]["evidence"] == "too much spam"

    (tmp_path / "rules.yaml").write_text(RULES.replace("Be nice.", "Be kind."), encoding="utf-8")
    outcome = await h.app.rulebook.reload(trigger="test")
    assert outcome.status == "applied"
    await h.say("warnme", author="alice")
    [row] = await h.rows("SELECT * FROM audit WHERE event_id = :e", e=h.last.id)
    assert row["revision"] == h.app.rulebook.current.revision != revision
    [_, case] = await cases(h)
    assert case["revision"] == row["revision"]


async def test_quiet_messages_leave_no_audit_rows(make: Make) -> None:
    """Only decisions are recorded."""
    h = await make(Sheriff, Deputy)
    await h.say("hello")
    assert await h.rows("SELECT * FROM audit") == []

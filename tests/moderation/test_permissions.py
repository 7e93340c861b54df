"""Who may use which command on whom: every command x every role x every target role."""

from __future__ import annotations

import pytest

from bot.events import User
from bot.permissions import Role
from tests.harness import Harness

MEMBER_TARGETED = {
    "warn": "warn {t} spam",
    "timeout": "timeout {t} 10m spam",
    "kick": "kick {t} spam",
    "ban": "ban {t} spam",
    "untimeout": "untimeout {t}",
    "unban": "unban {t}",
    "note": "note {t} watch them",
    "cases": "cases {t}",
}
SANCTIONS = {"warn", "timeout", "kick", "ban"}
CHANNEL_COMMANDS = {"purge": "purge 1", "slowmode": "slowmode 10s", "lock": "lock",
                    "unlock": "unlock"}
CASE_COMMANDS = {"case": "case 1", "reason": "reason 1 new", "pardon": "pardon 1",
                 "why": "why 1"}

INVOKERS = {"member": User(id="console:mallory", name="mallory"),
            "cm": User(id="console:claire", name="claire"),
            "admin": User(id="console:root", name="root")}
TARGETS = {"member": User(id="console:bob", name="bob"),
           "cm": User(id="console:carla", name="carla", role=Role.CM),
           "admin": User(id="console:ada", name="ada", role=Role.ADMIN),
           "bot": User(id="console:vigie", name="vigie")}


async def _case_count(h: Harness) -> int:
    rows = await h.rows("SELECT COUNT(*) AS n FROM cases WHERE status = 'active'")
    return int(rows[0]["n"])


@pytest.mark.parametrize("invoker", list(INVOKERS))
@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("command", list(MEMBER_TARGETED))
async def test_member_targeted_matrix(mod: Harness, command: str, invoker: str,
                                      target: str) -> None:
    """Members are refused; staff at or above the caller and the bot cannot be sanctioned."""
    who, whom = INVOKERS[invoker], TARGETS[target]
    await mod.say("hello", author=whom)  # the target is known in the community
    text = "!" + MEMBER_TARGETED[command].format(t=whom.id)
    report = await mod.say(text, author=who)
    assert not report.errors
    replies = mod.replies()
    if invoker == "member":
        assert replies == [f"!{command} is reserved for the community team."]
        assert await _case_count(mod) == 0
        return
    protected = target == "bot" or (target == "admin") or (target == "cm" and invoker == "cm")
    if command in SANCTIONS:
        if protected:
            assert await _case_count(mod) == 0
            assert not mod.adapter.of("send_dm")
            assert "Could not" in replies[-1]
            assert any(w in replies[-1] for w in ("itself", "team cannot be sanctioned"))
        else:
            assert await _case_count(mod) == 1
            assert replies[-1].startswith("Case #1")
    else:
        assert not any("reserved" in r for r in replies)


@pytest.mark.parametrize("invoker", list(INVOKERS))
@pytest.mark.parametrize("command", list(CHANNEL_COMMANDS) + list(CASE_COMMANDS))
async def test_other_commands_need_a_cm(mod: Harness, command: str, invoker: str) -> None:
    """Channel and case commands are for the team only."""
    await mod.say("hello", author="bob")
    table = {**CHANNEL_COMMANDS, **CASE_COMMANDS}
    await mod.say("!" + table[command], author=INVOKERS[invoker])
    refused = mod.replies() == [f"!{command} is reserved for the community team."]
    assert refused == (invoker == "member")


async def test_cm_cannot_sanction_themselves(mod: Harness) -> None:
    """Self-sanction is refused."""
    await mod.say("!warn claire oops", author=INVOKERS["cm"])
    assert "You cannot sanction yourself." in mod.replies()[-1]
    assert await _case_count(mod) == 0


async def test_rule_file_cm_counts_as_staff_target(mod: Harness) -> None:
    """A member made CM by the rule file is protected like a platform CM."""
    await mod.say("hi", author=INVOKERS["cm"])
    await mod.say("!warn claire x", author=User(id="console:other", name="other", role=Role.CM))
    assert "the team cannot be sanctioned" in mod.replies()[-1]


async def test_other_platform_member_refused(mod: Harness) -> None:
    """An id from another platform is not a member of this community."""
    await mod.say("!warn discord:123456 spam", author=INVOKERS["cm"])
    assert "is not a member of this community" in mod.replies()[-1]

"""The dispatcher: phase order, commands by role, usage errors, rate limits, isolation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from bot.actions import Decision, Delete, Reply
from bot.commands import Rest
from bot.events import CommandInvoked, Event, MessageCreated, MessageEdited, User
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import CommandCall, EventContext, Phase, Plugin, command, hook
from bot.settings import PluginSettings
from tests.harness import MINIMAL_RULES, Harness

SEEN: list[str] = []


MESSAGES = {
    "command.probe.summary": {"en": "probe a member", "fr": "sonde un membre"},
    "command.explode.summary": {"en": "explode", "fr": "explose"},
    "arg.reason": {"en": "reason", "fr": "raison"},
}


class ProbeSettings(PluginSettings):
    """Settings of the probe plugin."""

    word: str = "bad"


class Probe(Plugin):
    """Records the phases it sees; deletes messages containing its word."""

    name: ClassVar[str] = "probe"
    settings_model = ProbeSettings

    @classmethod
    def messages(cls) -> dict[str, dict[str, str]]:
        """Catalog entries for the probe's commands."""
        return MESSAGES

    @hook(Phase.GUARD, MessageCreated, MessageEdited)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Delete messages with the configured word."""
        SEEN.append(f"guard:{event.text}")
        if self.section(ctx).word in event.text:
            return Decision(rule="word", actions=(Delete(channel=event.channel,
                                                         message_id=event.id),),
                            evidence=f"matched {self.section(ctx).word!r}")
        return None

    @hook(Phase.RESPOND, MessageCreated)
    async def respond(self, event: MessageCreated, ctx: EventContext) -> None:
        """Note the phase."""
        SEEN.append(f"respond:{event.text}")

    @hook(Phase.OBSERVE, MessageCreated)
    async def observe(self, event: MessageCreated, ctx: EventContext) -> None:
        """Note the phase."""
        SEEN.append(f"observe:{event.text}")

    @command("probe", min_role=Role.CM)
    async def probe(self, call: CommandCall, member: User, reason: Rest | None = None) -> Reply:
        """Answer with the member's name."""
        SEEN.append(f"command:{member.name}:{reason}")
        return call.reply("help.one", usage=member.name, summary=reason or "-")

    @command("explode", min_role=Role.MEMBER)
    async def explode(self, call: CommandCall) -> None:
        """Always fails."""
        raise RuntimeError("boom")


class Broken(Plugin):
    """A plugin whose guard always raises."""

    name: ClassVar[str] = "broken"

    @hook(Phase.GUARD, MessageCreated)
    async def guard(self, event: Event, ctx: EventContext) -> None:
        """Fail."""
        raise ValueError("broken guard")




@pytest.fixture
async def h(tmp_path: Path) -> Harness:
    """A harness with the probe and broken plugins."""
    SEEN.clear()
    harness = await Harness(tmp_path, plugins=[Probe, Broken]).start()
    yield harness  # type: ignore[misc]
    await harness.stop()


async def test_phase_order_for_an_ordinary_message(h: Harness) -> None:
    """GUARD, then RESPOND, then OBSERVE."""
    await h.say("hello")
    assert SEEN == ["guard:hello", "respond:hello", "observe:hello"]


async def test_removed_message_goes_no_further(h: Harness) -> None:
    """A message deleted in GUARD is not seen by RESPOND or OBSERVE."""
    report = await h.say("this is bad")
    assert SEEN == ["guard:this is bad"]
    assert report.stopped_at == Phase.GUARD
    assert h.adapter.of("delete_message")[0]["message_id"] == h.last.id
    assert "probe/word: matched 'bad'" in h.adapter.of("delete_message")[0]["reason"]


async def test_failing_plugin_is_isolated(h: Harness) -> None:
    """The broken plugin's error is reported against it; the probe still acts."""
    report = await h.say("bad word")
    assert any(e.startswith("broken.guard") for e in report.errors)
    assert len(h.adapter.of("delete_message")) == 1


async def test_command_skips_respond(h: Harness) -> None:
    """A command goes GUARD -> COMMAND -> OBSERVE."""
    await h.say("!probe @bob why not", author=h.user("claire", Role.CM),
                mentions=[h.user("bob")])
    assert SEEN == ["guard:!probe @bob why not", "command:bob:why not",
                    "observe:!probe @bob why not"]


async def test_edits_are_guarded_too(h: Harness) -> None:
    """An edit that turns a message bad is caught."""
    edited = MessageEdited(id="console:m9", ts=h.clock.now(), community=h.community,
                           channel="console:general", author=h.user("alice"), text="now bad")
    await h.app.handle(edited)
    assert h.adapter.of("delete_message")[0]["message_id"] == "console:m9"


async def test_help_depends_on_role(h: Harness) -> None:
    """Members do not see CM commands; admins see reload."""
    await h.say("!help")
    member_help = h.replies()[-1]
    assert "!probe" not in member_help and "!reload" not in member_help
    assert "!help" in member_help and "!rules" in member_help
    await h.say("!help", author=h.user("claire", Role.CM))
    cm_help = h.replies()[-1]
    assert "!probe <member> [reason]" in cm_help and "!reload" not in cm_help
    await h.say("/help", author=h.user("root", Role.ADMIN))
    assert "/reload" in h.replies()[-1]


async def test_help_speaks_the_members_language(h: Harness) -> None:
    """The community speaks English; a French member is answered in French."""
    await h.say("!help", author=h.user("amelie", language="fr-FR"))
    assert h.replies()[-1].startswith("Commandes disponibles pour vous (membre)")


async def test_rules_text_in_the_callers_language(h: Harness) -> None:
    """!rules posts the rule file's text."""
    await h.say("!rules")
    await h.say("!règles", author=h.user("amelie", language="fr"))
    assert h.replies()[-2:] == ["Be nice.", "Soyez gentils."]


async def test_member_refused_once(h: Harness) -> None:
    """A member trying a CM command is told once, then ignored for a while."""
    await h.say("!probe bob")
    await h.say("!probe bob")
    assert h.replies() == ["!probe is reserved for the community team."]
    assert SEEN.count("command:bob:None") == 0


async def test_usage_error_shows_usage(h: Harness) -> None:
    """Missing arguments: the problem and the usage line, in the caller's language."""
    await h.say("!probe", author=h.user("claire", Role.CM))
    assert h.replies()[-1] == "Missing <member>.\nUsage: !probe <member> [reason]"
    await h.say("!probe", author=h.user("claude", Role.CM, language="fr"))
    assert h.replies()[-1] == "Il manque <membre>.\nUsage : !probe <membre> [raison]"


async def test_unknown_and_ambiguous_members(h: Harness) -> None:
    """Names resolve from members seen; unknown and ambiguous names are explained."""
    claire = h.user("claire", Role.CM)
    await h.say("!probe nobody", author=claire)
    assert "No member 'nobody' here" in h.replies()[-1]
    await h.say("hi", author=User(id="console:bob1", name="Bob"))
    await h.say("hi", author=User(id="console:bob2", name="bob"))
    await h.say("!probe bob", author=claire)
    assert "Several members are called 'bob' (console:bob1, console:bob2)" in h.replies()[-1]
    await h.say("!probe console:bob2 ok", author=claire)
    assert "command:bob:ok" in SEEN


async def test_reply_targets_the_replied_member(h: Harness) -> None:
    """A command given as a reply acts on the replied message's author."""
    await h.say("spam spam", author="dave")
    original = h.last
    await h.say("!probe flooding", author=h.user("claire", Role.CM), reply_to=original)
    assert "command:dave:flooding" in SEEN


async def test_rate_limit(h: Harness) -> None:
    """Five commands in ten seconds, then one notice, then silence; later it works again."""
    for _ in range(8):
        await h.say("!help")
    assert len(h.replies()) == 6
    assert h.replies()[-1] == "Too many commands at once: wait a few seconds."
    h.clock.advance(timedelta(seconds=11))
    await h.say("!help")
    assert len(h.replies()) == 7


async def test_crashing_command(h: Harness) -> None:
    """A command that raises tells the caller and is reported against its plugin."""
    report = await h.say("!explode")
    assert "probe.explode: boom" in report.errors
    assert "Something went wrong while running explode" in h.replies()[-1]


async def test_unknown_command_suggestion(h: Harness) -> None:
    """A near miss gets a suggestion; anything else is left alone (maybe another bot's)."""
    await h.say("!hlep")
    assert h.replies() == ["Unknown command !hlep. Did you mean !help?"]
    SEEN.clear()
    await h.say("!dance")
    assert h.replies() == ["Unknown command !hlep. Did you mean !help?"]
    assert "respond:!dance" in SEEN


async def test_native_command_event(h: Harness) -> None:
    """A slash command delivered natively runs like a typed one."""
    await h.app.handle(CommandInvoked(
        id="console:i1", ts=h.clock.now(), community=h.community, channel="console:general",
        author=h.user("claire", Role.CM), name="probe", args="console:carol hi"))
    assert "command:console:carol:hi" in SEEN


RULES_WITH_ADJUSTMENTS = MINIMAL_RULES + """\
  "console:quiet":
    probe:
      enabled: false
overrides:
  - when: {channel: "console:staff"}
    set:
      commands:
        probe: {min_role: member}
        rules: {enabled: false}
      probe:
        word: nasty
"""


async def test_rule_file_adjusts_commands_and_plugins(tmp_path: Path) -> None:
    """Per-channel command roles, disabled commands, disabled plugins, plugin settings."""
    SEEN.clear()
    h = await Harness(tmp_path, rules=RULES_WITH_ADJUSTMENTS, plugins=[Probe]).start()
    try:
        await h.say("!probe bob because", channel="staff", mentions=[h.user("bob")])
        assert "command:bob:because" in SEEN
        await h.say("!rules", channel="staff")
        assert h.replies()[-1] == "!rules is not enabled in this community."
        await h.say("this is bad", channel="staff")
        assert not h.adapter.of("delete_message")
        await h.say("this is nasty", channel="staff")
        assert len(h.adapter.of("delete_message")) == 1
        SEEN.clear()
        await h.say("bad", community="console:quiet")
        assert SEEN == []
        assert len(h.adapter.of("delete_message")) == 1
    finally:
        await h.stop()


async def test_catalog_message_of_unknown_key_is_a_bug() -> None:
    """Rendering an unknown key fails loudly rather than printing nothing."""
    from bot.i18n import Catalog

    with pytest.raises(KeyError):
        Msg.of("no.such.key").render(Catalog(), "en")


async def test_commands_addressed_to_another_bot_are_ignored(h: Harness) -> None:
    """`/help@OtherBot` belongs to another bot; `/help@vigiebot` (any case) is ours."""
    h.adapter.bot_username = "VigieBot"
    await h.say("/help@OtherBot")
    assert h.replies() == []
    assert "respond:/help@OtherBot" in SEEN
    await h.say("/help@vigiebot")
    assert h.replies()[-1].startswith("Commands available to you")


async def test_jobs_run_even_when_their_plugin_is_switched_off(tmp_path: Path) -> None:
    """A job scheduled while a plugin was on is delivered after it is switched off."""
    from bot.events import JobDue
    from bot.plugin import on_job

    ran: list[str] = []

    class Timer(Plugin):
        """Records its jobs."""

        name: ClassVar[str] = "timer"

        @on_job("timer.ring")
        async def ring(self, job: JobDue, ctx: EventContext) -> None:
            """Note the job."""
            ran.append(job.community)

    rules = MINIMAL_RULES + "    timer: {enabled: false}\n"
    harness = await Harness(tmp_path, rules=rules, plugins=[Timer]).start()
    try:
        await harness.app.scheduler.schedule("timer.ring", "console:test",
                                             harness.clock.now() + timedelta(minutes=1))
        await harness.advance(timedelta(minutes=1))
        assert ran == ["console:test"]
        [job] = await harness.rows("SELECT status FROM jobs")
        assert job["status"] == "done"
    finally:
        await harness.stop()

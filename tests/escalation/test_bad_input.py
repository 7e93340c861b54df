"""Bad input: crowds, a member alone, huge messages, many channels; memory stays bounded."""

from __future__ import annotations

from datetime import timedelta

from bot.events import Attachment, MessageCreated
from plugins.escalation.plugin import EscalationPlugin
from plugins.escalation.state import MAX_CHANNELS, MAX_PARTICIPANTS, TRANSCRIPT
from tests.escalation.conftest import FIGHT, Make, play, rules_of
from tests.harness import Harness


def plugin(h: Harness) -> EscalationPlugin:
    found = next(p for p in h.app.plugins if isinstance(p, EscalationPlugin))
    return found


async def test_hundreds_of_participants(make: Make) -> None:
    """500 members, each hostile once, in one channel: no crash, a bounded state."""
    h = await make()
    for number in range(500):
        h.clock.advance(timedelta(seconds=1))
        await h.say(f"shut up, you idiot number {number}", f"member{number}")
    conversation = plugin(h).tracker.get(h.community, "console:general")
    assert conversation is not None
    assert len(conversation.participants) <= MAX_PARTICIPANTS
    assert len(conversation.transcript) <= TRANSCRIPT
    for member in conversation.participants.values():
        assert len(member.targets) <= 6


async def test_a_member_talking_alone(make: Make) -> None:
    """Calm monologue: nothing. Hostile monologue: the CMs are told once, nothing public."""
    h = await make()
    calm = await play(h, [("solo", f"Note {n}: the patch notes are out.") for n in range(30)])
    assert rules_of(calm) == []
    angry = await play(h, [("solo", "You are all useless, this is ridiculous!!")] * 30,
                       channel="rant")
    assert rules_of(angry) == ["solo.alert"]
    assert not h.adapter.of("timeout_member") and not h.adapter.of("set_slowmode")


async def test_bursts_across_many_channels(make: Make) -> None:
    """More channels than the tracker keeps: the least recently active are dropped."""
    h = await make()
    for number in range(MAX_CHANNELS + 300):
        await h.say("you're ridiculous, shut up", "alice", channel=f"c{number}")
    assert len(plugin(h).tracker) == MAX_CHANNELS


async def test_idle_conversations_expire(make: Make) -> None:
    """A channel idle past its expiry is forgotten when others are active."""
    h = await make()
    await play(h, FIGHT[:3])
    await h.advance(timedelta(hours=2))
    await h.say("hello", "carol", channel="elsewhere")
    assert plugin(h).tracker.get(h.community, "console:general") is None


async def test_hostile_and_odd_messages(make: Make) -> None:
    """Huge, empty, attachment-only and zero-width messages do not break anything."""
    h = await make()
    odd = ["", " ", "\u200b" * 50, "IDIOT " * 20_000, "🤬" * 5_000, "!?" * 10_000]
    for text in odd:
        await h.advance(timedelta(seconds=5))
        report = await h.say(text, "alice")
        assert report.errors == []
    report = await h.app.handle(MessageCreated(
        id="att", ts=h.clock.now(), community=h.community, channel="console:general",
        author=h.user("bob"), text="", attachments=(Attachment(filename="a.png"),)))
    assert report.errors == []


async def test_a_reply_to_oneself_and_self_mentions(make: Make) -> None:
    """Replying to or mentioning oneself addresses nobody."""
    h = await make()
    first = await h.say("you idiot", "alice")
    del first
    report = await h.say("you idiot", "alice", reply_to=h.last, mentions=[h.user("alice")])
    assert report.errors == []
    conversation = plugin(h).tracker.get(h.community, "console:general")
    assert conversation is not None
    assert "console:alice" not in conversation.participants["console:alice"].targets

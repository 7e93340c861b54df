"""The ladder through the App: events in, actions and stored rows out."""

from __future__ import annotations

from datetime import timedelta

from bot.events import MessageDeleted
from bot.permissions import Role
from plugins.automod import AutomodPlugin
from plugins.escalation import EscalationPlugin
from tests.escalation.conftest import FIGHT, Make, play, rule_file, rules_of
from tests.harness import Harness


async def test_a_heated_exchange_climbs_every_step_once(make: Make) -> None:
    """Public steps climb one at a time, two messages apart; the CMs are alerted as soon as
    the exchange reaches the alert's heat. Each step once, explained."""
    h = await make()
    reports = await play(h, FIGHT)
    assert [rules_of([r]) for r in reports] == [
        [], [], [], ["step1.reminder"], ["step4.alert"], ["step2.slowmode"], [],
        ["step3.timeout"], [], []]
    texts = [c["text"] for c in h.adapter.of("send_message") if c["channel"] == "console:general"]
    assert texts[0].startswith("@bob, @alice, this conversation is getting heated.")
    assert "Be civil." in texts[0]
    assert "slowmode is on in #general (one message every 30s)" in texts[1]
    assert texts[2] == "@alice, @bob: muted for 5m to let things cool down. The team has been told."
    assert h.adapter.of("set_slowmode")[0]["seconds"] == 30
    assert sorted(c["user"] for c in h.adapter.of("timeout_member")) == \
        ["console:alice", "console:bob"]
    reminder = next(d for r in reports for d in r.decisions if d.rule == "step1.reminder")
    assert reminder.evidence.startswith("exchange heat ")
    assert "aggressive phrases" in reminder.evidence
    assert "step reminder at 6" in reminder.evidence


async def test_timeouts_go_through_the_case_log(make: Make) -> None:
    """Each timeout is a case by the escalation rule, with the usual private notice."""
    h = await make()
    await play(h, FIGHT)
    cases = await h.rows("SELECT action, target_id, author_id, duration_s FROM cases"
                         " ORDER BY number")
    assert [(c["action"], c["author_id"], c["duration_s"]) for c in cases] == [
        ("timeout", "rule:escalation/step3.timeout", 300)] * 2
    assert {c["user"] for c in h.adapter.of("send_dm")} == {"console:alice", "console:bob"}


async def test_steps_never_repeat(make: Make) -> None:
    """Once every step is taken, a fight that goes on takes no step again."""
    h = await make()
    reports = await play(h, FIGHT * 3)
    rules = rules_of(reports)
    for rule in ("step1.reminder", "step2.slowmode", "step3.timeout", "step4.alert"):
        assert rules.count(rule) == 1


async def test_the_alert_has_transcript_scores_and_buttons(make: Make) -> None:
    """The alert goes to the alerts channel with the last messages, the scores and buttons."""
    h = await make()
    await play(h, FIGHT)
    alert = next(c for c in h.adapter.of("send_message") if c["channel"] == "console:cm")
    assert alert["text"].startswith("🔥 Heated exchange in #general: heat ")
    assert "• alice: " in alert["text"] and "aggressive phrases" in alert["text"]
    assert alert["text"].endswith("] alice: Shut up, nobody asked you.")
    assert [b.label for b in alert["buttons"]] == ["I'm on it", "False alarm", "Escalate"]
    rows = await h.rows("SELECT channel, kind, outcome, members, transcript FROM"
                        " escalation_alerts")
    assert len(rows) == 1 and rows[0]["outcome"] == "open" and rows[0]["kind"] == "exchange"
    assert '"name": "alice"' in rows[0]["members"]
    assert "alice: Your guide is useless" in rows[0]["transcript"]


async def test_without_an_alerts_channel_the_alert_still_reaches_cms(make: Make) -> None:
    """No alerts channel: the alert goes where CM alerts go, saying it has no buttons."""
    h = await make(alerts=None)
    await play(h, FIGHT)
    alert = next(c for c in h.adapter.of("send_alert") if c["text"].startswith("🔥"))
    assert "no buttons: `!heat` follows the exchange" in alert["text"]


async def test_cms_are_never_sanctioned(make: Make) -> None:
    """A member who became a CM mid-exchange is left out of the timeout."""
    h = await make()
    await play(h, FIGHT[:7])
    assert not h.adapter.of("timeout_member")
    h.rules_path.write_text(rule_file().replace('cm: ["console:claire"]',
                                                'cm: ["console:claire", "console:bob"]'))
    assert (await h.app.rulebook.reload(trigger="test")).status == "applied"
    reports = await play(h, [("alice", "Pathetic, you're a liar and a clown.")])
    assert rules_of(reports) == ["step3.timeout"]
    assert [c["user"] for c in h.adapter.of("timeout_member")] == ["console:alice"]


async def test_a_cm_who_speaks_takes_over(make: Make) -> None:
    """After the reminder, a CM stepping in stops the ladder for the exchange."""
    h = await make()
    reports = await play(h, FIGHT[:4])
    assert rules_of(reports) == ["step1.reminder"]
    takeover = await h.say("Alice, Bob: let's talk in private, both of you.",
                           h.user("claire"))
    assert [d.rule for d in takeover.decisions] == ["takeover"]
    assert "claire (cm)" in takeover.decisions[0].evidence
    later = await play(h, FIGHT[4:] * 2)
    assert rules_of(later) == []
    assert not h.adapter.of("timeout_member")


async def test_a_cm_answering_an_angry_member_takes_over(make: Make) -> None:
    """A CM answering a member with heat counts as taking over, before any step."""
    h = await make()
    await play(h, [("greg", "Your support is useless, this is unacceptable!!")])
    report = await h.say("Hi Greg, I'm on it, sending you a DM.", h.user("claire", Role.CM))
    assert [d.rule for d in report.decisions] == ["takeover"]


async def test_calm_messages_and_time_end_the_exchange(make: Make) -> None:
    """Apologies bring heat down; once below `calm_below` the calm is recorded."""
    h = await make()
    reports = await play(h, FIGHT[:4])
    assert rules_of(reports) == ["step1.reminder"]
    await h.advance(timedelta(minutes=3))
    calm = await play(h, [("alice", "ok sorry, my bad"), ("bob", "no worries, sorry too")])
    assert rules_of(calm) == ["calmed"]
    assert "calmed down: heat" in calm[-1].decisions[0].evidence


async def test_slowmode_is_lifted_when_the_heat_falls(make: Make) -> None:
    """A timed job looks again when the heat should have fallen, and lifts our slowmode."""
    h = await make()
    await play(h, FIGHT[:6])
    assert h.adapter.of("set_slowmode")[-1]["seconds"] == 30
    pending = await h.rows("SELECT kind, status FROM jobs WHERE kind = 'escalation.check'")
    assert pending == [{"kind": "escalation.check", "status": "pending"}]
    await h.advance(timedelta(minutes=15))
    assert h.adapter.of("set_slowmode")[-1]["seconds"] == 0
    assert h.replies()[-1] == "Slowmode is off in #general. Thanks for calming things down."
    rules = [r["rule"] for r in await h.rows("SELECT rule FROM audit WHERE plugin = :p",
                                             p="escalation")]
    assert {"calmed", "slowmode.lift"} <= set(rules)


async def test_slowmode_is_lifted_after_a_restart(make: Make) -> None:
    """The check job survives a restart; with the exchange forgotten, it lifts the slowmode."""
    h = await make()
    await play(h, FIGHT[:6])
    await h.stop()
    again = Harness(h.tmp, rules=h.rules_path.read_text(), plugins=[EscalationPlugin])
    await again.start()
    try:
        await again.advance(timedelta(minutes=20))
        assert again.adapter.of("set_slowmode")[-1]["seconds"] == 0
    finally:
        await again.stop()
    await h.start()


async def test_the_ladder_starts_again_only_after_rearm(make: Make) -> None:
    """A relapse soon after goes on up the ladder; after `rearm_after` it starts afresh."""
    h = await make("ladder: {slowmode: {enabled: false}, timeout: {enabled: false},"
                   " alert: {enabled: false}}")
    assert rules_of(await play(h, FIGHT[:4])) == ["step1.reminder"]
    await h.advance(timedelta(minutes=10))
    assert rules_of(await play(h, [("alice", "sorry"), ("bob", "sorry")])) == ["calmed"]
    assert rules_of(await play(h, FIGHT[:4])) == []
    await h.advance(timedelta(minutes=40))
    await play(h, [("alice", "hello again")])
    assert rules_of(await play(h, FIGHT[:4])) == ["step1.reminder"]


async def test_banter_with_laughter_takes_no_step(make: Make) -> None:
    """Friends insulting each other with laughter: nothing happens."""
    h = await make()
    reports = await play(h, [
        ("jake", "you're so bad at this game lol"),
        ("mike", "says the idiot who fell off the map twice 😂"),
        ("jake", "shut up loser haha"),
        ("mike", "you shut up, clown 🤣"),
        ("jake", "rematch tonight, loser buys pizza lol"),
        ("mike", "you're on, idiot 😂"),
    ])
    assert rules_of(reports) == []


async def test_a_member_angry_alone_is_handed_to_cms(make: Make) -> None:
    """An angry customer: the CMs get an alert, nothing happens in public, no timeout."""
    h = await make()
    reports = await play(h, [
        ("greg", "Three weeks waiting for my order."),
        ("greg", "You never answer, this is unacceptable!!"),
        ("lisa", "Did you try the form on the website?"),
        ("greg", "Obviously! No answer. You're scammers."),
        ("greg", "I want a refund, this is a total scam!!!"),
    ])
    assert rules_of(reports) == ["solo.alert"]
    alert = h.adapter.of("send_message")[-1]
    assert alert["channel"] == "console:cm"
    assert alert["text"].startswith("🔥 greg is angry on their own in #general")
    assert not h.adapter.of("timeout_member") and not h.adapter.of("set_slowmode")


async def test_each_step_can_be_switched_off(make: Make) -> None:
    """Disabled steps are skipped; the others keep their order."""
    h = await make("ladder: {reminder: {enabled: false}, slowmode: {enabled: false}}")
    reports = await play(h, FIGHT)
    assert rules_of(reports) == ["step3.timeout", "step4.alert"]


async def test_a_custom_reminder_in_the_community_language(make: Make) -> None:
    """The reminder is in the community's language, or the rule file's own text."""
    h = await make(language="fr")
    await play(h, FIGHT[:4])
    assert h.replies()[0] == ("@bob, @alice, la conversation s'échauffe. Petit rappel amical"
                              " de nos règles :\nRestez courtois.\nMerci de rester courtois 🙂")
    custom = await make('ladder: {reminder: {text: {en: "Easy, folks.", fr: "Doucement."}}}',
                        language="fr")
    await play(custom, FIGHT[:4])
    assert custom.replies()[0] == "Doucement."


async def test_a_message_deleted_by_automod_still_counts(make: Make) -> None:
    """Insults deleted by automod in GUARD are still read; the ladder climbs on the case."""
    automod = """
  automod:
    rules:
      insults:
        trigger: {type: words, lexicons: [en-insults]}
        actions: [delete, warn]
"""
    h = await make(plugins=[AutomodPlugin], extra=automod)
    reports = await play(h, [
        ("jay", "Why did you kick me?"), ("dean", "Because you play like shit."),
        ("jay", "You're a real asshole."), ("dean", "And you're dead weight, loser."),
        ("jay", "You're toxic, you should be ashamed, dickhead."),
        ("dean", "Go cry somewhere else, loser."), ("jay", "Dickhead."),
        ("dean", "Get lost, piece of shit."),
    ])
    deleted = {c["message_id"] for c in h.adapter.of("delete_message")}
    assert len(deleted) >= 3
    assert "step1.reminder" in rules_of(reports)


async def test_a_deleted_message_is_marked_in_the_transcript(make: Make) -> None:
    """A member deleting their message: its heat stays, its line says deleted."""
    h = await make()
    reports = await play(h, FIGHT[:3])
    await h.app.handle(MessageDeleted(id="del1", ts=h.clock.now(), community=h.community,
                                      channel="console:general",
                                      message_id=reports[0].event.id))
    await play(h, FIGHT[3:])
    alert = next(c for c in h.adapter.of("send_message") if c["channel"] == "console:cm")
    assert "alice (deleted): Your guide is useless" in alert["text"]


async def test_commands_and_bots_are_not_conversation(make: Make) -> None:
    """A member's command and a bot's message carry no heat."""
    h = await make()
    reports = await play(h, [("alice", "!rules you idiot, shut up"),
                             ("bob", "!rules you idiot, shut up")] * 3)
    reports.append(await h.say("shut up idiot", h.user("otherbot", is_bot=True)))
    assert rules_of(reports) == []
    assert _escalation(h).tracker.get(h.community, "console:general") is None


def _escalation(h: Harness) -> EscalationPlugin:
    """The harness App's escalation plugin (the core's own plugins come first)."""
    return next(p for p in h.app.plugins if isinstance(p, EscalationPlugin))

"""Rules as a whole: modes, exemptions, cooldowns, merging, timed measures, raid mode, reloads."""

from __future__ import annotations

from datetime import timedelta

from bot.events import User
from bot.permissions import Role
from tests.automod.conftest import Make, rule_file
from tests.automod.test_triggers import deleted, fired

BANANA = """
rules:
  banana:
    trigger: {type: words, words: [banane]}
    actions: [delete, warn]
"""


async def test_monitor_mode_only_alerts(make: Make) -> None:
    """A rule in monitor mode deletes nothing and tells the CMs what it would have done."""
    h = await make("mode: monitor\n" + BANANA)
    report = await h.say("une banane")
    assert fired(report) == {"banana": ["alert"]}
    assert deleted(h) == [] and not h.adapter.of("send_dm")
    assert report.decisions[0].evidence.startswith(
        "monitor, would delete the message, warn the member: matched")
    alert = h.adapter.of("send_alert")[0]["text"]
    assert alert.startswith("[monitor] Rule banana would have done: delete the message, "
                            "warn the member (message by alice in #general).")
    assert "matched 'banane' (words) at 4-10: 'banane'" in alert
    assert await h.rows("SELECT * FROM cases") == []
    audit = await h.rows("SELECT plugin, rule, evidence, revision FROM audit")
    assert audit[0]["rule"] == "banana" and audit[0]["evidence"].startswith("monitor")
    assert audit[0]["revision"] == h.app.rulebook.current.revision
    await h.say("encore une banane")
    assert len(h.adapter.of("send_alert")) == 1  # one monitor alert per member per minute


async def test_rule_mode_overrides_section_mode(make: Make) -> None:
    """A rule can enforce while the section monitors."""
    h = await make("mode: monitor\n" + BANANA + "    mode: enforce\n")
    assert fired(await h.say("banane")) == {"banana": ["delete", "warn"]}


async def test_staff_are_exempt_by_default(make: Make) -> None:
    """CMs and admins are not checked, unless a rule says so."""
    h = await make(BANANA + """
  staff-too:
    trigger: {type: words, words: [kiwi]}
    actions: [delete]
    exempt: {role_at_least: none}
""")
    cm = h.user("claire", Role.CM)
    assert fired(await h.say("banane", author=cm)) == {}
    assert fired(await h.say("kiwi", author=cm)) == {"staff-too": ["delete"]}
    assert fired(await h.say("banane", author=h.user("root", Role.ADMIN))) == {}


async def test_exempt_channels_users_and_platform_roles(make: Make) -> None:
    """Exemptions by channel, member id and platform role, for the section or one rule."""
    h = await make("""
        exempt: {role_at_least: cm, users: ["console:bot-friend"]}
        rules:
          banana:
            trigger: {type: words, words: [banane]}
            actions: [delete]
            exempt: {channels: ["console:cuisine"], roles: [Chef]}
        """)
    assert fired(await h.say("banane", channel="cuisine")) == {}
    assert fired(await h.say("banane", author="bot-friend")) == {}
    chef = User(id="console:paul", name="paul", platform_roles=("Chef",))
    assert fired(await h.say("banane", author=chef)) == {}
    assert fired(await h.say("banane")) == {"banana": ["delete"]}


async def test_cooldown(make: Make) -> None:
    """After firing for a member, a rule with a cooldown leaves them alone for a while."""
    h = await make("""
        rules:
          shout:
            trigger: {type: caps}
            actions: [{type: reply, template: shouting}]
            cooldown: 10m
        """)
    text = "JE NE CRIE PAS, JE PARLE FORT"
    assert fired(await h.say(text)) == {"shout": ["reply"]}
    assert fired(await h.say(text)) == {}
    assert fired(await h.say(text, author="bob")) == {"shout": ["reply"]}
    h.clock.advance(timedelta(minutes=11))
    assert fired(await h.say(text)) == {"shout": ["reply"]}


async def test_rules_firing_together_make_one_sanction(make: Make) -> None:
    """Two rules on one message: one delete, one case (the strongest sanction), one DM."""
    h = await make(BANANA + """
  shout:
    trigger: {type: caps, min_letters: 10}
    actions: [delete, {type: timeout, duration: 10m}]
    reason: {en: "shouting", fr: "cris"}
""")
    report = await h.say("BANANE BANANE BANANE")
    assert set(fired(report)) == {"banana", "shout"}
    assert len(deleted(h)) == 1
    cases = await h.rows("SELECT action, evidence FROM cases")
    assert [c["action"] for c in cases] == ["timeout"]
    assert "automod/banana" in cases[0]["evidence"] and "automod/shout" in cases[0]["evidence"]
    assert len(h.adapter.of("send_dm")) == 1
    assert "shouting" in h.adapter.of("send_dm")[0]["text"]


async def test_reply_in_the_members_language(make: Make) -> None:
    """Templates and admin texts are answered in the member's language."""
    h = await make("""
        rules:
          hello:
            trigger: {type: words, words: [coucou]}
            actions: [{type: reply, text: {en: "Hi {member} ({rule})", fr: "Salut {member}"}}]
          shout:
            trigger: {type: caps}
            actions: [{type: reply, template: shouting}]
        """)
    await h.say("coucou", author=h.user("amelie", language="fr"))
    await h.say("coucou", author="bob")
    await h.say("VOUS M'ENTENDEZ TOUS LA-BAS ?", author=h.user("amelie", language="fr"))
    assert h.replies() == ["Salut amelie", "Hi bob (hello)",
                           "amelie, inutile de crier : merci d'écrire sans toutes ces "
                           "majuscules 🙂"]


async def test_timed_lock_and_slowmode_are_lifted(make: Make) -> None:
    """A lock or slowmode with a duration is lifted by a durable job."""
    h = await make("""
        rules:
          calm:
            trigger: {type: words, words: [bagarre]}
            actions:
              - {type: lock, duration: 10m}
              - {type: slowmode, interval: 30s, duration: 20m}
        """)
    await h.say("bagarre !")
    assert h.adapter.of("lock_channel")[0]["channel"] == "console:general"
    assert h.adapter.of("set_slowmode")[0]["seconds"] == 30
    await h.advance(timedelta(minutes=11))
    assert h.adapter.of("unlock_channel")[0]["channel"] == "console:general"
    assert len(h.adapter.of("set_slowmode")) == 1
    await h.advance(timedelta(minutes=10))
    assert h.adapter.of("set_slowmode")[1]["seconds"] == 0
    jobs = await h.rows("SELECT kind, status FROM jobs ORDER BY id")
    assert jobs == [{"kind": "automod.lift", "status": "done"}] * 2


RAID = """
raid:
  enabled: true
  joins: 3
  within: 1m
  duration: 10m
  actions: [alert, lock, slowmode]
  channels: ["console:general", "console:welcome"]
  slowmode: 1m
rules:
  raid-links:
    trigger:
      all: [{type: raid_mode}, {type: links, all_links: true}]
    actions: [delete]
"""


async def test_raid_mode(make: Make) -> None:
    """Joins past the threshold lock and slow down channels and alert; lifted afterwards."""
    h = await make(RAID)
    assert fired(await h.say("see example.com")) == {}
    await h.join("a")
    await h.join("b")
    assert not h.adapter.of("lock_channel")
    report = await h.join("c")
    assert fired(report) == {"raid": ["lock", "lock", "slowmode", "slowmode", "schedule",
                                      "alert"]}
    alert = h.adapter.of("send_alert")[0]["text"]
    assert alert.startswith("Raid mode: 3 members joined within 1m.")
    assert fired(await h.say("see example.com")) == {"raid-links": ["delete"]}
    await h.advance(timedelta(minutes=5))
    await h.join("d")  # a join during raid mode extends it
    await h.advance(timedelta(minutes=6))
    assert not h.adapter.of("unlock_channel")
    await h.advance(timedelta(minutes=5))
    assert sorted(c["channel"] for c in h.adapter.of("unlock_channel")) == \
        ["console:general", "console:welcome"]
    assert [c["seconds"] for c in h.adapter.of("set_slowmode")] == [60, 60, 0, 0]
    assert h.adapter.of("send_alert")[-1]["text"] == "Raid mode is over: its measures are lifted."
    assert fired(await h.say("see example.com")) == {}


async def test_raid_in_monitor_mode(make: Make) -> None:
    """A monitored raid mode only tells the CMs."""
    h = await make(RAID.replace("enabled: true", "enabled: true\n  mode: monitor"))
    for name in "abc":
        report = await h.join(name)
    assert fired(report) == {"raid": ["alert"]}
    assert not h.adapter.of("lock_channel") and not h.adapter.of("set_slowmode")
    assert h.adapter.of("send_alert")[0]["text"].startswith("[monitor] Raid detected")


async def test_reload_applies_new_rules(make: Make) -> None:
    """Saving the rule file swaps the compiled rules; the old ones stop at once."""
    h = await make(BANANA)
    assert fired(await h.say("banane")) == {"banana": ["delete", "warn"]}
    h.rules_path.write_text(rule_file("""
        rules:
          kiwi:
            trigger: {type: words, words: [kiwi]}
            actions: [delete]
        """), encoding="utf-8")
    outcome = await h.app.rulebook.reload(trigger="test")
    assert outcome.status == "applied"
    assert fired(await h.say("banane")) == {}
    assert fired(await h.say("kiwi")) == {"kiwi": ["delete"]}


async def test_disabled_rules_and_sections(make: Make) -> None:
    """`enabled: false` on a rule or on the whole section."""
    h = await make(BANANA + "    enabled: false\n")
    assert fired(await h.say("banane")) == {}
    h2 = await make("enabled: false\n" + BANANA)
    assert fired(await h2.say("banane")) == {}

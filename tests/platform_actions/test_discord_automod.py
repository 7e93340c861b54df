"""Discord AutoMod keyword rules published from the rule file, kept in sync, and their actions
recorded as cases: through a real discord.py client on the fake Discord, both backends."""

from __future__ import annotations

from typing import Any

from bot.keyword_sync import recorded_rules
from tests.e2e.discord.fake import FakeDiscord
from tests.platform_actions.conftest import (
    OTHER_BOT,
    AutomodFake,
    StartDiscord,
    check_discord_limits,
    default_rules_for,
)

RULES = """\
version: 1
defaults:
  language: en
  roles:
    cm: ["Moderators"]
  moderation:
    ladder:
      - {{warnings: 2, within: 1h, action: timeout, duration: 10m}}
  automod:
    native: true
    rules:
{rules}
communities:
  "discord:{guild}":
    name: Brand HQ
    alerts_channel: "discord:{alerts}"
"""
INSULTS = """\
      insults:
        trigger: {{type: words, words: [{words}]}}
        actions: [delete, warn]
        reason: {{en: "insult", fr: "insulte"}}
"""
SCAM = """\
      scam:
        trigger: {type: regex, patterns: ['free\\s+nitro']}
        actions: [delete, {type: timeout, duration: 10m}]
"""


def rules_with(*parts: str) -> Any:
    """A rule file for the fake with these automod rules."""
    return lambda fake: RULES.format(rules="".join(parts), guild=fake.guild_id,
                                     alerts=fake.alerts)


def execution(fake: FakeDiscord, rule_id: int, user: int, content: str, keyword: str,
              action: int = 1, **extra: Any) -> dict[str, Any]:
    """AUTO_MODERATION_ACTION_EXECUTION as the gateway sends it."""
    metadata: dict[str, Any] = {}
    if action == 2:
        metadata = {"channel_id": str(fake.alerts)}
    elif action == 3:
        metadata = {"duration_seconds": 600}
    return {"guild_id": str(fake.guild_id), "action": {"type": action, "metadata": metadata},
            "rule_id": str(rule_id), "rule_trigger_type": 1, "user_id": str(user),
            "channel_id": str(fake.general), "content": content, "matched_keyword": keyword,
            "matched_content": keyword, **extra}


async def test_the_default_rule_file_publishes_its_insults_within_discords_limits(
        start_discord: StartDiscord) -> None:
    """config/rules.yaml with native on: one rule (insults), every limit Discord documents."""
    world = await start_discord(default_rules_for, every_plugin=True)
    created = world.automod.calls("POST")
    assert len(created) == 1, [c.json["name"] for c in created]
    payload = created[0].json
    check_discord_limits(payload)
    assert payload["name"] == "Vigie · insults" and payload["enabled"] is True
    keywords = payload["trigger_metadata"]["keyword_filter"]
    assert {"connard", "connasse", "encul*", "enfoire", "enfoiré"} <= set(keywords)
    assert "pd" not in keywords and "fdp" not in keywords  # innocent in the other language
    assert "retard" not in keywords and "tapette" not in keywords  # only when aimed
    assert str(world.fake.cm_role) in payload["exempt_roles"]  # the rule file's CMs
    assert payload["actions"] == [{"type": 1, "metadata": {
        "custom_message": "insult or hate speech"}}]
    rows = await recorded_rules(world.app.store, world.community)
    assert rows["insults"]["id"] in {str(i) for i in world.automod.rules}


async def test_a_reload_edits_and_deletes_only_vigies_rules(start_discord: StartDiscord) -> None:
    """Edits what changed, deletes what was removed, re-creates what was deleted by hand;
    the server's own rules (even one named like Vigie's) are never touched."""
    foreign: list[int] = []

    def server_rules(automod: AutomodFake) -> None:
        foreign.append(automod.add("Server words"))
        foreign.append(automod.add("Vigie · insults"))  # someone else's, named like ours

    world = await start_discord(rules_with(INSULTS.format(words="idiot, crétin"), SCAM),
                                before=server_rules)
    names = sorted(c.json["name"] for c in world.automod.calls("POST"))
    assert names == ["Vigie · insults", "Vigie · scam"]
    ours = await recorded_rules(world.app.store, world.community)
    scam_payload = world.automod.rules[int(ours["scam"]["id"])]
    assert scam_payload["trigger_metadata"]["regex_patterns"] == ["(?i)free\\s+nitro"]
    for call in world.automod.calls("POST"):
        check_discord_limits(call.json)

    await world.reload(rules_with(INSULTS.format(words="idiot, crétin, abruti"))(world.fake))
    edits = world.automod.calls("PATCH", rule=True)
    assert [c.ids["rule_id"] for c in edits] == [ours["insults"]["id"]]
    assert "abruti" in edits[0].json["trigger_metadata"]["keyword_filter"]
    check_discord_limits({**world.automod.rules[int(ours["insults"]["id"])]})
    deletes = world.automod.calls("DELETE", rule=True)
    assert [c.ids["rule_id"] for c in deletes] == [ours["scam"]["id"]]
    touched = {c.ids.get("rule_id") for c in world.fake.calls if "rule_id" in c.ids
               and c.method != "GET"}
    assert not touched & {str(i) for i in foreign}
    assert all(i in world.automod.rules for i in foreign)
    assert set(await recorded_rules(world.app.store, world.community)) == {"insults"}

    # Unchanged rules are not sent again; a rule of Vigie's deleted by hand comes back.
    del world.automod.rules[int(ours["insults"]["id"])]
    await world.reload(rules_with(INSULTS.format(words="idiot, crétin, abruti"),
                                  "      # a comment changes the revision\n")(world.fake))
    assert len(world.automod.calls("PATCH", rule=True)) == 1
    assert len(world.automod.calls("POST")) == 3
    assert all(i in world.automod.rules for i in foreign)

    # Native off: Vigie removes what it created, and only that.
    off = rules_with(INSULTS.format(words="idiot"))(world.fake).replace(
        "native: true", "native: false")
    await world.reload(off)
    mine = {int(r["id"]) for r in world.automod.rules.values()
            if r["creator_id"] != str(OTHER_BOT)}
    assert mine == set() and sorted(world.automod.rules) == sorted(foreign)
    assert await recorded_rules(world.app.store, world.community) == {}


async def test_a_block_by_vigies_rule_is_one_case_with_its_evidence(
        start_discord: StartDiscord) -> None:
    """Discord blocked bob's message under Vigie's insults rule: one warning case, authored by
    the rule, with the keyword and the text; the ladder and the notice follow as usual."""
    world = await start_discord(rules_with(INSULTS.format(words="idiot, crétin")))
    ours = await recorded_rules(world.app.store, world.community)
    rule_id = int(ours["insults"]["id"])
    fake = world.fake
    for action in (1, 1, 2):  # the block, its replay after a reconnect, the alert
        await fake.send("AUTO_MODERATION_ACTION_EXECUTION", execution(
            fake, rule_id, fake.bob.id, "you idiot", "idiot", action=action))
    cases = await world.cases()
    assert len(cases) == 1, cases
    case = cases[0]
    assert (case["action"], case["target_id"], case["author_id"], case["reason"]) == (
        "warn", f"discord:{fake.bob.id}", "rule:automod/insults", "insult")
    assert "idiot" in case["evidence"] and "you idiot" in case["evidence"]
    assert any(c.json and "insult" in str(c.json) for c in fake.of(
        "POST", "/channels/{channel_id}/messages"))  # the notice and the case alert


async def test_an_execution_of_the_servers_own_rule_is_one_case(
        start_discord: StartDiscord) -> None:
    """Block, alert and timeout of one execution (one event each): one case, not three; a
    second message is a second case, and the ladder counts them."""
    foreign: list[int] = []
    world = await start_discord(
        rules_with(INSULTS.format(words="idiot")),
        before=lambda automod: foreign.append(automod.add("Server words")))
    fake = world.fake
    for action in (1, 2, 3):
        await fake.send("AUTO_MODERATION_ACTION_EXECUTION", execution(
            fake, foreign[0], fake.alice.id, "buy cheap spam", "spam", action=action))
    cases = await world.cases()
    assert len(cases) == 1, cases
    assert cases[0]["action"] == "warn"
    assert cases[0]["author_id"] == "rule:discord-automod/Server words"
    assert "spam" in cases[0]["evidence"] and "buy cheap spam" in cases[0]["evidence"]
    await fake.send("AUTO_MODERATION_ACTION_EXECUTION", execution(
        fake, foreign[0], fake.alice.id, "more spam here", "spam"))
    cases = await world.cases()
    assert [(c["action"], c["author_id"]) for c in cases] == [
        ("warn", "rule:discord-automod/Server words"),
        ("warn", "rule:discord-automod/Server words"),
        ("timeout", "rule:moderation/ladder.step1")]  # the ladder saw both
    assert cases[2]["refs"] == "1,2"
    timeouts = [c for c in fake.of("PATCH", "/guilds/{guild_id}/members/{user_id}")
                if c.ids["user_id"] == str(fake.alice.id)]
    assert len(timeouts) == 1 and timeouts[0].json.get("communication_disabled_until")

    await fake.say(fake.claire, "!why 1")
    answer = fake.sent(fake.general)[-1]["content"]
    assert "Server words" in answer and "buy cheap spam" in answer

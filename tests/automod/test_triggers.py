"""Each trigger through the App: events in, actions and stored rows out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.dispatch import Report
from bot.events import Attachment, MessageCreated, MessageEdited
from tests.automod.conftest import Make
from tests.harness import Harness


def fired(report: Report) -> dict[str, list[str]]:
    """Rule -> action types, for the automod decisions of a report."""
    return {d.rule: [a.type for a in d.actions] for d in report.decisions
            if d.plugin == "automod"}


def deleted(h: Harness) -> list[str]:
    """Ids of every message the bot deleted."""
    return [c["message_id"] for c in h.adapter.of("delete_message")]


async def post(h: Harness, text: str = "", author: str = "alice", *,
               attachments: tuple[Attachment, ...] = (), edited: bool = False,
               message_id: str | None = None) -> Report:
    """A message (or an edit) with attachments, which `Harness.say` cannot send."""
    kind = MessageEdited if edited else MessageCreated
    event = kind(id=message_id or f"console:x{len(h.adapter.calls)}-{h.clock.now().timestamp()}",
                 ts=h.clock.now(), community=h.community, channel="console:general",
                 author=h.user(author), text=text, attachments=attachments)
    return await h.app.handle(event)


WORDS = """
rules:
  words:
    trigger: {type: words, words: [banane, "pomme de terre", "gros*"], allow: [grosse bise]}
    actions: [delete, warn]
"""


async def test_words_delete_and_warn_with_evidence(make: Make) -> None:
    """An inline word, with an evasion, is deleted and warned; the case records the evidence."""
    h = await make(WORDS)
    report = await h.say("tu es une B4N4NE")
    assert fired(report) == {"words": ["delete", "warn"]}
    assert deleted(h) == [h.last.id]
    cases = await h.rows("SELECT action, target_id, evidence, revision FROM cases")
    assert cases[0]["action"] == "warn" and cases[0]["target_id"] == "console:alice"
    assert "matched 'banane' (words) at 10-16: 'B4N4NE'" in cases[0]["evidence"]
    assert cases[0]["revision"] == h.app.rulebook.current.revision


async def test_words_phrases_wildcards_and_allow(make: Make) -> None:
    """Phrases match across separators; `gros*` matches endings; allowed phrases pass."""
    h = await make(WORDS)
    assert fired(await h.say("une pomme-de-terre")) == {"words": ["delete", "warn"]}
    assert fired(await h.say("quel grossier personnage")) == {"words": ["delete", "warn"]}
    assert fired(await h.say("grosse bise à tous")) == {}
    assert fired(await h.say("bananes et pommes")) == {}
    assert fired(await h.say("un ingros")) == {}


async def test_lexicons(make: Make) -> None:
    """Built-in lexicons are referenced by name; their allowed phrases pass."""
    h = await make("""
        rules:
          vulgar:
            trigger: {type: words, lexicons: [fr-vulgar]}
            actions: [delete]
        """)
    assert fired(await h.say("on va au pique-nique, on pique-nique demain")) == {}
    assert fired(await h.say("nique ça")) == {"vulgar": ["delete"]}


async def test_masked_words(make: Make) -> None:
    """Masked letters inside a word are read as the listed word; Markdown emphasis, products
    and a word that fits no entry (`b***e` shows too little of `banane`) are fine."""
    h = await make("""
        rules:
          words:
            trigger: {type: words, words: [banane, "encul*"]}
            actions: [delete]
        """)
    report = await h.say("quelle b*n*ne")
    assert fired(report) == {"words": ["delete"]}
    assert "matched 'banane' (words) in a masked word at 7-13: 'b*n*ne'" in \
        report.decisions[0].evidence
    assert fired(await h.say("enc*lé")) == {"words": ["delete"]}
    for text in ("**bonne** nuit", "b***e", "2*3 = 6", "*soupir*", "bon*ne"):
        assert fired(await h.say(text)) == {}, text


async def test_regex_on_folded_and_raw_text(make: Make) -> None:
    """Patterns run on the folded text by default (accents, case), or on the raw text."""
    h = await make(r"""
        rules:
          nitro:
            trigger: {type: regex, patterns: ['free\s+nitro', 'cr[eé]dit gratuit']}
            actions: [delete]
          shout-code:
            trigger: {type: regex, patterns: ['CODE-\d{4}'], on: raw, case_sensitive: true}
            actions: [delete]
        """)
    report = await h.say("FREE   Nitro here")
    assert fired(report) == {"nitro": ["delete"]}
    assert "'FREE   Nitro' " not in report.decisions[0].evidence
    assert "at 0-12: 'FREE   Nitro'" in report.decisions[0].evidence
    assert fired(await h.say("Crédit GRATUIT !")) == {"nitro": ["delete"]}
    assert fired(await h.say("use CODE-1234")) == {"shout-code": ["delete"]}
    assert fired(await h.say("use code-1234")) == {}


async def test_pathological_patterns_do_not_stall(make: Make) -> None:
    """Patterns that make backtracking engines explode run in linear time on RE2."""
    h = await make(r"""
        rules:
          redos:
            trigger: {type: regex, patterns: ['(a+)+$', '(a|aa)+b', '(.*a){12}']}
            actions: [delete]
        """)
    report = await h.say("a" * 50_000 + "!")
    assert fired(report) == {"redos": ["delete"]}
    assert fired(await h.say("b" * 50_000)) == {}


LINKS = """
rules:
  invites:
    trigger: {type: links, invites: true, allow_invites: [discord.gg/brand, "t.me/+OurGroup"]}
    actions: [delete]
  domains:
    trigger: {type: links, deny: [grabify.link], all_links: true, allow: [youtube.com]}
    actions: [delete]
"""


async def test_invites(make: Make) -> None:
    """Invites to other communities go, spaced-out ones too; the community's own stay."""
    h = await make(LINKS)
    for text in ("join discord.gg/abcdef", "https://discord.com/invite/xyz123",
                 "discord . gg / abcdef", "t.me/+AbCdEf123", "t.me/joinchat/AbCdEf",
                 "dіscord.gg/xyz12"):
        assert fired(await h.say(text)).get("invites") == ["delete"], text
    for text in ("our server: discord.gg/brand", "t.me/+OurGroup", "I use discord a lot"):
        assert "invites" not in fired(await h.say(text)), text


async def test_domains(make: Make) -> None:
    """Denied domains and their subdomains; with all_links, anything not allowed."""
    h = await make(LINKS)
    report = await h.say("look https://x.grabify.link/abc")
    assert "link to denied domain x.grabify.link" in report.decisions[0].evidence
    assert fired(await h.say("see example.com/page")) == {"domains": ["delete"]}
    assert fired(await h.say("https://www.youtube.com/watch?v=1")) == {}
    assert fired(await h.say("write to bob@example.com, file.txt, version 2.0")) == {}


async def test_caps_emoji_mentions(make: Make) -> None:
    """Shape triggers count letters, emoji and distinct mentioned members."""
    h = await make("""
        rules:
          caps:
            trigger: {type: caps, ratio: 0.7, min_letters: 20}
            actions: [{type: reply, template: shouting}]
          emoji:
            trigger: {type: emoji, at_least: 5}
            actions: [delete]
          mentions:
            trigger: {type: mentions, at_least: 3}
            actions: [delete]
        """)
    assert fired(await h.say("ÇA SUFFIT MAINTENANT, VRAIMENT TOUS")) == {"caps": ["reply"]}
    assert fired(await h.say("OK D'ACCORD")) == {}
    assert fired(await h.say("Ça Suffit Maintenant, Vraiment Tous")) == {}
    assert fired(await h.say("yay 🎉🎉🎉🎉🎉")) == {"emoji": ["delete"]}
    family = "👨\u200d👩\u200d👧"
    assert fired(await h.say(f"{family} {family}{family}👍🏽")) == {}  # four emoji
    members = [h.user(n) for n in ("bob", "carol", "dave")]
    assert fired(await h.say("hey", mentions=members)) == {"mentions": ["delete"]}
    assert fired(await h.say("hey", mentions=[members[0]] * 3 + [h.user("alice")])) == {}
    replies = h.replies()
    assert replies == ["alice, no need to shout: please write without all the capitals 🙂"]


async def test_length_newlines_zalgo_attachments(make: Make) -> None:
    """Walls of text, zalgo and attachments."""
    h = await make("""
        rules:
          long:
            trigger: {type: length, max_chars: 100}
            actions: [delete]
          lines:
            trigger: {type: newlines, max_lines: 3}
            actions: [delete]
          zalgo:
            trigger: {type: zalgo, max_marks: 3}
            actions: [delete]
          files:
            trigger: {type: attachments, at_least: 3, types: [exe, "video/*"]}
            actions: [delete]
        """)
    assert fired(await post(h, "x" * 101)) == {"long": ["delete"]}
    assert fired(await post(h, "a\nb\nc\nd")) == {"lines": ["delete"]}
    assert fired(await post(h, "he\u0301\u0302\u0303\u0304llo")) == {"zalgo": ["delete"]}
    assert fired(await post(h, "café crème")) == {}
    files = (Attachment(filename="a.png"), Attachment(filename="b.png"))
    assert fired(await post(h, "pics", attachments=files)) == {}
    assert fired(await post(h, "", attachments=(*files, Attachment(filename="c.png")))) == \
        {"files": ["delete"]}
    assert fired(await post(h, "", attachments=(Attachment(filename="setup.EXE"),))) == \
        {"files": ["delete"]}
    assert fired(await post(h, "", attachments=(Attachment(filename="clip",
                                                           content_type="video/mp4"),))) == \
        {"files": ["delete"]}


FLOOD = """
rules:
  flood:
    trigger: {type: flood, messages: 4, within: 10s}
    actions: [{type: timeout, duration: 5m}]
    cooldown: 1m
  flood-everywhere:
    trigger: {type: flood, messages: 6, within: 10s, per: community}
    actions: [delete]
"""


async def test_flood(make: Make) -> None:
    """N messages within the window by one member; spread out or by others, nothing."""
    h = await make(FLOOD)
    for i in range(3):
        assert fired(await h.say(f"message {i}")) == {}
        h.clock.advance(timedelta(seconds=4))
    assert fired(await h.say("again")) == {}  # the first one is now 12 s old
    assert fired(await h.say("and again")) == {"flood": ["timeout"]}
    assert fired(await h.say("more")) == {}  # cooldown: one timeout, not one per message
    assert len(h.adapter.of("timeout_member")) == 1
    for i in range(3):
        assert fired(await h.say(f"bob {i}", author="bob")) == {}
    for i, channel in enumerate(["a", "b", "c", "a", "b"]):
        await h.say(f"carol {i}", author="carol", channel=channel)
    assert fired(await h.say("carol 6", author="carol", channel="c")) == \
        {"flood-everywhere": ["delete"]}


async def test_flood_counts_messages_that_arrive_out_of_order(make: Make) -> None:
    """Platforms can deliver a message late: it is counted at its own time, not its arrival."""
    h = await make(FLOOD)
    start = h.clock.now()
    h.clock.advance(timedelta(seconds=60))
    for i in range(3):
        assert fired(await h.say(f"now {i}")) == {}
    for i in range(2):  # written a minute ago, delivered only now
        late = replace(h.last, id=f"console:late{i}", ts=start, text=f"late {i}")
        assert fired(await h.app.handle(late)) == {}  # 4 messages, but not within 10 s
    h.clock.advance(timedelta(seconds=1))
    assert fired(await h.say("now 3")) == {"flood": ["timeout"]}  # 4 within 10 s


async def test_edits_do_not_count_as_messages(make: Make) -> None:
    """Editing a message many times is not flooding; but an edit is checked for content."""
    h = await make(FLOOD + """
  words:
    trigger: {type: words, words: [banane]}
    actions: [delete]
""")
    for _ in range(6):
        assert fired(await post(h, "same message, edited", edited=True, message_id="console:9")) \
            == {}
    report = await post(h, "now a banane", edited=True, message_id="console:9")
    assert fired(report) == {"words": ["delete"]}
    assert deleted(h) == ["console:9"]


async def test_member_repeating_text(make: Make) -> None:
    """The same (normalised) text three times deletes the copies; short texts never count."""
    h = await make("""
        rules:
          repeat:
            trigger: {type: duplicates, by: member, count: 3, within: 60s, min_chars: 5}
            actions: [delete]
        """)
    first = (await h.say("Achetez mes cours !"), h.last.id)[1]
    second = (await h.say("achetez MES cours"), h.last.id)[1]
    report = await h.say("ACHETEZ mes... cours")
    assert fired(report) == {"repeat": ["delete", "delete", "delete"]}
    assert sorted(deleted(h)) == sorted([first, second, h.last.id])
    for _ in range(5):
        assert fired(await h.say("ok")) == {}


async def test_copy_paste_raid(make: Make) -> None:
    """Four accounts, same text, within a minute: every copy deleted, one alert."""
    h = await make("""
        rules:
          raid-copies:
            trigger: {type: duplicates, by: accounts, count: 4, within: 60s}
            actions: [delete, alert]
        """)
    spam = "FREE crypto giveaway at scam dot example"
    ids = []
    for name in ("u1", "u2", "u3"):
        assert fired(await h.say(spam, author=name)) == {}
        ids.append(h.last.id)
        h.clock.advance(timedelta(seconds=5))
    report = await h.say(spam.lower(), author="u4")
    ids.append(h.last.id)
    assert fired(report) == {"raid-copies": ["delete", "delete", "delete", "delete", "alert"]}
    assert sorted(deleted(h)) == sorted(ids)
    assert "same text from 4 accounts within 1m (limit 4)" in report.decisions[0].evidence
    report = await h.say(spam, author="u5")
    assert fired(report) == {"raid-copies": ["delete"]}  # no second alert within a minute
    assert len(h.adapter.of("send_alert")) == 1
    assert "Automod: rule raid-copies fired" in h.adapter.of("send_alert")[0]["text"]
    h.clock.advance(timedelta(minutes=2))
    assert fired(await h.say(spam, author="u6")) == {}


async def test_new_accounts_and_logic(make: Make) -> None:
    """A young account's first message with a link; older accounts and later messages pass."""
    h = await make("""
        rules:
          fresh-links:
            trigger:
              all:
                - {type: new_account, younger_than: 1d}
                - {type: links, all_links: true}
                - not: {type: words, words: [vigie]}
            actions: [delete]
        """)
    young = h.user("newbie", account_created_at=h.clock.now() - timedelta(hours=2))
    old = h.user("oldie", account_created_at=h.clock.now() - timedelta(days=30))
    report = await h.say("buy at shop.example.com", author=young)
    assert fired(report) == {"fresh-links": ["delete"]}
    assert "account created 2h ago (limit 1d)" in report.decisions[0].evidence
    assert fired(await h.say("buy at shop.example.com", author=young)) == {}
    assert fired(await h.say("buy at shop.example.com", author=old)) == {}
    other = h.user("other", account_created_at=h.clock.now())
    assert fired(await h.say("vigie docs at docs.example.com", author=other)) == {}


async def test_posts_are_kept_only_as_long_as_a_rule_looks_back(make: Make) -> None:
    """Posts older than the longest window any rule looks at are forgotten, not kept an hour."""
    h = await make("""
        rules:
          raid-copies:
            trigger: {type: duplicates, by: accounts, count: 4, within: 60s}
            actions: [delete]
          flood:
            trigger: {type: flood, messages: 6, within: 10s}
            actions: [delete]
        """)
    state = next(p for p in h.app.plugins if p.name == "automod").state  # type: ignore[attr-defined]
    for i in range(50):
        await h.say(f"message number {i} with its own words", author=f"member{i}")
        h.clock.advance(timedelta(seconds=10))
    assert all(len(posts) == 1 for posts in state.members.values())
    h.clock.advance(timedelta(seconds=5))
    for _ in range(3):
        await h.say("and again", author="member49")
    assert len(state.members[h.community, "console:member49"]) == 4  # all within the minute
    h.clock.advance(timedelta(seconds=61))
    await h.say("and again", author="member49")
    assert len(state.members[h.community, "console:member49"]) == 1  # the older ones forgotten
    spam = "the very same text, pasted again"
    for name in ("u1", "u2", "u3"):
        await h.say(spam, author=name)
    assert fired(await h.say(spam, author="u4")) == {"raid-copies": ["delete"] * 4}

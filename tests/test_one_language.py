"""A French community reads French only: cases, `why`, alerts and failures, end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from ruamel.yaml import YAML
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.adapters.base import ActionResult
from bot.adapters.discord.errors import Attempt
from bot.adapters.discord.errors import explain as discord_explain
from bot.adapters.telegram.errors import explain as telegram_explain
from bot.builtin import CorePlugin
from bot.discovery import discover_plugins
from bot.events import Attachment, MessageCreated, User
from plugins.automod.lexicons import lexicon_names
from tests.english import english_words
from tests.harness import START, Harness

RULES = """\
version: 1
defaults:
  language: fr
  alerts_channel: "console:equipe"
  case_alerts: true
  rules_text: {fr: "Restez courtois.", en: "Be civil."}
  appeal: {fr: "écrivez à appels@example.org", en: "write to appeals@example.org"}
communities:
  "console:test":
    name: Communauté test
    roles:
      cm: ["console:claire"]
      admin: ["console:root"]
    moderation:
      ladder:
        - {warnings: 3, within: 7d, action: timeout, duration: 1h}
    contests:
      confirm: reply
    escalation:
      ladder:
        alert: {enabled: true, at: 16, with_timeout: true, transcript: 4}
    automod:
      raid:
        enabled: true
        joins: 3
        within: 1m
        duration: 10m
        actions: [alert, slowmode]
        channels: ["console:accueil"]
      rules:
        insultes:
          trigger: {type: words, lexicons: [fr-insults]}
          actions: [delete, warn]
        arnaque:
          trigger: {type: regex, patterns: ['argent\\s+facile']}
          actions: [delete, {type: timeout, duration: 10m}, alert]
        invitations:
          trigger: {type: links, invites: true}
          actions: [delete, kick]
        domaines:
          trigger: {type: links, deny: [grabify.link]}
          actions: [delete, {type: ban, duration: 7d}]
        liens:
          mode: monitor
          trigger: {type: links, all_links: true, allow: [example.org, grabify.link, discord.gg]}
          actions: [delete, warn]
        cris:
          trigger: {type: caps, ratio: 0.7, min_letters: 20}
          actions: [warn]
        frimousses:
          trigger: {type: emoji, at_least: 6}
          actions: [warn]
        appels:
          trigger: {type: mentions, at_least: 3}
          actions: [delete, ban]
        pave:
          trigger: {type: length, max_chars: 300}
          actions: [warn]
        lignes:
          trigger: {type: newlines, max_lines: 8}
          actions: [warn]
        zalgo:
          trigger: {type: zalgo, max_marks: 3}
          actions: [warn]
        fichiers:
          trigger: {type: attachments, types: [exe]}
          actions: [delete, warn]
        rafale:
          trigger: {type: attachments, at_least: 4}
          actions: [warn]
        deluge:
          trigger: {type: flood, messages: 5, within: 10s, per: channel}
          actions: [{type: timeout, duration: 5m}]
          cooldown: 1m
        repetition:
          trigger: {type: duplicates, by: member, count: 3, within: 60s}
          actions: [delete, warn]
        copies:
          trigger: {type: duplicates, by: accounts, count: 3, within: 60s}
          actions: [delete, alert]
        nouveaux:
          trigger:
            all:
              - {type: new_account, younger_than: 1d}
              - not: {type: words, words: [bonjour]}
          actions: [warn]
        siege:
          trigger: {type: raid_mode}
          actions: [{type: timeout, duration: 10m}]
"""

STAFF = ("claire", "root")
SANCTIONS = ("!warn", "!mute", "!kick", "!ban", "!note", "!pardon", "!unmute", "!unban")
MEMBERS = ("bob", "dave", "eve", "fred", "gina", "hugo", "ines", "jade", "kim", "leo", "mia",
           "noe", "olga", "paul", "rita", "sam", "tom", "vera", "marc", "julien", "xena", "yann",
           "zoe", "ali", "ben", "cora")
FIGHT = [  # tests/escalation/conversations/conflict.yaml, conflict-fr-01
    ("marc", "Ton guide est complètement nul, t'as rien compris au jeu."),
    ("julien", "Et toi t'es qui pour critiquer ? Fais mieux au lieu de râler."),
    ("marc", "Pas besoin d'être un génie pour voir que c'est n'importe quoi."),
    ("julien", "T'es juste jaloux, pauvre type."),
    ("marc", "Jaloux de quoi ? De ton guide ridicule ? Laisse-moi rire."),
    ("julien", "Ferme ta gueule, sérieux."),
    ("marc", "Viens me le dire en face, bouffon !!"),
    ("julien", "T'es pathétique, dégage."),
    ("marc", "C'est toi le problème ici, tout le monde le sait."),
    ("julien", "Espèce de connard."),
]


class _Response:
    """What discord.HTTPException reads from an HTTP response."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "error"


def _discord_error(status: int, code: int, message: str) -> Exception:
    data = {"code": code, "message": message}
    kind = {403: discord.Forbidden, 404: discord.NotFound}.get(
        status, discord.DiscordServerError if status >= 500 else discord.HTTPException)
    return kind(_Response(status), data)  # type: ignore[arg-type]


async def platform_failures() -> dict[str, list[ActionResult]]:
    """Results the adapters' own error mapping gives for real platform errors, per method."""
    async def on_discord(exc: Exception, target: str = "bob") -> ActionResult:
        return await discord_explain(exc, Attempt(target=1, target_name=target))

    def on_telegram(exc: Exception, method: str, member: str = "bob") -> ActionResult:
        message = telegram_explain(exc, method, member)  # type: ignore[arg-type]
        return ActionResult.failed(f"telegram: {exc}", explanation=message)

    return {
        "unban_member": [await on_discord(_discord_error(404, 10026, "Unknown Ban"))],
        "kick_member": [await on_discord(_discord_error(403, 50013, "Missing Permissions")),
                        on_telegram(Forbidden("Forbidden: not enough rights to restrict/"
                                              "unrestrict chat member"), "banChatMember")],
        "timeout_member": [await on_discord(discord.RateLimited(30.0)),
                           on_telegram(RetryAfter(12), "restrictChatMember")],
        "ban_member": [await on_discord(_discord_error(502, 0, "Bad Gateway")),
                       on_telegram(NetworkError("Bad Gateway (502)"), "banChatMember"),
                       on_telegram(BadRequest("Bad Request: user is an administrator of the "
                                              "chat"), "banChatMember")],
        "remove_timeout": [await on_discord(_discord_error(404, 10007, "Unknown Member"))],
        "send_dm": [await on_discord(_discord_error(403, 50007, "Cannot send messages to "
                                                                "this user"))],
        "delete_message": [await on_discord(_discord_error(404, 10008, "Unknown Message"))],
    }


@contextmanager
def database_locked(path: Path) -> Iterator[None]:
    """Another process holds the database's write lock."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


class French:
    """The scenario: a harness on the French rules, with helpers that keep track of messages."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.flagged: list[str] = []  # message ids some rule decided about

    def who(self, name: str, **extra: Any) -> User:
        return self.h.user(name, language="fr", **extra)

    async def say(self, text: str, name: str = "bob", channel: str = "general",
                  **extra: Any) -> str:
        report = await self.h.say(text, self.who(name, **extra), channel=channel)
        if report.decisions:
            self.flagged.append(self.h.last.id)
        return self.h.last.id

    async def cm(self, text: str, name: str = "claire") -> str:
        self.h.clock.advance(timedelta(seconds=1))  # a CM's pace: within the command rate
        await self.h.say(text, self.who(name), channel="moderation")
        if text.split()[0] in SANCTIONS:
            self.flagged.append(self.h.last.id)
        return self.h.last.id

    async def attach(self, name: str, *files: Attachment) -> None:
        self.h.clock.advance(timedelta(seconds=1))
        event = MessageCreated(id=f"console:f{len(self.flagged)}-{name}", ts=self.h.clock.now(),
                               community=self.h.community, channel="console:general",
                               author=self.who(name), text="regardez", attachments=files)
        self.flagged.append(event.id)
        await self.h.app.handle(event)


async def drive(f: French, tmp: Path) -> None:
    """Every kind of case, alert, lift, failure and disqualification, in French."""
    h = f.h
    for name in MEMBERS:
        await f.say(f"salut, ici {name}", name, channel="hall")
    # Automod: one rule of each trigger kind.
    await f.say("espèce de connard", "bob")
    await f.say("de l'argent facile ici", "dave")
    await f.say("venez sur discord.gg/abcdef", "eve")
    await f.say("regardez https://grabify.link/xyz", "fred")
    await f.say("lisez https://autre.site/page", "gina")
    await f.say("POURQUOI PERSONNE NE ME RÉPOND ENFIN", "hugo")
    await f.say("😀😀😀😀😀😀😀", "ines")
    await f.h.say("coucou", f.who("jade"), channel="general",
                  mentions=[f.who("bob"), f.who("dave"), f.who("eve")])
    f.flagged.append(h.last.id)
    await f.say("bla " * 100, "kim")
    await f.say("\n".join("ligne" for _ in range(12)), "leo")
    await f.say("z\u0301\u0302\u0303\u0304\u0305algo", "mia")
    await f.attach("noe", Attachment(filename="virus.exe",
                                     content_type="application/x-msdownload"))
    await f.attach("olga", *(Attachment(filename=f"photo{i}.png", content_type="image/png")
                             for i in range(4)))
    for _ in range(5):
        await f.say("encore un message", "paul", channel="flood")
    for _ in range(3):
        await f.say("achetez mes super chaussures", "rita", channel="doublons")
    for name in ("sam", "tom", "vera"):
        await f.say("rejoignez mon groupe secret maintenant", name, channel="copies")
    await f.say("salut", "xena", account_created_at=START - timedelta(hours=2))
    # The ladder: a third warning.
    for text in ("connard", "pauvre connard", "gros connard"):
        h.clock.advance(timedelta(minutes=1))
        await f.say(text, "yann")
    # CM commands: every sanction and a note.
    await f.cm("!warn zoe spam répété")
    await f.cm("!mute ali 30m calmez-vous")
    await f.cm("!kick ben hors sujet")
    await f.cm("!ban cora 2j publicité")
    await f.cm("!note zoe à surveiller")
    await f.cm("!pardon 1")
    await f.cm("!unmute ali")
    # Raid: joins past the threshold, then the raid ends; a message in raid mode.
    for name in ("r1", "r2", "r3"):
        await h.join(name)
    await f.say("je suis nouveau", "r3", channel="accueil")
    await h.advance(timedelta(minutes=11))
    # Escalation: a heated exchange in French climbs the ladder.
    for name, text in FIGHT:
        h.clock.advance(timedelta(seconds=10))
        await f.say(text, name, channel="arene")
    # Timed sanctions end.
    await h.advance(timedelta(days=8))
    # A contest: a member sanctioned before the draw is disqualified.
    await f.say("!contest start 1h 1 Un casque audio", "claire", channel="concours")
    await f.say("!enter", "tom", channel="concours")
    await f.say("!enter", "sam", channel="concours")
    await f.cm("!warn sam triche")
    await f.cm("!contest end 1")
    await f.cm("!contest entries 1")
    # Platform failures, as each adapter explains them.
    failures = await platform_failures()
    for attempt in range(3):
        h.adapter.fail = {method: results[attempt % len(results)]
                          for method, results in failures.items()}
        await f.cm("!unban cora")
        await f.cm("!kick zoe hors sujet")
        await f.cm("!mute zoe 10m calmez-vous")
        await f.cm("!ban zoe insultes")
        await f.say("encore connard", "bob")
    h.adapter.fail = {}
    # The database is locked by another process.
    with database_locked(tmp / "vigie.db"):
        await f.cm("!warn zoe encore")
    # Every case, every member's history, and why for each case and flagged message.
    rows = await h.rows("SELECT number FROM cases ORDER BY number")
    for row in rows:
        await f.cm(f"!case {row['number']}")
        await f.cm(f"!why {row['number']}")
    for name in MEMBERS:
        await f.cm(f"!cases {name}")
    for message_id in list(f.flagged):
        await f.cm(f"!why {message_id}")


def names() -> set[str]:
    """Names the scenario gives: members, rules, lexicons, the community, platforms."""
    rules = set(YAML(typ="safe").load(RULES)["communities"]["console:test"]["automod"]["rules"])
    return {*STAFF, *MEMBERS, "r1", "r2", "r3", *rules, *lexicon_names(), "Vigie", "Discord",
            "Telegram", "Communauté test", "Un casque audio"}


def said(h: Harness) -> list[str]:
    """Every text the bot sent to people, with button labels."""
    texts = list(h.adapter.texts())
    for call in h.adapter.of("send_message"):
        texts.extend(b.label for b in call["buttons"])
    return texts


@pytest.fixture
async def french(tmp_path: Path) -> Any:
    plugins = [p for p in discover_plugins() if p is not CorePlugin]
    h = await Harness(tmp_path, rules=RULES, plugins=plugins).start()
    yield French(h)
    await h.stop()


async def test_a_french_community_reads_no_english(french: French, tmp_path: Path) -> None:
    """Every text sent in the scenario is French, outside names, ids and quoted text."""
    await drive(french, tmp_path)
    texts = said(french.h)
    assert len(texts) > 100
    known = names()
    english = [f"{found}: {text}" for text in texts if (found := english_words(text, known))]
    assert not english, "\n".join(english)


def test_the_detector_finds_the_fragments_the_issue_names() -> None:
    """The English words of the reported fragments are found; French text and quotes are not."""
    known = {"fr-insults", "bob"}
    assert english_words("matched 'connard' (fr-insults) at 17-24", known) == ["matched",
                                                                               "at"]
    assert english_words("case #2 expired") == ["expired"]
    assert english_words("bob is not banned", known) == ["is", "not", "banned"]
    assert english_words("the database is locked") == ["the", "database", "is", "locked"]
    assert english_words("Discord a refusé (403) : « Missing Permissions »") == []
    assert english_words("Le cas n°2 a expiré : bob n'est pas banni.", known) == []


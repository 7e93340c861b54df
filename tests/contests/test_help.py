"""What members and CMs are told they can do, in their language; the catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

from bot.events import User
from bot.i18n import LANGUAGES, Catalog
from plugins.contests import ContestsPlugin
from plugins.contests.settings import MODES
from plugins.contests.subcommands import SUBCOMMANDS
from tests.contests.conftest import ContestHarness

FR_MEMBER = User(id="console:bob", name="bob", language="fr")


async def test_members_see_reading_subcommands_only(ch: ContestHarness) -> None:
    """`!contest` alone lists what the caller may use."""
    await ch.say("!contest", author="bob")
    assert ch.replies()[-1] == (
        "Contests — what you can do:\n"
        "!contest list — open and recent contests here\n"
        "!contest show <contest> — one contest: entries, time left, requirements, commitment, "
        "winners\n"
        "!contest proof <contest> [part] — the proof of the draw, to check with vigie "
        "verify-draw\n"
        "!enter [contest] — enter a contest (the only open one here, or the one given)")


async def test_cms_see_everything_and_the_options(ch: ContestHarness) -> None:
    """CMs also get start (with its options), end, cancel, reroll and entries."""
    await ch.say("/contest", author="claire")
    lines = ch.replies()[-1].splitlines()
    assert [line.split(" — ")[0] for line in lines[1:] if line.startswith("/")] == [
        "/contest list", "/contest show <contest>", "/contest proof <contest> [part]",
        "/contest start <duration> <winners> <prize…> [options]", "/contest end <contest>",
        "/contest cancel <contest> [reason]", "/contest reroll <contest> [winners]",
        "/contest entries <contest> [page]", "/enter [contest]"]
    assert "    options: --channel --mode --emoji --keyword --account-age --member-for " \
           "--messages --role --in" in lines


async def test_in_french_and_in_help(ch: ContestHarness) -> None:
    """A French reader gets French; `!help` lists both commands with their aliases."""
    await ch.say("!concours", author=FR_MEMBER)
    assert ch.replies()[-1].startswith("Concours — ce que vous pouvez faire :\n"
                                       "!contest list — les concours ouverts et récents ici")
    await ch.say("!help", author=FR_MEMBER)
    listing = ch.replies()[-1]
    assert ("!contest [sous-commande] [arguments] (!concours) — concours : seule, liste ce que "
            "vous pouvez faire") in listing
    assert "!enter [concours] (!participer) — participer à un concours" in listing
    await ch.say("!help contest", author="bob")
    assert ch.replies()[-1] == ("!contest [subcommand] [arguments] — contests (giveaways): "
                                "alone, lists what you can do")


def test_every_message_the_plugin_can_say_exists_in_both_languages() -> None:
    """Static and computed keys are all in the catalog (which checks languages and placeholders)."""
    catalog = Catalog()
    ContestsPlugin.register_messages(catalog)
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in Path(ContestsPlugin.messages_file or "").parent.glob("*.py"))
    keys = set(re.findall(r'"((?:contests|arg|command)\.[a-z_.]+)"', source))
    keys |= {f"contests.sub.{name}" for name in SUBCOMMANDS}
    keys |= {f"contests.status.{s}" for s in ("open", "ended", "cancelled")}
    keys |= {f"contests.already.{s}" for s in ("ended", "cancelled")}
    keys |= {f"contests.via.{mode}" for mode in MODES}
    keys |= {f"arg.{label}" for sub in SUBCOMMANDS.values() for label, _ in sub.args}
    keys -= {"contests.end", "contests.relay"}  # job kinds, not messages
    missing = sorted(k for k in keys if not catalog.has(k))
    assert missing == []
    messages = ContestsPlugin.messages()
    assert all(set(texts) == set(LANGUAGES) for texts in messages.values())

"""The whole life of a weekly post scheduled from the console for a Discord server and a Telegram
group: recurrence across the change to summer time, a restart, edits, cancel, `now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import to_text
from bot.scheduler import LEASE
from tests.publishing.conftest import CONSOLE, DISCORD_NEWS, TELEGRAM, World

# START is Saturday 21 November 2026, 10:00 UTC (11:00 in Paris).
WEEKLY = ("!post schedule lundi 9h30 @acme Les **nouvelles** de la semaine <3 & plus "
          "--en This week's **news** <3 & more --repeat weekly --until 2027-04-30 --pin")


async def test_weekly_post_for_every_platform_across_dst_and_a_restart(world: World) -> None:
    await world.say(WEEKLY)
    assert "Post 1 scheduled for 2026-11-23 09:30 (CET) to @acme" in world.answers()[-1]

    await world.advance(timedelta(days=1, hours=22))   # Monday 23 Nov, 08:00 UTC: not yet
    assert world.discord.posts() == [] and world.telegram.posts() == []
    await world.until(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))   # 09:30 in Paris
    discord, telegram = world.discord.posts(), world.telegram.posts()
    assert len(discord) == 1 and len(telegram) == 1
    assert discord[0]["channel"] == DISCORD_NEWS and discord[0]["markup"] == "markdown"
    assert discord[0]["parts"] == ["This week's **news** <3 & more"]   # Discord is English
    assert telegram[0]["channel"] == TELEGRAM and telegram[0]["markup"] == "html"
    assert telegram[0]["parts"] == ["Les <b>nouvelles</b> de la semaine &lt;3 &amp; plus"]
    assert telegram[0]["pin"] is True and telegram[0]["unpin"] == ""
    assert world.console_posts() == ["This week's **news** <3 & more"]
    sent = await world.rows("SELECT * FROM publishing_sent ORDER BY channel")
    assert [(r["channel"], r["status"]) for r in sent] == [
        ("console:news", "sent"), (DISCORD_NEWS, "sent"), (TELEGRAM, "sent")]

    await world.until(datetime(2026, 11, 30, 8, 30, tzinfo=UTC))
    assert len(world.discord.posts()) == 2
    assert world.telegram.posts()[1]["unpin"] == "telegram:1000"   # the previous pin moves on

    await world.restart()   # nothing in memory survives; the database does
    assert world.discord.posts() == []
    await world.until(datetime(2026, 12, 7, 8, 29, tzinfo=UTC))
    assert world.discord.posts() == []
    await world.until(datetime(2026, 12, 7, 8, 30, tzinfo=UTC))
    assert len(world.discord.posts()) == 1 and len(world.telegram.posts()) == 1

    # Week by week to the change to summer time (Sunday 28 March 2027): 09:30 stays 09:30.
    monday = datetime(2026, 12, 14, 8, 30, tzinfo=UTC)
    while monday < datetime(2027, 3, 28, tzinfo=UTC):
        await world.until(monday)
        monday += timedelta(weeks=1)
    await world.until(datetime(2027, 3, 29, 7, 29, tzinfo=UTC))
    before = len(world.discord.posts())
    await world.until(datetime(2027, 3, 29, 7, 30, tzinfo=UTC))   # 09:30 CEST = 07:30 UTC
    assert len(world.discord.posts()) == before + 1
    rows = await world.rows("SELECT occurrence FROM publishing_sent WHERE channel = :c"
                            " ORDER BY occurrence", c=DISCORD_NEWS)
    assert len(rows) == 19   # 23 Nov 2026 … 29 Mar 2027, every Monday, once each
    assert len({r["occurrence"] for r in rows}) == 19
    assert rows[-1]["occurrence"].startswith("2027-03-29T07:30")
    assert rows[-2]["occurrence"].startswith("2027-03-22T08:30")


async def crash_state(world: World, receipt: dict[str, object]) -> None:
    """The database as a crash leaves it after the Discord send job asked for the post: the
    receipt as the executor wrote it, no sent row, the job to run again at start."""
    assert world.app is not None
    occurrence = "2026-11-22T17:00:00.000000Z"
    await world.rows("DELETE FROM publishing_sent WHERE channel = :c", c=DISCORD_NEWS)
    await world.app.services.kv("publish").set(
        CONSOLE, f"1|{occurrence}|{DISCORD_NEWS}|1", receipt)
    await world.rows("UPDATE jobs SET status = 'running', lease_until = :lease WHERE id ="
                     " (SELECT MIN(id) FROM jobs WHERE kind = 'publishing.send'"
                     " AND payload LIKE :c)", c=f"%{DISCORD_NEWS}%",
                     lease=to_text(world.clock.now() + LEASE))   # a dead worker's lease


async def test_restart_between_post_and_record_does_not_post_twice(world: World) -> None:
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello")
    await world.until(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
    assert len(world.discord.posts()) == 1
    assert await world.rows("SELECT * FROM kv WHERE namespace = 'publish'") == []   # cleaned
    await crash_state(world, {"status": "ok", "message_id": "discord:1000", "detail": "",
                              "explanation": None})
    await world.restart()
    await world.advance(LEASE + timedelta(seconds=1))   # SQLite re-runs it at once
    assert world.discord.posts() == []   # not posted again
    sent = await world.rows("SELECT * FROM publishing_sent WHERE channel = :c", c=DISCORD_NEWS)
    assert [(r["status"], r["message_id"]) for r in sent] == [("sent", "discord:1000")]


async def test_restart_during_the_platform_call_posts_again(world: World) -> None:
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello")
    await world.until(datetime(2026, 11, 22, 17, 0, tzinfo=UTC))
    await crash_state(world, {"status": "pending"})   # no answer was recorded
    await world.restart()
    await world.advance(LEASE + timedelta(seconds=1))
    assert len(world.discord.posts()) == 1   # posted again: the platform cannot be asked
    assert world.telegram.posts() == []
    sent = await world.rows("SELECT * FROM publishing_sent WHERE channel = :c", c=DISCORD_NEWS)
    assert [r["status"] for r in sent] == ["sent"]


async def test_down_past_the_grace_skips_and_tells_the_cms(world: World) -> None:
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello --repeat daily")
    await world.stop()
    world.clock.set(datetime(2026, 11, 22, 19, 30, tzinfo=UTC))   # 1h30 late, grace 1h
    await world.start()
    await world.advance(timedelta(seconds=1))
    assert world.discord.posts() == []
    assert any("Post 1 of 2026-11-22 18:00 (CET) was not sent" in a for a in world.alerts())
    await world.until(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))   # the next day is sent
    assert len(world.discord.posts()) == 1


async def test_late_within_the_grace_is_sent(world: World) -> None:
    await world.say("!post schedule demain 18h @acme Bonjour --en Hello")
    await world.stop()
    world.clock.set(datetime(2026, 11, 22, 17, 40, tzinfo=UTC))   # 40 min late
    await world.start()
    await world.advance(timedelta(seconds=1))
    assert len(world.discord.posts()) == 1 and len(world.telegram.posts()) == 1
    assert world.alerts() == []


async def test_list_show_edit_cancel_now(world: World) -> None:
    await world.say("!post schedule 2026-12-10 18:00 #news Hello <b> & @everyone --fr Salut "
                    "--repeat weekly --days mon,thu")
    await world.say("!post list")
    assert "1 · 2026-12-10 18:00 (CET) · week/1 mon,thu · console:test/console:news" \
        in world.answers()[-1]
    await world.say("!post show 1")
    shown = world.answers()[-1]
    assert "— console:news (console, en, plain, 1 message(s)):" in shown
    assert "2026-12-10 18:00 (CET), 2026-12-14 18:00 (CET), 2026-12-17 18:00 (CET)" in shown
    await world.say("!post edit 1 --at 2026-12-11 9h --no-repeat --text Bye")
    assert "Post 1 changed; next time: 2026-12-11 09:00 (CET)." in world.answers()[-1]
    await world.say("!post now 1")
    await world.advance(timedelta(seconds=1))
    assert world.console_posts() == ["Bye"]
    await world.say("!post cancel 1")
    assert "Post 1 cancelled." in world.answers()[-1]
    await world.until(datetime(2026, 12, 11, 9, tzinfo=UTC))
    assert world.console_posts() == ["Bye"]   # cancelled: never sent at its time
    await world.say("!post edit 1 --text again")
    assert "Post 1 is cancelled." in world.answers()[-1]


async def test_members_cannot_use_it(world: World) -> None:
    await world.say("!post schedule demain 18h here Hi", who="mallory")
    assert await world.rows("SELECT * FROM publishing_posts") == []


async def test_bad_input_is_an_error_never_text(world: World) -> None:
    cases = {
        "!post schedule demain 25h here Hi": "'25h' is not a valid time of day",
        "!post schedule 31/02 18h here Hi": "'31/02' is not a valid date",
        "!post schedule demain here Hi": "A time of day is missing",
        "!post schedule demain 18h": "Where should it go?",
        "!post schedule demain 18h @nope Hi": "Unknown brand @nope",
        "!post schedule demain 18h here Hi --repeat yearly": "'yearly' is not a recurrence",
        "!post schedule demain 18h here Hi --days mon,xyz": "is not a list of days",
        "!post schedule demain 18h here Hi --colour red": "Unknown option --colour",
        "!post schedule demain 18h here Hi --until 31/02/2027 --repeat daily":
            "'31/02/2027' is not a date",
        "!post schedule demain 18h here --link ftp://x": "The post has no text",
        "!post schedule demain 18h here Hi --link ftp://x": "'ftp://x' is not a link",
        "!post schedule demain 18h here Hi --until 2027-01-01": "--until needs a recurrence",
        "!post schedule demain 18h here Hi --repeat daily --until 2026-11-01":
            "--until 2026-11-01 is before the first time",
        "!post schedule demain 18h here Hi --tz Mars/Olympus": "Unknown time zone",
        "!post show 42": "No post 42 here",
    }
    for command, expected in cases.items():
        await world.say(command)
        assert expected in world.answers()[-1], (command, world.answers()[-1])
    assert await world.rows("SELECT * FROM publishing_posts") == []


async def test_french_answers(world: World) -> None:
    world.rules_path.write_text(world.rules_path.read_text().replace(
        "defaults:\n  language: en", "defaults:\n  language: fr"), encoding="utf-8")
    await world.restart()
    await world.say("!post schedule demain 18h ici Bonjour")
    assert "Publication 1 programmée pour le 2026-11-22 18:00 (CET)" in world.answers()[-1]
    await world.say("!post schedule demain 25h ici Bonjour")
    assert "« 25h » n'est pas une heure valide" in world.answers()[-1]


async def test_show_previews_each_platform_in_its_language(world: World) -> None:
    await world.say("!post schedule lundi 9h30 @acme Prix < 5 € & **gratuit** @everyone "
                    "--en Price < 5 € & **free** @everyone --no-preview --link https://e.org")
    await world.say("!post show 1")
    shown = world.answers()[-1].splitlines()
    assert shown[1:] == [
        "— console:news (console, en, plain, 1 message(s)):",
        "Price < 5 € & **free** @everyone",
        "",
        "https://e.org",
        "— discord:222 (discord, en, markdown, 1 message(s)):",
        "Price < 5 € & **free** @\u200beveryone",
        "",
        "<https://e.org>",
        "— telegram:-100123 (telegram, fr, html, 1 message(s)):",
        "Prix &lt; 5 € &amp; <b>gratuit</b> @everyone",
        "",
        "https://e.org",
    ]

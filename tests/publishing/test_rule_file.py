"""Posts written in the rule file: validated by `vigie check`, applied at start and on reload
(added, changed or removed posts arm or cancel their jobs), never edited from chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import models_for
from bot.settings import ConfigError, parse_rules
from plugins.publishing import PublishingPlugin
from tests.publishing.conftest import RULES, World

POSTS = """\
publishing:
  posts:
    weekly:
      text: {fr: "Hebdo", en: "Weekly"}
      targets: ["@acme"]
      at: "2026-11-23 09:30"
      repeat: {every: week}
"""


async def jobs(world: World) -> list[str]:
    return [f"{j.key}@{j.run_at:%Y-%m-%d %H:%M}" for j in
            await world.app.scheduler.pending("publishing.due")]  # type: ignore[union-attr]


async def test_added_changed_removed_on_reload(world: World) -> None:
    assert await jobs(world) == []
    world.rules_path.write_text(RULES + POSTS, encoding="utf-8")
    assert world.app is not None
    assert (await world.app.rulebook.reload("file")).status == "applied"
    assert await jobs(world) == ["publishing.due:weekly@2026-11-23 08:30"]

    world.rules_path.write_text(RULES + POSTS.replace("09:30", "10:00"), encoding="utf-8")
    await world.app.rulebook.reload("file")
    assert await jobs(world) == ["publishing.due:weekly@2026-11-23 09:00"]
    await world.until(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert world.telegram.posts()[0]["parts"] == ["Hebdo"]
    assert world.discord.posts()[0]["parts"] == ["Weekly"]

    await world.restart()   # unchanged: not armed twice, not re-sent
    assert await jobs(world) == ["publishing.due:weekly@2026-11-30 09:00"]

    world.rules_path.write_text(RULES, encoding="utf-8")
    await world.app.rulebook.reload("file")
    assert await jobs(world) == []
    await world.until(datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert world.discord.posts() == []
    status = await world.rows("SELECT status FROM publishing_posts WHERE id = 'weekly'")
    assert status == [{"status": "removed"}]

    world.rules_path.write_text(RULES + POSTS, encoding="utf-8")   # back again
    await world.app.rulebook.reload("file")
    assert await jobs(world) == ["publishing.due:weekly@2026-12-07 08:30"]


async def test_file_posts_are_not_edited_from_chat(world: World) -> None:
    world.rules_path.write_text(RULES + POSTS, encoding="utf-8")
    await world.restart()
    await world.say("!post cancel weekly")
    assert "is written in the rule file" in world.answers()[-1]
    await world.say("!post show weekly")
    assert "Post weekly (file, from console:test, active)" in world.answers()[-1]
    await world.say("!post now weekly")
    await world.advance(timedelta(seconds=1))
    assert len(world.discord.posts()) == 1


MODELS = models_for([PublishingPlugin])


@pytest.mark.parametrize(("posts", "fragment"), [
    ("    x:\n      text: {fr: a}\n      targets: ['@acmee']\n      at: '2026-12-01 10:00'\n",
     "unknown brand '@acmee' (did you mean 'acme'?)"),
    ("    x:\n      txt: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n",
     "did you mean 'text'"),
    ("    x:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 25:00'\n",
     "at"),
    ("    x:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n"
     "      repeat: {every: week, days: [mon, funday]}\n", "unknown day 'funday'"),
    ("    x:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n"
     "      repeat: {cron: '61 9 * * 1'}\n", "between 0 and 59"),
    ("    x:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n"
     "      timezone: Europe/Pariss\n", "unknown time zone"),
    ("    x:\n      text: {fr: a}\n      targets: ['discord:1']\n      at: '2026-12-01 10:00'\n",
     "a Discord server needs a channel"),
    ("    Bad Id:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n",
     "post id"),
    ("    x:\n      text: {fr: a}\n      targets: ['@acme']\n      at: '2026-12-01 10:00'\n"
     "      until: 2027-01-01\n", "until only makes sense with repeat"),
])
def test_check_refuses_bad_posts(posts: str, fragment: str) -> None:
    content = (RULES + "publishing:\n  posts:\n" + posts).encode()
    with pytest.raises(ConfigError) as caught:
        parse_rules(content, "rules.yaml", MODELS)
    assert any(fragment in i.message and i.path[0] == "publishing"
               for i in caught.value.issues), caught.value.issues


def test_typo_in_the_section_name() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_rules((RULES + "publising:\n  posts: {}\n").encode(), "rules.yaml", MODELS)
    assert "did you mean 'publishing'" in caught.value.issues[0].message

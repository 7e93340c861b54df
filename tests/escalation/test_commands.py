"""CM commands: `heat` lists hot conversations with their scores, `calm` posts step 1 now."""

from __future__ import annotations

from bot.permissions import Role
from tests.escalation.conftest import FIGHT, Make, play, rules_of


async def test_heat_lists_hot_conversations_with_scores(make: Make) -> None:
    """Hottest first, with steps taken and where each member's heat comes from."""
    h = await make()
    await play(h, FIGHT[:4])
    await play(h, [("greg", "You never answer, this is unacceptable!!"),
                   ("greg", "You're scammers, a total scam!!!")], channel="support")
    await h.say("!heat", h.user("claire"), channel="cm")
    answer = h.replies()[-1]
    assert answer.startswith("Heated conversations:\n#general — heat ")
    assert "· steps: reminder\n• bob: " in answer
    assert "aggressive phrases" in answer and "negative message(s)" in answer
    assert "\n#support — heat 4.4 · steps: alert (member alone)\n• greg: 4.4 (negative words" \
        in answer
    assert answer.index("#general") < answer.index("#support")


async def test_heat_when_all_is_calm(make: Make) -> None:
    """Nothing hot: said plainly, in the CM's language."""
    h = await make()
    await h.say("!heat", h.user("claire", language="fr"))
    assert h.replies()[-1] == "Aucune conversation ne s'échauffe en ce moment."


async def test_heat_shows_who_took_over(make: Make) -> None:
    """A conversation in a CM's hands says so."""
    h = await make()
    await play(h, FIGHT[:4])
    await h.say("Let's calm down please.", h.user("claire"))
    await h.say("!heat", h.user("claire"), channel="cm")
    assert "· in the hands of claire" in h.replies()[-1]


async def test_calm_posts_the_reminder_now_and_once(make: Make) -> None:
    """`calm #channel`: the reminder is posted there and the ladder will not post it again."""
    h = await make()
    await play(h, FIGHT[:2])
    report = await h.say("!calm #general", h.user("claire"), channel="cm")
    assert [d.rule for d in report.decisions] == ["command:calm", "command:calm"]
    posted = {c["channel"]: c["text"] for c in h.adapter.of("send_message")[-2:]}
    assert posted["console:general"].startswith("This conversation is getting heated.")
    assert posted["console:cm"] == "Reminder posted in #general."
    later = await play(h, FIGHT[2:6])
    assert "step1.reminder" not in rules_of(later)
    assert "step2.slowmode" in rules_of(later)


async def test_calm_in_the_channel_itself_is_not_a_takeover(make: Make) -> None:
    """A CM using `calm` where the exchange is does not stop the ladder."""
    h = await make()
    await play(h, FIGHT[:3])
    report = await h.say("!calm", h.user("claire"))
    assert [d.rule for d in report.decisions] == ["command:calm"]
    assert h.replies()[-1].startswith("This conversation is getting heated.")


async def test_members_cannot_use_heat_or_calm(make: Make) -> None:
    """Both commands are for the team."""
    h = await make()
    for text in ("!heat", "!calm"):
        report = await h.say(text, h.user("mallory", Role.MEMBER))
        assert not [d for d in report.decisions if d.plugin == "escalation"]

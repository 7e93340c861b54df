"""A generated month of a community, driven through the App, with its own tally of what it did."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from bot.events import MemberLeft
from tests.harness import Harness

QUESTIONS = ("when will my order arrive?", "how do I reset my password?", "is the shop open?")
CHATTER = ("hello", "nice one", "I agree", "see you later", "thanks for the tip", "lol")


@dataclass
class Tally:
    """What the generator did, counted as it went (the figures must say the same)."""

    messages: int = 0
    replies: int = 0
    questions: int = 0
    answered: int = 0
    answer_seconds: int = 0
    joins: int = 0
    first_messages: int = 0
    leaves: int = 0
    warnings: int = 0
    pardoned: int = 0
    ladder: int = 0
    by_day: Counter[str] = field(default_factory=Counter)
    active: set[str] = field(default_factory=set)


async def generate(h: Harness, days: int = 30, per_day: int = 12, seed: int = 7) -> Tally:
    """`days` days from the harness clock: members join, chat, ask; a CM answers some
    questions and warns now and then; some members leave."""
    rng = random.Random(seed)
    tally = Tally()
    claire = h.user("claire")
    members = [f"m{i}" for i in range(8)]
    silent: set[str] = set()
    day0 = h.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for day in range(days):
        await h.advance(max(timedelta(0), day0 + timedelta(days=day, hours=8) - h.clock.now()))
        if day % 2 == 0:
            name = f"n{day}"
            await h.join(name)
            tally.joins += 1
            members.append(name)
            silent.add(name)
        for _ in range(rng.randint(per_day // 2, per_day)):
            await h.advance(timedelta(minutes=rng.randint(5, 50)))
            author = rng.choice(members)
            asking = rng.random() < 0.2
            channel = rng.choice(("general", "general", "help"))
            await h.say(rng.choice(QUESTIONS if asking else CHATTER), author, channel=channel)
            question = h.last
            tally.messages += 1
            tally.by_day[question.ts.strftime("%Y-%m-%d")] += 1
            tally.active.add(author)
            if author in silent:
                silent.discard(author)
                tally.first_messages += 1
            if not asking:
                continue
            tally.questions += 1
            if rng.random() < 0.6:
                wait = rng.randint(1, 30)
                await h.advance(timedelta(minutes=wait))
                await h.say("here is how", claire, channel=channel, reply_to=question)
                tally.messages += 1
                tally.replies += 1
                tally.answered += 1
                tally.answer_seconds += wait * 60
                tally.by_day[h.clock.now().strftime("%Y-%m-%d")] += 1
                tally.active.add("claire")
        if day % 6 == 5:
            await h.say(f"!warn {rng.choice(members[:8])} spam", claire)
            tally.warnings += 1
        if day == days - 8:  # a bad day: three warnings, the ladder's timeout, one pardoned
            for _ in range(3):
                await h.say("!warn m1 insults", claire)
                tally.warnings += 1
            [last] = await h.rows("SELECT MAX(number) AS n FROM cases WHERE action = 'warn'")
            await h.say(f"!pardon {last['n']} wrong member", claire)
            tally.pardoned += 1
            tally.ladder += 1
        if day % 10 == 9:
            gone = members.pop()
            silent.discard(gone)
            await h.app.handle(MemberLeft(id=f"console:left{day}", ts=h.clock.now(),
                                          community=h.community, user=h.user(gone)))
            tally.leaves += 1
    return tally

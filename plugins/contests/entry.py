"""Entering a contest: the button, a reaction, a keyword message or `!enter`; and the counts
(first seen, joins, messages) that membership requirements are checked against."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.actions import Action, Decision, Dm, Reply
from bot.events import ButtonClicked, MemberJoined, MessageCreated, ReactionAdded, User
from bot.i18n import Localized, Msg, Text
from bot.plugin import EventContext, Phase, hook
from plugins.contests.closing import BUTTON_PREFIX, Closing
from plugins.contests.eligibility import Candidate, refusals
from plugins.contests.render import left, when

__all__ = ["EntryHooks"]

VARIATION = "\ufe0f"
QUIET_FOR_KEYWORDS = ("contests.refuse.bot", "contests.refuse.staff")


@lru_cache(maxsize=256)
def _word(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + re.escape(keyword) + r"(?![^\W_])")


class EntryHooks(Closing):
    """Every way in, one rule for all of them: checks, then a committed entry, then a word."""

    # -- ways in ---------------------------------------------------------------------------

    @hook(Phase.RESPOND, ButtonClicked)
    async def on_button(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """The entry button under an announcement."""
        if not event.custom_id.startswith(BUTTON_PREFIX):
            return None
        number = event.custom_id.removeprefix(BUTTON_PREFIX)
        if not number.isdigit():
            return None
        return await self.enter_contest(ctx, int(number), event.user, "button",
                                        event.channel, event.message_id)

    @hook(Phase.RESPOND, ReactionAdded)
    async def on_reaction(self, event: ReactionAdded, ctx: EventContext) -> Decision | None:
        """The contest's emoji on its announcement."""
        contest_id = self._posts.get((event.channel, event.message_id))
        contest = self._open.get(contest_id) if contest_id is not None else None
        if contest is None or contest.mode != "reaction":
            return None
        if event.emoji.replace(VARIATION, "") != contest.emoji.replace(VARIATION, ""):
            return None
        return await self.enter_contest(ctx, contest.id, event.user, "reaction", event.channel,
                                        event.message_id)

    @hook(Phase.RESPOND, MessageCreated)
    async def on_keyword(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """A message with the keyword, in the channel of a keyword contest."""
        if not self._keywords:
            return None
        candidates = self._keywords.get((event.community, event.channel))
        if not candidates:
            return None
        plain = ctx.normalized.plain
        for contest_id, keyword in candidates:
            if _word(keyword).search(plain):
                return await self.enter_contest(ctx, contest_id, event.author, "keyword",
                                                event.channel, event.id)
        return None

    # -- counts for requirements (memory only; written in batches) -------------------------

    @hook(Phase.OBSERVE, MessageCreated)
    async def count_message(self, event: MessageCreated, ctx: EventContext) -> None:
        """One more message by the author here."""
        self.activity.seen(event.community, event.author.id, event.ts, message=True)

    @hook(Phase.OBSERVE, MemberJoined)
    async def count_join(self, event: MemberJoined, ctx: EventContext) -> None:
        """Membership time starts (again) now."""
        self.activity.seen(event.community, event.user.id, event.ts, joined=True)

    @hook(Phase.OBSERVE, ReactionAdded, ButtonClicked)
    async def count_seen(self, event: ReactionAdded | ButtonClicked, ctx: EventContext) -> None:
        """The member is here (first seen, if never seen before)."""
        self.activity.seen(event.community, event.user.id, event.ts)

    # -- the one way an entry is made ------------------------------------------------------

    def _notice(self, key: tuple[object, ...], via: str, now: datetime) -> bool:
        """Whether to answer again: `!enter` always is; clicks and reactions once in a while."""
        return via == "command" or self.notices.ready(key, now)

    async def enter_contest(self, ctx: EventContext, contest_id: int, user: User, via: str,
                            channel: str, message_id: str | None) -> Decision | None:
        """Check, commit the entry, then tell the member (privately or by a short reply)."""
        now = self.ctx.services.clock.now()
        contest = self._open.get(contest_id) or await self.contests.get(contest_id)
        rule = f"enter.{via}"

        def tell(text: Text, outcome: str, **params: Any) -> Decision:
            """The answer, and `contests.evidence.<outcome>` in the community's language."""
            action: Action = Dm(target=user, text=text) \
                if self.section(ctx).confirm == "dm" else \
                Reply(channel=channel, message_id=message_id, text=text)
            evidence = self.ctx.services.catalog.render(
                f"contests.evidence.{outcome}", ctx.settings.language,
                {"id": contest_id, "member": user.id, **params})
            return Decision(rule=rule, actions=(action,), evidence=evidence)

        if contest is None:
            return tell(Msg.of("contests.unknown", id=contest_id), "unknown")
        if contest.place(ctx.community) is None:
            return tell(Msg.of("contests.enter.elsewhere", id=contest_id), "elsewhere")
        if not contest.is_open(now):
            return tell(Msg.of("contests.enter.closed", id=contest_id), "closed")
        exclude = self.section_of(ctx.community).exclude
        within = exclude.sanctioned_within
        sanctioned = within is not None and await self.contests.sanctioned(
            ctx.community, user.id, now - within)
        activity = await self.activity.get(ctx.community, user.id)
        unmet = refusals(contest.requirements, exclude,
                         Candidate(user, ctx.role, activity, sanctioned), now)
        if unmet:
            if via == "keyword" and unmet[0].key in QUIET_FOR_KEYWORDS:
                return None  # a CM or a bot saying the word is not trying to enter
            if not self._notice(("refused", contest_id, user.id, tuple(unmet)), via, now):
                return None
            catalog = self.ctx.services.catalog
            reasons = "\n".join(f"• {catalog.text(m, ctx.lang)}" for m in unmet)
            text = Localized.of({ctx.lang: catalog.render(
                "contests.enter.refused", ctx.lang, {"id": contest_id, "reasons": reasons})})
            return tell(text, "refused", unmet=", ".join(m.key.rsplit(".", 1)[1] for m in unmet))
        outcome = await self.contests.enter(contest_id, user, ctx.community, via, now)
        if outcome.status == "closed":
            return tell(Msg.of("contests.enter.closed", id=contest_id), "closed")
        if outcome.status == "duplicate":
            if not self._notice(("duplicate", contest_id, user.id), via, now):
                return None
            return tell(Msg.of("contests.enter.twice", id=contest_id), "twice")
        return tell(Msg.of("contests.enter.done", id=contest_id, prize=contest.prize,
                           count=outcome.count, ends=when(contest.ends_at),
                           left=left(contest.ends_at - now)),
                    "entered", via=Msg.of(f"contests.via.{via}"), count=outcome.count)

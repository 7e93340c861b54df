"""State shared by the contests plugin's parts: the store, the activity counts, caches, jobs."""

from __future__ import annotations

from datetime import timedelta

from bot.actions import Schedule
from bot.events import platform_of
from bot.plugin import Plugin, PluginContext
from bot.ratelimit import Cooldown
from bot.settings import CoreSettings
from bot.text import fold
from plugins.contests.activity import ActivityTracker
from plugins.contests.model import CANCELLED, Contest, Draw
from plugins.contests.render import Writer
from plugins.contests.settings import ContestsSettings
from plugins.contests.store import ContestStore

__all__ = ["END_JOB", "RELAY_JOB", "ContestsBase", "end_key", "relay_key"]

END_JOB = "contests.end"
RELAY_JOB = "contests.relay"
NOTICE_COOLDOWN = timedelta(minutes=10)


def end_key(contest_id: int) -> str:
    """Key of a contest's end job."""
    return f"{END_JOB}:{contest_id}"


def relay_key(contest_id: int, what: str, round_: int, community: str) -> str:
    """Key of one announcement in another community."""
    return f"{RELAY_JOB}:{contest_id}:{what}:{round_}:{community}"


class ContestsBase(Plugin):
    """The store, activity counts, in-memory indexes of open contests, and shared helpers."""

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.contests = ContestStore(ctx.services.store)
        self.activity = ActivityTracker(ctx.services.store)
        self.notices = Cooldown(NOTICE_COOLDOWN)
        self._open: dict[int, Contest] = {}
        self._posts: dict[tuple[str, str], int] = {}
        self._keywords: dict[tuple[str, str], list[tuple[int, str]]] = {}

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Load open contests, re-arm end jobs and unsent announcements, start counting."""
        for contest in await self.contests.open_contests():
            self.remember(contest)
        self._posts = await self.contests.open_posts()
        pending = {job.payload.get("contest") for job in
                   await self.ctx.services.scheduler.pending(END_JOB)}
        for contest in self._open.values():
            if contest.id not in pending:
                await self.schedule_end(contest)
        contests, draws = await self.contests.unrelayed()
        for contest in contests:
            await self._rearm(self.relay(contest, "cancel" if contest.status == CANCELLED
                                         else "start"))
            await self.contests.mark_relayed(contest.id)
        for draw in draws:
            found = await self.contests.get(draw.contest_id)
            if found is not None:
                await self._rearm(self.relay_draw(found, draw))
            await self.contests.mark_draw_relayed(draw.contest_id, draw.round)
        self.activity.start()

    async def stop(self) -> None:
        """Write the pending activity counts."""
        await self.activity.stop()

    # -- caches of open contests -----------------------------------------------------------

    def remember(self, contest: Contest) -> None:
        """Index an open contest (keyword entries are matched in memory)."""
        self._open[contest.id] = contest
        if contest.mode == "keyword" and contest.keyword:
            keyword = fold(contest.keyword).strip()
            for place in contest.places:
                self._keywords.setdefault((place.community, place.channel), []).append(
                    (contest.id, keyword))

    def forget(self, contest_id: int) -> None:
        """A contest closed: stop matching its keyword, button and reactions."""
        self._open.pop(contest_id, None)
        for key, items in list(self._keywords.items()):
            kept = [item for item in items if item[0] != contest_id]
            if kept:
                self._keywords[key] = kept
            else:
                del self._keywords[key]
        self._posts = {k: v for k, v in self._posts.items() if v != contest_id}

    # -- settings and language of any community --------------------------------------------

    def settings_of(self, community: str, channel: str | None = None) -> CoreSettings:
        """A community's settings (in a channel, with its overrides)."""
        return self.ctx.rules.effective(community, channel)

    def section_of(self, community: str, channel: str | None = None) -> ContestsSettings:
        """A community's `contests:` section."""
        section: ContestsSettings = getattr(self.settings_of(community, channel), self.name)
        return section

    def writer(self, community: str, channel: str | None = None,
               lang: str | None = None) -> Writer:
        """Renders in the language of a community's channel (or `lang`), with its prefix."""
        settings = self.settings_of(community, channel)
        return Writer(self.ctx.services.catalog, lang or settings.language, settings.prefixes[0])

    def community_name(self, community: str) -> str:
        """A community's display name."""
        return self.settings_of(community).name or community

    # -- jobs ------------------------------------------------------------------------------

    @staticmethod
    def end_schedule(contest: Contest) -> Schedule:
        """The durable job that closes the contest (at once if overdue)."""
        return Schedule.of(END_JOB, contest.community, contest.ends_at, end_key(contest.id),
                           {"contest": contest.id})

    async def schedule_end(self, contest: Contest) -> None:
        """Re-arm a contest's end at start, outside any event."""
        job = self.end_schedule(contest)
        await self.ctx.services.scheduler.schedule(job.kind, job.community, job.at, job.data,
                                                   key=job.key)

    def relay(self, contest: Contest, what: str) -> list[Schedule]:
        """The jobs announcing a start or a cancellation in every community not told yet."""
        now = self.ctx.services.clock.now()
        return [Schedule.of(RELAY_JOB, place.community, now,
                            relay_key(contest.id, what, 0, place.community),
                            {"contest": contest.id, "what": what, "round": 0})
                for place in contest.places if place.community != contest.told_in]

    def relay_draw(self, contest: Contest, draw: Draw) -> list[Schedule]:
        """The jobs announcing a draw's results in every community not told yet."""
        now = self.ctx.services.clock.now()
        return [Schedule.of(RELAY_JOB, place.community, now,
                            relay_key(contest.id, "draw", draw.round, place.community),
                            {"contest": contest.id, "what": "draw", "round": draw.round})
                for place in contest.places if place.community != draw.told_in]

    async def _rearm(self, jobs: list[Schedule]) -> None:
        """At start, store the relay jobs an interrupted event did not get to store."""
        scheduler = self.ctx.services.scheduler
        for job in jobs:
            if not await scheduler.known(job.key):
                await scheduler.schedule(job.kind, job.community, job.at, job.data,
                                         key=job.key)

    @staticmethod
    def several_platforms(contest: Contest) -> bool:
        """Whether the contest spans more than one platform."""
        return len({platform_of(c) for c in contest.communities}) > 1

"""The analytics plugin: counts as events happen, answers `!stats`, posts the weekly report."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.actions import Action, Alert, Decision, Schedule, Upload
from bot.commands import Word
from bot.durations import DurationError, parse_duration
from bot.events import (
    CaseOpened,
    JobDue,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    ThreadCreated,
    platform_of,
)
from bot.i18n import Localized
from bot.permissions import Role
from bot.plugin import (
    CommandCall,
    EventContext,
    Phase,
    Plugin,
    PluginContext,
    command,
    hook,
    on_job,
)
from bot.settings.models import CoreSettings
from bot.web.panels import Panel
from plugins.analytics.collect import Collector
from plugins.analytics.figures import SANCTIONS, Figures, compute
from plugins.analytics.monitor import WouldReader
from plugins.analytics.render import TextRenderer
from plugins.analytics.schema import MIGRATIONS
from plugins.analytics.settings import DAYS, AnalyticsSettings
from plugins.analytics.writer import FLUSH_SIZE, AnalyticsWriter

__all__ = ["WEEKLY_JOB", "AnalyticsPlugin", "next_weekly", "parse_days", "period_ending",
           "reports_dir"]

log = logging.getLogger("vigie.analytics")
WEEKLY_JOB = "analytics.weekly"
LAG_MAX = timedelta(hours=48)
"""A member's last message older than this is not the one a sanction answers."""
MAX_DAYS = 365
MAX_CHECKED = 10_000


def reports_dir() -> Path:
    """Where chart images are written: $VIGIE_REPORTS_DIR, else data/reports."""
    return Path(os.environ.get("VIGIE_REPORTS_DIR", "data/reports"))


def period_ending(now: datetime, days: int) -> tuple[datetime, datetime]:
    """[start, end) of the `days` days up to and including today (UTC)."""
    end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) \
        + timedelta(days=1)
    return end - timedelta(days=days), end


def next_weekly(now: datetime, day: str, hour: int) -> datetime:
    """The next time (after `now`) that is `day` at `hour`:00 UTC."""
    base = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    at = base.replace(hour=hour) + timedelta(days=(DAYS.index(day) - base.weekday()) % 7)
    return at if at > now else at + timedelta(days=7)


def community_name(settings: CoreSettings, community: str) -> str:
    """The rule file's display name of a community, else its id."""
    return getattr(settings, "name", None) or community


class AnalyticsPlugin(Plugin):
    """Hourly counters on the message path (no database read); figures at report time."""

    name = "analytics"
    settings_model = AnalyticsSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.collector = Collector()
        services = ctx.services
        self.writer = AnalyticsWriter(services.store, services.clock, self.collector,
                                      self._retention, WouldReader(services.catalog))
        self._armed: set[tuple[str, str, int]] = set()
        self._checked: set[tuple[str, str]] = set()
        """(community, rule revision) whose weekly report was looked at: once each."""

    def _retention(self, community: str) -> timedelta:
        section: AnalyticsSettings = getattr(self.ctx.rules.effective(community), self.name)
        return section.retention

    async def start(self) -> None:
        """Begin writing counters in the background."""
        self.writer.start()

    async def stop(self) -> None:
        """Write what is left, with the audit log's last rows read first (the core writes it
        after the plugins stop; the FAQ's answers to open questions are in it)."""
        await self.ctx.services.audit.flush()
        await self.writer.stop()

    # -- collection (the message path: dict increments only) --------------------------------

    @hook(Phase.OBSERVE, MessageCreated)
    async def on_message(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Count the message (not commands: they are not conversation); arm the weekly report
        the first time a community is seen."""
        if type(event) is not MessageCreated or event.author.is_bot \
                or event.text.startswith(ctx.settings.prefixes):
            return None
        staff = ctx.role >= Role.CM
        self.collector.message(event.community, event.channel, event.id, event.author.id,
                               event.ts, reply_to=event.reply_to,
                               question="?" in event.text and not staff, staff=staff)
        batch = self.collector.batch
        queued = len(batch.counts) + len(batch.active)
        if queued >= FLUSH_SIZE:
            self.writer.queued(queued)  # (past its high-water mark, the message path waits)
        seen = (event.community, ctx.rules.revision)
        if seen in self._checked:
            return None
        if len(self._checked) > MAX_CHECKED:
            self._checked.clear()
        self._checked.add(seen)
        weekly = self.section(ctx).weekly
        key = (event.community, weekly.day, weekly.hour)
        if key in self._armed or not weekly.enabled or not ctx.settings.alerts_channel:
            return None
        self._armed.add(key)
        return Decision(rule="weekly.arm", actions=(self._weekly_job(
            event.community, event.ts, weekly.day, weekly.hour),))

    @hook(Phase.OBSERVE, MemberJoined)
    async def on_join(self, event: MemberJoined, ctx: EventContext) -> None:
        """Count a join and watch for the newcomer's first message."""
        if not event.user.is_bot:
            self.collector.joined(event.community, event.user.id, event.ts)

    @hook(Phase.OBSERVE, MemberLeft)
    async def on_leave(self, event: MemberLeft, ctx: EventContext) -> None:
        """Count a departure."""
        if not event.user.is_bot:
            self.collector.left(event.community, event.user.id, event.ts)

    @hook(Phase.OBSERVE, ThreadCreated)
    async def on_thread(self, event: ThreadCreated, ctx: EventContext) -> None:
        """Count a thread (Discord) or forum topic (Telegram) in the channel it opened from."""
        if event.author is None or not event.author.is_bot:
            self.collector.count(event.community, event.parent, event.ts, "threads")

    @hook(Phase.OBSERVE, CaseOpened)
    async def on_case(self, event: CaseOpened, ctx: EventContext) -> None:
        """Time from the member's last message in the channel to a team member's sanction
        (a rule acts on the message itself, at once: not measured)."""
        if event.action not in SANCTIONS or event.channel is None \
                or event.author_id.startswith("rule:"):
            return
        seen = self.ctx.services.history.recent(event.channel, 1, author_id=event.target.id)
        if not seen or not timedelta(0) <= event.ts - seen[0].ts <= LAG_MAX:
            return
        self.collector.count(event.community, event.channel, event.ts, "lag_cm")
        self.collector.count(event.community, event.channel, event.ts, "lag_cm_seconds",
                             int((event.ts - seen[0].ts).total_seconds()))

    # -- reading ---------------------------------------------------------------------------

    async def figures(self, community: str, start: datetime, end: datetime) -> Figures:
        """The figures of a period, with everything collected so far written first (the audit
        log too: the FAQ's answers are read from it)."""
        await self.ctx.services.audit.flush()
        await self.writer.flush()
        return await compute(self.ctx.services.store, community, start, end)

    async def dashboard_panel(self, community: str, lang: str, now: datetime) -> Panel | None:
        """The overview panel of the web dashboard: `!stats` of the last 7 days."""
        from plugins.analytics.dashboard import panel
        return await panel(self, community, lang, now)

    async def dashboard_chart(self, community: str, lang: str, now: datetime) -> bytes | None:
        """The panel's chart (the `!stats` chart)."""
        from plugins.analytics.dashboard import chart
        return await chart(self, community, lang, now)

    @command("stats", min_role=Role.CM)
    async def stats(self, call: CommandCall, period: Word | None = None) -> list[Action]:
        """Figures of the last 7 days (or the period given), as text and a chart image."""
        days = parse_days(period or "7d")
        if days is None:
            return [call.reply("analytics.stats.usage")]
        start, end = period_ending(call.ctx.event.ts, days)
        figures = await self.figures(call.community, start, end)
        lang = call.ctx.lang
        name = community_name(call.ctx.settings, call.community)
        renderer = TextRenderer(self.ctx.services.catalog, lang)
        lines = renderer.lines(figures, name)
        theme = self.section(call.ctx).theme
        upload: Upload | None = None
        try:
            png = await self.chart(figures, renderer, name, theme)
            if platform_of(call.community) == "console":
                lines.append(renderer.t("analytics.stats.chart",
                                        path=str(self.chart_file(figures, png, lang))))
            else:
                upload = Upload(channel=call.channel, filename=chart_name(figures, lang),
                                data=png, caption=Localized.of({lang: chart_title(
                                    renderer, figures, name)}), reply_to=call.message_id)
        except Exception:
            log.exception("chart failed community=%s", call.community)
            lines.append(renderer.t("analytics.stats.chart_failed"))
        reply = call.reply_text(Localized.of({lang: "\n".join(lines)}))
        return [reply, upload] if upload is not None else [reply]

    async def chart(self, figures: Figures, renderer: TextRenderer, name: str,
                    theme: str) -> bytes:
        """The overview chart as PNG, drawn in a thread (never on the event loop)."""
        from plugins.analytics.charts import overview_png  # matplotlib: 40 MB, on first use
        return await asyncio.to_thread(overview_png, figures, renderer.t,
                                       chart_title(renderer, figures, name), theme)

    def chart_file(self, figures: Figures, png: bytes, lang: str) -> Path:
        """Write a chart under reports_dir() (the console's way to show it); its path."""
        folder = reports_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / chart_name(figures, lang)
        path.write_bytes(png)
        return path

    # -- the weekly report -----------------------------------------------------------------

    def _weekly_job(self, community: str, now: datetime, day: str, hour: int) -> Schedule:
        return Schedule.of(WEEKLY_JOB, community, next_weekly(now, day, hour),
                           key=f"{WEEKLY_JOB}:{community}", payload={"day": day, "hour": hour})

    @on_job(WEEKLY_JOB)
    async def weekly(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Post last week's key figures against the week before, and arm next week's."""
        settings: AnalyticsSettings = self.section(ctx)
        if not settings.enabled or not settings.weekly.enabled or not ctx.settings.alerts_channel:
            return None
        end = job.run_at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        start = end - timedelta(days=7)
        now = await self.figures(job.community, start, end)
        before = await compute(self.ctx.services.store, job.community, start - timedelta(days=7),
                               start)
        lang = ctx.settings.language
        renderer = TextRenderer(self.ctx.services.catalog, lang)
        text = "\n".join(renderer.lines(now, community_name(ctx.settings, job.community),
                                        weekly=before))
        weekly = settings.weekly
        self._armed.add((job.community, weekly.day, weekly.hour))
        actions: list[Action] = [
            Alert(text=Localized.of({lang: text})),
            self._weekly_job(job.community, max(job.run_at, job.ts), weekly.day, weekly.hour)]
        alerts = ctx.settings.alerts_channel
        if platform_of(job.community) != "console" and alerts is not None \
                and platform_of(alerts) == platform_of(job.community):
            try:
                name = community_name(ctx.settings, job.community)
                actions.append(Upload(
                    channel=alerts, filename=chart_name(now, lang),
                    data=await self.chart(now, renderer, name, settings.theme),
                    caption=Localized.of({lang: chart_title(renderer, now, name)})))
            except Exception:
                log.exception("weekly chart failed community=%s", job.community)
        return Decision(rule="weekly", actions=tuple(actions),
                        evidence=f"weekly report {start:%Y-%m-%d} to {end:%Y-%m-%d}")


def chart_name(figures: Figures, lang: str) -> str:
    """`console_local-20261117-7d-fr.png`: community, first day, length, language."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in figures.community)
    return f"{safe}-{figures.start:%Y%m%d}-{figures.days}d-{lang}.png"


def chart_title(renderer: TextRenderer, figures: Figures, name: str) -> str:
    """The chart's title in the renderer's language."""
    return renderer.t("analytics.chart.title", community=name,
                      start=f"{figures.start:%Y-%m-%d}",
                      end=f"{figures.end - timedelta(days=1):%Y-%m-%d}")


def parse_days(text: str) -> int | None:
    """Whole days from `7d`/`30j`; None unless 1 to MAX_DAYS whole days."""
    try:
        span = parse_duration(text)
    except DurationError:
        return None
    days, rest = divmod(span, timedelta(days=1))
    return int(days) if not rest and 1 <= days <= MAX_DAYS else None


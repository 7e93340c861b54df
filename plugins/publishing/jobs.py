"""Scheduled posts as durable jobs: one `due` job per post (its next time), one `send` job per
target of each time, each sent exactly once and recorded before its job is closed.

A `send` job runs twice for one attempt: first it asks for the post (`Publish` with a receipt)
and schedules itself again at once; the second run reads the receipt the executor wrote and
records the outcome (or schedules a retry). A process that stops in between runs the job again
at start: a post whose receipt says `ok` is recorded, never sent again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.actions import Action, Alert, Decision, Publish, Schedule
from bot.clock import from_text, to_text
from bot.durations import format_duration
from bot.events import JobDue, platform_of
from bot.i18n import Msg
from bot.plugin import EventContext, Plugin, PluginContext, on_job
from bot.publish import RECEIPTS, receipt_of
from bot.settings import RuleSet
from bot.when import zone
from plugins.publishing.recurrence import next_after
from plugins.publishing.render import Rendered, render
from plugins.publishing.settings import PostSpec, PublishingSettings
from plugins.publishing.store import ACTIVE, DONE, PostRow, PostStore

__all__ = ["DUE_JOB", "SEND_JOB", "PostJobs", "due_key", "send_key"]

log = logging.getLogger("vigie.plugin.publishing")
DUE_JOB = "publishing.due"
SEND_JOB = "publishing.send"
LATE_NOTE = timedelta(minutes=1)  # later than this is "sent late" in the log


def due_key(post_id: str) -> str:
    """Key of a post's next-time job."""
    return f"{DUE_JOB}:{post_id}"


def send_key(post_id: str, occurrence: str, channel: str) -> str:
    """Key of one time of a post in one channel."""
    return f"{SEND_JOB}:{post_id}:{occurrence}:{channel}"


class PostJobs(Plugin):
    """Due times, fan-out to targets, sends with receipts, retries, reports to the CMs."""

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.posts = PostStore(ctx.services.store)
        self.receipts = ctx.services.kv(RECEIPTS)

    # -- what a post means under the rules in force ----------------------------------------

    def settings_of(self, community: str, rules: RuleSet | None = None) -> PublishingSettings:
        """The community's `publishing` settings."""
        settings: Any = (rules or self.ctx.rules).community(community)
        section: PublishingSettings = settings.publishing
        return section

    def zone_of(self, post: PostSpec, home: str) -> ZoneInfo:
        """The post's time zone (its own, else its home community's)."""
        return zone(post.timezone or self.settings_of(home).timezone)

    def targets(self, spec: PostSpec, rules: RuleSet | None = None) -> list[tuple[str, str]]:
        """(community, channel) of every target, brands expanded, each channel once."""
        brands = (rules or self.ctx.rules).brands
        found: list[tuple[str, str]] = []
        for target in spec.targets:
            if target.brand is not None:
                pairs = [(c, ch) for c, ch in brands.targets(target.brand) if ch is not None]
            else:
                assert target.community is not None
                pairs = [(target.community, target.channel or target.community)]
            found.extend(p for p in pairs if p[1] not in {c for _, c in found})
        return found

    def next_time(self, row: PostRow, after: datetime) -> datetime | None:
        """The post's first time strictly after `after` (UTC), or None when it is over."""
        spec = row.spec
        return next_after(spec.at, self.zone_of(spec, row.home), spec.repeat, spec.until, after)

    def arm(self, row: PostRow, after: datetime) -> Schedule | None:
        """The due job of the post's next time after `after`; None when the series is over."""
        at = self.next_time(row, after)
        if at is None:
            return None
        return Schedule.of(DUE_JOB, row.home, at, key=due_key(row.id),
                           payload={"post": row.id, "at": to_text(at), "digest": row.digest})

    def rendered(self, spec: PostSpec, community: str, channel: str,
                 rules: RuleSet | None = None) -> Rendered:
        """The post for one channel, in its community's language."""
        lang = (rules or self.ctx.rules).community(community).language
        text = spec.text.get(lang) or next(t for t in spec.text.values() if t.strip())
        return render(text, channel, link=spec.link, preview=spec.preview, embed=spec.embed)

    # -- a post's time comes ---------------------------------------------------------------

    @on_job(DUE_JOB)
    async def due(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Fan out to every target (or skip, too late), and arm the next time."""
        row = await self.posts.get(str(job.payload.get("post")))
        if row is None or row.status != ACTIVE or row.digest != job.payload.get("digest"):
            return None  # cancelled, or changed since: its new time was armed then
        occurrence = str(job.payload["at"])
        now = self.ctx.services.clock.now()
        late = now - from_text(occurrence)
        grace = self.settings_of(row.home).grace
        actions: list[Action] = []
        targets = self.targets(row.spec)
        if late > grace:
            for community, channel in targets:
                await self.posts.record(row.id, occurrence, channel, community, "skipped", now,
                                        detail=f"{format_duration(late)} late")
            actions.append(Alert(text=Msg.of(
                "publishing.skipped", post=row.id, at=self._local(row, occurrence),
                late=format_duration(late), grace=format_duration(grace))))
        else:
            if late > LATE_NOTE:
                log.warning("post %s of %s sent late by %s (grace %s)", row.id, occurrence,
                            format_duration(late), format_duration(grace))
            actions.extend(self.send_job(row, occurrence, community, channel, now)
                           for community, channel in targets)
        follow = self.arm(row, max(now, from_text(occurrence)))
        if follow is not None:
            actions.append(follow)
        else:
            await self.posts.set_status(row.id, DONE, now)
        return Decision(rule="due", actions=tuple(actions),
                        evidence=f"post {row.id} at {occurrence}: {len(targets)} target(s)"
                                 + (f", {format_duration(late)} late" if late > LATE_NOTE
                                    else ""))

    def send_job(self, row: PostRow, occurrence: str, community: str, channel: str,
                 at: datetime, attempt: int = 1) -> Schedule:
        """The job that posts one time of `row` in one channel."""
        return Schedule.of(SEND_JOB, row.home, at, key=send_key(row.id, occurrence, channel),
                           payload={"post": row.id, "at": occurrence, "community": community,
                                    "channel": channel, "attempt": attempt})

    def _local(self, row: PostRow, occurrence: str) -> str:
        local = from_text(occurrence).astimezone(self.zone_of(row.spec, row.home))
        return f"{local:%Y-%m-%d %H:%M} ({local.tzname()})"

    # -- one time, one channel -------------------------------------------------------------

    @on_job(SEND_JOB)
    async def send(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Post once, then record how it went (retry with backoff when the platform failed)."""
        p = job.payload
        post_id, occurrence, channel = str(p["post"]), str(p["at"]), str(p["channel"])
        community, attempt = str(p["community"]), int(p.get("attempt", 1))
        row = await self.posts.get(post_id)
        if row is None or await self.posts.sent(post_id, occurrence, channel) is not None:
            return None
        receipt_key = f"{post_id}|{occurrence}|{channel}|{attempt}"
        receipt = await receipt_of(self.receipts, ctx.community, receipt_key)
        now = self.ctx.services.clock.now()
        if receipt is None or receipt.get("status") == "pending":
            if receipt is not None:
                log.warning("post %s to %s: the last attempt stopped before the platform "
                            "answered; posting again (it may show twice)", post_id, channel)
            if row.status not in (ACTIVE, DONE) and not occurrence.endswith("!now"):
                return None  # cancelled meanwhile
            unpin = await self.posts.last_pin(post_id, channel) if row.spec.pin else ""
            return self._post(row, occurrence, community, channel, attempt, receipt_key, now,
                              unpin)
        if receipt.get("status") == "ok":
            await self.posts.record(post_id, occurrence, channel, community, "sent", now,
                                    message_id=receipt.get("message_id"),
                                    pinned=row.spec.pin and "not pinned" not in
                                    str(receipt.get("detail") or ""),
                                    detail=str(receipt.get("detail") or ""), attempts=attempt)
            await self.receipts.delete(ctx.community, receipt_key)  # the sent row guards now
            return Decision(rule="sent", evidence=f"post {post_id} in {channel}: "
                            f"{receipt.get('message_id')}")
        return self._failed(row, occurrence, community, channel, attempt, receipt, now)

    def _post(self, row: PostRow, occurrence: str, community: str, channel: str, attempt: int,
              receipt_key: str, now: datetime, unpin: str) -> Decision:
        shown = self.rendered(row.spec, community, channel)
        publish = Publish(channel=channel, parts=shown.parts, markup=shown.markup,
                          image=row.spec.image or "", preview=row.spec.preview,
                          pin=row.spec.pin, unpin=unpin, receipt=receipt_key,
                          community=community)
        check = self.send_job(row, occurrence, community, channel, now, attempt)
        return Decision(rule="publish", actions=(publish, check),
                        evidence=f"post {row.id} of {occurrence} in {channel} "
                                 f"(attempt {attempt}, {len(shown.parts)} part(s))")

    def _failed(self, row: PostRow, occurrence: str, community: str, channel: str,
                attempt: int, receipt: dict[str, Any], now: datetime) -> Decision:
        reason = self._reason(receipt)
        settings = self.settings_of(row.home)
        where = f"{channel} ({platform_of(channel)})"
        if receipt.get("status") == "failed" and attempt <= settings.retries:
            wait = settings.backoff * 2 ** (attempt - 1)
            retry = self.send_job(row, occurrence, community, channel, now + wait, attempt + 1)
            return Decision(rule="retry", actions=(retry, Alert(text=Msg.of(
                "publishing.failed_retry", post=row.id, where=where, reason=reason,
                attempt=attempt, wait=format_duration(wait), retries=settings.retries))),
                evidence=f"post {row.id} in {channel}: {receipt.get('detail')}")
        return Decision(rule="gave_up", actions=(Alert(text=Msg.of(
            "publishing.failed_final", post=row.id, where=where, reason=reason,
            attempts=attempt)),), evidence=f"post {row.id} in {channel}: gave up after "
            f"{attempt} attempt(s): {receipt.get('detail')}")

    @staticmethod
    def _reason(receipt: dict[str, Any]) -> Msg | str:
        """The platform's reason, in the reader's language when the adapter explained it."""
        explanation = receipt.get("explanation")
        if isinstance(explanation, list) and len(explanation) == 2:
            return Msg.of(str(explanation[0]), **dict(explanation[1]))
        return str(receipt.get("detail") or "?")

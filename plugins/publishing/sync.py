"""Posts of the rule file kept in step with the database: added, changed or removed posts arm or
cancel their jobs at start and after every reload; chat posts are re-armed at start."""

from __future__ import annotations

import asyncio

from bot.settings import RuleSet
from bot.settings.manager import ReloadOutcome
from plugins.publishing.jobs import DUE_JOB, PostJobs, due_key
from plugins.publishing.settings import PublishingFile
from plugins.publishing.store import ACTIVE, REMOVED, PostRow, digest_of

__all__ = ["FILE_AUTHOR", "PostSync"]

FILE_AUTHOR = "rule-file"


class PostSync(PostJobs):
    """Applies `publishing.posts` and re-arms due jobs."""

    _sync_lock: asyncio.Lock

    async def start(self) -> None:
        """Apply the rule file's posts, re-arm every active post, follow reloads."""
        self._sync_lock = asyncio.Lock()
        await self.sync(self.ctx.rules)
        await self.rearm_missing()
        self.ctx.services.rulebook.listen(self._reloaded)

    async def _reloaded(self, outcome: ReloadOutcome) -> None:
        if outcome.status == "applied":
            await self.sync(self.ctx.rules)

    def home_of(self, post_id: str, rules: RuleSet) -> str:
        """The community told about a file post: its `home`, else its first target's."""
        file = rules.top.get("publishing")
        assert isinstance(file, PublishingFile)
        spec = file.posts[post_id]
        if spec.home:
            return spec.home
        targets = self.targets(spec, rules)
        if targets:
            return targets[0][0]
        first = spec.targets[0]
        brand = rules.brands.get(first.brand or "")
        return first.community or (brand.communities[0] if brand else "console:local")

    async def sync(self, rules: RuleSet) -> None:
        """Store the file's posts; arm new and changed ones, cancel removed ones."""
        async with self._sync_lock:
            file = rules.top.get("publishing")
            wanted = file.posts if isinstance(file, PublishingFile) else {}
            now = self.ctx.services.clock.now()
            scheduler = self.ctx.services.scheduler
            stored = {row.id: row for row in await self.posts.all(status=None)
                      if row.source == "file"}
            for post_id, spec in wanted.items():
                old = stored.get(post_id)
                if old is not None and old.digest == digest_of(spec) and old.status != REMOVED:
                    continue
                await self.posts.put(post_id, "file", self.home_of(post_id, rules), spec,
                                     FILE_AUTHOR, now)
                row = await self.posts.get(post_id)
                assert row is not None
                await self._arm_now(row)
                self.ctx.log.info("post %s %s from the rule file", post_id,
                                  "changed" if old is not None else "added")
            for post_id, old in stored.items():
                if post_id not in wanted and old.status != REMOVED:
                    await self.posts.set_status(post_id, REMOVED, now)
                    await scheduler.cancel(due_key(post_id))
                    self.ctx.log.info("post %s removed from the rule file", post_id)

    async def _arm_now(self, row: PostRow) -> None:
        """Schedule the post's next time from now (or cancel its job when it has none)."""
        scheduler = self.ctx.services.scheduler
        job = self.arm(row, self.ctx.services.clock.now())
        if job is None:
            await scheduler.cancel(due_key(row.id))
            return
        await scheduler.schedule(job.kind, job.community, job.at, job.data, key=job.key)

    async def rearm_missing(self) -> None:
        """An active post without a pending due job (stopped mid-change) gets one."""
        pending = {job.key for job in await self.ctx.services.scheduler.pending(DUE_JOB)}
        for row in await self.posts.all(ACTIVE):
            if due_key(row.id) not in pending:
                await self._arm_now(row)

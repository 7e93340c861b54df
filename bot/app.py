"""The App: builds adapters, plugins, storage and the rules into one running bot; no globals."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from datetime import timedelta
from pathlib import Path

from bot.adapters.base import Adapter
from bot.audit import AuditLog
from bot.builtin import CorePlugin
from bot.cases import CaseLog
from bot.clock import Clock, SystemClock
from bot.commands.registry import CommandRegistry
from bot.discovery import discover_plugins
from bot.dispatch import Dispatcher, Report
from bot.events import Event, JobDue, User
from bot.executor import Executor
from bot.fleet import Fleet, WorkerRegistry
from bot.fleet.notices import Notices, PostgresNotices, RedisNotices
from bot.fleet.owners import OWNER_LEASE, Owners
from bot.fleet.routing import Routing
from bot.fleet.sync import BEAT_SECONDS, CHECK_SECONDS
from bot.history import History
from bot.i18n import Catalog, Msg
from bot.keyword_sync import KeywordRuleSync
from bot.members import MemberDirectory
from bot.permissions import Role, effective_role
from bot.platform_cases import PlatformCases
from bot.plugin import Plugin, PluginContext
from bot.scheduler import LEASE, Scheduler, default_worker
from bot.services import Services
from bot.settings import PluginSettings, SettingsModels, build_models
from bot.settings.manager import ReloadOutcome, RuleBook
from bot.shared import SharedWindows
from bot.storage import PostgresStore, Store, open_store
from bot.storage.core_schema import CORE_MIGRATIONS
from bot.web.plugin import DashboardPlugin

__all__ = ["App", "models_for"]

log = logging.getLogger("vigie.app")
MAX_ALERT_ERRORS = 5
# The core's own plugins, in every App before the discovered ones (their tables too).
CORE_PLUGINS: tuple[type[Plugin], ...] = (CorePlugin, PlatformCases, DashboardPlugin)


def models_for(plugin_classes: Sequence[type[Plugin]]) -> SettingsModels:
    """The rule-file models for these plugins (plus the core commands)."""
    sections = {p.name: p.settings_model or PluginSettings for p in plugin_classes}
    classes: list[type[Plugin]] = [*CORE_PLUGINS, *plugin_classes]
    commands = [spec.name for p in classes for spec in p.commands()]
    top_level = {p.name: p.top_level_model for p in classes if p.top_level_model}
    return build_models(sections, commands, top_level)


async def _logged(what: str, step: Awaitable[object]) -> None:
    """Run one shutdown step; its failure is logged, not raised, so the next steps still run."""
    try:
        await step
    except Exception:
        log.exception("stop failed: %s", what)


class App:
    """One bot process: every adapter, every plugin, one rule file, one store."""

    def __init__(
        self, *, config_path: Path, adapters: Sequence[Adapter], store: Store | None = None,
        database_url: str = "sqlite:///data/vigie.db", clock: Clock | None = None,
        plugin_classes: Sequence[type[Plugin]] | None = None, watch: bool = False,
        redis_url: str | None = None, shared: SharedWindows | None = None,
        worker_id: str | None = None, notices: Notices | None = None,
        rule_check_s: float = CHECK_SECONDS, lease: timedelta | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.plugin_classes = list(discover_plugins() if plugin_classes is None
                                   else plugin_classes)
        all_classes: list[type[Plugin]] = [*CORE_PLUGINS, *self.plugin_classes]
        self.catalog = Catalog()
        for plugin_class in all_classes[2:]:  # the core's own texts are in the catalog
            plugin_class.register_messages(self.catalog)
        self.models = models_for(self.plugin_classes)
        self.rulebook = RuleBook(config_path, self.models)
        self.store = store or open_store(database_url)
        self.adapters = {adapter.platform: adapter for adapter in adapters}
        self.watch = watch
        self.worker_id = worker_id or default_worker()
        if notices is None and isinstance(self.store, PostgresStore):
            notices = PostgresNotices(self.store.dsn, f"vigie notices {self.worker_id}")
        elif notices is None and redis_url:
            notices = RedisNotices(redis_url)
        self.owners = Owners(self.store, self.worker_id, self.clock, lease=lease or OWNER_LEASE)
        self.services = Services(
            clock=self.clock, catalog=self.catalog, rulebook=self.rulebook, store=self.store,
            scheduler=Scheduler(self.store, self.clock, self._deliver_job, self.worker_id,
                                lease=lease or LEASE),
            cases=CaseLog(self.store, self.clock), audit=AuditLog(self.store),
            members=MemberDirectory(), history=History(),
            commands=CommandRegistry(s for p in all_classes for s in p.commands()),
            shared=shared or (SharedWindows(redis_url) if redis_url else None),
            fleet=Fleet(self.worker_id, self.rulebook, WorkerRegistry(self.store, self.worker_id),
                        self.clock, self._communities, notices, owners=self.owners,
                        peer_url=self._peer_url, check_s=rule_check_s,
                        beat_s=min(BEAT_SECONDS, self.owners.lease.total_seconds() / 3)),
        )
        routing = Routing(self.owners, self.fleet.registry)
        for adapter in self.adapters.values():
            adapter.join_fleet(routing, self.services.shared)
        self.plugins: list[Plugin] = [cls(PluginContext(cls.name, self.services))
                                      for cls in all_classes]
        self.executor = Executor(self.services, self.adapters)
        self.dispatcher = Dispatcher(self.services, self.plugins, self.executor)
        self.keyword_rules = KeywordRuleSync(
            self.store, lambda: self.rulebook.current, self.adapters,
            [getattr(p, "keyword_rules") for p in self.plugins  # noqa: B009
             if callable(getattr(p, "keyword_rules", None))],
            self.clock.now)
        self._watcher: asyncio.Task[None] | None = None
        self._started = False
        self.rulebook.listen(self._on_reload)

    @property
    def fleet(self) -> Fleet:
        """This worker among the others."""
        assert self.services.fleet is not None
        return self.services.fleet

    def _communities(self) -> set[str]:
        """The communities this worker's adapters serve now."""
        return {c for adapter in self.adapters.values() for c in adapter.communities()}

    def _peer_url(self) -> str:
        """Where other workers forward this worker's updates ('' when no adapter takes any)."""
        return next((a.peer_url for a in self.adapters.values() if a.peer_url), "")

    @property
    def scheduler(self) -> Scheduler:
        """The durable job scheduler."""
        return self.services.scheduler

    async def start(self) -> None:
        """Load rules (ConfigError if invalid), open and migrate the store, start everything."""
        self.rulebook.load()
        if self.services.shared is not None:
            await self.services.shared.start()
        await self.store.open()
        try:
            await self.store.migrate("core", CORE_MIGRATIONS)
            for plugin in self.plugins:
                if plugin.migrations:
                    await self.store.migrate(plugin.name, plugin.migrations)
            for plugin in self.plugins:
                await plugin.start()
            await self.executor.slowmode.load()
            await self.fleet.start()
        except BaseException:  # a signal's cancel too: an open store would keep the process
            await self.store.close()
            raise
        self.services.audit.start()
        self.scheduler.start()
        try:
            for adapter in self.adapters.values():
                await adapter.start(self.handle)
                await adapter.publish_commands(self.services.commands.specs, self.catalog)
        except BaseException:
            await self._undo_start()
            raise
        self.keyword_rules.kick()  # platform keyword rules (Discord AutoMod), in the background
        if self.watch:
            self._watcher = asyncio.create_task(self._watch(), name="vigie-watch")
        self._started = True
        log.info("started worker=%s adapters=%s plugins=%s revision=%s", self.worker_id,
                 ",".join(self.adapters), ",".join(p.name for p in self.plugins),
                 self.rulebook.current.revision)

    async def _undo_start(self) -> None:
        """An adapter could not start: stop what did (plugins too), close the store and Redis."""
        for adapter in self.adapters.values():
            with contextlib.suppress(Exception):
                await adapter.stop()
        try:
            await _logged("fleet", self.fleet.stop())
            await _logged("scheduler", self.scheduler.stop())
            for plugin in reversed(self.plugins):
                await _logged(f"plugin {plugin.name}", plugin.stop())
            await _logged("audit", self.services.audit.stop())
        finally:
            await self.store.close()
            if self.services.shared is not None:
                await self.services.shared.close()

    async def _watch(self) -> None:
        try:
            await self.rulebook.watch()
        except Exception:
            log.exception("rule file watcher stopped; use !reload to apply edits")

    async def handle(self, event: Event) -> Report:
        """Run an event through the dispatcher; never raises.

        With several workers on one database, an event is handled only by the worker that holds
        its community (jobs by whichever worker claimed them).
        """
        try:
            if (not isinstance(event, JobDue) and self.owners.enabled
                    and not await self.owners.serve(event.community)):
                log.debug("event %s left to the worker serving %s", event.id, event.community)
                return Report(event)
            return await self.dispatcher.handle(event)
        except Exception as exc:
            log.exception("event failed id=%s type=%s", getattr(event, "id", "?"),
                          type(event).__name__)
            report = Report(event)
            report.errors.append(f"dispatcher: {exc}")
            return report

    def role_of(self, community: str, user: User) -> Role:
        """A member's effective role: the platform's, raised by the rule file's mapping."""
        rules = self.rulebook.current
        return effective_role(user.role, user.id, user.platform_roles,
                              rules.role_lookup(community))

    async def _deliver_job(self, job: JobDue) -> bool:
        """True when a plugin handled the job; a handler's error is raised, to be retried."""
        report = await self.handle(job)
        if report.errors:
            raise RuntimeError("; ".join(report.errors))
        return report.handled

    async def _on_reload(self, outcome: ReloadOutcome) -> None:
        """Tell operators and each community's admins; a refused file names every problem."""
        if outcome.status == "applied":
            self.keyword_rules.kick()
            for adapter in self.adapters.values():
                adapter.notify_operator(f"rules reloaded: revision {outcome.revision} "
                                        f"(was {outcome.previous})")
        if outcome.status not in ("refused", "failed") or outcome.trigger != "file":
            return
        if outcome.error is None:
            text = Msg.of("rules.reload_failed_alert", revision=outcome.revision,
                          error=outcome.failure)
        else:
            issues = [str(i) for i in outcome.error.issues]
            text = Msg.of("rules.reload_refused_alert", count=len(issues),
                          revision=outcome.revision, errors="\n".join(issues[:MAX_ALERT_ERRORS]))
        apart = await self.fleet.disagreement()
        rules = self.rulebook.current
        for community in sorted(set(rules.communities) | self._communities()):
            target = self.executor.adapter_for(community)
            if target is None:
                continue
            settings = rules.community(community)
            said = self.catalog.text(text, settings.language)
            if apart is not None:
                said += "\n" + self.catalog.text(apart, settings.language)
            await target.send_alert(community, settings.alerts_channel, said)

    async def stop(self) -> None:
        """Stop adapters first, then the scheduler and watcher; write what is queued; close."""
        if not self._started:
            return
        self._started = False
        for adapter in self.adapters.values():
            with contextlib.suppress(Exception):
                await adapter.stop()
        await self.keyword_rules.stop()
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        try:  # a failing step (a full disk) is logged; the store is closed whatever happens
            await _logged("fleet", self.fleet.stop())
            await _logged("scheduler", self.scheduler.stop())
            for plugin in reversed(self.plugins):
                await _logged(f"plugin {plugin.name}", plugin.stop())
            await _logged("audit", self.services.audit.stop())
        finally:
            await self.store.close()
            if self.services.shared is not None:
                await self.services.shared.close()
        log.info("stopped")

    async def run_until_closed(self) -> None:
        """Run until every adapter's source has ended (console EOF) or the task is cancelled."""
        waits = [asyncio.create_task(a.closed()) for a in self.adapters.values()]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

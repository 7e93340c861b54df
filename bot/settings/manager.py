"""The live rule file: first load, reload on demand or on change, listeners told of each outcome."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.settings.compile import load_rules
from bot.settings.errors import ConfigError
from bot.settings.ruleset import RuleSet
from bot.settings.schema import SettingsModels

__all__ = ["ReloadOutcome", "RuleBook"]

log = logging.getLogger("vigie.settings")
RETRY_S = 5.0


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """What a reload did: applied a new revision, found nothing new, or refused the file."""

    status: str  # "applied" | "unchanged" | "refused" (invalid file) | "failed" (unexpected)
    revision: str
    previous: str
    error: ConfigError | None = None
    trigger: str = "file"
    failure: str = ""  # for "failed": the exception, as `Type: message`


Listener = Callable[[ReloadOutcome], Awaitable[None]]


class RuleBook:
    """Holds the current RuleSet; swaps it atomically when a valid new file is loaded."""

    def __init__(self, path: Path, models: SettingsModels) -> None:
        self.path = path
        self.models = models
        self._current: RuleSet | None = None
        self._lock = asyncio.Lock()
        self._listeners: list[Listener] = []

    @property
    def current(self) -> RuleSet:
        """The rules in force."""
        if self._current is None:
            raise RuntimeError("the rule file has not been loaded")
        return self._current

    def load(self) -> RuleSet:
        """First load; raise ConfigError if the file is not valid."""
        self._current = load_rules(self.path, self.models)
        log.info("rules loaded file=%s revision=%s", self.path, self._current.revision)
        return self._current

    def listen(self, listener: Listener) -> None:
        """Call `listener` after every reload attempt."""
        self._listeners.append(listener)

    async def reload(self, trigger: str = "file") -> ReloadOutcome:
        """Validate the file fully, then swap; an invalid file leaves the old rules running."""
        async with self._lock:
            previous = self.current
            try:
                loaded = await asyncio.to_thread(load_rules, self.path, self.models)
            except ConfigError as exc:
                outcome = ReloadOutcome("refused", previous.revision, previous.revision, exc,
                                        trigger)
                log.error("rules refused file=%s kept=%s problems=%d first=%r", self.path,
                          previous.revision, len(exc.issues),
                          str(exc.issues[0]) if exc.issues else "")
            except Exception as exc:  # a bug must not stop reloads nor the watcher
                failure = f"{type(exc).__name__}: {exc}"[:300]
                outcome = ReloadOutcome("failed", previous.revision, previous.revision,
                                        trigger=trigger, failure=failure)
                log.exception("rules reload failed file=%s kept=%s trigger=%s", self.path,
                              previous.revision, trigger)
            else:
                if loaded.revision == previous.revision:
                    outcome = ReloadOutcome("unchanged", previous.revision, previous.revision,
                                            trigger=trigger)
                else:
                    self._current = loaded
                    outcome = ReloadOutcome("applied", loaded.revision, previous.revision,
                                            trigger=trigger)
                    log.info("rules reloaded file=%s revision=%s previous=%s trigger=%s",
                             self.path, loaded.revision, previous.revision, trigger)
        for listener in self._listeners:
            try:
                await listener(outcome)
            except Exception:
                log.exception("reload listener failed")
        return outcome

    async def watch(self, debounce_ms: int = 150, retry_s: float = RETRY_S) -> None:
        """Reload whenever the file changes (editors that replace the file are handled); an
        error is logged and the watch resumes, so only cancelling stops it."""
        from watchfiles import awatch

        target = self.path.resolve()
        directory = target.parent

        def concerns_rule_file(_change: object, changed: str) -> bool:
            return Path(changed).resolve() == target

        while True:
            try:
                async for _changes in awatch(directory, watch_filter=concerns_rule_file,
                                             debounce=debounce_ms, step=50, recursive=False):
                    if target.exists():
                        await self.reload("file")
            except Exception:
                log.exception("rule file watcher failed; watching again in %ss", retry_s)
            await asyncio.sleep(retry_s)

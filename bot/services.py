"""Core services shared by the dispatcher, the executor and every plugin."""

from __future__ import annotations

from dataclasses import dataclass

from bot.audit import AuditLog
from bot.cases import CaseLog
from bot.clock import Clock
from bot.commands.registry import CommandRegistry
from bot.fleet import Fleet
from bot.history import History
from bot.i18n import Catalog
from bot.kv import KeyValue
from bot.members import MemberDirectory
from bot.scheduler import Scheduler
from bot.settings.brands import Brands
from bot.settings.manager import RuleBook
from bot.shared import SharedWindows
from bot.storage import Store

__all__ = ["Services"]


@dataclass
class Services:
    """Built once by the App; plugins reach the core only through these."""

    clock: Clock
    catalog: Catalog
    rulebook: RuleBook
    store: Store
    scheduler: Scheduler
    cases: CaseLog
    audit: AuditLog
    members: MemberDirectory
    history: History
    commands: CommandRegistry
    shared: SharedWindows | None = None  # Redis windows, when VIGIE_REDIS_URL is set
    fleet: Fleet | None = None  # this worker among the others (workers table, reload notices)

    @property
    def brands(self) -> Brands:
        """The brand groups of the rules in force (see bot/settings/brands.py)."""
        return self.rulebook.current.brands

    def kv(self, namespace: str) -> KeyValue:
        """Key-value data under `namespace`."""
        return KeyValue(self.store, self.clock, namespace)

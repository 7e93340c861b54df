"""What every part of the plugin shares: the tracker, the alert table, texts and settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from bot.events import User
from bot.permissions import Role, effective_role
from bot.plugin import EventContext, Plugin, PluginContext
from plugins.escalation.alerts import AlertStore
from plugins.escalation.render import Writer
from plugins.escalation.settings import EscalationSettings
from plugins.escalation.state import Tracker

__all__ = ["CHECK_JOB", "TIMEOUT_RULE", "UNLOCK_JOB", "EscalationBase", "check_key"]

TIMEOUT_RULE = "step3.timeout"
CHECK_JOB = "escalation.check"
UNLOCK_JOB = "escalation.unlock"
MIN_CHECK = timedelta(seconds=30)


def check_key(community: str, channel: str) -> str:
    """Key of the job that looks again at a channel under our slowmode (one pending)."""
    return f"escalation:check:{community}:{channel}"


class EscalationBase(Plugin):
    """State shared by the hooks, the buttons and the commands."""

    name: ClassVar[str] = "escalation"

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.tracker = Tracker()
        self.alerts = AlertStore(ctx.services.store)
        self.writer = Writer(ctx.services.catalog)

    def now(self) -> datetime:
        """The clock's time (event time during a replay)."""
        return self.ctx.services.clock.now()

    def settings_at(self, ctx: EventContext, community: str, channel: str) -> EscalationSettings:
        """The section as it applies in a channel (for jobs, buttons and commands elsewhere)."""
        section: Any = getattr(ctx.rules.effective(community, channel), self.name)
        assert isinstance(section, EscalationSettings)
        return section

    def is_staff(self, user: User, ctx: EventContext, community: str) -> bool:
        """CMs, admins and bots are never sanctioned by escalation."""
        role = effective_role(user.role, user.id, user.platform_roles,
                              ctx.rules.role_lookup(community))
        return user.is_bot or role >= Role.CM

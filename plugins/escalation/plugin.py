"""The escalation plugin: its hooks, buttons, commands, table, settings and messages."""

from __future__ import annotations

from pathlib import Path

from plugins.escalation.alerts import MIGRATIONS
from plugins.escalation.buttons import ButtonHooks
from plugins.escalation.commands import Commands
from plugins.escalation.ladder import LadderHooks
from plugins.escalation.reading import ReadingHooks
from plugins.escalation.settings import EscalationSettings

__all__ = ["EscalationPlugin"]


class EscalationPlugin(ReadingHooks, LadderHooks, ButtonHooks, Commands):
    """Notices heated exchanges early and calms them step by step, then hands over to CMs."""

    name = "escalation"
    settings_model = EscalationSettings
    migrations = MIGRATIONS
    messages_file = Path(__file__).with_name("messages.yaml")

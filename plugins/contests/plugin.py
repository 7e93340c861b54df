"""The contests plugin: its commands, entry hooks, jobs, tables, settings and messages."""

from __future__ import annotations

from pathlib import Path

from plugins.contests.commands import ContestCommands
from plugins.contests.schema import MIGRATIONS
from plugins.contests.settings import ContestsSettings

__all__ = ["ContestsPlugin"]


class ContestsPlugin(ContestCommands):
    """Contests (giveaways) with requirements, across communities, and a verifiable draw."""

    name = "contests"
    settings_model = ContestsSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

"""The moderation plugin: its commands, the ladder, its settings and messages."""

from __future__ import annotations

from pathlib import Path

from plugins.moderation.caselog import CaseCommands
from plugins.moderation.channels import ChannelCommands
from plugins.moderation.ladder import Ladder
from plugins.moderation.sanctions import SanctionCommands
from plugins.moderation.settings import ModerationSettings

__all__ = ["ModerationPlugin"]


class ModerationPlugin(SanctionCommands, ChannelCommands, CaseCommands, Ladder):
    """CM commands with a case log, and the sanction ladder."""

    name = "moderation"
    settings_model = ModerationSettings
    messages_file = Path(__file__).with_name("messages.yaml")

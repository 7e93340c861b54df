"""The publishing plugin: scheduled posts from the rule file and from chat, on every platform."""

from __future__ import annotations

from pathlib import Path

from plugins.publishing.commands import PostCommands
from plugins.publishing.schema import MIGRATIONS
from plugins.publishing.settings import PublishingFile, PublishingSettings

__all__ = ["PublishingPlugin"]


class PublishingPlugin(PostCommands):
    """Posts in French and English, to brands and channels, once or recurring, exactly once."""

    name = "publishing"
    settings_model = PublishingSettings
    top_level_model = PublishingFile
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

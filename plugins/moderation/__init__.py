"""Moderation: CM commands, the case log, and the sanction ladder."""

from plugins.moderation.plugin import ModerationPlugin

PLUGIN = ModerationPlugin

__all__ = ["PLUGIN", "ModerationPlugin"]

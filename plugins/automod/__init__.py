"""Automod: word lists and patterns that cannot be fooled, links, floods, raids."""

from plugins.automod.plugin import AutomodPlugin

PLUGIN = AutomodPlugin

__all__ = ["PLUGIN", "AutomodPlugin"]

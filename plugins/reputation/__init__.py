"""Reputation watch: what members say about the brand, and a warning before a bad buzz."""

from plugins.reputation.plugin import ReputationPlugin

PLUGIN = ReputationPlugin

__all__ = ["PLUGIN", "ReputationPlugin"]

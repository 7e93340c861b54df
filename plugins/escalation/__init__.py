"""Conflict escalation: notice a heated exchange early and calm it step by step."""

from plugins.escalation.plugin import EscalationPlugin

PLUGIN = EscalationPlugin

__all__ = ["PLUGIN", "EscalationPlugin"]

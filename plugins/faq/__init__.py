"""FAQ answers: members' questions answered from the rule file, only when the match is confident."""

from plugins.faq.plugin import FaqPlugin

PLUGIN = FaqPlugin

__all__ = ["PLUGIN", "FaqPlugin"]

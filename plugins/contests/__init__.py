"""Contests (giveaways): entry by button, reaction, command or keyword; a draw anyone can verify."""

from plugins.contests.plugin import ContestsPlugin

PLUGIN = ContestsPlugin

__all__ = ["PLUGIN", "ContestsPlugin"]

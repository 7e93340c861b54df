"""Polls: native polls on every platform of a brand, ended on time, results summed everywhere."""

from plugins.polls.plugin import PollsPlugin

PLUGIN = PollsPlugin

__all__ = ["PLUGIN", "PollsPlugin"]

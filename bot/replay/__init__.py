"""`vigie replay`: past events through the rules, without touching any platform."""

from bot.replay.readers import (
    FORMATS,
    Malformed,
    Read,
    ReplayInputError,
    detect_format,
    read_events,
)
from bot.replay.report import Change, signature, write_changes, write_decisions, write_summary
from bot.replay.runner import Outcome, ReplayAdapter, Replayer, Summary

__all__ = ["FORMATS", "Change", "Malformed", "Outcome", "Read", "ReplayAdapter",
           "ReplayInputError", "Replayer", "Summary", "detect_format", "read_events",
           "signature", "write_changes", "write_decisions", "write_summary"]

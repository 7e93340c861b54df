"""Vigie core: events, actions, dispatcher, rule file, storage, scheduler and adapters."""

__version__ = "0.1.0"

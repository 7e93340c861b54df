"""Events: announced everywhere with an "I'll be there" button, reminders, closing attendance."""

from plugins.events.plugin import EventsPlugin

PLUGIN = EventsPlugin

__all__ = ["PLUGIN", "EventsPlugin"]

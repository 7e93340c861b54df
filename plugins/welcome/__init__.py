"""Welcome: greets newcomers with the community's rules and FAQ topics; grouped in a burst."""

from plugins.welcome.plugin import WelcomePlugin

PLUGIN = WelcomePlugin

__all__ = ["PLUGIN", "WelcomePlugin"]

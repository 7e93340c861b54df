"""The web dashboard: a core service that CMs open from a one-time link (`!dashboard`)."""

from bot.web.plugin import DashboardPlugin, LinkDm
from bot.web.settings import WebFile, effective_web

__all__ = ["DashboardPlugin", "LinkDm", "WebFile", "effective_web"]

"""Analytics: activity, growth, answers and moderation figures; `!stats` and reports."""

from plugins.analytics.plugin import AnalyticsPlugin

PLUGIN = AnalyticsPlugin

__all__ = ["PLUGIN", "AnalyticsPlugin"]

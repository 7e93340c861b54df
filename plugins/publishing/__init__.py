"""Scheduled posts: FR/EN texts to brands and channels, once or recurring, sent exactly once."""

from plugins.publishing.plugin import PublishingPlugin

PLUGIN = PublishingPlugin

__all__ = ["PLUGIN", "PublishingPlugin"]

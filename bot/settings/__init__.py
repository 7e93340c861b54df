"""The rule file: models, loading with positions, validation as merged, effective settings."""

from bot.settings.compile import compile_source, load_rules, parse_rules, revision_of
from bot.settings.errors import ConfigError, ConfigIssue
from bot.settings.models import CommandSettings, CoreSettings, PluginSettings, StrictModel, When
from bot.settings.ruleset import RuleSet
from bot.settings.schema import SettingsModels, build_models

__all__ = [
    "CommandSettings",
    "ConfigError",
    "ConfigIssue",
    "CoreSettings",
    "PluginSettings",
    "RuleSet",
    "SettingsModels",
    "StrictModel",
    "When",
    "build_models",
    "compile_source",
    "load_rules",
    "parse_rules",
    "revision_of",
]

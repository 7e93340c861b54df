"""Assemble the rule file's models from the core sections, the loaded plugins and the commands."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from bot.settings.brands import Brands
from bot.settings.models import CommandSettings, CoreSettings, PluginSettings, StrictModel, When

__all__ = ["OverrideShape", "RuleFileShape", "SettingsModels", "build_models"]


class OverrideShape(StrictModel):
    """An override as written: a name, conditions, and a partial community section."""

    name: str | None = Field(None, description="A label shown in explanations.")
    when: When = Field(description="Conditions under which `set` applies.")
    set: dict[str, Any] = Field(description="Settings applied on top when `when` holds.")


class RuleFileShape(StrictModel):
    """The top level of the rule file, before layers are merged."""

    version: Literal[1] = Field(1, description="Rule-file format version.")
    defaults: dict[str, Any] = Field(default_factory=dict)
    communities: dict[str, dict[str, Any] | None] = Field(default_factory=dict)
    overrides: tuple[OverrideShape, ...] = ()
    brands: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class SettingsModels:
    """The community settings model for this set of plugins and commands, and its schema."""

    community: type[CoreSettings]
    plugin_sections: tuple[str, ...]
    command_names: tuple[str, ...]
    top_level: tuple[tuple[str, type[BaseModel]], ...] = ()
    """Plugin sections written once at the top of the file (e.g. `publishing`), by name."""

    def json_schema(self) -> dict[str, Any]:
        """JSON Schema of the whole rule file, for editor completion."""
        layer = create_model(
            "CommunityLayer",
            __base__=self.community,
            extends=(str | None, Field(None, description="Inherit another community's settings.")),
        )
        override = create_model(
            "Override",
            __base__=StrictModel,
            name=(str | None, Field(None, description="A label shown in explanations.")),
            when=(When, Field(description="Conditions under which `set` applies.")),
            set=(self.community, Field(description="Settings applied when `when` holds.")),
        )
        tops: dict[str, Any] = {name: (model | None, Field(None, description=model.__doc__))
                                for name, model in self.top_level}
        root: type[BaseModel] = create_model(
            "VigieRuleFile",
            __base__=StrictModel,
            version=(Literal[1], Field(1, description="Rule-file format version.")),
            defaults=(self.community, Field(default_factory=self.community)),
            communities=(dict[str, layer], Field(default_factory=dict)),
            overrides=(tuple[override, ...], ()),
            brands=(Brands, Field(default_factory=Brands, description=Brands.__doc__)),
            **tops,
        )
        schema = root.model_json_schema(by_alias=True)
        schema["patternProperties"] = {"^x-": {
            "description": "Ignored by Vigie: a place for YAML anchors (&name) that other "
                           "mappings merge with `<<: *name`."}}
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "Vigie rule file"
        return schema

    def json_schema_text(self) -> str:
        """The schema as indented JSON."""
        return json.dumps(self.json_schema(), indent=2, ensure_ascii=False)


def build_models(
    plugin_sections: Mapping[str, type[PluginSettings]], command_names: Iterable[str],
    top_level: Mapping[str, type[BaseModel]] | None = None,
) -> SettingsModels:
    """Build the community settings model: core fields, `commands`, one section per plugin."""
    names = tuple(sorted(set(command_names)))
    command_fields: dict[str, Any] = {
        name: (CommandSettings, Field(default_factory=CommandSettings)) for name in names}
    commands_model: type[BaseModel] = create_model(
        "CommandsSettings", __base__=StrictModel, **command_fields)
    sections: dict[str, Any] = {
        name: (model, Field(default_factory=model, description=model.__doc__))
        for name, model in sorted(plugin_sections.items())
    }
    community = create_model(
        "CommunitySettings",
        __base__=CoreSettings,
        commands=(commands_model, Field(default_factory=commands_model)),
        **sections,
    )
    return SettingsModels(community, tuple(sorted(plugin_sections)), names,
                          tuple(sorted((top_level or {}).items())))

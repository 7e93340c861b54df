"""Validate a parsed rule file completely and build its RuleSet, or report every problem."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.permissions import Role
from bot.settings.brands import BRAND_NAME, Brand, Brands
from bot.settings.errors import ConfigError, ConfigIssue
from bot.settings.explain import did_you_mean, explain
from bot.settings.merge import Origins, deep_merge, origins_of
from bot.settings.models import CoreSettings, PluginSettings, When, check_qualified_id
from bot.settings.ruleset import CompiledOverride, RuleSet
from bot.settings.schema import OverrideShape, RuleFileShape, SettingsModels
from bot.settings.source import Source, load_source, parse_source

__all__ = ["compile_source", "load_rules", "parse_rules", "revision_of"]

Path_ = tuple[str | int, ...]
MAX_COMBINATIONS = 200_000
FORBIDDEN_IN_OVERRIDES = ("roles",)
EXTENSION_PREFIX = "x-"  # top-level keys Vigie ignores: a place for YAML anchors


def revision_of(content: bytes) -> str:
    """The revision of a rule file: a short hash of its bytes."""
    return hashlib.sha256(content).hexdigest()[:12]


def load_rules(path: Path, models: SettingsModels) -> RuleSet:
    """Read, parse and validate the rule file at `path`."""
    return compile_source(load_source(path), models)


def parse_rules(content: bytes, name: str, models: SettingsModels) -> RuleSet:
    """Parse and validate rule-file bytes."""
    return compile_source(parse_source(content, name), models)


class _Checker:
    """Collects issues while the file is checked layer by layer."""

    def __init__(self, source: Source, models: SettingsModels) -> None:
        self.source = source
        self.models = models
        self.issues: dict[tuple[Any, ...], ConfigIssue] = {}

    def add(self, path: Path_, message: str, severity: str = "error", context: str = "") -> None:
        """Record an issue once, whatever merged layer revealed it."""
        issue = self.source.issue(path, message, severity)
        key = (issue.line, issue.col, issue.path, issue.message)
        if context:
            issue = self.source.issue(path, f"{message} ({context})", severity)
        self.issues.setdefault(key, issue)

    def validate(self, model: type[BaseModel], data: Any, origins: Origins,
                 context: str = "", own: Path_ = ()) -> BaseModel | None:
        """Validate `data`; map each error back to the file through `origins`.

        An error found outside the layer being checked (`own`) gets `context` appended, since it
        only appears once the layers are merged.
        """
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                path = self._file_path(tuple(error["loc"]), origins, data)
                inside = path[: len(own)] == own
                self.add(path, explain(error, model), context="" if inside else context)
            return None

    def warn_sections(self, settings: BaseModel | None, data: Any, origins: Origins) -> None:
        """Record what each plugin section reports as doubtful, as warnings."""
        if not isinstance(settings, CoreSettings):
            return
        for name in self.models.plugin_sections:
            section = getattr(settings, name, None)
            if not isinstance(section, PluginSettings):
                continue
            for where, message in section.config_warnings():
                path = self._file_path((name, *where), origins, data)
                self.add(path, message, severity="warning")

    @staticmethod
    def _file_path(loc: tuple[Any, ...], origins: Origins, data: Any) -> Path_:
        """Follow `loc` through the data (skipping union tags) and translate it to a file path."""
        walked: list[str | int] = []
        node = data
        for part in loc:
            present = (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
            if present:
                node = node[part]
                walked.append(part)
            elif isinstance(node, dict | list):
                walked.append(part)
                node = None
            else:
                continue
        for end in range(len(walked), -1, -1):
            found = origins.get(tuple(walked[:end]))
            if found is not None:
                return (*found, *walked[end:])
        return tuple(walked)


def compile_source(source: Source, models: SettingsModels) -> RuleSet:
    """Check every layer as merged and build the RuleSet; raise ConfigError listing every issue."""
    check = _Checker(source, models)
    defaults_raw, communities, overrides_shape = _top_level(check, source.data)
    defaults_origins = origins_of(defaults_raw, ("defaults",))
    fallback = check.validate(models.community, defaults_raw, defaults_origins)

    communities_raw, communities_origins = _merge_communities(check, communities, defaults_raw,
                                                              defaults_origins)
    base: dict[str, CoreSettings] = {}
    for community, raw in communities_raw.items():
        settings = check.validate(models.community, raw, communities_origins[community],
                                  f"in community {community}", ("communities",))
        if isinstance(settings, CoreSettings):
            base[community] = settings

    for settings, raw, origins in [(fallback, defaults_raw, defaults_origins),
                                   *((base[c], communities_raw[c], communities_origins[c])
                                     for c in base)]:
        check.warn_sections(settings, raw, origins)

    overrides = tuple(_check_overrides(check, overrides_shape, defaults_raw, defaults_origins,
                                       communities_raw, communities_origins))
    brands, top = _check_top_sections(check, source.data)
    errors = [i for i in check.issues.values() if i.severity == "error"]
    if errors or not isinstance(fallback, CoreSettings):
        raise ConfigError(errors)
    warnings = tuple(i for i in check.issues.values() if i.severity != "error")
    return RuleSet(
        file=source.file, revision=revision_of(source.content), models=models,
        defaults_raw=defaults_raw, communities_raw=communities_raw, overrides=overrides,
        base=base, fallback=fallback, warnings=warnings, brands=brands, top=top,
    )


def _check_top_sections(check: _Checker,
                        data: dict[str, Any]) -> tuple[Brands, dict[str, BaseModel]]:
    """`brands` and the plugins' top-level sections; each may check itself against the brands
    (`config_issues(brands)` -> [(path inside the section, message)])."""
    raw = data.get("brands") or {}
    found: dict[str, Brand] = {}
    if not isinstance(raw, dict):
        check.add(("brands",), "expected a mapping of brand names to {communities: [...]}")
        raw = {}
    for name, item in raw.items():
        where = ("brands", name)
        if not isinstance(name, str) or not BRAND_NAME.fullmatch(name):
            check.add(where, f"brand name {name!r}: 1 to 32 lower-case letters, digits, '-' or "
                      "'_', starting with a letter or digit")
            name = ""
        brand = check.validate(Brand, item, origins_of(item, where), own=where)
        if isinstance(brand, Brand) and name:
            found[str(name)] = brand
    brands = Brands.model_construct(found)
    top: dict[str, BaseModel] = {}
    for name, model in check.models.top_level:
        if data.get(name) is None:
            continue
        section = check.validate(model, data[name], origins_of(data[name], (name,)), own=(name,))
        if section is None:
            continue
        top[name] = section
        issues = getattr(section, "config_issues", None)
        for where, message in (issues(brands) if issues is not None else []):
            check.add((name, *where), message)
    return brands, top


def _top_level(
    check: _Checker, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[int, OverrideShape, bool]]]:
    """Check the top-level keys one by one, so that one bad section hides no other problem."""
    known = [*RuleFileShape.model_fields, *(name for name, _ in check.models.top_level)]
    for key in data:
        if key not in known and not key.startswith(EXTENSION_PREFIX):
            hint = did_you_mean(key, known) or f" (expected one of: {', '.join(known)})"
            check.add((key,), f"unknown key '{key}'{hint}")
    if data.get("version", 1) != 1:
        check.add(("version",), f"expected 1, got {data.get('version')!r}: this Vigie reads "
                  "version 1 rule files")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        check.add(("defaults",), f"expected a mapping of settings, got {defaults!r}")
        defaults = {}
    communities = data.get("communities") or {}
    if not isinstance(communities, dict):
        check.add(("communities",), "expected a mapping of community ids to settings")
        communities = {}
    raw_overrides = data.get("overrides") or []
    if not isinstance(raw_overrides, list):
        check.add(("overrides",), "expected a list of overrides (- when: ... set: ...)")
        raw_overrides = []
    overrides = []
    for index, item in enumerate(raw_overrides):
        where = ("overrides", index)
        shaped = check.validate(OverrideShape, item, origins_of(item, where), own=where)
        if isinstance(shaped, OverrideShape):
            overrides.append((index, shaped, True))
        elif isinstance(item, dict) and isinstance(item.get("set"), dict):
            # Its conditions are broken, but what it sets is still checked on every base.
            overrides.append((index, OverrideShape.model_construct(when=When(), set=item["set"]),
                              False))
    return defaults, communities, overrides


def _merge_communities(
    check: _Checker, communities: dict[str, Any], defaults_raw: dict[str, Any],
    defaults_origins: Origins,
) -> tuple[dict[str, dict[str, Any]], dict[str, Origins]]:
    """Each listed community merged on the defaults, following `extends` chains."""
    layers: dict[str, dict[str, Any]] = {}
    for community, layer in communities.items():
        try:
            check_qualified_id(community, "community")
        except ValueError as exc:
            check.add(("communities", community), str(exc))  # its settings are still checked
        if layer is not None and not isinstance(layer, dict):
            check.add(("communities", community), "expected a mapping of settings")
            continue
        layers[community] = dict(layer or {})

    merged: dict[str, dict[str, Any]] = {}
    merged_origins: dict[str, Origins] = {}
    for community in layers:
        # A broken `extends` is reported; the community's own settings are still checked.
        chain = _extends_chain(check, community, layers) or [community]
        raw, origins = dict(defaults_raw), dict(defaults_origins)
        for ancestor in reversed(chain):
            own = {k: v for k, v in layers[ancestor].items() if k != "extends"}
            raw = deep_merge(raw, own)
            origins_of(own, ("communities", ancestor), origins)
        merged[community] = raw
        merged_origins[community] = origins
    return merged, merged_origins


def _extends_chain(check: _Checker, community: str,
                   layers: dict[str, dict[str, Any]]) -> list[str] | None:
    """[community, parent, grandparent, ...]; None (with an issue) for cycles and unknown ids."""
    chain = [community]
    current = community
    while True:
        parent = layers[current].get("extends")
        if parent is None:
            return chain
        where = ("communities", current, "extends")
        if not isinstance(parent, str):
            check.add(where, f"expected a community id, got {parent!r}")
            return None
        if parent not in layers:
            check.add(where, f"unknown community '{parent}'{did_you_mean(parent, layers)}")
            return None
        if parent in chain:
            cycle = " -> ".join([*chain, parent])
            check.add(where, f"circular extends: {cycle}")
            return None
        chain.append(parent)
        current = parent


def _check_overrides(
    check: _Checker, overrides: list[tuple[int, OverrideShape, bool]],
    defaults_raw: dict[str, Any],
    defaults_origins: Origins, communities_raw: dict[str, dict[str, Any]],
    communities_origins: dict[str, Origins],
) -> list[CompiledOverride]:
    """Check each override's conditions and validate it merged on every base it can apply to."""
    compiled = []
    for index, override, usable in overrides:
        where: Path_ = ("overrides", index)
        label = override.name or f"#{index + 1}"
        # A problem with the conditions or a forbidden key still lets `set` be checked below.
        if usable and override.when.is_empty():
            check.add((*where, "when"), "an override needs at least one condition; settings "
                      "that apply everywhere belong in `defaults`")
            usable = False
        elif usable and not _satisfiable(override.when):
            check.add((*where, "when"), "these conditions contradict each other: this override "
                      "can never apply")
            usable = False
        bad = [key for key in FORBIDDEN_IN_OVERRIDES if key in override.set]
        for key in bad:
            check.add((*where, "set", key), f"'{key}' cannot be set in an override: the role "
                      "mapping decides which overrides apply; set it in defaults or a community")
        layer = {key: value for key, value in override.set.items() if key not in bad}
        targets = override.when.named("community") if _restricts_community(override.when) else None
        bases: list[tuple[str, dict[str, Any], Origins]] = []
        if targets is None or any(t not in communities_raw for t in targets):
            bases.append(("for communities the file does not list", defaults_raw,
                          defaults_origins))
        for community, raw in communities_raw.items():
            if targets is None or community in targets:
                bases.append((f"in community {community}", raw, communities_origins[community]))
        valid = True
        for context, raw, origins in bases:
            merged_origins = dict(origins)
            origins_of(layer, (*where, "set"), merged_origins)
            result = check.validate(check.models.community, deep_merge(raw, layer),
                                    merged_origins, f"with override {label} {context}", where)
            valid = valid and result is not None
        if valid and usable and not bad:
            compiled.append(CompiledOverride(index, label, override.when, override.set))
    return compiled


def _restricts_community(when: When) -> bool:
    """True when the override can only apply to the communities its top level names."""
    return when.community is not None


def _satisfiable(when: When) -> bool:
    """Whether some (community, channel, user, role) satisfies `when`; checked exhaustively."""
    communities = [*sorted(when.named("community")), "\0other"]
    channels = [*sorted(when.named("channel")), "\0other"]
    users = [*sorted(when.named("user")), "\0other"]
    if len(communities) * len(channels) * len(users) * len(Role) > MAX_COMBINATIONS:
        return True
    return any(
        when.matches(community, channel, user, role)
        for community, channel, user, role in itertools.product(communities, channels, users,
                                                                list(Role))
    )

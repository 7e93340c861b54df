"""Plugin discovery: packages under plugins/ exporting PLUGIN, and `vigie.plugins` entry points."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

import bot.discovery
import plugins
from bot.discovery import ENTRY_POINT_GROUP, discover_plugins
from bot.plugin import Plugin
from plugins.moderation import ModerationPlugin


class Extra(Plugin):
    """A plugin shipped by another distribution."""

    name: ClassVar[str] = "extra"


class Another(Plugin):
    """A second external plugin."""

    name: ClassVar[str] = "another"


class Impostor(Plugin):
    """Claims a name that is already taken."""

    name: ClassVar[str] = "moderation"


class Nameless(Plugin):
    """Forgot to set its name."""


class BadName(Plugin):
    """Its name is not an identifier."""

    name: ClassVar[str] = "bad-name"


class NotAPlugin:
    """Has a name but is no Plugin."""

    name = "imposter"


@dataclass
class FakeEntryPoint:
    """Just what discovery uses of importlib.metadata.EntryPoint."""

    name: str
    value: str
    loader: Callable[[], Any]

    def load(self) -> Any:
        return self.loader()


def point(name: str, target: Any) -> FakeEntryPoint:
    return FakeEntryPoint(name, f"somewhere:{name}", lambda: target)


def failing(name: str, error: Exception) -> FakeEntryPoint:
    def load() -> Any:
        raise error
    return FakeEntryPoint(name, f"broken_dist.module:{name}", load)


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> list[FakeEntryPoint]:
    """The entry points discovery will see (empty unless a test adds some)."""
    points: list[FakeEntryPoint] = []
    groups: list[str] = []

    def fake(*, group: str) -> list[FakeEntryPoint]:
        groups.append(group)
        return points if group == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(bot.discovery, "entry_points", fake)
    return points


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder searched as part of the `plugins` package; what it imported is forgotten after."""
    folder = tmp_path / "more_plugins"
    folder.mkdir()
    monkeypatch.setattr(plugins, "__path__", [*plugins.__path__, str(folder)])
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        if name.startswith("plugins."):
            del sys.modules[name]
            if hasattr(plugins, name.split(".")[1]):
                delattr(plugins, name.split(".")[1])


def add_package(folder: Path, name: str, source: str) -> None:
    package = folder / name
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")


def test_bundled_plugins_are_found_and_load_cleanly(entry_points: list[FakeEntryPoint]) -> None:
    """Every package in plugins/ that exports PLUGIN is found, sorted by name, with no errors."""
    errors: list[str] = []
    found = discover_plugins(errors)
    assert errors == []
    assert ModerationPlugin in found
    assert [p.name for p in found] == sorted(p.name for p in found)
    assert all(issubclass(p, Plugin) and p.name for p in found)


def test_package_plugins_export_plugin(plugin_dir: Path,
                                       entry_points: list[FakeEntryPoint]) -> None:
    """A package with PLUGIN is loaded; one without is ignored silently; modules are ignored."""
    add_package(plugin_dir, "zz_greeter", """
        from typing import ClassVar
        from bot.plugin import Plugin

        class Greeter(Plugin):
            name: ClassVar[str] = "greeter"

        PLUGIN = Greeter
    """)
    add_package(plugin_dir, "zz_helpers", "VALUE = 1\n")
    (plugin_dir / "zz_module.py").write_text("raise RuntimeError('never imported')\n")
    errors: list[str] = []
    found = discover_plugins(errors)
    assert errors == []
    assert "greeter" in [p.name for p in found]
    assert ModerationPlugin in found


def test_package_that_fails_to_import_is_reported_and_skipped(
        plugin_dir: Path, entry_points: list[FakeEntryPoint]) -> None:
    """An import error names the package; the other plugins still load."""
    add_package(plugin_dir, "zz_broken", "import does_not_exist_anywhere\n")
    add_package(plugin_dir, "zz_wrong", "PLUGIN = 42\n")
    errors: list[str] = []
    found = discover_plugins(errors)
    assert ModerationPlugin in found
    assert len(errors) == 2
    assert errors[0].startswith("plugins.zz_broken: ModuleNotFoundError")
    assert "does_not_exist_anywhere" in errors[0]
    assert errors[1].startswith("plugins.zz_wrong: PluginLoadError")
    assert "must be a Plugin subclass" in errors[1]


def test_entry_point_plugins_are_loaded(entry_points: list[FakeEntryPoint]) -> None:
    """Plugins of other distributions come in through the `vigie.plugins` group."""
    entry_points += [point("extra", Extra), point("another", Another)]
    errors: list[str] = []
    found = discover_plugins(errors)
    assert errors == []
    assert Extra in found and Another in found and ModerationPlugin in found
    assert [p.name for p in found] == sorted(p.name for p in found)


def test_only_the_vigie_group_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discovery asks importlib.metadata for its own group."""
    asked: list[str] = []

    def fake(*, group: str) -> list[FakeEntryPoint]:
        asked.append(group)
        return []

    monkeypatch.setattr(bot.discovery, "entry_points", fake)
    discover_plugins()
    assert asked == ["vigie.plugins"]


@pytest.mark.parametrize(("target", "message"), [
    (NotAPlugin, "must be a Plugin subclass with a name"),
    (Nameless, "must be a Plugin subclass with a name"),
    (BadName, "plugin name 'bad-name' must be an identifier"),
    ("a string", "must be a Plugin subclass"),
])
def test_entry_point_that_is_not_a_plugin_is_reported(
        entry_points: list[FakeEntryPoint], target: Any, message: str) -> None:
    """Whatever is not a named Plugin subclass is refused with the entry point named."""
    entry_points += [point("odd", target), point("extra", Extra)]
    errors: list[str] = []
    found = discover_plugins(errors)
    assert Extra in found and target not in found
    [error] = errors
    assert error.startswith("entry point odd (somewhere:odd): PluginLoadError")
    assert message in error


def test_entry_point_that_raises_on_import_is_reported(
        entry_points: list[FakeEntryPoint], caplog: pytest.LogCaptureFixture) -> None:
    """A plugin that crashes on load is skipped, named and logged; the others load."""
    entry_points += [failing("crashy", ImportError("No module named 'broken_dist'")),
                     point("extra", Extra),
                     failing("angry", RuntimeError("config missing"))]
    errors: list[str] = []
    found = discover_plugins(errors)
    assert Extra in found
    assert errors == [
        "entry point crashy (broken_dist.module:crashy): ImportError: "
        "No module named 'broken_dist'",
        "entry point angry (broken_dist.module:angry): RuntimeError: config missing",
    ]
    logged = [r.getMessage() for r in caplog.records if r.name == "vigie.plugins"]
    assert any("crashy" in line for line in logged)


def test_second_plugin_with_a_taken_name_is_refused(entry_points: list[FakeEntryPoint]) -> None:
    """An entry point cannot replace a bundled plugin, nor another entry point."""
    twin = type("Twin", (Plugin,), {"name": "extra"})
    entry_points += [point("impostor", Impostor), point("extra", Extra), point("twin", twin)]
    errors: list[str] = []
    found = discover_plugins(errors)
    assert ModerationPlugin in found and Impostor not in found
    assert Extra in found and twin not in found
    assert [p.name for p in found].count("moderation") == 1
    assert [p.name for p in found].count("extra") == 1
    assert errors == [
        "entry point impostor (somewhere:impostor): a plugin named 'moderation' is already "
        "loaded",
        "entry point twin (somewhere:twin): a plugin named 'extra' is already loaded",
    ]


def test_same_plugin_found_twice_is_not_an_error(entry_points: list[FakeEntryPoint]) -> None:
    """The bundled package also published as an entry point (an editable install) is one plugin."""
    entry_points.append(point("moderation", ModerationPlugin))
    errors: list[str] = []
    found = discover_plugins(errors)
    assert errors == []
    assert found.count(ModerationPlugin) == 1


def test_errors_are_logged_when_no_list_is_given(entry_points: list[FakeEntryPoint],
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """Without an errors list, problems still reach the log."""
    entry_points.append(failing("crashy", RuntimeError("nope")))
    found = discover_plugins()
    assert ModerationPlugin in found
    assert any("plugin not loaded" in r.getMessage() and "crashy" in r.getMessage()
               for r in caplog.records)

"""The message catalogs: complete in fr and en, consistent, and covering every key the code uses."""

from __future__ import annotations

import ast
import re
import string
from datetime import timedelta
from pathlib import Path

import pytest

from bot.actions import Action
from bot.builtin import CorePlugin
from bot.discovery import discover_plugins
from bot.durations import format_duration
from bot.i18n import CORE_MESSAGES, LANGUAGES, Catalog, CatalogError, Msg, load_messages
from bot.permissions import Role
from bot.plugin import Plugin
from bot.web.plugin import DashboardPlugin

ROOT = Path(__file__).resolve().parents[1]
# A catalog key given literally: Msg.of("k"...), Msg("k"...), something.reply("k"...).
KEY_USE = re.compile(r"""(?:\bMsg\.of|\bMsg|\.reply)\(\s*["']([A-Za-z0-9_.]+)["']""")


def all_plugins() -> list[type[Plugin]]:
    return [CorePlugin, DashboardPlugin, *discover_plugins()]


def full_catalog() -> Catalog:
    """The core catalog plus every discovered plugin's messages, as the App builds it."""
    catalog = Catalog()
    for plugin in all_plugins():
        plugin.register_messages(catalog)
    return catalog


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def message_files() -> list[Path]:
    files = [CORE_MESSAGES]
    files += [p.messages_file for p in all_plugins() if p.messages_file is not None]
    return files


@pytest.mark.parametrize("path", message_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_en_and_fr_with_the_same_placeholders(path: Path) -> None:
    """Each key: exactly en and fr, both non-empty, naming the same {placeholders}."""
    messages = load_messages(path)
    assert messages
    problems = []
    for key, texts in messages.items():
        if set(texts) != set(LANGUAGES) or not all(texts.values()):
            problems.append(f"{key}: languages {sorted(texts)}")
        elif placeholders(texts["en"]) != placeholders(texts["fr"]):
            problems.append(f"{key}: {placeholders(texts['en'])} != {placeholders(texts['fr'])}")
    assert problems == []


@pytest.mark.parametrize("path", message_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_renders_in_both_languages(path: Path) -> None:
    """Formatting with its own placeholders filled never fails (no stray braces)."""
    catalog = full_catalog()
    for key, texts in load_messages(path).items():
        params = {name: "x" for name in placeholders(texts["en"])}
        for lang in LANGUAGES:
            assert catalog.render(key, lang, params)


def test_add_refuses_a_missing_translation() -> None:
    """A key without French (or with an empty one) is refused, naming the origin and key."""
    catalog = Catalog()
    with pytest.raises(CatalogError, match=r"mine\.yaml: greet\.hi: missing translation for fr"):
        catalog.add({"greet.hi": {"en": "Hi"}}, origin="mine.yaml")
    with pytest.raises(CatalogError, match="missing translation for en"):
        catalog.add({"greet.hi": {"en": "", "fr": "Salut"}}, origin="mine.yaml")
    assert not catalog.has("greet.hi")


def test_add_refuses_mismatched_placeholders() -> None:
    """{name} in one language and {nom} in the other is refused."""
    catalog = Catalog()
    with pytest.raises(CatalogError, match=r"greet\.hi: placeholders differ"):
        catalog.add({"greet.hi": {"en": "Hi {name}", "fr": "Salut {nom}"}}, origin="mine.yaml")
    with pytest.raises(CatalogError, match="placeholders differ"):
        catalog.add({"greet.hi": {"en": "Hi {name}", "fr": "Salut"}}, origin="mine.yaml")


def test_add_refuses_a_clash_but_accepts_the_same_text() -> None:
    """A key defined elsewhere with other text is refused; the identical entry is harmless."""
    catalog = Catalog()
    catalog.add({"greet.hi": {"en": "Hi {name}", "fr": "Salut {name}"}}, origin="a.yaml")
    catalog.add({"greet.hi": {"en": "Hi {name}", "fr": "Salut {name}"}}, origin="b.yaml")
    with pytest.raises(CatalogError, match="already defined"):
        catalog.add({"greet.hi": {"en": "Hello {name}", "fr": "Salut {name}"}}, origin="c.yaml")
    assert catalog.render("greet.hi", "fr", {"name": "Zoé"}) == "Salut Zoé"


def test_rendering_nests_messages_in_the_same_language() -> None:
    """A Msg parameter is rendered in the reader's language too."""
    catalog = Catalog()
    text = Msg.of("help.list", role=Msg.of("role.member"), commands="!help")
    assert catalog.text(text, "fr").startswith("Commandes disponibles pour vous (membre)")
    assert catalog.text(text, "en").startswith("Commands available to you (member)")


@pytest.mark.parametrize("plugin", all_plugins(), ids=lambda p: p.name)
def test_every_command_has_a_summary_and_argument_names(plugin: type[Plugin]) -> None:
    """`help` and usage lines need command.<name>.summary and arg.<param> for each command."""
    catalog = full_catalog()
    missing = []
    for spec in plugin.commands():
        keys = [spec.summary_key, *(f"arg.{param.name}" for param in spec.params)]
        missing += [key for key in keys if not catalog.has(key)]
        for lang in LANGUAGES:
            assert spec.usage(catalog, lang).startswith(f"!{spec.name}")
    assert missing == []


def used_keys() -> dict[str, list[str]]:
    """Every literal catalog key in bot/ and plugins/, with where it is used."""
    found: dict[str, list[str]] = {}
    for folder in ("bot", "plugins"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for match in KEY_USE.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                found.setdefault(match.group(1), []).append(
                    f"{path.relative_to(ROOT)}:{line}")
    return found


def test_the_key_scanner_finds_keys() -> None:
    """The scan sees keys in all three forms, across lines, and skips f-strings."""
    sample = ('Msg.of("a.b", x=1)\ncall.reply(\n    "c.d")\nMsg("e.f")\n'
              'Msg.of(f"action.{kind}")\nself.reply(key)\n')
    assert KEY_USE.findall(sample) == ["a.b", "c.d", "e.f"]
    keys = used_keys()
    assert "case.summary" in keys and "help.list" in keys


def test_every_key_used_in_the_code_exists() -> None:
    """A literal key missing from the catalogs would crash when said."""
    catalog = full_catalog()
    missing = {key: where for key, where in used_keys().items() if not catalog.has(key)}
    assert missing == {}


def _literal_calls() -> list[tuple[str, str, set[str]]]:
    """(where, key, keyword names) of Msg.of/Msg/.reply calls with a literal key, no **kwargs."""
    calls = []
    for folder in ("bot", "plugins"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func, first = node.func, node.args[0]
                is_msg = (isinstance(func, ast.Name) and func.id == "Msg") or (
                    isinstance(func, ast.Attribute) and (func.attr == "reply" or (
                        func.attr == "of" and isinstance(func.value, ast.Name)
                        and func.value.id == "Msg")))
                if not (is_msg and isinstance(first, ast.Constant)
                        and isinstance(first.value, str)):
                    continue
                if any(k.arg is None for k in node.keywords):
                    continue
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", first.value,
                              {k.arg for k in node.keywords if k.arg is not None}))
    return calls


def test_every_literal_key_gets_exactly_its_placeholders() -> None:
    """A missing parameter would crash when rendered; an extra one is a sign of a wrong key."""
    templates = {key: texts["en"] for path in message_files()
                 for key, texts in load_messages(path).items()}
    calls = _literal_calls()
    assert len(calls) >= len(used_keys()) // 2
    wrong = [f"{where} {key}: given {sorted(given)}, needs {sorted(placeholders(templates[key]))}"
             for where, key, given in calls
             if key in templates and given != placeholders(templates[key])]
    assert wrong == []


@pytest.mark.parametrize("key", [
    "notice.warn", "notice.timeout", "notice.kick", "notice.ban", "notice.ban_temp",
    "notice.no_reason", "notice.appeal", "command.denied", "command.disabled",
    "action.failed", "case.summary",
])
def test_keys_built_at_run_time_exist(key: str) -> None:
    """Keys the code builds from names (notices, refusals) are in the catalog."""
    assert full_catalog().has(key)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.label)
def test_every_role_has_a_name(role: Role) -> None:
    """`role.<label>` is used in help and refusals."""
    assert full_catalog().has(f"role.{role.label}")


def _action_types() -> list[str]:
    seen: set[str] = set()
    pending = [Action]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.type != "action" and cls.__module__ == "bot.actions":
            seen.add(cls.type)
    return sorted(seen)


@pytest.mark.parametrize("kind", _action_types())
def test_every_action_type_has_a_name(kind: str) -> None:
    """`action.<type>` is used when an action fails and in case summaries."""
    assert full_catalog().has(f"action.{kind}")


@pytest.mark.parametrize(("span", "en", "fr"), [
    (timedelta(days=7), "7d", "7j"),
    (timedelta(hours=1, minutes=30), "1h30m", "1h30min"),
    (timedelta(days=28, seconds=5), "28d5s", "28j5s"),
])
def test_durations_in_messages_use_the_readers_units(span: timedelta, en: str,
                                                     fr: str) -> None:
    """A duration in a message is written with the reader's units; elsewhere, as it was."""
    catalog = full_catalog()
    message = Msg.of("limit.timeout_too_long", platform="Discord", limit=format_duration(span))
    assert f" {en}:" in catalog.text(message, "en")
    assert f" {fr} :" in catalog.text(message, "fr")
    assert str(format_duration(span)) == en

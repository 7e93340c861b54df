"""Everything the Discord adapter says to people exists in English and French."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from bot.adapters.discord.errors import PERMISSIONS
from bot.i18n import CORE_MESSAGES, LANGUAGES, Catalog, load_messages

PACKAGE = Path(__file__).resolve().parents[3] / "bot" / "adapters" / "discord"
CALLS = {"failed", "unsupported", "of", "render", "_say_privately"}


def _uses() -> list[tuple[str, str, set[str] | None]]:
    """(where, key, keyword names or None when not checkable) of every catalog key used."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in CALLS:
                continue
            for position, arg in enumerate(node.args[:2]):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                        and arg.value.startswith("discord."):
                    given = {k.arg for k in node.keywords if k.arg is not None}
                    checkable = name in ("failed", "unsupported", "of") and position < 2
                    found.append((f"{path.name}:{node.lineno}", arg.value,
                                  given if checkable else None))
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_adapter_uses_exists_with_its_placeholders() -> None:
    """A missing key or a wrong parameter would crash when a refusal is explained."""
    templates = load_messages(CORE_MESSAGES)
    uses = _uses()
    assert len(uses) > 25
    problems = []
    for where, key, given in uses:
        if key not in templates:
            problems.append(f"{where}: no {key}")
            continue
        needed = {lang: _placeholders(templates[key][lang]) for lang in LANGUAGES}
        if given is not None and any(given != names for names in needed.values()):
            problems.append(f"{where}: {key} given {sorted(given)}, needs {needed}")
    assert problems == []


def test_every_permission_has_its_name_in_both_languages() -> None:
    """Permissions are named as Discord's settings name them, in the reader's language."""
    catalog = Catalog()
    for name, english in PERMISSIONS.items():
        assert catalog.render(f"discord.perm.{name}", "en").startswith(english)
        assert catalog.render(f"discord.perm.{name}", "fr")

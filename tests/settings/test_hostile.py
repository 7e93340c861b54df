"""`vigie check` on hostile rule files: each is refused with positioned lines, never a traceback."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app import models_for
from bot.cli import app
from bot.settings import ConfigError, parse_rules
from bot.settings import source as source_module

VIGIE = Path(sys.executable).parent / "vigie"
ISSUE_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")
runner = CliRunner()
DEEP = 100_000


def _laughs() -> bytes:
    """A billion laughs: nine aliases of nine aliases, nine levels deep."""
    lines = ['version: 1', 'x-l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", '
             '"lol"]']
    for level in range(1, 9):
        items = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"x-l{level}: &l{level} [{items}]")
    lines.append("defaults: {prefixes: *l8}")
    return ("\n".join(lines) + "\n").encode()


GARBAGE = bytes(random.Random(16).randrange(256) for _ in range(4096))

# name -> (content, expected line, expected column, a fragment of the message)
HOSTILE: dict[str, tuple[bytes, int, int, str]] = {
    "binary garbage": (GARBAGE, 1, 1, "not UTF-8"),
    "deep flow lists": (b"version: 1\ndefaults: " + b"[" * DEEP + b"]" * DEEP + b"\n", 2, 74,
                        "nested more than 64 levels deep"),
    "deep flow mappings": (b"version: 1\ndefaults: " + b"{a: " * DEEP + b"1" + b"}" * DEEP
                           + b"\n", 2, 260, "nested more than 64 levels deep"),
    "deep block mappings": (b"version: 1\ndefaults:\n" + b"".join(
        b"  " * (i + 1) + b"a:\n" for i in range(2000)) + b"  " * 2001 + b"1\n", 65, 127,
        "nested more than 64 levels deep"),
    "alias inside itself": (b"version: 1\ndefaults: &a\n  prefixes: *a\n", 3, 13,
                            "alias *a is inside the mapping or list it refers to"),
    "merge of itself": (b"version: 1\ndefaults: &a\n  <<: *a\n", 3, 7,
                        "alias *a is inside the mapping or list it refers to"),
    "billion laughs": (_laughs(), 2, 12, "more than 100000 values"),
    "tab indentation": (b"version: 1\ndefaults:\n\tlanguage: fr\n", 3, 1,
                        "found character '\\t' that cannot start any token"),
    "byte order mark": (b"\xef\xbb\xbfversion: 1\ndefaults:\n  language: de\n", 3, 3,
                        "expected 'en' or 'fr', got 'de'"),
    "invalid UTF-8": (b"version: 1\ndefaults:\n  name: caf\xe9\n", 3, 12, "not UTF-8: byte 0xe9"),
    "NUL byte": (b"version: 1\ndefaults:\n  name: a\x00b\n", 3, 10,
                 "character U+0000 is not allowed"),
    "error inside merged content": (
        b"version: 1\nx-base: &base\n  language: de\ndefaults:\n  <<: *base\n", 3, 3,
        "defaults.language"),
    "merge of a scalar": (b"version: 1\ndefaults:\n  <<: 5\n", 3, 7,
                          "expected a mapping or list of mappings for merging"),
    "duplicate keys": (b"version: 1\ndefaults:\n  language: fr\n  language: en\n", 4, 3,
                       'found duplicate key "language"'),
    "empty file": (b"", 1, 1, "the rule file is empty"),
    "only comments": (b"# nothing\n\n   # here\n", 1, 1, "the rule file is empty"),
    "list at top level": (b"- version\n- defaults\n", 1, 1, "must be a mapping of keys"),
    "python tag": (b"version: 1\ndefaults: !!python/object:os.system {}\n", 2, 1,
                   "Python tags are not allowed"),
    "python apply tag": (b"version: 1\ndefaults: !!python/object/apply:os.system [id]\n", 2, 1,
                         "Python tags are not allowed"),
    "complex key": (b"version: 1\ndefaults:\n  ? [a, b]\n  : 1\n", 3, 5, "a key must be text"),
    "unclosed flow": (b"version: 1\ndefaults: {language: fr\n", 3, 1, "invalid YAML"),
}


def _check(tmp_path: Path, content: bytes) -> tuple[list[re.Match[str]], str]:
    path = tmp_path / "rules.yaml"
    path.write_bytes(content)
    result = runner.invoke(app, ["check", str(path)])
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    parsed = [ISSUE_LINE.match(line) for line in lines]
    assert lines and all(parsed), lines
    return [m for m in parsed if m], str(path)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_with_its_position(tmp_path: Path, name: str) -> None:
    content, line, col, fragment = HOSTILE[name]
    matches, path = _check(tmp_path, content)
    first = matches[0]
    assert (first["file"], int(first["line"]), int(first["col"])) == (path, line, col), \
        first.group(0)
    assert fragment in first.group(0)


def test_huge_flow_is_refused_where_it_passes_the_limit(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The value limit stops a huge flow while it is read (the limit lowered to keep it quick)."""
    monkeypatch.setattr(source_module, "MAX_NODES", 1000)
    content = b"version: 1\ndefaults:\n  prefixes: [" + b", ".join([b"'!'"] * 5000) + b"]\n"
    [issue], _ = _check(tmp_path, content)
    # Keys count: the root, version, 1, defaults, its mapping, prefixes, the list and 993 items
    # make 1000 values, so the next item is refused.
    assert (int(issue["line"]), int(issue["col"])) == (3, 14 + 993 * 5)
    assert "more than 1000 values" in issue["msg"]


def test_deep_nesting_through_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"version: 1\ndefaults: " + b"[" * DEEP + b"]" * DEEP + b"\n")
    done = subprocess.run([str(VIGIE), "check", str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout == f"{path}:2:74: (file): nested more than 64 levels deep\n"


def test_nesting_within_the_limit_is_read() -> None:
    """64 levels are fine; the 65th is refused."""
    def nested(levels: int) -> bytes:
        # The root mapping and `defaults` are two levels; `name` ends the chain.
        body = "{a: " * (levels - 2) + "1" + "}" * (levels - 2)
        return f"version: 1\nx-deep: {body}\ndefaults: {{name: ok}}\n".encode()

    rules = parse_rules(nested(64), "rules.yaml", models_for([]))
    assert rules.fallback.name == "ok"
    with pytest.raises(ConfigError, match="nested more than 64 levels deep"):
        parse_rules(nested(65), "rules.yaml", models_for([]))


def test_nesting_through_aliases_is_limited_too() -> None:
    """Aliases can stack levels that the text does not show; the expanded data is limited."""
    chain = ["version: 1", "x-0: &n0 {a: 1}"]
    for level in range(1, 40):
        chain.append(f"x-{level}: &n{level} {{a: {{b: *n{level - 1}}}}}")
    text = "\n".join([*chain, "defaults: {name: ok}"]) + "\n"
    with pytest.raises(ConfigError, match=r"nested more than 64 levels deep \(through aliases\)"):
        parse_rules(text.encode(), "rules.yaml", models_for([]))


MERGED = """\
version: 1
x-team: &team              # a top-level key starting with x- is ignored: a place for anchors
  language: en
  prefixes: ["!"]
  roles: {cm: ["Moderators"]}
defaults:
  <<: *team
  name: Default
communities:
  "console:a":
    <<: *team
    language: fr
  "console:b":
    <<: [*team, {name: B}]
"""


def test_merge_keys_work_and_own_keys_win() -> None:
    rules = parse_rules(MERGED.encode(), "rules.yaml", models_for([]))
    assert rules.fallback.language == "en"
    assert rules.fallback.prefixes == ("!",)
    assert rules.fallback.name == "Default"
    a, b = rules.community("console:a"), rules.community("console:b")
    assert (a.language, a.prefixes, a.roles.cm) == ("fr", ("!",), ("Moderators",))
    assert (b.language, b.name) == ("en", "B")


def test_an_error_inside_merged_content_points_at_the_anchor(tmp_path: Path) -> None:
    text = MERGED.replace('roles: {cm: ["Moderators"]}', "case_alerts: maybe")
    matches, _ = _check(tmp_path, text.encode())
    got = [(int(m["line"]), int(m["col"]), m["path"]) for m in matches]
    assert got == [(5, 3, "communities.console:a.case_alerts"),
                   (5, 3, "communities.console:b.case_alerts"),
                   (5, 3, "defaults.case_alerts")]
    assert all("got 'maybe'" in m["msg"] for m in matches)

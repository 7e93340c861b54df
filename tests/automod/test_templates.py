"""Admin-written texts are plain `{placeholder}` templates: tricks are refused with their place."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.settings.templates import fill_template
from tests.automod.conftest import Make, rule_file

ISSUE_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")

TRICKS = """
rules:
  spec:
    trigger: {type: caps}
    actions: [{type: reply, text: {en: "Hi {member:>300000000}", fr: "Salut {member}"}}]
  conversion:
    trigger: {type: caps}
    actions: [{type: dm, text: {en: "Hi {member}", fr: "Salut {member!r}"}}]
  attribute:
    trigger: {type: caps}
    actions: [{type: reply, text: {en: "{member.__class__.__init__.__globals__}", fr: "x"}}]
  index:
    trigger: {type: caps}
    actions: [{type: reply, text: {en: "{rule[0]}", fr: "x"}}]
  positional:
    trigger: {type: caps}
    actions: [delete]
    reason: {en: "rule {0}", fr: "règle {}"}
  nested:
    trigger: {type: caps}
    actions: [{type: reply, text: {en: "{member:{rule}}", fr: "x"}}]
"""

EXPECTED = [
    (8, 33, "defaults.automod.rules.spec.actions.0.text",
     "rule 'spec': en: {member:>300000000} at character 4: format specifications "
     "(:>300000000) are not allowed; write {member}"),
    (11, 30, "defaults.automod.rules.conversion.actions.0.text",
     "rule 'conversion': fr: {member!r} at character 7: conversions (!r) are not allowed; "
     "write {member}"),
    (14, 33, "defaults.automod.rules.attribute.actions.0.text",
     "rule 'attribute': en: {member.__class__.__init__.__globals__} at character 1: attribute "
     "and index access are not allowed; write a plain {member}"),
    (17, 33, "defaults.automod.rules.index.actions.0.text",
     "rule 'index': en: {rule[0]} at character 1: attribute and index access are not allowed; "
     "write a plain {rule}"),
    (21, 9, "defaults.automod.rules.positional.reason",
     "rule 'positional': en: {0} at character 6: a placeholder needs a name (available: "
     "{member}, {rule})"),
    (24, 33, "defaults.automod.rules.nested.actions.0.text",
     "rule 'nested': en: {member:{rule}} at character 1: format specifications (:{rule}) are "
     "not allowed; write {member}"),
]


def test_vigie_check_refuses_format_specs_conversions_and_attribute_access(
        tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(rule_file(TRICKS), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    matches = [ISSUE_LINE.match(line) for line in result.stdout.splitlines()]
    assert all(matches), result.stdout
    got = [(int(m["line"]), int(m["col"]), m["path"], m["msg"]) for m in matches if m]
    assert got == EXPECTED


def test_the_renderer_fills_plain_placeholders_only() -> None:
    """Defence in depth: a spec, conversion or attribute that reached the renderer is not run."""
    values = {"member": "bob", "rule": "caps"}
    assert fill_template("Hi {member} ({rule}) {{ok}}", values) == "Hi bob (caps) {ok}"
    assert fill_template("{member:>300000000}", values) == "{member:>300000000}"
    assert fill_template("{member!r} {member.__class__} {rule[0]}", values) == \
        "{member!r} {member.__class__} {rule[0]}"
    assert fill_template("{unknown} {}", values) == "{unknown} {}"
    assert fill_template("broken { brace", values) == "broken { brace"


async def test_a_member_name_with_braces_is_shown_as_written(make: Make) -> None:
    """Only the admin's text is a template: what members write is never interpreted."""
    h = await make("""
        rules:
          hello:
            trigger: {type: words, words: [coucou]}
            actions: [{type: reply, text: {en: "Hi {member} ({rule})", fr: "Salut {member}"}}]
        """)
    await h.say("coucou", author="{rule:>99}")
    assert h.replies() == ["Hi {rule:>99} (hello)"]


async def test_a_rules_reason_fills_member_and_rule(make: Make) -> None:
    """`{member}` and `{rule}` in a rule's reason are filled in the case and the notice."""
    h = await make("""
        rules:
          rude:
            trigger: {type: words, words: [coucou]}
            reason: {en: "{member} broke {rule} {{sic}}", fr: "{member} a enfreint {rule}"}
            actions: [warn]
        """)
    await h.say("coucou", author="{rule:>99}")
    [row] = await h.rows("SELECT reason FROM cases")
    assert row["reason"] == "{rule:>99} broke rude {sic}"

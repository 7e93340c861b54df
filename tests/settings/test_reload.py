"""Hot reload: valid files swap atomically, invalid ones are refused and admins are told why."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import models_for
from bot.permissions import Role
from bot.settings import revision_of
from bot.settings import source as source_module
from bot.settings.manager import ReloadOutcome, RuleBook
from tests.harness import MINIMAL_RULES, Harness

MODELS = models_for([])

V1 = """\
version: 1
defaults:
  language: fr
communities:
  "discord:1":
    name: First
"""
V2 = V1.replace("name: First", "name: Second")
V3 = V1.replace("name: First", "name: Third")
INVALID = """\
version: 1
defaults:
  language: de
communities:
  "discord:1":
    name: Broken
"""
POLL_TIMEOUT = 10.0


class Recorder:
    """A reload listener that keeps every outcome."""

    def __init__(self) -> None:
        self.outcomes: list[ReloadOutcome] = []

    async def __call__(self, outcome: ReloadOutcome) -> None:
        self.outcomes.append(outcome)


def write_atomically(path: Path, text: str) -> None:
    """Save the way many editors do: write a temporary file, then rename it over the target."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


async def eventually(condition: Callable[[], bool], save: Callable[[], None]) -> bool:
    """Poll `condition`, saving again now and then in case the watcher was not ready yet."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + POLL_TIMEOUT
    next_save = loop.time() + 0.5
    while loop.time() < deadline:
        if condition():
            return True
        if loop.time() >= next_save:
            save()
            next_save = loop.time() + 0.5
        await asyncio.sleep(0.02)
    return condition()


@pytest.fixture
def rules_path(tmp_path: Path) -> Path:
    """A rule file holding V1."""
    path = tmp_path / "rules.yaml"
    path.write_text(V1, encoding="utf-8")
    return path


@pytest.fixture
def book(rules_path: Path) -> RuleBook:
    """A RuleBook with V1 loaded."""
    rulebook = RuleBook(rules_path, MODELS)
    rulebook.load()
    return rulebook


@pytest.fixture
async def watching(book: RuleBook) -> AsyncIterator[RuleBook]:
    """`book` with its real file watcher running as a task."""
    task = asyncio.create_task(book.watch(debounce_ms=50))
    yield book
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def test_current_before_load_is_an_error(rules_path: Path) -> None:
    with pytest.raises(RuntimeError, match="not been loaded"):
        _ = RuleBook(rules_path, MODELS).current


async def test_valid_reload_swaps_and_bumps_the_revision(rules_path: Path,
                                                         book: RuleBook) -> None:
    old = book.current
    assert old.revision == revision_of(V1.encode())
    rules_path.write_text(V2, encoding="utf-8")
    outcome = await book.reload()
    assert outcome.status == "applied"
    assert outcome.previous == old.revision
    assert outcome.revision == revision_of(V2.encode())
    assert book.current.revision == outcome.revision
    assert book.current.community("discord:1").name == "Second"
    assert old.community("discord:1").name == "First"


async def test_invalid_reload_keeps_the_old_rules(rules_path: Path, book: RuleBook) -> None:
    old = book.current
    rules_path.write_text(INVALID, encoding="utf-8")
    outcome = await book.reload(trigger="command by console:root")
    assert outcome.status == "refused"
    assert outcome.trigger == "command by console:root"
    assert outcome.revision == outcome.previous == old.revision
    assert outcome.error is not None
    assert [(i.line, i.col, i.path) for i in outcome.error.issues] == [
        (3, 3, ("defaults", "language"))]
    assert book.current is old


async def test_missing_file_on_reload_keeps_the_old_rules(rules_path: Path,
                                                          book: RuleBook) -> None:
    old = book.current
    rules_path.unlink()
    outcome = await book.reload()
    assert outcome.status == "refused"
    assert outcome.error is not None
    assert "no such file" in outcome.error.issues[0].message
    assert book.current is old


async def test_unchanged_file_gives_unchanged(book: RuleBook) -> None:
    old = book.current
    outcome = await book.reload()
    assert outcome.status == "unchanged"
    assert outcome.revision == outcome.previous == old.revision
    assert book.current is old


async def test_successive_edits_end_on_the_last_valid_content(rules_path: Path,
                                                              book: RuleBook) -> None:
    rules_path.write_text(V2, encoding="utf-8")
    assert (await book.reload()).status == "applied"
    rules_path.write_text(INVALID, encoding="utf-8")
    assert (await book.reload()).status == "refused"
    rules_path.write_text(V3, encoding="utf-8")
    outcomes = await asyncio.gather(book.reload(), book.reload(), book.reload())
    assert sorted(o.status for o in outcomes) == ["applied", "unchanged", "unchanged"]
    assert book.current.revision == revision_of(V3.encode())
    assert book.current.community("discord:1").name == "Third"


async def test_listeners_hear_every_outcome(rules_path: Path, book: RuleBook) -> None:
    first, second = Recorder(), Recorder()
    book.listen(first)
    book.listen(second)
    await book.reload()
    rules_path.write_text(V2, encoding="utf-8")
    await book.reload()
    rules_path.write_text(INVALID, encoding="utf-8")
    await book.reload()
    assert [o.status for o in first.outcomes] == ["unchanged", "applied", "refused"]
    assert second.outcomes == first.outcomes


async def test_a_failing_listener_does_not_stop_the_others(rules_path: Path,
                                                           book: RuleBook) -> None:
    async def broken(_outcome: ReloadOutcome) -> None:
        raise RuntimeError("listener bug")

    after = Recorder()
    book.listen(broken)
    book.listen(after)
    rules_path.write_text(V2, encoding="utf-8")
    outcome = await book.reload()
    assert outcome.status == "applied"
    assert after.outcomes == [outcome]


async def test_watch_applies_a_valid_edit(rules_path: Path, watching: RuleBook) -> None:
    target = revision_of(V2.encode())
    rules_path.write_text(V2, encoding="utf-8")
    applied = await eventually(lambda: watching.current.revision == target,
                               lambda: rules_path.write_text(V2, encoding="utf-8"))
    assert applied, "the watcher did not apply the edit"
    assert watching.current.community("discord:1").name == "Second"


async def test_watch_applies_an_editor_style_replace(rules_path: Path,
                                                     watching: RuleBook) -> None:
    target = revision_of(V3.encode())
    write_atomically(rules_path, V3)
    applied = await eventually(lambda: watching.current.revision == target,
                               lambda: write_atomically(rules_path, V3))
    assert applied, "the watcher did not apply the replaced file"


async def test_watch_refuses_an_invalid_edit(rules_path: Path, watching: RuleBook) -> None:
    old = watching.current
    heard = Recorder()
    watching.listen(heard)

    def refused_for_language() -> bool:
        return any(o.status == "refused" and o.error is not None
                   and any(i.path == ("defaults", "language") for i in o.error.issues)
                   for o in heard.outcomes)

    write_atomically(rules_path, INVALID)
    assert await eventually(refused_for_language, lambda: write_atomically(rules_path, INVALID))
    assert watching.current is old
    assert all(o.status != "applied" for o in heard.outcomes)
    assert all(o.trigger == "file" for o in heard.outcomes)


async def test_watch_rapid_edits_end_on_the_last_valid_content(rules_path: Path,
                                                               watching: RuleBook) -> None:
    target = revision_of(V3.encode())
    for text in (V2, INVALID, V1, V3):
        write_atomically(rules_path, text)
    settled = await eventually(lambda: watching.current.revision == target,
                               lambda: write_atomically(rules_path, V3))
    assert settled, "the watcher did not end on the last valid content"
    assert watching.current.community("discord:1").name == "Third"


BROKEN_MINIMAL = MINIMAL_RULES.replace("language: en", "language: de")


async def test_admins_are_alerted_when_an_edit_is_refused(harness: Harness) -> None:
    old = harness.app.rulebook.current
    harness.rules_path.write_text(BROKEN_MINIMAL, encoding="utf-8")
    outcome = await harness.app.rulebook.reload()
    assert outcome.status == "refused"
    assert harness.app.rulebook.current is old
    [alert] = harness.adapter.of("send_alert")
    assert alert["community"] == "console:test"
    assert alert["channel"] is None
    assert f"{harness.rules_path}:3:3: defaults.language:" in alert["text"]
    assert old.revision in alert["text"]


async def test_admin_reload_lists_the_problem_with_its_line(harness: Harness) -> None:
    old = harness.app.rulebook.current
    harness.rules_path.write_text(BROKEN_MINIMAL, encoding="utf-8")
    report = await harness.say("!reload", harness.user("root", Role.ADMIN))
    assert not report.errors
    [reply] = harness.replies()
    assert "refused (1 problem(s))" in reply
    assert f"{harness.rules_path}:3:3: defaults.language: expected 'en' or 'fr'" in reply
    assert old.revision in reply
    assert harness.app.rulebook.current is old


async def test_admin_reload_applies_a_valid_edit(harness: Harness) -> None:
    old = harness.app.rulebook.current.revision
    edited = MINIMAL_RULES.replace("Be nice.", "Be very nice.")
    harness.rules_path.write_text(edited, encoding="utf-8")
    await harness.say("!reload", harness.user("root", Role.ADMIN))
    new = revision_of(edited.encode())
    assert harness.app.rulebook.current.revision == new
    assert harness.replies() == [f"Rules reloaded: revision {new} (was {old})."]
    assert any(new in line for line in harness.adapter.operator)
    await harness.say("!rules")
    assert harness.replies()[-1] == "Be very nice."


async def test_member_reload_is_refused(harness: Harness) -> None:
    old = harness.app.rulebook.current
    harness.rules_path.write_text(MINIMAL_RULES.replace("Be nice.", "Be kind."), encoding="utf-8")
    await harness.say("!reload", harness.user("mallory", Role.MEMBER))
    [reply] = harness.replies()
    assert "reserved for the community team" in reply
    assert harness.app.rulebook.current is old


class FailOnce:
    """Stands in for the YAML parser: raises RuntimeError on its first call, then parses."""

    def __init__(self, real: Callable[[bytes, str], Any]) -> None:
        self.real = real
        self.calls = 0

    def __call__(self, content: bytes, name: str) -> Any:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("parser exploded")
        return self.real(content, name)


def fail_once(monkeypatch: pytest.MonkeyPatch) -> FailOnce:
    """Make the next load of the rule file raise an unexpected exception, once."""
    failing = FailOnce(source_module.parse_source)
    monkeypatch.setattr(source_module, "parse_source", failing)
    return failing


async def test_watcher_survives_an_unexpected_error_and_applies_later_edits(
        harness: Harness, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The failure is logged and alerted, and the next valid edit is still applied."""
    failing = fail_once(monkeypatch)
    path = harness.rules_path
    first = MINIMAL_RULES.replace("Be nice.", "Be kind.")
    second = MINIMAL_RULES.replace("Be nice.", "Be very kind.")
    task = asyncio.create_task(harness.app.rulebook.watch(debounce_ms=50, retry_s=0.05))
    try:
        def alerted() -> bool:
            return any("unexpected error" in a["text"] for a in harness.adapter.of("send_alert"))

        with caplog.at_level(logging.ERROR, logger="vigie.settings"):
            write_atomically(path, first)
            assert await eventually(alerted, lambda: write_atomically(path, first))
        [alert] = [a for a in harness.adapter.of("send_alert") if "unexpected" in a["text"]]
        assert alert["community"] == "console:test"
        assert "RuntimeError: parser exploded" in alert["text"]
        assert "keeps running and the file is still watched" in alert["text"]
        failed = [r for r in caplog.records if r.message.startswith("rules reload failed")]
        assert failed and failed[0].exc_info is not None
        assert failing.calls >= 1
        target = revision_of(second.encode())
        write_atomically(path, second)
        assert await eventually(lambda: harness.app.rulebook.current.revision == target,
                                lambda: write_atomically(path, second))
        assert not task.done(), "the watcher stopped"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await harness.say("!rules")
    assert harness.replies()[-1] == "Be very kind."


async def test_reload_explains_an_unexpected_failure_in_french(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    old = harness.app.rulebook.current
    harness.rules_path.write_text(MINIMAL_RULES.replace("Be nice.", "Be kind."), encoding="utf-8")
    fail_once(monkeypatch)
    report = await harness.say("!reload", harness.user("root", Role.ADMIN, language="fr"))
    assert not report.errors
    [reply] = harness.replies()
    assert reply == (
        "Le fichier de règles n'a pas pu être chargé à cause d'une erreur inattendue "
        f"(RuntimeError: parser exploded) ; la révision {old.revision} reste en vigueur. "
        "Le détail est dans le journal du bot.")
    assert harness.app.rulebook.current is old
    await harness.say("!reload", harness.user("root", Role.ADMIN))
    assert harness.replies()[-1].startswith("Rules reloaded: revision ")


async def test_reload_refusal_is_framed_in_the_callers_language(harness: Harness) -> None:
    """A refused file: the sentence is French for a French admin; the lines are `vigie check`'s."""
    old = harness.app.rulebook.current
    harness.rules_path.write_text("version: 1\ndefaults: " + "[" * 10_000 + "]" * 10_000 + "\n",
                                  encoding="utf-8")
    await harness.say("!reload", harness.user("root", Role.ADMIN, language="fr"))
    [reply] = harness.replies()
    assert reply == (
        f"Le fichier de règles a été refusé (1 problème(s)) ; la révision {old.revision} reste "
        f"en vigueur :\n{harness.rules_path}:2:74: (file): nested more than 64 levels deep")

"""The console community behaves like a platform: roles from the rule file, a member list that
survives a restart, one refusal notice per ten minutes."""

from __future__ import annotations

from pathlib import Path

from tests.console.test_golden import run_console


def session(workdir: Path, lines: list[str]) -> str:
    """Run `vigie run` in `workdir` (its database is kept between calls) on `lines`."""
    script = workdir.parent / "script.in"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_console(workdir, script)
    assert result.returncode == 0, result.stderr
    return result.stdout


def workdir(tmp_path: Path) -> Path:
    """A fresh directory to run the console in."""
    path = tmp_path / "w"
    path.mkdir()
    return path


def test_who_shows_the_role_the_rule_file_gives(tmp_path: Path) -> None:
    """The default rule file makes claire a CM: `:who` says so, not "member"."""
    out = session(workdir(tmp_path), [":as claire", ":as bob", ":as root admin", ":who"])
    assert " claire (cm)\n" in out
    assert " bob (member)\n" in out
    assert " * root (admin)\n" in out


def test_member_names_survive_a_restart(tmp_path: Path) -> None:
    """After a restart on the same database, members seen before can be named in commands,
    with their language and standing (a ban made before the restart can be lifted after)."""
    where = workdir(tmp_path)
    first = session(where, [":join dave", ":as dave", ":lang en", "hello", ":join eve",
                            ":as claire", "!warn dave spam", "!ban eve pub"])
    assert "banned eve" in first

    second = session(where, [":as eve", "am I still banned?", ":as claire", "!cases @dave",
                             "!unban @eve", ":join eve", ":as eve", "hello again", ":who"])
    assert "message not sent: eve is banned" in second
    assert "dave : 1 cas" in second
    assert "Aucun membre" not in second
    assert "unbanned eve" in second
    assert "eve: hello again" in second
    assert "   dave (member)\n" in second

    third = session(where, [":as dave", "!rules"])
    assert "Be civil" in third  # dave's language (en) came back with him


def test_a_refused_member_is_told_once_in_total(tmp_path: Path) -> None:
    """A member trying three CM commands in a row gets one refusal notice, not one each."""
    out = session(workdir(tmp_path), [":as dave", "!ban @x", "!kick @x", "!warn @x"])
    assert out.count("réservée à l'équipe") == 1, out

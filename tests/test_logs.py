"""Logging never writes a token: configured ones and anything shaped like one become ***."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import configure_logging, redact

DISCORD = "env-discord-secret-0123456789"
TELEGRAM = "env-telegram-secret-9876543210"
DISCORD_SHAPED = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456"
TELEGRAM_SHAPED = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both platform tokens set in the environment."""
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD)
    monkeypatch.setenv("TELEGRAM_TOKEN", TELEGRAM)


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """Logging configured to a buffer; the root logger is put back as it was afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    buffer = io.StringIO()
    configure_logging("DEBUG", stream=buffer)
    try:
        yield buffer
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def written(buffer: io.StringIO) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return buffer.getvalue()


def assert_clean(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
    assert "***" in text


@pytest.mark.usefixtures("secrets")
def test_token_in_the_message_is_redacted(output: io.StringIO) -> None:
    """A token written into the message itself."""
    logging.getLogger("vigie.test").info(f"connecting with {DISCORD} and {TELEGRAM} now")
    text = written(output)
    assert_clean(text, DISCORD, TELEGRAM)
    assert "connecting with *** and *** now" in text
    assert "INFO vigie.test" in text


@pytest.mark.usefixtures("secrets")
def test_token_in_the_arguments_is_redacted(output: io.StringIO) -> None:
    """A token passed as a %s argument, or inside a repr."""
    log = logging.getLogger("vigie.test")
    log.warning("token=%s other=%r", TELEGRAM, {"token": DISCORD})
    text = written(output)
    assert_clean(text, DISCORD, TELEGRAM)
    assert "token=*** other={'token': '***'}" in text


@pytest.mark.usefixtures("secrets")
def test_token_in_a_traceback_is_redacted(output: io.StringIO) -> None:
    """A token inside an exception message, logged with its traceback."""
    log = logging.getLogger("vigie.test")
    try:
        raise RuntimeError(f"401 Unauthorized for token {DISCORD}")
    except RuntimeError:
        log.exception("login failed")
    try:
        raise ValueError(TELEGRAM_SHAPED)
    except ValueError as exc:
        log.error("bad token", exc_info=exc)
    text = written(output)
    assert_clean(text, DISCORD, TELEGRAM_SHAPED)
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: 401 Unauthorized for token ***" in text
    assert "ValueError: ***" in text


@pytest.mark.usefixtures("secrets")
def test_traceback_already_formatted_elsewhere_is_redacted(output: io.StringIO) -> None:
    """Another handler that formatted the record first (caching exc_text) does not leak it."""
    earlier = io.StringIO()
    first = logging.StreamHandler(earlier)
    first.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("vigie.test.cached")
    log.addHandler(first)
    try:
        try:
            raise RuntimeError(f"boom {TELEGRAM}")
        except RuntimeError:
            log.exception("failed")
    finally:
        log.removeHandler(first)
    text = written(output)
    assert_clean(text, TELEGRAM)
    assert "RuntimeError: boom ***" in text


def test_token_shapes_are_redacted_without_the_env(monkeypatch: pytest.MonkeyPatch,
                                                   output: io.StringIO) -> None:
    """Strings shaped like Discord or Telegram bot tokens go even when nothing is configured."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    log = logging.getLogger("vigie.test")
    log.info("discord %s", DISCORD_SHAPED)
    log.info(f"url https://api.telegram.org/bot{TELEGRAM_SHAPED}/getMe")
    text = written(output)
    assert_clean(text, DISCORD_SHAPED, TELEGRAM_SHAPED)
    assert "discord ***" in text
    assert "url https://api.telegram.org/bot***/getMe" in text


@pytest.mark.parametrize("harmless", [
    "version 1.2.3", "at 2026-11-21T10:00:00Z", "case #12 of console:test",
    "message discord:123456789012345678 in channel discord:222",
    "telegram:-1001234567890 joined", "sha ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
])
def test_ordinary_text_is_left_alone(monkeypatch: pytest.MonkeyPatch, harmless: str) -> None:
    """Ids, times and hashes are not mistaken for tokens."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_TOKEN", raising=False)
    assert redact(harmless) == harmless


def test_short_env_values_are_not_redacted_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """A placeholder like 'x' in the env does not turn every x into ***."""
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    assert redact("example text") == "example text"


@pytest.mark.usefixtures("secrets")
def test_log_file_is_redacted(tmp_path: Path) -> None:
    """The console mode logs to a file: same redaction there."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    path = tmp_path / "logs" / "vigie.log"
    try:
        configure_logging("INFO", file=path)
        logging.getLogger("vigie.test").info("token %s", DISCORD)
        for handler in root.handlers:
            handler.close()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    text = path.read_text(encoding="utf-8")
    assert DISCORD not in text
    assert "token ***" in text

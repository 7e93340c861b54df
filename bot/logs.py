"""Structured logging: one `key=value` line per record, and no token ever written."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import IO

__all__ = ["SECRET_ENV", "RedactingFilter", "configure_logging", "redact"]

SECRET_ENV = ("DISCORD_TOKEN", "TELEGRAM_TOKEN")
_TOKEN_SHAPES = (
    re.compile(r"\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}\b"),  # Discord bot token
    re.compile(r"(?<!\d)\d{6,12}:[\w-]{30,40}(?![\w-])"),  # Telegram bot token, also in /bot<t>/
)


def redact(text: str) -> str:
    """`text` with every configured token, and anything shaped like one, replaced by ***."""
    for name in SECRET_ENV:
        secret = os.environ.get(name)
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    for shape in _TOKEN_SHAPES:
        text = shape.sub("***", text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record, but redacted."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class _Formatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s",
                         datefmt="%Y-%m-%dT%H:%M:%S")


def configure_logging(level: str = "INFO", file: Path | None = None,
                      stream: IO[str] | None = None) -> None:
    """Log to `file` (console mode keeps the terminal for the chat) or to a stream."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Formatter())
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("aiosqlite", "watchfiles", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

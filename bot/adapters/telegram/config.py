"""How the Telegram adapter connects: token, Bot API server, long polling or webhook (from env)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["DEFAULT_BASE_URL", "TelegramConfig", "TelegramConfigError", "WebhookConfig"]

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_TOKEN = re.compile(r"\d{3,15}:[A-Za-z0-9_-]{20,100}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramConfigError(ValueError):
    """The environment does not describe a usable Telegram connection; the message says why."""


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Telegram posts updates to `url`; Vigie listens on `listen:port` and checks `secret`."""

    url: str
    secret: str = field(repr=False)
    listen: str = "0.0.0.0"
    port: int = 8443
    peer_url: str = ""
    """Where the other workers reach this one (default: http://<listen or host>:<port><path>)."""

    @property
    def path(self) -> str:
        """The path Telegram posts to (the path of the public URL)."""
        return urlsplit(self.url).path or "/"


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Everything the adapter needs to reach Telegram; the token never shows in repr."""

    token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    webhook: WebhookConfig | None = None
    poll_timeout: float = 30.0
    drop_pending_updates: bool = False

    @property
    def base_file_url(self) -> str:
        """Where files are served, next to the Bot API (`.../file/bot`)."""
        return self.base_url.removesuffix("/bot") + "/file/bot"

    @property
    def server(self) -> str:
        """The Bot API server, for messages (no token in it)."""
        return self.base_url.removesuffix("/bot")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TelegramConfig:
        """Read TELEGRAM_* variables; TelegramConfigError names the variable that is wrong."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_TOKEN", "").strip()
        if not token:
            raise TelegramConfigError("TELEGRAM_TOKEN is not set: create a bot with @BotFather "
                                      "and export the token it gives you")
        if not _TOKEN.fullmatch(token):
            raise TelegramConfigError("TELEGRAM_TOKEN does not look like a bot token "
                                      "(<digits>:<letters> as given by @BotFather)")
        base_url = normalize_base_url(env.get("TELEGRAM_BASE_URL", "").strip())
        webhook = None
        url = env.get("TELEGRAM_WEBHOOK_URL", "").strip()
        if url:
            webhook = _webhook(url, env, local=base_url != DEFAULT_BASE_URL)
        return cls(token=token, base_url=base_url, webhook=webhook)


def normalize_base_url(value: str) -> str:
    """`http://host:8081` or `http://host:8081/bot` -> `http://host:8081/bot` (token follows)."""
    if not value:
        return DEFAULT_BASE_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TelegramConfigError(f"TELEGRAM_BASE_URL={value!r} is not an http(s) URL "
                                  "(e.g. http://localhost:8081 for a local Bot API server)")
    value = value.rstrip("/")
    return value if value.endswith("/bot") else value + "/bot"


def _webhook(url: str, env: Mapping[str, str], *, local: bool) -> WebhookConfig:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        raise TelegramConfigError(f"TELEGRAM_WEBHOOK_URL={url!r}: Telegram only posts to "
                                  "https:// URLs (http is allowed with a local Bot API server)")
    if not parts.netloc:
        raise TelegramConfigError(f"TELEGRAM_WEBHOOK_URL={url!r} has no host")
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or secrets.token_urlsafe(32)
    if not _SECRET.fullmatch(secret):
        raise TelegramConfigError("TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters among "
                                  "A-Z, a-z, 0-9, _ and -")
    port_text = env.get("TELEGRAM_WEBHOOK_PORT", "8443").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise TelegramConfigError(f"TELEGRAM_WEBHOOK_PORT={port_text!r} is not a port number")
    listen = env.get("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0"
    peer = env.get("TELEGRAM_WEBHOOK_PEER_URL", "").strip()
    if peer and urlsplit(peer).scheme not in ("http", "https"):
        raise TelegramConfigError(f"TELEGRAM_WEBHOOK_PEER_URL={peer!r} is not an http(s) URL "
                                  "(where the other workers reach this one's webhook)")
    return WebhookConfig(url=url, secret=secret, listen=listen, port=int(port_text),
                         peer_url=peer)

"""The rule file's `web:` section: whether and where the dashboard is served."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, field_validator

from bot.settings.models import StrictModel

__all__ = ["DEFAULT_PORT", "WebFile", "effective_web"]

DEFAULT_PORT = 8080


class WebFile(StrictModel):
    """`web:` at the top of the rule file (the dashboard); `VIGIE_WEB_PORT` also enables it."""

    enabled: bool = Field(False, description="Serve the dashboard (VIGIE_WEB_PORT also does).")
    host: str = Field("127.0.0.1", description="Address to listen on; keep 127.0.0.1 behind a "
                                               "reverse proxy.")
    port: int = Field(DEFAULT_PORT, ge=1, le=65535, description="Port to listen on.")
    public_url: str | None = Field(
        None, description="The address people open (https://vigie.example.org behind a proxy); "
                          "login links start with it. Default: http://host:port.")
    secure_cookies: Literal["auto", "always", "never"] = Field(
        "auto", description="Mark the session cookie Secure: auto = when public_url is https.")
    trust_proxy: bool = Field(
        False, description="Read the client's address from X-Forwarded-For (only behind your "
                            "own reverse proxy).")
    session_hours: int = Field(12, ge=1, le=24 * 30,
                               description="How long a login lasts, in hours.")

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")) or " " in value:
            raise ValueError(f"public_url {value!r} must start with http:// or https://")
        return value

    @property
    def base_url(self) -> str:
        """Where login links point."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def secure(self) -> bool:
        """Whether the session cookie is marked Secure."""
        if self.secure_cookies == "auto":
            return (self.public_url or "").startswith("https://")
        return self.secure_cookies == "always"


def effective_web(section: WebFile | None, environ: dict[str, str] | None = None) -> WebFile | None:
    """The dashboard's settings when it is enabled (`web.enabled` or VIGIE_WEB_PORT), else None.

    VIGIE_WEB_PORT wins over `web.port`; a value that is not a port is a ValueError.
    """
    env = os.environ if environ is None else environ
    text = env.get("VIGIE_WEB_PORT", "").strip()
    base = section or WebFile()
    if text:
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ValueError(f"VIGIE_WEB_PORT={text!r} must be a port number (1-65535)")
        return base.model_copy(update={"port": int(text), "enabled": True})
    return base if base.enabled else None

"""An adapter that cannot start: the App stops what it started (plugins included) and closes
the store and Redis, so the process can exit or retry cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from bot.adapters.base import AdapterError
from bot.app import App
from bot.plugin import Plugin
from bot.shared import SharedWindows
from tests.harness import MINIMAL_RULES, RecordingAdapter


class Refused(RecordingAdapter):
    """An adapter whose platform refuses it (a bad token)."""

    async def start(self, sink: object) -> None:
        raise AdapterError("token refused")


class Tracked(Plugin):
    """Records its start and stop."""

    name: ClassVar[str] = "tracked"
    seen: ClassVar[list[str]] = []

    async def start(self) -> None:
        self.seen.append("start")

    async def stop(self) -> None:
        self.seen.append("stop")


class Closing(SharedWindows):
    """Redis windows that note being closed (no server needed: nothing is sent)."""

    closed = False

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self.closed = True


async def test_a_refused_adapter_stops_the_plugins_and_closes_store_and_redis(
        tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(MINIMAL_RULES, encoding="utf-8")
    shared = Closing("redis://127.0.0.1:1")
    app = App(config_path=tmp_path / "rules.yaml", adapters=[Refused()],
              database_url=f"sqlite:///{tmp_path / 'vigie.db'}", plugin_classes=[Tracked],
              shared=shared)
    Tracked.seen.clear()
    with pytest.raises(AdapterError):
        await app.start()
    assert Tracked.seen == ["start", "stop"]
    assert shared.closed
    with pytest.raises(Exception, match=r"not open|closed"):
        await app.store.fetch_all("SELECT 1")


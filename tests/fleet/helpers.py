"""Two workers for the fleet tests: harnesses whose Apps carry a worker name and notices."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.app import App
from bot.fleet.notices import Notices, OnNotice
from bot.storage import open_store
from tests.harness import MINIMAL_RULES, Harness

__all__ = ["DEADLINE_S", "EDITED_RULES", "LostNotices", "eventually", "worker"]

EDITED_RULES = MINIMAL_RULES.replace("Be nice.", "Be very nice.")
DEADLINE_S = 5.0  # a correctness bound (the issue asks 2 s; generous for a loaded CI machine)


class LostNotices(Notices):
    """Notices that never arrive: every announcement is lost."""

    async def connect(self) -> None:
        return None

    async def announce(self, worker: str, revision: str) -> None:
        return None

    async def close(self) -> None:
        return None

    async def start(self, on_notice: OnNotice) -> None:
        return None


def worker(folder: Path, name: str, url: str, *, notices: Notices | None = None,
           check_s: float = 3600.0, rules: str = MINIMAL_RULES) -> Harness:
    """A harness on `url` whose App is worker `name`, reading `folder`/rules.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    h = Harness(folder, rules=rules, database_url=url)
    h.store = open_store(url)
    h.app = App(config_path=h.rules_path, adapters=[h.adapter], store=h.store, clock=h.clock,
                plugin_classes=[], worker_id=name, notices=notices, rule_check_s=check_s)
    return h


async def eventually(condition: Callable[[], bool], deadline_s: float = DEADLINE_S) -> bool:
    """Whether `condition` became true before the deadline (polled every 20 ms)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline_s
    while loop.time() < end:
        if condition():
            return True
        await asyncio.sleep(0.02)
    return condition()

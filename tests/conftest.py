"""Shared fixtures: a started harness on a temporary directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """An App with only the core plugin and the minimal rules."""
    h = await Harness(tmp_path).start()
    yield h
    await h.stop()

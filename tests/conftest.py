"""Shared fixtures: a started harness on a temporary directory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.backends import harness_url, make_store, store_url
from tests.harness import Harness

__all__ = ["harness", "harness_url", "make_store", "store_url"]  # fixtures: storage backends

# CI replays the same examples every run (a red build is reproducible); locally each run
# explores new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """An App with only the core plugin and the minimal rules."""
    h = await Harness(tmp_path).start()
    yield h
    await h.stop()

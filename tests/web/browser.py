"""Browser machinery shared by the browser tests and scripts/dashboard_screenshots.py: Debian's
headless chromium through the system chromedriver (never downloaded), and a live dashboard."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

__all__ = ["CHROMEDRIVER", "CHROMIUM", "missing", "new_driver", "off_loop"]

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
T = TypeVar("T")


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return (f"{path} is missing: apt-get install -y {package} "
                    "(make test installs it when missing)")
    return None


def new_driver(width: int = 1280, height: int = 1000) -> webdriver.Chrome:
    """Headless chromium at this window size; Selenium Manager is never asked for anything."""
    os.environ["SE_OFFLINE"] = "true"  # belt and braces: both paths are given below
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--no-first-run", "--disable-extensions",
                     f"--window-size={width},{height}", "--lang=en-GB"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


async def off_loop(call: Callable[..., T], *args: Any) -> T:
    """Run a blocking WebDriver call in a thread, so the dashboard on this loop can answer."""
    return await asyncio.to_thread(call, *args)

"""What a running bot does not need until asked stays out of memory: loading every plugin does
not import matplotlib (about 40 MB), which only a chart (`!stats`, `!reputation`) draws with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = """
import sys
from bot.app import models_for
from bot.discovery import discover_plugins
models_for(list(discover_plugins()))
print("matplotlib" in sys.modules)
"""


def test_loading_every_plugin_does_not_import_matplotlib() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip() == "False", done.stderr

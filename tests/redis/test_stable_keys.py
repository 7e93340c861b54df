"""A text's key in Redis is the same in every worker process (str hashes are not)."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = "from plugins.automod.sharing import stable_key; print(stable_key('freetokensatscam'))"


def test_a_text_has_the_same_key_in_every_process() -> None:
    """Two processes with different hash seeds give the same key to the same text."""
    keys = {subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(keys) == 1 and keys.pop().strip().isdigit()

"""The garbage collector once the bot has started: what startup built is left out of collections.

A started bot holds many long-lived objects (compiled rules, lexicons, plugin state). CPython's
full collections walk every tracked object, so without this they grow with the rule set and
pause the bot longer. `settle` collects once and then freezes the survivors (`gc.freeze`): later
collections walk only what handling messages created.
"""

from __future__ import annotations

import gc

__all__ = ["release", "settle"]


def settle() -> None:
    """Collect every cycle (frozen ones too), then freeze what survived."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the frozen objects back to the collector (once the app that built them stops)."""
    gc.unfreeze()

"""StopSignals: a signal interrupts a start, ends a run, and a second one is ignored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child: the signals are sent to the process itself.
SCRIPT = """
import asyncio, os, signal
from bot.signals import StopSignals

async def main():
    with StopSignals() as signals:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.Event().wait()  # a start that would never end
        except asyncio.CancelledError:
            print("start interrupted:", signals.interrupted())
    with StopSignals() as signals:
        asyncio.get_running_loop().call_soon(os.kill, os.getpid(), signal.SIGINT)
        await signals.until(asyncio.Event().wait())  # a run that would never end
        print("run ended")
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(3):
            await asyncio.sleep(0)
        print("a second signal is ignored")
    try:
        with StopSignals() as signals:
            async def broken():
                raise ValueError("the run failed")
            await signals.until(broken())
    except ValueError as exc:
        print("a failing run raises:", exc)

asyncio.run(main())
"""


def test_signals_interrupt_a_start_and_end_a_run() -> None:
    """Each phase answers a signal as `vigie run` needs, and the process ends normally."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "start interrupted: True", "run ended", "a second signal is ignored",
        "a failing run raises: the run failed"]

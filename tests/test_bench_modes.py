"""`vigie bench --e2e` and `--memory` run and report what they measured (never timed here)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.bench.e2e import e2e_lines, run_e2e
from bot.bench.memory import container_sizes, memory_lines, run_memory
from bot.cli import app


def test_e2e_turns_every_raw_payload_into_a_decision() -> None:
    """Each Discord gateway payload and Telegram update reaches the App through the adapter."""
    result = run_e2e(messages=400)
    for platform in (result.discord, result.telegram):
        assert platform.payloads == platform.handled > 300  # one event per payload
        assert platform.decisions > 0  # the stream's insults and questions were decided on
        assert platform.msgs_per_s > 0 and platform.wall_msgs_per_s > 0
    data = result.as_json()
    assert set(data["targets"]) == {"discord", "telegram"}
    text = "\n".join(e2e_lines(result))
    assert "discord" in text and "telegram" in text


def test_memory_follows_the_rss_and_names_the_largest_structures() -> None:
    """RSS after start and along the run; the core's and plugins' containers by size."""
    result = run_memory(messages=2000, authors=300, channels=40, top=40)
    assert result.rss_start_mb > 0 and result.rss_end_mb > 0
    assert [count for count, _ in result.samples] == list(range(200, 2001, 200))
    names = {name for name, _ in result.containers}
    assert "history._channels" in names  # among the 40 largest, whatever the plugins hold
    assert any(name.startswith(("automod.", "escalation.")) for name in names)
    data = result.as_json()
    assert set(data["targets"]) == {"rss_mb", "flat_last_half"}
    assert "RSS after start" in "\n".join(memory_lines(result))


def test_container_sizes_walks_plugins() -> None:
    """A plugin's nested state is found by its attribute path."""

    class State:
        def __init__(self) -> None:
            self.per_channel = {str(n): n for n in range(7)}

    class Fake:
        name = "fake"

        def __init__(self) -> None:
            self.state = State()

    class Services:
        rulebook = catalog = commands = store = None
        history = members = audit = scheduler = cases = shared = None

    class App:
        def __init__(self) -> None:
            self.services = Services()
            self.dispatcher = None
            self.plugins = [Fake()]

    assert ("fake.state.per_channel", 7) in container_sizes(App())


def test_command_modes_print_json() -> None:
    """`vigie bench --e2e --json` and `vigie bench --memory --json`."""
    runner = CliRunner()
    e2e = runner.invoke(app, ["bench", "--e2e", "--json", "--messages", "500"])
    assert e2e.exit_code == 0, e2e.output
    assert {"discord", "telegram", "targets"} <= set(json.loads(e2e.stdout))
    memory = runner.invoke(app, ["bench", "--memory", "--json", "--messages", "1000"])
    assert memory.exit_code == 0, memory.output
    data = json.loads(memory.stdout)
    assert data["messages"] == 1000 and data["authors"] == 50_000 and data["channels"] == 2000
    assert {"rss_start_mb", "rss_end_mb", "samples", "containers", "targets"} <= set(data)

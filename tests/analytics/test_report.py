"""`vigie report`: a self-contained, escaped HTML page or raw CSV, read beside a running Vigie."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import re
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from plugins.analytics.charts import HEIGHT, WIDTH
from tests.analytics.conftest import Make, analytics
from tests.analytics.test_figures import script
from tests.analytics.test_stats import png_size
from tests.harness import Harness

runner = CliRunner()
HOSTILE = '<script>alert("x")</script>'


def rule_file(h: Harness, lang: str) -> Path:
    """A rule file naming the community with markup, to check that it is escaped."""
    path = h.tmp / "report-rules.yaml"
    path.write_text(h.rules_path.read_text(encoding="utf-8").replace(
        "name: Test community", f"name: '{HOSTILE}'").replace(
        "language: en", f"language: {lang}"), encoding="utf-8")
    return path


async def scripted(make: Make) -> Harness:
    h = await make()
    await script(h)
    await h.say("!warn alice <b>bold</b> & co", h.user("claire"))
    await analytics(h).writer.flush()
    return h


async def invoke(*args: str) -> str:
    """`vigie report ARGS` (in a thread: the command runs its own event loop)."""
    result = await asyncio.to_thread(runner.invoke, app, ["report", "--until", "2026-11-23",
                                                          *args])
    assert result.exit_code == 0, result.output
    return result.output


async def test_html_report_is_self_contained_and_escaped(make: Make, tmp_path: Path) -> None:
    h = await scripted(make)                       # still running: the file is locked
    out = tmp_path / "report.html"
    said = await invoke("--since", "7d", "--out", str(out), "--database",
                  f"sqlite:///{h.tmp / 'vigie.db'}", "--config", str(rule_file(h, "en")))
    assert said.strip() == f"{out}: html, last 7 days, 1 community"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert HOSTILE not in page and "&lt;script&gt;" in page
    assert "<b>" not in page
    assert "Activity: 5 messages, 3 active members, 1 replies" in page
    assert "<td>claire</td><td>4</td><td>1</td>" in page
    assert not re.search(r'(src|href)="(?!data:)', page)   # nothing fetched from elsewhere
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 1
    assert png_size(base64.b64decode(images[0])) == (WIDTH, HEIGHT)


async def test_html_report_in_french(make: Make, tmp_path: Path) -> None:
    h = await scripted(make)
    out = tmp_path / "rapport.html"
    await invoke("--since", "30j", "--out", str(out), "--database",
                 f"sqlite:///{h.tmp / 'vigie.db'}", "--config", str(rule_file(h, "fr")))
    page = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Rapport Vigie, du 2026-" in page
    assert "Jour par jour" in page and "Day by day" not in page


async def test_csv_report_has_the_raw_aggregates(make: Make, tmp_path: Path) -> None:
    h = await scripted(make)
    out = tmp_path / "report.csv"
    await invoke("--since", "7d", "--format", "csv", "--out", str(out), "--database",
           f"sqlite:///{h.tmp / 'vigie.db'}", "--config", str(h.rules_path))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    messages = sum(int(r["value"]) for r in rows if r["metric"] == "messages")
    assert messages == 5
    active = {r["day"]: int(r["value"]) for r in rows if r["metric"] == "active_members"}
    assert active == {"2026-11-21": 3, "2026-11-22": 1}


async def test_report_of_an_empty_database(make: Make, tmp_path: Path) -> None:
    h = await make()
    out = tmp_path / "empty.html"
    said = await invoke("--out", str(out), "--database", f"sqlite:///{h.tmp / 'vigie.db'}",
                  "--config", str(h.rules_path))
    assert "0 communities" in said
    assert "No community has figures in this database." in out.read_text(encoding="utf-8")


def test_report_refuses_bad_options_and_a_missing_database(tmp_path: Path) -> None:
    assert runner.invoke(app, ["report", "--since", "2h"]).exit_code == 2
    assert runner.invoke(app, ["report", "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["report", "--until", "23/11/2026"]).exit_code == 2
    missing = runner.invoke(app, ["report", "--database", f"sqlite:///{tmp_path / 'no.db'}",
                                  "--out", str(tmp_path / "r.html")])
    assert missing.exit_code == 1 and "does not exist" in missing.output

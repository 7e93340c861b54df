"""The `vigie` command: run, check, schema, verify-draw, replay, report, migrate, health, bench."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.discovery import discover_plugins
from bot.running import build_adapters, choose_platforms, lease_from_env, run_until_stopped
from bot.scheduler import default_worker
from bot.settings import ConfigError, SettingsModels, load_rules
from bot.storage import StoreError

if TYPE_CHECKING:
    from bot.plugin import Plugin
    from bot.settings.ruleset import RuleSet
    from bot.storage.migrate import MigrateReport

__all__ = ["app", "main"]

DEFAULT_CONFIG = "config/rules.yaml"
DEFAULT_DATABASE = "sqlite:///data/vigie.db"

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Vigie, the community-moderation assistant for community managers.")


def _models() -> SettingsModels:
    from bot.app import models_for

    errors: list[str] = []
    plugins = discover_plugins(errors)
    for error in errors:
        typer.echo(f"warning: plugin not loaded: {error}", err=True)
    return models_for(plugins)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="The rule file to validate.")],
) -> None:
    """Validate a rule file: exit 0 when valid, 1 with `file:line:col: path: message` lines."""
    try:
        rules = load_rules(file, _models())
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue))
        typer.echo(f"{file}: {len(exc.issues)} problem(s); the file cannot be used", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # a bug in a check is reported as one line, never a traceback
        typer.echo(f"{file}:1:1: (file): could not be checked: unexpected "
                   f"{type(exc).__name__}: {exc} (please report it)")
        raise typer.Exit(1) from None
    for warning in rules.warnings:
        typer.echo(str(warning))
    for line in _keyword_rule_lines(rules):
        typer.echo(f"{file}: {line}")
    typer.echo(f"{file}: valid (revision {rules.revision}, {len(rules.communities)} "
               f"communit{'y' if len(rules.communities) == 1 else 'ies'}, "
               f"{len(rules.overrides)} override(s))")


def _keyword_rule_lines(rules: RuleSet) -> list[str]:
    """What the automod rules become as Discord AutoMod rules, where a community opted in."""
    try:
        from plugins.automod.native import check_lines
    except ImportError:  # automod not installed
        return []
    return [str(line) for line in check_lines(rules)]


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file instead.")] = None,
) -> None:
    """Print the JSON Schema of the rule file, for editor completion."""
    text = _models().json_schema_text()
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command("verify-draw")
def verify_draw(
    proof: Annotated[Path | None, typer.Argument(
        help="A proof file (the JSON printed by `contest proof`); - reads standard input.")] = None,
    seed: Annotated[str | None, typer.Option(help="The seed revealed at the close.")] = None,
    commitment: Annotated[str | None, typer.Option(
        help="The commitment published at the start.")] = None,
    entrants: Annotated[Path | None, typer.Option(
        help="A file of entrant ids, one per line (any order).")] = None,
    count: Annotated[list[int] | None, typer.Option(
        help="Winners drawn in each round: the close, then each reroll (repeat).")] = None,
    entrants_sha256: Annotated[str | None, typer.Option(
        "--entrants-sha256", help="The hash of the sorted entrant list, as announced.")] = None,
    winner: Annotated[list[str] | None, typer.Option(
        help="An announced winner, in order (repeat): checked against the recomputation.")] = None,
) -> None:
    """Check a contest draw from its published data (no database): exit 0 when it holds, 1 not."""
    from plugins.contests.proof import Proof, ProofError, Round, verify

    try:
        if proof is not None:
            text = sys.stdin.read() if str(proof) == "-" else proof.read_text(encoding="utf-8")
            document = Proof.from_json(text)
        else:
            if seed is None or commitment is None or entrants is None or not count:
                typer.echo("error: give a proof file, or --seed, --commitment, --entrants and "
                           "--count (see vigie verify-draw --help)", err=True)
                raise typer.Exit(2)
            ids = [line.strip() for line in entrants.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
            ordered = sorted(set(ids))
            document = Proof(contest=0, commitment=commitment, seed=seed, entrants=tuple(ordered),
                             entrants_sha256="",
                             rounds=tuple(Round(i, n, None) for i, n in enumerate(count)))
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read the proof: {exc}", err=True)
        raise typer.Exit(2) from None
    except (ProofError, ValueError) as exc:
        typer.echo(f"error: the proof cannot be read: {exc}", err=True)
        raise typer.Exit(2) from None
    result = verify(document, expected_digest=entrants_sha256, expected_winners=winner)
    if document.contest:
        typer.echo(f"contest #{document.contest}: {document.prize} (draw v{document.version})")
    for check in result.checks:
        typer.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.what}")
    if result.ok:
        typer.echo("verified: the winners follow from the committed seed and the entrant list")
        return
    typer.echo("NOT verified: see the FAIL lines above")
    raise typer.Exit(1)


@app.command()
def run(
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Rule file (default: $VIGIE_CONFIG or config/rules.yaml).")] = None,
    platform: Annotated[list[str] | None, typer.Option(
        "--platform", "-p",
        help="console, discord or telegram; repeat for several (default: every platform whose "
             "token is set, else console).")] = None,
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL (default: $VIGIE_DATABASE_URL or "
                           "sqlite:///data/vigie.db).")] = None,
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = "INFO",
    worker_id: Annotated[str | None, typer.Option(
        "--worker-id", help="This worker's name in the workers table and job claims (default: "
                            "$VIGIE_WORKER_ID or hostname-pid).")] = None,
) -> None:
    """Run the bot (the console community when no platform token is set)."""
    from bot.logs import configure_logging

    config_path = config or Path(os.environ.get("VIGIE_CONFIG", DEFAULT_CONFIG))
    database_url = database or os.environ.get("VIGIE_DATABASE_URL", DEFAULT_DATABASE)
    platforms = choose_platforms(platform)
    adapters = build_adapters(platforms)
    log_file = Path("data/vigie.log") if "console" in platforms else None
    configure_logging(log_level.upper(), file=log_file)
    worker = worker_id or os.environ.get("VIGIE_WORKER_ID") or default_worker()
    lease_from_env()  # a wrong value stops here, before anything starts
    code = asyncio.run(run_until_stopped(config_path, database_url, adapters, log_file, worker))
    raise typer.Exit(code)


@app.command()
def replay(
    log: Annotated[Path, typer.Argument(help="Events to replay: a Vigie event log (JSONL), a "
                                             "Telegram Desktop result.json or a "
                                             "DiscordChatExporter JSON export.")],
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Rule file (default: $VIGIE_CONFIG or config/rules.yaml).")] = None,
    against: Annotated[Path | None, typer.Option(
        "--against", help="Another rule file: show only the events whose decision changes, "
                          "side by side.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text (for people) or json (one "
                                                       "decision per line, then a summary)."
                                     )] = "text",
    input_format: Annotated[str, typer.Option(
        "--input-format", help="auto, jsonl, telegram or discord.")] = "auto",
    database: Annotated[str | None, typer.Option(
        "--database", help="Write cases and audit rows to this database (default: an "
                           "in-memory one, nothing is written).")] = None,
) -> None:
    """Run past events through the rules without touching any platform."""
    from bot.logs import configure_logging
    from bot.replay import ReplayInputError
    from bot.replay.command import replay_command

    if fmt not in ("text", "json"):
        typer.echo(f"error: --format must be text or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    if against is not None and database is not None:
        typer.echo("error: --database cannot be used with --against (two runs, one database)",
                   err=True)
        raise typer.Exit(2)
    config_path = config or Path(os.environ.get("VIGIE_CONFIG", DEFAULT_CONFIG))
    configure_logging("WARNING", stream=sys.stderr)
    try:
        code = asyncio.run(replay_command(log, config_path, against, fmt, input_format,
                                          database, sys.stdout, sys.stderr))
    except ReplayInputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        typer.echo("error: the rule file is not valid (vigie check shows why)", err=True)
        raise typer.Exit(1) from None
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(code)


@app.command()
def report(
    since: Annotated[str, typer.Option("--since", help="The last N days, today included "
                                                       "(7d, 30d; 1 to 365 days).")] = "30d",
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")] = Path(
        "report.html"),
    fmt: Annotated[str, typer.Option("--format", help="html (one self-contained page, charts "
                                                      "embedded) or csv (raw aggregates).")
                   ] = "html",
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL (default: $VIGIE_DATABASE_URL or "
                           "sqlite:///data/vigie.db); read only, Vigie may be running.")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", help="Rule file: names, language, chart theme (default: "
                               "$VIGIE_CONFIG or config/rules.yaml).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="en or fr (default: the rule "
                                                            "file's language).")] = None,
    community: Annotated[list[str] | None, typer.Option(
        "--community", help="Only this community (repeat for several).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Last day of the period, YYYY-MM-DD (default: today, UTC).")] = None,
) -> None:
    """Analytics report of every community: activity, growth, answers and moderation."""
    from datetime import UTC, datetime

    from bot.clock import SystemClock
    from plugins.analytics.command import write_report
    from plugins.analytics.plugin import parse_days

    days = parse_days(since)
    try:
        now = datetime.strptime(until, "%Y-%m-%d").replace(hour=12, tzinfo=UTC) \
            if until else SystemClock().now()
    except ValueError:
        now = None
    if days is None or now is None or fmt not in ("html", "csv") \
            or lang not in (None, "en", "fr"):
        typer.echo("error: --since takes 1d to 365d, --until YYYY-MM-DD, --format html or "
                   "csv, --lang en or fr", err=True)
        raise typer.Exit(2)
    url = database or os.environ.get("VIGIE_DATABASE_URL", DEFAULT_DATABASE)
    config_path = config or Path(os.environ.get("VIGIE_CONFIG", DEFAULT_CONFIG))
    try:
        rules = load_rules(config_path, _models())
        count = asyncio.run(write_report(url, _shown(url), rules, days=days, out=out, fmt=fmt,
                                         now=now, lang=lang, only=community or ()))
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        typer.echo("error: the rule file is not valid (vigie check shows why)", err=True)
        raise typer.Exit(1) from None
    except (StoreError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{out}: {fmt}, last {days} days, {count} communit"
               f"{'y' if count == 1 else 'ies'}")


@app.command()
def migrate(
    source: Annotated[str, typer.Option("--from", help="The SQLite database to copy, e.g. "
                                                      "sqlite:///data/vigie.db.")],
    target: Annotated[str, typer.Option("--to", help="An empty database, e.g. "
                                                    "postgresql://user:password@host/vigie.")],
    batch_size: Annotated[int, typer.Option("--batch-size", min=1,
                                            help="Rows per transaction.")] = 500,
) -> None:
    """Copy every table into an empty database, then compare both: exit 0 when identical."""
    try:
        report = asyncio.run(_migrate(source, target, batch_size))
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{'resumed' if report.resumed else 'copied'} {report.source} -> {report.target}")
    width = max((len(t.table) for t in report.tables), default=5)
    typer.echo(f"{'table':<{width}}  {'source':>8}  {'target':>8}  {'copied':>8}  checksum")
    for t in report.tables:
        typer.echo(f"{t.table:<{width}}  {t.source_rows:>8}  {t.target_rows:>8}  "
                   f"{t.copied_now:>8}  {'same' if t.ok else 'DIFFERENT'} {t.target_sum}")
    for t in report.tables:
        if not t.ok:
            typer.echo(f"difference: {t.table}: {t.source_rows} row(s) with checksum "
                       f"{t.source_sum} in the source, {t.target_rows} with {t.target_sum} "
                       "in the target")
    for difference in report.differences:
        typer.echo(f"difference: {difference}")
    if not report.ok:
        typer.echo("the copy differs from the source: do not switch to it", err=True)
        raise typer.Exit(1)
    typer.echo(f"identical: {len(report.tables)} table(s), case numbering checked")


async def _migrate(source_url: str, target_url: str, batch_size: int) -> MigrateReport:
    """Open both stores, migrate and verify, close them; the report."""
    from bot.app import CORE_PLUGINS
    from bot.storage import open_store
    from bot.storage.core_schema import CORE_MIGRATIONS
    from bot.storage.migrate import migrate_database

    errors: list[str] = []
    classes: list[type[Plugin]] = [*CORE_PLUGINS, *discover_plugins(errors)]
    for error in errors:
        typer.echo(f"warning: plugin not loaded: {error}", err=True)
    migrations = [("core", CORE_MIGRATIONS), *((c.name, c.migrations) for c in classes
                                                        if c.migrations)]
    if not source_url.startswith("sqlite://"):
        raise StoreError(f"--from must be a sqlite:/// URL (got {_shown(source_url)})")
    source, target = open_store(source_url), open_store(target_url)
    await source.open()
    try:
        await target.open()
        try:
            return await migrate_database(source, target, migrations, batch_size=batch_size)
        finally:
            await target.close()
    finally:
        await source.close()


def _shown(url: str) -> str:
    """A URL fit to print (its password masked)."""
    from bot.storage.postgres import mask_url

    return mask_url(url)


@app.command()
def health(
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    database: Annotated[str | None, typer.Option(
        "--database", help="Database URL (default: $VIGIE_DATABASE_URL or "
                           "sqlite:///data/vigie.db).")] = None,
) -> None:
    """Each worker's revision, communities and heartbeat lag: exit 1 when no worker was seen in
    the last minute or live workers run different revisions, 2 when the database cannot be read."""
    from bot.clock import SystemClock
    from bot.fleet.health import read_health_at

    url = database or os.environ.get("VIGIE_DATABASE_URL", DEFAULT_DATABASE)
    try:
        report = asyncio.run(read_health_at(url, SystemClock().now()))
    except StoreError as exc:
        hint = " (has a worker started on this database?)" if "workers" in str(exc) else ""
        typer.echo(f"error: {exc}{hint}", err=True)
        raise typer.Exit(2) from None
    if json_output:
        typer.echo(report.as_json())
    else:
        for line in report.lines():
            typer.echo(line)
    raise typer.Exit(0 if report.problem is None else 1)


@app.command()
def bench(
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    messages: Annotated[int | None, typer.Option(
        "--messages", min=500, help="Messages per variant (default 100,000; --e2e 20,000 per "
                                    "platform; --memory 1,000,000).")] = None,
    words: Annotated[int, typer.Option("--words", min=10, help="Words in the word rules.")] = 1000,
    rules: Annotated[Path, typer.Option(
        "--rules", help="The rule file the pipeline runs.")] = Path("config/rules.yaml"),
    e2e: Annotated[bool, typer.Option(
        "--e2e", help="From raw Discord and Telegram payloads, through the libraries' "
                      "parsing and the adapters, to a decision.")] = False,
    memory: Annotated[bool, typer.Option(
        "--memory", help="RSS after start and along 1,000,000 messages from 50,000 authors "
                         "in 2,000 channels.")] = False,
    faq: Annotated[bool, typer.Option("--faq/--no-faq", help="Include the FAQ runs.")] = True,
    store: Annotated[str | None, typer.Option(
        "--store", help="Measure cases/s and jobs/s on this database (e.g. postgresql://...) "
                        "beside SQLite, in a throwaway schema, instead of the pipeline.")] = None,
) -> None:
    """Time the bot as `vigie run` configures it (every plugin, per-plugin cost) against
    automod alone, regex baselines and the floor; or end to end (--e2e), or its memory."""
    from bot.bench.command import run_command
    from bot.logs import configure_logging

    configure_logging("WARNING", stream=sys.stderr)
    if store is not None:
        _bench_store(store, json_output)
        return
    mode = "memory" if memory else "e2e" if e2e else "pipeline"
    for line in run_command(mode, messages=messages, words=words, rules=rules, faq=faq,
                            json_output=json_output,
                            note=lambda text: typer.echo(text, err=True)):
        typer.echo(line)


def _bench_store(url: str, json_output: bool) -> None:
    """`vigie bench --store URL`."""
    import asyncio
    import json

    from bot.bench_store import bench_stores, store_lines
    from bot.storage import StoreError

    try:
        figures = asyncio.run(bench_stores(url))
    except (StoreError, OSError) as exc:
        typer.echo(f"vigie bench --store: {exc}", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # the driver's own errors (refused login...): one line
        typer.echo(f"vigie bench --store: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    if json_output:
        typer.echo(json.dumps([f.as_json() for f in figures], indent=2))
    else:
        for line in store_lines(figures):
            typer.echo(line)


def main() -> None:
    """Entry point of the `vigie` script."""
    with contextlib.suppress(KeyboardInterrupt):
        app(prog_name="vigie")
    sys.exit(0)

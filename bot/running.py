"""What `vigie run` does: choose the adapters, start the App, run until stopped, stop in order."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot import heap
from bot.adapters.base import Adapter, AdapterError
from bot.settings import ConfigError
from bot.storage import StoreError

if TYPE_CHECKING:
    from bot.app import App
    from bot.settings.manager import ReloadOutcome
    from bot.signals import StopSignals

__all__ = ["PLATFORM_TOKENS", "build_adapters", "choose_platforms", "lease_from_env", "resettle",
           "run_until_stopped"]

PLATFORM_TOKENS = {"discord": "DISCORD_TOKEN", "telegram": "TELEGRAM_TOKEN"}


def choose_platforms(requested: list[str] | None) -> list[str]:
    """The platforms asked for, else every one whose token is set, else the console."""
    if requested:
        return list(dict.fromkeys(requested))
    with_tokens = [name for name, env in PLATFORM_TOKENS.items() if os.environ.get(env)]
    return with_tokens or ["console"]


def build_adapters(platforms: list[str]) -> list[Adapter]:
    """One adapter per platform; an unknown or unavailable one ends the command (exit 2)."""
    adapters: list[Adapter] = []
    for platform in platforms:
        if platform == "console":
            from bot.adapters.console import ConsoleAdapter

            adapters.append(ConsoleAdapter())
        elif platform == "discord":
            adapters.append(_discord_adapter())
        elif platform == "telegram":
            adapters.append(_telegram_adapter())
        elif platform in PLATFORM_TOKENS:
            typer.echo(
                f"error: the {platform} adapter is not available in this version of Vigie yet. "
                f"Unset {PLATFORM_TOKENS[platform]} or run with --platform console "
                "(README: Limits).", err=True)
            raise typer.Exit(2)
        else:
            typer.echo(f"error: unknown platform {platform!r} (console, discord, telegram)",
                       err=True)
            raise typer.Exit(2)
    return adapters


def _discord_adapter() -> Adapter:
    """The Discord adapter from DISCORD_TOKEN (and DISCORD_SHARD_COUNT / DISCORD_SHARD_IDS)."""
    from bot.adapters.discord import DiscordAdapter, DiscordConfig, DiscordConfigError

    try:
        config = DiscordConfig.from_env()
    except DiscordConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    return DiscordAdapter.from_config(config)


def _telegram_adapter() -> Adapter:
    """The Telegram adapter from TELEGRAM_TOKEN (and TELEGRAM_BASE_URL, TELEGRAM_WEBHOOK_*)."""
    from bot.adapters.telegram import TelegramAdapter, TelegramConfig, TelegramConfigError

    try:
        config = TelegramConfig.from_env()
    except TelegramConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    return TelegramAdapter(config)


async def _connect_telegram(adapters: list[Adapter], app_: App) -> str | None:
    """Check the Telegram token before anything starts, and give the adapter the community
    languages (for explaining refusals); the problem in one line, or None."""
    if not any(a.platform == "telegram" for a in adapters):
        return None
    from bot.adapters.telegram import TelegramAdapter, TelegramStartError

    for adapter in adapters:
        if isinstance(adapter, TelegramAdapter):
            adapter.language_of = lambda c: app_.rulebook.current.community(c).language
            try:
                await adapter.connect()
            except TelegramStartError as exc:
                return str(exc)
    return None


def lease_from_env() -> timedelta | None:
    """$VIGIE_LEASE_SECONDS: how long a dead worker's communities and jobs wait for another."""
    text = os.environ.get("VIGIE_LEASE_SECONDS", "").strip()
    if not text:
        return None
    if not text.isdigit() or not 3 <= int(text) <= 3600:
        typer.echo(f"error: VIGIE_LEASE_SECONDS={text!r} must be a whole number of seconds "
                   "from 3 to 3600", err=True)
        raise typer.Exit(2)
    return timedelta(seconds=int(text))


async def run_until_stopped(config_path: Path, database_url: str, adapters: list[Adapter],
               log_file: Path | None, worker_id: str | None = None) -> int:
    """Start, run until the input ends or SIGINT/SIGTERM arrives, stop in order; the exit code."""
    from bot.signals import StopSignals

    with StopSignals() as signals:
        try:
            return await _run_app(config_path, database_url, adapters, log_file, signals,
                                  worker_id)
        except asyncio.CancelledError:  # a signal before the run began: nothing is left open
            if not signals.interrupted():
                raise
            typer.echo("error: stopped by a signal before the start was complete", err=True)
            return 1


async def _run_app(config_path: Path, database_url: str, adapters: list[Adapter],
                   log_file: Path | None, signals: StopSignals,
                   worker_id: str | None = None) -> int:
    """Build and start the App (and the dashboard), run it, stop it; the exit code."""
    from bot.adapters.console import COMMUNITY, ConsoleAdapter
    from bot.app import App

    app_ = App(config_path=config_path, adapters=adapters, database_url=database_url,
               clock=next((a.clock for a in adapters if isinstance(a, ConsoleAdapter)), None),
               watch=True, redis_url=os.environ.get("VIGIE_REDIS_URL") or None,
               worker_id=worker_id, lease=lease_from_env())
    for adapter in adapters:
        if isinstance(adapter, ConsoleAdapter):
            adapter.keep_members_in(app_.services.kv("console"))
    problem = await _connect_telegram(adapters, app_)
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        return 1
    try:
        await app_.start()
    except ConfigError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        typer.echo(f"error: {config_path} is not valid; fix it (vigie check {config_path}) "
                   "and start again", err=True)
        return 1
    except (StoreError, AdapterError) as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    from bot.web.server import start_dashboard
    try:
        dashboard = await start_dashboard(app_)
    except (ValueError, OSError) as exc:
        typer.echo(f"error: the web dashboard cannot start: {exc}", err=True)
        await app_.stop()
        return 1
    heap.settle()  # startup's objects out of later collections; again after each reload
    app_.rulebook.listen(resettle)
    for adapter in adapters:
        if isinstance(adapter, ConsoleAdapter):
            adapter.settle = app_.scheduler.run_due
            adapter.role_of = lambda user: app_.role_of(COMMUNITY, user)
            lines = [f"Rules: {config_path} (revision {app_.rulebook.current.revision}; "
                     "edits apply live)",
                     f"Database: {app_.store.url}"]
            if log_file is not None:
                lines.append(f"Log: {log_file}")
            if dashboard is not None:
                lines.append(f"Dashboard: {dashboard.settings.base_url} (type !dashboard as a "
                             "CM for a login link)")
            adapter.banner(lines)
    try:
        await signals.until(app_.run_until_closed())
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        if dashboard is not None:
            await dashboard.stop()
        await app_.stop()
    return 0


async def resettle(outcome: ReloadOutcome) -> None:
    """After a reload the old rules are garbage: collect them, freeze the new ones."""
    if outcome.status == "applied":
        heap.settle()

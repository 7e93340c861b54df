"""Keeps the platform keyword rules Vigie publishes (Discord AutoMod) in step with the rule file.

At start and after each reload, off the message path: for every community an adapter with
keyword rules serves, the plugins say which rules the rule file compiles into; Vigie creates,
edits and deletes only the rules it created, whose ids it keeps in the `kv` table (namespace
`keyword-rules`, one row per rule key). A rule someone else created is never touched, even one
named like Vigie's; a rule of Vigie's deleted by hand is created again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.adapters.base import Adapter
from bot.adapters.keyword_rules import (
    MAX_KEYWORD_RULES,
    KeywordRule,
    KeywordRuleHost,
    check_limits,
)
from bot.clock import to_text
from bot.settings.ruleset import RuleSet
from bot.storage import Store

__all__ = ["NAMESPACE", "KeywordRuleSync", "SyncReport", "owner_of", "recorded_rules"]

log = logging.getLogger("vigie.keyword_rules")
NAMESPACE = "keyword-rules"

Source = Callable[[RuleSet, str], Sequence[KeywordRule]]
"""What a plugin publishes for a community (`keyword_rules(rules, community)`)."""


@dataclass
class SyncReport:
    """What one community's sync did."""

    community: str
    created: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def recorded_rules(store: Store, community: str) -> dict[str, dict[str, str]]:
    """Vigie's published rules of a community: rule key -> {id, digest}."""
    rows = await store.fetch_all(
        "SELECT item_key, value FROM kv WHERE namespace = :ns AND community = :c",
        {"ns": NAMESPACE, "c": community})
    return {str(r["item_key"]): json.loads(r["value"]) for r in rows}


async def owner_of(store: Store, community: str, platform_id: str) -> str | None:
    """The rule key of one of Vigie's published rules, by the platform's id (None: not ours)."""
    for key, value in (await recorded_rules(store, community)).items():
        if value.get("id") == platform_id:
            return key
    return None


class KeywordRuleSync:
    """Publishes the compiled rules; one sync at a time, in the background."""

    def __init__(self, store: Store, rules: Callable[[], RuleSet],
                 adapters: Mapping[str, Adapter], sources: Sequence[Source],
                 now: Callable[[], datetime]) -> None:
        self.store = store
        self._rules = rules
        self.adapters = adapters
        self.sources = list(sources)
        self._now = now
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.reports: list[SyncReport] = []

    def kick(self) -> None:
        """Sync soon, in the background (after the sync under way, if any)."""
        if not self.sources or not any(isinstance(a, KeywordRuleHost)
                                       for a in self.adapters.values()):
            return
        previous = self._task

        async def run() -> None:
            if previous is not None:
                with contextlib.suppress(BaseException):
                    await previous
            await self.sync()

        self._task = asyncio.create_task(run(), name="vigie-keyword-rules")

    async def settled(self) -> None:
        """Wait for the background sync, if one runs."""
        while self._task is not None and not self._task.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(self._task)

    async def stop(self) -> None:
        """Cancel a sync under way."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def sync(self) -> list[SyncReport]:
        """Bring every served community in step; errors are logged, never raised."""
        async with self._lock:
            reports = []
            for adapter in self.adapters.values():
                if not isinstance(adapter, KeywordRuleHost):
                    continue
                for community in sorted(adapter.communities()):
                    try:
                        reports.append(await self.sync_community(adapter, community))
                    except Exception:
                        log.exception("keyword rules not synced community=%s", community)
            self.reports = reports
            return reports

    def wanted(self, community: str) -> list[KeywordRule]:
        """The rules the rule file compiles into for a community, in order."""
        rules = self._rules()
        return [rule for source in self.sources for rule in source(rules, community)]

    async def sync_community(self, host: KeywordRuleHost, community: str) -> SyncReport:
        """Delete, edit, then create, so that a rule taken away frees its place first."""
        report = SyncReport(community)
        wanted = self.wanted(community)
        recorded = await recorded_rules(self.store, community)
        if not wanted and not recorded:
            return report
        try:
            published = {p.id: p for p in await host.keyword_rules(community)}
        except Exception as exc:
            log.warning("keyword rules of community=%s not read (Vigie needs Manage Server): "
                        "%s", community, exc)
            report.failed.append(f"list: {exc}")
            return report
        ours: dict[str, str] = {}
        for key, value in recorded.items():
            found = published.get(value.get("id", ""))
            if found is None or not found.mine:  # deleted by hand: forget it, make it again
                await self._forget(community, key)
                continue
            ours[key] = value["id"]
        foreign = sum(1 for p in published.values() if p.id not in ours.values())
        room = max(0, MAX_KEYWORD_RULES - foreign)
        keep, report.left_out = wanted[:room], [r.key for r in wanted[room:]]
        if report.left_out:
            log.warning("community=%s: %d keyword rule(s) not published, the server has %d of "
                        "its own (Discord allows %d): %s", community, len(report.left_out),
                        foreign, MAX_KEYWORD_RULES, ", ".join(report.left_out))
        kept = {rule.key for rule in keep}
        for key, rule_id in ours.items():
            if key in kept:
                continue
            result = await host.delete_keyword_rule(community, rule_id)
            if result.succeeded:
                await self._forget(community, key)
                report.deleted.append(key)
            else:
                report.failed.append(f"{key}: {result.detail}")
        for rule in keep:
            problems = check_limits(rule)
            if problems:  # compiled rules fit; this guards against a compiler mistake
                report.failed.append(f"{rule.key}: {'; '.join(problems)}")
                log.error("keyword rule %s community=%s not sent, beyond Discord's limits: %s",
                          rule.key, community, "; ".join(problems))
                continue
            digest = rule.digest()
            if rule.key in ours:
                if recorded[rule.key].get("digest") == digest:
                    report.unchanged.append(rule.key)
                    continue
                result = await host.edit_keyword_rule(community, ours[rule.key], rule)
                done = report.edited
                rule_id = ours[rule.key]
            else:
                result = await host.create_keyword_rule(community, rule)
                done = report.created
                rule_id = result.message_id or ""
            if not result.succeeded or not rule_id:
                report.failed.append(f"{rule.key}: {result.detail}")
                log.warning("keyword rule %s community=%s: %s", rule.key, community,
                            result.detail)
                continue
            await self._remember(community, rule.key, rule_id, digest)
            done.append(rule.key)
        log.info("keyword rules community=%s created=%s edited=%s deleted=%s unchanged=%d "
                 "left_out=%s", community, report.created, report.edited, report.deleted,
                 len(report.unchanged), report.left_out)
        return report

    async def _remember(self, community: str, key: str, rule_id: str, digest: str) -> None:
        params = {"ns": NAMESPACE, "c": community, "k": key,
                  "v": json.dumps({"id": rule_id, "digest": digest}, sort_keys=True),
                  "now": to_text(self._now())}
        async with self.store.transaction() as tx:
            changed = await tx.execute(
                "UPDATE kv SET value = :v, updated_at = :now"
                " WHERE namespace = :ns AND community = :c AND item_key = :k", params)
            if not changed:
                await tx.execute(
                    "INSERT INTO kv (namespace, community, item_key, value, updated_at)"
                    " VALUES (:ns, :c, :k, :v, :now)", params)

    async def _forget(self, community: str, key: str) -> None:
        await self.store.execute(
            "DELETE FROM kv WHERE namespace = :ns AND community = :c AND item_key = :k",
            {"ns": NAMESPACE, "c": community, "k": key})

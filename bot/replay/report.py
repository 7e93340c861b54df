"""Show a replay: decisions as text for people or JSON lines for tools, and rule-file diffs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.actions import Decision
from bot.events import (
    JobDue,
    JoinRequested,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
)
from bot.replay.runner import Outcome, Summary

__all__ = ["Change", "decision_json", "describe_event", "signature", "write_changes",
           "write_decisions", "write_summary"]


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def describe_event(outcome: Outcome) -> str:
    """One line saying what happened: time, place, who, what."""
    event = outcome.event
    when = event.ts.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(event, MessageCreated):
        what = f"{event.channel} {event.author.name}: {_clip(event.text)!r}"
    elif isinstance(event, MemberJoined | MemberLeft | JoinRequested):
        verb = "joined" if isinstance(event, MemberJoined) else \
            "asked to join" if isinstance(event, JoinRequested) else "left"
        what = f"{event.user.name} ({event.user.id}) {verb}"
    elif isinstance(event, MessageDeleted):
        what = f"{event.channel} message {event.message_id} deleted"
    elif isinstance(event, JobDue):
        what = f"timed job {event.kind}"
    else:
        what = type(event).__name__
    return f"{when} {outcome.where} [{event.id}] {what}"


def _actions(decision: Decision) -> str:
    return ", ".join(a.type for a in decision.actions) or "no action"


def decision_json(outcome: Outcome, index: int, revision: str) -> dict[str, Any]:
    """Decision `index` of an outcome as in DESIGN.md, its texts as people would read them."""
    decision = outcome.decisions[index]
    actions = list(outcome.actions[index]) if index < len(outcome.actions) \
        else [a.describe() for a in decision.actions]
    return {"event": outcome.event.id, "plugin": decision.plugin, "rule": decision.rule,
            "actions": actions, "evidence": decision.evidence, "config_revision": revision}


def write_decisions(outcomes: Iterable[Outcome], out: TextIO, fmt: str, revision: str) -> None:
    """Every decision: a block per event for people, a JSON line per decision for tools."""
    for outcome in outcomes:
        if fmt == "json":
            for index in range(len(outcome.decisions)):
                out.write(json.dumps(decision_json(outcome, index, revision),
                                     ensure_ascii=False, default=str) + "\n")
            continue
        if not outcome.decisions and not outcome.errors:
            continue
        out.write(describe_event(outcome) + "\n")
        for decision in outcome.decisions:
            evidence = f" — {decision.evidence}" if decision.evidence else ""
            out.write(f"    → {decision.plugin}/{decision.rule}: {_actions(decision)}"
                      f"{evidence}\n")
        for error in outcome.errors:
            out.write(f"    ! {error}\n")


def write_summary(summary: Summary, out: TextIO, fmt: str, config: str) -> None:
    """The closing summary (the last JSON line in JSON)."""
    if fmt == "json":
        out.write(json.dumps({"summary": summary.as_json()}, ensure_ascii=False) + "\n")
        return
    malformed, moved = len(summary.malformed), len(summary.out_of_order)
    out.write(f"\nReplayed {summary.events} events against {config} "
              f"(revision {summary.revision}); {sum(summary.by_rule.values())} decisions"
              + (f"; {malformed} malformed entr{'y' if malformed == 1 else 'ies'} skipped"
                 if malformed else "")
              + (f"; {moved} event{'s' if moved > 1 else ''} out of order, replayed at the "
                 "clock's time" if moved else "") + ".\n")
    if summary.by_rule:
        out.write("By rule:   " + ", ".join(f"{rule} {count}" for rule, count
                                            in summary.by_rule.most_common()) + "\n")
        out.write("By action: " + ", ".join(f"{kind} {count}" for kind, count
                                            in summary.by_action.most_common()) + "\n")
    if summary.errors:
        out.write(f"Plugin errors: {summary.errors} (see the lines marked !)\n")


def signature(outcome: Outcome) -> tuple[str, ...]:
    """What changes for a member: each rule that fired and its action types."""
    return tuple(sorted(f"{d.plugin}/{d.rule}: {_actions(d)}" for d in outcome.decisions))


@dataclass(frozen=True, slots=True)
class Change:
    """An event whose decisions differ between two rule files."""

    outcome: Outcome
    before: tuple[str, ...]
    after: tuple[str, ...]


def write_changes(changes: list[Change], total: int, out: TextIO, fmt: str, before: str,
                  after: str) -> None:
    """Only the events whose decision changes, side by side."""
    events = sum(1 for c in changes if not isinstance(c.outcome.event, JobDue))
    if fmt == "json":
        for change in changes:
            out.write(json.dumps({"event": change.outcome.event.id,
                                  "where": change.outcome.where,
                                  "before": list(change.before), "after": list(change.after)},
                                 ensure_ascii=False) + "\n")
        out.write(json.dumps({"summary": {"events": total, "changed": events,
                                          "changed_jobs": len(changes) - events,
                                          "before": before, "after": after}}) + "\n")
        return
    console = Console(file=out, soft_wrap=False, highlight=False, emoji=False,
                      width=max(100, getattr(out, "columns", 0) or 160))
    if changes:
        table = Table(show_lines=True)
        table.add_column("event")
        table.add_column(f"with {before}")
        table.add_column(f"with {after}")
        for change in changes:
            table.add_row(escape(describe_event(change.outcome)),
                          escape("\n".join(change.before)) or "—",
                          escape("\n".join(change.after)) or "—")
        console.print(table)
    jobs = len(changes) - events
    also = f", and {jobs} timed job{'s' if jobs > 1 else ''} they led to" if jobs else ""
    console.print(escape(f"{events} of {total} events decided differently{also} "
                         f"({before} → {after})."))

"""How cases read to CMs: status as of now, one-line lists, full explanations."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.cases import ACTIVE, EXPIRED, Case
from bot.durations import format_duration
from bot.i18n import Msg

__all__ = ["case_detail", "case_line", "status_of", "when"]


def when(moment: datetime) -> str:
    """A moment as CMs read it."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def status_of(case: Case, now: datetime, warning_expiry: timedelta) -> str:
    """active, expired (by time or lifted), voided, failed, unsupported."""
    if case.status != ACTIVE:
        return case.status
    if case.action == "warn" and case.created_at + warning_expiry <= now:
        return EXPIRED
    if case.expires_at is not None and case.expires_at <= now:
        return EXPIRED
    if case.action in ("kick", "note", "unban", "untimeout"):  # lifts: recorded from the platform
        return ACTIVE if case.action == "note" else "done"
    return ACTIVE


def case_line(case: Case, now: datetime, warning_expiry: timedelta) -> Msg:
    """`#3 · warn · 2026-11-21 10:00 UTC · active · by claire — spam`."""
    duration: Msg | str = Msg.of("duration.after_space", duration=format_duration(case.duration)) \
        if case.duration else ""
    return Msg.of("cases.line", number=case.number, action=Msg.of(f"action.{case.action}"),
                  duration=duration, date=when(case.created_at),
                  status=Msg.of(f"status.{status_of(case, now, warning_expiry)}"),
                  author=case.author_name, reason=case.reason or "-")


def case_detail(case: Case, now: datetime, warning_expiry: timedelta) -> Msg:
    """Everything known about a case: who, why, evidence, revision, ladder references."""
    duration = format_duration(case.duration) if case.duration else "-"
    expires = when(case.expires_at) if case.expires_at else "-"
    refs = ", ".join(f"#{n}" for n in case.refs) or "-"
    origin = Msg.of("why.by_rule", rule=case.author_id.removeprefix("rule:")) \
        if case.automatic else Msg.of("why.by_cm", name=case.author_name, id=case.author_id)
    status = status_of(case, now, warning_expiry)
    change = f" ({case.status_reason})" if case.status_reason else ""
    return Msg.of("case.detail", number=case.number, action=Msg.of(f"action.{case.action}"),
                  target=case.target_name, target_id=case.target_id, origin=origin,
                  reason=case.reason or "-", duration=duration, expires=expires,
                  status=Msg.of(f"status.{status}"), change=change,
                  evidence=case.evidence or "-", revision=case.revision or "-", refs=refs,
                  notified=Msg.of("case.told_dm") if case.notified == "dm"
                  else case.notified or "-", date=when(case.created_at))

"""Carry out a verdict once: deletes grouped, sanctions through the case log, then messages."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.actions import (
    Action,
    Alert,
    Cancel,
    Delete,
    Dm,
    Lock,
    Publish,
    Record,
    Reply,
    Sanction,
    Schedule,
    Send,
    Slowmode,
    Unban,
    Unlock,
    Untimeout,
    Upload,
    Verdict,
)
from bot.adapters.base import ActionResult, Adapter, RenderedButton
from bot.adapters.files import FileSender
from bot.answers import ANSWERS
from bot.cases import Case
from bot.durations import format_duration
from bot.events import User, platform_of
from bot.gate import GATE_ACTIONS, run_gate
from bot.i18n import Msg, Text, pick_language
from bot.mentions import ChannelMention, default_mention, with_mentions
from bot.native import NATIVE_ACTIONS, run_native
from bot.plugin import EventContext
from bot.publish import RECEIPTS, run_publish
from bot.sanctions import LIFT_JOB, SanctionDesk, lift_key
from bot.services import Services
from bot.slowmode import BotSlowmode
from bot.storage import StoreError

__all__ = ["LIFT_JOB", "ActionOutcome", "Executor", "lift_key"]

log = logging.getLogger("vigie.executor")


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """An action and how it went; sanctions carry their case."""

    action: Action
    result: ActionResult
    case: Case | None = None


class Executor:
    """Turns neutral actions into calls on the community's adapter."""

    def __init__(self, services: Services, adapters: Mapping[str, Adapter]) -> None:
        self.services = services
        self.adapters = adapters
        self.sanctions = SanctionDesk(services)
        self.slowmode = BotSlowmode(services.store, services.clock)

    def adapter_for(self, community: str) -> Adapter | None:
        """The adapter serving a community."""
        return self.adapters.get(platform_of(community))

    def render(self, text: Text, lang: str) -> str:
        """Text in a language, channels written as their platform names them."""
        return self.services.catalog.text(with_mentions(text, self._mention), lang)

    def _mention(self, channel: str) -> str:
        adapter = self.adapters.get(platform_of(channel))
        return adapter.channel_mention(channel) if adapter is not None \
            else default_mention(channel)

    async def execute(self, verdict: Verdict, ctx: EventContext, *,
                      invoker: User | None = None) -> list[ActionOutcome]:
        """Run every action of the verdict in order; report failures to the invoker or the CMs."""
        adapter = self.adapter_for(ctx.community)
        if adapter is None:
            log.error("no adapter for community=%s", ctx.community)
            return []
        why = "; ".join(sorted(
            f"{d.plugin}/{d.rule}" + (f": {d.evidence}" if d.evidence else "")
            for d in verdict.decisions))[:1000]
        outcomes = await self._delete(adapter, verdict, why)
        deleted = {(o.action.channel, o.action.message_id) for o in outcomes
                   if isinstance(o.action, Delete) and o.result.succeeded}
        for action in verdict.actions:
            if isinstance(action, Delete):
                continue
            try:
                outcome = await self._run(adapter, action, ctx, why, invoker, deleted, verdict)
            except Exception as exc:
                log.exception("action crashed type=%s community=%s", action.type, ctx.community)
                outcome = ActionOutcome(action, crashed(exc))
            outcomes.append(outcome)
        await self._report(adapter, outcomes, ctx, invoker)
        return outcomes

    async def _delete(self, adapter: Adapter, verdict: Verdict, why: str) -> list[ActionOutcome]:
        """All deletes first, grouped per channel so adapters can delete in bulk."""
        by_channel: dict[str, list[Delete]] = {}
        for action in verdict.actions:
            if isinstance(action, Delete):
                by_channel.setdefault(action.channel, []).append(action)
        outcomes = []
        for channel, deletes in by_channel.items():
            ids = [d.message_id for d in deletes]
            try:
                results = await adapter.delete_messages(channel, ids, reason=why)
            except Exception as exc:
                log.exception("delete crashed channel=%s", channel)
                results = [crashed(exc)] * len(ids)
            for delete, result in zip(deletes, results, strict=True):
                if result.succeeded:
                    self.services.history.forget(channel, delete.message_id)
                outcomes.append(ActionOutcome(delete, result))
        return outcomes

    async def _run(self, adapter: Adapter, action: Action, ctx: EventContext, why: str,
                   invoker: User | None, deleted: set[tuple[str, str]],
                   verdict: Verdict) -> ActionOutcome:
        community_lang = ctx.settings.language
        if isinstance(action, Sanction):
            applied = await self.sanctions.apply(adapter, action, ctx, verdict, invoker)
            return ActionOutcome(action, applied.result, applied.case)
        if isinstance(action, Record):
            recorded = await self.sanctions.record(action, ctx)
            return ActionOutcome(action, recorded.result, recorded.case)
        if isinstance(action, Untimeout | Unban):
            return ActionOutcome(action, await self.sanctions.lift(adapter, action, ctx, invoker))
        if isinstance(action, Slowmode):
            result = await adapter.set_slowmode(
                action.channel, int(action.interval.total_seconds()), reason=why)
            if result.status == "unsupported" and "slowmode" not in adapter.capabilities:
                result = await self.slowmode.set(ctx.community, action.channel, action.interval)
            return ActionOutcome(action, result)
        if isinstance(action, Lock):
            return ActionOutcome(action, await adapter.lock_channel(action.channel, reason=why))
        if isinstance(action, Unlock):
            return ActionOutcome(action, await adapter.unlock_channel(action.channel, reason=why))
        if isinstance(action, Reply):
            answers = ANSWERS.get()
            if answers is not None and action.channel == ctx.channel:  # from the dashboard
                answers.append(self.render(action.text, ctx.lang))
                return ActionOutcome(action, ActionResult.ok("answered on the page"))
            reply_to = action.message_id
            if reply_to is not None and (action.channel, reply_to) in deleted:
                reply_to = None
            buttons = [RenderedButton(b.custom_id, self.render(b.label, ctx.lang))
                       for b in action.buttons]
            return ActionOutcome(action, await adapter.send_message(
                action.channel, self.render(action.text, ctx.lang), reply_to=reply_to,
                buttons=buttons))
        if isinstance(action, Send):
            buttons = [RenderedButton(b.custom_id, self.render(b.label, community_lang))
                       for b in action.buttons]
            target = self.adapters.get(platform_of(action.channel))
            if target is None:
                return ActionOutcome(action, ActionResult.unsupported(
                    f"no adapter runs for channel {action.channel}"))
            return ActionOutcome(action, await target.send_message(
                action.channel, self.render(action.text, community_lang), buttons=buttons))
        if isinstance(action, Upload):
            return ActionOutcome(action, await self._upload(adapter, action, ctx, deleted))
        if isinstance(action, Publish):
            return ActionOutcome(action, await run_publish(
                self.adapters, self.services.kv(RECEIPTS), ctx.community, action))
        if isinstance(action, Dm):
            lang = pick_language(action.target.language, community_lang)
            if action.buttons:  # only adapters that take buttons in private are asked to
                return ActionOutcome(action, await adapter.send_dm(
                    action.target, self.render(action.text, lang), buttons=[
                        RenderedButton(b.custom_id, self.render(b.label, lang))
                        for b in action.buttons]))
            return ActionOutcome(action, await adapter.send_dm(
                action.target, self.render(action.text, lang)))
        if isinstance(action, Schedule):
            return ActionOutcome(action, await self._schedule(action))
        if isinstance(action, Cancel):
            cancelled = await self.services.scheduler.cancel(action.key)
            return ActionOutcome(action, ActionResult.ok("cancelled" if cancelled
                                                         else "nothing pending"))
        if isinstance(action, Alert):
            text = self.render(action.text, community_lang)
            if action.evidence:
                text = f"{text}\n{action.evidence}"
            return ActionOutcome(action, await self.alert(adapter, ctx, text))
        if isinstance(action, GATE_ACTIONS):
            return ActionOutcome(action, await run_gate(adapter, ctx.community, action, why))
        if isinstance(action, NATIVE_ACTIONS):
            return ActionOutcome(action, await run_native(
                self.adapters, action, lambda m: self.render(m, community_lang)))
        return ActionOutcome(action, ActionResult.unsupported(f"unknown action {action.type}"))

    async def _upload(self, adapter: Adapter, action: Upload, ctx: EventContext,
                      deleted: set[tuple[str, str]]) -> ActionResult:
        """Post a file where the platform can; skipped (not an error) where it cannot."""
        if not isinstance(adapter, FileSender):
            return ActionResult.skipped(f"{adapter.platform} does not post files")
        reply_to = action.reply_to
        if reply_to is not None and (action.channel, reply_to) in deleted:
            reply_to = None
        caption = self.render(action.caption, ctx.lang) if action.caption is not None else None
        return await adapter.send_file(action.channel, action.filename, action.data,
                                       caption=caption, reply_to=reply_to)

    async def _schedule(self, action: Schedule) -> ActionResult:
        """Store the job (committed before this returns)."""
        job_id = await self.services.scheduler.schedule(
            action.kind, action.community, action.at, action.data, key=action.key or None)
        return ActionResult.ok(f"job {job_id}")

    async def alert(self, adapter: Adapter, ctx: EventContext, text: str) -> ActionResult:
        """Send text to the community's CMs."""
        return await adapter.send_alert(ctx.community, ctx.settings.alerts_channel, text)

    async def _report(self, adapter: Adapter, outcomes: list[ActionOutcome], ctx: EventContext,
                      invoker: User | None) -> None:
        """Post each case to the CMs, confirm to the invoker, and explain failures."""
        lang = ctx.lang if invoker else ctx.settings.language
        lines: list[str] = []
        if invoker is not None:
            lines.extend(self.render(m, lang) for m in confirmations(outcomes))
        for outcome in outcomes:
            case = outcome.case
            if case is not None and outcome.result.succeeded:
                summary = self.render(case_summary(case), ctx.settings.language)
                if ctx.settings.case_alerts:
                    await self.alert(adapter, ctx, summary)
                if invoker is not None:
                    lines.append(self.render(case_summary(case), lang))
            elif outcome.result.status != "skipped" and not outcome.result.succeeded \
                    and not isinstance(outcome.action, Alert | Dm) \
                    and not (isinstance(outcome.action, Publish) and outcome.action.receipt):
                # (a Publish with a receipt is reported by the job that reads the receipt)
                log.warning("action %s type=%s community=%s detail=%s", outcome.result.status,
                            outcome.action.type, ctx.community, outcome.result.detail)
                lines.append(self.render(Msg.of(
                    "action.failed", action=Msg.of(f"action.{outcome.action.type}"),
                    detail=outcome.result.explanation or outcome.result.detail), lang))
        if not lines:
            return
        text = "\n".join(lines)
        answers = ANSWERS.get()
        if invoker is not None and answers is not None:
            answers.append(text)
        elif invoker is not None and ctx.channel is not None:
            await adapter.send_message(ctx.channel, text)
        elif invoker is None:
            await self.alert(adapter, ctx, text)


def crashed(exc: Exception) -> ActionResult:
    """An action that raised: the error for the logs, and a catalog message for people."""
    if isinstance(exc, StoreError):
        kind = getattr(exc, "kind", "other")
        return ActionResult.failed(f"database error: {exc}", Msg.of(
            "action.store_failed", why=Msg.of(f"store.{kind}")))
    return ActionResult.failed(f"internal error: {exc}", Msg.of("action.internal_error"))


def confirmations(outcomes: list[ActionOutcome]) -> list[Msg]:
    """What a CM's command did, beyond cases: deletions, slowmode, locks, lifts."""
    done: list[Msg] = []
    deleted = sum(1 for o in outcomes if isinstance(o.action, Delete) and o.result.succeeded)
    if deleted:
        done.append(Msg.of("done.delete", count=deleted))
    for outcome in outcomes:
        action = outcome.action
        if not outcome.result.succeeded:
            continue
        if isinstance(action, Slowmode):
            seconds = int(action.interval.total_seconds())
            done.append(Msg.of("done.slowmode", channel=ChannelMention(action.channel),
                               interval=format_duration(action.interval)) if seconds
                        else Msg.of("done.slowmode_off", channel=ChannelMention(action.channel)))
        elif isinstance(action, Lock | Unlock):
            done.append(Msg.of(f"done.{action.type}", channel=ChannelMention(action.channel)))
        elif isinstance(action, Untimeout | Unban):
            done.append(Msg.of(f"done.{action.type}", member=action.target.name))
    return done


def case_summary(case: Case) -> Msg:
    """One line describing a case, for CMs."""
    duration: Msg | str = Msg.of("duration.in_parentheses",
                                 duration=format_duration(case.duration)) \
        if case.duration else ""
    return Msg.of("case.summary", number=case.number, action=Msg.of(f"action.{case.action}"),
                  target=case.target_name, author=case.author_name, duration=duration,
                  reason=case.reason or "-")

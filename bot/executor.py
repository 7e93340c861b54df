"""Carry out a verdict once: cases for sanctions, native calls through the adapter, lift jobs."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.actions import (
    Action,
    Alert,
    Ban,
    Delete,
    Dm,
    Kick,
    Lock,
    Reply,
    Sanction,
    Send,
    Slowmode,
    Timeout,
    Unban,
    Unlock,
    Untimeout,
    Verdict,
    Warn,
)
from bot.adapters.base import ActionResult, Adapter, RenderedButton
from bot.durations import format_duration
from bot.events import User, platform_of
from bot.i18n import Msg, Text, pick_language
from bot.permissions import Role, effective_role
from bot.plugin import EventContext
from bot.services import Services

__all__ = ["LIFT_JOB", "ActionOutcome", "Executor", "lift_key"]

log = logging.getLogger("vigie.executor")
LIFT_JOB = "core.lift"


def lift_key(community: str, user_id: str, action: str) -> str:
    """Key of the job that lifts a timed sanction (one pending per member and kind)."""
    return f"lift:{community}:{user_id}:{action}"


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """An action and how it went."""

    action: Action
    result: ActionResult
    case_number: int | None = None


class Executor:
    """Turns neutral actions into native calls on the community's adapter."""

    def __init__(self, services: Services, adapters: Mapping[str, Adapter]) -> None:
        self.services = services
        self.adapters = adapters

    def adapter_for(self, community: str) -> Adapter | None:
        """The adapter serving a community."""
        return self.adapters.get(platform_of(community))

    def render(self, text: Text, lang: str) -> str:
        """Text in a language."""
        return self.services.catalog.text(text, lang)

    async def execute(self, verdict: Verdict, ctx: EventContext, *,
                      invoker: User | None = None) -> list[ActionOutcome]:
        """Run every action of the verdict in order; report failures to the invoker or the CMs."""
        adapter = self.adapter_for(ctx.community)
        outcomes: list[ActionOutcome] = []
        if adapter is None:
            log.error("no adapter for community=%s", ctx.community)
            return outcomes
        why = "; ".join(sorted(
            f"{d.plugin}/{d.rule}" + (f": {d.evidence}" if d.evidence else "")
            for d in verdict.decisions))
        deleted: set[tuple[str, str]] = set()
        for action in verdict.actions:
            try:
                outcome = await self._run(adapter, action, ctx, why, invoker, deleted, verdict)
            except Exception as exc:
                log.exception("action crashed type=%s community=%s", action.type, ctx.community)
                outcome = ActionOutcome(action, ActionResult.failed(f"internal error: {exc}"))
            outcomes.append(outcome)
            if isinstance(action, Delete) and outcome.result.succeeded:
                deleted.add((action.channel, action.message_id))
        await self._report_failures(adapter, outcomes, ctx, invoker)
        return outcomes

    async def _run(self, adapter: Adapter, action: Action, ctx: EventContext, why: str,
                   invoker: User | None, deleted: set[tuple[str, str]],
                   verdict: Verdict) -> ActionOutcome:
        community_lang = ctx.settings.language
        if isinstance(action, Delete):
            return ActionOutcome(action, await adapter.delete_message(
                action.channel, action.message_id, reason=why))
        if isinstance(action, Sanction):
            return await self._sanction(adapter, action, ctx, verdict, invoker)
        if isinstance(action, Untimeout):
            await self.services.scheduler.cancel(lift_key(ctx.community, action.target.id,
                                                          "timeout"))
            return ActionOutcome(action, await adapter.remove_timeout(
                ctx.community, action.target, reason=action.reason or why))
        if isinstance(action, Unban):
            await self.services.scheduler.cancel(lift_key(ctx.community, action.target.id, "ban"))
            return ActionOutcome(action, await adapter.unban_member(
                ctx.community, action.target, reason=action.reason or why))
        if isinstance(action, Slowmode):
            return ActionOutcome(action, await adapter.set_slowmode(
                action.channel, int(action.interval.total_seconds()), reason=why))
        if isinstance(action, Lock):
            return ActionOutcome(action, await adapter.lock_channel(action.channel, reason=why))
        if isinstance(action, Unlock):
            return ActionOutcome(action, await adapter.unlock_channel(action.channel, reason=why))
        if isinstance(action, Reply):
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
            return ActionOutcome(action, await adapter.send_message(
                action.channel, self.render(action.text, community_lang), buttons=buttons))
        if isinstance(action, Dm):
            lang = pick_language(action.target.language, community_lang)
            return ActionOutcome(action, await adapter.send_dm(
                action.target, self.render(action.text, lang)))
        if isinstance(action, Alert):
            text = self.render(action.text, community_lang)
            if action.evidence:
                text = f"{text}\n{action.evidence}"
            return ActionOutcome(action, await adapter.send_alert(
                ctx.community, ctx.settings.alerts_channel, text))
        return ActionOutcome(action, ActionResult.unsupported(f"unknown action {action.type}"))

    async def _sanction(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                        verdict: Verdict, invoker: User | None) -> ActionOutcome:
        """Record the case first (committed), then act on the platform, then arm the lift job."""
        duration = action.duration if isinstance(action, Timeout | Ban) else None
        sources = sorted(
            (d for d in verdict.decisions
             if any(isinstance(a, Sanction) and a.target.id == action.target.id
                    for a in d.actions)),
            key=lambda d: (d.plugin, d.rule))
        why = "; ".join(f"{d.plugin}/{d.rule}" + (f": {d.evidence}" if d.evidence else "")
                        for d in sources)
        refusal = self._protected(adapter, action.target, ctx, invoker)
        if refusal is not None:
            return ActionOutcome(action, ActionResult.failed(refusal))
        if invoker is not None:
            author_id, author_name = invoker.id, invoker.name
        else:
            rule = f"{sources[0].plugin}/{sources[0].rule}" if sources else "unknown"
            author_id, author_name = f"rule:{rule}", f"Vigie ({rule})"
        case = await self.services.cases.open(
            community=ctx.community, action=action.type, target_id=action.target.id,
            target_name=action.target.name, author_id=author_id, author_name=author_name,
            reason=action.reason, duration=duration, evidence=why, revision=ctx.revision,
            event_id=ctx.event.id)
        now = self.services.clock.now()
        reason = f"case #{case.number}: {action.reason or why}"
        if isinstance(action, Warn):
            result = ActionResult.ok(f"case #{case.number}")
        elif isinstance(action, Timeout):
            result = await adapter.timeout_member(ctx.community, action.target,
                                                  now + action.duration, reason=reason)
        elif isinstance(action, Kick):
            result = await adapter.kick_member(ctx.community, action.target, reason=reason)
        elif isinstance(action, Ban):
            result = await adapter.ban_member(ctx.community, action.target, reason=reason,
                                              delete_message_seconds=action.delete_message_seconds)
        else:
            result = ActionResult.unsupported(f"unknown sanction {action.type}")
        if not result.succeeded:
            await self.services.cases.set_status(case.id, result.status)
        elif duration is not None:
            await self.services.scheduler.schedule(
                LIFT_JOB, ctx.community, now + duration,
                {"action": action.type, "case_id": case.id, "user_id": action.target.id,
                 "user_name": action.target.name},
                key=lift_key(ctx.community, action.target.id, action.type))
        if result.succeeded:
            await self._notify_member(adapter, action, ctx, case.number, duration)
        return ActionOutcome(action, result, case.number)

    def _protected(self, adapter: Adapter, target: User, ctx: EventContext,
                   invoker: User | None) -> str | None:
        """Why `target` may not be sanctioned here (the bot, staff at or above the sanctioner)."""
        lang = ctx.lang if invoker is not None else ctx.settings.language
        if adapter.bot_id is not None and target.id == adapter.bot_id:
            return self.render(Msg.of("sanction.refused_bot"), lang)
        target_role = effective_role(target.role, target.id, target.platform_roles,
                                     ctx.rules.role_lookup(ctx.community))
        ceiling = ctx.role if invoker is not None else Role.CM
        if target_role >= ceiling and target_role >= Role.CM:
            return self.render(Msg.of("sanction.refused_staff", member=target.name,
                                      role=target_role.label), lang)
        return None

    async def _notify_member(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                             number: int, duration: timedelta | None) -> None:
        """Tell the sanctioned member privately; a closed inbox is logged, never fatal."""
        lang = pick_language(action.target.language, ctx.settings.language)
        community = ctx.settings.name or ctx.community
        key = f"notice.{action.type}" + ("_temp" if isinstance(action, Ban) and duration else "")
        text = self.render(Msg.of(
            key, community=community,
            reason=action.reason or self.render(Msg.of("notice.no_reason"), lang),
            duration=format_duration(duration) if duration else "",
            case=number), lang)
        result = await adapter.send_dm(action.target, text)
        if not result.succeeded:
            log.info("member not told case=%s community=%s reason=%s", number, ctx.community,
                     result.detail)

    async def _report_failures(self, adapter: Adapter, outcomes: list[ActionOutcome],
                               ctx: EventContext, invoker: User | None) -> None:
        failures = [o for o in outcomes if not o.result.succeeded
                    and not isinstance(o.action, Alert | Dm)]
        if not failures:
            return
        for outcome in failures:
            log.warning("action %s type=%s community=%s detail=%s", outcome.result.status,
                        outcome.action.type, ctx.community, outcome.result.detail)
        lines = "\n".join(
            self.render(Msg.of("action.failed", action=o.action.type, status=o.result.status,
                               detail=o.result.detail),
                        ctx.lang if invoker else ctx.settings.language)
            for o in failures)
        if invoker is not None and ctx.channel is not None:
            await adapter.send_message(ctx.channel, lines)
        else:
            await adapter.send_alert(ctx.community, ctx.settings.alerts_channel, lines)

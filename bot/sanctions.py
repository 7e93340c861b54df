"""Sanctions, always the same way: check who may be sanctioned, open the case, act, tell, arm."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.actions import Ban, Kick, Record, Sanction, Timeout, Unban, Untimeout, Verdict, Warn
from bot.adapters.base import ActionResult, Adapter
from bot.cases import EXPIRED, Case, ClaimTaken
from bot.durations import format_duration
from bot.events import Event, JobDue, User
from bot.i18n import Localized, Msg, pick_language
from bot.permissions import Role, effective_role
from bot.plugin import EventContext
from bot.services import Services
from bot.storage import StoreError

__all__ = ["LIFT_JOB", "SanctionDesk", "SanctionOutcome", "lift_key", "lift_payload",
           "rearm_lifts", "source_of"]

log = logging.getLogger("vigie.sanctions")
LIFT_JOB = "core.lift"


def lift_key(community: str, user_id: str, action: str) -> str:
    """Key of the job that lifts a timed sanction (one pending per member and kind)."""
    return f"lift:{community}:{user_id}:{action}"


def source_of(event: Event, action: Sanction) -> str:
    """What makes a case unique to its cause: the event and the action.

    An event delivered again (a webhook retry, a worker that died before answering) has the
    same id and time; a job is named by its id alone (its delivery time changes on a retry).
    The time also tells apart two edits of a message, and ids a restarted console gives again.
    """
    when = "" if isinstance(event, JobDue) else f"@{event.ts.isoformat()}"
    return f"src:{type(event).__name__}:{event.id}{when}:{action.type}:{action.target.id}"


def lift_payload(case: Case) -> dict[str, object]:
    """What the lift job of a timed case needs."""
    return {"action": case.action, "case_id": case.id, "user_id": case.target_id,
            "user_name": case.target_name}


async def rearm_lifts(services: Services) -> int:
    """At start: every member whose latest timed sanction has no pending lift gets one.

    A crash (or a full disk) between a sanction and the storing of its lift would otherwise
    leave a temporary ban in force for good. Returns how many lifts were stored.
    """
    pending = {job.key for job in await services.scheduler.pending(LIFT_JOB)}
    stored = 0
    for case in await services.cases.latest_timed():
        if case.expires_at is None:
            continue
        key = lift_key(case.community, case.target_id, case.action)
        if key in pending:
            continue
        log.warning("case=%s community=%s: its lift was missing; stored for %s", case.number,
                    case.community, case.expires_at.isoformat())
        await services.scheduler.schedule(LIFT_JOB, case.community, case.expires_at,
                                          lift_payload(case), key=key)
        stored += 1
    return stored


@dataclass(frozen=True, slots=True)
class SanctionOutcome:
    """What happened to one sanction: the platform's answer and the case, if one was opened."""

    result: ActionResult
    case: Case | None = None


class SanctionDesk:
    """The one path every sanction takes, manual or automatic."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def render(self, text: Msg | Localized, lang: str) -> str:
        """Text in a language."""
        return self.services.catalog.text(text, lang)

    def refusal(self, adapter: Adapter, target: User, ctx: EventContext,
                invoker: User | None) -> str | None:
        """Why `target` may not be sanctioned here: the bot itself, or staff at or above."""
        lang = ctx.lang if invoker is not None else ctx.settings.language
        if adapter.bot_id is not None and target.id == adapter.bot_id:
            return self.render(Msg.of("sanction.refused_bot"), lang)
        if invoker is not None and target.id == invoker.id:
            return self.render(Msg.of("sanction.refused_self"), lang)
        target_role = effective_role(target.role, target.id, target.platform_roles,
                                     ctx.rules.role_lookup(ctx.community))
        ceiling = ctx.role if invoker is not None else Role.CM
        if target_role >= ceiling and target_role >= Role.CM:
            return self.render(Msg.of("sanction.refused_staff", member=target.name,
                                      role=Msg.of(f"role.{target_role.label}")), lang)
        return None

    def explained(self, result: ActionResult, lang: str) -> str:
        """What went wrong, for people: the adapter's explanation, else its detail."""
        return self.render(result.explanation, lang) if result.explanation else result.detail

    async def _as_seen_now(self, adapter: Adapter, target: User, ctx: EventContext) -> User:
        """The target with the roles the platform gives them now, when it can tell."""
        try:
            current = await adapter.lookup_member(ctx.community, target.id)
        except Exception:
            log.exception("member lookup failed community=%s user=%s", ctx.community, target.id)
            current = None
        return current if current is not None else target

    def fit_duration(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                     invoker: User | None) -> tuple[Sanction | None, str]:
        """Apply the platform's timeout limits: refuse too long, lengthen too short (noted)."""
        if not isinstance(action, Timeout):
            return action, ""
        lang = ctx.lang if invoker is not None else ctx.settings.language
        if adapter.max_timeout is not None and action.duration > adapter.max_timeout:
            return None, self.render(Msg.of(
                "limit.timeout_too_long", platform=adapter.platform.capitalize(),
                limit=format_duration(adapter.max_timeout)), lang)
        if adapter.min_timeout is not None and action.duration < adapter.min_timeout:
            note = self.render(Msg.of(
                "limit.timeout_lengthened", platform=adapter.platform.capitalize(),
                limit=format_duration(adapter.min_timeout)), lang)
            return replace(action, duration=adapter.min_timeout), note
        return action, ""

    async def apply(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                    verdict: Verdict, invoker: User | None) -> SanctionOutcome:
        """Check, record the case (committed), act, tell the member, arm the lift."""
        refusal = self.refusal(adapter, await self._as_seen_now(adapter, action.target, ctx),
                               ctx, invoker)
        if refusal is not None:
            return SanctionOutcome(ActionResult.failed(refusal))
        fitted, note = self.fit_duration(adapter, action, ctx, invoker)
        if fitted is None:
            return SanctionOutcome(ActionResult.unsupported(note))
        action = fitted
        sources = sorted((d for d in verdict.decisions
                          if any(isinstance(a, Sanction) and a.target.id == action.target.id
                                 for a in d.actions)), key=lambda d: (d.plugin, d.rule))
        evidence = "; ".join(f"{d.plugin}/{d.rule}" + (f": {d.evidence}" if d.evidence else "")
                             for d in sources)
        if note:
            evidence = f"{evidence}; {note}" if evidence else note
        if invoker is not None:
            author_id, author_name = invoker.id, invoker.name
        else:
            rule = f"{sources[0].plugin}/{sources[0].rule}" if sources else "core/unknown"
            author_id, author_name = f"rule:{rule}", f"Vigie ({rule})"
        duration = action.duration if isinstance(action, Timeout | Ban) else None
        try:
            case = await self.services.cases.open(
                community=ctx.community, action=action.type, target_id=action.target.id,
                target_name=action.target.name, author_id=author_id, author_name=author_name,
                reason=action.reason, duration=duration, evidence=evidence,
                revision=ctx.revision, event_id=ctx.event.id, channel=ctx.channel,
                refs=action.refs, claims=action.claims, source=source_of(ctx.event, action))
        except ClaimTaken as taken:
            log.info("sanction skipped community=%s target=%s: %s", ctx.community,
                     action.target.id, taken)
            return SanctionOutcome(ActionResult.skipped(str(taken)))
        except StoreError as exc:  # no case, no sanction: the CM is told it was not recorded
            log.error("sanction not applied, its case could not be recorded community=%s "
                      "target=%s: %s", ctx.community, action.target.id, exc)
            return SanctionOutcome(ActionResult.failed(
                f"not recorded: {exc}", Msg.of("sanction.not_recorded",
                                               why=Msg.of(f"store.{exc.kind}"))))
        result = await self._act(adapter, action, ctx, case)
        if not result.succeeded:
            await self.services.cases.set_status(case.id, result.status,
                                                 self.explained(result, ctx.settings.language))
            return SanctionOutcome(result, await self.services.cases.get_by_id(case.id))
        await self._arm_lift(action, ctx, case)
        try:
            await self._tell_member(adapter, action, ctx, case)
        except StoreError as exc:  # told, but that could not be noted: the sanction stands
            log.error("case=%s community=%s: notice not noted: %s", case.number, ctx.community,
                      exc)
        return SanctionOutcome(result, case)

    async def _arm_lift(self, action: Sanction, ctx: EventContext, case: Case) -> None:
        """A timed sanction gets its lift; an open-ended ban cancels the lift of an earlier one.

        If the lift cannot be stored now (full disk), the sanction stands and the lift is
        stored at the next start, from the case (see `rearm_lifts`).
        """
        key = lift_key(ctx.community, action.target.id, action.type)
        try:
            if case.duration is not None:
                await self.services.scheduler.schedule(
                    LIFT_JOB, ctx.community, case.created_at + case.duration,
                    lift_payload(case), key=key)
            elif isinstance(action, Ban):
                await self.services.scheduler.cancel(key)
        except StoreError as exc:
            log.error("case=%s community=%s: its lift could not be stored now, it will be at "
                      "the next start: %s", case.number, ctx.community, exc)

    async def _act(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                   case: Case) -> ActionResult:
        reason = f"case #{case.number}: {action.reason or case.evidence}"[:500]
        if isinstance(action, Warn):
            return ActionResult.ok(f"case #{case.number}")
        if isinstance(action, Timeout):
            return await adapter.timeout_member(ctx.community, action.target,
                                                case.created_at + action.duration, reason=reason)
        if isinstance(action, Kick):
            return await adapter.kick_member(ctx.community, action.target, reason=reason)
        if isinstance(action, Ban):
            return await adapter.ban_member(ctx.community, action.target, reason=reason,
                                            delete_message_seconds=action.delete_message_seconds)
        return ActionResult.unsupported(f"unknown sanction {action.type}")

    async def _tell_member(self, adapter: Adapter, action: Sanction, ctx: EventContext,
                           case: Case) -> None:
        """Private notice in the member's language; a closed inbox is noted on the case."""
        lang = pick_language(action.target.language, ctx.settings.language)
        key = f"notice.{action.type}"
        if isinstance(action, Ban) and action.duration is not None:
            key = "notice.ban_temp"
        text = self.render(Msg.of(
            key, community=ctx.settings.name or ctx.community, case=case.number,
            reason=action.reason or self.render(Msg.of("notice.no_reason"), lang),
            duration=format_duration(case.duration) if case.duration else ""), lang)
        appeal = ctx.settings.appeal
        if appeal:
            text += "\n" + self.render(Msg.of(
                "notice.appeal", appeal=Localized.of({str(k): v for k, v in appeal.items()})),
                lang)
        result = await adapter.send_dm(action.target, text)
        await self.services.cases.set_notified(case.id, "dm" if result.succeeded else self.render(
            Msg.of("case.not_told", detail=self.explained(result, ctx.settings.language)),
            ctx.settings.language))
        if not result.succeeded:
            log.info("member not told case=%s community=%s reason=%s", case.number,
                     ctx.community, result.detail)

    async def lift(self, adapter: Adapter, action: Untimeout | Unban, ctx: EventContext,
                   invoker: User | None) -> ActionResult:
        """Lift a timeout or ban: cancel its pending job, act, mark its cases expired."""
        kind = "timeout" if isinstance(action, Untimeout) else "ban"
        await self.services.scheduler.cancel(lift_key(ctx.community, action.target.id, kind))
        reason = action.reason or self.render(
            Msg.of("lift.by", name=invoker.name) if invoker else Msg.of("lift.expired"),
            ctx.settings.language)
        if isinstance(action, Untimeout):
            result = await adapter.remove_timeout(ctx.community, action.target, reason=reason)
        else:
            result = await adapter.unban_member(ctx.community, action.target, reason=reason)
        if result.succeeded:
            for case in await self.services.cases.active(ctx.community, action.target.id, kind):
                await self.services.cases.set_status(case.id, EXPIRED, reason,
                                                     invoker.id if invoker else None)
        return result

    async def record(self, action: Record, ctx: EventContext) -> SanctionOutcome:
        """Record a sanction the platform already applied: the case (committed), its lift or,
        for an unban or untimeout, the end of what it lifts. Nothing is done on the platform."""
        lifted = {"unban": "ban", "untimeout": "timeout"}.get(action.action)
        try:
            case = await self.services.cases.open(
                community=ctx.community, action=action.action, target_id=action.target.id,
                target_name=action.target.name, author_id=action.author.id,
                author_name=action.author.name, reason=action.reason,
                duration=action.duration, evidence=action.evidence, revision=ctx.revision,
                event_id=ctx.event.id, channel=ctx.channel, claims=action.claims,
                source=action.source or None)
        except ClaimTaken as taken:
            log.info("record skipped community=%s target=%s: %s", ctx.community,
                     action.target.id, taken)
            return SanctionOutcome(ActionResult.skipped(str(taken)))
        except StoreError as exc:
            log.error("platform action not recorded community=%s target=%s: %s",
                      ctx.community, action.target.id, exc)
            return SanctionOutcome(ActionResult.failed(f"not recorded: {exc}"))
        if lifted is not None:
            await self.services.scheduler.cancel(lift_key(ctx.community, action.target.id,
                                                          lifted))
            for earlier in await self.services.cases.active(ctx.community, action.target.id,
                                                            lifted):
                await self.services.cases.set_status(earlier.id, EXPIRED,
                                                     action.reason or case_ref(case),
                                                     action.author.id)
        elif action.action in ("timeout", "ban"):
            key = lift_key(ctx.community, action.target.id, action.action)
            try:
                if case.duration is not None:
                    await self.services.scheduler.schedule(
                        LIFT_JOB, ctx.community, case.created_at + case.duration,
                        lift_payload(case), key=key)
                elif action.action == "ban":
                    await self.services.scheduler.cancel(key)
            except StoreError as exc:
                log.error("case=%s community=%s: its lift could not be stored now: %s",
                          case.number, ctx.community, exc)
        return SanctionOutcome(ActionResult.ok(f"case #{case.number}"), case)


def case_ref(case: Case) -> str:
    """`case #12`."""
    return f"case #{case.number}"

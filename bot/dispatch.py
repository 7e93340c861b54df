"""The dispatcher: each event goes through GUARD -> COMMAND -> RESPOND -> OBSERVE, in that order."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.actions import (
    Action,
    Alert,
    ClosePoll,
    Decision,
    GuildEvent,
    Poll,
    Reply,
    Sanction,
    Send,
    Verdict,
)
from bot.audit import AuditRecord
from bot.batching import BEHIND, catch_up
from bot.cases import Case
from bot.commands import CommandSpec, UsageError, bind_arguments, split_invocation
from bot.commands.arguments import mention_id
from bot.events import (
    ButtonClicked,
    CaseOpened,
    CommandInvoked,
    Event,
    JobDue,
    JoinRequested,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    PollClosed,
    ReactionAdded,
    User,
    platform_of,
)
from bot.executor import ActionOutcome, Executor
from bot.i18n import Msg, pick_language
from bot.permissions import Role, effective_role
from bot.plugin import CommandCall, EventContext, HookSpec, Phase, Plugin
from bot.ratelimit import Cooldown, SlidingWindow
from bot.services import Services
from bot.settings.explain import did_you_mean
from bot.settings.models import CoreSettings

__all__ = ["Dispatcher", "Report"]

log = logging.getLogger("vigie.dispatch")
COMMANDS_PER_WINDOW = 5
STAFF_COMMANDS_PER_WINDOW = 30
COMMAND_WINDOW = timedelta(seconds=10)
NOTICE_COOLDOWN = timedelta(minutes=10)
MAX_CASE_DEPTH = 3
RUNNING_CACHE = 1024  # (event type, settings) pairs whose running hooks are remembered
EMPTY = Verdict()
_Hook = tuple[Plugin, Any, HookSpec]
_NO_HOOKS: tuple[list[_Hook], ...] = tuple([] for _ in Phase)


class Report:
    """What happened to one event chain: decisions taken, actions run, plugin errors.

    Everything that belongs to one chain travels here, never on the shared dispatcher: events
    are handled concurrently. `depth` counts the events the core raised on the way (a case
    opened by a case...). (A plain class: one is made per event, so its constructor is kept to
    assignments.)
    """

    __slots__ = ("decisions", "depth", "errors", "event", "handled", "outcomes", "stopped_at")

    def __init__(self, event: Event, depth: int = 0) -> None:
        self.event = event
        self.depth = depth
        self.decisions: list[Decision] = []
        self.outcomes: list[ActionOutcome] = []
        self.errors: list[str] = []
        self.handled = False
        self.stopped_at: Phase | None = None

    def __repr__(self) -> str:
        return (f"Report(event={self.event.id!r}, decisions={self.decisions!r}, "
                f"errors={self.errors!r}, stopped_at={self.stopped_at})")


def _as_decisions(result: Any, plugin: str, rule: str, evidence: str) -> list[Decision]:
    """Normalise what a hook or command returned into decisions stamped with the plugin."""
    if result is None:
        return []
    items: Iterable[Any] = result if isinstance(result, list | tuple) else [result]
    decisions: list[Decision] = []
    loose: list[Action] = []
    for item in items:
        if isinstance(item, Decision):
            decisions.append(item if item.plugin else replace(item, plugin=plugin))
        elif isinstance(item, Action):
            loose.append(item)
        else:
            raise TypeError(f"{plugin}: expected Decision or Action, got {type(item).__name__}")
    if loose:
        decisions.append(Decision(plugin=plugin, rule=rule, actions=tuple(loose),
                                  evidence=evidence))
    return decisions


class Dispatcher:
    """Routes events to plugin hooks by phase, runs commands, executes and records decisions."""

    def __init__(self, services: Services, plugins: Sequence[Plugin], executor: Executor) -> None:
        self.services = services
        self.plugins = list(plugins)
        self.executor = executor
        self.registry = services.commands
        self._plugin_by_name = {p.name: p for p in self.plugins}
        # event type -> the hooks of each phase (indexed by phase)
        self._hooks: dict[type[Event], tuple[list[_Hook], ...]] = {}
        for plugin in self.plugins:
            for attr, spec in type(plugin).hooks():
                for event_type in spec.event_types:
                    phases = self._hooks.setdefault(event_type, tuple([] for _ in Phase))
                    phases[spec.phase].append((plugin, getattr(plugin, attr), spec))
        # (event type, id of the settings) -> (those settings, the enabled hooks of each phase)
        self._running: dict[tuple[type[Event], int],
                            tuple[CoreSettings, tuple[tuple[_Hook, ...], ...]]] = {}
        self._command_rate = SlidingWindow(COMMANDS_PER_WINDOW, COMMAND_WINDOW)
        self._staff_command_rate = SlidingWindow(STAFF_COMMANDS_PER_WINDOW, COMMAND_WINDOW)
        self._notices = Cooldown(NOTICE_COOLDOWN)

    # -- context ---------------------------------------------------------------------------

    def context(self, event: Event) -> EventContext:
        """Rules, effective settings, role and language for an event."""
        rules = self.services.rulebook.current
        actor = _actor(event)
        channel = getattr(event, "channel", None)
        if actor is not None:
            role = effective_role(actor.role, actor.id, actor.platform_roles,
                                  rules.role_lookup(event.community))
            settings = rules.effective(event.community, channel, role, actor.id)
            lang = pick_language(actor.language, settings.language)
        else:
            role = Role.MEMBER
            settings = rules.effective(event.community, channel)
            lang = settings.language
        return EventContext(event, rules, settings, actor, role, lang, channel)

    def enabled(self, plugin: Plugin, ctx: EventContext) -> bool:
        """Whether a plugin runs in this context (plugins without a section always run)."""
        section = getattr(ctx.settings, plugin.name, None)
        return section is None or bool(section.enabled)

    def running(self, ctx: EventContext) -> tuple[tuple[_Hook, ...], ...]:
        """The hooks of each phase that run for this event: those of enabled plugins. Whether
        a plugin is enabled depends on the settings alone, which the rules build once per
        (revision, community, channel, role): so it is worked out once per settings object."""
        settings = ctx.settings
        key = (type(ctx.event), id(settings))
        found = self._running.get(key)
        if found is None or found[0] is not settings:
            phases = self._hooks.get(type(ctx.event), _NO_HOOKS)
            found = (settings, tuple(tuple(hook for hook in hooks if self.enabled(hook[0], ctx))
                                     for hooks in phases))
            if len(self._running) >= RUNNING_CACHE:
                self._running.clear()
            self._running[key] = found
        return found[1]

    # -- the pipeline ----------------------------------------------------------------------

    async def handle(self, event: Event) -> Report:
        """Run one event through every phase; then, if a batched writer fell behind, wait for
        its write (backpressure: see `bot.batching`)."""
        report = await self._handle(event, Report(event))
        if BEHIND:
            await catch_up(self.services.store)
        return report

    async def _handle(self, event: Event, report: Report) -> Report:
        ctx = self.context(event)
        self._remember(event)
        if isinstance(event, JobDue):
            await self._phase(Phase.OBSERVE, ctx, report, job_kind=event.kind)
            return report
        if isinstance(event, CommandInvoked):
            await self._command_invoked(event, ctx, report)
            return report
        slowed = self.executor.slowmode.check(event, ctx.role) \
            if type(event) is MessageCreated else None
        verdict = await self._phase(Phase.GUARD, ctx, report, extra=[slowed] if slowed else [])
        if isinstance(event, MessageCreated) and verdict.removes(event.channel, event.id):
            report.stopped_at = Phase.GUARD
            return report
        hooks = self.running(ctx)
        if type(event) is MessageCreated and event.text.startswith(ctx.settings.prefixes) \
                and await self._command_in_message(event, ctx, report):
            report.stopped_at = Phase.COMMAND
            if hooks[Phase.OBSERVE]:
                await self._phase(Phase.OBSERVE, ctx, report)
            return report
        if hooks[Phase.RESPOND]:
            await self._phase(Phase.RESPOND, ctx, report)
        if hooks[Phase.OBSERVE]:
            await self._phase(Phase.OBSERVE, ctx, report)
        return report

    def _remember(self, event: Event) -> None:
        members = self.services.members
        if isinstance(event, MessageCreated):
            if type(event) is MessageCreated:
                self.services.history.add(event.channel, event.id, event.author.id, event.ts)
            members.seen(event.community, event.author)
            for user in event.mentions:
                members.seen(event.community, user)
            if event.reply_to_author is not None:
                members.seen(event.community, event.reply_to_author)
        elif isinstance(event, MemberJoined):
            members.seen(event.community, event.user)
        elif isinstance(event, MemberLeft):
            members.forget(event.community, event.user.id)
        elif isinstance(event, ReactionAdded | ButtonClicked):
            members.seen(event.community, event.user)
        elif isinstance(event, MessageDeleted):
            self.services.history.forget(event.channel, event.message_id)

    async def _phase(self, phase: Phase, ctx: EventContext, report: Report,
                     job_kind: str | None = None, extra: Sequence[Decision] = ()) -> Verdict:
        """Run the phase's hooks; merge their decisions (and `extra`, the core's own) into one
        verdict and execute it once."""
        if job_kind is None:
            hooks: Sequence[_Hook] = self.running(ctx)[phase]
        else:  # a job is a promise made while enabled: it is kept
            hooks = [hook for hook in self._hooks.get(type(ctx.event), _NO_HOOKS)[phase]
                     if hook[2].job_kind == job_kind]
        if not hooks and not extra:
            return EMPTY
        decisions: list[Decision] = list(extra)
        for plugin, method, _ in hooks:
            report.handled = True
            try:
                result = await method(ctx.event, ctx)
                if result is not None:
                    decisions.extend(_as_decisions(result, plugin.name, method.__name__, ""))
            except Exception as exc:
                log.exception("plugin error plugin=%s hook=%s event=%s", plugin.name,
                              method.__name__, ctx.event.id)
                report.errors.append(f"{plugin.name}.{method.__name__}: {exc}")
        return await self._execute(decisions, ctx, report) if decisions else EMPTY

    async def _execute(self, decisions: list[Decision], ctx: EventContext, report: Report,
                       invoker: User | None = None) -> Verdict:
        if not decisions:
            return EMPTY
        verdict = Verdict.of(decisions)
        report.decisions.extend(decisions)
        for decision in decisions:
            self._record(decision, ctx)
        if verdict:
            outcomes = await self.executor.execute(verdict, ctx, invoker=invoker)
            report.outcomes.extend(outcomes)
            for outcome in outcomes:
                if outcome.case is not None and outcome.result.succeeded:
                    await self._case_opened(outcome.case, ctx, report)
                elif isinstance(outcome.action, ClosePoll) and outcome.result.succeeded:
                    await self._poll_closed(outcome.action, outcome.result.counts, ctx, report)
                elif isinstance(outcome.action, Send | Poll | GuildEvent) \
                        and outcome.action.tag and outcome.result.succeeded \
                        and outcome.result.message_id:
                    await self._posted(outcome.action, outcome.result.message_id, ctx, report)
        return verdict

    async def _posted(self, action: Send | Poll | GuildEvent, message_id: str,
                      ctx: EventContext, report: Report) -> None:
        """Tell plugins the id of a message (or native event) they tagged, so they can
        recognise reactions to it; a native event's `channel` is its community."""
        if report.depth >= MAX_CASE_DEPTH:
            log.warning("posting chain too deep; not announcing message=%s", message_id)
            return
        channel = action.community if isinstance(action, GuildEvent) else action.channel
        await self._nested(MessagePosted(
            id=f"posted:{message_id}", ts=self.services.clock.now(), community=ctx.community,
            channel=channel, message_id=message_id, tag=action.tag), report)

    async def _poll_closed(self, action: ClosePoll, counts: tuple[int, ...], ctx: EventContext,
                           report: Report) -> None:
        """Tell plugins a poll's final counts (empty where the bot counted votes itself)."""
        if report.depth >= MAX_CASE_DEPTH:
            log.warning("poll chain too deep; not announcing poll=%s", action.message_id)
            return
        await self._nested(PollClosed(
            id=f"closed:{action.message_id}", ts=self.services.clock.now(),
            community=ctx.community, channel=action.channel, message_id=action.message_id,
            tag=action.tag, counts=counts), report)

    async def _case_opened(self, case: Case, ctx: EventContext, report: Report) -> None:
        """Let plugins react to a new case (the sanction ladder does), within a depth limit."""
        if report.depth >= MAX_CASE_DEPTH:
            log.warning("case chain too deep; not announcing case=%s", case.number)
            return
        target = next((a.target for o in report.outcomes for a in (o.action,)
                       if o.case is case and isinstance(a, Sanction)), None)
        await self._nested(CaseOpened(
            id=f"case:{case.id}", ts=self.services.clock.now(), community=case.community,
            case_id=case.id, number=case.number, action=case.action,
            target=target or User(id=case.target_id, name=case.target_name),
            author_id=case.author_id, channel=ctx.channel), report)

    async def _nested(self, event: Event, report: Report) -> None:
        """Dispatch an event the core raised while handling another; fold its report in."""
        nested = await self._handle(event, Report(event, report.depth + 1))
        report.decisions.extend(nested.decisions)
        report.outcomes.extend(nested.outcomes)
        report.errors.extend(nested.errors)

    def _record(self, decision: Decision, ctx: EventContext) -> None:
        actions = [a.describe() for a in decision.actions]
        log.info("decision event=%s community=%s plugin=%s rule=%s actions=%s revision=%s",
                 ctx.event.id, ctx.community, decision.plugin, decision.rule,
                 ",".join(a["type"] for a in actions) or "-", ctx.revision)
        self.services.audit.record(AuditRecord(
            self.services.clock.now(), ctx.event.id, ctx.community, decision.plugin,
            decision.rule, actions, decision.evidence, ctx.revision))

    # -- commands --------------------------------------------------------------------------

    async def _command_in_message(self, event: MessageCreated, ctx: EventContext,
                                  report: Report) -> bool:
        """Run the command in a message, if it holds one; True when it was treated as a command."""
        invocation = split_invocation(event.text, ctx.settings.prefixes)
        if invocation is None or not self._addressed_to_us(invocation.addressee, ctx):
            return False
        spec = self.registry.get(invocation.name)
        if spec is None or spec.plugin not in self._plugin_by_name:
            return await self._unknown_command(invocation.name, invocation.prefix, event, ctx,
                                               report)
        call = CommandCall(spec, ctx, event.author, invocation.prefix, event.id)
        await self._run_command(call, invocation.args, event.mentions, event.reply_to_author,
                                report)
        return True

    def _addressed_to_us(self, addressee: str | None, ctx: EventContext) -> bool:
        """`/ban@OtherBot` is another bot's command, not ours."""
        if addressee is None:
            return True
        adapter = self.executor.adapter_for(ctx.community)
        username = adapter.bot_username if adapter is not None else None
        return username is None or addressee.casefold() == username.casefold()

    async def _command_invoked(self, event: CommandInvoked, ctx: EventContext,
                               report: Report) -> None:
        spec = self.registry.get(event.name)
        if spec is None or spec.plugin not in self._plugin_by_name:
            return
        call = CommandCall(spec, ctx, event.author, "/", event.reply_to)
        given = frozenset(name for name, _ in event.options) if event.options else None
        await self._run_command(call, event.args, event.mentions, event.reply_to_author, report,
                                given)

    async def _unknown_command(self, name: str, prefix: str, event: MessageCreated,
                               ctx: EventContext, report: Report) -> bool:
        visible = [s.name for s in self.registry.visible(ctx.settings, ctx.role)]
        hint = did_you_mean(name, visible)
        if not hint:
            return False  # another bot's command, or not a command at all
        if self._notices.ready(("unknown", ctx.community, event.author.id), event.ts):
            suggestion = hint.split("'")[1]
            reply = Reply(channel=event.channel, message_id=event.id, text=Msg.of(
                "command.unknown", name=f"{prefix}{name}", suggestion=f"{prefix}{suggestion}"))
            await self._execute([Decision(plugin="core", rule="command:unknown",
                                          actions=(reply,))], ctx, report, event.author)
        return True

    async def _run_command(self, call: CommandCall, args: str, mentions: tuple[User, ...],
                           reply_author: User | None, report: Report,
                           given: frozenset[str] | None = None) -> None:
        spec, ctx = call.spec, call.ctx
        plugin = self._plugin_by_name[spec.plugin]
        report.handled = True
        now = ctx.event.ts
        refusal = self.registry.refusal(spec, ctx.settings, ctx.role)
        if refusal is not None:
            log.info("command refused name=%s user=%s role=%s why=%s", spec.name,
                     call.invoker.id, ctx.role.label, refusal)
            if self._notices.ready((refusal, ctx.community, call.invoker.id), now):
                await self._answer(call, call.reply(refusal, command=f"{call.prefix}{spec.name}"),
                                   report)
            return
        if not await self._rate_allows(call, report):
            if self._notices.ready(("rate", ctx.community, call.invoker.id), now):
                await self._answer(call, call.reply("command.rate_limited"), report)
            return
        try:
            adapter = self.executor.adapter_for(ctx.community)
            longest = adapter.max_timeout if adapter is not None else None
            kwargs = await bind_arguments(
                spec, args, platform=platform_of(ctx.community),
                resolve_member=lambda token: self._resolve_member(token, ctx, mentions),
                reply_author=reply_author, limits={"timeout": longest} if longest else None,
                given=given)
            await self._check_channels(spec, kwargs, ctx)
        except UsageError as exc:
            usage = spec.usage(self.services.catalog, ctx.lang, call.prefix)
            await self._answer(call, call.reply_text(Msg.of(
                "usage.error", problem=self.services.catalog.text(exc.message, ctx.lang),
                usage=usage)), report)
            return
        try:
            result = await getattr(plugin, spec.handler_name)(call, **kwargs)
            decisions = _as_decisions(result, plugin.name, f"command:{spec.name}",
                                      self.services.catalog.render(
                                          "evidence.by", ctx.settings.language,
                                          {"name": call.invoker.name, "id": call.invoker.id}))
        except UsageError as exc:
            await self._answer(call, call.reply_text(exc.message), report)
            return
        except Exception as exc:
            log.exception("command error plugin=%s command=%s", plugin.name, spec.name)
            report.errors.append(f"{plugin.name}.{spec.name}: {exc}")
            await self._answer(call, call.reply("command.crashed", command=spec.name), report)
            return
        await self._execute(decisions, ctx, report, call.invoker)

    async def _rate_allows(self, call: CommandCall, report: Report) -> bool:
        """The command rate limit: this process's window, or every worker's through Redis."""
        ctx = call.ctx
        staff = ctx.role >= Role.CM
        rate = self._staff_command_rate if staff else self._command_rate
        allowed = rate.hit((ctx.community, call.invoker.id), ctx.event.ts)
        shared = self.services.shared
        if shared is None:
            return allowed
        everywhere = await shared.hit(
            f"commands:{'staff' if staff else 'members'}:{ctx.community}:{call.invoker.id}",
            ctx.event.id, ctx.event.ts.timestamp(), rate.window.total_seconds(), rate.limit)
        notice = shared.notice(ctx.community)
        if notice is not None:
            await self._execute([Decision(plugin="core", rule="redis", actions=(
                Alert(text=notice),), evidence=self.services.catalog.render(
                    notice.key, ctx.settings.language))], ctx, report, None)
        return allowed if everywhere is None else everywhere

    async def _check_channels(self, spec: CommandSpec, kwargs: dict[str, Any],
                              ctx: EventContext) -> None:
        """Channel arguments must be channels of the command's own community."""
        adapter = self.executor.adapter_for(ctx.community)
        for param in spec.params:
            value = kwargs.get(param.name)
            if param.kind == "channel" and value and (
                    adapter is None or not await adapter.owns_channel(ctx.community, value)):
                raise UsageError(Msg.of("usage.foreign_channel", value=value))

    async def _answer(self, call: CommandCall, action: Action, report: Report) -> None:
        await self._execute([Decision(plugin="core", rule=f"command:{call.spec.name}",
                                      actions=(action,))], call.ctx, report, call.invoker)

    async def _resolve_member(self, token: str, ctx: EventContext,
                              mentions: tuple[User, ...]) -> User:
        """A member from a mention, an id or a name; UsageError when unknown or ambiguous."""
        platform = platform_of(ctx.community)
        directory = self.services.members
        wanted_id = mention_id(token, platform)
        if wanted_id is not None:
            for user in mentions:
                if user.id == wanted_id:
                    return user
            known = directory.get(ctx.community, wanted_id)
            if known is not None:
                return known
            adapter = self.executor.adapter_for(ctx.community)
            found = await adapter.lookup_member(ctx.community, wanted_id) if adapter else None
            return found if found is not None else User(id=wanted_id, name=wanted_id)
        if ":" in token and not token.startswith("@"):
            raise UsageError(Msg.of("usage.other_community", value=token))
        name = token.lstrip("@")
        matches = {u.id: u for u in mentions if u.name.casefold() == name.casefold()}
        if not matches:
            matches = {u.id: u for u in directory.named(ctx.community, name)}
        if not matches:
            adapter = self.executor.adapter_for(ctx.community)
            if adapter is not None:
                matches = {u.id: u for u in await adapter.find_members(ctx.community, name)}
        if not matches:
            raise UsageError(Msg.of("usage.unknown_member", value=token))
        if len(matches) > 1:
            ids = ", ".join(sorted(matches))
            raise UsageError(Msg.of("usage.ambiguous_member", value=token, ids=ids))
        return next(iter(matches.values()))


def _actor(event: Event) -> User | None:
    if isinstance(event, MessageCreated | MessageEdited | CommandInvoked):
        return event.author
    if isinstance(event, MemberJoined | MemberLeft | JoinRequested):
        return event.user
    if isinstance(event, ReactionAdded | ButtonClicked):
        return event.user
    return None

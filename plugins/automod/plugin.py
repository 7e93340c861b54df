"""The automod plugin: guards messages and edits, watches joins, lifts its timed measures."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from bot.actions import Action, Alert, Cancel, Decision, Lock, Schedule, Slowmode, Unlock
from bot.durations import format_duration
from bot.events import JobDue, MemberJoined, MessageCreated, MessageEdited
from bot.i18n import LANGUAGES, Localized, Msg
from bot.mentions import ChannelMention
from bot.plugin import EventContext, Phase, PluginContext, hook, on_job
from bot.raids import raid_key
from bot.settings.manager import ReloadOutcome
from bot.settings.templates import fill_template
from plugins.automod.actions import AlertAction, Built
from plugins.automod.engine import CompiledRule, Engine
from plugins.automod.native import NativeRules
from plugins.automod.settings import AutomodSettings, RaidSettings
from plugins.automod.sharing import SharedPosts, stable_key
from plugins.automod.state import AutomodState
from plugins.automod.triggers import Facts, Hit

__all__ = ["LIFT_JOB", "RAID_END_JOB", "AutomodPlugin"]

LIFT_JOB = "automod.lift"
RAID_END_JOB = "automod.raid_end"
MONITOR_ALERT_EVERY = timedelta(minutes=1)
ENGINE_CACHE = 64
_TIMED = (Lock, Slowmode)  # measures lifted by a job when they have a duration


class AutomodPlugin(NativeRules):
    """Word lists, patterns, links, shape, flood, duplicates, new accounts and raids."""

    name: ClassVar[str] = "automod"
    settings_model = AutomodSettings
    messages_file = Path(__file__).with_name("messages.yaml")

    def __init__(self, ctx: PluginContext) -> None:
        super().__init__(ctx)
        self.state = AutomodState()
        shared = ctx.services.shared
        self.shared = SharedPosts(shared) if shared is not None else None
        self._engines: OrderedDict[int, tuple[AutomodSettings, Engine]] = OrderedDict()
        self._by_content: OrderedDict[str, Engine] = OrderedDict()

    # -- compiled rules, cached per settings object -----------------------------------------

    async def start(self) -> None:
        """Compile the rules of every listed community now, and again after each reload."""
        self.ctx.services.rulebook.listen(self._precompile)
        await self._precompile(None)

    async def _precompile(self, outcome: ReloadOutcome | None) -> None:
        """Build the engines before the first message needs them (invalid files never load)."""
        rules = self.ctx.rules
        for settings in (rules.fallback, *rules.base.values()):
            section = getattr(settings, self.name, None)
            if isinstance(section, AutomodSettings) and section.enabled and section.rules:
                self.engine(section)

    def engine(self, settings: AutomodSettings) -> Engine:
        """The compiled rules of a section; built once per distinct section."""
        cached = self._engines.get(id(settings))
        if cached is not None and cached[0] is settings:
            return cached[1]
        fingerprint = hashlib.sha256(settings.model_dump_json().encode()).hexdigest()
        engine = self._by_content.get(fingerprint)
        if engine is None:
            engine = Engine(settings)
            if self.shared is not None:
                engine.text_key = stable_key  # the same text has the same key on every worker
            self._by_content[fingerprint] = engine
            if len(self._by_content) > ENGINE_CACHE:
                self._by_content.popitem(last=False)
        self._engines[id(settings)] = (settings, engine)
        if len(self._engines) > ENGINE_CACHE * 4:
            self._engines.popitem(last=False)
        return engine

    # -- messages ---------------------------------------------------------------------------

    @hook(Phase.GUARD, MessageCreated, MessageEdited)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> list[Decision] | None:
        """Run every rule on a new or edited message; one decision per rule that fires."""
        settings: AutomodSettings = self.section(ctx)
        if not settings.rules or event.author.is_bot:
            return None
        engine = self.engine(settings)
        if ctx.role >= engine.everyone_exempt_from:
            return None
        facts = Facts(event, ctx, event.ts, isinstance(event, MessageEdited), self.state)
        if self.shared is None:
            found = engine.run(facts)
        else:
            engine.prepare(facts)
            await self.shared.share(facts, "members" in engine.needs, "texts" in engine.needs)
            found = engine.evaluate(facts)
        decisions = []
        for compiled, hits in found:
            cooldown = compiled.rule.cooldown
            if cooldown is not None and not self.state.ready(
                    ("rule", event.community, compiled.id, event.author.id), cooldown,
                    event.ts):
                continue
            decisions.append(await self._decide(compiled, hits, event, ctx))
        if self.shared is not None:
            decisions += self._redis_notice(ctx)
        return decisions or None

    def _redis_notice(self, ctx: EventContext) -> list[Decision]:
        """The CMs' alert that Redis is down or back, once per outage and community."""
        shared = self.ctx.services.shared
        notice = shared.notice(ctx.event.community) if shared is not None else None
        if notice is None:
            return []
        return [Decision(rule="redis", actions=(Alert(text=notice),), evidence=self.ctx.services
                         .catalog.render(notice.key, ctx.settings.language))]

    def _reason(self, compiled: CompiledRule, ctx: EventContext) -> str:
        """The reason a sanction gives, in the member's language (rendered once per rule)."""
        reason = compiled.reasons.get(ctx.lang)
        if reason is None:
            catalog = self.ctx.services.catalog
            if compiled.rule.reason:
                reason = catalog.text(Localized.of(
                    {str(k): v for k, v in compiled.rule.reason.items()}), ctx.lang)
            else:
                reason = catalog.render("automod.reason", ctx.lang, {"rule": compiled.id})
            compiled.reasons[ctx.lang] = reason
        return reason

    def _in_every_language(self, messages: list[Msg]) -> Localized:
        catalog = self.ctx.services.catalog
        if not messages:
            messages = [Msg.of("automod.does.nothing")]
        return Localized.of({lang: ", ".join(catalog.text(m, lang) for m in messages)
                             for lang in LANGUAGES})

    async def _decide(self, compiled: CompiledRule, hits: list[Hit], event: MessageCreated,
                      ctx: EventContext) -> Decision:
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        evidence = "; ".join(catalog.text(h.evidence, lang) for h in hits)
        related = tuple(dict.fromkeys(r for h in hits for r in h.related))
        reason = self._reason(compiled, ctx)
        if "{" in reason or "}" in reason:
            reason = fill_template(reason, {"member": event.author.name, "rule": compiled.id})
        built = Built(event=event, rule=compiled.id, reason=reason,
                      related=related, evidence=evidence)
        if compiled.monitor:
            would = ", ".join(catalog.text(a.summary(), lang) for a in compiled.actions)
            actions: tuple[Action, ...] = ()
            if self.state.ready(("monitor", event.community, compiled.id, event.author.id),
                                MONITOR_ALERT_EVERY, event.ts):
                actions = (Alert(text=Msg.of(
                    "automod.monitor", rule=compiled.id, member=event.author.name,
                    channel=ChannelMention(event.channel),
                    actions=self._in_every_language([a.summary() for a in compiled.actions])),
                    evidence=evidence),)
            return Decision(plugin=self.name, rule=compiled.id, actions=actions,
                            evidence=catalog.render("automod.evidence.monitor", lang,
                                                    {"actions": would, "evidence": evidence}))
        out: list[Action] = []
        for model in compiled.actions:
            if isinstance(model, AlertAction) and model.cooldown is not None and \
                    not self.state.ready(("alert", event.community, compiled.id),
                                         model.cooldown, event.ts):
                continue
            for action in model.build(built):
                out.append(action)
                if isinstance(action, _TIMED):
                    out.append(_lift(action, event.community, event.ts))
        return Decision(plugin=self.name, rule=compiled.id, actions=tuple(out),
                        evidence=evidence)

    @on_job(LIFT_JOB)
    async def lift(self, job: JobDue, ctx: EventContext) -> Decision:
        """A timed lock or slowmode ends."""
        channel = str(job.payload["channel"])
        kind = job.payload.get("action")
        action: Action = Unlock(channel=channel) if kind == "lock" \
            else Slowmode(channel=channel, interval=timedelta())
        return Decision(rule="lift", actions=(action,), evidence=self.ctx.services.catalog.render(
            f"automod.evidence.lift.{'lock' if kind == 'lock' else 'slowmode'}",
            ctx.settings.language))

    # -- joins and raid mode ----------------------------------------------------------------

    @hook(Phase.GUARD, MemberJoined)
    async def joined(self, event: MemberJoined, ctx: EventContext) -> list[Decision] | None:
        """Count joins; past the threshold the community enters raid mode."""
        settings: AutomodSettings = self.section(ctx)
        raid = settings.raid
        if not raid.enabled:
            return None
        community, now = event.community, event.ts
        count = self.state.join(community, now, raid.within)
        in_raid = self.state.in_raid(community, now)
        declare = not in_raid and count >= raid.joins
        shared = self.ctx.services.shared
        if shared is not None:  # every worker's joins: one of them declares the raid
            outcome = await shared.joins(community, event.id, now.timestamp(),
                                         raid.within.total_seconds(), raid.joins,
                                         raid.duration.total_seconds())
            if outcome is not None:
                count, state = outcome
                in_raid, declare = state == 2, state == 1
        notice = self._redis_notice(ctx) if shared is not None else []
        if in_raid:
            self.state.raid_until[community] = now + raid.duration
        if not declare:
            return notice or None
        self.state.raid_until[community] = now + raid.duration
        return [self._raid(settings, community, now, count, ctx), *notice]

    def _raid(self, settings: AutomodSettings, community: str, now: datetime, count: int,
              ctx: EventContext) -> Decision:
        """The community enters raid mode: alert, or lock and slow its channels."""
        raid = settings.raid
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        evidence = catalog.render("automod.evidence.raid", lang, {
            "count": count, "within": format_duration(raid.within), "limit": raid.joins})
        steps = self._raid_steps(raid)
        summary = self._in_every_language([m for _, m in steps])
        params = {"joins": count, "within": format_duration(raid.within),
                  "duration": format_duration(raid.duration), "actions": summary}
        if (raid.mode or settings.mode) == "monitor":
            return Decision(rule="raid", evidence=catalog.render(
                "automod.evidence.raid_monitor", lang, {"evidence": evidence}), actions=(
                Alert(text=Msg.of("automod.raid.monitor", **params), evidence=evidence),))
        actions: list[Action] = [a for a, _ in steps if a is not None]
        actions.append(Schedule.of(
            RAID_END_JOB, community, now + raid.duration, raid_key(community),
            {"lock": list(raid.channels) if "lock" in raid.actions else [],
             "slowmode": list(raid.channels) if "slowmode" in raid.actions else []}))
        if "alert" in raid.actions:
            actions.append(Alert(text=Msg.of("automod.raid.started", **params),
                                 evidence=evidence))
        return Decision(rule="raid", actions=tuple(actions), evidence=evidence)

    @staticmethod
    def _raid_steps(raid: RaidSettings) -> list[tuple[Action | None, Msg]]:
        steps: list[tuple[Action | None, Msg]] = []
        for step in raid.actions:
            if step == "alert":
                steps.append((None, Msg.of("automod.does.alert")))
                continue
            for channel in raid.channels:
                if step == "lock":
                    steps.append((Lock(channel=channel), Msg.of("automod.does.lock")))
                else:
                    steps.append((Slowmode(channel=channel, interval=raid.slowmode),
                                  Msg.of("automod.does.slowmode",
                                         interval=format_duration(raid.slowmode))))
        return steps

    @on_job(RAID_END_JOB)
    async def raid_end(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """Raid mode ends once no join has counted for its duration: lift its measures."""
        community = job.community
        until = self.state.raid_until.get(community)
        now = self.ctx.services.clock.now()
        shared = self.ctx.services.shared
        ends = await shared.raid_end(community) if shared is not None else None
        if ends is not None:  # joins other workers counted may have made it longer
            later = datetime.fromtimestamp(ends, now.tzinfo)
            until = later if until is None else max(until, later)
        if until is not None and until > now:
            return Decision(rule="raid", evidence=self.ctx.services.catalog.render(
                "automod.evidence.raid_goes_on", ctx.settings.language), actions=(Schedule.of(
                RAID_END_JOB, community, until, raid_key(community), job.payload),))
        self.state.raid_until.pop(community, None)
        actions: list[Action] = [Unlock(channel=str(c)) for c in job.payload.get("lock", ())]
        actions += [Slowmode(channel=str(c), interval=timedelta())
                    for c in job.payload.get("slowmode", ())]
        actions.append(Alert(text=Msg.of("automod.raid.ended")))
        return Decision(rule="raid", actions=tuple(actions), evidence=self.ctx.services.catalog
                        .render("automod.evidence.raid_ended", ctx.settings.language))


def _lift(action: Lock | Slowmode, community: str, now: datetime) -> Schedule | Cancel:
    """The job that lifts a timed lock or slowmode; an open-ended one cancels an earlier lift.

    The job shares the channel's key, so when rules disagree the verdict keeps the latest lift,
    or none when one of them has no end: the same rule as the lock or slowmode it goes with.
    """
    kind = "lock" if isinstance(action, Lock) else "slowmode"
    key = f"automod:lift:{kind}:{action.channel}"
    if action.duration is None:
        return Cancel(key=key)
    return Schedule.of(LIFT_JOB, community, now + action.duration, key,
                       {"action": kind, "channel": action.channel})

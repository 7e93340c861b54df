"""The reputation plugin: mentions of watched terms, their sentiment, and the early warning."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.actions import Action, Alert, Decision, Schedule, Send
from bot.durations import format_duration
from bot.events import MessageCreated
from bot.i18n import Localized, Msg
from bot.mentions import ChannelMention
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook
from bot.web.panels import Panel
from plugins.reputation.buttons import REMIND_JOB, ButtonHooks, answer_buttons
from plugins.reputation.commands import joined
from plugins.reputation.schema import MIGRATIONS
from plugins.reputation.sentiment import score
from plugins.reputation.settings import ReputationSettings, Term
from plugins.reputation.store import ANY, Example, WarningRow
from plugins.reputation.warning import Evidence, Recent

__all__ = ["ReputationPlugin"]

EXCERPT = 160


def _decimal(text: str) -> Localized:
    """A decimal number written for each language (`1.5`, `1,5`)."""
    return Localized.of({"en": text, "fr": text.replace(".", ",")})


def _name(ctx: EventContext, community: str) -> str:
    """A community's name in the rule file, else its id."""
    return getattr(ctx.rules.effective(community), "name", None) or community


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}" if whole else "0"


class ReputationPlugin(ButtonHooks):
    """Watches what members say about the brand and warns the CMs when it turns."""

    settings_model = ReputationSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    async def dashboard_panel(self, community: str, lang: str, now: datetime) -> Panel | None:
        """The overview panel of the web dashboard: the watched terms of the last 7 days."""
        from plugins.reputation.dashboard import panel
        return await panel(self, community, lang, now)

    async def dashboard_chart(self, community: str, lang: str, now: datetime) -> bytes | None:
        """The panel's chart: the daily satisfaction index."""
        from plugins.reputation.dashboard import chart
        return await chart(self, community, lang, now)

    @hook(Phase.OBSERVE, MessageCreated)
    async def observe(self, event: MessageCreated, ctx: EventContext) -> list[Decision] | None:
        """Count the mentions of watched terms with the message's sentiment; warn on a rise."""
        settings: ReputationSettings = self.section(ctx)
        if not settings.terms or event.author.is_bot or not event.text \
                or ctx.role >= Role.CM:
            return None
        mentions = self.watch(settings).find(ctx.normalized.plain)
        if not mentions:
            return None
        sentiment = score(event.text, ctx.settings.language, settings.neutral_band)
        angry = await self.handed_over(event.community, event.ts, settings.warning.window)
        label = sentiment.label
        if label == "neutral" and event.author.id in angry:
            label = "negative"  # an angry customer the CMs were handed: an unhappy voice
        day = event.ts.date().isoformat()
        platform = event.community.partition(":")[0]
        decisions = []
        self.records.seen(event.community, settings.retention, event.ts)
        self.records.mention((event.community, day, platform, ANY), label, sentiment.score)
        for mention in mentions:
            term = mention.term.id
            self.records.mention((event.community, day, platform, term), label,
                                 sentiment.score)
            if label != "neutral" and self.keep_example(
                    day, event.community, term, label, settings.examples):
                self.records.example(Example(event.ts, event.community, platform, term,
                                             event.channel, event.id, label,
                                             sentiment.score))
            decision = await self._warn(event, ctx, settings, mention.term, Recent(
                event.ts, label == "negative", sentiment.score, platform, event.channel,
                event.id, event.text[:EXCERPT], event.author.id, label == "positive"), angry)
            if decision is not None:
                decisions.append(decision)
        return decisions or None

    async def _warn(self, event: MessageCreated, ctx: EventContext,
                    settings: ReputationSettings, term: Term, recent: Recent,
                    angry: frozenset[str]) -> Decision | None:
        """An alert when this mention makes the term's window significantly negative
        (`angry`: members handed over to the CMs lately)."""
        rules = settings.warning
        watch = await self.term_watch(event.community, term.id, event.ts, rules.baseline)
        watch.add(recent, rules.window, rules.baseline)
        if not rules.enabled or not recent.negative or term.kind not in rules.kinds:
            return None
        if watch.last_warning is not None and event.ts - watch.last_warning < rules.cooldown:
            return None
        evidence = watch.check(event.ts, rules.window, rules.baseline, rules.significance,
                               rules.min_negative, angry)
        if evidence is None:
            return None
        watch.last_warning = event.ts
        warning_id = await self.records.warning(WarningRow(
            event.ts, event.community, term.id, evidence.kind, evidence.negative,
            evidence.mentions, evidence.baseline_negative, evidence.baseline_mentions,
            evidence.p_value))
        elsewhere = self.spread(term.id, event.community, event.ts, rules.cooldown)
        text = self._alert_text(term, evidence, rules.window, rules.baseline,
                                [_name(ctx, other) for other in elsewhere])
        where = ctx.settings.alerts_channel
        actions: tuple[Action, ...] = (Alert(text=text),)
        if where is not None:
            actions = (Send(channel=where, text=text, buttons=answer_buttons(warning_id)),)
            if rules.remind:
                actions += (Schedule.of(REMIND_JOB, event.community, event.ts + rules.remind,
                                        key=f"{REMIND_JOB}:{warning_id}",
                                        payload={"warning": warning_id}),)
        return Decision(rule=f"warning:{term.id}", actions=actions,
                        evidence=f"warning #{warning_id}: " + self._evidence(term, evidence)
                        + (f"; also rising in {', '.join(elsewhere)}" if elsewhere else ""))

    def _alert_text(self, term: Term, ev: Evidence, window: timedelta,
                    baseline: timedelta, elsewhere: list[str]) -> Msg:
        lines = [Msg.of("reputation.warning.example", channel=ChannelMention(m.channel),
                        score=_decimal(f"{m.score:+.2f}"), text=m.text.replace("\n", " "))
                 for m in ev.examples]
        per_window = ev.baseline_negative / ev.baseline_windows if ev.baseline_windows else 0.0
        return Msg.of(f"reputation.warning.{ev.kind}", term=term.shown, negative=ev.negative,
                      mentions=ev.mentions, share=_percent(ev.negative, ev.mentions),
                      base_share=_percent(ev.baseline_negative, ev.baseline_mentions),
                      base_mentions=ev.baseline_mentions, per_window=_decimal(f"{per_window:.1f}"),
                      p=_decimal(f"{ev.p_value:.1g}"), window=format_duration(window),
                      baseline=format_duration(baseline),
                      spread=Msg.of("reputation.warning.spread", places=", ".join(elsewhere))
                      if elsewhere else "",
                      examples=joined(self.ctx.services.catalog, lines, "\n"))

    @staticmethod
    def _evidence(term: Term, ev: Evidence) -> str:
        return (f"term {term.id}: {ev.negative} negative of {ev.mentions} mentions in the "
                f"window; baseline {ev.baseline_negative} negative of {ev.baseline_mentions} "
                f"over {ev.baseline_windows:.0f} windows; p(share)={ev.share_p:.2g}, "
                f"p(volume)={ev.volume_p:.2g}; examples "
                + ", ".join(m.message_id for m in ev.examples)
                + (f"; handed over to the CMs as angry customers: {', '.join(ev.handed_over)}"
                   if ev.handed_over else ""))


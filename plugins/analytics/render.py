"""The figures as text, in one language: `!stats`, the weekly report, the console."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.durations import format_duration
from bot.i18n import Catalog
from plugins.analytics.figures import MANUAL, SANCTIONS, Figures

__all__ = ["TextRenderer", "shown_channel"]

LISTED = 5
"""Rules, CMs and channels named in a text summary."""


def shown_channel(channel: str) -> str:
    """`console:general` -> `#general` (ids of other platforms stay as they are)."""
    platform, _, rest = channel.partition(":")
    return f"#{rest}" if platform == "console" else channel


class TextRenderer:
    """Renders figures with the catalog in one language."""

    def __init__(self, catalog: Catalog, lang: str) -> None:
        self.catalog = catalog
        self.lang = lang

    def t(self, key: str, **params: object) -> str:
        """One catalog text."""
        return self.catalog.render(key, self.lang, params)

    def share(self, part: int, whole: int) -> str:
        """`25%` / `25 %`, or n/a without a whole."""
        if not whole:
            return self.t("analytics.none")
        return self.t("analytics.share", value=round(100 * part / whole))

    def seconds(self, value: float | None) -> str:
        """A mean duration, or n/a."""
        if value is None:
            return self.t("analytics.none")
        return format_duration(timedelta(seconds=round(value))).in_language(self.lang)

    def ratio(self, pair: tuple[int, int] | None) -> str:
        """`3/10 (30%)`, or n/a."""
        if pair is None or not pair[1]:
            return self.t("analytics.none")
        back, cohort = pair
        return self.t("analytics.ratio", back=back, cohort=cohort, share=self.share(back, cohort))

    def rule_name(self, name: str) -> str:
        """A rule's name, or "by hand" for cases a person opened."""
        return self.t("analytics.manual") if name == MANUAL else name

    def lines(self, f: Figures, community: str, *, weekly: Figures | None = None) -> list[str]:
        """The summary: a title, then one line per subject (`weekly`: the week before, to
        compare the key figures with)."""
        last = f.end - timedelta(days=1)
        if weekly is not None:
            out = [self.t("analytics.title.weekly", community=community, start=_d(f.start),
                          end=_d(last))]
            out += self._compared(f, weekly)
        else:
            out = [self.t("analytics.title", community=community, days=f.days,
                          start=_d(f.start), end=_d(last))]
        if f.empty:
            return [*out, self.t("analytics.nothing")]
        tot, m = f.totals, f.moderation
        out.append(self.t("analytics.line.activity", messages=tot["messages"],
                          active=f.active_members, replies=tot["replies"],
                          threads=tot["threads"]))
        out.append(self.t("analytics.line.growth", joins=tot["joins"],
                          first=tot["first_messages"], leaves=tot["leaves"],
                          ret7=self.ratio(f.retention7), ret30=self.ratio(f.retention30)))
        out.append(self.t("analytics.line.questions", questions=tot["questions"],
                          answered=f.answered, share=self.share(f.answered, tot["questions"]),
                          cm=tot["answered_cm"],
                          cm_time=self.seconds(f.mean("answer_cm_seconds", "answered_cm")),
                          faq=tot["answered_faq"],
                          faq_time=self.seconds(f.mean("answer_faq_seconds", "answered_faq"))))
        out.append(self.t("analytics.line.engagement", faq_answers=tot["faq_answers"],
                          votes=tot["faq_votes"], entries=tot["contest_entries"],
                          steps=tot["escalation_steps"]))
        out += self._others(f)
        out.append(self.t("analytics.line.moderation", cases=m.cases, pardoned=m.pardoned,
                          share=self.share(m.pardoned, m.cases)))
        lag = f.mean("lag_cm_seconds", "lag_cm")
        if lag is not None:
            out.append(self.t("analytics.line.team_lag", team=self.seconds(lag)))
        if m.by_rule:
            out.append(self.t("analytics.line.rules", rules=", ".join(
                self.t("analytics.item.rule", name=self.rule_name(r.name), cases=r.cases,
                       pardoned=r.pardoned) for r in m.by_rule[:LISTED])))
        if m.by_cm:
            out.append(self.t("analytics.line.cms", cms=", ".join(
                self.t("analytics.item.rule", name=r.name, cases=r.cases, pardoned=r.pardoned)
                for r in m.by_cm[:LISTED])))
        if m.repeat:
            out.append(self.t("analytics.line.repeat", kinds=", ".join(
                self.t("analytics.item.repeat", kind=self.t(f"analytics.kind.{kind}"),
                       again=m.repeat[kind][1], cases=m.repeat[kind][0])
                for kind in SANCTIONS if kind in m.repeat)))
        if m.monitor:
            out.append(self.t("analytics.line.monitor", rules=", ".join(
                self.monitored(rule, count, m.would.get(rule, {}))
                for rule, count in sorted(m.monitor.items(), key=lambda kv: (-kv[1], kv[0]))
                [:LISTED])))
        if f.channels:
            out.append(self.t("analytics.line.channels", channels=", ".join(
                self.t("analytics.item.count", name=shown_channel(name), count=count)
                for name, count in f.channels[:LISTED])))
        return out

    def monitored(self, rule: str, count: int, would: dict[str, int]) -> str:
        """`insults 4 (would have: deleted 4, warned 4)`."""
        if not would:
            return self.t("analytics.item.count", name=rule, count=count)
        return self.t("analytics.item.monitor", name=rule, count=count, would=self.would(would))

    def would(self, would: dict[str, int]) -> str:
        """`deleted 4, warned 4`: what a monitored rule would have done, in this language."""
        return ", ".join(self.t("analytics.item.count", name=self.t(f"analytics.would.{kind}"),
                                count=n) for kind, n in would.items())

    def _others(self, f: Figures) -> list[str]:
        """Lines from the FAQ's, contests' and reputation's own tables, when they are on."""
        o, out = f.others, []
        if o.faq:
            out.append(self.t("analytics.line.faq_entries", entries=", ".join(
                self.t("analytics.item.entry", name=e.entry, answers=e.answers, up=e.helpful,
                       down=e.unhelpful) for e in o.faq[:LISTED])))
        if o.contests is not None and (o.contests[0] or o.contests[2]):
            joined, brought, entries = o.contests
            out.append(self.t("analytics.line.contests", entries=entries, brought=brought,
                              joined=joined, share=self.share(brought, joined)))
        if o.reputation or o.warnings:
            out.append(self.t("analytics.line.reputation", warnings=o.warnings, terms=", ".join(
                self.t("analytics.item.term", name=r.term, mentions=r.mentions,
                       negative=r.negative, positive=r.positive)
                for r in (o.reputation or [])[:LISTED]) or self.t("analytics.none")))
        return out

    def _compared(self, now: Figures, before: Figures) -> list[str]:
        """Key figures of the week against the week before."""
        pairs = (
            ("messages", now.totals["messages"], before.totals["messages"]),
            ("active", now.active_members, before.active_members),
            ("joins", now.totals["joins"], before.totals["joins"]),
            ("leaves", now.totals["leaves"], before.totals["leaves"]),
            ("replies", now.totals["replies"], before.totals["replies"]),
            ("threads", now.totals["threads"], before.totals["threads"]),
            ("questions", now.answered, before.answered),
            ("faq", now.totals["faq_answers"], before.totals["faq_answers"]),
            ("cases", now.moderation.cases, before.moderation.cases),
            ("pardoned", now.moderation.pardoned, before.moderation.pardoned),
        )
        return [self.t("analytics.weekly.line", label=self.t(f"analytics.weekly.{key}"),
                       value=self.t("analytics.delta", value=value, before=old,
                                    change=_change(value, old)))
                for key, value, old in pairs]


def _change(value: int, before: int) -> str:
    """`+12`, `-3`, `=` (a count, not a percentage: small numbers stay honest)."""
    diff = value - before
    return "=" if diff == 0 else f"{diff:+d}"


def _d(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")

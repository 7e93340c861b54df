"""`reputation [7d|30d] [term]`: mentions, shares, satisfaction index, trend, negative topics;
`reputation examples <term>`: links to the most negative kept messages."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.actions import Reply, Upload
from bot.commands import Rest
from bot.events import platform_of
from bot.i18n import LANGUAGES, Catalog, Localized, Msg
from bot.permissions import Role
from bot.plugin import CommandCall, command
from bot.text import fold
from plugins.reputation.base import ReputationBase
from plugins.reputation.settings import ReputationSettings, Term
from plugins.reputation.store import ANY

__all__ = ["ReputationCommands", "index_of", "joined", "message_link", "sparkline"]

log = logging.getLogger("vigie.reputation")
DEFAULT_DAYS = 7
MAX_DAYS = 400
TERMS_SHOWN = 8
TOPICS_SHOWN = 3
EXAMPLES_SHOWN = 5
_PERIOD = re.compile(r"(\d{1,3})\s*[dj]")
_BARS = "▁▂▃▄▅▆▇█"


def joined(catalog: Catalog, messages: Iterable[Msg], sep: str) -> Localized:
    """Catalog messages rendered and joined, in every language."""
    items = list(messages)
    return Localized.of({lang: sep.join(catalog.text(m, lang) for m in items)
                         for lang in LANGUAGES})


def index_of(positive: int, negative: int, mentions: int) -> int:
    """The satisfaction index: positive minus negative mentions, per 100 mentions (-100..100)."""
    return round(100 * (positive - negative) / mentions) if mentions else 0


def sparkline(values: list[int | None]) -> str:
    """Daily indexes (-100..100) as one bar each; a day without mentions is a dot."""
    return "".join("·" if v is None else _BARS[min(7, max(0, (v + 100) * 8 // 201))]
                   for v in values)


def message_link(community: str, channel: str, message_id: str) -> str:
    """A link to a message where the platform has one (Discord), else `#channel · id`."""
    platform, _, guild = community.partition(":")
    if platform == "discord":
        return (f"https://discord.com/channels/{guild}/{channel.partition(':')[2]}/"
                f"{message_id.partition(':')[2]}")
    if platform == "telegram" and guild.startswith("-100"):
        number = message_id.rpartition(":")[2]
        if number.isdigit():
            return f"https://t.me/c/{guild[4:]}/{number}"
    return f"#{channel.partition(':')[2]} · {message_id}"


@dataclass(slots=True)
class _Sums:
    mentions: int = 0
    negative: int = 0
    positive: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.mentions += int(row["mentions"])
        self.negative += int(row["negative"])
        self.positive += int(row["positive"])

    @property
    def index(self) -> int:
        return index_of(self.positive, self.negative, self.mentions)

    def share(self, part: int) -> int:
        return round(100 * part / self.mentions) if self.mentions else 0


def _find_term(settings: ReputationSettings, word: str) -> Term | None:
    by_id = {term.id: term for term in settings.terms}
    if word in by_id:
        return by_id[word]
    key = fold(word).strip()
    return next((term for term in settings.terms
                 if any(fold(w).strip().rstrip("*") == key for w in term.all_words())), None)


class ReputationCommands(ReputationBase):
    """reputation."""

    @command("reputation", min_role=Role.CM, aliases=("reput",))
    async def reputation(self, call: CommandCall,
                         what: Rest | None = None) -> Reply | list[Reply | Upload]:
        """What members say about the watched terms: figures, trend, negative topics."""
        settings: ReputationSettings = self.section(call.ctx)
        if not settings.terms:
            return call.reply("reputation.none")
        days, words = DEFAULT_DAYS, []
        for word in (what or "").split():
            period = _PERIOD.fullmatch(word.casefold())
            if period:
                days = max(1, min(MAX_DAYS, int(period.group(1))))
            else:
                words.append(word)
        examples = bool(words) and words[0].casefold() == "examples"
        if examples:
            words = words[1:]
        term = None
        if words:
            term = _find_term(settings, " ".join(words))
            if term is None:
                return call.reply("reputation.unknown", term=" ".join(words)[:60],
                                  terms=", ".join(t.id for t in settings.terms[:20]))
        since = self.now() - timedelta(days=days - 1)
        if examples:
            if term is None:
                return call.reply("reputation.examples.usage", prefix=call.prefix)
            return await self._examples(call, term, days, since)
        rows = await self.records.days(call.community, since)
        reply = self._summary(call, settings, term, days, since, rows)
        if not rows or platform_of(call.community) == "console":
            return reply
        upload = await self._chart(call, term, days, since, rows)
        return [reply, upload] if upload is not None else reply

    async def _chart(self, call: CommandCall, term: Term | None, days: int, since: Any,
                     rows: list[dict[str, Any]]) -> Upload | None:
        """The daily index as an image, where the platform can post files."""
        overall = term.id if term is not None else ANY
        per_day: dict[str, _Sums] = {}
        for row in rows:
            if row["term"] == overall:
                per_day.setdefault(row["day"], _Sums()).add(row)
        dates = [(since + timedelta(days=offset)).date().isoformat() for offset in range(days)]
        indexes = [per_day[d].index if d in per_day else None for d in dates]
        counts = [per_day[d].mentions if d in per_day else 0 for d in dates]
        catalog, lang = self.ctx.services.catalog, call.ctx.lang
        title = catalog.render("reputation.chart.title.term", lang,
                               {"days": days, "term": term.shown}) if term else \
            catalog.render("reputation.chart.title", lang, {"days": days})
        try:
            from plugins.reputation.chart import index_png  # matplotlib: 40 MB, on first use
            png = await asyncio.to_thread(index_png, dates, indexes, counts, title,
                                          catalog.render("reputation.chart.mentions", lang))
        except Exception:
            log.exception("reputation chart failed community=%s", call.community)
            return None
        return Upload(channel=call.channel, filename=f"reputation-{days}d.png", data=png,
                      caption=Localized.of({lang: title}), reply_to=call.message_id)

    async def _examples(self, call: CommandCall, term: Term, days: int, since: Any) -> Reply:
        rows = await self.records.examples_of(call.community, term.id, since,
                                              limit=EXAMPLES_SHOWN)
        if not rows:
            return call.reply("reputation.examples.none", term=term.shown, days=days)
        lines = [Msg.of("reputation.examples.line", score=f"{float(r['score']):+.2f}",
                        when=str(r["ts"])[:16].replace("T", " "),
                        link=message_link(call.community, r["channel"], r["message_id"]))
                 for r in rows]
        return call.reply("reputation.examples", term=term.shown, days=days,
                          lines=joined(self.ctx.services.catalog, lines, "\n"))

    def _summary(self, call: CommandCall, settings: ReputationSettings, term: Term | None,
                 days: int, since: Any, rows: list[dict[str, Any]]) -> Reply:
        kinds = {t.id: t for t in settings.terms}
        overall = term.id if term is not None else ANY
        total, per_term, per_platform = _Sums(), dict[str, _Sums](), dict[str, _Sums]()
        per_day: dict[str, _Sums] = {}
        for row in rows:
            if row["term"] == overall:
                total.add(row)
                per_platform.setdefault(row["platform"], _Sums()).add(row)
                per_day.setdefault(row["day"], _Sums()).add(row)
            if row["term"] in kinds and (term is None or row["term"] == term.id):
                per_term.setdefault(row["term"], _Sums()).add(row)
        if not total.mentions:
            if term is None:
                return call.reply("reputation.empty.all", days=days)
            return call.reply("reputation.empty", days=days, term=term.shown)
        trend = []
        for offset in range(days):
            day = (since + timedelta(days=offset)).date().isoformat()
            sums = per_day.get(day)
            trend.append(sums.index if sums and sums.mentions else None)
        catalog = self.ctx.services.catalog
        term_lines = [Msg.of("reputation.term", term=kinds[t].shown,
                             kind=Msg.of(f"reputation.kind.{kinds[t].kind}"),
                             mentions=s.mentions, negative=s.share(s.negative),
                             positive=s.share(s.positive), index=s.index)
                      for t, s in sorted(per_term.items(), key=lambda kv: -kv[1].mentions)
                      [:TERMS_SHOWN]]
        platforms = [Msg.of("reputation.platform", platform=p.capitalize(), index=s.index,
                            mentions=s.mentions) for p, s in sorted(per_platform.items())]
        topics = sorted(((s.negative, t) for t, s in per_term.items()
                         if kinds[t].kind == "topic" and s.negative), reverse=True)
        topic_text: Msg | Localized = Msg.of("reputation.topics.none")
        if topics:
            topic_text = joined(catalog, [Msg.of("reputation.topic", topic=kinds[t].shown,
                                                 negative=n) for n, t in
                                          topics[:TOPICS_SHOWN]], ", ")
        return call.reply(
            "reputation.summary", days=days, mentions=total.mentions,
            negative=total.share(total.negative), positive=total.share(total.positive),
            index=total.index, trend=sparkline(trend),
            terms=joined(catalog, term_lines, "\n"),
            platforms=joined(catalog, platforms, " · "), topics=topic_text,
            prefix=call.prefix, example=term.id if term else settings.terms[0].id)



"""`faq`: the topics, one topic's answer on request, and for CMs `faq misses` and `faq stats`."""

from __future__ import annotations

from datetime import timedelta

from rapidfuzz import fuzz, process

from bot.actions import Action, Reply
from bot.commands import Rest
from bot.events import User
from bot.i18n import pick_language
from bot.permissions import Role
from bot.plugin import CommandCall, command
from plugins.faq.answers import answer_language, answer_reply, question_key
from plugins.faq.index import FaqIndex, applies
from plugins.faq.misses import group_misses
from plugins.faq.settings import LANGS, Entry, FaqSettings
from plugins.faq.store import AnswerRow
from plugins.faq.text import faq_words, merge_compounds, stems_of, terms_of
from plugins.faq.trying import TryCommand

__all__ = ["FaqCommands"]

TOPICS_SHOWN = 40
MISS_GROUPS_SHOWN = 10
EXAMPLE_CHARS = 120
LOOKUP_THRESHOLD = 0.35
"""A CM asked for a topic: a weaker match than an automatic answer needs is enough."""
ID_CUTOFF = 80.0
NEAR_MISS = 0.35
"""A miss whose closest entry scored this much is a near miss (that entry lacks a phrasing)."""
UNHELPFUL_SHOWN = 10


class FaqCommands(TryCommand):
    """The `faq` command and its CM subcommands."""

    @command("faq", min_role=Role.MEMBER)
    async def faq(self, call: CommandCall, lookup: Rest | None = None) -> Action:
        """List the topics, post one topic's answer, or (CMs) show misses and stats."""
        settings: FaqSettings = self.section(call.ctx)
        words = (lookup or "").split()
        if not words:
            return self._topics(call, settings)
        first = words[0].casefold()
        if first in ("misses", "stats", "try"):
            if call.role < Role.CM:
                return call.reply("command.denied", command=f"{call.prefix}faq {first}")
            if first == "misses":
                return await self._misses(call, settings, words[1:])
            if first == "try":
                return await self._try(call, settings, (lookup or "").split(maxsplit=1)[1:])
            return await self._stats(call, settings)
        return self._lookup(call, settings, " ".join(words))

    def _topics(self, call: CommandCall, settings: FaqSettings) -> Reply:
        entries = [e for e in settings.entries if applies(e, call.community, call.channel)]
        if not entries:
            return call.reply("faq.topics.none")
        lang = call.ctx.lang
        lines = [f"• {e.id} — {_title(e, lang)}" for e in entries[:TOPICS_SHOWN]]
        more = ""
        if len(entries) > TOPICS_SHOWN:
            more = self.ctx.services.catalog.render(
                "faq.topics.more", lang, {"count": len(entries) - TOPICS_SHOWN,
                                          "prefix": call.prefix})
        return call.reply("faq.topics", count=len(entries), lines="\n".join(lines), more=more,
                          prefix=call.prefix)

    def _lookup(self, call: CommandCall, settings: FaqSettings, query: str) -> Reply:
        """Post an entry's answer: by id, else the entry the words match best."""
        index = self.index(settings)
        entry = _by_id(index, query, call.community)
        score = 1.0
        if entry is None:
            words = merge_compounds(faq_words(query))
            terms = terms_of(words)
            found = index.match(terms, call.community, None, limit=1,
                                stems=stems_of(words)) if terms else []
            if not found or found[0].score < LOOKUP_THRESHOLD:
                return call.reply("faq.lookup.none", query=query[:80], prefix=call.prefix)
            entry, score = found[0].entry, found[0].score
        event = call.ctx.event
        target: str | None = getattr(event, "reply_to", None)
        target_author: User | None = getattr(event, "reply_to_author", None)
        if target is not None:
            member_language = target_author.language if target_author else None
            lang = pick_language(member_language, call.ctx.settings.language)
        else:
            target, lang = call.message_id, call.ctx.lang
        lang = answer_language(entry, lang)
        self.records.add(AnswerRow(call.ctx.event.ts, call.community, call.channel, entry.id,
                                   "request", score, lang, call.ctx.event.id,
                                   query if target == call.message_id else None,
                                   question_key(target)))
        return answer_reply(self.ctx.services.catalog, entry, lang, channel=call.channel,
                            message_id=target, prefix=call.prefix, buttons=settings.buttons,
                            requested=True)

    async def _misses(self, call: CommandCall, settings: FaqSettings,
                      args: list[str]) -> Reply:
        days, page = settings.misses_days, 1
        if len(args) > 2 or not all(a.isdigit() for a in args) \
                or (args and not 1 <= int(args[0]) <= 90) or (len(args) > 1 and int(args[1]) < 1):
            return call.reply("faq.misses.usage", prefix=call.prefix)
        if args:
            days = int(args[0])
        if len(args) > 1:
            page = int(args[1])
        since = self.ctx.services.clock.now() - timedelta(days=days)
        rows = await self.records.misses(call.community, since)
        every = group_misses(rows, limit=max(len(rows), 1))
        if not every:
            return call.reply("faq.misses.none", days=days)
        near = [g for g in every if g.closest and g.score >= NEAR_MISS]
        ordered = [*near, *(g for g in every if not (g.closest and g.score >= NEAR_MISS))]
        pages = max(1, -(-len(ordered) // MISS_GROUPS_SHOWN))
        page = min(page, pages)
        start = (page - 1) * MISS_GROUPS_SHOWN
        catalog, lang = self.ctx.services.catalog, call.ctx.lang
        lines: list[str] = []
        heading = ""
        for at, group in enumerate(ordered[start:start + MISS_GROUPS_SHOWN], start):
            section = "faq.misses.near" if at < len(near) else "faq.misses.outside"
            if section != heading:
                heading = section
                lines.append(catalog.render(section, lang, {"prefix": call.prefix}))
            closest = ""
            if group.closest:
                closest = catalog.render("faq.misses.closest", lang, {
                    "entry": group.closest, "score": f"{group.score:.2f}"})
            example = group.example if len(group.example) <= EXAMPLE_CHARS \
                else group.example[:EXAMPLE_CHARS - 1] + "…"
            lines.append(catalog.render("faq.misses.line", lang, {
                "count": group.count, "example": example.replace("\n", " "),
                "closest": closest}))
        more = ""
        if page < pages:
            more = "\n" + catalog.render("faq.misses.more", lang, {
                "prefix": call.prefix, "days": days, "next": page + 1, "pages": pages})
        return call.reply("faq.misses.list", days=days, total=len(rows), groups=len(every),
                          near=len(near), page=page, pages=pages,
                          lines="\n".join(lines) + more)

    async def _stats(self, call: CommandCall, settings: FaqSettings) -> Reply:
        stats = await self.records.stats(call.community)
        if not stats:
            return call.reply("faq.stats.none")
        catalog, lang = self.ctx.services.catalog, call.ctx.lang
        lines = [catalog.render("faq.stats.line", lang, {
            "entry": s.entry, "answers": s.answers, "requested": s.on_request,
            "helpful": s.helpful, "unhelpful": s.unhelpful}) for s in stats]
        used = {s.entry for s in stats if s.answers}
        silent = sum(1 for e in settings.entries if e.id not in used)
        disliked = await self.records.unhelpful(call.community, limit=UNHELPFUL_SHOWN)
        if disliked:
            lines.append(catalog.render("faq.stats.unhelpful", lang, {}))
            lines += [catalog.render("faq.stats.unhelpful.line", lang, {
                "entry": entry, "count": count,
                "question": _short(question)}) for entry, question, count in disliked]
        return call.reply("faq.stats.list", entries=len(settings.entries), silent=silent,
                          lines="\n".join(lines))


def _short(text: str) -> str:
    """A question shortened to EXAMPLE_CHARS, on one line."""
    text = text.replace("\n", " ")
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1] + "…"


def _title(entry: Entry, lang: str) -> str:
    """The topic's title in `lang`, else its first question (in `lang` if it has one)."""
    if entry.title:
        return entry.title_in(lang) or next(iter(entry.title.values()))
    for chosen in (lang, *LANGS):
        if entry.questions_in(chosen):
            return entry.questions_in(chosen)[0]
    return entry.id


def _by_id(index: FaqIndex, query: str, community: str) -> Entry | None:
    """The entry named by `query` (an id, or a near-typo of one) that applies here."""
    wanted = query.strip().casefold()
    entry = index.by_id.get(wanted)
    if entry is None and " " not in wanted and index.by_id:
        best = process.extractOne(wanted, list(index.by_id), scorer=fuzz.ratio,
                                  score_cutoff=ID_CUTOFF)
        entry = index.by_id[best[0]] if best else None
    if entry is not None and applies(entry, community, None):
        return entry
    return None

"""`faq try <text>` (CM): what the FAQ would do with a message, and why."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.actions import Reply
from bot.plugin import CommandCall
from bot.text import NormalizedText
from plugins.faq.base import FaqBase
from plugins.faq.decide import MARGIN, MIN_COVERAGE, RIVAL_SHARE, Outcome, decide, read
from plugins.faq.index import Match, applies
from plugins.faq.semantic import AGREEMENT_DISCOUNT, AGREEMENT_INDEX, judge
from plugins.faq.settings import FaqSettings
from plugins.faq.text import looks_like_question

__all__ = ["TryCommand"]

Say = Callable[..., str]
SHOWN = 3
TRY_TIMEOUT = 10.0
"""Seconds `faq try` waits for the encoder (its first use loads the model)."""


class TryCommand(FaqBase):
    """The CM's window on the matcher."""

    async def _try(self, call: CommandCall, settings: FaqSettings, rest: list[str]) -> Reply:
        """The gate's reading, the top entries with their scores and words, the verdict of the
        words and of the encoder."""
        text = rest[0].strip() if rest else ""
        if not text:
            return call.reply("faq.try.usage", prefix=call.prefix)
        catalog, lang = self.ctx.services.catalog, call.ctx.lang

        def say(key: str, **values: object) -> str:
            return catalog.render(key, lang, values)

        normalized = NormalizedText(text)
        lines = [say("faq.try.gate.yes" if looks_like_question(normalized)
                     else "faq.try.gate.no")]
        _, terms, stems = read(normalized)
        index = self.index(settings)
        found = index.match(terms, call.community, call.channel, limit=SHOWN, stems=stems) \
            if terms else []
        for rank, match in enumerate(found, 1):
            lines.append(say("faq.try.line", rank=rank, entry=match.entry.id,
                             score=f"{match.score:.2f}", focus=f"{match.focus:.2f}",
                             coverage=f"{match.coverage:.2f}",
                             words=", ".join(match.matched) or "-",
                             example=match.example,
                             keyword=say("faq.try.keyword") if match.keyword else ""))
        if not found:
            lines.append(say("faq.try.none"))
        outcome = decide(index, terms, stems, settings.threshold, call.community, call.channel)
        best = outcome.best
        if outcome.confident and best is not None:
            lines.append(say("faq.try.answers", entry=best.entry.id,
                             threshold=f"{settings.threshold:.2f}"))
        else:
            why = self._why(outcome.best, outcome.runner_up, settings, found, say)
            lines.append(say("faq.try.silent", why=why))
            lines.append(await self._encoder_line(text, settings, call, outcome, say))
        return call.reply("faq.try.result", text=text[:200], lines="\n".join(lines))

    @staticmethod
    def _why(best: Match | None, runner_up: float, settings: FaqSettings, found: list[Match],
             say: Say) -> str:
        """Why the words give no answer."""
        if best is None:
            return say("faq.try.why.nothing")
        if best.score < settings.threshold:
            return say("faq.try.why.threshold", threshold=f"{settings.threshold:.2f}")
        if best.coverage < MIN_COVERAGE:
            return say("faq.try.why.coverage")
        if best.score - runner_up < MARGIN:
            return say("faq.try.why.margin", margin=f"{MARGIN:.2f}")
        rival = found[1] if len(found) > 1 else None
        if rival is not None and rival.keyword and rival.score >= RIVAL_SHARE * settings.threshold:
            return say("faq.try.why.rival", entry=rival.entry.id)
        return say("faq.try.why.threshold", threshold=f"{settings.threshold:.2f}")

    async def _encoder_line(self, text: str, settings: FaqSettings, call: CommandCall,
                            outcome: Outcome, say: Say) -> str:
        """What the encoder finds, and whether it would answer."""
        if not settings.semantic:
            return say("faq.try.semantic.off")
        if not self.semantic.available:
            return say("faq.try.semantic.missing")
        index = self.index(settings)
        future = self.semantic.ask(text, self.vectors(index))
        if future is None:
            return say("faq.try.semantic.busy")
        try:
            hits = await asyncio.wait_for(asyncio.wrap_future(future), TRY_TIMEOUT)
        except Exception:  # a slow first load, or an encoder error
            return say("faq.try.semantic.busy")
        here = [h for h in hits if applies(index.entries[h.entry], call.community, call.channel)]
        best = outcome.best
        verdict = judge(here, index.entries, settings.semantic_threshold,
                        best.entry.id if best is not None else None,
                        best.score if best is not None else 0.0)
        if verdict.entry is None:
            return say("faq.try.semantic.none")
        needed = settings.semantic_threshold - (AGREEMENT_DISCOUNT if verdict.agreed else 0.0)
        return say("faq.try.semantic", entry=verdict.entry.id, score=f"{verdict.score:.2f}",
                   next=f"{verdict.runner_up:.2f}", needed=f"{needed:.2f}",
                   example=verdict.example,
                   verdict=say("faq.try.semantic.yes" if verdict.confident
                               else "faq.try.semantic.no"),
                   agreed=say("faq.try.semantic.agreed", index=f"{AGREEMENT_INDEX:.2f}")
                   if verdict.agreed else "")

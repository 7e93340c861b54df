"""Late answers: a question the words left uncertain goes to the encoder thread, and a job
(`faq.semantic`, armed by the message's decision) answers it when the encoder is sure, before
the deadline; a later result is dropped and counted.

The message's hook only queues the question (microseconds) and returns a `Schedule` action;
the job runs through the dispatcher like any other, so the answer is a decision with its
evidence in the audit, executed by the executor.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future
from dataclasses import dataclass

from bot.actions import Decision, Schedule
from bot.events import JobDue, MessageCreated
from bot.plugin import EventContext, on_job
from plugins.faq.answers import answer_language, answer_reply, question_key
from plugins.faq.commands import FaqCommands
from plugins.faq.encoder import SemanticHit
from plugins.faq.index import FaqIndex, applies
from plugins.faq.semantic import judge
from plugins.faq.settings import Entry, FaqSettings
from plugins.faq.store import AnswerRow, MissRow

__all__ = ["JOB_KIND", "MISS_MIN_TERMS", "LateAnswers"]

JOB_KIND = "faq.semantic"
MISS_MIN_TERMS = 2
"""Shorter unanswered questions ("sérieux ?") are chat, not missing FAQ entries."""
WAITING_LIMIT = 1000
ENCODED_CHARS = 500


@dataclass(frozen=True, slots=True)
class Waiting:
    """A question at the encoder: its result, when it is too late, what the words found."""

    future: Future[list[SemanticHit]]
    deadline: float
    entries: tuple[Entry, ...]
    miss: MissRow
    event_id: str
    author_language: str | None


class LateAnswers(FaqCommands):
    """Questions sent to the encoder, and the job that answers them."""

    def ask_encoder(self, event: MessageCreated, settings: FaqSettings, index: FaqIndex,
                    miss: MissRow) -> Schedule | None:
        """Queue the question at the encoder; the job to arm, or None when the queue is full."""
        future = self.semantic.ask(_encoded_text(event.text), self.vectors(index))
        if future is None:
            return None
        if len(self.waiting) >= WAITING_LIMIT:  # jobs that never ran (a stopped scheduler)
            self.waiting.pop(next(iter(self.waiting)))
        deadline = time.monotonic() + settings.semantic_deadline.total_seconds()
        self.waiting[event.id] = Waiting(future, deadline, index.entries, miss, event.id,
                                         event.author.language)
        return Schedule.of(JOB_KIND, event.community, event.ts, key=f"faq-semantic:{event.id}",
                           payload={"event": event.id, "channel": event.channel})

    @on_job(JOB_KIND)
    async def late_answer(self, job: JobDue, ctx: EventContext) -> Decision:
        """Answer from the encoder's verdict, if it came in time and is confident."""
        settings: FaqSettings = self.section(ctx)
        event_id = str(job.payload.get("event", ""))
        waiting = self.waiting.pop(event_id, None)
        if waiting is None:
            self.semantic.counters.dropped_late += 1
            return Decision(rule="semantic:lost", evidence=f"the encoder's result for "
                            f"{event_id} is gone (asked before a restart)")
        try:
            hits = await asyncio.wait_for(asyncio.wrap_future(waiting.future),
                                          max(0.0, waiting.deadline - time.monotonic()))
        except TimeoutError:
            self.semantic.counters.dropped_late += 1
            self._missed(settings, waiting.miss)
            return Decision(rule="semantic:late", evidence="the encoder did not answer "
                            f"within {settings.semantic_deadline.total_seconds():g}s: dropped")
        except Exception as exc:  # the encoder failed: the words' verdict stands
            self._missed(settings, waiting.miss)
            return Decision(rule="semantic:failed", evidence=f"encoder error: {exc}")
        channel = waiting.miss.channel
        here = [hit for hit in hits
                if applies(waiting.entries[hit.entry], job.community, channel)]
        verdict = judge(here, waiting.entries, settings.semantic_threshold,
                        waiting.miss.closest, waiting.miss.score)
        if not verdict.confident or verdict.entry is None:
            self._missed(settings, waiting.miss, verdict.entry, verdict.score)
            return Decision(rule="semantic:miss", evidence=verdict.evidence)
        entry = verdict.entry
        rule = f"answer:{entry.id}"
        key = (job.community, channel, entry.id)
        cooldown = entry.cooldown if entry.cooldown is not None else settings.cooldown
        now = self.ctx.services.clock.now()
        if self.cooling(key, now, cooldown):
            return Decision(rule=rule, evidence=f"answered in this channel recently; "
                            f"{verdict.evidence}")
        self.answered(key, now)
        self.semantic.counters.answered += 1
        lang = answer_language(entry, waiting.miss.lang)
        self.records.add(AnswerRow(now, job.community, channel, entry.id, "semantic",
                                   verdict.score, lang, waiting.event_id, waiting.miss.text,
                                   question_key(waiting.event_id)))
        reply = answer_reply(self.ctx.services.catalog, entry, lang, channel=channel,
                             message_id=waiting.event_id, prefix=ctx.settings.prefixes[0],
                             buttons=settings.buttons)
        return Decision(rule=rule, actions=(reply,), evidence=verdict.evidence)

    def _missed(self, settings: FaqSettings, miss: MissRow, closest: Entry | None = None,
                score: float = 0.0) -> None:
        """Record the miss (with the encoder's closest entry when it is closer)."""
        if not settings.record_misses or len(miss.terms.split()) < MISS_MIN_TERMS:
            return
        if closest is not None and (miss.closest is None or score > miss.score):
            miss = MissRow(miss.ts, miss.community, miss.channel, miss.lang, miss.text,
                           miss.terms, closest.id, score)
        self.records.add(miss)


def _encoded_text(text: str) -> str:
    """What the encoder reads of a message (its first ENCODED_CHARS characters)."""
    return text[:ENCODED_CHARS]

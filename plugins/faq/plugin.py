"""The FAQ plugin: answers members' questions when confident, records votes and misses."""

from __future__ import annotations

from pathlib import Path

from bot.actions import Decision
from bot.durations import format_duration
from bot.events import ButtonClicked, MessageCreated
from bot.i18n import pick_language
from bot.permissions import Role
from bot.plugin import EventContext, Phase, hook
from plugins.faq.answers import answer_language, answer_reply, parse_vote, question_key
from plugins.faq.decide import MAX_CHARS, addressed, conversational, decide, read
from plugins.faq.late import MISS_MIN_TERMS, LateAnswers
from plugins.faq.schema import MIGRATIONS
from plugins.faq.settings import FaqSettings
from plugins.faq.store import AnswerRow, MissRow, VoteRow
from plugins.faq.text import guess_language, looks_like_question

__all__ = ["FaqPlugin"]

MISS_TEXT_CHARS = 300


class FaqPlugin(LateAnswers):
    """Answers from the rule file's FAQ, in the member's language, only when confident."""

    settings_model = FaqSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    @hook(Phase.RESPOND, MessageCreated)
    async def respond(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Answer a question an entry matches confidently; remember the ones none does."""
        settings: FaqSettings = self.section(ctx)
        if not settings.entries or event.author.is_bot or not event.text \
                or len(event.text) > MAX_CHARS:
            return None
        if ctx.role >= Role.CM and not settings.answer_staff:
            return None
        to_bot = addressed(event, settings.bot_names)
        if not to_bot and (settings.listen == "addressed" or conversational(event)
                           or not looks_like_question(ctx.normalized)):
            return None
        words, terms, stems = read(ctx.normalized)
        if not terms:
            return None
        index = self.index(settings)
        outcome = decide(index, terms, stems, settings.threshold, event.community,
                         event.channel)
        lang = pick_language(event.author.language, "") or \
            guess_language(words, ctx.settings.language)
        if not outcome.confident or outcome.best is None:
            best = outcome.best
            miss = MissRow(event.ts, event.community, event.channel, lang,
                           event.text[:MISS_TEXT_CHARS], " ".join(sorted(terms)),
                           best.entry.id if best else None, best.score if best else 0.0)
            if settings.semantic and self.semantic.available:
                asked = self.ask_encoder(event, settings, index, miss)
                if asked is not None:
                    return Decision(rule="semantic:asked", actions=(asked,),
                                    evidence=f"asked the encoder; {outcome.evidence}")
            if settings.record_misses and len(terms) >= MISS_MIN_TERMS:
                self.records.add(miss)
            return None
        entry = outcome.best.entry
        rule = f"answer:{entry.id}"
        key = (event.community, event.channel, entry.id)
        cooldown = entry.cooldown if entry.cooldown is not None else settings.cooldown
        if self.cooling(key, event.ts, cooldown):
            return Decision(rule=rule, evidence=f"answered in this channel less than "
                            f"{format_duration(cooldown)} ago; {outcome.evidence}")
        self.answered(key, event.ts)
        lang = answer_language(entry, lang)
        self.records.add(AnswerRow(event.ts, event.community, event.channel, entry.id, "auto",
                                   outcome.best.score, lang, event.id,
                                   event.text[:MISS_TEXT_CHARS], question_key(event.id)))
        reply = answer_reply(self.ctx.services.catalog, entry, lang, channel=event.channel,
                             message_id=event.id, prefix=ctx.settings.prefixes[0],
                             buttons=settings.buttons)
        return Decision(rule=rule, actions=(reply,), evidence=outcome.evidence)

    @hook(Phase.RESPOND, ButtonClicked)
    async def vote(self, event: ButtonClicked, ctx: EventContext) -> Decision | None:
        """Store a helpful / not helpful click (a member's last click on an answer counts)."""
        parsed = parse_vote(event.custom_id)
        if parsed is None or event.user.is_bot:
            return None
        entry, helpful, qkey = parsed
        self.records.add(VoteRow(event.ts, event.community, event.message_id, event.user.id,
                                 entry, helpful, qkey or None))
        return Decision(rule=f"vote:{entry}", evidence=f"{'helpful' if helpful else 'not helpful'}"
                        f" from {event.user.id} on {event.message_id}")

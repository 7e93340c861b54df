"""The baselines: what a bot without automod's engine would do with the same words and patterns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from bot.actions import Decision, Delete, Warn
from bot.events import MessageCreated, MessageEdited
from bot.plugin import EventContext, Phase, Plugin, hook

__all__ = ["alternation_plugin", "loop_plugin"]


class _Baseline(Plugin):
    """Words and patterns as plain `re` rules; flood, caps, links and copies left out."""

    name: ClassVar[str] = "baseline"
    rules: ClassVar[list[re.Pattern[str]]] = []

    @hook(Phase.GUARD, MessageCreated, MessageEdited)
    async def guard(self, event: MessageCreated, ctx: EventContext) -> Decision | None:
        """Delete and warn on the first rule that matches."""
        for number, rule in enumerate(self.rules):
            if rule.search(event.text):
                return Decision(rule=f"rule-{number}", actions=(
                    Delete(channel=event.channel, message_id=event.id),
                    Warn(target=event.author)))
        return None


def loop_plugin(words: Sequence[str], patterns: Sequence[str]) -> type[Plugin]:
    """One `re` pattern per word and per admin pattern, tried in turn."""
    rules = [re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE) for w in words]
    rules += [re.compile(p, re.IGNORECASE) for p in patterns]
    return type("LoopBaseline", (_Baseline,), {"rules": rules})


def alternation_plugin(words: Sequence[str], patterns: Sequence[str]) -> type[Plugin]:
    """Every word and pattern in one `re` alternation."""
    literal = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    combined = re.compile(rf"\b(?:{literal})\b|" + "|".join(f"(?:{p})" for p in patterns),
                          re.IGNORECASE)
    return type("AlternationBaseline", (_Baseline,), {"rules": [combined]})

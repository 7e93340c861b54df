"""What the plugin says: reminders, notices, the CM alert and the `heat` list, in en and fr."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.i18n import LANGUAGES, Catalog, Localized, Msg, Text
from bot.mentions import ChannelMention
from plugins.escalation.heat import Exchange, Participant
from plugins.escalation.state import Conversation

__all__ = ["Writer", "channel_name"]


def channel_name(channel: str) -> ChannelMention:
    """The channel as a message parameter: `#general` in text, a mention on Discord."""
    return ChannelMention(channel)


class Writer:
    """Builds texts; parts that are lists of catalog messages are rendered in every language."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def each(self, build: Callable[[str], str]) -> Localized:
        """A text built once per language."""
        return Localized.of({lang: build(lang) for lang in LANGUAGES})

    def joined(self, messages: Iterable[Msg], sep: str, empty: Msg | None = None) -> Localized:
        """Messages rendered and joined in every language."""
        items = list(messages) or ([empty] if empty else [])
        return self.each(lambda lang: sep.join(self.catalog.text(m, lang) for m in items))

    # -- people and scores -----------------------------------------------------------------

    def member_line(self, member: Participant, now: datetime, half_life: timedelta,
                    window: timedelta) -> Msg:
        """`• alice: 7.4 (insults 3.0, aggressive phrases 4.0; 2 negative message(s))`."""
        parts = sorted(member.parts.items(), key=lambda kv: -kv[1])
        signals = self.joined((Msg.of(f"escalation.signal.{name}", value=f"{value:.1f}")
                               for name, value in parts), ", ")
        return Msg.of("escalation.member", name=member.user.name,
                      heat=f"{member.heat_at(now, half_life):.1f}", signals=signals,
                      negative=member.negatives_in(now, window))

    def members(self, exchange: Exchange, now: datetime, half_life: timedelta,
                window: timedelta) -> Localized:
        """One line per member of the exchange (or the lone member)."""
        people = [p for p, _ in exchange.members] or ([exchange.solo[0]] if exchange.solo else [])
        return self.joined((self.member_line(p, now, half_life, window) for p in people), "\n")

    def steps(self, names: Iterable[str]) -> Localized:
        """`reminder, slowmode` (or `none`)."""
        return self.joined((Msg.of(f"escalation.step.{n}") for n in names), ", ",
                           empty=Msg.of("escalation.step.none"))

    def transcript(self, conversation: Conversation, lines: int) -> Localized:
        """The last messages of the channel, one a line, deleted ones marked."""
        shown = list(conversation.transcript)[-lines:]
        return self.joined((Msg.of("escalation.line_deleted" if line.deleted
                                   else "escalation.line", time=line.at.strftime("%H:%M:%S"),
                                   name=line.author, text=line.text) for line in shown), "\n")

    def plain_transcript(self, conversation: Conversation, lines: int) -> str:
        """The transcript as stored with an alert (English)."""
        return self.catalog.text(self.transcript(conversation, lines), "en")

    # -- public texts ----------------------------------------------------------------------

    def reminder(self, names: list[str], rules: Mapping[Any, str],
                 custom: Mapping[Any, str] | None) -> Text:
        """Step 1: the friendly reminder, with the community's rules."""
        if custom:
            return Localized.of({str(k): v for k, v in custom.items()})
        if rules:
            rule_text: Text = Localized.of({str(k): v.strip() for k, v in rules.items()})
        else:
            rule_text = Msg.of("escalation.default_rules")
        if not names:
            return Msg.of("escalation.reminder_everyone", rules=rule_text)
        return Msg.of("escalation.reminder", members=", ".join(f"@{n}" for n in names),
                      rules=rule_text)

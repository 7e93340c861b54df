"""Conversations per channel, in process memory and bounded: heat, transcript, ladder progress.

Nothing here touches the database: a message costs a few dictionary updates. A channel's
state expires once it has been idle for longer than the window, the decay and the re-arm delay
together (and no slowmode of ours is on); the least recently active channel is dropped past
MAX_CHANNELS, and the least recently active member of a channel past MAX_PARTICIPANTS.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.events import MessageCreated, User
from plugins.escalation.heat import (
    NEGATIVE_AT,
    Exchange,
    MessageHeat,
    Participant,
    exchange_of,
    warm_of,
    weigh,
)
from plugins.escalation.settings import EscalationSettings
from plugins.escalation.signals import Reading

__all__ = ["MAX_CHANNELS", "MAX_PARTICIPANTS", "Conversation", "Line", "Tracker"]

MAX_CHANNELS = 4_096
MAX_PARTICIPANTS = 32
TRANSCRIPT = 20
CLIP = 200
SWEEP = 2  # idle channels looked at per message, oldest first
NO_HEAT = MessageHeat()


def clip(text: str, limit: int = CLIP) -> str:
    """One line, at most `limit` characters (a long text: from its start alone, when that is
    enough, since the line of a prefix is a prefix of the line)."""
    if len(text) > 4 * limit:
        line = " ".join(text[:4 * limit].split())
        if len(line) > limit:
            return line[:limit - 1] + "…"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(slots=True)
class Line:
    """A message as the transcript shows it."""

    at: datetime
    message_id: str
    author: str
    text: str
    heat: float
    deleted: bool = False


@dataclass(slots=True)
class Conversation:
    """One channel: who is heated with whom, the recent transcript, and the ladder's progress."""

    community: str
    channel: str
    touched: datetime
    participants: OrderedDict[str, Participant] = field(default_factory=OrderedDict)
    transcript: deque[Line] = field(default_factory=lambda: deque(maxlen=TRANSCRIPT))
    last_author: tuple[User, datetime] | None = None
    messages: int = 0
    steps: dict[str, datetime] = field(default_factory=dict)
    negatives_since_step: int = 0
    handled: str = ""
    calmed: bool = False
    slowmode_since: datetime | None = None
    timed_out: dict[str, User] = field(default_factory=dict)
    alert_id: int | None = None
    forget_after: timedelta = timedelta(minutes=40)
    changes: int = 0  # counts changes to the members' records (heat, negatives, who's in)
    _quiet: tuple[int, EscalationSettings, datetime] | None = None
    _settings: EscalationSettings | None = None  # the last message's (forget_after is theirs)
    _warm: tuple[tuple[int, int], EscalationSettings, datetime,
                 list[tuple[Participant, float]]] | None = None

    @property
    def warm(self) -> bool:
        """Whether anything here may need a look: a member with heat, or a step taken."""
        return bool(self.steps) or self.slowmode_since is not None or any(
            p.heat > 0 for p in self.participants.values())

    def exchange(self, now: datetime, settings: EscalationSettings) -> Exchange:
        """The hottest exchange in the channel now (with the warm members `quiet` just found,
        when nothing happened since)."""
        memo, self._warm = self._warm, None
        warm = memo[3] if memo is not None and memo[0] == (self.messages, self.changes) \
            and memo[1] is settings and memo[2] == now else None
        return exchange_of(list(self.participants.values()), now, settings, warm)

    def quiet(self, now: datetime, settings: EscalationSettings) -> bool:
        """Whether the ladder can do nothing here now: no slowmode of ours, no step taken (or
        the calm after them recorded), and no exchange or lone member hot enough for a step,
        an alert or to end the calm. Heat only decays, so once quiet, a channel stays quiet
        until a member's record changes (or the settings do): that is remembered, and the
        next messages cost one comparison."""
        if self.slowmode_since is not None or (self.steps and not self.calmed):
            return False  # our slowmode lasts its time; a step taken waits for the calm
        mark = self._quiet
        if mark is not None and mark[0] == self.changes and mark[1] is settings \
                and now >= mark[2]:
            return True
        warm = warm_of(self.participants.values(), now, settings.half_life, settings.member_min)
        heats = sorted((h for _, h in warm), reverse=True)
        first = settings.ladder.first_at()
        # an exchange is at most three warm members, a lone member one of them; the calm ends
        # when the channel's level (its exchange, else its hottest member) reaches a step
        hot = bool(heats) and (sum(heats[:3]) >= first
                               or (settings.solo.enabled and heats[0] >= settings.solo.at))
        if hot or (self.calmed and self.hottest(now, settings) >= first):
            self._quiet = None
            self._warm = ((self.messages, self.changes), settings, now, warm)
            return False
        self._quiet = (self.changes, settings, now)
        return True

    def level(self, exchange: Exchange, now: datetime, settings: EscalationSettings) -> float:
        """How hot the channel is: its exchange, or its hottest member when there is none."""
        return max(exchange.heat, self.hottest(now, settings))

    def hottest(self, now: datetime, settings: EscalationSettings) -> float:
        """Heat of the hottest member now (0 with nobody); a member whose recorded heat is not
        above the best so far is skipped, since heat only decays."""
        best = 0.0
        seconds = max(settings.half_life.total_seconds(), 1.0)
        for member in self.participants.values():
            heat = member.heat
            if heat > best:
                elapsed = (now - member.at).total_seconds()
                if elapsed > 0:  # (as `Participant.heat_at`)
                    heat = heat * 0.5 ** (elapsed / seconds)
                best = max(best, heat)
        return best

    def last_step_at(self) -> datetime | None:
        """When the latest step was taken."""
        return max(self.steps.values(), default=None)

    def reset_ladder(self) -> None:
        """A new exchange: every step may be taken again."""
        self.steps.clear()
        self.handled = ""
        self.calmed = False
        self.timed_out.clear()
        self.alert_id = None

    def record(self, event: MessageCreated, reading: Reading, settings: EscalationSettings,
               ) -> MessageHeat:
        """Count a member's message: its heat, whom it addressed, its line in the transcript."""
        now = event.ts
        self.touched = now
        if settings is not self._settings:
            self._settings = settings
            self.forget_after = settings.window + settings.rearm_after + 5 * settings.half_life
        if self.steps:
            self._rearm(now, settings)
        author = event.author
        member = self.participants.get(author.id)
        heated = reading.may_heat
        if not heated and member is None:  # no heat, nobody's heat to calm: a transcript line
            self.transcript.append(Line(now, event.id, author.name, clip(event.text), 0.0))
            self.last_author = (author, now)
            self.messages += 1
            return NO_HEAT

        def aimed() -> bool:
            return bool(_explicit_targets(event)) or reading.says_you

        targets: list[str] = []
        heat = NO_HEAT
        if heated:
            targets = [u.id for u in _explicit_targets(event)]
            if not targets and self.last_author is not None:
                previous, at = self.last_author
                if previous.id != author.id and now - at <= settings.implicit_reply_within:
                    targets = [previous.id]
            pace = member is not None and member.last_message is not None \
                and now - member.last_message <= settings.pace_within
            answers = any(self._addressed_by(t, author.id, now, settings.window)
                          for t in targets)
            heat = weigh(reading, settings.weights, aimed=aimed, pace=pace,
                         answers_heat=answers)
        if heat.total > 0 or member is not None:
            if heat.total > 0 or (member is not None and member.heat > 0):
                self.changes += 1  # (a member with no heat who stays so changes no bound)
            member = member or self._join(author, now)
            member.user = author
            member.settle(now, settings.half_life)
            if heat.total > 0:
                member.add(heat, now, targets)
                if heat.total >= NEGATIVE_AT:
                    self.negatives_since_step += 1
            elif member.heat > 0:  # a calm message lowers its author's heat, if any is left
                if reading.calming:
                    member.heat *= settings.calming_factor
                elif not aimed():
                    member.heat *= settings.calm_factor
            member.last_message = now
            self.participants.move_to_end(author.id)
        self.transcript.append(Line(now, event.id, author.name, clip(event.text), heat.total))
        self.last_author = (author, now)
        self.messages += 1
        return heat

    def note_staff(self, event: MessageCreated, settings: EscalationSettings) -> list[str]:
        """A CM or admin spoke: in the transcript, no heat. Returns the warm members (heat of
        `member_min` or more) they answered: replied to, mentioned, or spoke right after."""
        now = event.ts
        targets = [u.id for u in _explicit_targets(event)]
        if not targets and self.last_author is not None:
            previous, at = self.last_author
            if now - at <= settings.implicit_reply_within:
                targets = [previous.id]
        answered = [p.user.name for t in targets if (p := self.participants.get(t)) is not None
                    and p.heat_at(now, settings.half_life) >= settings.member_min]
        self._note_staff_line(event)
        return answered

    def _note_staff_line(self, event: MessageCreated) -> None:
        self.touched = event.ts
        self.transcript.append(Line(event.ts, event.id, event.author.name, clip(event.text), 0.0))
        self.last_author = (event.author, event.ts)
        self.messages += 1

    def forget_message(self, message_id: str) -> None:
        """A message was deleted: its line stays (CMs may need it), marked deleted."""
        for line in self.transcript:
            if line.message_id == message_id:
                line.deleted = True

    def _addressed_by(self, member_id: str, target: str, now: datetime,
                      window: timedelta) -> bool:
        other = self.participants.get(member_id)
        return other is not None and other.addressed(target, now, window)

    def _join(self, user: User, now: datetime) -> Participant:
        member = self.participants[user.id] = Participant(user=user, at=now)
        if len(self.participants) > MAX_PARTICIPANTS:
            self.participants.popitem(last=False)
        return member

    def _rearm(self, now: datetime, settings: EscalationSettings) -> None:
        """Once the channel has been calm for `rearm_after`, a new exchange starts afresh."""
        last = self.last_step_at()
        if last is None or now - last < settings.rearm_after:
            return
        if self.slowmode_since is None and \
                self.level(self.exchange(now, settings), now, settings) < settings.calm_below:
            self.reset_ladder()


def _explicit_targets(event: MessageCreated) -> list[User]:
    """Members the message replies to or mentions (not the author, not bots)."""
    found: dict[str, User] = {}
    candidates = [event.reply_to_author] if event.reply_to_author else []
    candidates.extend(event.mentions)
    for user in candidates:
        if user is not None and user.id != event.author.id and not user.is_bot:
            found.setdefault(user.id, user)
    return list(found.values())


class Tracker:
    """Every channel's conversation, least recently active first; bounded and expiring."""

    def __init__(self, limit: int = MAX_CHANNELS) -> None:
        self.limit = limit
        self._conversations: OrderedDict[tuple[str, str], Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def get(self, community: str, channel: str) -> Conversation | None:
        """The channel's conversation, if it is tracked."""
        return self._conversations.get((community, channel))

    def open(self, community: str, channel: str, now: datetime) -> Conversation:
        """The channel's conversation, started if new; marks it as the most recently active."""
        self.sweep(now)
        key = (community, channel)
        conversation = self._conversations.get(key)
        if conversation is None:
            conversation = self._conversations[key] = Conversation(community, channel, now)
            if len(self._conversations) > self.limit:
                self._conversations.popitem(last=False)
        else:
            self._conversations.move_to_end(key)
        return conversation

    def sweep(self, now: datetime) -> None:
        """Drop the oldest conversations that have been idle long enough."""
        for _ in range(SWEEP):
            if not self._conversations:
                return
            key, oldest = next(iter(self._conversations.items()))
            if oldest.slowmode_since is not None or now - oldest.touched < oldest.forget_after:
                return
            del self._conversations[key]

    def of(self, community: str) -> Iterator[Conversation]:
        """Conversations of one community."""
        return (c for (owner, _), c in list(self._conversations.items()) if owner == community)

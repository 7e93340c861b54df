"""The heat model: what one message adds, how a member's heat decays, what makes an exchange.

A message's heat is the sum of its signals (each with a weight and a cap), multiplied down when
it addresses nobody or laughs. Shouting, bursts, pace and back-and-forth only count next to
insults, aggressive phrases or negative words: enthusiasm is not anger. A member's heat decays
with a half-life and drops at each calm message. An exchange is two or three members who are
each hot, each sent several negative messages, and addressed each other negatively: its heat
is the sum of theirs. Every number carries the signals it came from.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.events import User
from bot.i18n import Catalog
from plugins.escalation.settings import EscalationSettings, Weights
from plugins.escalation.signals import Reading

__all__ = [
    "NEGATIVE_AT",
    "Exchange",
    "MessageHeat",
    "Participant",
    "exchange_of",
    "warm_of",
    "weigh",
]

NEGATIVE_AT = 1.0
"""A message with at least this heat is a negative message (counted, and addresses members)."""
CAPS = {"insult": 2, "hostile": 3, "negative": 3, "vulgar": 2}
MAX_BURSTS = 3
MAX_TARGETS = 6
PER_TARGET = 4
MAX_NEGATIVES = 12
FORGET_BELOW = 0.05


@dataclass(frozen=True, slots=True)
class MessageHeat:
    """Heat one message adds: per signal (after factors), the factors, and the total."""

    parts: dict[str, float] = field(default_factory=dict)
    factors: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """The message's heat."""
        return sum(self.parts.values())

    def explain(self) -> str:
        """`hostile 2.0 + negative 1.0, unaimed ×0.5`."""
        if not self.parts:
            return "0"
        text = " + ".join(f"{name} {value:.1f}" for name, value in self.parts.items())
        return text + (f", {', '.join(self.factors)}" if self.factors else "")


def weigh(reading: Reading, weights: Weights, *, aimed: bool | Callable[[], bool], pace: bool,
          answers_heat: bool) -> MessageHeat:
    """The heat of a message from its reading and its place in the conversation (`aimed` may
    be a function: it is then asked only when the answer counts)."""
    raw: dict[str, float] = {}
    for category, cap in CAPS.items():
        count = min(len(reading.entries(category)), cap)
        weight = float(getattr(weights, category))
        if count and weight:
            raw[category] = weight * count
    if reading.hostile:
        if reading.shouting:
            raw["shouting"] = weights.shouting
        if reading.bursts:
            raw["bursts"] = weights.bursts * min(reading.bursts, MAX_BURSTS)
        if pace:
            raw["pace"] = weights.pace
        if answers_heat:
            raw["back-and-forth"] = weights.back_and_forth
    raw = {k: v for k, v in raw.items() if v > 0}
    if not raw:
        return MessageHeat()
    factor = 1.0
    factors: list[str] = []
    if not (reading.entries("insult") or reading.entries("hostile")) \
            and not (aimed() if callable(aimed) else aimed):
        factor *= weights.unaimed
        factors.append(f"unaimed ×{weights.unaimed:g}")
    if reading.laughing:
        factor *= weights.laughter
        factors.append(f"laughter ×{weights.laughter:g}")
    return MessageHeat({k: v * factor for k, v in raw.items()}, tuple(factors))


@dataclass(slots=True)
class Participant:
    """A member's heat in one channel, where it came from, and whom they addressed."""

    user: User
    at: datetime
    heat: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    messages: int = 0
    negatives: deque[datetime] = field(default_factory=lambda: deque(maxlen=MAX_NEGATIVES))
    targets: OrderedDict[str, deque[datetime]] = field(default_factory=OrderedDict)
    last_message: datetime | None = None

    def heat_at(self, now: datetime, half_life: timedelta) -> float:
        """Heat now, decayed since the last update (halved every `half_life`)."""
        heat = self.heat
        elapsed = (now - self.at).total_seconds()
        if elapsed <= 0 or heat <= 0:
            return heat
        factor: float = 0.5 ** (elapsed / max(half_life.total_seconds(), 1.0))
        return heat * factor

    def settle(self, now: datetime, half_life: timedelta) -> None:
        """Apply the decay up to now; a member who cooled down starts a fresh record."""
        self.heat = self.heat_at(now, half_life)
        self.at = now
        if self.heat < FORGET_BELOW:
            self.heat = 0.0
            self.parts.clear()
            self.messages = 0

    def add(self, heat: MessageHeat, now: datetime, targets: list[str]) -> None:
        """Count a message with heat; a negative one is remembered with whom it addressed."""
        self.heat += heat.total
        self.messages += 1
        for name, value in heat.parts.items():
            self.parts[name] = self.parts.get(name, 0.0) + value
        if heat.total < NEGATIVE_AT:
            return
        self.negatives.append(now)
        for target in targets:
            times = self.targets.get(target)
            if times is None:
                times = self.targets[target] = deque(maxlen=PER_TARGET)
                if len(self.targets) > MAX_TARGETS:
                    self.targets.popitem(last=False)
            else:
                self.targets.move_to_end(target)
            times.append(now)

    def negatives_in(self, now: datetime, window: timedelta) -> int:
        """Negative messages within the window."""
        return sum(1 for at in self.negatives if now - at <= window)

    def addressed(self, member_id: str, now: datetime, window: timedelta) -> bool:
        """Whether this member sent `member_id` a negative message within the window."""
        times = self.targets.get(member_id)
        return times is not None and bool(times) and now - times[-1] <= window

    def explain(self, now: datetime, half_life: timedelta, window: timedelta,
                catalog: Catalog, lang: str) -> str:
        """`alice 6.2 (insults 3.0 + aggressive phrases 4.0 = 7.0 over 3 message(s), 2
        negative)`, in `lang`."""
        received = " + ".join(
            catalog.render(f"escalation.signal.{name}", lang, {"value": f"{value:.1f}"})
            for name, value in sorted(self.parts.items(), key=lambda kv: -kv[1]))
        return catalog.render("escalation.evidence.member", lang, {
            "name": self.user.name, "heat": f"{self.heat_at(now, half_life):.1f}",
            "parts": received or "0", "total": f"{sum(self.parts.values()):.1f}",
            "messages": self.messages, "negatives": self.negatives_in(now, window)})


@dataclass(frozen=True, slots=True)
class Exchange:
    """The hottest exchange of a channel now: its members with their heat, or a lone member."""

    heat: float = 0.0
    members: tuple[tuple[Participant, float], ...] = ()
    solo: tuple[Participant, float] | None = None

    def names(self) -> list[str]:
        """Names of the members of the exchange (or the lone member)."""
        if self.members:
            return [p.user.name for p, _ in self.members]
        return [self.solo[0].user.name] if self.solo else []

    def explain(self, now: datetime, settings: EscalationSettings, catalog: Catalog,
                lang: str) -> str:
        """Scores and where they come from, member by member, in `lang`."""
        people = [p for p, _ in self.members] or ([self.solo[0]] if self.solo else [])
        details = "; ".join(p.explain(now, settings.half_life, settings.window, catalog, lang)
                            for p in people)
        if self.members:
            return catalog.render("escalation.evidence.exchange", lang, {
                "heat": f"{self.heat:.1f}", "details": details, "members": " + ".join(
                    f"{p.user.name} {h:.1f}" for p, h in self.members)})
        if self.solo:
            return catalog.render("escalation.evidence.solo", lang,
                                  {"heat": f"{self.solo[1]:.1f}", "details": details})
        return catalog.render("escalation.evidence.none", lang)


def warm_of(participants: Iterable[Participant], now: datetime, half_life: timedelta,
            floor: float) -> list[tuple[Participant, float]]:
    """(member, heat now) of the members at least `floor` hot now, in order; heat only decays,
    so a member whose recorded heat is below is skipped without a look at the clock (the decay
    is `Participant.heat_at`'s, inlined)."""
    seconds = max(half_life.total_seconds(), 1.0)
    found = []
    for member in participants:
        heat = member.heat
        if heat < floor:
            continue
        elapsed = (now - member.at).total_seconds()
        if elapsed > 0 and heat > 0:
            heat = heat * 0.5 ** (elapsed / seconds)
        if heat >= floor:
            found.append((member, heat))
    return found


def exchange_of(participants: list[Participant], now: datetime,
                settings: EscalationSettings,
                warm: list[tuple[Participant, float]] | None = None) -> Exchange:
    """The hottest exchange among participants, else the hottest member left alone.

    An exchange starts from a hot member (heat of at least `member_min` and at least
    `min_negative_messages` negative messages) and takes in up to two members, warm too, with
    whom they traded negative messages both ways; together they must have sent
    `exchange_negatives` negative messages. A hot member nobody answered in kind is alone.
    `warm` is `warm_of(participants, now, half_life, member_min)` when already known.
    """
    window = settings.window
    if warm is None:
        warm = warm_of(participants, now, settings.half_life, settings.member_min)
    if not warm:
        return Exchange()
    negatives = {p.user.id: p.negatives_in(now, window) for p, _ in warm}
    anchors = [(p, h) for p, h in warm if negatives[p.user.id] >= settings.min_negative_messages]
    best: tuple[tuple[Participant, float], ...] = ()
    for anchor, heat in anchors:
        partners = sorted(((q, g) for q, g in warm if q is not anchor
                           and anchor.addressed(q.user.id, now, window)
                           and q.addressed(anchor.user.id, now, window)),
                          key=lambda qg: -qg[1])[:2]
        members = ((anchor, heat), *partners)
        if not partners or sum(negatives[p.user.id] for p, _ in members) \
                < settings.exchange_negatives:
            continue
        if sum(h for _, h in members) > sum(h for _, h in best):
            best = members
    if best:
        members = tuple(sorted(best, key=lambda ph: -ph[1]))
        return Exchange(sum(h for _, h in members), members)
    alone = [(p, h) for p, h in anchors
             if not any(q.addressed(p.user.id, now, window) for q in participants)]
    return Exchange(solo=max(alone, key=lambda ph: ph[1])) if alone else Exchange()

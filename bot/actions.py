"""Neutral actions, the decisions that carry them, and `Verdict.union`, which merges decisions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, ClassVar

from bot.events import User
from bot.i18n import Text

__all__ = [
    "SANCTIONS",
    "Action",
    "Alert",
    "Ban",
    "Button",
    "Cancel",
    "ClosePoll",
    "Decision",
    "Delete",
    "Dm",
    "GuildEvent",
    "Kick",
    "Lock",
    "Pin",
    "Poll",
    "Publish",
    "Record",
    "Reply",
    "Schedule",
    "Send",
    "Slowmode",
    "Timeout",
    "Unban",
    "Unlock",
    "Untimeout",
    "Upload",
    "Verdict",
    "Warn",
]

_FOREVER = timedelta.max


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """Something the bot does; `merge_key` says which actions compete, `strength` which wins."""

    type: ClassVar[str] = "action"
    order: ClassVar[int] = 50

    def merge_key(self) -> tuple[str, ...]:
        """Actions with the same key are merged into the strongest one."""
        return (self.type, repr(self))

    def strength(self) -> tuple[Any, ...]:
        """Total order among actions with the same merge key."""
        return ()

    def describe(self) -> dict[str, Any]:
        """JSON-friendly form, `type` first."""
        out: dict[str, Any] = {"type": self.type}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if type(value) in _AS_IS:
                if value or name != "tag":
                    out[name] = value
                continue
            if isinstance(value, User):
                value = value.id
            elif isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, timedelta):
                value = int(value.total_seconds())
            elif hasattr(value, "key") and hasattr(value, "params"):
                value = value.key
            elif isinstance(value, tuple) and value and isinstance(value[0], Button):
                value = [b.custom_id for b in value]
            elif name in ("refs", "tag", "claims") and not value:
                continue
            elif hasattr(value, "texts"):
                value = dict(value.texts)
            out[name] = value
        return out


_AS_IS = frozenset({str, int, float, bool, type(None)})  # values `describe` keeps as they are
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(item.name for item in fields(kind))
    return names


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    """A clickable button under a message."""

    custom_id: str
    label: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class Delete(Action):
    """Remove a message."""

    type: ClassVar[str] = "delete"
    order: ClassVar[int] = 0
    channel: str
    message_id: str

    def merge_key(self) -> tuple[str, ...]:
        """One delete per message."""
        return ("delete", self.channel, self.message_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sanction(Action):
    """A sanction on a member; one per member survives a merge, the strongest."""

    order: ClassVar[int] = 10
    severity: ClassVar[int] = 0
    target: User
    reason: str = ""
    refs: tuple[int, ...] = ()
    claims: tuple[str, ...] = ()
    """Keys this sanction's case takes for good: a second case claiming one is not opened."""

    def merge_key(self) -> tuple[str, ...]:
        """Sanctions on the same member compete."""
        return ("sanction", self.target.id)

    def strength(self) -> tuple[Any, ...]:
        """Severity first, then duration (permanent is longest)."""
        return (self.severity, self.span())

    def span(self) -> timedelta:
        """How long the sanction lasts; permanent is the longest span."""
        return timedelta()


@dataclass(frozen=True, slots=True, kw_only=True)
class Warn(Sanction):
    """A formal warning (a case, no platform restriction)."""

    type: ClassVar[str] = "warn"
    severity: ClassVar[int] = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Record(Action):
    """Record as a case a sanction the platform already applied (its own automod, or a CM in
    the platform's interface): nothing is done on the platform; the case is announced.

    `author` is who acted (a CM, or `rule:<platform automod rule>`); `source` names the cause
    once for good (an event delivered twice records one case), `claims` as for sanctions.
    """

    type: ClassVar[str] = "record"
    order: ClassVar[int] = 11
    action: str
    target: User
    author: User
    reason: str = ""
    duration: timedelta | None = None
    evidence: str = ""
    source: str = ""
    claims: tuple[str, ...] = ()

    def merge_key(self) -> tuple[str, ...]:
        """One case per cause."""
        return ("record", self.source or repr(self))


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeout(Sanction):
    """Keep a member from talking for a while."""

    type: ClassVar[str] = "timeout"
    severity: ClassVar[int] = 2
    duration: timedelta

    def span(self) -> timedelta:
        """The timeout's length."""
        return self.duration


@dataclass(frozen=True, slots=True, kw_only=True)
class Kick(Sanction):
    """Remove a member, who may come back."""

    type: ClassVar[str] = "kick"
    severity: ClassVar[int] = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Ban(Sanction):
    """Remove a member and keep them out, for a while or for good (`duration=None`)."""

    type: ClassVar[str] = "ban"
    severity: ClassVar[int] = 4
    duration: timedelta | None = None
    delete_message_seconds: int = 0

    def span(self) -> timedelta:
        """The ban's length; a permanent ban is the longest."""
        return self.duration if self.duration is not None else _FOREVER


SANCTIONS: tuple[type[Sanction], ...] = (Warn, Timeout, Kick, Ban)


@dataclass(frozen=True, slots=True, kw_only=True)
class Untimeout(Action):
    """Lift a timeout."""

    type: ClassVar[str] = "untimeout"
    order: ClassVar[int] = 20
    target: User
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unban(Action):
    """Lift a ban."""

    type: ClassVar[str] = "unban"
    order: ClassVar[int] = 20
    target: User
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Slowmode(Action):
    """Limit how often members may post in a channel (`interval` 0 turns it off)."""

    type: ClassVar[str] = "slowmode"
    order: ClassVar[int] = 30
    channel: str
    interval: timedelta
    duration: timedelta | None = None

    def merge_key(self) -> tuple[str, ...]:
        """One slowmode per channel."""
        return ("slowmode", self.channel)

    def strength(self) -> tuple[Any, ...]:
        """The slower and the longer wins."""
        return (self.interval, self.duration or _FOREVER)


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock(Action):
    """Stop members from posting in a channel, for a while or until unlocked."""

    type: ClassVar[str] = "lock"
    order: ClassVar[int] = 30
    channel: str
    duration: timedelta | None = None

    def merge_key(self) -> tuple[str, ...]:
        """One lock per channel."""
        return ("lock", self.channel)

    def strength(self) -> tuple[Any, ...]:
        """The longer wins; until-unlocked is longest."""
        return (self.duration or _FOREVER,)


@dataclass(frozen=True, slots=True, kw_only=True)
class Unlock(Action):
    """Let members post again in a channel."""

    type: ClassVar[str] = "unlock"
    order: ClassVar[int] = 30
    channel: str

    def merge_key(self) -> tuple[str, ...]:
        """One unlock per channel."""
        return ("unlock", self.channel)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply(Action):
    """Answer a message in its channel."""

    type: ClassVar[str] = "reply"
    order: ClassVar[int] = 40
    channel: str
    message_id: str | None
    text: Text
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Send(Action):
    """Post a message in a channel; a `tag` makes the dispatcher announce it as MessagePosted."""

    type: ClassVar[str] = "send"
    order: ClassVar[int] = 40
    channel: str
    text: Text
    buttons: tuple[Button, ...] = ()
    tag: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Publish(Action):
    """Post a prepared announcement: `parts` already written for the channel's platform
    (`markup` plain, markdown or html) and cut to its length limit, an optional image (URL or
    file path), link previews on or off, pinned (and `unpin` the series' previous pin) on
    request. A `receipt` makes the executor record how it went (bot/publish.py) before the job
    that asked for it is closed."""

    type: ClassVar[str] = "publish"
    order: ClassVar[int] = 41
    channel: str
    parts: tuple[str, ...]
    markup: str = "plain"
    image: str = ""
    preview: bool = True
    pin: bool = False
    unpin: str = ""
    receipt: str = ""
    community: str = ""
    """When given, the channel must be one of this community's (checked by its adapter)."""

    def merge_key(self) -> tuple[str, ...]:
        """One post per receipt (or per channel and text)."""
        return ("publish", self.receipt or f"{self.channel}:{self.parts!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload(Action):
    """Post a file (a chart image) in a channel, with a caption, as a reply when `reply_to`."""

    type: ClassVar[str] = "upload"
    order: ClassVar[int] = 41
    channel: str
    filename: str
    data: bytes = field(repr=False)
    caption: Text | None = None
    reply_to: str | None = None

    def merge_key(self) -> tuple[str, ...]:
        """One file of a name per channel."""
        return ("upload", self.channel, self.filename)

    def describe(self) -> dict[str, Any]:
        """JSON-friendly form: the file's name and size, not its bytes."""
        out: dict[str, Any] = {"type": self.type, "channel": self.channel,
                               "filename": self.filename, "size": len(self.data)}
        if self.reply_to:
            out["reply_to"] = self.reply_to
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Poll(Action):
    """Post a native poll (Discord poll, Telegram sendPoll); a `tag` announces its message id."""

    type: ClassVar[str] = "poll"
    order: ClassVar[int] = 42
    channel: str
    question: str
    options: tuple[str, ...]
    duration: timedelta
    tag: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosePoll(Action):
    """End a poll the bot posted; its final counts come back as a `PollClosed` event."""

    type: ClassVar[str] = "close_poll"
    order: ClassVar[int] = 42
    channel: str
    message_id: str
    tag: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Pin(Action):
    """Pin (or, with `pinned=False`, unpin) a message in its channel."""

    type: ClassVar[str] = "pin"
    order: ClassVar[int] = 43
    channel: str
    message_id: str
    pinned: bool = True

    def merge_key(self) -> tuple[str, ...]:
        """One pin state per message."""
        return ("pin", self.channel, self.message_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class GuildEvent(Action):
    """Create, update (`event_id` given) or cancel (`cancel`) a platform's native scheduled
    event (Discord's); a `tag` announces the created event's id as a `MessagePosted`."""

    type: ClassVar[str] = "guild_event"
    order: ClassVar[int] = 44
    community: str
    name: str = ""
    description: str = ""
    start: datetime | None = None
    end: datetime | None = None
    location: str = ""
    event_id: str = ""
    cancel: bool = False
    tag: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dm(Action):
    """Write to a member privately."""

    type: ClassVar[str] = "dm"
    order: ClassVar[int] = 45
    target: User
    text: Text
    buttons: tuple[Button, ...] = ()

    def describe(self) -> dict[str, Any]:
        """JSON-friendly form; buttons only when there are some."""
        out = Action.describe(self)
        if not self.buttons:
            out.pop("buttons", None)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert(Action):
    """Tell the community's CMs, in their alerts channel."""

    type: ClassVar[str] = "alert"
    order: ClassVar[int] = 45
    text: Text
    evidence: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule(Action):
    """Arm a durable job (`JobDue` of `kind` at `at`); a pending job with the same key is replaced.

    Jobs with the same key compete in a merge: the later one wins, and a `Cancel` of that key
    (the effect never ends) beats any time. Keyless jobs never compete.
    """

    type: ClassVar[str] = "schedule"
    order: ClassVar[int] = 60
    kind: str
    community: str
    at: datetime
    key: str = ""
    payload: str = "{}"

    @classmethod
    def of(cls, kind: str, community: str, at: datetime, key: str = "",
           payload: Mapping[str, Any] | None = None) -> Schedule:
        """A job with a JSON payload (stored canonically, so equal jobs compare equal)."""
        return cls(kind=kind, community=community, at=at, key=key,
                   payload=json.dumps(dict(payload or {}), sort_keys=True))

    @property
    def data(self) -> dict[str, Any]:
        """The payload as a dict."""
        data: dict[str, Any] = json.loads(self.payload)
        return data

    def merge_key(self) -> tuple[str, ...]:
        """One job per key."""
        return ("job", self.key) if self.key else ("schedule", repr(self))

    def strength(self) -> tuple[Any, ...]:
        """Later wins; a cancel of the same key is stronger still."""
        return (0, self.at)

    def describe(self) -> dict[str, Any]:
        """JSON-friendly form, with the payload as an object."""
        out = {"type": self.type, "kind": self.kind, "community": self.community,
               "at": self.at.isoformat(), "payload": self.data}
        if self.key:
            out["key"] = self.key
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Cancel(Action):
    """Cancel the pending durable job with this key (nothing happens if there is none)."""

    type: ClassVar[str] = "cancel"
    order: ClassVar[int] = 60
    key: str

    def merge_key(self) -> tuple[str, ...]:
        """Competes with jobs of the same key."""
        return ("job", self.key)

    def strength(self) -> tuple[Any, ...]:
        """Stronger than any `Schedule` of the same key."""
        return (1,)


def _rank(action: Action) -> tuple[Any, ...]:
    return (action.strength(), repr(action))


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """What one rule (or command) of one plugin decided about one event, and why."""

    plugin: str = ""
    rule: str
    actions: tuple[Action, ...] = ()
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Decisions merged: one action per merge key (the strongest), in execution order."""

    actions: tuple[Action, ...] = ()
    decisions: frozenset[Decision] = frozenset()

    @classmethod
    def of(cls, decisions: Iterable[Decision]) -> Verdict:
        """Merge any number of decisions into one verdict."""
        decisions = frozenset(decisions)
        return cls(_merge(a for d in decisions for a in d.actions), decisions)

    def union(self, other: Verdict) -> Verdict:
        """Merge two verdicts: idempotent, commutative and associative."""
        return Verdict(_merge((*self.actions, *other.actions)), self.decisions | other.decisions)

    def __bool__(self) -> bool:
        return bool(self.actions)

    def removes(self, channel: str, message_id: str) -> bool:
        """Whether this verdict deletes the given message."""
        return bool(self.actions) and any(
            isinstance(a, Delete) and a.channel == channel and a.message_id == message_id
            for a in self.actions
        )


def _merge(actions: Iterable[Action]) -> tuple[Action, ...]:
    best: dict[tuple[str, ...], Action] = {}
    for action in actions:
        key = action.merge_key()
        current = best.get(key)
        if current is None or (current != action and _rank(action) > _rank(current)):
            best[key] = action
    # One action per merge key: (order, key) is a total order.
    return tuple(action for _, _, action in sorted(
        ((action.order, key, action) for key, action in best.items()),
        key=lambda item: (item[0], item[1])))

"""Moments as CMs type them, in French and English: `demain 18h`, `lundi 9:30`, `in 2h`, ISO.

`parse_when(words, now, tz)` reads the leading words of a command that name a moment and says how
many it used, so `!post schedule demain 18h #news Hello` splits the time from the rest.

Rules (documented in the README, tested in tests/test_when.py):
- a day without a time (`demain`, `lundi`, `10/12`) is an error: a post needs an hour;
- a bare time (`18h`) is today if still ahead, else an error that suggests `demain 18h`;
- a weekday (`lundi`, `monday`) is its next occurrence still ahead (today if the time is later
  today); `lundi prochain` / `next monday` skip today's weekday even if the time is ahead;
- `10/12` (day/month) is the next 10 December still ahead; an explicit moment in the past is an
  error; `ce soir 8h` / `tonight 8` is 20:00;
- `dans 2h` / `in 90 min` add elapsed time; `dans 3 jours` / `in 2 weeks` keep the wall-clock time
  (so across a DST change 18:00 stays 18:00);
- a local time that does not exist (the hour skipped in spring) is an error; one that happens
  twice (autumn) is the first of the two.
Anything that looks like a time or date and is not a valid one (`25h`, `31/02`) is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator

from bot.durations import DurationError, parse_duration
from bot.i18n import Msg

__all__ = [
    "DEFAULT_TZ",
    "When",
    "WhenError",
    "ZoneName",
    "localize",
    "looks_like_when",
    "parse_when",
    "zone",
]

DEFAULT_TZ = "Europe/Paris"
HORIZON = timedelta(days=3650)
EXAMPLES = "demain 18h, lundi 9:30, 2026-12-10 18:00, 10/12 18h, in 2h, tomorrow 6pm"


class WhenError(ValueError):
    """Text that is not a moment; `msg` is a catalog message (fr and en) that says why."""

    def __init__(self, message: str, key: str = "when.invalid", **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.msg = Msg.of(key, examples=EXAMPLES, **params)


@dataclass(frozen=True, slots=True)
class When:
    """A parsed moment: aware UTC, the same in the given zone, and the words it used."""

    at: datetime
    local: datetime
    consumed: int


_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}
_DAY_WORDS = {"aujourd'hui": 0, "aujourdhui": 0, "today": 0, "demain": 1, "tomorrow": 1,
              "apres-demain": 2}
_EVENING = {"tonight", "soir"}
_NEXT = {"prochain", "prochaine", "next"}
_CONNECTORS = {"a", "at", "vers", "le", "on"}
_IN = {"dans", "in"}
_NAMED_TIMES = {"midi": time(12), "noon": time(12), "minuit": time(0), "midnight": time(0)}
_UNIT_WORDS = {
    "s": "s", "sec": "s", "seconde": "s", "secondes": "s", "second": "s", "seconds": "s",
    "m": "m", "mn": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "heure": "h", "heures": "h", "hour": "h", "hours": "h",
    "j": "d", "d": "d", "jour": "d", "jours": "d", "day": "d", "days": "d",
    "sem": "w", "semaine": "w", "semaines": "w", "week": "w", "weeks": "w",
}

_TIME_H = re.compile(r"(\d{1,2})h(\d{1,2})?")             # 18h, 18h30, 9h5 (invalid minutes)
_TIME_COLON = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{2}))?")  # 18:30, 9:30, 18:30:00
_TIME_AMPM = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)")  # 6pm, 6:30pm
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?")   # 10/12, 10/12/2026
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_FULL = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?")
_TIMEISH = re.compile(r"\d{1,2}(h\d*|:\d*(:\d*)?|(:\d+)?(am|pm))")
_DATEISH = re.compile(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?([t ].*)?")


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (an IANA name such as Europe/Paris), or a WhenError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise WhenError(f"unknown time zone {name!r} (use e.g. Europe/Paris)",
                        "when.bad_zone", zone=name) from error


def zone_name(value: str) -> str:
    """`value` when it names a time zone, else a ValueError (for the rule file's models)."""
    try:
        zone(value)
    except WhenError as error:
        raise ValueError(str(error)) from None
    return value


ZoneName = Annotated[str, AfterValidator(zone_name)]


def localize(moment: datetime, tz: ZoneInfo, *, strict: bool = True) -> datetime:
    """Attach `tz` to a naive wall-clock `moment`, the first of two in autumn.

    A moment skipped in spring is an error when `strict`, else moved forward by the gap (what a
    recurring post does: 02:30 on that night becomes 03:30).
    """
    local = moment.replace(tzinfo=tz, fold=0)
    back = local.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        if strict:
            shown = moment.strftime("%Y-%m-%d %H:%M")
            raise WhenError(f"{shown} does not exist in {tz.key} (the clocks skip that hour)",
                            "when.skipped", moment=shown, zone=tz.key)
        return back
    return local


def _fold(word: str) -> str:
    """Lower case, no accents, straight apostrophes, no trailing comma."""
    word = word.strip().lower().replace("’", "'").rstrip(",;")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def looks_like_when(word: str) -> bool:
    """Whether a word is an attempt at a time or a date (`18h`, `25h`, `9:30`, `31/02`, ISO)."""
    folded = _fold(word)
    return bool(_TIMEISH.fullmatch(folded) or _DATEISH.fullmatch(folded)
                or _ISO_FULL.fullmatch(folded))


def _bad_time(word: str) -> WhenError:
    return WhenError(f"{word!r} is not a valid time of day (e.g. 18h, 18h30, 9:30, 6pm)",
                     "when.bad_time", value=word)


def _bad_date(word: str) -> WhenError:
    return WhenError(f"{word!r} is not a valid date (e.g. 10/12, 10/12/2026, 2026-12-10)",
                     "when.bad_date", value=word)


def _clock_time(hour: int, minute: int, second: int, word: str) -> time:
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise _bad_time(word)
    return time(hour, minute, second)


def _time_of(word: str) -> time | None:
    """The time of day a word names; None when it is not an attempt; WhenError when invalid."""
    folded = _fold(word)
    if folded in _NAMED_TIMES:
        return _NAMED_TIMES[folded]
    if match := _TIME_H.fullmatch(folded):
        minutes = match.group(2)
        if minutes is not None and len(minutes) != 2:
            raise _bad_time(word)
        return _clock_time(int(match.group(1)), int(minutes or 0), 0, word)
    if match := _TIME_COLON.fullmatch(folded):
        if len(match.group(2)) != 2:
            raise _bad_time(word)
        return _clock_time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0),
                           word)
    if match := _TIME_AMPM.fullmatch(folded):
        hour = int(match.group(1))
        if not 1 <= hour <= 12:
            raise _bad_time(word)
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        return _clock_time(hour, int(match.group(2) or 0), 0, word)
    if _TIMEISH.fullmatch(folded):
        raise _bad_time(word)
    return None


def _date_of(word: str, today: date) -> tuple[date, bool] | None:
    """The date a word names and whether its year was given; None when it is not an attempt."""
    folded = _fold(word)
    try:
        if match := _ISO_DATE.fullmatch(folded):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), True
        if match := _DMY.fullmatch(folded):
            year_text = match.group(3)
            if year_text is None:
                day, month = int(match.group(1)), int(match.group(2))
                return _next_day_month(day, month, today, word), False
            year = int(year_text)
            if len(year_text) == 2:
                year += 2000
            elif len(year_text) != 4:
                raise _bad_date(word)
            return date(year, int(match.group(2)), int(match.group(1))), True
    except ValueError as error:
        if isinstance(error, WhenError):
            raise
        raise _bad_date(word) from error
    if _DATEISH.fullmatch(folded):
        raise _bad_date(word)
    return None


def _next_day_month(day: int, month: int, today: date, word: str) -> date:
    """`day`/`month` this year, or next year when already past (29/02 looks up to 4 years)."""
    for year in range(today.year, today.year + 5):
        try:
            candidate = date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue
            raise _bad_date(word) from None
        if candidate >= today:
            return candidate
    raise _bad_date(word)


class _Reader:
    """Walks the folded words; one instance per call (nothing is shared between calls)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.raw = list(words)
        self.words = [_fold(w) for w in words]
        self.pos = 0

    def peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.words[index] if index < len(self.words) else ""

    def raw_at(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.raw[index] if index < len(self.raw) else ""

    def take(self, count: int = 1) -> None:
        self.pos += count

    def skip_connector(self) -> None:
        if self.peek() in _CONNECTORS and self.peek(1):
            try:
                if _time_of(self.raw_at(1)) is not None or self.peek(1) in _NAMED_TIMES:
                    self.take()
            except WhenError:
                self.take()

    def time(self, *, required: bool, evening: bool = False) -> time | None:
        """Read a time of day (`18h`, `6 pm`, `à 18h30`); a missing one is an error if required."""
        self.skip_connector()
        word = self.raw_at()
        found = _time_of(word) if word else None
        if found is None and word and self.peek().isdigit() and self.peek(1) in {"am", "pm"}:
            found = _time_of(self.peek() + self.peek(1))
            if found is not None:
                self.take()
        if found is None and evening and self.peek().isdigit():
            found = _clock_time(int(self.peek()), 0, 0, word)
        if found is None:
            if required:
                raise WhenError("a time of day is missing (e.g. demain 18h, monday 9:30)",
                                "when.no_time")
            return None
        self.take()
        if evening and found.hour < 12 and found.hour != 0:
            found = found.replace(hour=found.hour + 12)
        return found


def _relative(reader: _Reader, now: datetime, tz: ZoneInfo) -> datetime:
    """`dans 2h`, `in 3 days`, `in 1h30`, `dans 2 heures 30`: after the `dans`/`in` word."""
    first = reader.peek()
    if not first:
        raise WhenError("a duration is missing after 'in'/'dans' (e.g. in 2h, dans 3 jours)",
                        "when.no_duration")
    if first.isdigit() and reader.peek(1) in _UNIT_WORDS:
        amount, unit = int(first), _UNIT_WORDS[reader.peek(1)]
        reader.take(2)
        if amount <= 0:
            raise WhenError("the delay must be positive", "when.bad_duration",
                            value=f"{first} {reader.words[reader.pos - 1]}")
        if unit in {"d", "w"}:
            days = amount * (7 if unit == "w" else 1)
            if days > HORIZON.days:
                raise WhenError("too far ahead", "when.too_far")
            local = now.astimezone(tz)
            wall = local.replace(tzinfo=None) + timedelta(days=days)
            return localize(wall, tz, strict=False)
        return now + parse_duration(f"{amount}{unit}")
    try:
        delta = parse_duration(reader.raw_at())
    except DurationError as error:
        raise WhenError(f"{reader.raw_at()!r} is not a delay (e.g. in 2h, dans 3 jours)",
                        "when.bad_duration", value=reader.raw_at()) from error
    reader.take()
    return now + delta


def _on_day(day: date, at: time, tz: ZoneInfo) -> datetime:
    return localize(datetime.combine(day, at), tz)


def _parse(reader: _Reader, now: datetime, tz: ZoneInfo) -> tuple[datetime, bool]:
    """The moment at the reader's start and whether the words named an exact day/time."""
    local_now = now.astimezone(tz)
    today = local_now.date()
    word, raw = reader.peek(), reader.raw_at()
    if not word:
        raise WhenError("a moment is missing", "when.missing")
    if _ISO_FULL.fullmatch(word):
        try:
            text = word.replace("z", "+00:00")
            moment = datetime.fromisoformat(text[:10] + "T" + text[11:])
        except ValueError as error:
            raise _bad_date(raw) from error
        reader.take()
        if moment.tzinfo is None:
            return localize(moment, tz), True
        return moment, True
    if word in _IN:
        reader.take()
        return _relative(reader, now, tz), False
    if (word == "ce" and reader.peek(1) == "soir") or word in _EVENING:
        reader.take(2 if word == "ce" else 1)
        at = reader.time(required=True, evening=True)
        assert at is not None
        return _on_day(today, at, tz), True
    if word in _DAY_WORDS:
        reader.take()
        if reader.peek() in {"soir"}:
            reader.take()
            at = reader.time(required=True, evening=True)
        else:
            at = reader.time(required=True)
        assert at is not None
        return _on_day(today + timedelta(days=_DAY_WORDS[word]), at, tz), True
    if word in _NEXT and reader.peek(1) in _WEEKDAYS:
        reader.take()
        return _weekday(reader, local_now, tz, skip_today=True), True
    if word in _WEEKDAYS:
        return _weekday(reader, local_now, tz, skip_today=False), True
    found = _date_of(raw, today)
    if found is not None:
        day, _ = found
        reader.take()
        at = reader.time(required=True)
        assert at is not None
        return _on_day(day, at, tz), True
    at = reader.time(required=False)
    if at is not None:
        moment = _on_day(today, at, tz)
        if moment <= now:
            shown = at.strftime("%H:%M")
            raise WhenError(f"{shown} has already passed today: write e.g. 'demain {raw}'",
                            "when.passed_today", value=raw)
        return moment, True
    raise WhenError(f"{raw!r} is not a moment (e.g. {EXAMPLES})", "when.invalid", value=raw)


def _weekday(reader: _Reader, local_now: datetime, tz: ZoneInfo, *, skip_today: bool) -> datetime:
    """`lundi 9h`, `lundi prochain 9h`, `next monday 9am`, `monday at 9:30`."""
    target = _WEEKDAYS[reader.peek()]
    reader.take()
    if reader.peek() in _NEXT:
        reader.take()
        skip_today = True
    at = reader.time(required=True)
    assert at is not None
    ahead = (target - local_now.weekday()) % 7
    day = local_now.date() + timedelta(days=ahead)
    moment = _on_day(day, at, tz)
    if ahead == 0 and (skip_today or moment <= local_now):
        moment = _on_day(day + timedelta(days=7), at, tz)
    return moment


def parse_when(words: str | Sequence[str], now: datetime,
               tz: str | ZoneInfo = DEFAULT_TZ) -> When:
    """The moment named by the leading `words` (a text or a list of words), after `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    zone_info = zone(tz) if isinstance(tz, str) else tz
    reader = _Reader(words.split() if isinstance(words, str) else words)
    moment, _ = _parse(reader, now, zone_info)
    leftover = reader.raw_at()
    if leftover and (looks_like_when(leftover) and _fold(leftover) not in _UNIT_WORDS):
        raise WhenError(f"{leftover!r} after the moment is not understood", "when.trailing",
                        value=leftover)
    at = moment.astimezone(UTC)
    if at <= now:
        shown = moment.astimezone(zone_info).strftime("%Y-%m-%d %H:%M")
        raise WhenError(f"{shown} is in the past", "when.past", moment=shown)
    if at - now > HORIZON:
        raise WhenError("too far ahead (at most ten years)", "when.too_far")
    return When(at=at, local=at.astimezone(zone_info), consumed=reader.pos)

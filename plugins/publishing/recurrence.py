"""When a post comes back: daily, weekly on some days, monthly, or a cron-like rule, in a time
zone, so 09:30 stays 09:30 across daylight-saving changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from bot.settings import StrictModel
from bot.when import localize

__all__ = ["DAY_NAMES", "Cron", "Repeat", "next_after", "parse_days"]

DAY_NAMES = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
    "samedi": 5, "dimanche": 6,
}
SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 366 * 5  # a rule that matches no day within five years never matches


def parse_days(value: Any) -> tuple[int, ...]:
    """`[mon, thu]`, `"lun,jeu"` -> (0, 3); an unknown name is an error."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    days = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 6:
            days.append(item)
            continue
        key = str(item).strip().lower().rstrip(".")
        if key not in DAY_NAMES:
            raise ValueError(f"unknown day {item!r} (mon … sun, lun … dim)")
        days.append(DAY_NAMES[key])
    return tuple(sorted(set(days)))


_CRON_FIELD = re.compile(r"\*|\*/\d{1,2}|\d{1,2}(-\d{1,2})?(/\d{1,2})?")
_CRON_BOUNDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
                ("day of week", 0, 7))


class Cron:
    """A five-field cron rule (minute hour day-of-month month day-of-week; 0 or 7 is Sunday)."""

    def __init__(self, text: str) -> None:
        fields = text.split()
        if len(fields) != 5:
            raise ValueError(f"cron {text!r}: five fields expected (minute hour day month "
                             "weekday), e.g. '30 9 * * 1'")
        self.text = text
        self.sets = [self._field(f, *b) for f, b in zip(fields, _CRON_BOUNDS, strict=True)]
        self.any_day = fields[2] == "*"
        self.any_weekday = fields[4] == "*"
        self.sets[4] = {0 if d == 7 else d for d in self.sets[4]}

    @staticmethod
    def _field(text: str, name: str, low: int, high: int) -> set[int]:
        values: set[int] = set()
        for part in text.split(","):
            if not _CRON_FIELD.fullmatch(part):
                raise ValueError(f"cron {name} {part!r}: use *, a number, a range a-b, "
                                 "or a step */n")
            step = 1
            if "/" in part:
                part, step_text = part.split("/")
                step = int(step_text)
                if step < 1:
                    raise ValueError(f"cron {name}: a step must be at least 1")
            if part == "*":
                start, end = low, high
            elif "-" in part:
                start, end = (int(x) for x in part.split("-"))
            else:
                start = end = int(part)
            if not (low <= start <= end <= high):
                raise ValueError(f"cron {name} {part!r}: between {low} and {high}")
            values.update(range(start, end + 1, step))
        return values

    def day_matches(self, day: date) -> bool:
        """Whether the rule fires on `day` (cron's rule: day-of-month OR weekday when both set)."""
        if day.month not in self.sets[3]:
            return False
        weekday = (day.weekday() + 1) % 7  # cron: 0 is Sunday
        by_day, by_week = day.day in self.sets[2], weekday in self.sets[4]
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return by_week
        if self.any_weekday:
            return by_day
        return by_day or by_week

    def times(self) -> list[time]:
        """Times of day it fires, in order."""
        return [time(h, m) for h in sorted(self.sets[1]) for m in sorted(self.sets[0])]


class Repeat(StrictModel):
    """`every: day|week|month` (with `interval`, weekly `days`, monthly `day`) or `cron`."""

    every: Literal["day", "week", "month"] | None = Field(None, description="day, week or month")
    interval: int = Field(1, ge=1, le=52, description="Every n days/weeks/months.")
    days: tuple[int, ...] = Field((), description="Weekly: days (mon … sun or lun … dim); "
                                  "default: the first post's day.")
    day: int | None = Field(None, ge=1, le=31, description="Monthly: day of the month (a month "
                            "without it uses its last day); default: the first post's day.")
    cron: str | None = Field(None, description="A cron rule instead: '30 9 * * 1' (minute hour "
                             "day month weekday), in the post's time zone.")

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        return parse_days(value) if value is not None else ()

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            Cron(value)
        return value

    @model_validator(mode="after")
    def _one(self) -> Repeat:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give either every (day, week, month) or cron")
        if self.days and self.every != "week":
            raise ValueError("days is for every: week")
        if self.day is not None and self.every != "month":
            raise ValueError("day is for every: month")
        return self

    def describe(self) -> str:
        """Short English-free form for lists: `week×1 mon,thu`, `cron 30 9 * * 1`."""
        if self.cron is not None:
            return f"cron {self.cron}"
        extra = ""
        if self.days:
            extra = " " + ",".join(SHORT[d] for d in self.days)
        elif self.day is not None:
            extra = f" {self.day}"
        return f"{self.every}/{self.interval}{extra}"


def _month_day(year: int, month: int, wanted: int) -> date:
    """`wanted` day of the month, or its last day."""
    for day in range(wanted, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(wanted, 28))


def _candidates(first: datetime, repeat: Repeat | None) -> Iterator[datetime]:
    """Naive local times of the series, in order, from the first one."""
    yield first
    if repeat is None:
        return
    start, clock = first.date(), first.time()
    if repeat.cron is not None:
        cron = Cron(repeat.cron)
        times = cron.times()
        for offset in range(SEARCH_DAYS):
            day = start + timedelta(days=offset)
            if cron.day_matches(day):
                for at in times:
                    moment = datetime.combine(day, at)
                    if moment > first:
                        yield moment
        return
    if repeat.every == "day":
        for n in range(1, SEARCH_DAYS):
            yield datetime.combine(start + timedelta(days=n * repeat.interval), clock)
    elif repeat.every == "week":
        days = repeat.days or (start.weekday(),)
        monday = start - timedelta(days=start.weekday())
        for week in range(0, SEARCH_DAYS // 7):
            base = monday + timedelta(weeks=week * repeat.interval)
            for weekday in days:
                moment = datetime.combine(base + timedelta(days=weekday), clock)
                if moment > first:
                    yield moment
    else:
        wanted = repeat.day or start.day
        for n in range(0, 12 * 5 + 1, repeat.interval):
            month_index = start.month - 1 + n
            day = _month_day(start.year + month_index // 12, month_index % 12 + 1, wanted)
            moment = datetime.combine(day, clock)
            if moment > first:
                yield moment


def next_after(first: datetime, tz: ZoneInfo, repeat: Repeat | None, until: date | None,
               after: datetime) -> datetime | None:
    """The first time of the series strictly after `after` (aware), as aware UTC; None when the
    series is over. `first` is naive local time; a time the clocks skip moves forward."""
    for local in _candidates(first, repeat):
        if until is not None and local.date() > until:
            return None
        moment = localize(local, tz, strict=False).astimezone(UTC)
        if moment > after:
            return moment
    return None

"""What contests say, rendered in one language: announcements, results, details, lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.durations import format_duration
from bot.events import platform_of
from bot.i18n import Catalog, Localized, Msg
from plugins.contests.model import CANCELLED, ENDED, Contest, Draw, Entry, Requirements

__all__ = ["Writer", "approx", "left", "when"]

MINUTE = timedelta(minutes=1)


def when(moment: datetime) -> str:
    """A moment as people read it: `2026-11-21 12:00 UTC`."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def left(delta: timedelta) -> str:
    """Time left, rounded up to the minute (`2h`, `1h30m`)."""
    if delta <= timedelta():
        return "0m"
    minutes = -(-int(delta.total_seconds()) // 60)
    return format_duration(timedelta(minutes=minutes))


def approx(delta: timedelta) -> str:
    """A duration to its two largest units, rounded down (`3d4h`, `2h15m`, `5m`, `<1m`)."""
    seconds = max(0, int(delta.total_seconds()))
    for unit, below in ((86400, 3600), (3600, 60), (60, 60)):
        if seconds >= unit:
            return format_duration(timedelta(seconds=seconds - seconds % below))
    return "<1m"


@dataclass(frozen=True, slots=True)
class Writer:
    """Renders contest texts in one language, for one community's prefix."""

    catalog: Catalog
    lang: str
    prefix: str = "!"

    def t(self, key: str, **params: Any) -> str:
        """A catalog message in this language."""
        return self.catalog.render(key, self.lang, params)

    def localized(self, text: str) -> Localized:
        """Rendered text that stays in this language whoever's context executes it."""
        return Localized.of({self.lang: text})

    def msg(self, text: Msg) -> str:
        """Render a Msg."""
        return self.catalog.text(text, self.lang)

    # -- pieces ----------------------------------------------------------------------------

    def enter_command(self, contest: Contest) -> str:
        """`!enter 3`."""
        return f"{self.prefix}enter {contest.id}"

    def how(self, contest: Contest) -> str:
        """How to enter, for this contest's mode."""
        command = self.enter_command(contest)
        if contest.mode == "reaction":
            return self.t("contests.how.reaction", emoji=contest.emoji, command=command)
        if contest.mode == "keyword":
            return self.t("contests.how.keyword", keyword=contest.keyword or "", command=command)
        if contest.mode == "command":
            return self.t("contests.how.command", command=command)
        return self.t("contests.how.button", command=command)

    def requirement_list(self, req: Requirements) -> list[str]:
        """One phrase per requirement."""
        items = []
        if req.account_age:
            items.append(self.t("contests.need.account_age", need=format_duration(req.account_age)))
        if req.member_for:
            items.append(self.t("contests.need.member_for", need=format_duration(req.member_for)))
        if req.messages:
            items.append(self.t("contests.need.messages", need=req.messages))
        if req.role:
            items.append(self.t("contests.need.role", role=req.role))
        return items

    def requirements(self, req: Requirements) -> str:
        """`Requirements: a; b.` or `Open to every member.`."""
        items = self.requirement_list(req)
        if not items:
            return self.t("contests.need.none")
        return self.t("contests.need.list", items="; ".join(items))

    def names(self, winners: Sequence[str], entries: Mapping[str, Entry],
              several_platforms: bool) -> str:
        """Winners by name, with their platform when the contest spans several."""
        shown = []
        for member_id in winners:
            entry = entries.get(member_id)
            name = entry.member_name if entry else member_id
            shown.append(f"{name} ({platform_of(member_id)})" if several_platforms else name)
        return ", ".join(shown)

    # -- announcements ---------------------------------------------------------------------

    def start(self, contest: Contest, now: datetime) -> str:
        """The public announcement of a new contest."""
        return self.t("contests.announce.start", id=contest.id, prize=contest.prize,
                      winners=contest.winners, ends=when(contest.ends_at),
                      left=left(contest.ends_at - now), how=self.how(contest),
                      requirements=self.requirements(contest.requirements),
                      commitment=contest.commitment)

    def result(self, contest: Contest, draw: Draw, entries: Mapping[str, Entry]) -> str:
        """The public result of a draw (the close, or a reroll)."""
        several = len({platform_of(c) for c in contest.communities}) > 1
        proof = f"{self.prefix}contest proof {contest.id}"
        if not draw.winners:
            return self.t("contests.announce.nobody", id=contest.id, prize=contest.prize)
        common = {"id": contest.id, "prize": contest.prize, "proof": proof,
                  "names": self.names(draw.winners, entries, several), "seed": contest.seed,
                  "entrants": draw.entrants, "digest": draw.entrants_sha256}
        if draw.round > 0:
            return self.t("contests.announce.reroll", round=draw.round, **common)
        short = self.t("contests.announce.short", count=draw.entrants) \
            if draw.entrants < contest.winners else ""
        return self.t("contests.announce.result", short=short, **common)

    def cancelled(self, contest: Contest) -> str:
        """The public notice of a cancelled contest."""
        reason = f" ({contest.cancel_reason})" if contest.cancel_reason else ""
        return self.t("contests.announce.cancelled", id=contest.id, prize=contest.prize,
                      reason=reason)

    def winner_dm(self, contest: Contest, community: str) -> str:
        """What a winner is told privately."""
        return self.t("contests.dm.winner", id=contest.id, prize=contest.prize,
                      community=community)

    # -- details ---------------------------------------------------------------------------

    def status(self, contest: Contest) -> str:
        """open, ended or cancelled, in this language."""
        return self.t(f"contests.status.{contest.status}")

    def line(self, contest: Contest, entrants: int, now: datetime,
             winners: str | None = None) -> str:
        """One contest in a list."""
        if contest.status == ENDED:
            tail = self.t("contests.list.ended", winners=winners or "-")
        elif contest.status == CANCELLED:
            tail = self.t("contests.status.cancelled")
        else:
            tail = self.t("contests.list.open", ends=when(contest.ends_at),
                          left=left(contest.ends_at - now))
        return self.t("contests.list.line", id=contest.id, prize=contest.prize,
                      entrants=entrants, tail=tail)

    def show(self, contest: Contest, entrants: int, now: datetime,
             draws: Sequence[Draw], entries: Mapping[str, Entry]) -> str:
        """Everything public about one contest."""
        places = ", ".join(f"{p.community} (#{p.channel.partition(':')[2]})"
                           for p in contest.places)
        if contest.status == ENDED and contest.ended_at is not None:
            timing = self.t("contests.show.ended", at=when(contest.ended_at))
        elif contest.status == CANCELLED:
            timing = self.t("contests.status.cancelled")
        else:
            timing = self.t("contests.list.open", ends=when(contest.ends_at),
                            left=left(contest.ends_at - now))
        lines = [
            self.t("contests.show.head", id=contest.id, prize=contest.prize,
                   status=self.status(contest)),
            self.t("contests.show.where", places=places),
            self.t("contests.show.numbers", winners=contest.winners, entrants=entrants,
                   timing=timing),
            self.t("contests.show.how", how=self.how(contest)),
            self.requirements(contest.requirements),
            self.t("contests.show.commitment", commitment=contest.commitment),
        ]
        several = len({platform_of(c) for c in contest.communities}) > 1
        for draw in draws:
            lines.append(self.t("contests.show.draw", round=draw.round,
                                names=self.names(draw.winners, entries, several) or "-"))
        return "\n".join(lines)

    def entry_line(self, number: int, entry: Entry) -> str:
        """One entry, for CMs."""
        note = self.t("contests.entry.out", why=self.t("contests.entry.sanctioned")
                      if entry.note in ("sanctioned", "sanctioned before the draw")
                      else entry.note) if entry.status != "in" else ""
        return (f"{number}. {entry.member_name} ({entry.member_id}) — "
                f"{self.t(f'contests.via.{entry.via}')} — {when(entry.entered_at)} — "
                f"{entry.community}{note}")

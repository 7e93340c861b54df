"""Who may enter: exclusions (bots, the team, sanctioned members) and a contest's requirements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.durations import format_duration
from bot.events import User
from bot.i18n import Msg
from bot.permissions import Role
from plugins.contests.activity import Activity
from plugins.contests.model import Requirements
from plugins.contests.render import approx
from plugins.contests.settings import ExcludeSettings

__all__ = ["Candidate", "refusals"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """What is known of a member who wants to enter."""

    user: User
    role: Role
    activity: Activity
    sanctioned: bool


def refusals(req: Requirements, exclude: ExcludeSettings, who: Candidate,
             now: datetime) -> list[Msg]:
    """Why the member cannot enter (an exclusion, or every unmet requirement); empty if they can."""
    if exclude.bots and who.user.is_bot:
        return [Msg.of("contests.refuse.bot")]
    if exclude.staff and who.role >= Role.CM:
        return [Msg.of("contests.refuse.staff")]
    if who.sanctioned:
        return [Msg.of("contests.refuse.sanctioned")]
    unmet: list[Msg] = []
    if req.account_age:
        need = format_duration(req.account_age)
        created = who.user.account_created_at
        if created is None:
            unmet.append(Msg.of("contests.unmet.account_age_unknown", need=need))
        elif now - created < req.account_age:
            unmet.append(Msg.of("contests.unmet.account_age", need=need,
                                have=approx(now - created)))
    if req.member_for:
        need = format_duration(req.member_for)
        since = who.activity.member_since
        if since is None:
            unmet.append(Msg.of("contests.unmet.member_for_new", need=need))
        elif now - since < req.member_for:
            unmet.append(Msg.of("contests.unmet.member_for", need=need, have=approx(now - since)))
    if req.messages and who.activity.messages < req.messages:
        unmet.append(Msg.of("contests.unmet.messages", need=req.messages,
                            have=who.activity.messages))
    if req.role:
        wanted = req.role.casefold()
        if not any(r.casefold() == wanted for r in who.user.platform_roles):
            unmet.append(Msg.of("contests.unmet.role", role=req.role))
    return unmet

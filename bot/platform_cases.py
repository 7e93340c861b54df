"""What moderators and the platforms' own automod do outside Vigie becomes cases too.

A ban, unban, kick or timeout done in Discord's or Telegram's interface is a case authored by
that moderator, with the reason given there; Vigie's own actions coming back (the actor is the
bot, or Vigie opened the same case a moment ago) are not recorded twice. An action of Discord's
AutoMod under a rule Vigie did not publish is one case per message it acted on (Vigie's own
published rules are the automod plugin's: their case follows that rule's actions).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.actions import Decision, Record
from bot.events import PlatformAutomodAction, PlatformSanction, User, platform_of
from bot.i18n import Catalog
from bot.keyword_sync import owner_of
from bot.plugin import EventContext, Phase, Plugin, hook

__all__ = ["RECENT", "PlatformCases", "execution_claim"]

log = logging.getLogger("vigie.platform_cases")
RECENT = timedelta(minutes=2)
"""A platform action this soon after Vigie's case for the same member and action is Vigie's."""
CONTENT_SHOWN = 300


def execution_claim(event: PlatformAutomodAction) -> str:
    """The claim one AutoMod execution's case takes: its other actions find it taken."""
    return f"platform-automod:{event.execution}"


class PlatformCases(Plugin):
    """Records the platforms' own sanctions as cases; always on, no section in the rule file."""

    name = "platform_cases"

    @hook(Phase.OBSERVE, PlatformSanction)
    async def sanctioned(self, event: PlatformSanction, ctx: EventContext) -> Decision | None:
        """A moderator's ban, unban, kick or timeout in the platform's interface."""
        if event.by_bot:
            return None  # Vigie's own action, already in the case log
        cases = self.ctx.services.cases
        since = event.ts - RECENT
        if event.action in ("ban", "kick", "timeout"):
            recent = [c for c in await cases.active(event.community, event.target.id,
                                                    event.action, since)
                      if c.author_id != event.actor.id or c.event_id != event.id]
            if recent:
                log.info("platform %s of %s community=%s: Vigie's case #%s already has it",
                         event.action, event.target.id, event.community, recent[-1].number)
                return None
        duration = None
        if event.until is not None and event.action in ("ban", "timeout"):
            duration = max(event.until - event.ts, timedelta(seconds=1))
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        evidence = catalog.render("platform.evidence", lang, {
            "platform": platform_of(event.community).capitalize(), "name": event.actor.name,
            "id": event.actor.id})
        return Decision(rule=f"platform:{event.action}", evidence=evidence, actions=(Record(
            action=event.action, target=event.target, author=event.actor, reason=event.reason,
            duration=duration, evidence=evidence, source=f"platform:{event.id}"),))

    @hook(Phase.OBSERVE, PlatformAutomodAction)
    async def automod_acted(self, event: PlatformAutomodAction,
                            ctx: EventContext) -> Decision | None:
        """Discord AutoMod acted under a rule of the server's own: one case per message."""
        if event.action == "alert":
            return None  # the rule's alert is not a sanction; its block or timeout is
        if await owner_of(self.ctx.services.store, event.community, event.rule_id) is not None:
            return None  # one of Vigie's published rules: the automod plugin records it
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        rule = event.rule_name or event.rule_id
        evidence = automod_evidence(event, catalog, lang)
        kind = "timeout" if event.action == "timeout" else "warn"
        platform = platform_of(event.community)
        author = User(id=f"rule:{platform}-automod/{rule}",
                      name=catalog.render("platform.automod.author", lang,
                                          {"platform": platform.capitalize(), "rule": rule}))
        reason = catalog.render("platform.automod.reason", lang,
                                {"platform": platform.capitalize(), "rule": rule})
        return Decision(rule=f"platform-automod:{rule}", evidence=evidence, actions=(Record(
            action=kind, target=event.user, author=author, reason=reason,
            duration=event.duration if kind == "timeout" else None, evidence=evidence,
            source=f"platform:{event.id}", claims=(execution_claim(event),)),))


def automod_evidence(event: PlatformAutomodAction, catalog: Catalog, lang: str) -> str:
    """What the platform's automod matched, in the community's language."""
    content = event.content if len(event.content) <= CONTENT_SHOWN \
        else event.content[:CONTENT_SHOWN] + "…"
    return catalog.render("platform.automod.evidence", lang, {
        "platform": platform_of(event.community).capitalize(),
        "rule": event.rule_name or event.rule_id, "keyword": event.keyword or "-",
        "matched": event.matched or "-", "content": content or "-"})

"""The welcome plugin: one welcome per newcomer, one grouped welcome per burst, none in a raid."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from bot.actions import Decision, Schedule, Send
from bot.clock import from_text, to_text
from bot.durations import format_duration
from bot.events import JobDue, MemberJoined, platform_of
from bot.i18n import Localized, pick_language
from bot.plugin import EventContext, Phase, Plugin, hook, on_job
from bot.raids import in_raid_mode
from plugins.welcome.schema import MIGRATIONS
from plugins.welcome.settings import WelcomeSettings
from plugins.welcome.text import welcome_text

__all__ = ["GROUP_JOB", "WelcomePlugin", "group_key"]

GROUP_JOB = "welcome.group"


def group_key(community: str) -> str:
    """The key of a community's pending grouped welcome."""
    return f"welcome:group:{community}"


def welcome_channel(section: WelcomeSettings, community: str) -> str | None:
    """Where the welcome goes: the configured channel, else a Telegram group's own chat."""
    if section.channel is not None:
        return section.channel
    return community if platform_of(community) == "telegram" else None


class WelcomePlugin(Plugin):
    """Greets newcomers with the rules and FAQ topics; groups bursts; silent in raid mode."""

    name: ClassVar[str] = "welcome"
    settings_model = WelcomeSettings
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    @hook(Phase.RESPOND, MemberJoined)
    async def joined(self, event: MemberJoined, ctx: EventContext) -> Decision | None:
        """Welcome now if the window is free; else wait for the grouped welcome at its end."""
        section: WelcomeSettings = self.section(ctx)
        channel = welcome_channel(section, event.community)
        if channel is None or event.user.is_bot:
            return None
        store, community = self.ctx.services.store, event.community
        if await in_raid_mode(store, community):
            return None
        now = self.ctx.services.clock.now()
        async with store.transaction() as tx:
            await tx.lock(group_key(community))
            row = await tx.fetch_one("SELECT last_sent FROM welcome_state"
                                     " WHERE community = :c", {"c": community})
            last = from_text(row["last_sent"]) if row is not None else None
            free = last is None or now - last >= section.window
            if free:
                await tx.execute(
                    "INSERT INTO welcome_state (community, last_sent) VALUES (:c, :now)"
                    " ON CONFLICT (community) DO UPDATE SET last_sent = excluded.last_sent",
                    {"c": community, "now": to_text(now)})
            else:
                await tx.execute(
                    "INSERT INTO welcome_waiting (community, member_id, name, joined_at)"
                    " VALUES (:c, :m, :n, :now) ON CONFLICT (community, member_id) DO NOTHING",
                    {"c": community, "m": event.user.id, "n": event.user.name,
                     "now": to_text(now)})
        catalog = self.ctx.services.catalog
        if not free:
            assert last is not None
            return Decision(rule="welcome.wait", actions=(Schedule.of(
                GROUP_JOB, community, last + section.window, group_key(community)),))
        lang = pick_language(event.user.language, ctx.settings.language)
        text = welcome_text(catalog, ctx.settings, section, lang, [event.user.name], community)
        return Decision(rule="welcome", actions=(
            Send(channel=channel, text=Localized.of({lang: text})),),
            evidence=catalog.render("welcome.evidence.alone", ctx.settings.language, {
                "member": event.user.name, "window": format_duration(section.window)}))

    @on_job(GROUP_JOB)
    async def grouped(self, job: JobDue, ctx: EventContext) -> Decision | None:
        """The window ended: welcome everyone who waited, together (nobody in raid mode)."""
        section: WelcomeSettings = self.section(ctx)
        store, community = self.ctx.services.store, job.community
        now = self.ctx.services.clock.now()
        raid = await in_raid_mode(store, community)
        async with store.transaction() as tx:
            await tx.lock(group_key(community))
            rows = await tx.fetch_all(
                "SELECT name FROM welcome_waiting WHERE community = :c"
                " ORDER BY joined_at, member_id", {"c": community})
            await tx.execute("DELETE FROM welcome_waiting WHERE community = :c",
                             {"c": community})
            if rows and not raid:
                await tx.execute("UPDATE welcome_state SET last_sent = :now"
                                 " WHERE community = :c", {"c": community, "now": to_text(now)})
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        channel = welcome_channel(section, community)
        if not rows or channel is None:
            return None
        if raid:
            return Decision(rule="welcome.raid", evidence=catalog.render(
                "welcome.evidence.raid", lang, {"count": len(rows)}))
        names = [str(r["name"]) for r in rows]
        text = welcome_text(catalog, ctx.settings, section, lang, names, community)
        return Decision(rule="welcome.grouped", actions=(
            Send(channel=channel, text=Localized.of({lang: text})),),
            evidence=catalog.render("welcome.evidence.grouped", lang, {"count": len(names)}))

"""Commands over the case log: note, case, cases, reason, pardon, why."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, Alert, Unban, Untimeout
from bot.cases import ACTIVE, VOIDED, Case
from bot.commands import Count, Rest, UsageError, Word
from bot.events import User, platform_of
from bot.executor import case_summary
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import CommandCall, Plugin, command
from plugins.moderation.render import case_detail, case_line, status_of
from plugins.moderation.settings import ModerationSettings

__all__ = ["CaseCommands"]

CaseNumber = Annotated[int, Count(1, 1_000_000_000)]
SHOWN = 15


class CaseCommands(Plugin):
    """note, case, cases, reason, pardon, why."""

    def _settings(self, call: CommandCall) -> ModerationSettings:
        section: ModerationSettings = self.section(call.ctx)
        return section

    async def _case(self, call: CommandCall, number: int) -> Case:
        """A case of this community, or UsageError (another community's cases are invisible)."""
        case = await self.ctx.services.cases.get(call.community, number)
        if case is None:
            raise UsageError(Msg.of("case.not_found", number=number))
        return case

    @command("note")
    async def note(self, call: CommandCall, member: User, text: Rest) -> list[Action]:
        """Keep a private note about a member (no sanction, not shown to them)."""
        case = await self.ctx.services.cases.open(
            community=call.community, action="note", target_id=member.id,
            target_name=member.name, author_id=call.invoker.id, author_name=call.invoker.name,
            reason=text, revision=call.ctx.revision, event_id=call.ctx.event.id,
            channel=call.channel)
        return [call.reply("note.done", number=case.number, member=member.name),
                Alert(text=case_summary(case))]

    @command("case")
    async def case(self, call: CommandCall, number: CaseNumber) -> Action:
        """Show one case in full."""
        found = await self._case(call, number)
        now = self.ctx.services.clock.now()
        return call.reply_text(case_detail(found, now, self._settings(call).warning_expiry))

    @command("cases")
    async def cases(self, call: CommandCall, member: User) -> Action:
        """A member's history: active, expired and voided cases."""
        history = await self.ctx.services.cases.for_member(call.community, member.id, limit=200)
        if not history:
            return call.reply("cases.none", member=member.name)
        now = self.ctx.services.clock.now()
        expiry = self._settings(call).warning_expiry
        catalog = self.ctx.services.catalog
        lines = [catalog.text(case_line(c, now, expiry), call.ctx.lang) for c in history[:SHOWN]]
        active_warnings = sum(1 for c in history
                              if c.action == "warn" and status_of(c, now, expiry) == ACTIVE)
        more = len(history) - SHOWN
        return call.reply("cases.list", member=member.name, count=len(history),
                          warnings=active_warnings, lines="\n".join(lines),
                          more=f"\n(+{more})" if more > 0 else "")

    @command("reason")
    async def reason(self, call: CommandCall, number: CaseNumber, text: Rest) -> Action:
        """Replace a case's reason."""
        found = await self._case(call, number)
        await self.ctx.services.cases.set_reason(found.id, text)
        return call.reply("reason.done", number=number)

    @command("pardon")
    async def pardon(self, call: CommandCall, number: CaseNumber,
                     reason: Rest | None = None) -> list[Action]:
        """Void a case and undo its sanction if still in force (bans: admins only)."""
        found = await self._case(call, number)
        if found.status == VOIDED:
            raise UsageError(Msg.of("pardon.already", number=number))
        if found.action == "ban" and call.role < Role.ADMIN:
            raise UsageError(Msg.of("pardon.admin_only", number=number))
        now = self.ctx.services.clock.now()
        in_force = status_of(found, now, self._settings(call).warning_expiry) == ACTIVE
        catalog, lang = self.ctx.services.catalog, call.ctx.settings.language
        why = (reason or "").strip() or catalog.render("pardon.by", lang,
                                                      {"name": call.invoker.name})
        await self.ctx.services.cases.set_status(found.id, VOIDED, why, call.invoker.id)
        lifted = catalog.render("pardon.lift_reason", lang, {"number": number, "why": why})
        target = User(id=found.target_id, name=found.target_name)
        actions: list[Action] = [call.reply("pardon.done", number=number)]
        if in_force and found.action == "timeout":
            actions.append(Untimeout(target=target, reason=lifted))
        elif in_force and found.action == "ban":
            actions.append(Unban(target=target, reason=lifted))
        return actions

    @command("why")
    async def why(self, call: CommandCall, target: Word | None = None) -> Action:
        """Explain a case (`why 12`) or what happened to a message (reply, or its id)."""
        reply_to = getattr(call.ctx.event, "reply_to", None)
        if target is not None and target.lstrip("#").isdigit() and ":" not in target:
            found = await self._case(call, int(target.lstrip("#")))
            now = self.ctx.services.clock.now()
            return call.reply_text(case_detail(found, now, self._settings(call).warning_expiry))
        message_id = target if target is not None else reply_to
        if message_id is None:
            raise UsageError(Msg.of("why.what"))
        if ":" not in message_id:
            message_id = f"{platform_of(call.community)}:{message_id}"
        records = await self.ctx.services.audit.for_event(call.community, message_id)
        if not records:
            return call.reply("why.nothing", message=message_id)
        catalog = self.ctx.services.catalog
        lines = [catalog.render("why.decision", call.ctx.lang, {
            "rule": f"{r.plugin}/{r.rule}", "actions": ", ".join(
                catalog.render(f"action.{a['type']}", call.ctx.lang)
                if catalog.has(f"action.{a['type']}") else str(a["type"]) for a in r.actions)
            or "-", "evidence": r.evidence or "-", "revision": r.revision})
            for r in records]
        return call.reply("why.message", message=message_id, lines="\n".join(lines))

"""Commands every community has (help, rules, reload) and the job that lifts timed sanctions."""

from __future__ import annotations

from bot.actions import Decision, Reply, Unban, Untimeout
from bot.commands import Word
from bot.events import JobDue, User
from bot.executor import LIFT_JOB
from bot.i18n import LANGUAGES, Localized, Msg
from bot.permissions import Role
from bot.plugin import CommandCall, EventContext, Plugin, command, on_job
from bot.sanctions import rearm_lifts

__all__ = ["CorePlugin"]

MAX_ERRORS_SHOWN = 5


class CorePlugin(Plugin):
    """Always on; has no section in the rule file."""

    name = "core"

    @command("help", min_role=Role.MEMBER, aliases=("aide",))
    async def help(self, call: CommandCall, command: Word | None = None) -> Reply:
        """List the commands the caller may use, or explain one."""
        catalog = self.ctx.services.catalog
        registry = self.ctx.services.commands
        lang = call.ctx.lang
        visible = registry.visible(call.ctx.settings, call.role)
        if command is not None:
            wanted = registry.get(command.lstrip("!/").lower())
            if wanted is None or wanted not in visible:
                return call.reply("help.unknown", command=command)
            return call.reply("help.one", usage=wanted.usage(catalog, lang, call.prefix),
                              summary=Msg.of(wanted.summary_key))
        lines = []
        for spec in visible:
            aliases = "".join(f" ({call.prefix}{alias})" for alias in spec.aliases
                              if alias.isascii())
            summary = catalog.render(spec.summary_key, lang)
            lines.append(f"{spec.usage(catalog, lang, call.prefix)}{aliases} — {summary}")
        return call.reply("help.list", role=Msg.of(f"role.{call.role.label}"),
                          commands="\n".join(lines))

    @command("rules", min_role=Role.MEMBER, aliases=("regles", "règles"))
    async def rules(self, call: CommandCall) -> Reply:
        """Post the community rules from the rule file."""
        texts = call.ctx.settings.rules_text
        fleet = self.ctx.services.fleet
        apart = await fleet.disagreement() if fleet is not None else None
        if not texts and apart is None:
            return call.reply("rules.none")
        catalog = self.ctx.services.catalog
        shown = {str(lang): text for lang, text in texts.items()} or {
            lang: catalog.render("rules.none", lang) for lang in LANGUAGES}
        if apart is not None:  # each language's rules, then the warning in that language
            shown = {lang: f"{text}\n\n{apart.render(catalog, lang if lang in LANGUAGES else 'en')}"
                     for lang, text in shown.items()}
        return call.reply_text(Localized.of(shown))

    @command("reload", min_role=Role.ADMIN)
    async def reload(self, call: CommandCall) -> Reply:
        """Reload the rule file now."""
        outcome = await self.ctx.services.rulebook.reload(trigger=f"command by {call.invoker.id}")
        if outcome.status == "applied":
            return call.reply("reload.applied", revision=outcome.revision,
                              previous=outcome.previous)
        if outcome.status == "unchanged":
            return call.reply("reload.unchanged", revision=outcome.revision)
        if outcome.error is None:
            return call.reply("reload.failed", revision=outcome.revision, error=outcome.failure)
        issues = [str(i) for i in outcome.error.issues]
        shown = "\n".join(issues[:MAX_ERRORS_SHOWN])
        more = len(issues) - MAX_ERRORS_SHOWN
        return call.reply("reload.refused", revision=outcome.revision, count=len(issues),
                          errors=shown + (f"\n(+{more})" if more > 0 else ""))

    async def start(self) -> None:
        """Store the lifts that a crash or a full disk kept from being stored."""
        await rearm_lifts(self.ctx.services)

    @on_job(LIFT_JOB)
    async def lift(self, job: JobDue, ctx: EventContext) -> Decision:
        """A timed timeout or ban reached its end: lift it and mark its case expired."""
        payload = job.payload
        target = User(id=payload["user_id"], name=payload.get("user_name", payload["user_id"]))
        case = await self.ctx.services.cases.get_by_id(int(payload["case_id"]))
        number = case.number if case else "?"
        reason = self.ctx.services.catalog.render("lift.case_expired", ctx.settings.language,
                                                  {"number": number})
        action = Untimeout(target=target, reason=reason) if payload["action"] == "timeout" \
            else Unban(target=target, reason=reason)
        return Decision(rule="lift", actions=(action,), evidence=reason)

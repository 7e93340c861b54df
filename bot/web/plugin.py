"""`!dashboard`: a CM or admin gets a one-time login link to the dashboard, in private."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.actions import Action, Dm
from bot.i18n import Msg
from bot.permissions import Role
from bot.plugin import CommandCall, Plugin, command
from bot.web.settings import WebFile, effective_web
from bot.web.tokens import LINK_LIFETIME, MIGRATIONS, LoginTokens

__all__ = ["DashboardPlugin", "LinkDm"]

LINK_MINUTES = int(LINK_LIFETIME.total_seconds() // 60)


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkDm(Dm):
    """A private message holding a login link: the audit keeps that one was sent, not the link."""

    def describe(self) -> dict[str, Any]:
        """JSON-friendly form without the text (it holds a secret)."""
        return {"type": self.type, "target": self.target.id, "text": "(login link, not kept)"}


class DashboardPlugin(Plugin):
    """The dashboard's command and tables; the pages themselves are bot.web.server."""

    name = "web"
    top_level_model = WebFile
    messages_file = Path(__file__).with_name("messages.yaml")
    migrations = MIGRATIONS

    @command("dashboard", min_role=Role.CM)
    async def dashboard(self, call: CommandCall) -> list[Action]:
        """Send a one-time login link to the dashboard in a private message."""
        section = call.ctx.rules.top.get(self.name)
        try:
            web = effective_web(section if isinstance(section, WebFile) else None)
        except ValueError:
            web = None
        if web is None:
            return [call.reply("dashboard.disabled")]
        tokens = LoginTokens(self.ctx.services.store, self.ctx.services.clock)
        token = await tokens.issue(call.community, call.invoker.id, call.invoker.name)
        link = f"{web.base_url}/login/{token}"
        return [LinkDm(target=call.invoker, text=Msg.of("dashboard.link", link=link,
                                                        minutes=LINK_MINUTES)),
                call.reply("dashboard.sent")]

"""Discord AutoMod keyword rules out, AutoMod executions and audit log entries in."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime

import discord

from bot.adapters.base import ActionResult
from bot.adapters.discord.ids import qualify, snowflake
from bot.adapters.keyword_rules import (
    MAX_EXEMPT_CHANNELS,
    MAX_EXEMPT_ROLES,
    KeywordRule,
    PublishedRule,
)
from bot.events import PlatformAutomodAction, PlatformSanction, User

__all__ = ["AUTOMOD_LISTENERS", "AutomodRules", "RuleNames", "automod_action",
           "sanction_from_audit_log"]

log = logging.getLogger("vigie.discord.automod")

AUTOMOD_LISTENERS = ("on_automod_action", "on_audit_log_entry_create")
EXECUTION_BUCKET_S = 60
"""The actions of one execution arrive within this window (one event per action)."""
REASON = "Vigie: rule file"
_ACTIONS = {discord.AutoModRuleActionType.block_message: "block",
            discord.AutoModRuleActionType.send_alert_message: "alert",
            discord.AutoModRuleActionType.timeout: "timeout"}


class AutomodRules:
    """Keyword rules on Discord's AutoMod (needs Manage Server); mixed into the adapter."""

    client: discord.Client

    def _automod_guild(self, community: str) -> discord.Guild | None:
        guild_id = snowflake(community)
        return self.client.get_guild(guild_id) if guild_id is not None else None

    async def keyword_rules(self, community: str) -> list[PublishedRule]:
        """The server's KEYWORD rules, whoever made them (raises when Discord refuses)."""
        guild = self._automod_guild(community)
        if guild is None:
            raise LookupError(f"Vigie is not in the server {community}")
        me = self.client.user.id if self.client.user is not None else None
        return [PublishedRule(str(rule.id), rule.name, rule.creator_id == me)
                for rule in await guild.fetch_automod_rules()
                if rule.trigger.type is discord.AutoModRuleTriggerType.keyword]

    async def create_keyword_rule(self, community: str, rule: KeywordRule) -> ActionResult:
        """Create a rule that blocks matching messages; its id in `message_id`."""
        guild = self._automod_guild(community)
        if guild is None:
            return ActionResult.failed(f"Vigie is not in the server {community}")
        try:
            created = await guild.create_automod_rule(
                name=rule.name, event_type=discord.AutoModRuleEventType.message_send,
                trigger=_trigger(rule), actions=_actions(rule), enabled=True,
                exempt_roles=_roles(guild, rule), exempt_channels=_channels(rule), reason=REASON)
        except discord.HTTPException as exc:
            return _refused("create", rule.key, exc)
        return ActionResult.ok("created", message_id=str(created.id))

    async def edit_keyword_rule(self, community: str, rule_id: str,
                                rule: KeywordRule) -> ActionResult:
        """Replace what one of Vigie's rules checks and does."""
        guild = self._automod_guild(community)
        if guild is None:
            return ActionResult.failed(f"Vigie is not in the server {community}")
        try:
            current = await guild.fetch_automod_rule(int(rule_id))
            await current.edit(name=rule.name, trigger=_trigger(rule), actions=_actions(rule),
                               enabled=True, exempt_roles=_roles(guild, rule),
                               exempt_channels=_channels(rule), reason=REASON)
        except discord.HTTPException as exc:
            return _refused("edit", rule.key, exc)
        return ActionResult.ok("edited", message_id=rule_id)

    async def delete_keyword_rule(self, community: str, rule_id: str) -> ActionResult:
        """Delete one of Vigie's rules."""
        guild = self._automod_guild(community)
        if guild is None:
            return ActionResult.failed(f"Vigie is not in the server {community}")
        try:
            current = await guild.fetch_automod_rule(int(rule_id))
            await current.delete(reason=REASON)
        except discord.NotFound:
            return ActionResult.ok("already gone")
        except discord.HTTPException as exc:
            return _refused("delete", rule_id, exc)
        return ActionResult.ok("deleted")


def _trigger(rule: KeywordRule) -> discord.AutoModTrigger:
    return discord.AutoModTrigger(type=discord.AutoModRuleTriggerType.keyword,
                                  keyword_filter=list(rule.keywords),
                                  regex_patterns=list(rule.patterns),
                                  allow_list=list(rule.allow))


def _actions(rule: KeywordRule) -> list[discord.AutoModRuleAction]:
    return [discord.AutoModRuleAction(custom_message=rule.message or None)]


def _roles(guild: discord.Guild, rule: KeywordRule) -> list[discord.Object]:
    """Exempt roles Discord knows, by id or name (`permission:` entries have no role)."""
    ids: list[int] = []
    for wanted in rule.exempt_roles:
        bare = wanted.removeprefix("discord:")
        if bare.isdigit() and guild.get_role(int(bare)) is not None:
            ids.append(int(bare))
            continue
        ids += [role.id for role in guild.roles if role.name == wanted]
    return [discord.Object(i) for i in dict.fromkeys(ids)][:MAX_EXEMPT_ROLES]


def _channels(rule: KeywordRule) -> list[discord.Object]:
    ids = [int(c.removeprefix("discord:")) for c in rule.exempt_channels
           if c.startswith("discord:") and c.removeprefix("discord:").isdigit()]
    return [discord.Object(i) for i in dict.fromkeys(ids)][:MAX_EXEMPT_CHANNELS]


def _refused(what: str, key: str, exc: discord.HTTPException) -> ActionResult:
    if isinstance(exc, discord.Forbidden):
        return ActionResult.failed(f"AutoMod rule {key}: {what} refused: Vigie needs the "
                                   "Manage Server permission")
    return ActionResult.failed(f"AutoMod rule {key}: {what} failed: {exc.status} {exc.text}")


class RuleNames:
    """AutoMod rule names by id, looked up once (an execution names only the rule's id)."""

    def __init__(self, limit: int = 256) -> None:
        self._names: dict[int, str] = {}
        self._limit = limit

    async def name(self, execution: discord.AutoModAction) -> str:
        """The rule's name, or '' when Discord will not say (no Manage Server)."""
        known = self._names.get(execution.rule_id)
        if known is not None:
            return known
        try:
            rule = await execution.fetch_rule()
        except (discord.HTTPException, discord.ClientException) as exc:
            log.info("AutoMod rule %s: name unknown: %s", execution.rule_id, exc)
            return ""
        if len(self._names) >= self._limit:
            self._names.pop(next(iter(self._names)))
        self._names[execution.rule_id] = rule.name
        return rule.name


def automod_action(execution: discord.AutoModAction, now: datetime,
                   rule_name: str = "") -> PlatformAutomodAction | None:
    """One AutoMod action on a message, as a neutral event (None for kinds Vigie ignores)."""
    kind = _ACTIONS.get(execution.action.type)
    if kind is None:
        return None
    guild = qualify(execution.guild_id)
    content = execution.content or ""
    if execution.message_id is not None:
        what = f"m{execution.message_id}"
    else:  # a blocked message has no id: its author, its text and the minute name it
        digest = hashlib.sha256(content.encode()).hexdigest()[:16]
        what = f"{digest}:{int(now.timestamp()) // EXECUTION_BUCKET_S}"
    execution_key = f"{execution.rule_id}:{execution.user_id}:{what}"
    member = execution.member
    user = User(id=qualify(execution.user_id),
                name=member.name if member is not None else str(execution.user_id),
                language=None)
    duration = execution.action.duration if kind == "timeout" else None
    return PlatformAutomodAction(
        id=f"{guild}:automod:{execution_key}:{kind}", ts=now, community=guild,
        channel=qualify(execution.channel_id) if execution.channel_id else None, user=user,
        rule_id=str(execution.rule_id), rule_name=rule_name, action=kind, duration=duration,
        keyword=execution.matched_keyword or "", matched=execution.matched_content or "",
        content=content, execution=execution_key)


def sanction_from_audit_log(entry: discord.AuditLogEntry, me: int | None
                            ) -> PlatformSanction | None:
    """A ban, unban, kick or timeout done in Discord (any moderator, Vigie included)."""
    action = entry.action
    until: datetime | None = None
    if action is discord.AuditLogAction.ban:
        kind = "ban"
    elif action is discord.AuditLogAction.unban:
        kind = "unban"
    elif action is discord.AuditLogAction.kick:
        kind = "kick"
    elif action is discord.AuditLogAction.member_update:
        after: object = getattr(entry.after, "timed_out_until", _MISSING)
        before = getattr(entry.before, "timed_out_until", _MISSING)
        if after is _MISSING or after == before:
            return None
        kind = "timeout" if after is not None else "untimeout"
        until = after if isinstance(after, datetime) else None
    else:
        return None
    target = entry.target
    target_id = getattr(target, "id", None)
    if target_id is None:
        return None
    actor = entry.user
    actor_id = entry.user_id if entry.user_id is not None else getattr(actor, "id", None)
    if actor_id is None:
        return None
    guild = qualify(entry.guild.id)
    created = entry.created_at.astimezone(UTC)
    return PlatformSanction(
        id=f"{guild}:audit:{entry.id}", ts=created, community=guild, action=kind,
        target=User(id=qualify(target_id), name=_name(target, target_id)),
        actor=User(id=qualify(actor_id), name=_name(actor, actor_id)),
        reason=entry.reason or "", until=until.astimezone(UTC) if until else None,
        by_bot=me is not None and actor_id == me)


_MISSING = object()


def _name(who: object, fallback: int) -> str:
    return str(getattr(who, "name", None) or fallback)


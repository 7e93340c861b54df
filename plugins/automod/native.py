"""Automod rules published as the platform's own keyword rules (Discord AutoMod).

A rule whose trigger is words and/or patterns (alone or under `any`), that deletes the message
and runs in enforce mode, compiles into one Discord KEYWORD rule (more when it has over 1,000
keywords or 10 patterns) that blocks the message before anyone sees it. What Discord cannot
check the same way stays with Vigie's own automod, which still reads every message that is
posted: words counted only when aimed at someone, words innocent in the other language, entries
with a `*` inside, keywords over 60 characters, patterns over 260 characters or in RE2 syntax
Rust's regex lacks. When Discord blocks a message under one of Vigie's rules, the rule's other
actions (warn, timeout, kick, ban, alert, dm) follow as if Vigie had caught it itself.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from bot.actions import Action, Alert, Decision, Dm, Sanction
from bot.adapters.keyword_rules import (
    MAX_ALLOW,
    MAX_ALLOW_CHARS,
    MAX_KEYWORD_CHARS,
    MAX_KEYWORD_RULES,
    MAX_KEYWORDS,
    MAX_MESSAGE_CHARS,
    MAX_PATTERN_CHARS,
    MAX_PATTERNS,
    KeywordRule,
)
from bot.events import MessageCreated, PlatformAutomodAction, platform_of
from bot.i18n import Catalog, Localized
from bot.keyword_sync import owner_of
from bot.permissions import Role
from bot.platform_cases import automod_evidence, execution_claim
from bot.plugin import EventContext, Phase, Plugin, hook
from bot.settings.models import CoreSettings
from bot.settings.ruleset import RuleSet
from plugins.automod.actions import (
    AlertAction,
    BanAction,
    Built,
    DmAction,
    KickAction,
    TimeoutAction,
    WarnAction,
)
from plugins.automod.lexicons import get_lexicon
from plugins.automod.settings import AutomodSettings, Rule
from plugins.automod.triggers import AnyOf
from plugins.automod.triggers.scanned import RegexTrigger, WordsTrigger

__all__ = ["NativeRules", "Published", "check_lines", "compile_section"]

PLATFORMS = ("discord",)
_FOLLOWING = (WarnAction, TimeoutAction, KickAction, BanAction, AlertAction, DmAction)
_RUST_LACKS = ("\\C", "\\Q", "\\E")


@dataclass
class Published:
    """What one automod rule becomes on the platform, and what Vigie alone keeps checking."""

    rule: str
    rules: tuple[KeywordRule, ...] = ()
    why_not: str = ""
    kept: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line of `vigie check`."""
        if not self.rules:
            return f"rule '{self.rule}': not published: {self.why_not}"
        keywords = sum(len(r.keywords) for r in self.rules)
        patterns = sum(len(r.patterns) for r in self.rules)
        allow = len(self.rules[0].allow)
        text = (f"rule '{self.rule}': published as {len(self.rules)} Discord keyword rule(s) "
                f"({keywords} keywords, {patterns} patterns, {allow} allowed phrases)")
        if self.kept:
            text += "; Vigie alone checks " + "; ".join(self.kept)
        return text


def _leaves(trigger: object) -> Iterator[object]:
    if isinstance(trigger, AnyOf):
        for item in trigger.any:
            yield from _leaves(item)
    else:
        yield trigger


def _kind(trigger: object) -> str:
    for logic in ("all", "not"):
        if hasattr(trigger, logic) and not hasattr(trigger, "type"):
            return logic
    return str(getattr(trigger, "type", "?"))


def _accentless(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _words(trigger: WordsTrigger, kept: dict[str, int]) -> tuple[list[str], list[str]]:
    """Keywords and allowed phrases for Discord; counts of what is left out go to `kept`."""
    entries: list[str] = list(trigger.words)
    allow: list[str] = list(trigger.allow)
    for name in trigger.lexicons:
        lexicon = get_lexicon(name)
        if lexicon.aimed:
            kept["words counted only when aimed at someone"] = \
                kept.get("words counted only when aimed at someone", 0) + len(lexicon.entries)
            continue
        guarded = set(lexicon.own_language_only)
        for entry in lexicon.entries:
            if entry in guarded:
                kept["words innocent in the other language"] = \
                    kept.get("words innocent in the other language", 0) + 1
            else:
                entries.append(entry)
        allow += lexicon.allow
    keywords: list[str] = []
    for entry in entries:
        text = " ".join(entry.split()).lower()
        if "*" in text.strip("*"):
            kept["entries with a * inside"] = kept.get("entries with a * inside", 0) + 1
            continue
        forms = [text, _accentless(text)]
        if any(len(form) > MAX_KEYWORD_CHARS for form in forms):
            kept[f"entries over {MAX_KEYWORD_CHARS} characters"] = \
                kept.get(f"entries over {MAX_KEYWORD_CHARS} characters", 0) + 1
            continue
        keywords += forms
    allowed = []
    for phrase in allow:
        text = " ".join(phrase.split()).lower()
        allowed += [text, _accentless(text)]
    return list(dict.fromkeys(keywords)), list(dict.fromkeys(allowed))


def _pattern(trigger: RegexTrigger, pattern: str) -> str | None:
    """The pattern as Discord's Rust regex takes it, or None when it cannot."""
    if any(token in pattern for token in _RUST_LACKS):
        return None
    shown = pattern if trigger.on == "raw" and trigger.case_sensitive else f"(?i){pattern}"
    return shown if len(shown) <= MAX_PATTERN_CHARS else None


def _chunks(items: Sequence[str], size: int, count: int) -> list[tuple[str, ...]]:
    return [tuple(items[i * size:(i + 1) * size]) for i in range(count)]


def _exempt_roles(section: AutomodSettings, rule: Rule, settings: CoreSettings) -> list[str]:
    own = rule.exempt.threshold() if rule.exempt.role_at_least is not None \
        else section.exempt.threshold()
    roles: list[str] = []
    if own is not None:
        if own <= Role.CM:
            roles += settings.roles.cm
        roles += settings.roles.admin
    roles += [*section.exempt.roles, *rule.exempt.roles]
    return [r for r in dict.fromkeys(roles) if not r.startswith("permission:")]


def compile_rule(rule_id: str, rule: Rule, section: AutomodSettings, settings: CoreSettings,
                 message: str, extra_channels: Sequence[str] = ()) -> Published:
    """One automod rule as platform keyword rules, or why it cannot be."""
    out = Published(rule_id)
    leaves = list(_leaves(rule.trigger))
    if not rule.enabled:
        out.why_not = "switched off"
    elif (rule.mode or section.mode) == "monitor":
        out.why_not = "monitor mode (Discord would block the message, not just report it)"
    elif not all(isinstance(leaf, WordsTrigger | RegexTrigger) for leaf in leaves):
        other = sorted({_kind(leaf) for leaf in leaves
                        if not isinstance(leaf, WordsTrigger | RegexTrigger)})
        out.why_not = (f"its trigger ({', '.join(other)}) is not words or patterns: Discord's "
                       "keyword rules cannot check it")
    elif not any(a.kind == "delete" for a in rule.actions):
        out.why_not = "it does not delete the message (Discord's rule blocks it)"
    elif rule.exempt.users or section.exempt.users:
        out.why_not = "it exempts members by id, which Discord AutoMod cannot"
    if out.why_not:
        return out
    kept: dict[str, int] = {}
    keywords: list[str] = []
    allow: list[str] = []
    patterns: list[str] = []
    for leaf in leaves:
        if isinstance(leaf, WordsTrigger):
            found, allowed = _words(leaf, kept)
            keywords += found
            allow += allowed
        elif isinstance(leaf, RegexTrigger):
            for pattern in leaf.patterns:
                shown = _pattern(leaf, pattern)
                if shown is None:
                    kept["patterns Rust's regex lacks or over 260 characters"] = \
                        kept.get("patterns Rust's regex lacks or over 260 characters", 0) + 1
                else:
                    patterns.append(shown)
    keywords, allow, patterns = (list(dict.fromkeys(keywords)), list(dict.fromkeys(allow)),
                                 list(dict.fromkeys(patterns)))
    out.kept = [f"{count} {what}" for what, count in kept.items()]
    if len(allow) > MAX_ALLOW or any(len(a) > MAX_ALLOW_CHARS for a in allow):
        out.why_not = (f"its allowed phrases exceed Discord's {MAX_ALLOW} of at most "
                       f"{MAX_ALLOW_CHARS} characters: Discord would block what it allows")
        return out
    if not keywords and not patterns:
        out.why_not = "nothing Discord can match the same way"
        return out
    count = max(math.ceil(len(keywords) / MAX_KEYWORDS), math.ceil(len(patterns) / MAX_PATTERNS))
    roles = tuple(_exempt_roles(section, rule, settings))
    channels = tuple(dict.fromkeys([*section.exempt.channels, *rule.exempt.channels,
                                    *extra_channels]))
    out.rules = tuple(
        KeywordRule(key=rule_id if n == 0 else f"{rule_id}#{n + 1}", keywords=words,
                    patterns=found, allow=tuple(allow), message=message[:MAX_MESSAGE_CHARS],
                    exempt_roles=roles, exempt_channels=channels)
        for n, (words, found) in enumerate(zip(
            _chunks(keywords, MAX_KEYWORDS, count), _chunks(patterns, MAX_PATTERNS, count),
            strict=True)))
    return out


def _message(rule_id: str, rule: Rule, catalog: Catalog | None, lang: str) -> str:
    if rule.reason:
        texts: dict[str, str] = {str(k): v for k, v in rule.reason.items()}
        return texts.get(lang) or next(iter(texts.values()))
    if catalog is None:
        return ""
    return catalog.render("automod.native.blocked", lang, {"rule": rule_id})


def _override_channels(rules: RuleSet, community: str) -> list[str]:
    """Channels where an override changes automod: Discord's rule leaves them to Vigie."""
    found: list[str] = []
    for override in rules.overrides:
        if "automod" in override.layer:
            found += sorted(override.when.named("channel"))
    return found


def compile_section(rules: RuleSet, community: str,
                    catalog: Catalog | None = None) -> list[Published]:
    """Every automod rule of a community as platform keyword rules ([] when not opted in)."""
    settings = rules.community(community)
    section = getattr(settings, "automod", None)
    if not isinstance(section, AutomodSettings) or not section.enabled or not section.native:
        return []
    extra = _override_channels(rules, community)
    return [compile_rule(rule_id, rule, section, settings,
                         _message(rule_id, rule, catalog, settings.language), extra)
            for rule_id, rule in section.rules.items()]


def check_lines(rules: RuleSet) -> list[str]:
    """`vigie check`'s lines: for each scope that publishes, what each rule becomes."""
    lines: list[str] = []
    scopes = [("defaults", "discord:defaults")] + [
        (c, c) for c in rules.communities if platform_of(c) in PLATFORMS]
    for label, community in scopes:
        settings = rules.fallback if label == "defaults" else rules.community(community)
        section = getattr(settings, "automod", None)
        if not isinstance(section, AutomodSettings) or not section.native or \
                not section.enabled:
            continue
        compiled = compile_section(rules, community) if label != "defaults" else [
            compile_rule(rule_id, rule, section, settings, "")
            for rule_id, rule in section.rules.items()]
        total = sum(len(p.rules) for p in compiled)
        lines.append(f"{label}: Discord AutoMod: {total} keyword rule(s) of the "
                     f"{MAX_KEYWORD_RULES} a server allows (shared with the server's own)")
        lines += [f"{label}: {p.line()}" for p in compiled]
        if total > MAX_KEYWORD_RULES:
            lines.append(f"{label}: warning: only the first {MAX_KEYWORD_RULES} are published")
    return lines


class NativeRules(Plugin):
    """The automod plugin's side of the platform's keyword rules (mixed into the plugin)."""

    def keyword_rules(self, rules: RuleSet, community: str) -> list[KeywordRule]:
        """What to publish on a community's platform (core's keyword rule sync asks)."""
        if platform_of(community) not in PLATFORMS:
            return []
        return [rule for published in compile_section(rules, community, self.ctx.services.catalog)
                for rule in published.rules]

    @hook(Phase.OBSERVE, PlatformAutomodAction)
    async def blocked(self, event: PlatformAutomodAction, ctx: EventContext) -> Decision | None:
        """Discord blocked a message under one of Vigie's rules: that rule's other actions."""
        if event.action != "block":
            return None
        key = await owner_of(self.ctx.services.store, event.community, event.rule_id)
        if key is None:
            return None  # not one of Vigie's rules: recorded by the core as the server's own
        rule_id = key.partition("#")[0]
        section = getattr(ctx.settings, "automod", None)
        rule = section.rules.get(rule_id) if isinstance(section, AutomodSettings) else None
        catalog, lang = self.ctx.services.catalog, ctx.settings.language
        evidence = automod_evidence(event, catalog, lang)
        if rule is None:
            return Decision(rule=rule_id, evidence=evidence)
        reason = catalog.text(Localized.of({str(k): v for k, v in rule.reason.items()}),
                              lang) if rule.reason else \
            catalog.render("automod.reason", lang, {"rule": rule_id})
        message = MessageCreated(id=event.id, ts=event.ts, community=event.community,
                                 channel=event.channel or event.community, author=event.user,
                                 text=event.content)
        built = Built(event=message, rule=rule_id, reason=reason, related=(),
                      evidence=evidence)
        claim = execution_claim(event)
        actions: list[Action] = []
        for model in rule.actions:
            if isinstance(model, _FOLLOWING):
                for action in model.build(built):
                    if isinstance(action, Sanction):
                        action = replace(action, claims=(claim,))
                    if isinstance(action, Alert | Dm | Sanction):
                        actions.append(action)
        return Decision(rule=rule_id, actions=tuple(actions), evidence=evidence)


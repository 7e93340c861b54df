"""Rules compiled once per settings object, and run against each message in one pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.permissions import Role
from plugins.automod.actions import ActionModel
from plugins.automod.matching import Compiler
from plugins.automod.settings import AutomodSettings, Exemptions, Rule
from plugins.automod.state import Post
from plugins.automod.triggers import Facts, Hit, Node, compile_trigger

__all__ = ["CompiledRule", "Engine"]

_NEVER = Role.ADMIN + 1


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to run: its node, effective mode and exemptions."""

    id: str
    rule: Rule
    node: Node
    monitor: bool
    exempt_from: int
    exempt_roles: frozenset[str]
    exempt_channels: frozenset[str]
    exempt_users: frozenset[str]
    on_edits: bool
    listed: bool  # whether any role, channel or user is exempt by name
    reasons: dict[str, str] = field(default_factory=dict, compare=False)  # by language, once

    @property
    def actions(self) -> tuple[ActionModel, ...]:
        """The rule's actions."""
        return self.rule.actions

    def exempts(self, facts: Facts) -> bool:
        """Whether the author or the channel is exempt from this rule by name (exemption by
        role is settled when the engine compiles)."""
        author = facts.event.author
        if author.id in self.exempt_users or facts.event.channel in self.exempt_channels:
            return True
        return bool(self.exempt_roles) and not self.exempt_roles.isdisjoint(
            author.platform_roles)


def _threshold(section: Exemptions, rule: Exemptions) -> int:
    chosen = rule if rule.role_at_least is not None else section
    role = chosen.threshold()
    return _NEVER if role is None else int(role)


def _uses_state(trigger: object) -> bool:
    from plugins.automod.triggers import AllOf, AnyOf, NotOf, TriggerModel

    if isinstance(trigger, AllOf):
        return any(_uses_state(t) for t in trigger.all)
    if isinstance(trigger, AnyOf):
        return any(_uses_state(t) for t in trigger.any)
    if isinstance(trigger, NotOf):
        return _uses_state(trigger.not_)
    return isinstance(trigger, TriggerModel) and not type(trigger).on_edits


class Engine:
    """Every enabled rule of one `automod:` section, compiled; shared scans built once."""

    def __init__(self, settings: AutomodSettings) -> None:
        compiler = Compiler()
        self.rules: list[CompiledRule] = []
        for rule_id, rule in settings.rules.items():
            if not rule.enabled:
                continue
            exempt = rule.exempt
            roles = frozenset(settings.exempt.roles) | frozenset(exempt.roles)
            channels = frozenset(settings.exempt.channels) | frozenset(exempt.channels)
            users = frozenset(settings.exempt.users) | frozenset(exempt.users)
            self.rules.append(CompiledRule(
                id=rule_id, rule=rule, node=compile_trigger(rule.trigger, compiler),
                monitor=(rule.mode or settings.mode) == "monitor",
                exempt_from=_threshold(settings.exempt, exempt), exempt_roles=roles,
                exempt_channels=channels, exempt_users=users,
                on_edits=not _uses_state(rule.trigger), listed=bool(roles or channels or users)))
        compiler.finish()
        self.words = compiler.words if compiler.words.entries else None
        self.patterns = compiler.patterns if compiler.patterns.targets else None
        self.needs = frozenset(compiler.needs)
        self.window = compiler.window  # how far back rate and duplicate rules look, seconds
        self._first = "first" in self.needs
        self._members = "members" in self.needs
        self._texts = "texts" in self.needs
        self.text_key: Callable[[str], int] = hash  # stable_key when workers share windows
        self.everyone_exempt_from = max((r.exempt_from for r in self.rules), default=_NEVER)
        self._ungated = [i for i, r in enumerate(self.rules) if r.node.gate is None]
        self._by_slot: dict[int, list[int]] = {}
        for index, compiled in enumerate(self.rules):
            for slot in compiled.node.gate or ():
                self._by_slot.setdefault(slot, []).append(index)
        # Who is exempt by role and which rules skip edits is known now, not per message.
        self._applies = {(role, edited): frozenset(
            i for i, r in enumerate(self.rules)
            if role < r.exempt_from and (r.on_edits or not edited))
            for role in Role for edited in (False, True)}
        self._always = {key: [self.rules[i] for i in self._ungated if i in applies]
                        for key, applies in self._applies.items()}

    def prepare(self, facts: Facts) -> None:
        """Scan the text once for every word list and pattern; remember the post if needed."""
        if self.words is not None:
            self.words.scan(facts.text, facts.fired)
        if self.patterns is not None:
            self.patterns.scan(facts.text, facts.fired)
        if facts.edited or not self.needs:
            return
        event = facts.event
        if self._first:
            facts.cache["first"] = facts.state.first_message(event.community, event.author.id)
        if self._members or self._texts:
            letters = facts.text.skeleton  # same letters and digits, whatever the spacing
            post = Post(facts.now.timestamp(), event.channel, event.id, event.author.id,
                        self.text_key(letters) if letters else None, len(letters))
            cache = facts.cache
            cache["post"] = post
            cache["member_posts"], cache["text_posts"] = facts.state.remember(
                event.community, post, self._members, self._texts, self.window)

    def candidates(self, facts: Facts) -> list[CompiledRule]:
        """Rules that could fire, in rule order: those needing no scan match and those whose
        scan matched, less those the author's role or an edit exempts from."""
        key = (facts.ctx.role, facts.edited)
        if not facts.fired:
            return self._always[key]
        indexes = set(self._ungated)
        for slot in facts.fired:
            indexes.update(self._by_slot.get(slot, ()))
        applies = self._applies[key]
        return [self.rules[i] for i in sorted(indexes) if i in applies]

    def run(self, facts: Facts) -> list[tuple[CompiledRule, list[Hit]]]:
        """Every rule that fires on this message, with its hits, in rule order."""
        self.prepare(facts)
        return self.evaluate(facts)

    def evaluate(self, facts: Facts) -> list[tuple[CompiledRule, list[Hit]]]:
        """The rules that fire, once `prepare` (and any sharing of its windows) is done."""
        fired = []
        for compiled in self.candidates(facts):
            if compiled.listed and compiled.exempts(facts):
                continue
            hits = compiled.node.check(facts)
            if hits is not None:
                fired.append((compiled, hits))
        return fired

"""Keyword rules a platform enforces itself (Discord AutoMod), in neutral form, and their limits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Protocol, runtime_checkable

from bot.adapters.base import ActionResult

__all__ = [
    "MAX_ALLOW",
    "MAX_ALLOW_CHARS",
    "MAX_EXEMPT_CHANNELS",
    "MAX_EXEMPT_ROLES",
    "MAX_KEYWORDS",
    "MAX_KEYWORD_CHARS",
    "MAX_KEYWORD_RULES",
    "MAX_MESSAGE_CHARS",
    "MAX_NAME_CHARS",
    "MAX_PATTERNS",
    "MAX_PATTERN_CHARS",
    "NAME_PREFIX",
    "KeywordRule",
    "KeywordRuleHost",
    "PublishedRule",
    "check_limits",
]

# Discord's documented limits for a KEYWORD AutoMod rule (developers/resources/auto-moderation).
MAX_KEYWORD_RULES = 6  # KEYWORD rules per server, the server's own included
MAX_KEYWORDS = 1000  # keyword_filter entries per rule
MAX_KEYWORD_CHARS = 60  # characters per keyword
MAX_PATTERNS = 10  # regex_patterns per rule (Rust-flavoured regex)
MAX_PATTERN_CHARS = 260  # characters per pattern
MAX_ALLOW = 100  # allow_list entries per KEYWORD rule
MAX_ALLOW_CHARS = 60  # characters per allow_list entry
MAX_MESSAGE_CHARS = 150  # the block action's custom_message
MAX_NAME_CHARS = 100  # a rule's name
MAX_EXEMPT_ROLES = 20
MAX_EXEMPT_CHANNELS = 50

NAME_PREFIX = "Vigie · "
"""Every rule Vigie publishes is named `Vigie · <rule id>`: how people tell them apart."""


@dataclass(frozen=True, slots=True)
class KeywordRule:
    """One platform keyword rule compiled from a rule of the rule file: it blocks the message."""

    key: str
    """Stable identity: the automod rule id, with `#2`... when it needed several rules."""
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    message: str = ""
    """Shown to the member whose message is blocked."""
    exempt_roles: tuple[str, ...] = ()
    """Role names or qualified role ids; the adapter keeps those the platform knows."""
    exempt_channels: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The name the platform shows."""
        return f"{NAME_PREFIX}{self.key}"[:MAX_NAME_CHARS]

    @property
    def rule_id(self) -> str:
        """The automod rule it was compiled from."""
        return self.key.partition("#")[0]

    def digest(self) -> str:
        """A hash of everything published: unchanged rules are not sent again."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True,
                                         ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PublishedRule:
    """A keyword rule as the platform lists it."""

    id: str
    name: str
    mine: bool
    """Created by this bot (the platform's creator field)."""


@runtime_checkable
class KeywordRuleHost(Protocol):
    """An adapter whose platform enforces keyword rules itself (Discord AutoMod)."""

    async def keyword_rules(self, community: str) -> list[PublishedRule]:
        """The community's keyword rules, every author's."""
        ...

    async def create_keyword_rule(self, community: str, rule: KeywordRule) -> ActionResult:
        """Create a rule; the new rule's id in `message_id`."""
        ...

    async def edit_keyword_rule(self, community: str, rule_id: str,
                                rule: KeywordRule) -> ActionResult:
        """Replace what a rule checks and does."""
        ...

    async def delete_keyword_rule(self, community: str, rule_id: str) -> ActionResult:
        """Delete a rule."""
        ...


def check_limits(rule: KeywordRule) -> list[str]:
    """What in a compiled rule the platform would refuse (empty: it fits)."""
    problems = []
    if not rule.keywords and not rule.patterns:
        problems.append("nothing to match")
    if len(rule.keywords) > MAX_KEYWORDS:
        problems.append(f"{len(rule.keywords)} keywords (at most {MAX_KEYWORDS})")
    problems += [f"keyword {k!r} longer than {MAX_KEYWORD_CHARS}" for k in rule.keywords
                 if len(k) > MAX_KEYWORD_CHARS]
    if len(rule.patterns) > MAX_PATTERNS:
        problems.append(f"{len(rule.patterns)} patterns (at most {MAX_PATTERNS})")
    problems += [f"pattern {p!r} longer than {MAX_PATTERN_CHARS}" for p in rule.patterns
                 if len(p) > MAX_PATTERN_CHARS]
    if len(rule.allow) > MAX_ALLOW:
        problems.append(f"{len(rule.allow)} allowed phrases (at most {MAX_ALLOW})")
    problems += [f"allowed phrase {a!r} longer than {MAX_ALLOW_CHARS}" for a in rule.allow
                 if len(a) > MAX_ALLOW_CHARS]
    if len(rule.message) > MAX_MESSAGE_CHARS:
        problems.append(f"message longer than {MAX_MESSAGE_CHARS}")
    return problems


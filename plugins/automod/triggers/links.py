"""Links: invites to other Discord servers or Telegram groups, and denied or unlisted domains."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import re2
from pydantic import AfterValidator, Field, model_validator

from bot.i18n import Msg
from bot.text import fold
from plugins.automod.triggers.base import Facts, Hit, Node, TriggerModel, register

if TYPE_CHECKING:
    from plugins.automod.matching import Compiler

__all__ = ["LinksTrigger", "find_invites", "find_links"]

# Our own patterns run on Python's `re`, several times faster than RE2's wrapper on short
# messages. They are written to take linear time on any text: white space runs sit between
# literals, and a host is only tried from its first character (the look-behind), so each
# character is looked at a bounded number of times. Admins' patterns run on RE2.
_DISCORD = re.compile(
    r"(?:discord(?:app)?\s*\.\s*com\s*/\s*invite|discord\s*\.\s*(?:gg|io|me|li)"
    r"|dsc\s*\.\s*gg|invite\s*\.\s*gg)\s*/\s*([a-z0-9-]{2,40})")
_TELEGRAM = re.compile(
    r"(?:(?:t|telegram)\s*\.\s*(?:me|dog)\s*/\s*(?:\+|joinchat\s*/\s*)"
    r"|tg\s*:\s*/\s*/\s*join\s*\?\s*invite\s*=\s*)([a-z0-9_-]{4,64})")
_HOST = re.compile(
    r"(?<![a-z0-9.@_/-])((?:https?|ftp)://)?"
    r"((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9])")
_DOMAIN = re2.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")
# Top-level domains common enough that a bare `name.tld` is taken for a link.
COMMON_TLDS = frozenset((
    "com", "net", "org", "info", "biz", "io", "gg", "me", "co", "ly", "app", "dev", "xyz",
    "site", "online", "live", "shop", "store", "top", "club", "fun", "link", "click", "tk", "ml",
    "ga", "cf", "gq", "ru", "su", "fr", "de", "uk", "be", "ch", "ca", "us", "eu", "es", "it",
    "nl", "pl", "br", "in", "cn", "jp", "kr", "tv", "cc", "to", "sh", "ai"))


@dataclass(frozen=True, slots=True)
class Invite:
    """An invite found in a message: its platform, code and where it is in the folded text."""

    platform: str
    code: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a message: its host and where it is in the folded text."""

    host: str
    explicit: bool
    start: int
    end: int


def _has_host(plain: str) -> bool:
    """Whether a dot sits between a letter or digit and a letter (a host could be there)."""
    at = plain.find(".", 1)
    while at != -1 and at + 1 < len(plain):
        if plain[at - 1].isalnum() and plain[at + 1].isalpha():
            return True
        at = plain.find(".", at + 1)
    return False


def find_invites(plain: str) -> list[Invite]:
    """Discord and Telegram invites in folded text, spaces around dots and slashes tolerated."""
    if "/" not in plain:
        return []
    found = [Invite("discord", m.group(1), m.start(), m.end()) for m in _DISCORD.finditer(plain)]
    found += [Invite("telegram", m.group(1), m.start(), m.end())
              for m in _TELEGRAM.finditer(plain)]
    return found


def find_links(plain: str) -> list[Link]:
    """Hosts of links in folded text: with a scheme, `www.`, or a common top-level domain."""
    if not _has_host(plain):
        return []
    links = []
    for match in _HOST.finditer(plain):
        host = match.group(2)
        explicit = bool(match.group(1)) or host.startswith("www.")
        if explicit or host.rsplit(".", 1)[1] in COMMON_TLDS:
            links.append(Link(host.removeprefix("www."), explicit, *match.span(2)))
    return links


def _domain(value: str) -> str:
    folded = fold(value).strip().removeprefix("https://").removeprefix("http://")
    folded = folded.split("/", 1)[0].removeprefix("www.").removeprefix("*.")
    if not _DOMAIN.fullmatch(folded):
        raise ValueError(f"{value!r} is not a domain name (e.g. example.com)")
    return folded


def _invite(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty invite matches nothing")
    return value


Domain = Annotated[str, AfterValidator(_domain)]
InviteRef = Annotated[str, AfterValidator(_invite)]


def _within(host: str, domains: frozenset[str]) -> bool:
    if host in domains:
        return True
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(1, len(parts) - 1))


class _LinksNode(Node):
    def __init__(self, trigger: LinksTrigger) -> None:
        self.invites = trigger.invites
        self.all_links = trigger.all_links
        self.deny = frozenset(trigger.deny)
        self.allow = frozenset(trigger.allow)
        self.allowed_invites: set[tuple[str, str]] = set()
        self.allowed_codes: set[str] = set()
        for entry in trigger.allow_invites:
            folded = fold(entry).strip()
            parsed = find_invites(folded)
            if parsed:
                self.allowed_invites.update((i.platform, i.code) for i in parsed)
            else:
                self.allowed_codes.add(folded.lstrip("+"))
        self.cost = 2

    def check(self, facts: Facts) -> list[Hit] | None:
        text = facts.text
        plain = text.plain
        if "." not in plain and "/" not in plain:  # no host and no invite: nothing to look at
            return None
        found: dict[str, Any] = facts.cache.setdefault("links", {})
        if self.invites:
            if "invites" not in found:
                found["invites"] = find_invites(text.plain)
            for invite in found["invites"]:
                if (invite.platform, invite.code) in self.allowed_invites \
                        or invite.code in self.allowed_codes:
                    continue
                return [_hit(facts, "invite", invite.start, invite.end,
                             platform=invite.platform)]
        if self.deny or self.all_links:
            if "links" not in found:
                found["links"] = find_links(text.plain)
            for link in found["links"]:
                if _within(link.host, self.allow):
                    continue
                if _within(link.host, self.deny):
                    return [_hit(facts, "denied", link.start, link.end, host=link.host)]
                if self.all_links:
                    return [_hit(facts, "not_allowed", link.start, link.end,
                                 host=link.host)]
        return None


def _hit(facts: Facts, what: str, start: int, end: int, **params: str) -> Hit:
    """`automod.evidence.link.<what>`: what was found, where, and the text as written."""
    raw_start, raw_end = facts.text.plain_span(start, end)
    shown = facts.text.raw[raw_start:raw_end].strip()
    return Hit(Msg.of(f"automod.evidence.link.{what}", start=raw_start, end=raw_end,
                      shown=repr(shown[:80]), **params))


@register("links")
class LinksTrigger(TriggerModel):
    """Invites to other communities, links to denied domains, or any link not allowed."""

    type: Literal["links"] = "links"
    invites: bool = Field(False, description="Discord and Telegram invites (discord.gg, "
                                             "discord.com/invite, t.me/+..., t.me/joinchat).")
    allow_invites: tuple[InviteRef, ...] = Field(
        (), description="Your own invites, e.g. discord.gg/brand or t.me/+AbCdEf.")
    deny: tuple[Domain, ...] = Field((), description="Domains (and their subdomains) refused.")
    allow: tuple[Domain, ...] = Field((), description="Domains always fine.")
    all_links: bool = Field(False, description="Any link to a domain not in `allow`.")

    @model_validator(mode="after")
    def _something_to_find(self) -> LinksTrigger:
        if not (self.invites or self.deny or self.all_links):
            raise ValueError("a links trigger needs `invites: true`, `deny` or `all_links: true`")
        return self

    def compile(self, compiler: Compiler) -> Node:
        """A node that looks for links once per message (shared between link triggers)."""
        return _LinksNode(self)

"""A post as each platform shows it: Discord markdown (no pings), Telegram HTML (escaped), plain
text on the console; cut at paragraphs, then lines, then words, within each platform's limit."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.events import platform_of

__all__ = ["LIMITS", "Rendered", "discord_text", "render", "split", "telegram_html"]

LIMITS = {"discord": 2000, "discord-embed": 4096, "telegram": 4096, "console": 4000}
"""Characters per message (Telegram counts UTF-16 units)."""
_ZWSP = "\u200b"
_MASS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_ROLE = re.compile(r"<@&(\d+)>")
_URL = re.compile(r"(?<![<(\w])(https?://[^\s<>()]+)")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_UNDER = re.compile(r"__(?=\S)(.+?)(?<=\S)__")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|"
                     r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True, slots=True)
class Rendered:
    """The messages of one post on one platform, and how the adapter must read them."""

    platform: str
    parts: tuple[str, ...]
    markup: str  # "markdown", "embed", "html" or "plain"


def discord_text(text: str, *, preview: bool = True) -> str:
    """Discord markdown as written; @everyone/@here and role mentions cannot ping (a zero-width
    space breaks them, and the adapter sends with no allowed mentions); no previews: <url>."""
    text = _MASS.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text)
    text = _ROLE.sub(lambda m: f"<@{_ZWSP}&{m.group(1)}>", text)
    if not preview:
        text = _URL.sub(r"<\1>", text)
    return text


def telegram_html(text: str) -> str:
    """Telegram HTML: <, > and & escaped, then **bold**, *italic*, __underline__, ~~strike~~,
    `code` and [label](url) as tags (the URL quoted)."""
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{html.escape(match.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _CODE.sub(keep_code, text)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label = html.escape(match.group(1), quote=False)
        links.append(f'<a href="{html.escape(match.group(2), quote=True)}">{label}</a>')
        return f"\x01{len(links) - 1}\x01"

    out = _LINK.sub(keep_link, out)
    out = html.escape(out, quote=False)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _UNDER.sub(r"<u>\1</u>", out)
    out = _STRIKE.sub(r"<s>\1</s>", out)
    out = _ITALIC.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", out)
    out = re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], out)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split(text: str, convert: Callable[[str], str], limit: int,
          size: Callable[[str], int] = len) -> list[str]:
    """Cut `text` into pieces whose converted form fits `limit`: whole paragraphs where they
    fit, else lines, else words, else (a word longer than a message) characters."""
    def fits(piece: str) -> bool:
        return size(convert(piece)) <= limit

    def pack(units: list[str], glue: str, finer: Callable[[str], list[str]]) -> list[str]:
        out: list[str] = []
        current = ""
        for unit in units:
            candidate = f"{current}{glue}{unit}" if current else unit
            if fits(candidate):
                current = candidate
                continue
            if current:
                out.append(current)
            if fits(unit):
                current = unit
            else:
                pieces = finer(unit)
                out.extend(pieces[:-1])
                current = pieces[-1] if pieces else ""
        if current:
            out.append(current)
        return out

    def by_chars(word: str) -> list[str]:
        pieces, current = [], ""
        for char in word:
            if current and not fits(current + char):
                pieces.append(current)
                current = ""
            current += char
        return [*pieces, current] if current else pieces

    def by_words(line: str) -> list[str]:
        return pack(line.split(" "), " ", by_chars)

    def by_lines(paragraph: str) -> list[str]:
        return pack(paragraph.split("\n"), "\n", by_words)

    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return [convert(piece) for piece in pack(paragraphs, "\n\n", by_lines)]


def render(text: str, channel: str, *, link: str | None = None, preview: bool = True,
           embed: bool = False) -> Rendered:
    """The post's text (in the reader's language) for the platform of `channel`."""
    platform = platform_of(channel)
    source = f"{text.strip()}\n\n{link}" if link else text.strip()
    if platform == "discord":
        key = "discord-embed" if embed else "discord"
        parts = split(source, lambda t: discord_text(t, preview=preview), LIMITS[key])
        return Rendered(platform, tuple(parts), "embed" if embed else "markdown")
    if platform == "telegram":
        parts = split(source, telegram_html, LIMITS["telegram"], _utf16)
        return Rendered(platform, tuple(parts), "html")
    parts = split(source, lambda t: t, LIMITS.get(platform, LIMITS["console"]))
    return Rendered(platform, tuple(parts), "plain")

"""What Vigie's text looks like on Discord: messages within 2,000 characters, embeds, buttons."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapters.base import RenderedButton

__all__ = [
    "BUTTON_PREFIX",
    "MAX_BUTTONS",
    "MAX_CUSTOM_ID",
    "ButtonRow",
    "alert_embed",
    "button_view",
    "custom_id_of",
    "split_text",
]

MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096
MAX_BUTTONS = 25
BUTTON_PREFIX = "vigie:"
MAX_CUSTOM_ID = 100 - len(BUTTON_PREFIX)
MAX_LABEL = 80
ALERT_COLOUR = discord.Colour.orange()


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters, at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()] or ([text[:limit]] if text else [])


def alert_embed(text: str) -> discord.Embed:
    """An alert or case notice for CMs: easy to spot in the alerts channel."""
    return discord.Embed(description=text, colour=ALERT_COLOUR,
                         timestamp=discord.utils.utcnow())


class ButtonRow(discord.ui.View):
    """Buttons only: Vigie reads clicks from interactions, so discord.py keeps no view state."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    def is_dispatchable(self) -> bool:
        """Never stored by discord.py: clicks go to the adapter's interaction listener."""
        return False


def custom_id_of(button: RenderedButton) -> str:
    """The custom id sent to Discord: Vigie's prefix, so clicks on other bots' views are left."""
    return f"{BUTTON_PREFIX}{button.custom_id}"


def button_view(buttons: Sequence[RenderedButton]) -> ButtonRow | None:
    """A row of buttons (five per row); callers check the limits first."""
    if not buttons:
        return None
    view = ButtonRow()
    for index, button in enumerate(buttons):
        view.add_item(discord.ui.Button(style=discord.ButtonStyle.secondary,
                                        label=button.label[:MAX_LABEL] or button.custom_id,
                                        custom_id=custom_id_of(button), row=index // 5))
    return view

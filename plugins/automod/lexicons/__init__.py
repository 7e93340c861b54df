"""Built-in word lists, referenced by name; they live in the core (`bot.text.lexicons`), shared."""

from __future__ import annotations

from bot.text.lexicons import Lexicon, get_lexicon, lexicon_names

__all__ = ["Lexicon", "get_lexicon", "lexicon_names"]

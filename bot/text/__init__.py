"""Text normalisation shared by plugins: fold once per message, match against word views."""

from bot.text.fold import fold, fold_char
from bot.text.normalize import (
           MAX_CHARS,
           SQUEEZABLE,
           NormalizedText,
           View,
           ViewSpec,
           unrepeated,
           word_forms,
           word_skeleton,
)

__all__ = ["MAX_CHARS", "SQUEEZABLE", "NormalizedText", "View", "ViewSpec", "fold", "fold_char",
           "unrepeated", "word_forms", "word_skeleton"]

"""Sentiment of chat messages in French and English, from public lexicons read offline."""

from plugins.reputation.sentiment.score import Label, Sentiment, guess_language, label_of, score

__all__ = ["Label", "Sentiment", "guess_language", "label_of", "score"]

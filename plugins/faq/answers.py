"""An FAQ answer as the bot posts it: text in one language, links, and the vote buttons."""

from __future__ import annotations

import hashlib

from bot.actions import Button, Reply
from bot.i18n import Catalog, Localized
from plugins.faq.settings import LANGS, Entry

__all__ = ["VOTE_PREFIX", "answer_language", "answer_reply", "parse_vote", "question_key",
           "render_answer"]

VOTE_PREFIX = "faq:"
QKEY_BYTES = 6


def answer_language(entry: Entry, wanted: str) -> str:
    """`wanted` when the entry has an answer in it, else a language it has one in."""
    if entry.answer_in(wanted) is not None:
        return wanted
    return next(lang for lang in LANGS if entry.answer_in(lang) is not None)


def render_answer(catalog: Catalog, entry: Entry, lang: str, prefix: str,
                  requested: bool = False) -> str:
    """The answer's text in `lang` (which the entry must have), with its links."""
    links = []
    for link in entry.links:
        url = link if isinstance(link, str) else next(
            (u for key, u in link.items() if key == lang), next(iter(link.values())))
        links.append(f"\n🔗 {url}")
    key = "faq.answer.requested" if requested else "faq.answer"
    return catalog.render(key, lang, {"answer": (entry.answer_in(lang) or "").strip(),
                                      "links": "".join(links), "prefix": prefix,
                                      "id": entry.id})


def question_key(message_id: str | None) -> str:
    """A short key of the question an answer replies to (carried by the vote buttons, so a
    vote finds its question; short enough for Telegram's 64-byte button data)."""
    if not message_id:
        return ""
    return hashlib.blake2s(message_id.encode(), digest_size=QKEY_BYTES).hexdigest()


def answer_reply(catalog: Catalog, entry: Entry, lang: str, *, channel: str,
                 message_id: str | None, prefix: str, buttons: bool,
                 requested: bool = False) -> Reply:
    """A reply carrying the answer in `lang`, with helpful / not helpful buttons if wanted."""
    lang = answer_language(entry, lang)
    text = Localized.of({lang: render_answer(catalog, entry, lang, prefix, requested)})
    shown: tuple[Button, ...] = ()
    qkey = f":{question_key(message_id)}" if message_id else ""
    if buttons:
        shown = tuple(
            Button(custom_id=f"{VOTE_PREFIX}{'up' if up else 'down'}:{entry.id}{qkey}",
                   label=Localized.of({lang: catalog.render(key, lang)}))
            for up, key in ((True, "faq.button.helpful"), (False, "faq.button.unhelpful")))
    return Reply(channel=channel, message_id=message_id, text=text, buttons=shown)


def parse_vote(custom_id: str) -> tuple[str, bool, str] | None:
    """(entry id, helpful, question key or "") from a vote button's id; None for buttons that
    are not votes."""
    if not custom_id.startswith(VOTE_PREFIX):
        return None
    kind, _, rest = custom_id.removeprefix(VOTE_PREFIX).partition(":")
    entry, _, qkey = rest.partition(":")
    if kind not in ("up", "down") or not entry or len(entry) > 40 \
            or len(qkey) > 2 * QKEY_BYTES:
        return None
    return entry, kind == "up", qkey

"""The welcome's text: the greeting, the community's rules and the FAQ's topics, one language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.i18n import Catalog
from bot.settings.models import CoreSettings
from bot.settings.templates import fill_template
from plugins.welcome.settings import WelcomeSettings

__all__ = ["faq_topics", "names_line", "welcome_text"]


def names_line(catalog: Catalog, lang: str, names: Sequence[str], limit: int) -> str:
    """`alice`, `alice and bob`, `alice, bob and carol`, `alice, bob and 3 others`."""
    shown, rest = list(names[:limit]), len(names) - limit
    if rest > 0:
        return catalog.render("welcome.and_others", lang,
                              {"names": ", ".join(shown), "count": rest})
    if len(shown) == 1:
        return shown[0]
    return catalog.render("welcome.and", lang, {"first": ", ".join(shown[:-1]),
                                                "last": shown[-1]})


def faq_topics(settings: CoreSettings, lang: str) -> list[str]:
    """The FAQ's topics as the rule file titles them (its `faq:` section, when on)."""
    faq: Any = getattr(settings, "faq", None)
    if faq is None or not getattr(faq, "enabled", False):
        return []
    topics = []
    for entry in getattr(faq, "entries", ()):
        title = getattr(entry, "title", {}) or {}
        topics.append(title.get(lang) or next(iter(title.values()), None) or entry.id)
    return topics


def welcome_text(catalog: Catalog, settings: CoreSettings, section: WelcomeSettings,
                 lang: str, names: Sequence[str], community: str) -> str:
    """The whole welcome in `lang`."""
    values = {"members": names_line(catalog, lang, names, section.max_names),
              "community": settings.name or community}
    own = _in(section.text, lang)
    lines = [fill_template(own, values) if own
             else catalog.render("welcome.default", lang, values)]
    rules = _in(settings.rules_text, lang) if section.show_rules else None
    if rules:
        lines.append(catalog.render("welcome.rules", lang, {"rules": rules.strip()}))
    topics = faq_topics(settings, lang) if section.show_faq else []
    if topics:
        lines.append(catalog.render("welcome.faq", lang, {"topics": ", ".join(topics)}))
    return "\n\n".join(lines)


def _in(texts: Mapping[Any, str], lang: str) -> str | None:
    """The text in `lang`, if the rule file gives one."""
    return texts.get(lang)

"""What an automod rule in monitor mode would have done, read back from the evidence it audited
(`monitor, would delete the message, warn the member: ...`, in the community's language)."""

from __future__ import annotations

import re

from bot.i18n import LANGUAGES, Catalog

__all__ = ["KINDS", "WouldReader"]

KINDS = ("delete", "warn", "timeout", "kick", "ban", "ban_temp", "slowmode", "lock", "alert",
         "reply", "dm", "nothing")
"""automod's action kinds (`automod.does.<kind>` in the catalog)."""
EVIDENCE = "automod.evidence.monitor"
_SLOT = "\x00"
SLOTS = {"duration": _SLOT, "interval": _SLOT}
"""The placeholders of automod's action summaries."""


def _pattern(template: str) -> str:
    """A rendered template whose placeholders were _SLOT, as a regex matching any value."""
    return ".+?".join(re.escape(part) for part in template.split(_SLOT))


class WouldReader:
    """Action kinds named in a monitor-mode evidence text, in any language of the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._evidence: list[re.Pattern[str]] | None = None
        self._kinds: list[tuple[re.Pattern[str], str]] = []

    def _load(self) -> list[re.Pattern[str]]:
        """The patterns, built at first use (every plugin's messages are in the catalog by
        then)."""
        self._evidence = []
        catalog = self.catalog
        if not catalog.has(EVIDENCE):
            return self._evidence  # automod is not loaded: nothing of it to read
        for lang in LANGUAGES:
            slots = {"actions": "\x01", "evidence": "\x02"}
            text = catalog.render(EVIDENCE, lang, slots)
            head, _, rest = text.partition("\x01")
            middle = rest.partition("\x02")[0]
            self._evidence.append(re.compile(f"^{re.escape(head)}(.*?){re.escape(middle)}"))
            for kind in KINDS:
                key = f"automod.does.{kind}"
                if catalog.has(key):
                    shown = catalog.render(key, lang, SLOTS)
                    self._kinds.append((re.compile(f"^{_pattern(shown)}$"), kind))
        return self._evidence

    def kinds(self, evidence: str) -> list[str]:
        """The action kinds a monitor-mode evidence names, in order; [] when unreadable."""
        patterns = self._evidence if self._evidence is not None else self._load()
        for pattern in patterns:
            found = pattern.match(evidence)
            if found is None:
                continue
            out = []
            for shown in found.group(1).split(", "):
                kind = next((k for p, k in self._kinds if p.match(shown.strip())), None)
                if kind is not None and kind not in out:
                    out.append(kind)
            return out
        return []


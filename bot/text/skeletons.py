"""A quick test that no entry of a word list can be in a message, without building its views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ahocorasick

from bot.text.normalize import SQUEEZABLE, NormalizedText, unrepeated, word_skeleton

__all__ = ["Skeletons"]


class Skeletons:
    """Tells, without building a message's word views, that no entry of a list is in any of
    them: an entry without its spaces must be in the text's skeleton (where views squeeze
    runs, with every run of one symbol counted once), starting and ending where a word can."""

    def __init__(self, keys: Iterable[str]) -> None:
        edges: dict[str, set[tuple[bool, bool]]] = {}
        for key in keys:
            edges.setdefault(word_skeleton(key), set()).add(
                (key.startswith(" "), key.endswith(" ")))
        # each skeleton: its length, whether entries must start or end a word there, and the
        # symbol it repeats if it is a run of three (views squeeze those: skeletons may differ)
        found: dict[str, tuple[int, tuple[tuple[bool, bool], ...], str]] = {
            char * 3: (3, (), char) for char in SQUEEZABLE}
        self._unrepeated: Any = ahocorasick.Automaton()
        for skeleton, needs in edges.items():
            found[skeleton] = (len(skeleton), tuple(needs), found.get(skeleton, (0, (), ""))[2])
            self._unrepeated.add_word(unrepeated(skeleton), True)
        self._skeletons: Any = ahocorasick.Automaton()
        for skeleton, value in found.items():
            self._skeletons.add_word(skeleton, value)
        self._skeletons.make_automaton()
        self._unrepeated.make_automaton()
        self.empty = not edges

    def may_match(self, text: NormalizedText) -> bool:
        """False when no key can be in any word view of `text`."""
        if self.empty:
            return False
        ones = False
        entries = []
        for end, (length, needs, run) in self._skeletons.iter(text.skeleton):
            if run == "1":
                ones = True  # `111` may be `ill`: ask the text whether views squeeze anything
            elif run:  # (whatever follows, the answer is the unrepeated skeletons')
                return self._in_unrepeated(text)
            if needs:
                entries.append((end, length, needs))
        if ones and text.squeezed:  # runs counted once, all skeletons are the same
            return self._in_unrepeated(text)
        if not entries:
            return False
        bounds = text.boundaries  # an entry must start and end where a word can
        return any((not starts or end + 1 - length in bounds) and (not ends or end + 1 in bounds)
                   for end, length, needs in entries for starts, ends in needs)

    def _in_unrepeated(self, text: NormalizedText) -> bool:
        """Whether an entry's skeleton, each run written once, is in the text's (the test when
        views squeeze runs)."""
        return next(self._unrepeated.iter(text.unrepeated), None) is not None

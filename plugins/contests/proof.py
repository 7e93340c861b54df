"""The published proof of a draw (a small JSON document) and its verification; no database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plugins.contests.draw import (
    VERSION,
    DrawError,
    canonical_entrants,
    commitment,
    draw_round,
    entrants_digest,
    is_seed,
)

__all__ = ["FORMAT", "Check", "Proof", "ProofError", "Round", "Verification", "verify"]

FORMAT = "vigie-draw-proof"


class ProofError(ValueError):
    """A proof document that cannot be read; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Round:
    """One drawing: the close (round 0) or a reroll, and the winners published for it (None:
    not given, so only recomputed)."""

    round: int
    count: int
    winners: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Proof:
    """Everything needed to recompute a contest's winners."""

    contest: int
    commitment: str
    seed: str
    entrants: tuple[str, ...]
    entrants_sha256: str
    rounds: tuple[Round, ...]
    prize: str = ""
    version: int = VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape, keys in a fixed order."""
        return {
            "format": FORMAT, "version": self.version, "contest": self.contest,
            "prize": self.prize, "commitment": self.commitment, "seed": self.seed,
            "entrants_sha256": self.entrants_sha256, "entrants": list(self.entrants),
            "rounds": [{"round": r.round, "count": r.count, "winners": list(r.winners or ())}
                       for r in self.rounds],
        }

    def to_json(self) -> str:
        """Compact JSON, one line, non-ASCII kept as is."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Proof:
        """Read a proof document; ProofError says which field is missing or malformed."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProofError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") \
                from None
        if not isinstance(data, dict):
            raise ProofError("expected a JSON object")
        if data.get("format", FORMAT) != FORMAT:
            raise ProofError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
        version = _field(data, "version", int)
        if version != VERSION:
            raise ProofError(f"draw version {version} is not known (this Vigie knows {VERSION})")
        rounds = []
        for index, item in enumerate(_field(data, "rounds", list)):
            if not isinstance(item, dict):
                raise ProofError(f"rounds[{index}]: expected an object")
            winners = _field(item, "winners", list, f"rounds[{index}].")
            rounds.append(Round(_field(item, "round", int, f"rounds[{index}]."),
                                _field(item, "count", int, f"rounds[{index}]."),
                                tuple(_strings(winners, f"rounds[{index}].winners"))))
        return cls(
            contest=_field(data, "contest", int),
            commitment=_field(data, "commitment", str),
            seed=_field(data, "seed", str),
            entrants=tuple(_strings(_field(data, "entrants", list), "entrants")),
            entrants_sha256=_field(data, "entrants_sha256", str),
            rounds=tuple(rounds),
            prize=str(data.get("prize", "")),
        )


def _field(data: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    if name not in data:
        raise ProofError(f"{where}{name}: missing")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProofError(f"{where}{name}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _strings(values: list[Any], where: str) -> list[str]:
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise ProofError(f"{where}[{index}]: expected a string")
    return values


@dataclass(frozen=True, slots=True)
class Check:
    """One verification step and its outcome."""

    ok: bool
    what: str


@dataclass
class Verification:
    """Every check made on a proof; `ok` when all passed."""

    checks: list[Check] = field(default_factory=list)
    recomputed: list[list[str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, ok: bool, what: str) -> None:
        """Record a check."""
        self.checks.append(Check(ok, what))


def verify(proof: Proof, expected_digest: str | None = None,
           expected_winners: Sequence[str] | None = None) -> Verification:
    """Recompute the commitment, the entrant hash and every round's winners from the proof."""
    result = Verification()
    seed_ok = is_seed(proof.seed)
    if not seed_ok:
        result.add(False, "seed: expected 64 lower-case hex characters")
    elif commitment(proof.seed) == proof.commitment.lower():
        result.add(True, f"commitment: SHA-256(seed) = {proof.commitment.lower()}, "
                         "as published at the start")
    else:
        result.add(False, f"commitment: SHA-256(seed) = {commitment(proof.seed)}, but the "
                          f"published commitment is {proof.commitment}")
    entrants = canonical_entrants(proof.entrants)
    if list(proof.entrants) != entrants:
        result.add(False, "entrants: the list is not sorted without duplicates as published "
                          "(it was changed after the draw)")
    try:
        digest = entrants_digest(entrants)
    except DrawError as exc:
        result.add(False, f"entrants: {exc}")
        return result
    published = [(label, value) for label, value in (("proof", proof.entrants_sha256),
                                                     ("announcement", expected_digest)) if value]
    if not published:
        result.add(True, f"entrants: {len(entrants)}, SHA-256 of the sorted list = {digest} "
                         "(compare it with the announced hash)")
    for label, published_digest in published:
        if digest == published_digest.lower():
            result.add(True, f"entrants: {len(entrants)}, SHA-256 of the sorted list = {digest}, "
                             f"as published ({label})")
        else:
            result.add(False, f"entrants: SHA-256 of the sorted list is {digest}, but the "
                              f"published hash ({label}) is {published_digest}: the list was "
                              "changed")
    if not seed_ok:
        return result
    won: list[str] = []
    for index, item in enumerate(proof.rounds):
        if item.round != index:
            result.add(False, f"round {item.round}: rounds must be numbered 0, 1, 2... in order")
            return result
        try:
            winners = draw_round(proof.seed, entrants, item.count, item.round, won)
        except DrawError as exc:
            result.add(False, f"round {item.round}: {exc}")
            return result
        result.recomputed.append(winners)
        shown = ", ".join(winners) or "none"
        if item.winners is None:
            result.add(True, f"round {item.round}: {item.count} winner(s) recomputed: {shown} "
                             "(compare them with the announced winners)")
        elif winners == list(item.winners):
            result.add(True, f"round {item.round}: {item.count} winner(s) recomputed: {shown}")
        else:
            result.add(False, f"round {item.round}: recomputed winners {shown}, but the "
                              f"published winners are {', '.join(item.winners) or 'none'}")
        won.extend(winners)
    if expected_winners is not None:
        everyone = [w for r in result.recomputed for w in r]
        if everyone == list(expected_winners):
            result.add(True, "winners: as announced")
        else:
            result.add(False, f"winners: recomputed {', '.join(everyone) or 'none'}, announced "
                              f"{', '.join(expected_winners) or 'none'}")
    return result

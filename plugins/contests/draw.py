"""The verifiable draw: a commitment to a secret seed, then winners as a pure function of both.

Procedure, version 1 (README, "Checking a draw", says the same for people):

1. At the start, the bot picks a seed: 32 random bytes written as 64 lower-case hex characters
   `S`, and publishes the commitment `C = SHA-256(S)` (the hash of those 64 ASCII characters).
2. At the close, the entrant list is the entrants' platform-qualified ids, without duplicates,
   sorted by Unicode code point (the byte order of UTF-8, `LC_ALL=C sort -u`). Its hash is
   `E = SHA-256(id1 "\\n" id2 "\\n" ... idn "\\n")`, every id followed by a newline.
3. Round `r` (0 for the draw at the close, 1, 2... for rerolls) reads a stream of 64-bit
   numbers: block `c` (c = 0, 1, 2...) is `HMAC-SHA256(key=S, message="vigie-draw/v1/" E "/" r
   "/" c)`, with `S`, `E`, `r` and `c` written in ASCII (numbers in decimal); each block gives
   four numbers, its bytes 0-7, 8-15, 16-23, 24-31 read big-endian.
4. `uniform(k)` takes the next number `u`; when `u >= 2^64 - (2^64 mod k)` it is discarded and
   the next one taken (so every index is equally likely), else the result is `u mod k`.
5. The pool of round `r` is the sorted entrant list minus the winners of earlier rounds. For
   `j = 0 .. n-1`: `i = j + uniform(len(pool) - j)`, then swap `pool[j]` and `pool[i]`. The
   winners are `pool[0..n-1]`, in that order (a partial Fisher-Yates shuffle).

Nobody can pick the seed after seeing the entrants (it was committed to before), and nobody
can pick winners without changing the seed or the published entrant list.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence

__all__ = [
    "DOMAIN",
    "VERSION",
    "DrawError",
    "Stream",
    "canonical_entrants",
    "commitment",
    "draw_round",
    "draw_rounds",
    "entrants_digest",
    "is_seed",
    "new_seed",
]

VERSION = 1
DOMAIN = "vigie-draw/v1"
SEED_BYTES = 32
_SEED = re.compile(r"[0-9a-f]{64}")
_TWO_64 = 1 << 64


class DrawError(ValueError):
    """The draw cannot be made with these inputs (more winners than entrants, a bad seed)."""


def new_seed() -> str:
    """A fresh secret seed: 32 random bytes from the OS, as 64 hex characters."""
    return secrets.token_hex(SEED_BYTES)


def is_seed(seed: str) -> bool:
    """Whether `seed` has the published form (64 lower-case hex characters)."""
    return bool(_SEED.fullmatch(seed))


def commitment(seed: str) -> str:
    """SHA-256 of the seed's ASCII text, in hex: what is published at the start."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def canonical_entrants(ids: Iterable[str]) -> list[str]:
    """Entrant ids without duplicates, sorted by code point."""
    return sorted(set(ids))


def entrants_digest(ids: Iterable[str]) -> str:
    """SHA-256 of the canonical list, one id per line, each line ending with a newline."""
    digest = hashlib.sha256()
    for entrant in canonical_entrants(ids):
        if "\n" in entrant:
            raise DrawError(f"entrant id {entrant!r} contains a newline")
        digest.update(entrant.encode("utf-8") + b"\n")
    return digest.hexdigest()


class Stream:
    """The round's stream of 64-bit numbers, and unbiased indexes drawn from it."""

    def __init__(self, seed: str, digest: str, round_: int) -> None:
        self._key = seed.encode("ascii")
        self._prefix = f"{DOMAIN}/{digest}/{round_}/".encode("ascii")
        self._counter = 0
        self._pending: list[int] = []

    def next_u64(self) -> int:
        """The next number of the stream."""
        if not self._pending:
            block = hmac.new(self._key, self._prefix + str(self._counter).encode("ascii"),
                             hashlib.sha256).digest()
            self._counter += 1
            self._pending = [int.from_bytes(block[at:at + 8], "big") for at in (24, 16, 8, 0)]
        return self._pending.pop()

    def uniform(self, k: int) -> int:
        """A number in [0, k), every value equally likely (rejection sampling)."""
        if k <= 0:
            raise DrawError("cannot draw from an empty range")
        limit = _TWO_64 - (_TWO_64 % k)
        while True:
            value = self.next_u64()
            if value < limit:
                return value % k


def draw_round(seed: str, entrants: Iterable[str], count: int, round_: int = 0,
               excluded: Iterable[str] = ()) -> list[str]:
    """Winners of one round: `count` ids from the sorted entrants minus `excluded`, in order."""
    if not is_seed(seed):
        raise DrawError("the seed must be 64 lower-case hex characters")
    everyone = canonical_entrants(entrants)
    digest = entrants_digest(everyone)
    left_out = set(excluded)
    pool = [entrant for entrant in everyone if entrant not in left_out]
    if count < 0 or count > len(pool):
        raise DrawError(f"cannot draw {count} winner(s) from {len(pool)} entrant(s)")
    stream = Stream(seed, digest, round_)
    for j in range(count):
        i = j + stream.uniform(len(pool) - j)
        pool[j], pool[i] = pool[i], pool[j]
    return pool[:count]


def draw_rounds(seed: str, entrants: Iterable[str], counts: Sequence[int]) -> list[list[str]]:
    """Every round in turn (the close, then rerolls); each excludes earlier winners."""
    everyone = canonical_entrants(entrants)
    won: list[str] = []
    rounds = []
    for round_, count in enumerate(counts):
        winners = draw_round(seed, everyone, count, round_, won)
        rounds.append(winners)
        won.extend(winners)
    return rounds

"""The draw: published procedure, determinism, unbiased indexes, and fairness over many seeds."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from plugins.contests.draw import (
    DrawError,
    Stream,
    canonical_entrants,
    commitment,
    draw_round,
    draw_rounds,
    entrants_digest,
    is_seed,
    new_seed,
)

SEED = "0f" * 32
ENTRANTS = ["telegram:7", "console:bob", "discord:42", "console:alice", "console:émile"]


def readme_draw(seed: str, entrants: Sequence[str], count: int, round_: int,
                excluded: Sequence[str]) -> list[str]:
    """The procedure exactly as README "Checking a draw" words it, written independently."""
    ordered = sorted(set(entrants))
    e = hashlib.sha256("".join(x + "\n" for x in ordered).encode()).hexdigest()
    numbers: list[int] = []
    block = 0

    def next_number() -> int:
        nonlocal block
        if not numbers:
            mac = hmac.new(seed.encode(), f"vigie-draw/v1/{e}/{round_}/{block}".encode(),
                           "sha256").digest()
            block += 1
            numbers.extend(int.from_bytes(mac[i:i + 8], "big") for i in (0, 8, 16, 24))
        return numbers.pop(0)

    def uniform(k: int) -> int:
        while True:
            u = next_number()
            if u < 2**64 - (2**64 % k):
                return u % k

    pool = [x for x in ordered if x not in excluded]
    for j in range(count):
        i = j + uniform(len(pool) - j)
        pool[j], pool[i] = pool[i], pool[j]
    return pool[:count]


def test_commitment_is_the_sha256_of_the_seed_text() -> None:
    """What `printf %s SEED | sha256sum` prints."""
    assert commitment(SEED) == hashlib.sha256(SEED.encode("ascii")).hexdigest()
    seed = new_seed()
    assert is_seed(seed) and seed != new_seed()
    assert not is_seed(SEED.upper()) and not is_seed(SEED[:-1]) and not is_seed("x" * 64)


def test_entrant_hash_is_the_sorted_list_one_per_line() -> None:
    """What `LC_ALL=C sort -u entrants.txt | sha256sum` prints; order and duplicates ignored."""
    ordered = sorted(set(ENTRANTS), key=lambda s: s.encode("utf-8"))
    expected = hashlib.sha256("".join(f"{e}\n" for e in ordered).encode("utf-8")).hexdigest()
    assert canonical_entrants(ENTRANTS) == ordered
    assert entrants_digest(ENTRANTS) == expected
    assert entrants_digest([*reversed(ENTRANTS), ENTRANTS[0]]) == expected
    with pytest.raises(DrawError):
        entrants_digest(["a\nb"])


def test_the_code_follows_the_published_procedure() -> None:
    """An independent implementation of the README text gives the same winners, every time."""
    rng = random.Random(7)
    for trial in range(300):
        seed = hashlib.sha256(f"spec-{trial}".encode()).hexdigest()
        entrants = [f"console:m{rng.randrange(10_000)}" for _ in range(rng.randint(1, 40))]
        pool = sorted(set(entrants))
        excluded = rng.sample(pool, rng.randint(0, len(pool) - 1))
        count = rng.randint(0, len(pool) - len(excluded))
        round_ = rng.randint(0, 3)
        assert draw_round(seed, entrants, count, round_, excluded) == readme_draw(
            seed, entrants, count, round_, excluded)


def test_published_vector_never_changes() -> None:
    """A fixed vector: changing the algorithm would break every published proof."""
    assert draw_round(SEED, ENTRANTS, 3) == readme_draw(SEED, ENTRANTS, 3, 0, [])
    assert draw_round(SEED, ENTRANTS, 3) == ["console:alice", "console:émile", "discord:42"]


def test_rounds_exclude_earlier_winners_and_are_deterministic() -> None:
    """Rerolls draw from who has not won yet; the same inputs give the same rounds."""
    rounds = draw_rounds(SEED, ENTRANTS, [2, 1, 2])
    flat = [w for r in rounds for w in r]
    assert len(flat) == len(set(flat)) == 5 and set(flat) == set(ENTRANTS)
    assert rounds == draw_rounds(SEED, list(reversed(ENTRANTS)), [2, 1, 2])
    assert rounds[1] == draw_round(SEED, ENTRANTS, 1, 1, rounds[0])
    other = "1" + SEED[1:]
    assert any(draw_rounds(s, ENTRANTS, [2]) != rounds[:1] for s in (other, "2" + SEED[1:]))


def test_impossible_draws_are_refused() -> None:
    """More winners than the pool, a negative count or a malformed seed."""
    with pytest.raises(DrawError, match="3 winner"):
        draw_round(SEED, ["a:1", "a:2"], 3)
    with pytest.raises(DrawError):
        draw_round(SEED, ["a:1"], -1)
    with pytest.raises(DrawError, match="seed"):
        draw_round("not a seed", ["a:1"], 1)
    assert draw_round(SEED, [], 0) == []


def test_uniform_rejects_the_biased_tail() -> None:
    """Numbers at or above the largest multiple of k are thrown away, not folded in."""
    stream = Stream(SEED, entrants_digest(ENTRANTS), 0)
    stream._pending = [3, 2**64 - 1]  # popped from the end: the top value first
    assert stream.uniform(3) == 0  # 2**64 - 1 is rejected for k = 3; 3 % 3 == 0
    stream._pending = [5]
    assert stream.uniform(2**63) == 5  # k divides 2**64: nothing is rejected
    with pytest.raises(DrawError):
        stream.uniform(0)


def chi_square(counts: Counter[str], keys: Sequence[str], total: int) -> float:
    """Pearson's statistic against a uniform distribution over `keys`."""
    expected = total / len(keys)
    return sum((counts[k] - expected) ** 2 / expected for k in keys)


# Critical values of the chi-square distribution at p = 0.001.
CRITICAL_9_DOF = 27.877
CRITICAL_4_DOF = 18.467


def winners_over_seeds(pick: Callable[[str, list[str]], list[str]], entrants: list[str],
                       draws: int) -> Counter[str]:
    """Count how often each entrant wins over `draws` fixed, distinct seeds."""
    counts: Counter[str] = Counter()
    for n in range(draws):
        seed = hashlib.sha256(f"fairness-{n}".encode()).hexdigest()
        counts.update(pick(seed, entrants))
    return counts


def test_fairness_every_entrant_is_equally_likely_to_win() -> None:
    """20,000 seeded draws of 1 winner among 10: chi-square (9 dof) below the p=0.001 bound.

    The same statistic rejects a picker biased towards the first entrants, so the test can fail.
    """
    entrants = [f"console:m{i:02d}" for i in range(10)]
    draws = 20_000
    counts = winners_over_seeds(lambda s, e: draw_round(s, e, 1), entrants, draws)
    statistic = chi_square(counts, entrants, draws)
    assert statistic < CRITICAL_9_DOF, (statistic, counts)
    assert min(counts.values()) > 1800 and max(counts.values()) < 2200

    def biased(seed: str, pool: list[str]) -> list[str]:
        value = int(seed[:8], 16) % 11  # 11 slots over 10 entrants: the first wins twice as often
        return [pool[value if value < 10 else 0]]

    skewed = winners_over_seeds(biased, entrants, draws)
    assert chi_square(skewed, entrants, draws) > CRITICAL_9_DOF


def test_fairness_with_several_winners_and_positions() -> None:
    """2 winners among 5 over 10,000 draws: each entrant wins 40% of the time, in either place."""
    entrants = [f"console:m{i}" for i in range(5)]
    draws = 10_000
    firsts: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    for n in range(draws):
        seed = hashlib.sha256(f"positions-{n}".encode()).hexdigest()
        first, second = draw_round(seed, entrants, 2)
        assert first != second
        firsts[first] += 1
        seconds[second] += 1
    assert chi_square(firsts, entrants, draws) < CRITICAL_4_DOF
    assert chi_square(seconds, entrants, draws) < CRITICAL_4_DOF

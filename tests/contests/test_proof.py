"""Proof documents and `vigie verify-draw`: a true proof holds, any tampering is caught."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from plugins.contests.draw import commitment, draw_rounds, entrants_digest
from plugins.contests.proof import Proof, ProofError, Round, verify

SEED = "3c" * 32
ENTRANTS = tuple(sorted(f"console:m{i}" for i in range(12)))


def make_proof(counts: tuple[int, ...] = (2, 1)) -> Proof:
    """A true proof: two winners at the close, one reroll."""
    rounds = draw_rounds(SEED, ENTRANTS, counts)
    return Proof(contest=4, commitment=commitment(SEED), seed=SEED, entrants=ENTRANTS,
                 entrants_sha256=entrants_digest(ENTRANTS), prize="Casque",
                 rounds=tuple(Round(i, n, tuple(w)) for i, (n, w) in
                              enumerate(zip(counts, rounds, strict=True))))


def failures(proof: Proof, **expected: object) -> list[str]:
    """What failed to verify."""
    return [c.what for c in verify(proof, **expected).checks if not c.ok]  # type: ignore[arg-type]


def test_a_true_proof_verifies_and_round_trips_through_json() -> None:
    """Commitment, entrant hash and every round check out; JSON keeps everything."""
    proof = make_proof()
    result = verify(proof, expected_digest=proof.entrants_sha256,
                    expected_winners=[w for r in proof.rounds for w in r.winners or ()])
    assert result.ok, result.checks
    assert [c.what.split(":")[0] for c in result.checks] == [
        "commitment", "entrants", "entrants", "round 0", "round 1", "winners"]
    assert Proof.from_json(proof.to_json()) == proof
    assert json.loads(proof.to_json())["format"] == "vigie-draw-proof"


@pytest.mark.parametrize("tamper", [
    lambda e: (*e, "console:sybil"),          # an entrant added after the draw
    lambda e: e[1:],                          # an entrant removed
    lambda e: ("console:zz", *e[1:]),         # an entrant replaced
])
def test_a_tampered_entrant_list_fails(tamper: object) -> None:
    """Changing the list breaks its published hash (and is reported as such)."""
    proof = make_proof()
    forged = replace(proof, entrants=tuple(sorted(tamper(proof.entrants))))  # type: ignore[operator]
    problems = failures(forged)
    assert any("the list was changed" in p for p in problems), problems
    assert not verify(forged).ok


def test_a_forger_who_also_rewrites_the_hash_is_caught() -> None:
    """With a recomputed hash, the announced hash and the published winners still disagree."""
    proof = make_proof()
    entrants = tuple(sorted((*proof.entrants, "console:sybil")))
    forged = replace(proof, entrants=entrants, entrants_sha256=entrants_digest(entrants))
    problems = failures(forged, expected_digest=proof.entrants_sha256)
    assert any("(announcement)" in p for p in problems), problems
    assert any(p.startswith("round") for p in problems), problems


def test_a_different_seed_or_winner_fails() -> None:
    """The seed must match the commitment; the winners must follow from the seed."""
    proof = make_proof()
    assert any(p.startswith("commitment") for p in failures(replace(proof, seed="4d" * 32)))
    first = proof.rounds[0].winners or ()
    swapped = replace(proof, rounds=(Round(0, 2, tuple(reversed(first))), *proof.rounds[1:]))
    assert any(p.startswith("round 0") for p in failures(swapped))
    assert any("seed" in p for p in failures(replace(proof, seed="short")))
    unsorted = replace(proof, entrants=tuple(reversed(proof.entrants)))
    assert any("not sorted" in p for p in failures(unsorted))


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not JSON"),
    ("[]", "expected a JSON object"),
    ('{"version": 1}', "rounds: missing"),
    ('{"version": 2, "rounds": []}', "version 2"),
    ('{"version": 1, "rounds": [{"round": 0, "count": "1", "winners": []}]}',
     "rounds[0].count: expected int"),
    ('{"version": 1, "rounds": [], "contest": 1, "commitment": "x", "seed": "y",'
     ' "entrants": [1], "entrants_sha256": "z"}', "entrants[0]: expected a string"),
])
def test_malformed_proofs_are_explained(text: str, message: str) -> None:
    """A broken document says what is wrong."""
    with pytest.raises(ProofError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Proof.from_json(text)


runner = CliRunner()


def test_verify_draw_accepts_a_true_proof_file(tmp_path: Path) -> None:
    """Exit 0, one `ok` line per check."""
    path = tmp_path / "proof.json"
    path.write_text(make_proof().to_json(), encoding="utf-8")
    result = runner.invoke(app, ["verify-draw", str(path)])
    assert result.exit_code == 0, result.output
    assert "verified:" in result.output and "FAIL" not in result.output
    assert result.output.splitlines()[0] == "contest #4: Casque (draw v1)"


def test_verify_draw_rejects_a_tampered_file(tmp_path: Path) -> None:
    """Exit 1 and the failing check named."""
    data = json.loads(make_proof().to_json())
    data["entrants"] = sorted([*data["entrants"], "console:sybil"])
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["verify-draw", str(path)])
    assert result.exit_code == 1
    assert "FAIL  entrants" in result.output and "NOT verified" in result.output


def test_verify_draw_from_published_values(tmp_path: Path) -> None:
    """Seed, commitment, an entrant file in any order, counts, and the announced winners."""
    proof = make_proof()
    listing = tmp_path / "entrants.txt"
    listing.write_text("\n".join(reversed(proof.entrants)) + "\n\n", encoding="utf-8")
    announced = [w for r in proof.rounds for w in r.winners or ()]
    args = ["verify-draw", "--seed", SEED, "--commitment", proof.commitment, "--entrants",
            str(listing), "--count", "2", "--count", "1",
            "--entrants-sha256", proof.entrants_sha256]
    good = runner.invoke(app, [*args, *[x for w in announced for x in ("--winner", w)]])
    assert good.exit_code == 0, good.output
    wrong = runner.invoke(app, [*args, "--winner", "console:nobody"])
    assert wrong.exit_code == 1 and "FAIL  winners" in wrong.output


def test_verify_draw_reads_stdin_and_explains_bad_input(tmp_path: Path) -> None:
    """`-` reads standard input; unreadable or missing input exits 2 with a message."""
    assert runner.invoke(app, ["verify-draw", "-"], input=make_proof().to_json()).exit_code == 0
    broken = runner.invoke(app, ["verify-draw", "-"], input="{nope")
    assert broken.exit_code == 2 and "cannot be read" in broken.output
    missing = runner.invoke(app, ["verify-draw", str(tmp_path / "absent.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    nothing = runner.invoke(app, ["verify-draw"])
    assert nothing.exit_code == 2 and "give a proof file" in nothing.output

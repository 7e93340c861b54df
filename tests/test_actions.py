"""Verdict.union: the strongest sanction wins, one action per key, and the semilattice laws."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.actions import (
    Alert,
    Ban,
    Decision,
    Delete,
    Kick,
    Lock,
    Reply,
    Slowmode,
    Timeout,
    Verdict,
    Warn,
)
from bot.events import User
from bot.i18n import Msg

ALICE = User(id="console:alice", name="alice")
BOB = User(id="console:bob", name="bob")

users = st.sampled_from([ALICE, BOB])
durations = st.integers(min_value=1, max_value=10_000).map(lambda s: timedelta(seconds=s))
reasons = st.sampled_from(["", "spam", "insult"])
actions = st.one_of(
    st.builds(Delete, channel=st.sampled_from(["console:a", "console:b"]),
              message_id=st.sampled_from(["console:1", "console:2"])),
    st.builds(Warn, target=users, reason=reasons),
    st.builds(Timeout, target=users, duration=durations, reason=reasons),
    st.builds(Kick, target=users, reason=reasons),
    st.builds(Ban, target=users, reason=reasons, duration=st.none() | durations),
    st.builds(Slowmode, channel=st.just("console:a"), interval=durations,
              duration=st.none() | durations),
    st.builds(Lock, channel=st.just("console:a"), duration=st.none() | durations),
    st.builds(Alert, text=st.sampled_from([Msg.of("a"), Msg.of("b")])),
    st.builds(Reply, channel=st.just("console:a"), message_id=st.just("console:1"),
              text=st.sampled_from([Msg.of("r1"), Msg.of("r2")])),
)
decisions = st.builds(Decision, plugin=st.sampled_from(["p", "q"]),
                      rule=st.sampled_from(["r1", "r2"]),
                      actions=st.lists(actions, max_size=4).map(tuple),
                      evidence=st.sampled_from(["", "e"]))
verdicts = st.lists(decisions, max_size=4).map(Verdict.of)


@given(verdicts)
def test_union_is_idempotent(v: Verdict) -> None:
    """v ∪ v = v."""
    assert v.union(v) == v


@given(verdicts, verdicts)
def test_union_is_commutative(a: Verdict, b: Verdict) -> None:
    """a ∪ b = b ∪ a."""
    assert a.union(b) == b.union(a)


@given(verdicts, verdicts, verdicts)
def test_union_is_associative(a: Verdict, b: Verdict, c: Verdict) -> None:
    """(a ∪ b) ∪ c = a ∪ (b ∪ c)."""
    assert a.union(b).union(c) == a.union(b.union(c))


@given(verdicts, verdicts)
def test_union_keeps_one_sanction_per_member(a: Verdict, b: Verdict) -> None:
    """Whatever is merged, each member ends with at most one sanction."""
    merged = a.union(b)
    targets = [x.target.id for x in merged.actions if isinstance(x, Warn | Timeout | Kick | Ban)]
    assert len(targets) == len(set(targets))


def test_strongest_sanction_wins() -> None:
    """Ban beats kick beats timeout beats warn; a longer timeout beats a shorter one."""
    short = Timeout(target=ALICE, duration=timedelta(minutes=5))
    long = Timeout(target=ALICE, duration=timedelta(hours=1))
    verdict = Verdict.of([
        Decision(rule="a", actions=(Warn(target=ALICE),)),
        Decision(rule="b", actions=(short,)),
        Decision(rule="c", actions=(long,)),
    ])
    assert verdict.actions == (long,)
    temp_ban = Ban(target=ALICE, duration=timedelta(days=1))
    forever = Ban(target=ALICE)
    assert Verdict.of([Decision(rule="x", actions=(temp_ban, forever, Kick(target=ALICE)))]
                      ).actions == (forever,)


def test_one_delete_per_message_and_order() -> None:
    """Deletes of the same message merge; deletes run before sanctions, replies last."""
    delete = Delete(channel="console:a", message_id="console:1")
    reply = Reply(channel="console:a", message_id="console:1", text=Msg.of("x"))
    verdict = Verdict.of([
        Decision(rule="a", actions=(reply, Warn(target=BOB), delete)),
        Decision(rule="b", actions=(delete,)),
    ])
    assert verdict.actions == (delete, Warn(target=BOB), reply)
    assert verdict.removes("console:a", "console:1")
    assert not verdict.removes("console:a", "console:2")
    assert len(verdict.decisions) == 2


def test_sanctions_of_different_members_coexist() -> None:
    """Merging is per member."""
    verdict = Verdict.of([Decision(rule="a", actions=(Warn(target=ALICE), Kick(target=BOB)))])
    assert set(verdict.actions) == {Warn(target=ALICE), Kick(target=BOB)}


def test_describe_is_json_friendly() -> None:
    """Actions describe themselves with their DESIGN.md type name first."""
    described = Timeout(target=ALICE, duration=timedelta(minutes=5), reason="x").describe()
    assert described == {"type": "timeout", "target": "console:alice", "reason": "x",
                         "duration": 300}

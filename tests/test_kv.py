"""Plugin key-value data: per namespace and community, JSON values, committed on return."""

from pathlib import Path

from tests.harness import Harness


async def test_set_get_update_delete(harness: Harness) -> None:
    """Values round-trip, update in place, and are separated by namespace and community."""
    kv = harness.app.services.kv("contests")
    other = harness.app.services.kv("faq")
    assert await kv.get("console:test", "counter", 0) == 0
    await kv.set("console:test", "counter", {"n": 1, "names": ["a"]})
    await kv.set("console:test", "counter", {"n": 2, "names": ["a", "b"]})
    await kv.set("console:other", "counter", 7)
    assert await kv.get("console:test", "counter") == {"n": 2, "names": ["a", "b"]}
    assert await kv.get("console:other", "counter") == 7
    assert await other.get("console:test", "counter") is None
    assert await kv.delete("console:test", "counter")
    assert not await kv.delete("console:test", "counter")
    assert await kv.get("console:test", "counter") is None


async def test_values_survive_a_restart(tmp_path: Path) -> None:
    """What was set is there for the next App on the same database."""
    first = await Harness(tmp_path).start()
    await first.app.services.kv("p").set("console:test", "k", [1, 2, 3])
    await first.stop()
    second = await Harness(tmp_path).start()
    try:
        assert await second.app.services.kv("p").get("console:test", "k") == [1, 2, 3]
    finally:
        await second.stop()

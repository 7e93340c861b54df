"""Scripted community days for the early warning: calm chat about a brand, and bad buzzes.

Every scenario is 7 calm days (3 to 6 mentions of the brand an hour, about a quarter of them
negative, from many members), then a last day that is calm too or holds an incident starting at
noon. The texts come from fixed pools; a seeded generator picks them, so a scenario is the same
on every run."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["INCIDENT", "SCENARIOS", "START", "events"]

START = datetime(2026, 11, 1, tzinfo=UTC)
INCIDENT = START + timedelta(days=7, hours=12)
COMMUNITY = "discord:111"

POSITIVE = ["Acme livraison reçue, merci !", "Super service chez Acme 👍",
            "Love my new Acme rocket", "Acme support was quick, thanks",
            "Commande Acme nickel, rien à redire", "Great prices at Acme this week"]
NEUTRAL = ["Quand arrive le nouveau rocket de Acme ?", "J'ai commandé chez Acme hier",
           "Does Acme ship to Belgium?", "Acme a changé de logo", "Anyone tried the Acme app?",
           "C'est quoi le délai de livraison chez Acme ?"]
NEGATIVE = ["Acme c'est nul, colis en retard", "Acme support is slow today",
            "Bof la dernière commande Acme", "My Acme parcel is late again"]
ANGRY = ["Acme c'est une arnaque, colis jamais reçu", "Acme service client inexistant, furieux",
         "Acme remboursez moi, c'est scandaleux", "Acme = escrocs, fuyez",
         "Honte à Acme, toujours pas de réponse", "Acme c'est nul, plus jamais",
         "Acme lamentable, colis cassé", "Acme arnaque totale 😡", "Worst service ever Acme",
         "Acme stole my money, never received anything", "ACME IS A SCAM",
         "Still no refund from Acme, unacceptable"]
COMPETITOR = ["Globex c'est nul, arnaque totale", "Globex support is a joke",
              "Never buying from Globex again, scam", "Globex colis jamais reçu, honteux"]


def _message(number: int, ts: datetime, text: str, author: str) -> dict[str, Any]:
    return {"type": "message", "id": f"m{number}", "ts": ts.isoformat().replace("+00:00", "Z"),
            "community": COMMUNITY, "channel": "discord:222",
            "author": {"id": f"discord:{author}", "name": author, "role": "member"},
            "text": text, "reply_to": None, "mentions": [], "attachments": []}


def _calm(rng: random.Random, start: datetime, hours: int) -> Iterator[tuple[datetime, str, str]]:
    for hour in range(hours):
        for _ in range(rng.randint(3, 6)):
            ts = start + timedelta(hours=hour, seconds=rng.randrange(3600))
            roll = rng.random()
            pool = NEGATIVE if roll < 0.25 else POSITIVE if roll < 0.55 else NEUTRAL
            yield ts, rng.choice(pool), f"member{rng.randrange(400)}"


def _burst(rng: random.Random, start: datetime, minutes: int, count: int, pool: list[str],
           authors: int = 1000) -> Iterator[tuple[datetime, str, str]]:
    for _ in range(count):
        ts = start + timedelta(seconds=rng.randrange(minutes * 60))
        yield ts, rng.choice(pool), f"angry{rng.randrange(authors)}"


def _incident(name: str, rng: random.Random) -> Iterator[tuple[datetime, str, str]]:
    if name == "spike":          # 15 angry members within 20 minutes
        yield from _burst(rng, INCIDENT, 20, 15, ANGRY)
    elif name == "slow_rise":    # 2, then 4, then 6, then 8 angry messages an hour
        for hour, count in enumerate((2, 4, 6, 8)):
            yield from _burst(rng, INCIDENT + timedelta(hours=hour), 60, count, ANGRY)
    elif name == "one_member":   # one member shouting 25 times in 30 minutes
        yield from _burst(rng, INCIDENT, 30, 25, ANGRY, authors=1)
    elif name == "competitor":   # a competitor criticised by many
        yield from _burst(rng, INCIDENT, 30, 15, COMPETITOR)


SCENARIOS = {"calm": False, "spike": True, "slow_rise": True, "one_member": False,
             "competitor": False}
"""Scenario name -> whether it is a crisis about the brand that must be caught."""


def events(name: str, seed: int = 1) -> list[str]:
    """The scenario's event log: JSON lines in time order."""
    rng = random.Random(f"{name}:{seed}")
    found = list(_calm(rng, START, 8 * 24))
    found += list(_incident(name, rng))
    found.sort(key=lambda item: item[0])
    return [json.dumps(_message(number, ts, text, author))
            for number, (ts, text, author) in enumerate(found, 1)]

"""`!reputation`: CMs only, in the caller's language, from the stored daily figures."""

from __future__ import annotations

from datetime import timedelta

from bot.actions import Upload
from bot.permissions import Role
from plugins.reputation.chart import index_png
from tests.reputation.conftest import Make


async def _week(h) -> None:  # type: ignore[no-untyped-def]
    await h.say("J'adore Acme, livraison super rapide !")
    await h.say("Acme c'est une arnaque, livraison en retard de 3 semaines")
    await h.say("La livraison Acme est nulle, colis perdu")
    await h.say("Le prix du Rocket est scandaleux")
    await h.advance(timedelta(days=1))
    await h.say("Acme au top, merci !")
    await h.say("Globex c'est nul")


async def test_the_summary_in_french(make: Make) -> None:
    h = await make()
    await _week(h)
    await h.say("!reputation", author="claire")
    text = h.replies()[-1]
    assert text.startswith("📊 E-réputation, 7 derniers jours : 6 mentions"), text
    assert "Indice de satisfaction" in text
    assert "Sujets les plus négatifs : delivery (2), price (1)" in text
    assert "• Acme (marque) : 4 mentions" in text
    assert "globex (concurrent)" in text
    assert "Console" in text
    trend = text.split("Tendance (une barre par jour) : ")[1].split("\n")[0]
    assert len(trend) == 7 and trend[:5] == "·····"


async def test_the_summary_in_english_for_one_term_and_period(make: Make) -> None:
    h = await make(language="en")
    await _week(h)
    await h.say("!reputation 30d acme", author="claire")
    text = h.replies()[-1]
    assert text.startswith("📊 Reputation, last 30 days: 4 mentions, 50% negative, 50% "
                           "positive. Satisfaction index 0"), text
    assert "négati" not in text


async def test_a_spelling_finds_its_term(make: Make) -> None:
    h = await make(language="en")
    await _week(h)
    await h.say("!reputation Akme", author="claire")
    assert "4 mentions" in h.replies()[-1]


async def test_examples_link_the_most_negative_messages(make: Make) -> None:
    h = await make(language="en")
    await _week(h)
    await h.say("!reputation examples acme", author="claire")
    text = h.replies()[-1]
    assert text.startswith("Most negative messages about Acme, last 7 days:")
    assert text.count("• -") == 2
    assert "#general · console:m2" in text
    await h.say("!reputation examples rocket 1d", author="claire")
    assert h.replies()[-1] == "No negative message about rocket kept in the last 1 days."


async def test_members_are_refused_and_unknown_terms_named(make: Make) -> None:
    h = await make(language="en")
    await _week(h)
    await h.say("!reputation")
    assert "Acme" not in h.replies()[-1]
    await h.say("!reputation banana", author=h.user("claire", Role.CM))
    assert h.replies()[-1] == ("I don't watch \"banana\". Watched terms: acme, rocket, globex, "
                               "delivery, price.")


async def test_no_terms_and_no_mentions(make: Make) -> None:
    h = await make(terms="terms: []\n")
    await h.say("!reputation", author="claire")
    assert h.replies()[-1].startswith("Aucun terme n'est suivi ici")
    h = await make()
    await h.say("!reputation", author="claire")
    assert h.replies()[-1] == "Aucune mention d'un terme suivi ces 7 derniers jours."


def test_the_chart_is_a_png_with_a_bar_a_day() -> None:
    png = index_png(["2026-11-20", "2026-11-21", "2026-11-22"], [40, None, -60], [5, 0, 9],
                    "Indice de satisfaction, 3 derniers jours", "mentions")
    assert png.startswith(b"\x89PNG") and len(png) > 2000


async def test_where_files_can_be_posted_the_summary_comes_with_the_chart(make: Make) -> None:
    h = await make(language="en")
    await h.say("Acme au top !", community="discord:111")
    report = await h.say("!reputation", author="claire", community="discord:111")
    actions = [a for d in report.decisions for a in d.actions]
    uploads = [a for a in actions if isinstance(a, Upload)]
    assert len(uploads) == 1 and uploads[0].data.startswith(b"\x89PNG")
    assert uploads[0].filename == "reputation-7d.png"
    report = await h.say("!reputation")
    assert not [a for d in report.decisions for a in d.actions if isinstance(a, Upload)]

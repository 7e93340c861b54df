"""`faq`, `faq <id|words>`, and the team's `faq misses` and `faq stats`."""

from __future__ import annotations

from datetime import timedelta

from tests.faq.conftest import ENTRIES, Make, answers, click, stored
from tests.harness import Harness


async def test_topics_are_listed_to_members_in_their_language(faq: Harness) -> None:
    await faq.say("!faq")
    [text] = faq.replies()
    assert text.startswith("Sujets de la FAQ (3) :")
    assert "• delivery — Quand arrive ma commande ?" in text
    assert "• refund — Comment me faire rembourser ?" in text
    assert "tapez !faq <sujet>" in text


async def test_topics_use_titles_and_say_when_there_are_more(make: Make) -> None:
    entries = "entries:\n" + "".join(
        f"  - id: topic-{n}\n    title: {{en: Topic {n}, fr: Sujet {n}}}\n"
        f"    questions: {{fr: [\"Question numéro {n} sur le sujet {n} ?\"]}}\n"
        f"    answer: {{fr: Réponse {n}}}\n" for n in range(45))
    h = await make(entries=entries)
    await h.say("!faq")
    text = h.replies()[0]
    assert "• topic-0 — Sujet 0" in text and "• topic-39 — Sujet 39" in text
    assert "topic-40" not in text
    assert "(+5 autres : !faq <mots> en trouve un)" in text


async def test_no_faq(make: Make) -> None:
    h = await make(entries="entries: []\n")
    await h.say("!faq")
    assert h.replies() == ["Il n'y a pas encore de FAQ ici."]


async def test_an_answer_on_request_by_id_by_typo_and_by_words(faq: Harness) -> None:
    for request in ("!faq delivery", "!faq delivry", "!faq livraison commande",
                    "!faq mot de passe"):
        report = await faq.say(request, author="claire")
        assert report.errors == []
    texts = faq.replies()
    assert [t.split("\n")[0] for t in texts] == [
        "Sous 3 jours ouvrés.", "Sous 3 jours ouvrés.", "Sous 3 jours ouvrés.",
        "Cliquez sur « Mot de passe oublié »."]
    assert texts[0].endswith("— FAQ : delivery")
    rows = await stored(faq, "SELECT entry, source FROM faq_answers ORDER BY id")
    assert rows == [{"entry": "delivery", "source": "request"}] * 3 + [
        {"entry": "password", "source": "request"}]


async def test_an_answer_on_request_replies_to_the_members_message(faq: Harness) -> None:
    member = faq.user("ann", language="en")
    await faq.say("bonjour j'ai un souci", author=member)
    question = faq.last
    await faq.say("!faq password", author="claire", reply_to=question)
    [sent] = faq.adapter.of("send_message")
    assert sent["reply_to"] == question.id
    assert sent["text"].startswith('Click "Forgot password".')  # in the member's language


async def test_nothing_matches_the_request(faq: Harness) -> None:
    await faq.say("!faq horaires du magasin", author="claire")
    assert faq.replies() == [
        "Aucun sujet de la FAQ ne correspond à « horaires du magasin ». !faq liste les sujets."]


async def test_misses_and_stats_are_for_the_team(faq: Harness) -> None:
    await faq.say("!faq misses")
    await faq.say("!faq stats", channel="other")
    assert faq.replies() == ["!faq misses est réservée à l'équipe de la communauté.",
                             "!faq stats est réservée à l'équipe de la communauté."]


async def test_misses_are_grouped_most_asked_first(faq: Harness) -> None:
    for number, text in enumerate([
            "Vous avez une boutique à Lyon ?", "il y a une boutique physique à Lyon ?",
            "Vous avez une boutique a Lyon ??", "C'est quand la prochaine vente privée ?",
            "quand est la prochaine vente privée ?", "Vous recrutez des vendeurs ?"]):
        await faq.say(text, author=f"member{number}")
    await faq.say("Quand arrive ma commande ?")  # answered: not a miss
    await faq.say("sérieux ?")  # one word: chat, not a miss
    await faq.say("!faq misses", author="claire")
    text = faq.replies()[-1]
    lines = text.split("\n")
    assert lines[0].startswith("Questions restées sans réponse ces 7 dernier(s) jour(s) : 6 en "
                               "3 groupe(s)")
    assert lines[1].startswith("Hors sujet (aucune entrée proche")
    assert lines[2].startswith("3× « Vous avez une boutique a Lyon ?? »")
    assert lines[3].startswith("2× « quand est la prochaine vente privée ? »")
    assert lines[4].startswith("1× « Vous recrutez des vendeurs ? »")
    rows = await stored(faq, "SELECT * FROM faq_misses")
    assert {r["channel"] for r in rows} == {"console:general"}
    assert all("author" not in key for r in rows for key in r)  # who asked is not kept


async def test_misses_look_back_a_chosen_number_of_days(faq: Harness) -> None:
    await faq.say("Vous avez une boutique à Lyon ?")
    await faq.advance(timedelta(days=10))
    await faq.say("Vous recrutez des vendeurs ?")
    await faq.say("!faq misses", author="claire")
    await faq.say("!faq misses 30", author="claire")
    await faq.say("!faq misses 0", author="claire")
    await faq.say("!faq misses beaucoup", author="claire")
    recent, month, zero, word = faq.replies()
    assert "1 en 1 groupe(s)" in recent and "Lyon" not in recent
    assert "ces 30 dernier(s) jour(s) : 2 en 2 groupe(s)" in month
    assert zero == word == "Usage : !faq misses [jours, de 1 à 90] [page]"


async def test_no_misses(faq: Harness) -> None:
    await faq.say("!faq misses", author="claire")
    assert faq.replies() == ["Aucune question restée sans réponse ces 7 dernier(s) jour(s)."]


async def test_stats_count_answers_and_votes(faq: Harness) -> None:
    await faq.say("!faq stats", author="claire")
    assert faq.replies() == ["Aucune réponse de la FAQ ni aucun vote pour l'instant."]
    await faq.say("Quand arrive ma commande ?")
    answer_id = faq.adapter.of("send_message")[-1]
    message = f"console:{1000 + len(faq.adapter.of('send_message')) - 1}"
    assert answer_id["reply_to"] == faq.last.id
    up, down = (b.custom_id for b in answer_id["buttons"])
    await click(faq, message, up, user="bob")
    await click(faq, message, down, user="carol")
    await faq.say("!faq password", author="claire")
    await faq.say("!faq stats", author="claire")
    text = faq.replies()[-1]
    assert text.split("\n") == [
        "Activité de la FAQ (3 entrées, dont 1 jamais utilisées) :",
        "delivery : 1 réponse(s), dont 0 sur demande · 👍 1 · 👎 1",
        "password : 1 réponse(s), dont 1 sur demande · 👍 0 · 👎 0",
        "Réponses jugées pas utiles (👎), avec la question à laquelle elles répondaient :",
        "  👎 1 · delivery ← « Quand arrive ma commande ? »"]


async def test_help_lists_faq_for_members(faq: Harness) -> None:
    await faq.say("!help faq")
    assert faq.replies() == ["!faq [sujet|mots] — les sujets de la FAQ, ou la réponse d'un sujet "
                             "postée ici (équipe : faq try, faq misses, faq stats)"]


async def test_reserved_ids_cannot_hide_the_subcommands(make: Make) -> None:
    bad = ENTRIES.replace("id: refund", "id: stats")
    try:
        await make(entries=bad)
    except Exception as exc:
        assert "entry id 'stats' is reserved for the `faq stats` command" in str(exc)
    else:
        raise AssertionError("a reserved id was accepted")


async def test_automatic_answers_are_recorded_with_their_language(faq: Harness) -> None:
    report = await faq.say("How do I reset my password?")
    assert answers(report) == ["password"]
    rows = await stored(faq, "SELECT entry, source, lang FROM faq_answers")
    assert rows == [{"entry": "password", "source": "auto", "lang": "en"}]


async def test_misses_page_through_near_misses_first(faq: Harness) -> None:
    """Near misses (an entry came close) come first, with that entry; then the out-of-scope
    questions; ten groups a page, the next page named."""
    near = "la livraison de mon canapé en Corse ?"
    await faq.say(near, author="near")
    topics = ["boutique Lyon", "vente privée", "recrutez vendeurs", "carte fidélité",
              "atelier couture", "défilé printemps", "collection automne", "tissus recyclés",
              "taille mannequin", "parfum maison", "coffret cadeau noel"]
    for number, words in enumerate(topics):
        await faq.say(f"c'est quoi votre {words} ?", author=f"m{number}")
    await faq.say("!faq misses", author="claire")
    await faq.say("!faq misses 7 2", author="claire")
    first, second = faq.replies()[-2:]
    lines = first.split("\n")
    assert "12 en 12 groupe(s), dont 1 presque trouvées ; page 1/2" in lines[0]
    assert lines[1].startswith("Presque trouvées")
    assert lines[2].startswith(f"1× « {near} » — entrée la plus proche : delivery (")
    assert lines[3].startswith("Hors sujet")
    assert len([line for line in lines if line.startswith("1×")]) == 10
    assert lines[-1] == "Page suivante : !faq misses 7 2 (sur 2)"
    assert "page 2/2" in second and second.count("1×") == 2 and "Page suivante" not in second


async def test_try_shows_the_top_entries_their_scores_and_why(faq: Harness) -> None:
    """`faq try` is for the team; it shows the gate, the entries with scores and words, and
    the verdict of the words and of the encoder (off in these tests)."""
    await faq.say("!faq try quand arrive ma commande ?")
    assert faq.replies()[-1] == "!faq try est réservée à l'équipe de la communauté."
    await faq.say("!faq try quand arrive ma commande ?", author="claire")
    lines = faq.replies()[-1].split("\n")
    assert lines[0] == "Essai de la FAQ : « quand arrive ma commande ? »"
    assert lines[1] == "Lu comme une question ou une demande."
    assert lines[2].startswith("1. delivery — confiance ")
    assert "mots : arriv, command" in lines[2]
    assert lines[-1].startswith("→ Les mots répondent avec delivery")
    await faq.say("!faq try ma commande est arrivée, super", author="claire")
    lines = faq.replies()[-1].split("\n")
    assert lines[1].startswith("Pas lu comme une question")
    await faq.say("!faq try la livraison de mon canapé en Corse ?", author="claire")
    lines = faq.replies()[-1].split("\n")
    assert any(line.startswith("→ Pas de réponse par les mots : ") for line in lines)
    assert lines[-1] == ("Encodeur : désactivé dans le fichier de règles "
                         "(faq.semantic: false).")

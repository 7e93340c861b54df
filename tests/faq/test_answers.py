"""Members' questions answered (or not) through the App: language, gates, cooldown, places."""

from __future__ import annotations

from datetime import timedelta

from bot.events import MessageCreated, User
from bot.permissions import Role
from plugins.faq.answers import question_key
from tests.faq.conftest import Make, answers
from tests.harness import Harness


async def test_french_question_gets_the_french_answer_with_link_and_buttons(
        faq: Harness) -> None:
    report = await faq.say("Bonjour, quand arrive ma commande svp ?")
    assert answers(report) == ["delivery"]
    [sent] = faq.adapter.of("send_message")
    assert sent["reply_to"] == faq.last.id
    assert sent["text"].startswith("Sous 3 jours ouvrés.")
    assert "https://example.com/fr/livraison" in sent["text"]
    assert "réponse automatique (!faq delivery)" in sent["text"]
    key = question_key(faq.last.id)
    assert len(key) == 12 and len(f"faq:down:{'x' * 40}:{key}".encode()) <= 64  # Telegram
    assert [(b.custom_id, b.label) for b in sent["buttons"]] == [
        (f"faq:up:delivery:{key}", "👍 Utile"), (f"faq:down:delivery:{key}", "👎 Pas utile")]


async def test_english_question_in_a_french_community_is_answered_in_english(
        faq: Harness) -> None:
    report = await faq.say("hi, how long does shipping take for my order?")
    assert answers(report) == ["delivery"]
    [text] = faq.replies()
    assert text.startswith("Within 3 working days.")
    assert "https://example.com/en/delivery" in text
    assert "automatic answer" in text


async def test_the_members_platform_language_wins(faq: Harness) -> None:
    member = faq.user("alice", language="en-GB")
    await faq.say("J'ai oublié mon mot de passe", author=member)
    assert faq.replies()[0].startswith('Click "Forgot password".')


async def test_missing_language_falls_back_to_the_other(faq: Harness) -> None:
    report = await faq.say("Comment je peux me faire rembourser ?")
    assert answers(report) == ["refund"]
    text = faq.replies()[0]
    assert text.startswith("Refunds take 5 days.")
    assert "automatic answer" in text  # the whole message in the language it has


async def test_typos_and_rephrasing(faq: Harness) -> None:
    assert answers(await faq.say("jai oublier mon mot de passe", channel="a")) == ["password"]
    assert answers(await faq.say("how can i reset my pasword??", channel="b")) == ["password"]
    assert answers(await faq.say("ma comande arrive quand ?", channel="c")) == ["delivery"]


async def test_chat_and_other_questions_stay_unanswered(faq: Harness) -> None:
    for text in ("Ma commande est arrivée, merci !", "bonjour tout le monde",
                 "Vous recrutez en ce moment ?", "What time is the stream tonight?",
                 "C'est quoi le mot de passe du wifi au salon ?"):
        report = await faq.say(text)
        assert answers(report) == [], text
    assert faq.replies() == []


async def test_never_answers_the_team_unless_asked_to(make: Make) -> None:
    h = await make()
    await h.say("Comment réinitialiser mon mot de passe ?", author="claire")
    await h.say("Comment réinitialiser mon mot de passe ?",
                author=h.user("owner", role=Role.ADMIN), channel="other")
    assert h.replies() == []
    h2 = await make("answer_staff: true")
    assert answers(await h2.say("Comment réinitialiser mon mot de passe ?",
                                author="claire")) == ["password"]


async def test_bots_are_never_answered(faq: Harness) -> None:
    bot = User(id="console:otherbot", name="otherbot", is_bot=True)
    assert answers(await faq.say("How do I reset my password?", author=bot)) == []


async def test_addressed_mode_answers_only_messages_to_the_bot(make: Make) -> None:
    h = await make("listen: addressed")
    assert answers(await h.say("How do I reset my password?")) == []
    assert answers(await h.say("Vigie, how do I reset my password", channel="a")) == \
        ["password"]
    vigie = User(id="console:vigie", name="vigie", is_bot=True)
    assert answers(await h.say("@vigie mot de passe oublié", mentions=[vigie],
                               channel="b")) == ["password"]


async def test_a_message_to_the_bot_needs_no_question_mark(faq: Harness) -> None:
    assert answers(await faq.say("vigie: mot de passe oublié")) == ["password"]


async def test_replies_between_members_are_left_alone(faq: Harness) -> None:
    await faq.say("ma commande est en retard")
    first = faq.last
    report = await faq.say("quand arrive ta commande ?", author="bob", reply_to=first)
    assert answers(report) == []
    bob = faq.user("bob")
    report = await faq.say("@bob tu sais quand arrive la livraison ?", mentions=[bob])
    assert answers(report) == []


async def test_once_per_channel_within_the_cooldown(make: Make) -> None:
    h = await make("cooldown: 10m")
    assert answers(await h.say("Quand arrive ma commande ?")) == ["delivery"]
    second = await h.say("quand arrive ma commande ?", author="bob")
    assert answers(second) == []
    [decision] = [d for d in second.decisions if d.plugin == "faq"]
    assert "answered in this channel less than 10m ago" in decision.evidence
    assert answers(await h.say("quand arrive ma commande ?", channel="other")) == ["delivery"]
    await h.advance(timedelta(minutes=11))
    assert answers(await h.say("quand arrive ma commande ?", author="carol")) == ["delivery"]
    assert len(h.replies()) == 3


async def test_entry_cooldown_overrides_the_section(make: Make) -> None:
    entries = """\
entries:
  - id: delivery
    questions: {fr: ["Quand arrive ma commande ?"]}
    answer: {fr: "Sous 3 jours."}
    cooldown: 1m
"""
    h = await make("cooldown: 1h", entries=entries)
    assert answers(await h.say("Quand arrive ma commande ?")) == ["delivery"]
    await h.advance(timedelta(minutes=2))
    assert answers(await h.say("Quand arrive ma commande ?", author="bob")) == ["delivery"]


async def test_channels_and_communities_restrict_an_entry(make: Make) -> None:
    entries = """\
entries:
  - id: delivery
    questions: {fr: ["Quand arrive ma commande ?"]}
    answer: {fr: "Sous 3 jours."}
    channels: ["console:support"]
  - id: tickets
    questions: {fr: ["Où acheter des billets pour le salon ?"]}
    answer: {fr: "Sur la billetterie."}
    communities: ["console:other"]
"""
    h = await make(entries=entries)
    assert answers(await h.say("Quand arrive ma commande ?")) == []
    assert answers(await h.say("Quand arrive ma commande ?", channel="support")) == \
        ["delivery"]
    assert answers(await h.say("Où acheter des billets pour le salon ?")) == []
    other = await h.say("Où acheter des billets pour le salon ?", community="console:other")
    assert answers(other) == ["tickets"]


async def test_a_decision_explains_itself(faq: Harness) -> None:
    report = await faq.say("How do I reset my password?")
    [decision] = [d for d in report.decisions if d.plugin == "faq"]
    assert decision.rule == "answer:password"
    assert "confidence 1.00" in decision.evidence
    assert "closest example 'How do I reset my password?'" in decision.evidence
    rows = await faq.rows("SELECT rule, evidence FROM audit WHERE plugin = 'faq'")
    assert rows[0]["rule"] == "answer:password"


async def test_hostile_and_empty_messages_never_crash(faq: Harness) -> None:
    for text in ("comment " * 7000 + "?", "😀😂🎉 ?", "?", "??!!", "\u200b\u200b?", "",
                 "https://example.com/?q=mot+de+passe", "a" * 50_000):
        report = await faq.say(text)
        assert report.errors == []
        assert answers(report) == []
    assert faq.replies() == []


async def test_switched_off(make: Make) -> None:
    h = await make("enabled: false")
    assert answers(await h.say("How do I reset my password?")) == []
    assert h.replies() == []


async def test_an_edited_faq_applies_after_reload(faq: Harness) -> None:
    assert answers(await faq.say("Vous faites des cartes cadeaux ?")) == []
    text = faq.rules_path.read_text(encoding="utf-8").replace("entries:\n", """entries:
      - id: gift-cards
        questions: {fr: ["Vous faites des cartes cadeaux ?"], en: ["Do you sell gift cards?"]}
        answer: {fr: "Oui, de 20 à 200 €.", en: "Yes, from €20 to €200."}
""", 1)
    faq.rules_path.write_text(text, encoding="utf-8")
    outcome = await faq.app.rulebook.reload()
    assert outcome.status == "applied"
    assert answers(await faq.say("Vous vendez des cartes cadeaux ?", channel="x")) == \
        ["gift-cards"]


async def test_a_reply_to_the_bot_addresses_it(make: Make) -> None:
    h = await make("listen: addressed")
    await h.say("How do I reset my password?")
    assert h.replies() == []
    bot_message = MessageCreated(id="console:900", ts=h.clock.now(), community=h.community,
                                 channel="console:general", text="Hello!",
                                 author=User(id="console:vigie", name="vigie", is_bot=True))
    report = await h.say("mot de passe oublié", reply_to=bot_message)
    assert answers(report) == ["password"]


async def test_without_buttons(make: Make) -> None:
    h = await make("buttons: false")
    await h.say("How do I reset my password?")
    [sent] = h.adapter.of("send_message")
    assert sent["buttons"] == []

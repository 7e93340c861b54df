"""What `vigie bench` feeds the bot: a community stream, and the automod corpus and rules.

`community_stream` is what the default run and `--memory` use: several communities on Discord
and Telegram, each with its channels and members (a few staff), French and English, replies,
mentions, questions the FAQ answers (some with typos) and others it does not, links, a few long
messages, shouting, and about 2% abusive messages (insults from the built-in lexicons, some
with evasions, aimed at someone; hostile phrases in heated exchanges). It is a generator, so a
million messages are never held at once. `corpus` and `automod_rules` are the automod-only
workload (the scaling runs and the automod variants' rules).
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.events import MessageCreated, User
from bot.permissions import Role

__all__ = ["START", "automod_rules", "community_stream", "corpus", "pattern_list", "sized_stream",
           "word_list"]

START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
SYLLABLES = ("ka", "zo", "ri", "mu", "te", "xa", "bor", "vel", "qui", "dra", "nok", "pli",
             "gru", "sta", "fen", "lox", "wim", "yul", "osh", "tep")
FR = ("bonjour tout le monde, comment ça va aujourd'hui ?", "je pense que c'est une bonne idée",
      "quelqu'un a testé la nouvelle version ?", "merci beaucoup pour votre aide !",
      "on se retrouve ce soir pour la partie", "le serveur est un peu lent ce matin",
      "j'ai 3 questions sur l'inscription au concours", "c'est la dispute du siècle au parlement",
      "la réputation du député est en jeu", "rendez-vous à 14h30 devant la salle 2",
      "vous avez vu le match hier soir ? incroyable", "je bosse sur le projet, je suis confiant",
      "qui vient au pique-nique samedi ?", "la technique de ce joueur est folle 😄",
      "voici le lien : https://www.exemple.fr/page", "trop bien, j'adore cette communauté ❤️")
EN = ("hello everyone, how are you doing today?", "has anyone tried the new update yet",
      "thanks a lot for the help!", "see you tonight for the game",
      "my computer crashed again lol", "the meeting is at 3pm, don't be late",
      "what a cocktail party that was", "assassin's creed is on sale this weekend",
      "check https://github.com/example/project for the code", "I disagree but that's fine",
      "Scunthorpe won 2-1 last night", "can someone explain the rules to me?",
      "WOW THIS IS AMAZING NEWS EVERYONE", "good morning 🌞 have a nice day",
      "I'll be back in 10 minutes", "this is the best community ever")
VOCABULARY = {
    "fr": ("le", "la", "les", "un", "une", "des", "et", "mais", "donc", "avec", "pour", "dans",
           "sur", "pas", "très", "bien", "aussi", "encore", "toujours", "jamais", "demain",
           "hier", "soir", "matin", "serveur", "partie", "joueur", "équipe", "règles", "salon",
           "vidéo", "musique", "question", "réponse", "idée", "projet", "version", "mise",
           "jour", "bug", "merci", "génial", "nul", "sympa", "drôle", "vrai", "faux",
           "là", "ici", "chez", "moi", "toi", "nous", "vous", "eux", "c'est", "j'ai",
           "qu'il", "aujourd'hui", "peut-être", "café", "été", "élève", "école", "fête"),
    "en": ("the", "a", "and", "but", "so", "with", "for", "in", "on", "not", "very", "well",
           "also", "again", "always", "never", "tomorrow", "yesterday", "tonight", "morning",
           "server", "game", "player", "team", "rules", "channel", "video", "music",
           "question", "answer", "idea", "project", "version", "update", "bug", "thanks",
           "great", "bad", "nice", "funny", "true", "false", "there", "here", "me", "you",
           "we", "they", "it's", "I'm", "don't", "can't", "maybe", "coffee", "summer",
           "class", "school", "party", "weekend"),
}
ENDINGS = ("", "", "", "!", "?", " 😄", " 👍", " lol", " :)", " (2)", " 10h", " x3")
DOMAINS = tuple(f"scam{i}.example" for i in range(20))




def word_list(count: int, seed: int = 7) -> list[str]:
    """`count` distinct words: the built-in lexicons first, then made-up words."""
    from plugins.automod.lexicons import get_lexicon

    words: list[str] = []
    for name in ("fr-insults", "fr-slurs", "en-insults", "en-slurs"):
        words.extend(e for e in get_lexicon(name).entries if e not in words)
    rng = random.Random(seed)
    seen = set(words)
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words[:count]


def pattern_list(count: int = 60, seed: int = 11) -> list[str]:
    """Admin-style patterns: promotions, scams, codes."""
    rng = random.Random(seed)
    shapes = (r"free\s+{w}\s+(?:nitro|gift)", r"(?:buy|achete[rz]?)\s+{w}s?",
              r"{w}\d{{2,4}}", r"https?://\S*{w}", r"\b{w}\s*(?:coin|token)s?\b",
              r"(?:gagne[rz]?|win)\s+\d+\s*(?:€|\$|euros?)\s+{w}")
    return [rng.choice(shapes).format(w="".join(rng.choice(SYLLABLES) for _ in range(3)))
            for _ in range(count)]


def _evade(word: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:
        return word.translate(str.maketrans("oaei", "0@31"))
    if style == 1:
        return ".".join(word)
    if style == 2:
        return word.upper()
    if style == 3:
        return word[:2] + word[2] * 4 + word[3:] if len(word) > 3 else word
    return word


def corpus(count: int, words: Sequence[str], seed: int = 3) -> list[MessageCreated]:
    """`count` varied messages by 2,000 members in 20 channels, 1 in 50 abusive, 40 ms apart."""
    rng = random.Random(seed)
    members = [User(id=f"discord:{1000 + i}", name=f"member{i}",
                    account_created_at=START - timedelta(days=400)) for i in range(2000)]
    out = []
    for number in range(count):
        lang = "fr" if number % 2 else "en"
        filler = " ".join(rng.choices(VOCABULARY[lang], k=rng.randint(1, 12)))
        text = f"{rng.choice(FR if lang == 'fr' else EN)} {filler}{rng.choice(ENDINGS)}"
        if rng.random() < 0.3:
            text = filler + rng.choice(ENDINGS)
        if rng.random() < 0.02:
            text = f"{text} {_evade(rng.choice(words), rng)}"
        out.append(MessageCreated(
            id=f"discord:{10_000_000 + number}", ts=START + timedelta(milliseconds=40 * number),
            community="discord:1", channel=f"discord:{100 + number % 20}",
            author=rng.choice(members), text=text))
    return out


def automod_rules(words: Sequence[str], patterns: Sequence[str]) -> str:
    """The bench's rule file: words, patterns, flood, caps, links and duplicates."""
    quoted = ", ".join(f'"{w}"' for w in words)
    regexes = "\n".join(f"      pattern-{i}:\n        trigger: {{type: regex, patterns: "
                        f"['{p}']}}\n        actions: [delete]" for i, p in enumerate(patterns))
    deny = ", ".join(DOMAINS)
    return f"""version: 1
defaults:
  language: en
  automod:
    rules:
      words:
        trigger: {{type: words, words: [{quoted}]}}
        actions: [delete, warn]
{regexes}
      flood:
        trigger: {{type: flood, messages: 6, within: 10s}}
        actions: [{{type: timeout, duration: 5m}}]
      shouting:
        trigger: {{type: caps}}
        actions: [{{type: reply, template: shouting}}]
        cooldown: 10m
      links:
        trigger: {{type: links, invites: true, deny: [{deny}]}}
        actions: [delete]
      copies:
        trigger: {{type: duplicates, by: accounts, count: 4, within: 60s}}
        actions: [delete, alert]
"""


# -- the community stream ---------------------------------------------------------------------

FAQ_QUESTIONS = {
    "fr": ("où en est ma commande ?", "quand arrive ma commande ?", "combien coute la livraison ?",
           "vous livrez en belgique ?", "comment suivre mon colis svp ?",
           "ou trouver mon numero de suivi ?", "la livraison est gratuite ?",
           "je n'ai toujours pas reçu ma comande"),
    "en": ("where is my order?", "how long does shipping take?", "is shipping free?",
           "how can I track my ordr?", "do you ship to canada?",
           "where do I find my tracking number?", "when will I receive my package?"),
}
OTHER_QUESTIONS = {
    "fr": ("quelqu'un joue ce soir ?", "c'est quand le prochain tournoi ?",
           "vous avez vu la nouvelle vidéo ?", "qui vient samedi ?"),
    "en": ("anyone up for a game tonight?", "when is the next stream?",
           "did you see the new trailer?", "what time is the meetup?"),
}
HOSTILE = {
    "fr": ("tais toi", "ferme la", "dégage", "t'es ridicule", "c'est nul ce que tu dis",
           "arrête de raconter n'importe quoi"),
    "en": ("shut up", "get lost", "you're pathetic", "that's so stupid",
           "stop talking nonsense", "nobody asked you"),
}
ASKING = {"fr": (("", "salut, ", "bonjour, ", "excusez-moi, ", "petite question : ", "re, "),
                 ("", " svp", " merci", " ?", " merci d'avance", " 🙏")),
          "en": (("", "hi, ", "hello, ", "quick question: ", "hey ", "sorry, "),
                 ("", " please", " thanks", " ??", " thanks in advance", " 🙏"))}
AIMED = {"fr": ("t'es vraiment un {w}", "espèce de {w}", "{w} va", "quel {w} celui-là"),
         "en": ("you're such a {w}", "what a {w}", "shut up {w}", "you {w}")}
LINKS = ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://github.com/example/project",
         "https://www.exemple.fr/article/42", "https://twitter.com/example/status/1")
INVITES = ("discord.gg/freegames", "https://t.me/+AbCdEfGhIj")


def _lexicon_words(names: Sequence[str]) -> list[str]:
    from plugins.automod.lexicons import get_lexicon

    return [entry for name in names for entry in get_lexicon(name).entries
            if " " not in entry][:400]


def _members(count: int, platform: str, rng: random.Random) -> list[User]:
    """Members of one platform: about 1% CMs, 0.2% admins, some with a language and roles."""
    out = []
    for number in range(count):
        roll = rng.random()
        role = Role.ADMIN if roll < 0.002 else Role.CM if roll < 0.012 else Role.MEMBER
        out.append(User(
            id=f"{platform}:{10_000 + number}", name=f"{platform[0]}member{number}", role=role,
            language=rng.choice((None, None, "fr", "en")),
            account_created_at=START - timedelta(days=rng.randint(1, 2000)),
            platform_roles=rng.choice(((), ("Members",), ("Members", "Gamers"), ("VIP",)))))
    return out


def _long(lang: str, rng: random.Random) -> str:
    """A message of 1,000 to 2,000 characters (a story, a bug report, a rant)."""
    parts: list[str] = []
    target = rng.randint(1000, 2000)
    while sum(len(p) + 1 for p in parts) < target:
        parts.append(rng.choice(FR if lang == "fr" else EN))
        parts.append(" ".join(rng.choices(VOCABULARY[lang], k=rng.randint(5, 15))))
    return " ".join(parts)[:target]


def community_stream(count: int, *, communities: int = 6, channels: int = 60,
                     authors: int = 6000, seed: int = 21, every_ms: int = 40,
                     first_id: int = 50_000_000, start: datetime = START,
                     ) -> Iterator[MessageCreated]:
    """`count` messages across `communities` (half Discord, half Telegram), `channels` in all,
    by `authors` members, one every `every_ms` milliseconds; deterministic for a seed."""
    rng = random.Random(seed)
    insults = {"fr": _lexicon_words(("fr-insults",)), "en": _lexicon_words(("en-insults",))}
    places: list[tuple[str, str, str, list[User]]] = []  # community, channel, language, people
    per_platform = {p: _members(max(1, authors // 2), p, rng) for p in ("discord", "telegram")}
    for number in range(communities):
        platform = "discord" if number % 2 == 0 else "telegram"
        community = f"discord:{1000 + number}" if platform == "discord" \
            else f"telegram:-100{1000 + number}"
        lang = "fr" if number % 3 != 2 else "en"
        people = per_platform[platform]
        share = max(1, len(people) // max(1, communities // 2))
        first = (number // 2) * share % len(people)
        crowd = people[first:first + share] or people
        for slot in range(max(1, channels // communities)):
            channel = f"discord:{200_000 + number * 10_000 + slot}" if platform == "discord" \
                else f"telegram:-100{1000 + number}:{slot}"
            if platform == "telegram" and slot == 0:
                channel = f"telegram:-100{1000 + number}"
            places.append((community, channel, lang, crowd))
    recent: dict[str, deque[tuple[str, User]]] = {}
    busy = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(places))))  # Zipf
    for number in range(count):
        community, channel, lang, crowd = rng.choices(places, cum_weights=busy)[0]
        if rng.random() < 0.15:
            lang = "en" if lang == "fr" else "fr"
        regulars = max(1, len(crowd) // 20)  # 5% of the members post 30% of the messages
        author = crowd[rng.randrange(regulars)] if rng.random() < 0.3 \
            else crowd[rng.randrange(len(crowd))]
        earlier = recent.setdefault(channel, deque(maxlen=20))
        reply: tuple[str, User] | None = None
        if earlier and rng.random() < 0.2:
            reply = earlier[rng.randrange(len(earlier))]
        mentions: tuple[User, ...] = ()
        roll = rng.random()
        if roll < 0.012:  # abusive: a strong insult aimed at someone, sometimes disguised
            word = rng.choice(insults[lang])
            text = rng.choice(AIMED[lang]).format(w=_evade(word, rng))
            reply = reply or (earlier[-1] if earlier else None)
        elif roll < 0.02:  # abusive: hostile phrases, the stuff of heated exchanges
            text = f"{rng.choice(HOSTILE[lang])} {rng.choice(HOSTILE[lang])}"
            reply = reply or (earlier[-1] if earlier else None)
        elif roll < 0.13:
            before, after = ASKING[lang]
            asked = FAQ_QUESTIONS[lang] if roll < 0.09 else OTHER_QUESTIONS[lang]
            text = (f"{rng.choice(before)}{rng.choice(asked)}{rng.choice(after)} "
                    f"{rng.choice(VOCABULARY[lang])}")
        elif roll < 0.145:
            text = _long(lang, rng)
        elif roll < 0.165:
            text = f"{rng.choice(FR if lang == 'fr' else EN)} {rng.choice(LINKS)}"
        elif roll < 0.166:
            text = f"venez sur {rng.choice(INVITES)}" if lang == "fr" \
                else f"join us at {rng.choice(INVITES)}"
        elif roll < 0.171:
            text = rng.choice(EN if lang == "en" else FR).upper() + " !!!"
        else:
            filler = " ".join(rng.choices(VOCABULARY[lang], k=rng.randint(1, 12)))
            text = f"{rng.choice(FR if lang == 'fr' else EN)} {filler}{rng.choice(ENDINGS)}" \
                if rng.random() < 0.7 else filler + rng.choice(ENDINGS)
        if rng.random() < 0.08:
            other = crowd[rng.randrange(len(crowd))]
            mentions = (other,)
            text = f"@{other.name} {text}"
        message_id = f"{community.split(':')[0]}:{first_id + number}"
        yield MessageCreated(
            id=message_id, ts=start + timedelta(milliseconds=every_ms * number),
            community=community, channel=channel, author=author, text=text,
            reply_to=reply[0] if reply else None, reply_to_author=reply[1] if reply else None,
            mentions=mentions)
        earlier.append((message_id, author))


def sized_stream(count: int, chars: int, seed: int = 31) -> Iterator[MessageCreated]:
    """The community stream's authors, places and replies, every text ordinary chat of exactly
    `chars` characters (the same messages whatever `chars`, but for their length)."""
    rng = random.Random(seed)
    for event in community_stream(count, seed=seed, first_id=70_000_000):
        lang = rng.choice(("fr", "en"))
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) <= chars:
            parts.append(rng.choice(FR if lang == "fr" else EN))
            parts.append(" ".join(rng.choices(VOCABULARY[lang], k=rng.randint(3, 10))))
        yield replace(event, text=" ".join(parts)[:chars])

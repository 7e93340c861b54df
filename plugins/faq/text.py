"""What the FAQ matcher reads in a text: content terms, whether it asks something, its language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.text import NormalizedText

__all__ = [
    "EN_HINTS",
    "FR_HINTS",
    "STOPWORDS",
    "faq_words",
    "guess_language",
    "looks_like_question",
    "merge_compounds",
    "reading",
    "stem",
    "stems_of",
    "terms_of",
    "words_of",
]



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, greetings and fillers of French and English, folded (no accents). They say
# nothing about the topic of a question, so they neither match nor count against a match.
_FR_STOP = _words("""
a ai aie aient aies ait alors as au aucun aucune aupres aussi autre autres aux avais avait avec
avez avoir avons bah ben bien bon bonjour bonsoir c ca car ce cela celle celles celui certain
ces cet cette ceux chaque chez ci coucou comme comment d dans de des deja depuis dois doit donc
dont du elle elles en encore es est et etais etait ete etes etre eu eux faire fais fait faut
hello hui i il ils j je jusqu l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni
non nos notre nous on ont ou oui par parce pas peu peut peux plus pour pourquoi pourrais
pourriez pouvez pouvons puis puisque qu quand que quel quelle quelles quels qui quoi s sa sans
se ses si sil sils soit sommes son sont sors suis sur svp stp t ta te tes toi ton tous tout
toute toutes tres tu un une unes uns va vais vas vers veux voila vont vos votre vous vu y
salut merci mercii coucou aujourd aujourdhui quelqu quelquun personne chose truc trucs
combien ou quoi voudrais voudrait aimerais savoir sait sais dire dites question questions
aide aider besoin help svp stp slt bjr cc re ok okay oki lol mdr ptdr bref genre vraiment
toujours jamais rien tout deja encore ici la bas maintenant bientot hier demain soir matin
prend prendre prends mettre met mets mis donner donne aller venir viens voir vois regarder
general generalement normal normalement possible possibles souhaite souhaiterais voudrais
veut voulais moyen idee idees plus moins beaucoup trop tres assez peut-etre quelque
quelques gens passe passer passee etc exemple cas fois ya trouver trouve trouves semaine
semaines mois jour jours an ans annee annees dernier derniere derniers prochain prochaine
sera serai seront serez allez allons refaire avant apres deux trois
""")
_EN_STOP = _words("""
a about above after again all also am an and any anybody anyone anything are aren as at be
because been before being below between both but by can cannot cant could couldn d did didn
do does doesn doing don down during each else ever every few for from further get gets getting
got had has have having he her here hers him his how i if in into is isn it its itself just
know let ll m me might more most my myself need needs no nor not now of off on once one only or
other our ours out over own please pls plz re really s same she should so some someone
something still such t than thank thanks thx that the their them then there these they this
those through to too under until up us ve very want wanna was we were what when where which
while who whom why will with won would you your yours yourself hi hello hey guys everyone
anyone folks question questions help ok okay lol yes yeah yep today yesterday tomorrow tell
usually generally normally possible idea ideas thing things stuff guys people way ways
anymore already always sometimes never ever again like likes get gets got take takes took
make makes made put go goes going come comes came see look looking say said much many
lot lots bit also maybe still yet find found week weeks month months day days year years
last next ago after before two three
""")
STOPWORDS: frozenset[str] = _FR_STOP | _EN_STOP

FR_HINTS: frozenset[str] = _words("""
je j tu il elle nous vous ils elles le la les un une des du de est suis sont mon ma mes ton ta
votre vos notre nos ce cette ces qui que quoi comment quand pourquoi combien ou avec pour pas
ne et mais donc car sur dans chez oui non merci bonjour salut svp stp est-ce ai avez peux
""")
EN_HINTS: frozenset[str] = _words("""
i you he she we they it the a an is are am was were my your our their this that these those
what how when where why which who with for not no and but so on in at to of yes thanks hello
hi please do does did can could would should have has
""")

_SUFFIXES = ("issements", "issement", "ements", "ement", "ations", "ation", "ments", "ment",
             "ances", "ance", "ences", "ence", "ables", "able", "euses", "euse", "eurs", "eur",
             "ings", "ing", "ions", "ion", "ees", "ee", "es", "er", "ez", "ed", "e", "s", "x")
MIN_STEM = 4
COMPOUNDS: dict[tuple[str, ...], str] = {
    ("mot", "de", "passe"): "password",
    ("mots", "de", "passe"): "password",
    ("mdp",): "password",
    ("passwords",): "password",
    ("log", "in"): "login",
    ("sign", "in"): "login",
    ("signin",): "login",
    ("logon",): "login",
    ("e", "mail"): "email",
    ("e", "mails"): "email",
    ("mail",): "email",
    ("mails",): "email",
    ("emails",): "email",
    ("courriel",): "email",
}
"""Phrases read as one word: `mot de passe` and `mdp` are `password`, `sign in` is `login`."""
_LONGEST_COMPOUND = max(len(k) for k in COMPOUNDS)
_COMPOUND_STARTS = frozenset(k[0] for k in COMPOUNDS)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|allo|re)\b[\s,!.]*)?"
    r"(?:comment|quand|pourquoi|combien|quel(?:le)?s?|ou (?:est|sont|en|puis|trouver|peut)"
    r"|est[- ]ce|qu ?est|que faire|peut[- ]on|puis[- ]je|pouvez[- ]vous|peux[- ]tu|y a[- ]t"
    r"|avez[- ]vous|on peut|je peux|il faut|faut[- ]il|qui (?:peut|sait|a)|a qui"
    r"|how|when|where|why|what|which|who|whom|can (?:i|you|we|someone|anyone)"
    r"|could (?:i|you|someone)|do (?:i|you|we)|does|did|is (?:it|there|my)|are (?:you|there)"
    r"|will (?:i|my|you)|should i|any(?:one|body) (?:know|here)|has anyone|have you)\b")
_HELP_SEEKING = re.compile(
    r"\b(?:j ?ai oubli\w*|je n ?arrive pas|j ?arrive pas|je ne trouve pas|je trouve pas"
    r"|impossible de|je cherche|besoin d ?aide|aidez[- ]moi|je ne sais pas comment"
    r"|je sais pas comment|je voudrais savoir|j ?aimerais savoir|toujours pas recu"
    r"|pas encore recu|jamais recu|i forgot|i can ?t|i cannot|i couldn ?t|i m looking for"
    r"|i am looking for|i need help|need help|i don ?t know how|i dont know how"
    r"|i haven ?t received|i havent received|never received|still haven ?t|still havent"
    r"|still not received|doesn ?t work|does not work|ne marche pas|ne fonctionne pas"
    r"|marche pas|fonctionne pas|marche plus|fonctionne plus|n ?arrive pas|n ?arrive plus"
    r"|je voudrais|je souhaite|j ?aimerais|je veux|j ?ai besoin|i want|i need|i d like"
    r"|i would like|isn ?t working|not working|won ?t work|never came|never arrived"
    r"|declined|refused|refuse|cant|cannot|couldnt|wont|doesnt|didnt"
    r"|nothing happens|what (?:do|should|can) i do|what now|any ?one knows?|any ?body knows?"
    r"|does any ?one|help me|help pls|help please|need a hand|stuck"
    r"|quelqu ?un (?:sait|saurait|peut|aurait|a)|qqn (?:sait|peut)|on fait comment"
    r"|je fais comment|comment on fait|je dois faire quoi|que dois[- ]je|rien ne se passe"
    r"|ca marche pas|ca ne marche pas|ca fonctionne pas|toujours rien|aucune idee"
    r"|impossible|je galere|j ?y arrive pas|bloque|bloquee)\b")
_LONE_HELP = re.compile(r"(?:^|\b)(?:help|aide|au secours|sos|a l ?aide|helppp*)\W*$")
"""A message that ends on a call for help ("..., help", "aide !")."""


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light French and English stem: `commandes` and `commander` -> `command`."""
    if len(word) <= MIN_STEM:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


_WORD = re.compile(r"[^\W_]+")
"""A word of the folded text: letters and digits together (`1m78`, `v2`, `3`)."""


def faq_words(text: NormalizedText | str) -> list[str]:
    """The FAQ's own words of a text: folded (case, accents, look-alike letters) and split at
    everything that is not a letter or a digit; digits stay digits (no leetspeak reading:
    `1m78`, `v2`, `3 fois` are kept as written)."""
    plain = text.plain if isinstance(text, NormalizedText) else NormalizedText(text).plain
    return _WORD.findall(plain)


def _is_content(word: str) -> bool:
    """A word that says something about the topic: not a function word, not a lone number;
    short ones only when they mix letters and digits (`v2`, `4g`)."""
    if word.isdigit() or word in STOPWORDS:
        return False
    return len(word) >= 3 or (not word.isalpha() and any(c.isalpha() for c in word))


@lru_cache(maxsize=65_536)
def reading(word: str) -> tuple[str, bool]:
    """A word's stem, and whether it is a content term (see `terms_of`)."""
    return stem(word), _is_content(word)


def words_of(normalized: NormalizedText) -> list[str]:
    """The FAQ's words of a message (see `faq_words`), links left out."""
    plain = normalized.plain
    if "http" in plain or "www." in plain:
        plain = _URL.sub(" ", plain)
    return merge_compounds(_WORD.findall(plain))


def merge_compounds(words: list[str]) -> list[str]:
    """The words with each known phrase (COMPOUNDS) replaced by its one word."""
    if _COMPOUND_STARTS.isdisjoint(words):
        return words
    merged: list[str] = []
    at = 0
    while at < len(words):
        for size in range(min(_LONGEST_COMPOUND, len(words) - at), 0, -1):
            found = COMPOUNDS.get(tuple(words[at:at + size]))
            if found is not None:
                merged.append(found)
                at += size
                break
        else:
            merged.append(words[at])
            at += 1
    return merged


def stems_of(words: Iterable[str]) -> tuple[str, ...]:
    """Every word stemmed, function words included (for keyword phrases)."""
    return tuple(stem(word) for word in words)


def terms_of(words: Iterable[str]) -> list[str]:
    """Content terms: stems of the words that are not function words, numbers or too short."""
    terms: list[str] = []
    for word in words:
        if _is_content(word):
            terms.append(stem(word))
    return list(dict.fromkeys(terms))


_PROBLEM = re.compile(
    r"\b(?:not|never|cannot|no longer|(?:don|can|isn|doesn|didn|won|haven|hasn|wasn|aren"
    r"|couldn|wouldn) t|ne|n|pas|jamais|aucun|aucune|please|pls|plz|svp|stp|s il vous plait"
    r"|broken|broke|damaged|defective|faulty|rejected|invalid|wrong|error|problem|issue"
    r"|stuck|missing|lost|expired|casse|cassee|abime|abimee|defectueux|defectueuse|refusee"
    r"|invalide|incorrect|erreur|probleme|bloque|bloquee|perdu|perdue|manquant|expire)\b")


def _top_level(body: str) -> list[str] | None:
    """The alternatives of a regular expression's body, split at its top-level `|` (None when
    its parentheses do not pair up, or a character class is not a simple one)."""
    parts, depth, current, at = [], 0, "", 0
    while at < len(body):
        char = body[at]
        if char == "\\":
            current += body[at:at + 2]
            at += 2
            continue
        if char == "[":  # a character class, copied whole
            end = body.find("]", at + 2 if body[at + 1:at + 2] in ("]", "^") else at + 1)
            if end < 0 or "\\" in body[at:end]:
                return None
            current += body[at:end + 1]
            at = end + 1
            continue
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return None
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        at += 1
    return [*parts, current] if depth == 0 else None


def by_first_letter(pattern: str) -> str:
    """`\\b(?:alt|alt...)\\b` with its alternatives grouped by their first letter: the same
    matches, but the engine tries one group per position instead of every alternative."""
    body = pattern.removeprefix(r"\b(?:").removesuffix(r")\b")
    alternatives = _top_level(body) if len(body) == len(pattern) - 8 else None
    if alternatives is None:
        return pattern
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in alternatives:
        if alternative[:1].isalnum() and alternative[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(alternative[0], []).append(alternative[1:])
        else:
            others.append(alternative)
    branches = [f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()]
    return r"\b(?:" + "|".join([*branches, *others]) + r")\b"


_ASKS = re.compile("|".join(f"(?:{by_first_letter(p.pattern)})"
                            for p in (_QUESTION_START, _HELP_SEEKING, _PROBLEM)))
"""Whether a message asks something: the three patterns above in one search."""


def looks_like_question(normalized: NormalizedText) -> bool:
    """A question ("?", "how do I"), a request for help ("je n'arrive pas") or a problem."""
    plain = normalized.plain
    if "?" in plain or "？" in plain:
        if "http" not in plain and "www." not in plain:
            return True
        if "?" in _URL.sub(" ", plain):
            return True
    words = " ".join(words_of(normalized))
    return _ASKS.search(words) is not None or _LONE_HELP.search(words) is not None


def guess_language(words: Iterable[str], default: str) -> str:
    """`fr` or `en` from the function words a message uses; `default` when it cannot tell."""
    french = english = 0
    for word in words:
        french += word in FR_HINTS
        english += word in EN_HINTS
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return default

"""Measure the default insult rule on data Vigie did not write: `python scripts/eval_automod.py`.

Every message goes through the real App (tests/harness.py) with the automod plugin and the
default rule file (config/rules.yaml), each from a new member; a message counts as flagged when
the `insults` rule fires. The sets, all rebuilt the same way at each run:

- clean: the 10,000 most frequent French and English words of pyspellchecker's frequency lists
  (strong lexicon entries themselves left out and counted), each in a neutral sentence of its
  language, and famous Scunthorpe-class names and phrases;
- strong recall: the strong entries credited to a public list (scripts/build_lexicons.py),
  addressed to someone ("you X", "t'es un X"), plain and under each evasion the normaliser
  claims to handle;
- markup: ordinary uses of `*`, `#` and `_` in chat (emphasis, products, footnotes, code);
- dual: each dual entry aimed at a person (with the check's own words of address, and with
  ways written before reading them), and each dual word in an innocent sentence;
- old blind: eval/automod/blind_*.jsonl, written blind by someone who never saw the lexicons;
  its misses have been read since, so it is a development set now, no longer unseen.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spellchecker import SpellChecker  # noqa: E402

from bot.discovery import discover_plugins  # noqa: E402
from bot.text.lexicons import get_lexicon  # noqa: E402
from bot.text.normalize import word_forms  # noqa: E402
from tests.harness import Harness  # noqa: E402

RULE = "insults"
TOP_WORDS = 10_000
STRONG = {"fr": ("fr-insults", "fr-slurs"), "en": ("en-insults", "en-slurs")}
DUAL = {"fr": "fr-dual", "en": "en-dual"}
NEUTRAL = {
    "en": ("I looked up the word {w} in the dictionary today.",
           "Can someone tell me what {w} means in this sentence?",
           "{w} came up twice in the meeting notes."),
    "fr": ("J'ai cherché le mot {w} dans le dictionnaire aujourd'hui.",
           "Quelqu'un sait ce que veut dire {w} dans cette phrase ?",
           "{w} revient deux fois dans le compte rendu."),
}
ADDRESSED = {"en": "you {w}", "fr": "t'es un {w}"}
AIMED = {"en": ("you {w}", "you're a {w}", "what a {w}", "shut up you {w}"),
         "fr": ("t'es une {w}", "espèce de {w}", "sale {w}", "quel {w}")}
"""Ways of aiming a word written alongside the check (its own words of address)."""
AIMED_INDEPENDENT = {
    "en": ("you're such a {w}", "ur a {w}", "shut up, {w}", "get lost {w}",
           "hey {w}, nobody asked", "you absolute {w}", "stop being a {w}", "you little {w}",
           "nobody likes you, {w}", "he's a total {w}", "look at this {w}", "go home {w}"),
    "fr": ("t'es qu'une {w}", "tu es vraiment une {w}", "ferme-la {w}", "ta gueule {w}",
           "dégage {w}", "pauvre {w}", "bande de {w}", "casse-toi {w}", "toi la {w}",
           "va te faire voir {w}", "c'est vraiment une {w}", "mais quelle {w}"),
}
"""Ways of aiming a word written before reading the check's words of address (bot/text/aim.py),
by someone who knew only the task. Their misses were then read and the check given dismissals
("shut up X", "ta gueule X") and commas ("..., X"): a development set since."""
AIMED_HELD_OUT = {
    "en": ("oh shut it {w}", "you are such a {w}", "listen {w}", "you're nothing but a {w}",
           "go away {w}", "what are you, some kind of {w}?", "thanks for nothing {w}",
           "dude you're a {w}", "everyone knows you're a {w}", "bye {w}"),
    "fr": ("tu n'es qu'une {w}", "écoute-moi bien {w}", "t'es rien qu'une {w}",
           "on t'a pas sonné {w}", "tais-toi {w}", "vas-y {w}", "toi t'es une {w}",
           "mais t'es une {w} ou quoi", "tout le monde sait que t'es une {w}", "salut {w}"),
}
"""More ways of aiming a word, written after AIMED_INDEPENDENT's misses were seen but before the
check was changed, and never used to change it: the held-out measure."""
MARKUP = [
    "*sigh* fine, I'll do it", "that was **really** good", "5*3 = 15 and 2*x = 10",
    "price: 20 euros* (*shipping not included)", "the file is *.txt, use ls *.log",
    "*their, sorry for the typo", "I rate it 4*", "see note** below", "a*b + c*d",
    "my_var_name = 3", "use snake_case_names please", "#hashtag #throwback", "C# and F# code",
    "__init__.py is missing", "char *p = NULL;", "int* x = &y;", "_italic_ text",
    "***spoilers*** ahead", "he said *what*?", "10**6 is a million", "2**n grows fast",
    "the ***** rating", "****", "pass: ******", "user_name and pass_word",
    "*soupir* bon d'accord", "c'était **vraiment** bien", "prix* (*hors livraison)",
    "*leur, pardon", "note : 5*", "voir la remarque** plus bas", "#balancetonporc",
    "le fichier mon_fichier_final.pdf", "**Important** : lisez ceci", "_en italique_",
    "la touche * puis #", "tape *31# pour masquer ton numéro", "x*y*z = 1",
    "il a écrit p*** en entier", "f(x) = 3*x + 1", "bon_courage_a_tous", "A*B* search",
]
"""Ordinary uses of `*`, `#` and `_` in chat (written for this check, not from outside)."""
SCUNTHORPE = [
    "Scunthorpe United won again", "the Penistone line is closed", "I live in Cockermouth",
    "Middlesex and Essex", "Dick Van Dyke sang that song", "Moby Dick is a long novel",
    "Charles Dickens wrote it", "Emily Dickinson's poems", "Lake Titicaca is high",
    "Benedict Cumberbatch plays Sherlock", "the Arsenal match", "an assassin in the film",
    "she has a passion for classic cars", "Nigeria and Niger are neighbours",
    "the Rio Negro joins the Amazon", "Montenegro joined NATO", "a Maine Coon cat",
    "Jackson Pollock painted it", "pollock and cod for dinner", "Homo sapiens evolved",
    "Guido van Rossum created Python", "the goddess Hebe", "krautrock from the seventies",
    "Japan and the Japanese", "a niggardly sum", "don't snigger", "Hancock and Peacock",
    "the spastic colon diagnosis", "an industrial slag heap", "a garden hoe",
    "the Dyke Road in Brighton", "the FDP party in Germany", "PD stands for police department",
    "Sussex University", "Shitterton in Dorset", "Clitheroe Castle", "Lightwater village",
    "the Bastardo family", "Pakistan's cricket team", "a bundle of fagots for the fire",
    "Bitche est une ville de Moselle", "Condom dans le Gers", "Montcuq dans le Lot",
    "Connerré dans la Sarthe", "Couilly-Pont-aux-Dames", "La pédale de frein est usée",
    "une tapette à mouches", "retard de livraison", "le train est en retard",
    "un raton laveur", "la morue à la portugaise", "une truie et ses porcelets",
    "la traînée de l'avion", "une folle journée", "c'est con, j'ai raté le bus",
    "le Gogol de Saint-Pétersbourg", "la steppe mongole", "les ordures ménagères",
    "un fagot de bois", "mon pantalon sale, noir de boue", "le député de la Nièvre",
    "une salopette en jean", "la dispute d'hier", "il est tard, je rentre",
    "la chienne a eu des chiots", "La Folle de Chaillot de Giraudoux", "espèce protégée",
]
INNOCENT = {
    "pédale": "La pédale de frein est usée.", "tapette": "Il me faut une tapette à mouches.",
    "folle": "Quelle folle journée, je suis épuisé.", "con": "C'est con, j'ai raté le bus.",
    "conne": "Cette idée n'est pas si conne, en fait.",
    "chienne": "La chienne a eu six chiots.", "morue": "La morue à la portugaise, c'est bon.",
    "truie": "La truie et ses porcelets dorment.", "traînée": "La traînée de l'avion.",
    "raton": "Un raton laveur dans le jardin.", "fif": "Le fif de la semaine est annulé.",
    "étron": "Le chien a laissé un étron sur le trottoir.",
    "gogol": "Gogol a écrit Les Âmes mortes.", "mongol": "L'empire mongol était immense.",
    "ordure": "Je sors la poubelle, c'est jour des ordures.",
    "retard": "Retard de livraison sur ma commande.", "tard": "Il est tard, je rentre.",
    "fag": "He went outside for a fag.", "fagot": "Un fagot de bois pour la cheminée.",
    "dyke": "We walked along the dyke by the sea.", "bulldyke": "The word bulldyke is a slur.",
    "lesbo": "Lesbo is sometimes written for Lesbos.", "lezbo": "Lezbo appears in old texts.",
    "homo": "Homo sapiens is our species.", "queer": "The queer studies course starts today.",
    "prick": "I felt a prick on my finger.", "dick": "Dick Van Dyke is a great actor.",
    "pussy": "The pussy cat is asleep.", "slag": "The slag heap near the mine.",
    "spastic": "A spastic colon is painful.", "spaz": "Spaz is an old brand name.",
    "spac": "The SPAC deal closed today.", "mong": "Mong Kok is in Hong Kong.",
    "schizo": "The schizo-affective label was discussed.", "coon": "My Maine Coon is huge.",
    "negro": "The Rio Negro is a river.", "nig": "The NIG conference is in May.",
    "jap": "JAP is an abbreviation in the log.", "kraut": "Sauerkraut and kraut salad.",
    "pollock": "Pollock and chips tonight.", "hebe": "Hebe was the goddess of youth.",
    "guido": "Guido wrote Python.", "hoe": "Grab the hoe from the shed.",
    "douche": "Je prends une douche et j'arrive.", "poof": "And poof, the bug was gone.",
    "attardé": "Un voyageur attardé cherchait son train.",
    "retardé": "Le vol est retardé de deux heures.",
    "trisomique": "Elle s'occupe d'un enfant trisomique avec patience.",
    "cock": "The cock crowed at dawn.", "knob": "Turn the knob to the left.",
    "nonce": "Each request carries a fresh nonce.",
}


@dataclass
class Tally:
    """Flagged out of tried, and what was missed or wrongly flagged."""

    tried: int = 0
    flagged: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, flagged: bool, text: str, keep_if: bool) -> None:
        """Count one message; keep it as an example when `flagged == keep_if`."""
        self.tried += 1
        self.flagged += flagged
        if flagged == keep_if:
            self.examples.append(text)

    def rate(self) -> str:
        """`flagged/tried (percent)`."""
        share = 100 * self.flagged / self.tried if self.tried else 0.0
        return f"{self.flagged}/{self.tried} ({share:.2f}%)"


def key(entry: str) -> str:
    """An entry's normalised form, without wildcards."""
    forms = word_forms(entry.strip("*"))
    return forms[0].strip() if forms else ""


def strong_matcher(language: str) -> Callable[[str], bool]:
    """Whether a word is a strong entry of `language` (or matched by a strong wildcard)."""
    entries = [e for name in STRONG[language] for e in get_lexicon(name).entries]
    plain = {key(e) for e in entries if "*" not in e}
    patterns = [("*" if e.startswith("*") else "") + key(e) + ("*" if e.endswith("*") else "")
                for e in entries if "*" in e]
    def strong(word: str) -> bool:
        return any(part in plain or any(fnmatch.fnmatchcase(part, p) for p in patterns)
                   for part in key(word).split())
    return strong


def clean_messages() -> tuple[list[tuple[str, str]], list[str]]:
    """(language, text) of the clean set, and the frequent words left out as strong entries."""
    messages, excluded = [], []
    for language in ("en", "fr"):
        is_strong = strong_matcher(language)
        words = SpellChecker(language=language).word_frequency.dictionary
        ranked = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))
        kept = 0
        for word, _ in ranked:
            if kept == TOP_WORDS:
                break
            if is_strong(word):
                excluded.append(word)
                continue
            messages.append((language, NEUTRAL[language][kept % 3].format(w=word)))
            kept += 1
    return messages, excluded


def public_strong_entries(language: str) -> list[str]:
    """Strong entries whose comment in the lexicon file credits a public list (not vigie only)."""
    found = []
    for name in STRONG[language]:
        for line in (ROOT / "bot" / "text" / "lexicons" / f"{name}.yaml").read_text(
                encoding="utf-8").splitlines():
            if line.startswith("  - ") and "#" in line:
                entry, sources = line[4:].split("  # ")
                if sources.strip() != "vigie" and "*" not in entry:
                    found.append(entry.strip('"'))
    return found


LOOKALIKE = str.maketrans("aeocpxyi", "аеосрхуі")  # Cyrillic letters


def _leet(word: str) -> str:
    """Leetspeak inside a word that keeps a letter (a token of digits alone is a number)."""
    leet = word.translate(str.maketrans("aeiost", "4310$7"))
    return leet if any(c.isalpha() for c in leet) else word


def _masked(word: str, at: int, count: int, mask: str = "*") -> str:
    """`word` with `count` letters from `at` replaced by masks."""
    return word[:at] + mask * count + word[at + count:]


def evasions(word: str) -> dict[str, str]:
    """The word (or phrase) under each evasion the normaliser claims to handle; masks go in the
    longest word: its middle letter (`*`, `#`, also spaced out), two middle letters, or its last
    two letters."""
    leet = " ".join(_leet(part) for part in word.split(" "))
    vowels = [i for i, c in enumerate(word) if c in "aeiouy"]
    stretched = word if not vowels else word[:vowels[0]] + word[vowels[0]] * 4 + \
        word[vowels[0]:]
    spaced = "  ".join(" ".join(part) for part in word.split(" "))
    longest = max(word.split(" "), key=len)
    start = word.index(longest)
    middle = start + len(longest) // 2
    long_enough = len(longest) >= 3
    return {"plain": word, "leetspeak": leet, "look-alike": word.translate(LOOKALIKE),
            "stretched": stretched, "spaced": spaced,
            "asterisk": _masked(word, middle, 1) if long_enough else word,
            "hash": _masked(word, middle, 1, "#") if long_enough else word,
            "2 asterisks": _masked(word, middle - 1, 2) if len(longest) >= 5 else word,
            "masked end": _masked(word, start + len(longest) - 2, 2) if len(longest) >= 4
            else word,
            "spaced + *": "  ".join(" ".join(part) for part in (
                _masked(word, middle, 1) if long_enough else word).split(" "))}


class Runner:
    """Sends messages through the App and tells whether the insult rule fired, and why."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.count = 0

    async def check(self, text: str) -> tuple[bool, str]:
        """(flagged, evidence) for one message from a new member."""
        self.count += 1
        report = await self.h.say(text, author=f"member{self.count}")
        for decision in report.decisions:
            if decision.plugin == "automod" and decision.rule == RULE:
                return True, decision.evidence
        return False, ""


async def evaluate() -> None:
    """Run every set and print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        rules = (ROOT / "config" / "rules.yaml").read_text(encoding="utf-8")
        h = await Harness(Path(folder), rules=rules, plugins=discover_plugins()).start()
        h.community = "console:local"
        try:
            await _run(Runner(h))
        finally:
            await h.stop()


async def _run(run: Runner) -> None:
    clean, excluded = clean_messages()
    clean += [("names", text) for text in SCUNTHORPE]
    fps = []
    for language, text in clean:
        flagged, why = await run.check(text)
        if flagged:
            fps.append(f"[{language}] {text!r}: {why}")
    print(f"== False positives: {len(fps)}/{len(clean)} clean messages "
          f"({100 * len(fps) / len(clean):.3f}%; target <= 0.02%)")
    print(f"   ({TOP_WORDS} most frequent words per language in neutral sentences, "
          f"{len(SCUNTHORPE)} Scunthorpe-class names and phrases; {len(excluded)} frequent "
          f"words left out as strong entries themselves: {', '.join(sorted(excluded))})")
    for line in fps:
        print("   FP", line)
    markup = Tally()
    for text in MARKUP:
        flagged, why = await run.check(text)
        markup.add(flagged, f"{text!r}: {why}", keep_if=True)
    print(f"   ordinary `*`, `#`, `_` in chat: {markup.rate()} flagged {markup.examples}")
    print("\n== Strong entries of the public lists, addressed to someone")
    for language in ("fr", "en"):
        by_evasion: dict[str, Tally] = {}
        for entry in public_strong_entries(language):
            for evasion, form in evasions(entry).items():
                text = ADDRESSED[language].format(w=form)
                flagged, _ = await run.check(text)
                by_evasion.setdefault(evasion, Tally()).add(flagged, text, keep_if=False)
        total = Tally(sum(t.tried for t in by_evasion.values()),
                      sum(t.flagged for t in by_evasion.values()))
        print(f"   {language}: {total.rate()} (target >= 90%)")
        for evasion, tally in by_evasion.items():
            print(f"     {evasion:11} {tally.rate()}  missed e.g. {tally.examples[:4]}")
    print("\n== Dual entries")
    for language in ("fr", "en"):
        aimed, innocent = Tally(), Tally()
        for entry in get_lexicon(DUAL[language]).entries:
            for template in AIMED[language]:
                text = template.format(w=entry)
                flagged, _ = await run.check(text)
                aimed.add(flagged, text, keep_if=False)
            if entry in INNOCENT:
                flagged, why = await run.check(INNOCENT[entry])
                innocent.add(flagged, f"{INNOCENT[entry]!r}: {why}", keep_if=True)
        independent, held_out = Tally(), Tally()
        for entry in get_lexicon(DUAL[language]).entries:
            for templates, tally in ((AIMED_INDEPENDENT, independent),
                                     (AIMED_HELD_OUT, held_out)):
                for template in templates[language]:
                    text = template.format(w=entry)
                    flagged, _ = await run.check(text)
                    tally.add(flagged, text, keep_if=False)
        print(f"   {language}: aimed at a person, the check's own words of address "
              f"{aimed.rate()}, missed e.g. {aimed.examples[:6]}")
        print(f"   {language}: aimed at a person, ways written independently (development) "
              f"{independent.rate()}, missed e.g. {independent.examples[:8]}")
        print(f"   {language}: aimed at a person, ways written independently (held out) "
              f"{held_out.rate()} (target >= 80%), missed e.g. {held_out.examples[:8]}")
        print(f"   {language}: innocent sense flagged {innocent.rate()} (target 0) "
              f"{innocent.examples}")
    print("\n== Old blind sets (eval/automod/blind_*.jsonl; read since 2026-12-05: a development "
          "set now, no longer unseen)")
    await _blind(run)


async def _blind(run: Runner) -> None:
    folder = ROOT / "eval" / "automod"
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    by_language: dict[str, dict[str, int]] = {}
    for name in ("blind_abusive.jsonl", "blind_clean.jsonl"):
        path = folder / name
        if not path.exists():
            print(f"   {name}: not there yet")
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            flagged, _ = await run.check(item["text"])
            abusive = item["label"] == "abusive"
            outcome = ("tp" if flagged else "fn") if abusive else ("fp" if flagged else "tn")
            counts[outcome] += 1
            lang = by_language.setdefault(item.get("lang", "?"), dict.fromkeys(counts, 0))
            lang[outcome] += 1
    for name, c in [*sorted(by_language.items()), ("all", counts)]:
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"   {name}: precision {precision:.3f}, recall {recall:.3f} ({c})")


if __name__ == "__main__":
    asyncio.run(evaluate())

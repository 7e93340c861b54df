"""Score the reputation warning on the scripted community days (default: the blind set).

    python scripts/eval_reputation_days.py [--days eval/reputation/scripted_days]
                                           [--only day04.jsonl ...] [--json OUT.json]

Builds a rule file from labels.json's `brand` block as a CM would write it (config/rules.yaml
with every plugin as shipped, the brand, its products, the topics and the competitor as
reputation terms, each community in its language with an alerts channel, so warnings are
posted), replays each day on its own through `vigie replay` (a fresh in-memory database: no
baseline from earlier days; `--in-a-row`: the days as one log in date order, as a bot running
through them would see them), collects the reputation warnings with their times, terms and
communities, and scores them against labels.json:

- crisis days: caught (a warning on the crisis's topic, product or the brand at or after the
  labelled start), the delay from the start (target: within 15 minutes), warnings before the
  start or on unrelated terms (false alerts), and, for the day that spreads from one platform
  to the other, whether the later community's warning says it spreads from the first;
- calm days: every warning is a false alert (target 0);
- the one_member day apart: a warning is not expected (a one-author alert is tolerated).

Prints a table, then the figures as JSON (also written to --json). Nothing is tuned here: the
detector runs with the rule file's default warning settings.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugins.reputation.settings import Term  # noqa: E402

DEFAULT_DAYS = ROOT / "eval" / "reputation" / "scripted_days"
BASE_RULES = ROOT / "config" / "rules.yaml"
TARGET = timedelta(minutes=15)
LANGUAGES = {"discord": "fr", "telegram": "en"}
"""Each community's language, as its README describes it (mostly French / mostly English)."""
ALERTS = {"discord": "discord:2999", "telegram": "telegram:-1009"}
"""A CM channel per platform, where warnings are posted (not in the logs: nobody talks there)."""
_NOTE = re.compile(r"\s*\([^)]*\)")


def slug(name: str) -> str:
    """A term id from a name (`SAV / support` -> `sav-support`)."""
    return re.sub(r"[^a-z0-9]+", "-", _NOTE.sub("", name).lower()).strip("-")[:40]


def _valid(words: list[str], dropped: list[str]) -> list[str]:
    """The words `vigie check` accepts, each once (case-insensitively); the others noted."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw in words:
        word = _NOTE.sub("", raw).strip()
        if not word or word.lower() in seen:
            continue
        try:
            Term(id="probe", words=(word,))
        except ValueError:
            dropped.append(raw)
            continue
        seen.add(word.lower())
        kept.append(word)
    return kept


def brand_terms(brand: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The reputation terms a CM writes from the brand block, and the words `vigie check`
    would refuse (dropped). A parenthesised note (`Max (scooter)`) is not part of a word."""
    dropped: list[str] = []
    terms: list[dict[str, Any]] = [{"id": slug(brand["name"]), "kind": "brand",
                                    "label": brand["name"],
                                    "words": _valid(list(brand["brand_terms"]), dropped)}]
    for name, words in brand.get("products", {}).items():
        terms.append({"id": slug(name), "kind": "product", "label": name,
                      "words": _valid(list(words), dropped)})
    for name, languages in brand.get("topics", {}).items():
        term: dict[str, Any] = {"id": slug(name), "kind": "topic", "label": name}
        for lang in ("fr", "en"):
            if languages.get(lang):
                term[lang] = _valid(list(languages[lang]), dropped)
        terms.append(term)
    competitor = brand.get("competitor")
    if competitor:
        terms.append({"id": slug(competitor["name"]), "kind": "competitor",
                      "label": competitor["name"],
                      "words": _valid(list(competitor["terms"]), dropped)})
    known = {w.lower() for t in terms for k in ("words", "fr", "en") for w in t.get(k, ())}
    extra = [w for w in brand.get("common_misspellings", ()) if w.lower() not in known]
    terms[0]["words"] += _valid(extra, dropped)  # a misspelling not listed yet: the brand's
    return terms, dropped


def rule_file(brand: dict[str, Any], communities: list[str]) -> dict[str, Any]:
    """config/rules.yaml with the brand's terms and the days' communities (language, alerts
    channel); every other setting as shipped."""
    rules: dict[str, Any] = YAML(typ="safe").load(BASE_RULES.read_text(encoding="utf-8"))
    terms, _ = brand_terms(brand)
    rules["defaults"].setdefault("reputation", {})["terms"] = terms
    for community in communities:
        platform = community.partition(":")[0]
        rules.setdefault("communities", {})[community] = {
            "name": f"{brand['name']} {platform.capitalize()}",
            "language": LANGUAGES.get(platform, "en"),
            "alerts_channel": ALERTS.get(platform, f"{platform}:999")}
    return rules


def write_rules(rules: dict[str, Any], path: Path) -> None:
    """Write a rule file as YAML."""
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(rules, out)


@dataclass(frozen=True, slots=True)
class Warning:
    """A reputation warning as `vigie replay` showed it."""

    ts: str
    community: str
    term: str
    event: str
    kind: str
    posted: bool
    spread_from: list[str]
    evidence: str


def replay(day: Path, rules: Path) -> tuple[list[Warning], dict[str, Any]]:
    """Replay one day through `vigie replay` (every plugin of the rule file); its warnings
    and the replay's summary."""
    events = {}
    for line in day.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            events[row["id"]] = row
    done = subprocess.run([sys.executable, "-m", "bot", "replay", str(day), "--config",
                           str(rules), "--format", "json"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"vigie replay {day.name} failed ({done.returncode}):\n"
                           f"{done.stderr[-3000:]}")
    found: list[Warning] = []
    summary: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "summary" in row:
            summary = row["summary"]
            continue
        rule = str(row.get("rule", ""))
        if row.get("plugin") != "reputation" or not rule.startswith("warning:"):
            continue
        event = events.get(row["event"], {})
        evidence = str(row.get("evidence", ""))
        spread = re.search(r"also rising in (.+)$", evidence)
        found.append(Warning(
            ts=event.get("ts", ""), community=event.get("community", ""),
            term=rule.partition(":")[2], event=row["event"],
            kind=_kind(evidence),
            posted=any(a.get("type") == "send" for a in row.get("actions", ())),
            spread_from=[p.strip() for p in spread.group(1).split(",")] if spread else [],
            evidence=evidence))
    return found, summary


def _kind(evidence: str) -> str:
    """Which test warned: the smaller p-value."""
    share = re.search(r"p\(share\)=([0-9.e+-]+)", evidence)
    volume = re.search(r"p\(volume\)=([0-9.e+-]+)", evidence)
    if share and volume:
        return "share" if float(share.group(1)) <= float(volume.group(1)) else "volume"
    return "?"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


@dataclass(slots=True)
class DayScore:
    """What the warning did on one day, against its label."""

    day: str
    scenario: str
    crisis: bool
    start: str | None
    warnings: list[Warning]
    caught: bool | None = None
    delay_min: float | None = None
    within_target: bool | None = None
    first_by_community: dict[str, float] = field(default_factory=dict)
    false_alerts: int = 0
    spread: dict[str, Any] | None = None
    note: str = ""


def score_day(name: str, label: dict[str, Any], warnings: list[Warning],
              terms: dict[str, str]) -> DayScore:
    """Caught, delay and false alerts of one day (terms: label name -> term id)."""
    scored = DayScore(name, label["scenario"], bool(label["crisis"]), label.get("start"),
                      warnings)
    if label["scenario"] == "one_member":
        scored.false_alerts = len(warnings)
        authors = label.get("one_member", {}).get("name", "the member")
        scored.note = (f"{len(warnings)} warning(s) while {authors} shouted"
                       if warnings else "no warning (none expected)")
        return scored
    if not scored.crisis:
        scored.false_alerts = len(warnings)
        return scored
    start = _time(label["start"])
    related = {terms.get(str(label.get("term"))), terms.get(str(label.get("product"))),
               terms.get("__brand__")} - {None}
    hits = [w for w in warnings if w.term in related and _time(w.ts) >= start]
    scored.false_alerts = len(warnings) - len(hits)
    scored.caught = bool(hits)
    if hits:
        delay = _time(hits[0].ts) - start
        scored.delay_min = _minutes(delay)
        scored.within_target = delay <= TARGET
    by_community = label.get("start_by_community") or {}
    for community, began in by_community.items():
        mine = [w for w in hits if w.community == community]
        if mine:
            scored.first_by_community[community] = _minutes(_time(mine[0].ts) - _time(began))
    if label["scenario"].startswith("spread") and by_community:
        first, later = sorted(by_community, key=lambda c: _time(by_community[c]))[:2]
        in_first = [w for w in hits if w.community == first]
        in_later = [w for w in hits if w.community == later]
        linked = [w for w in in_later if first in w.spread_from]
        scored.spread = {
            "from": first, "to": later, "alerts_first": len(in_first),
            "alerts_later": len(in_later), "later_says_spread": bool(linked),
            "verdict": ("no alert" if not hits else
                        "one alert, not followed to the second platform" if not in_later else
                        "alert in the second platform only" if not in_first else
                        "two alerts, the second says it spread" if linked else
                        "two unrelated alerts")}
    return scored


def term_ids(brand: dict[str, Any]) -> dict[str, str]:
    """Label names (topic, product, brand) -> the term ids the rule file gives them."""
    ids = {name: slug(name) for name in (*brand.get("products", {}), *brand.get("topics", {}))}
    ids["__brand__"] = slug(brand["name"])
    return ids


def evaluate(days_dir: Path, only: list[str] | None = None,
             in_a_row: bool = False) -> dict[str, Any]:
    """Replay every (or the named) day against the CM's rule file, each alone (a fresh
    database) or all in one log in date order (`in_a_row`: earlier days are the baseline, as
    for a bot running through them); the scores."""
    labels = json.loads((days_dir / "labels.json").read_text(encoding="utf-8"))
    brand = labels["brand"]
    names = [n for n in sorted(labels["days"]) if not only or n in only]
    communities = sorted({c for d in labels["days"].values() for c in d.get("communities", ())}
                         | {"discord:1001", "telegram:-1002"})
    _, dropped = brand_terms(brand)
    scores: list[DayScore] = []
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.yaml"
        write_rules(rule_file(brand, communities), rules)
        if in_a_row:
            joined = Path(tmp) / "days.jsonl"
            joined.write_text("".join((days_dir / n).read_text(encoding="utf-8")
                                      for n in names), encoding="utf-8")
            warnings, _ = replay(joined, rules)
            by_day = {n: [w for w in warnings if w.ts[:10] == labels["days"][n]["date"]]
                      for n in names}
        else:
            by_day = {n: replay(days_dir / n, rules)[0] for n in names}
        for name in names:
            scores.append(score_day(name, labels["days"][name], by_day[name], term_ids(brand)))
    return {"protocol": "in a row" if in_a_row else "each day alone",
            "days": [_as_json(s) for s in scores], "totals": _totals(scores),
            "dropped_words": dropped}


def _as_json(score: DayScore) -> dict[str, Any]:
    data = asdict(score)
    data["warnings"] = [{k: v for k, v in w.items() if k != "evidence"}
                        for w in data["warnings"]]
    return data


def _totals(scores: list[DayScore]) -> dict[str, Any]:
    crises = [s for s in scores if s.crisis]
    calm = [s for s in scores if not s.crisis and s.scenario != "one_member"]
    return {"crisis_days": len(crises), "caught": sum(bool(s.caught) for s in crises),
            "caught_within_15_min": sum(bool(s.within_target) for s in crises),
            "calm_days": len(calm), "false_alerts_calm_days": sum(s.false_alerts for s in calm),
            "false_alerts_crisis_days": sum(s.false_alerts for s in crises),
            "one_member_warnings": sum(s.false_alerts for s in scores
                                       if s.scenario == "one_member")}


def table(result: dict[str, Any]) -> str:
    """The scores for people."""
    lines = [f"protocol: {result['protocol']}",
             f"{'day':<12}{'scenario':<27}{'crisis':<7}{'caught':<8}{'delay':>9}  "
             f"{'≤15m':<6}{'false':>6}  warnings (UTC time community term)"]
    for day in result["days"]:
        caught = "-" if day["caught"] is None else "yes" if day["caught"] else "NO"
        delay = "-" if day["delay_min"] is None else f"{day['delay_min']:.1f} m"
        within = "-" if day["within_target"] is None else "yes" if day["within_target"] else "no"
        shown = "; ".join(f"{w['ts'][11:16]} {w['community']} {w['term']}"
                          + (f" (spread from {','.join(w['spread_from'])})"
                             if w["spread_from"] else "") for w in day["warnings"]) or "none"
        lines.append(f"{day['day']:<12}{day['scenario']:<27}{str(day['crisis']).lower():<7}"
                     f"{caught:<8}{delay:>9}  {within:<6}{day['false_alerts']:>6}  {shown}")
        if day["spread"]:
            lines.append(f"{'':<12}cross-platform: {day['spread']['verdict']}")
        if day["first_by_community"]:
            lines.append(f"{'':<12}first warning after each community's start: " + ", ".join(
                f"{c} {m:.1f} m" for c, m in day["first_by_community"].items()))
        if day["note"]:
            lines.append(f"{'':<12}{day['note']}")
    t = result["totals"]
    lines.append(f"\ncrisis days caught: {t['caught']}/{t['crisis_days']} "
                 f"({t['caught_within_15_min']} within 15 minutes); false alerts on calm days: "
                 f"{t['false_alerts_calm_days']} over {t['calm_days']} days; on crisis days "
                 f"(before the start or another term): {t['false_alerts_crisis_days']}; "
                 f"one_member day: {t['one_member_warnings']} warning(s)")
    if result["dropped_words"]:
        lines.append("words vigie check refuses, left out of the rule file: "
                     + ", ".join(result["dropped_words"]))
    return "\n".join(lines)


def main() -> int:
    """Replay the days, print the table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=Path, default=DEFAULT_DAYS)
    parser.add_argument("--only", nargs="*", help="day files to score (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--in-a-row", action="store_true", help="replay the days as one log "
                        "in date order (earlier days make the baseline) instead of each alone")
    args = parser.parse_args()
    result = evaluate(args.days, args.only, args.in_a_row)
    print(table(result))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

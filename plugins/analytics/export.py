"""`vigie report`: every community's figures as one self-contained HTML page, or raw CSV."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from bot.i18n import Catalog
from bot.storage import Transaction
from plugins.analytics.charts import overview_png
from plugins.analytics.collect import hour_of, hour_text
from plugins.analytics.figures import SANCTIONS, Figures
from plugins.analytics.plugin import AnalyticsPlugin, chart_title
from plugins.analytics.render import TextRenderer, shown_channel

__all__ = ["Section", "catalog", "csv_report", "html_report"]

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1250px;padding:0 1rem;
color:#1f2328;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}
th,td{border-color:#3d444d}}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;
padding:.2rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
img{max-width:100%;height:auto}ul{line-height:1.5}
"""


@dataclass(frozen=True, slots=True)
class Section:
    """One community in the report: its name and figures."""

    name: str
    figures: Figures


def catalog() -> Catalog:
    """The core catalog with the analytics messages."""
    found = Catalog()
    AnalyticsPlugin.register_messages(found)
    return found


def html_report(sections: Sequence[Section], catalog: Catalog, lang: str, *, start: datetime,
                end: datetime, made: datetime, database: str, theme: str = "light",
                chart: Callable[[Figures, TextRenderer, str, str], bytes] | None = None) -> str:
    """The page: per community, the summary, the chart (a data: URI) and the tables; every
    text from the database or the rule file is escaped."""
    r = TextRenderer(catalog, lang)
    draw = chart or (lambda f, rr, title, th: overview_png(f, rr.t, title, th))
    title = r.t("analytics.html.title", start=f"{start:%Y-%m-%d}",
                end=f"{end - timedelta(days=1):%Y-%m-%d}")
    made_text = r.t("analytics.html.generated", when=f"{made:%Y-%m-%d %H:%M}", database=database)
    out = [f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">',
           f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
           f"<h1>{escape(title)}</h1>", f"<p>{escape(made_text)}</p>"]
    if not sections:
        out.append(f"<p>{escape(r.t('analytics.html.none'))}</p>")
    for section in sections:
        out += _section(section, r, draw, theme)
    out.append("</body></html>\n")
    return "\n".join(out)


def _section(section: Section, r: TextRenderer,
             draw: Callable[[Figures, TextRenderer, str, str], bytes], theme: str) -> list[str]:
    f = section.figures
    lines = r.lines(f, section.name)
    out = [f"<h2>{escape(lines[0])}</h2>", f"<h3>{escape(r.t('analytics.html.summary'))}</h3>",
           "<ul>", *(f"<li>{escape(line)}</li>" for line in lines[1:]), "</ul>"]
    png = draw(f, r, chart_title(r, f, section.name), theme)
    data = base64.b64encode(png).decode("ascii")
    out.append(f'<img alt="{escape(chart_title(r, f, section.name))}" '
               f'src="data:image/png;base64,{data}">')
    out.append(f"<h3>{escape(r.t('analytics.html.daily'))}</h3>")
    heads = [r.t(k) for k in ("analytics.html.day", "analytics.chart.messages",
                              "analytics.chart.active", "analytics.chart.joins",
                              "analytics.chart.leaves", "analytics.chart.by_team",
                              "analytics.chart.by_faq", "analytics.chart.unanswered")]
    rows = [[day, *counts, team, faq, max(0, asked - team - faq)]
            for (day, *counts), (_, asked, team, faq, _) in zip(f.daily, f.answers_daily,
                                                             strict=True)]
    out.append(_table(heads, rows))
    if f.channels:
        out.append(f"<h3>{escape(r.t('analytics.html.channels'))}</h3>")
        out.append(_table([r.t("analytics.html.channel"), r.t("analytics.chart.messages")],
                          [[shown_channel(name), n] for name, n in f.channels]))
    m = f.moderation
    if m.by_rule:
        out.append(f"<h3>{escape(r.t('analytics.chart.rules'))}</h3>")
        out.append(_table([r.t("analytics.html.rule"), r.t("analytics.chart.cases"),
                           r.t("analytics.chart.pardoned")],
                          [[r.rule_name(x.name), x.cases, x.pardoned] for x in m.by_rule]))
    if m.by_cm:
        out.append(f"<h3>{escape(r.t('analytics.html.team'))}</h3>")
        out.append(_table([r.t("analytics.html.member"), r.t("analytics.chart.cases"),
                           r.t("analytics.chart.pardoned")],
                          [[x.name, x.cases, x.pardoned] for x in m.by_cm]))
    if m.repeat:
        out.append(f"<h3>{escape(r.t('analytics.chart.repeat'))}</h3>")
        out.append(_table([r.t("analytics.html.kind"), r.t("analytics.chart.cases"),
                           r.t("analytics.html.again")],
                          [[r.t(f"analytics.kind.{k}"), *m.repeat[k]] for k in SANCTIONS
                           if k in m.repeat]))
    if m.monitor:
        out.append(f"<h3>{escape(r.t('analytics.html.monitor'))}</h3>")
        out.append(_table([r.t("analytics.html.rule"), r.t("analytics.html.would"),
                           r.t("analytics.html.what")],
                          [[k, v, r.would(m.would.get(k, {})) or r.t("analytics.none")]
                           for k, v in sorted(m.monitor.items())]))
    if f.cohorts:
        out.append(f"<h3>{escape(r.t('analytics.chart.retention'))}</h3>")
        out.append(_table([r.t("analytics.chart.week"), r.t("analytics.chart.new"),
                           r.t("analytics.chart.back7"), r.t("analytics.chart.back30")],
                          [[k.week, k.members, _pct(k.back7, k.members),
                            _pct(k.back30, k.members)] for k in f.cohorts]))
    o = f.others
    if o.faq:
        out.append(f"<h3>{escape(r.t('analytics.html.faq'))}</h3>")
        out.append(_table([r.t("analytics.html.entry"), r.t("analytics.html.answers"),
                           r.t("analytics.html.helpful"), r.t("analytics.html.unhelpful")],
                          [[e.entry, e.answers, e.helpful, e.unhelpful] for e in o.faq]))
    if o.reputation:
        out.append(f"<h3>{escape(r.t('analytics.html.reputation'))}</h3>")
        out.append(_table([r.t("analytics.html.term"), r.t("analytics.html.mentions"),
                           r.t("analytics.html.negative"), r.t("analytics.html.positive")],
                          [[t.term, t.mentions, t.negative, t.positive] for t in o.reputation]))
    return out


def _pct(part: int | None, whole: int) -> str:
    """`40%`, or an empty cell when it cannot be told yet."""
    return "" if part is None or not whole else f"{round(100 * part / whole)}%"


def _table(heads: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


async def csv_report(db: Transaction, communities: Sequence[str], start: datetime,
                     end: datetime) -> str:
    """The raw aggregates of the period: hourly counters, then active members per day
    (metric `active_members`, channel empty, hour empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["community", "channel", "day", "hour", "metric", "value"])
    for community in communities:
        rows = await db.fetch_all(
            "SELECT channel, hour, metric, value FROM analytics_hours WHERE community = :c"
            " AND hour >= :s AND hour < :e ORDER BY hour, channel, metric",
            {"c": community, "s": hour_text(hour_of(start)), "e": hour_text(hour_of(end))})
        for r in rows:
            hour = str(r["hour"])
            writer.writerow([community, r["channel"], hour[:10], hour[11:], r["metric"],
                             r["value"]])
        days = await db.fetch_all(
            "SELECT day, COUNT(*) AS n FROM analytics_active WHERE community = :c"
            " AND day >= :s AND day < :e GROUP BY day ORDER BY day",
            {"c": community, "s": f"{start:%Y-%m-%d}", "e": f"{end:%Y-%m-%d}"})
        for r in days:
            writer.writerow([community, "", r["day"], "", "active_members", r["n"]])
    return out.getvalue()

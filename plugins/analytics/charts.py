"""Charts of the figures, drawn off screen (matplotlib, Agg): one PNG, labelled in one language."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from plugins.analytics.figures import SANCTIONS, Figures

__all__ = ["HEIGHT", "THEMES", "WIDTH", "overview_png"]

WIDTH, HEIGHT, DPI = 1200, 1600, 100
"""Size of the overview image in pixels."""
RULES_SHOWN = 8
FASTEST = 0.1
"""Minutes: the bottom of the response-time panel (an answer at once is drawn there)."""

THEMES: dict[str, dict[str, str]] = {
    # Colours read on a white page and in a dark chat client alike: the image carries its own
    # background, and the series colours (blue, orange, grey) contrast with both.
    "light": {"bg": "#ffffff", "fg": "#1f2328", "grid": "#d0d7de", "a": "#1f77b4",
              "b": "#e8710a", "c": "#8c959f", "map": "Blues"},
    "dark": {"bg": "#1e1f22", "fg": "#e6edf3", "grid": "#3d444d", "a": "#58a6ff",
             "b": "#f0883e", "c": "#8b949e", "map": "magma"},
}

Label = Callable[[str], str]


def overview_png(f: Figures, label: Label, title: str, theme: str = "light") -> bytes:
    """Eight panels (activity, growth, weekly rhythm, retention, questions, response times,
    sanctions by rule, repeat offences) as a WIDTH x HEIGHT PNG; `label(key)` gives catalog
    texts in the reader's language."""
    colours = THEMES[theme]
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=colours["bg"])
    fig.suptitle(title, color=colours["fg"], fontsize=14)
    axes = fig.subplots(4, 2)
    for ax in axes.flat:
        _style(ax, colours)
    _activity(axes[0][0], f, label, colours)
    _growth(axes[0][1], f, label, colours)
    _heatmap(axes[1][0], f, label, colours, fig)
    _retention(axes[1][1], f, label, colours)
    _questions(axes[2][0], f, label, colours)
    _times(axes[2][1], f, label, colours)
    _rules(axes[3][0], f, label, colours)
    _repeat(axes[3][1], f, label, colours)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor=colours["bg"])
    return out.getvalue()


def _style(ax: Axes, c: dict[str, str]) -> None:
    ax.set_facecolor(c["bg"])
    for spine in ax.spines.values():
        spine.set_color(c["grid"])
    ax.tick_params(colors=c["fg"], labelsize=8)
    ax.title.set_color(c["fg"])
    ax.xaxis.label.set_color(c["fg"])
    ax.yaxis.label.set_color(c["fg"])
    ax.grid(True, color=c["grid"], linewidth=0.5, alpha=0.7)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _days(f: Figures) -> tuple[list[int], list[str]]:
    """x positions and short day labels (at most ~10 shown)."""
    labels = [day[5:] for day, *_ in f.daily]
    return list(range(len(labels))), labels


def _ticks(ax: Axes, xs: list[int], labels: list[str]) -> None:
    step = max(1, len(xs) // 10)
    ax.set_xticks(xs[::step], labels[::step], rotation=45, ha="right")


def _empty(ax: Axes, label: Label, c: dict[str, str]) -> None:
    ax.text(0.5, 0.5, label("analytics.chart.empty"), ha="center", va="center",
            transform=ax.transAxes, color=c["c"])


def _legend(ax: Axes, c: dict[str, str],
            loc: Literal["upper left", "upper right", "lower right"]) -> None:
    legend = ax.legend(fontsize=8, facecolor=c["bg"], edgecolor=c["grid"], loc=loc)
    for text in legend.get_texts():
        text.set_color(c["fg"])


def _activity(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    ax.set_title(label("analytics.chart.activity"))
    xs, labels = _days(f)
    ax.bar(xs, [d[1] for d in f.daily], color=c["a"], label=label("analytics.chart.messages"))
    ax.plot(xs, [d[2] for d in f.daily], color=c["b"], marker="o", markersize=3,
            label=label("analytics.chart.active"))
    _ticks(ax, xs, labels)
    _legend(ax, c, "upper left")


def _growth(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    ax.set_title(label("analytics.chart.growth"))
    xs, labels = _days(f)
    ax.bar(xs, [d[3] for d in f.daily], color=c["a"], label=label("analytics.chart.joins"))
    ax.bar(xs, [-d[4] for d in f.daily], color=c["b"], label=label("analytics.chart.leaves"))
    ax.axhline(0, color=c["fg"], linewidth=0.8)
    _ticks(ax, xs, labels)
    _legend(ax, c, "upper left")


def _heatmap(ax: Axes, f: Figures, label: Label, c: dict[str, str], fig: Figure) -> None:
    ax.set_title(label("analytics.chart.heatmap"))
    ax.grid(False)
    image = ax.imshow(f.heat, aspect="auto", cmap=c["map"], interpolation="nearest")
    names = label("analytics.chart.weekdays").split(",")
    ax.set_yticks(range(7), names if len(names) == 7 else [str(n) for n in range(1, 8)])
    ax.set_xticks(range(0, 24, 3), [str(h) for h in range(0, 24, 3)])
    ax.set_xlabel(label("analytics.chart.hour"))
    bar = fig.colorbar(image, ax=ax)
    bar.ax.tick_params(colors=c["fg"], labelsize=8)


def _questions(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    ax.set_title(label("analytics.chart.questions"))
    xs, labels = _days(f)
    team = [d[2] for d in f.answers_daily]
    faq = [d[3] for d in f.answers_daily]
    rest = [max(0, d[1] - d[2] - d[3]) for d in f.answers_daily]
    ax.bar(xs, team, color=c["a"], label=label("analytics.chart.by_team"))
    ax.bar(xs, faq, bottom=team, color=c["b"], label=label("analytics.chart.by_faq"))
    ax.bar(xs, rest, bottom=[a + b for a, b in zip(team, faq, strict=True)], color=c["c"],
           label=label("analytics.chart.unanswered"))
    _ticks(ax, xs, labels)
    _legend(ax, c, "upper left")


def _retention(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    """New members per week (bars) and the share of them active again 7 and 30 days later."""
    ax.set_title(label("analytics.chart.retention"))
    cohorts = [k for k in f.cohorts if k.members]
    if not cohorts:
        _empty(ax, label, c)
        return
    xs = list(range(len(cohorts)))
    ax.bar(xs, [k.members for k in cohorts], color=c["c"], label=label("analytics.chart.new"))
    ax.set_xticks(xs, [k.week[5:] for k in cohorts], rotation=45, ha="right")
    ax.set_xlabel(label("analytics.chart.week"))
    _legend(ax, c, "upper left")
    shares = ax.twinx()
    for attr, colour, key in (("back7", c["a"], "analytics.chart.back7"),
                              ("back30", c["b"], "analytics.chart.back30")):
        points = [(x, 100 * getattr(k, attr) / k.members) for x, k in zip(xs, cohorts,
                                                                         strict=True)
                  if getattr(k, attr) is not None]
        if points:
            shares.plot([x for x, _ in points], [y for _, y in points], color=colour,
                        marker="o", markersize=4, linewidth=1.5, label=label(key))
    shares.set_ylim(0, 100)
    _twin(shares, c, label("analytics.chart.share"))


def _times(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    """Per day, in minutes: the team's and the FAQ's mean answer time, the team's time to act."""
    ax.set_title(label("analytics.chart.times"))
    xs, labels = _days(f)
    drawn = False
    for index, colour, key in ((1, c["a"], "analytics.chart.team_time"),
                               (2, c["b"], "analytics.chart.faq_time"),
                               (3, c["c"], "analytics.chart.act_time")):
        values: list[float | None] = [day[index] for day in f.times_daily]  # type: ignore[misc]
        points = [(x, max(FASTEST, v / 60)) for x, v in zip(xs, values, strict=True)
                  if v is not None]
        if points:
            drawn = True
            ax.plot([x for x, _ in points], [y for _, y in points], color=colour, marker="o",
                    markersize=3, linewidth=1.2, label=label(key))
    _ticks(ax, xs, labels)
    if not drawn:
        _empty(ax, label, c)
        return
    lows, highs = ax.get_ylim()
    if highs > 50 * max(lows, FASTEST):
        # minutes next to hours: a log scale keeps both readable
        ax.set_yscale("log")
        ax.set_ylim(bottom=FASTEST)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        ax.set_ylim(bottom=0)
    ax.set_ylabel(label("analytics.chart.minutes"), color=c["fg"], fontsize=8)
    _legend(ax, c, "upper left")


def _twin(ax: Axes, c: dict[str, str], ylabel: str) -> None:
    ax.tick_params(colors=c["fg"], labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(c["grid"])
    ax.set_ylabel(ylabel, color=c["fg"], fontsize=8)
    if ax.get_legend_handles_labels()[0]:
        _legend(ax, c, "upper right")


def _rules(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    ax.set_title(label("analytics.chart.rules"))
    rows = f.moderation.by_rule[:RULES_SHOWN]
    if not rows:
        _empty(ax, label, c)
        return
    names = [label("analytics.manual") if r.name == "manual" else r.name for r in rows]
    ys = list(range(len(rows)))
    ax.barh(ys, [r.cases for r in rows], color=c["a"], label=label("analytics.chart.cases"))
    ax.barh(ys, [r.pardoned for r in rows], color=c["b"],
            label=label("analytics.chart.pardoned"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yticks(ys, names)
    ax.invert_yaxis()
    _legend(ax, c, "lower right")


def _repeat(ax: Axes, f: Figures, label: Label, c: dict[str, str]) -> None:
    ax.set_title(label("analytics.chart.repeat"))
    kinds = [k for k in SANCTIONS if f.moderation.repeat.get(k, (0, 0))[0]]
    if not kinds:
        _empty(ax, label, c)
        return
    shares = [100 * f.moderation.repeat[k][1] / f.moderation.repeat[k][0] for k in kinds]
    ax.bar(range(len(kinds)), shares, color=c["a"])
    ax.set_xticks(range(len(kinds)), [label(f"analytics.kind.{k}") for k in kinds])
    ax.yaxis.set_major_locator(MaxNLocator())
    ax.set_ylim(0, 100)

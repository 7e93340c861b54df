"""The satisfaction chart: one bar a day (the index, green above 0, red below), drawn off screen."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

__all__ = ["index_png"]

POSITIVE = "#2e7d32"
NEGATIVE = "#c62828"
EMPTY = "#9e9e9e"


def index_png(days: list[str], indexes: list[int | None], mentions: list[int],
              title: str, mentions_label: str) -> bytes:
    """A PNG of the daily index (-100..100) with the daily mentions as a line."""
    figure = Figure(figsize=(6, 3), dpi=100)
    axes = figure.add_subplot()
    values = [v if v is not None else 0 for v in indexes]
    colours = [EMPTY if v is None else POSITIVE if v >= 0 else NEGATIVE for v in indexes]
    positions = list(range(len(days)))
    axes.bar(positions, values, color=colours)
    axes.axhline(0, color="#424242", linewidth=0.8)
    axes.set_ylim(-100, 100)
    axes.set_title(title, fontsize=10)
    step = max(1, len(days) // 8)
    axes.set_xticks(positions[::step], [d[5:] for d in days[::step]], fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    twin = axes.twinx()
    twin.plot(positions, mentions, color="#1565c0", linewidth=1.2, marker=".")
    twin.set_ylim(0, max([*mentions, 1]) * 1.2)
    twin.set_ylabel(mentions_label, fontsize=8)
    twin.tick_params(axis="y", labelsize=8)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()

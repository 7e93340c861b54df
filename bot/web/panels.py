"""What plugins contribute to the dashboard's overview: a titled panel of lines and a chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

__all__ = ["Panel", "PanelSource"]


@dataclass(frozen=True, slots=True)
class Panel:
    """One plugin's part of the overview, already in the reader's language."""

    title: str
    lines: tuple[str, ...]
    chart: bool = False
    """Whether the plugin draws a chart for it (`dashboard_chart`)."""


@runtime_checkable
class PanelSource(Protocol):
    """A plugin that shows something on the overview page."""

    name: str

    async def dashboard_panel(self, community: str, lang: str, now: datetime) -> Panel | None:
        """The panel of this community, or None when there is nothing to show."""

    async def dashboard_chart(self, community: str, lang: str, now: datetime) -> bytes | None:
        """The panel's chart as PNG (drawn off the event loop), or None."""

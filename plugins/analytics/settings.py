"""The `analytics:` section: how long figures are kept, the weekly report, the charts' theme."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel

__all__ = ["DAYS", "AnalyticsSettings", "WeeklyReport"]

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class WeeklyReport(StrictModel):
    """The report posted to the alerts channel every week."""

    enabled: bool = Field(True, description="Post the weekly report.")
    day: Day = Field("monday", description="Day of the week it is posted (UTC).")
    hour: int = Field(9, ge=0, le=23, description="Hour it is posted (UTC, 0-23).")


class AnalyticsSettings(PluginSettings):
    """Figures collected as events happen (hourly counters), and the reports made of them."""

    retention: Duration = Field(timedelta(days=400), description="How long hourly figures and "
                                "active-member days are kept (at least 35 days).")
    theme: Literal["light", "dark"] = Field("light", description="Chart colours: light "
                                            "(white background) or dark.")
    weekly: WeeklyReport = Field(default_factory=WeeklyReport,
                                 description="The weekly report to the CMs' alerts channel.")

    def config_warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """A retention shorter than the longest report would cut it."""
        if self.retention < timedelta(days=35):
            return [(("retention",), "shorter than 35 days: `!stats 30d` and the weekly "
                                     "report's comparison will lack data")]
        return []

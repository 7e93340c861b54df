"""The `escalation:` section: signal weights, thresholds, window and decay, and the ladder."""

from __future__ import annotations

import math
from datetime import timedelta
from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from bot.durations import Duration
from bot.settings import PluginSettings, StrictModel

__all__ = [
    "AlertStep",
    "EscalateSettings",
    "EscalationSettings",
    "Ladder",
    "ReminderStep",
    "SlowmodeStep",
    "SoloSettings",
    "TimeoutStep",
    "Weights",
]


class Weights(StrictModel):
    """How much each signal adds to a message's heat, and the factors that reduce it."""

    insult: float = Field(3.0, ge=0, le=50, description="Each strong insult or slur (core "
                          "lexicons fr/en-insults, fr/en-slurs), at most 2 a message.")
    hostile: float = Field(2.0, ge=0, le=50, description="Each aggressive phrase or mild insult "
                           "aimed at someone ('tais-toi', 'shut up', 'idiot'), at most 3.")
    negative: float = Field(1.0, ge=0, le=50, description="Each negative-sentiment word "
                            "('nul', 'ridiculous', 'scam'), at most 3.")
    vulgar: float = Field(0.5, ge=0, le=50, description="Each profanity (fr/en-vulgar), at most "
                          "2: common in friendly chat, so it counts little.")
    shouting: float = Field(1.0, ge=0, le=50, description="Mostly capitals (only with negative "
                            "words: enthusiasm is not anger).")
    bursts: float = Field(0.5, ge=0, le=50, description="Each '!!', '??' or '?!' run, at most 3 "
                          "(only with negative words).")
    pace: float = Field(0.5, ge=0, le=50, description="A negative message sent soon after the "
                        "author's previous one (see `pace_within`).")
    back_and_forth: float = Field(1.0, ge=0, le=50, description="A negative answer to a member "
                                  "who addressed the author negatively within the window.")
    unaimed: float = Field(0.5, ge=0, le=1, description="Factor for a message that addresses "
                           "nobody (no reply, mention, 'tu'/'you'): venting about a thing.")
    laughter: float = Field(0.25, ge=0, le=1, description="Factor for a message with laughter, "
                            "a friendly emoji or emoticon ('mdr', 'lol', '😂', ':)'): banter.")


class ReminderStep(StrictModel):
    """Step 1: a friendly public reminder of the rules, in the community's language."""

    enabled: bool = Field(True, description="Take this step.")
    at: float = Field(6.0, gt=0, description="Exchange heat that triggers it.")
    text: dict[Literal["en", "fr"], str] | None = Field(
        None, description="Your own reminder ({en: ..., fr: ...}); default: a friendly message "
                          "followed by `rules_text`.")


class SlowmodeStep(StrictModel):
    """Step 2: slowmode on the channel, lifted automatically when the heat falls."""

    enabled: bool = Field(True, description="Take this step.")
    at: float = Field(10.0, gt=0, description="Exchange heat that triggers it.")
    interval: Duration = Field(timedelta(seconds=30),
                               description="One message per member every this long.")
    lift_below: float = Field(4.0, ge=0, description="Lifted once the exchange heat falls "
                              "below this (checked on each message and by a timed job).")
    max_duration: Duration = Field(timedelta(minutes=15),
                                   description="Lifted after this long whatever the heat.")


class TimeoutStep(StrictModel):
    """Step 3: a short timeout of the most involved members, through the case log."""

    enabled: bool = Field(True, description="Take this step.")
    at: float = Field(14.0, gt=0, description="Exchange heat that triggers it.")
    duration: Duration = Field(timedelta(minutes=5), description="How long.")
    member_min: float = Field(5.0, ge=0, description="Only members at least this hot.")
    max_members: int = Field(2, ge=1, le=10, description="At most this many members.")


class AlertStep(StrictModel):
    """Step 4: the CMs get the transcript, the scores and buttons; the outcome is recorded."""

    enabled: bool = Field(True, description="Take this step.")
    at: float = Field(16.0, gt=0, description="Exchange heat that triggers it.")
    with_timeout: bool = Field(True, description="Also alert as soon as the timeout step is "
                               "taken: a sanction by the bot is always handed to a human.")
    transcript: int = Field(12, ge=1, le=20, description="Last messages of the channel shown.")


class Ladder(StrictModel):
    """The four steps, each optional; a step is taken once per exchange, in order."""

    reminder: ReminderStep = Field(default_factory=ReminderStep)
    slowmode: SlowmodeStep = Field(default_factory=SlowmodeStep)
    timeout: TimeoutStep = Field(default_factory=TimeoutStep)
    alert: AlertStep = Field(default_factory=AlertStep)

    @model_validator(mode="after")
    def _thresholds_climb(self) -> Ladder:
        steps = [(name, step.at) for name, step in self.steps() if step.enabled]
        for (low_name, low), (high_name, high) in pairwise(steps):
            if high < low:
                raise ValueError(f"ladder.{high_name}.at ({high:g}) is below "
                                 f"ladder.{low_name}.at ({low:g}): steps climb in order")
        return self

    def steps(self) -> list[tuple[str, ReminderStep | SlowmodeStep | TimeoutStep | AlertStep]]:
        """(name, step) in ladder order."""
        return [("reminder", self.reminder), ("slowmode", self.slowmode),
                ("timeout", self.timeout), ("alert", self.alert)]

    def first_at(self) -> float:
        """Heat of the first enabled step (infinite when every step is off)."""
        return min((step.at for _, step in self.steps() if step.enabled), default=math.inf)


class SoloSettings(StrictModel):
    """One member angry alone (an unhappy customer): no public step, the CMs are alerted."""

    enabled: bool = Field(True, description="Alert the CMs about a member angry on their own.")
    at: float = Field(3.0, gt=0, description="That member's heat.")
    min_messages: int = Field(2, ge=1, le=20, description="Negative messages in the window.")


class EscalateSettings(StrictModel):
    """What the "escalate" button does besides recording the outcome."""

    lock: Duration | None = Field(timedelta(minutes=10), description="Lock the channel for "
                                  "this long (null: do not lock).")


class EscalationSettings(PluginSettings):
    """Notice heated exchanges early and calm them step by step."""

    window: Duration = Field(timedelta(minutes=5), description="Who addressed whom, and each "
                             "member's negative messages, count over this sliding window.")
    half_life: Duration = Field(timedelta(minutes=2), description="A member's heat halves every "
                                "this long without new heat.")
    calm_factor: float = Field(0.7, ge=0, le=1, description="A calm message that addresses "
                               "nobody multiplies its author's heat by this.")
    calming_factor: float = Field(0.3, ge=0, le=1, description="A calm message with an apology, "
                                  "thanks, agreement or laughter multiplies it by this.")
    member_min: float = Field(2.0, ge=0, description="A member counts in an exchange from this "
                              "heat...")
    min_negative_messages: int = Field(2, ge=1, le=20, description="...and this many negative "
                                       "messages (heat of 1 or more) in the window.")
    exchange_negatives: int = Field(4, ge=2, le=50, description="Negative messages the members "
                                    "of an exchange sent together in the window: both sides "
                                    "must keep it up.")
    pace_within: Duration = Field(timedelta(seconds=20), description="See weights.pace.")
    implicit_reply_within: Duration = Field(
        timedelta(seconds=60), description="A message that replies to and mentions nobody "
                                           "answers the previous author if they posted this "
                                           "recently.")
    steps_apart: int = Field(2, ge=1, le=50, description="Negative messages in the channel "
                             "between two public steps: a step is followed by the next only if "
                             "the exchange went on.")
    calm_below: float = Field(2.0, ge=0, description="The exchange is over below this heat: "
                              "slowmode is lifted and the calm is recorded.")
    rearm_after: Duration = Field(timedelta(minutes=30), description="Steps taken are not "
                                  "taken again until the channel has been calm this long.")
    weights: Weights = Field(default_factory=Weights)
    ladder: Ladder = Field(default_factory=Ladder)
    solo: SoloSettings = Field(default_factory=SoloSettings)
    escalate: EscalateSettings = Field(default_factory=EscalateSettings)

"""Running the native-feature actions (polls, pins, scheduled events) on the right adapter."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.actions import Action, ClosePoll, GuildEvent, Pin, Poll
from bot.adapters.base import ActionResult, Adapter, RenderedButton
from bot.adapters.native import NativeEvents, Pinner, PollSender
from bot.events import platform_of
from bot.i18n import Msg

__all__ = ["NATIVE_ACTIONS", "VOTE_PREFIX", "run_native"]

NATIVE_ACTIONS = (Poll, ClosePoll, Pin, GuildEvent)
VOTE_PREFIX = "poll:vote:"
"""Custom id of an option's button, followed by its number, where polls are not native."""


async def run_native(adapters: Mapping[str, Adapter], action: Action,
                     render: Callable[[Msg], str]) -> ActionResult:
    """Run a native-feature action on the adapter of its channel (or community)."""
    if not isinstance(action, NATIVE_ACTIONS):
        return ActionResult.unsupported(f"unknown action {action.type}")
    where = action.community if isinstance(action, GuildEvent) else action.channel
    adapter = adapters.get(platform_of(where))
    if adapter is None:
        return ActionResult.unsupported(f"no adapter runs for {where}")
    if isinstance(action, Poll):
        if isinstance(adapter, PollSender):
            return await adapter.send_poll(action.channel, action.question, action.options,
                                           action.duration)
        lines = [action.question, *(f"{n}. {o}" for n, o in enumerate(action.options, 1))]
        buttons = [RenderedButton(f"{VOTE_PREFIX}{n}", f"{n}. {o}"[:80])
                   for n, o in enumerate(action.options, 1)]
        lines.append(render(Msg.of("poll.vote_by_button")))
        return await adapter.send_message(action.channel, "\n".join(lines), buttons=buttons)
    if isinstance(action, ClosePoll):
        if isinstance(adapter, PollSender):
            return await adapter.close_poll(action.channel, action.message_id)
        return ActionResult.ok("votes counted by the bot (buttons)")
    if isinstance(action, Pin):
        if isinstance(adapter, Pinner):
            return await adapter.pin_message(action.channel, action.message_id, action.pinned)
        return ActionResult.skipped(f"{adapter.platform} does not pin messages")
    if isinstance(action, GuildEvent):
        if isinstance(adapter, NativeEvents):
            return await adapter.guild_event(
                action.community, name=action.name, description=action.description,
                start=action.start, end=action.end, location=action.location,
                event_id=action.event_id, cancel=action.cancel)
        return ActionResult.skipped(f"{adapter.platform} has no scheduled events")
    return ActionResult.unsupported(f"unknown action {action.type}")

"""Telegram's native polls (sendPoll, stopPoll) and pins (pinChatMessage, unpinChatMessage)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.adapters.base import ActionResult
from bot.adapters.telegram.ids import message_ref, qualify
from bot.adapters.telegram.outbound import Outbound
from bot.i18n import Msg

__all__ = ["close_poll", "pin_message", "send_poll"]


def _message(out: Outbound, message_id: str) -> tuple[int, int] | ActionResult:
    try:
        return message_ref(message_id)
    except ValueError:
        return out.fail(Msg.of("telegram.limit.not_a_chat", value=message_id))


async def send_poll(out: Outbound, channel: str, question: str,
                    options: Sequence[str]) -> ActionResult:
    """sendPoll, anonymous (Vigie only needs the counts); ended by stopPoll, not open_period
    (at most 10 minutes on Telegram)."""
    chat = out._chat(channel)
    if isinstance(chat, ActionResult):
        return chat
    sent = await out.call("sendPoll", out.bot.send_poll(chat, question, list(options)), channel)
    if isinstance(sent, ActionResult):
        return sent
    return ActionResult.ok(message_id=qualify(chat, sent.message_id))


async def close_poll(out: Outbound, channel: str, message_id: str) -> ActionResult:
    """stopPoll: the final votes per option."""
    ref = _message(out, message_id)
    if isinstance(ref, ActionResult):
        return ref
    poll = await out.call("stopPoll", out.bot.stop_poll(*ref), channel)
    if isinstance(poll, ActionResult):
        return poll
    return ActionResult("ok", message_id=message_id,
                        counts=tuple(option.voter_count for option in poll.options))


async def pin_message(out: Outbound, channel: str, message_id: str,
                      pinned: bool) -> ActionResult:
    """pinChatMessage (silently) or unpinChatMessage."""
    ref = _message(out, message_id)
    if isinstance(ref, ActionResult):
        return ref
    chat, number = ref
    call = out.bot.pin_chat_message(chat, number, disable_notification=True) if pinned \
        else out.bot.unpin_chat_message(chat, number)
    done = await out.call("pinChatMessage" if pinned else "unpinChatMessage", call, channel)
    return done if isinstance(done, ActionResult) else ActionResult.ok()

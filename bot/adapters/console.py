"""The console community: a local chat in the terminal (or from piped stdin), no token needed."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import IO, ClassVar

from rich.console import Console
from rich.markup import escape

from bot.adapters.base import ActionResult, Adapter, EventSink, RenderedButton
from bot.adapters.console_roster import Member, Roster
from bot.clock import Clock, OffsetClock
from bot.durations import DurationError, format_duration, parse_duration
from bot.events import (
    ButtonClicked,
    Event,
    MemberJoined,
    MemberLeft,
    MessageCreated,
    MessageDeleted,
    MessageEdited,
    ReactionAdded,
    User,
)
from bot.kv import KeyValue
from bot.mentions import default_mention
from bot.permissions import Role

__all__ = ["COMMUNITY", "ConsoleAdapter"]

COMMUNITY = "console:local"
BOT_ID = "console:vigie"
HELP = """Console commands (anything else is a chat message):
  :as NAME [member|cm|admin]   speak as NAME (created if new), optionally with a role
  :in #CHANNEL                 move to a channel (created if new)
  :reply N TEXT                reply to message #N
  :edit N TEXT                 edit your message #N
  :delete N                    delete your message #N
  :react N EMOJI               react to message #N
  :click N BUTTON              click a button under message #N
  :join NAME [new]             NAME joins the community (new: account created just now)
  :leave NAME                  NAME leaves the community
  :lang fr|en                  set your language (the bot answers you in it)
  :wait DURATION               let time pass (30s, 10m, 2h, 7d): timed jobs run
  :who                         who is here, with roles and restrictions
  :help                        this list
  :quit                        leave (so does Ctrl-D or the end of piped input)"""


@dataclass
class _Message:
    id: int
    channel: str
    author: User
    text: str
    buttons: tuple[RenderedButton, ...] = ()
    deleted: bool = False


@dataclass
class _State:
    users: dict[str, User] = field(default_factory=dict)
    messages: dict[int, _Message] = field(default_factory=dict)
    muted_until: dict[str, datetime] = field(default_factory=dict)
    banned: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    locked: set[str] = field(default_factory=set)
    slowmode: dict[str, int] = field(default_factory=dict)
    last_post: dict[tuple[str, str], datetime] = field(default_factory=dict)
    next_id: int = 1


class ConsoleAdapter(Adapter):
    """A real adapter over a terminal: people type, the bot's actions are printed with reasons."""

    platform: ClassVar[str] = "console"
    capabilities: ClassVar[frozenset[str]] = frozenset(
        {"delete", "timeout", "kick", "ban", "slowmode", "lock", "dm", "buttons", "reactions"})

    def __init__(self, clock: Clock | None = None, *, stdin: IO[str] | None = None,
                 stdout: IO[str] | None = None, interactive: bool | None = None) -> None:
        self.clock = clock or OffsetClock()
        self.bot_id = BOT_ID
        self._stdin = stdin if stdin is not None else sys.stdin
        self.interactive = self._stdin.isatty() if interactive is None else interactive
        self.out = Console(file=stdout if stdout is not None else sys.stdout, soft_wrap=True,
                           highlight=False, emoji=False,
                           force_terminal=None if self.interactive else False,
                           no_color=not self.interactive)
        self.state = _State()
        self.me = self._user("alice")
        self.channel = "console:general"
        self.settle: Callable[[], Awaitable[object]] | None = None
        self.role_of: Callable[[User], Role] = lambda user: user.role
        self._sink: EventSink | None = None
        self._roster: Roster | None = None
        self._closed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- identities ----------------------------------------------------------------------

    def _user(self, name: str, role: Role | None = None) -> User:
        user_id = f"console:{name.lower()}"
        user = self.state.users.get(user_id)
        if user is None:
            user = User(id=user_id, name=name, role=role or Role.MEMBER,
                        account_created_at=self.clock.now() - timedelta(days=365))
        elif role is not None:
            user = replace(user, role=role)
        self.state.users[user_id] = user
        return user

    def keep_members_in(self, kv: KeyValue) -> None:
        """Keep the member list in the store: names, roles and standing survive a restart."""
        self._roster = Roster(kv, COMMUNITY)

    async def _load_members(self) -> None:
        if self._roster is None:
            return
        for user, banned, absent, muted_until in await self._roster.load():
            self.state.users[user.id] = user
            if banned:
                self.state.banned.add(user.id)
            if absent:
                self.state.absent.add(user.id)
            if muted_until is not None:
                self.state.muted_until[user.id] = muted_until
        self.me = self.state.users.get(self.me.id, self.me)

    async def _save_members(self) -> None:
        """Store the member list if someone is new or changed (a no-op otherwise)."""
        if self._roster is None:
            return
        state = self.state
        await self._roster.save([
            Member(user, user.id in state.banned, user.id in state.absent,
                   state.muted_until.get(user.id)) for user in state.users.values()])

    # -- lifecycle -----------------------------------------------------------------------

    def banner(self, lines: Sequence[str]) -> None:
        """Print the welcome banner."""
        self._print("[bold]Vigie — console community[/bold]")
        for line in lines:
            self._print(escape(line))
        self._print(escape(f"You are {self.me.name} ({self.role_of(self.me).label}) in "
                           f"{default_mention(self.channel)}. :as NAME [cm|admin] switches "
                           "identity, :help lists console commands, :quit or Ctrl-D leaves."))

    async def start(self, sink: EventSink) -> None:
        """Read lines in the background and turn them into events."""
        self._sink = sink
        await self._load_members()
        self._task = asyncio.create_task(self._read_loop(), name="vigie-console")

    async def stop(self) -> None:
        """Stop reading."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._closed.set()
        await self._save_members()

    async def closed(self) -> None:
        """Wait for end of input or :quit."""
        await self._closed.wait()

    async def _read_loop(self) -> None:
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        ready = threading.Event()  # the previous line is handled: prompt for the next one
        ready.set()

        def reader() -> None:
            while True:
                ready.wait()
                ready.clear()
                try:
                    line = (input(self._prompt()) + "\n") if self.interactive \
                        else self._stdin.readline()
                except (EOFError, KeyboardInterrupt, ValueError, OSError):
                    line = ""
                loop.call_soon_threadsafe(queue.put_nowait, line if line else None)
                if not line:
                    return

        threading.Thread(target=reader, name="vigie-console-input", daemon=True).start()
        try:
            while True:
                line = await queue.get()
                if line is None:
                    break
                try:
                    if not await self.handle_line(line.rstrip("\r\n")):
                        break
                except Exception as exc:  # the console must survive any line
                    self._print(f"[red]  ! error: {escape(str(exc))}[/red]")
                finally:
                    ready.set()
        finally:
            self._closed.set()

    def _prompt(self) -> str:
        return f"{self.me.name}@{default_mention(self.channel)}> "

    # -- input ---------------------------------------------------------------------------

    async def handle_line(self, line: str) -> bool:
        """Handle one typed line; False means the user asked to quit."""
        stripped = line.strip()
        if not stripped:
            return True
        try:
            if stripped.startswith(":") and not stripped.startswith("::"):
                return await self._meta(stripped)
            text = stripped[1:] if stripped.startswith("::") else line
            await self._post(text, None)
            return True
        finally:
            await self._save_members()

    async def _meta(self, line: str) -> bool:
        name, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        name = name.lower()
        if name in ("quit", "exit", "q"):
            return False
        handler = {
            "help": self._meta_help, "as": self._meta_as, "in": self._meta_in,
            "reply": self._meta_reply, "edit": self._meta_edit, "delete": self._meta_delete,
            "react": self._meta_react, "click": self._meta_click, "join": self._meta_join,
            "leave": self._meta_leave, "lang": self._meta_lang, "wait": self._meta_wait,
            "who": self._meta_who,
        }.get(name)
        if handler is None:
            self._print(escape(f"  unknown console command :{name} — type :help for the list"))
            return True
        await handler(rest)
        return True

    async def _meta_help(self, _rest: str) -> None:
        self._print(escape(HELP))

    async def _meta_as(self, rest: str) -> None:
        parts = rest.split()
        if not parts or len(parts) > 2:
            self._print("  usage: :as NAME [member|cm|admin]")
            return
        role = None
        if len(parts) == 2:
            try:
                role = Role.parse(parts[1])
            except ValueError as exc:
                self._print(escape(f"  {exc}"))
                return
        self.me = self._user(parts[0], role)
        granted = f" ({self.me.role.label} on the console)" if role is not None else ""
        self._print(escape(f"  now speaking as {self.me.name}{granted}"))

    async def _meta_in(self, rest: str) -> None:
        name = rest.lstrip("#").strip()
        if not name or not name.replace("-", "").replace("_", "").isalnum():
            self._print("  usage: :in #CHANNEL (letters, digits, - and _)")
            return
        self.channel = f"console:{name.lower()}"
        self._print(escape(f"  now in {default_mention(self.channel)}"))

    def _message_arg(self, rest: str, usage: str) -> tuple[_Message, str] | None:
        number, _, text = rest.partition(" ")
        message = self.state.messages.get(int(number)) if number.isdigit() else None
        if message is None:
            self._print(escape(f"  usage: {usage} (no message #{number})"))
            return None
        return message, text.strip()

    async def _meta_reply(self, rest: str) -> None:
        found = self._message_arg(rest, ":reply N TEXT")
        if found and found[1]:
            await self._post(found[1], found[0])
        elif found:
            self._print("  usage: :reply N TEXT")

    async def _meta_edit(self, rest: str) -> None:
        found = self._message_arg(rest, ":edit N TEXT")
        if not found:
            return
        message, text = found
        if message.author.id != self.me.id or message.deleted or not text:
            self._print("  you can only edit your own messages that still exist, with new text")
            return
        message.text = text
        self._print(escape(f"[{default_mention(message.channel)}] #{message.id} "
                           f"{self.me.name} (edited): {text}"))
        await self._emit(MessageEdited(
            id=f"console:{message.id}", ts=self.clock.now(), community=COMMUNITY,
            channel=message.channel, author=self.me, text=text))

    async def _meta_delete(self, rest: str) -> None:
        found = self._message_arg(rest, ":delete N")
        if not found:
            return
        message = found[0]
        if message.author.id != self.me.id and self.me.role < Role.CM:
            self._print("  you can only delete your own messages")
            return
        message.deleted = True
        self._print(escape(f"  #{message.id} deleted by {self.me.name}"))
        await self._emit(MessageDeleted(
            id=f"console:del:{message.id}", ts=self.clock.now(), community=COMMUNITY,
            channel=message.channel, message_id=f"console:{message.id}"))

    async def _meta_react(self, rest: str) -> None:
        found = self._message_arg(rest, ":react N EMOJI")
        if found and found[1]:
            await self._emit(ReactionAdded(
                id=f"console:react:{found[0].id}:{self.me.id}", ts=self.clock.now(),
                community=COMMUNITY, channel=found[0].channel,
                message_id=f"console:{found[0].id}", user=self.me, emoji=found[1]))

    async def _meta_click(self, rest: str) -> None:
        found = self._message_arg(rest, ":click N BUTTON")
        if not found:
            return
        message, wanted = found
        button = next((b for b in message.buttons
                       if wanted in (b.custom_id, b.label)), None)
        if button is None:
            labels = ", ".join(b.label for b in message.buttons) or "none"
            self._print(escape(f"  message #{message.id} has no button {wanted!r} ({labels})"))
            return
        await self._emit(ButtonClicked(
            id=f"console:click:{message.id}:{self.me.id}:{self.clock.now().timestamp()}",
            ts=self.clock.now(), community=COMMUNITY, channel=message.channel,
            message_id=f"console:{message.id}", user=self.me, custom_id=button.custom_id))

    async def _meta_join(self, rest: str) -> None:
        parts = rest.split()
        if not parts or len(parts) > 2 or (len(parts) == 2 and parts[1] != "new"):
            self._print("  usage: :join NAME [new]")
            return
        user = self._user(parts[0])
        if user.id in self.state.banned:
            self._print(escape(f"  (console) {user.name} is banned and cannot join"))
            return
        if len(parts) == 2:
            user = replace(user, account_created_at=self.clock.now())
            self.state.users[user.id] = user
        self.state.absent.discard(user.id)
        self._print(escape(f"  → {user.name} joined the community"))
        await self._emit(MemberJoined(id=f"console:join:{user.id}:{self.state.next_id}",
                                      ts=self.clock.now(), community=COMMUNITY, user=user))

    async def _meta_leave(self, rest: str) -> None:
        if not rest:
            self._print("  usage: :leave NAME")
            return
        user = self._user(rest.split()[0])
        self.state.absent.add(user.id)
        self._print(escape(f"  ← {user.name} left the community"))
        await self._emit(MemberLeft(id=f"console:leave:{user.id}:{self.state.next_id}",
                                    ts=self.clock.now(), community=COMMUNITY, user=user))

    async def _meta_lang(self, rest: str) -> None:
        if rest not in ("fr", "en"):
            self._print("  usage: :lang fr|en")
            return
        self.me = replace(self.me, language=rest)
        self.state.users[self.me.id] = self.me
        self._print(escape(f"  {self.me.name} now reads {rest}"))

    async def _meta_wait(self, rest: str) -> None:
        try:
            delta = parse_duration(rest)
        except DurationError as exc:
            self._print(escape(f"  {exc}"))
            return
        if isinstance(self.clock, OffsetClock):
            self.clock.advance(delta)
        self._print(escape(f"  … {format_duration(delta)} later ({self._time(self.clock.now())})"))
        if self.settle is not None:
            await self.settle()

    async def _meta_who(self, _rest: str) -> None:
        now = self.clock.now()
        for user in sorted(self.state.users.values(), key=lambda u: u.name.lower()):
            notes = []
            until = self.state.muted_until.get(user.id)
            if until and until > now:
                notes.append(f"muted until {self._time(until)}")
            if user.id in self.state.banned:
                notes.append("banned")
            elif user.id in self.state.absent:
                notes.append("not in the community")
            marker = "*" if user.id == self.me.id else " "
            extra = f" — {', '.join(notes)}" if notes else ""
            self._print(escape(f" {marker} {user.name} ({self.role_of(user).label}){extra}"))

    # -- posting -------------------------------------------------------------------------

    def _refusal(self, channel: str) -> str | None:
        """Why the platform would not let the current identity post (as Discord would)."""
        me, now = self.me, self.clock.now()
        staff = self.role_of(me) >= Role.CM
        if me.id in self.state.banned:
            return f"{me.name} is banned"
        if me.id in self.state.absent:
            return f"{me.name} is not in the community (:join {me.name})"
        until = self.state.muted_until.get(me.id)
        if until and until > now and not staff:
            return f"{me.name} is muted until {self._time(until)}"
        if channel in self.state.locked and not staff:
            return f"{default_mention(channel)} is locked"
        interval = self.state.slowmode.get(channel, 0)
        last = self.state.last_post.get((channel, me.id))
        if interval and last and not staff and now - last < timedelta(seconds=interval):
            return f"slowmode: {default_mention(channel)} allows one message every {interval}s"
        return None

    async def _post(self, text: str, reply_to: _Message | None) -> None:
        channel = reply_to.channel if reply_to else self.channel
        refusal = self._refusal(channel)
        if refusal:
            self._print(escape(f"  (console) message not sent: {refusal}"))
            return
        number = self.state.next_id
        self.state.next_id += 1
        message = _Message(number, channel, self.me, text)
        self.state.messages[number] = message
        self.state.last_post[(channel, self.me.id)] = self.clock.now()
        mentions = tuple(self.state.users[f"console:{w[1:].lower().rstrip('.,!?:;')}"]
                         for w in text.split() if w.startswith("@")
                         and f"console:{w[1:].lower().rstrip('.,!?:;')}" in self.state.users)
        replying = f" ↪#{reply_to.id}" if reply_to else ""
        self._print(escape(f"[{default_mention(channel)}] #{number}{replying} "
                           f"{self.me.name}: {text}"))
        await self._emit(MessageCreated(
            id=f"console:{number}", ts=self.clock.now(), community=COMMUNITY, channel=channel,
            author=self.me, text=text,
            reply_to=f"console:{reply_to.id}" if reply_to else None,
            reply_to_author=reply_to.author if reply_to else None, mentions=mentions))

    async def _emit(self, event: Event) -> None:
        if self._sink is not None:
            await self._sink(event)

    # -- output --------------------------------------------------------------------------

    def _print(self, markup: str) -> None:
        self.out.print(markup)

    def _say(self, symbol: str, what: str, why: str = "") -> None:
        suffix = f" — {why}" if why else ""
        body = f"{what.rstrip()}{suffix}".replace("\n", "\n      ")
        self._print(f"[cyan]  vigie {symbol}[/cyan] {escape(body)}")

    @staticmethod
    def _time(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")

    def communities(self) -> set[str]:
        """The one console community."""
        return {COMMUNITY}

    def notify_operator(self, text: str) -> None:
        """Print a notice for whoever runs the console."""
        self._say("⚙", text)

    def _known(self, channel: str) -> ActionResult | None:
        if not channel.startswith("console:"):
            return ActionResult.failed(f"unknown channel {channel}")
        return None

    # -- actions -------------------------------------------------------------------------

    async def send_message(self, channel: str, text: str, *, reply_to: str | None = None,
                           buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Print the bot's message; it gets a number like any other."""
        if (bad := self._known(channel)) is not None:
            return bad
        number = self.state.next_id
        self.state.next_id += 1
        bot = User(id=BOT_ID, name="vigie", is_bot=True)
        self.state.messages[number] = _Message(number, channel, bot, text, tuple(buttons))
        target = f" ↪#{reply_to.partition(':')[2]}" if reply_to else ""
        self._say("→", f"[{default_mention(channel)}] #{number}{target} {text}")
        for button in buttons:
            self._print(escape(f"      [{button.label}]  (:click {number} {button.custom_id})"))
        return ActionResult.ok(message_id=f"console:{number}")

    async def delete_message(self, channel: str, message_id: str, *, reason: str) -> ActionResult:
        """Mark a message deleted."""
        number = message_id.partition(":")[2]
        message = self.state.messages.get(int(number)) if number.isdigit() else None
        if message is None or message.deleted:
            return ActionResult.failed(f"unknown message {message_id}")
        message.deleted = True
        self._say("✗", f"deleted #{number} by {message.author.name}", reason)
        return ActionResult.ok()

    async def timeout_member(self, community: str, user: User, until: datetime, *,
                             reason: str) -> ActionResult:
        """Mute a member until a time."""
        self.state.muted_until[user.id] = until
        length = format_duration(timedelta(seconds=round((until - self.clock.now())
                                                         .total_seconds())))
        self._say("⏸", f"muted {user.name} for {length} (until {self._time(until)})", reason)
        await self._save_members()
        return ActionResult.ok()

    async def remove_timeout(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Unmute a member."""
        self.state.muted_until.pop(user.id, None)
        self._say("▶", f"unmuted {user.name}", reason)
        await self._save_members()
        return ActionResult.ok()

    async def kick_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Remove a member (they may :join again)."""
        self.state.absent.add(user.id)
        self._say("⏏", f"kicked {user.name}", reason)
        await self._save_members()
        return ActionResult.ok()

    async def ban_member(self, community: str, user: User, *, reason: str,
                         delete_message_seconds: int = 0) -> ActionResult:
        """Ban a member; optionally delete their recent messages."""
        self.state.banned.add(user.id)
        self.state.absent.add(user.id)
        removed = 0
        if delete_message_seconds:
            for message in self.state.messages.values():
                if message.author.id == user.id and not message.deleted:
                    message.deleted = True
                    removed += 1
        extra = f", {removed} message(s) deleted" if removed else ""
        self._say("⛔", f"banned {user.name}{extra}", reason)
        await self._save_members()
        return ActionResult.ok()

    async def unban_member(self, community: str, user: User, *, reason: str) -> ActionResult:
        """Lift a ban."""
        if user.id not in self.state.banned:
            return ActionResult.failed(f"{user.name} is not banned")
        self.state.banned.discard(user.id)
        self._say("✓", f"unbanned {user.name}", reason)
        await self._save_members()
        return ActionResult.ok()

    async def set_slowmode(self, channel: str, seconds: int, *, reason: str) -> ActionResult:
        """Members may post once every `seconds`."""
        if (bad := self._known(channel)) is not None:
            return bad
        if seconds:
            self.state.slowmode[channel] = seconds
            self._say("🐢", f"slowmode {seconds}s in {default_mention(channel)}", reason)
        else:
            self.state.slowmode.pop(channel, None)
            self._say("🐢", f"slowmode off in {default_mention(channel)}", reason)
        return ActionResult.ok()

    async def lock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Only CMs and admins may post."""
        if (bad := self._known(channel)) is not None:
            return bad
        self.state.locked.add(channel)
        self._say("🔒", f"locked {default_mention(channel)}", reason)
        return ActionResult.ok()

    async def unlock_channel(self, channel: str, *, reason: str) -> ActionResult:
        """Everyone may post again."""
        if (bad := self._known(channel)) is not None:
            return bad
        self.state.locked.discard(channel)
        self._say("🔓", f"unlocked {default_mention(channel)}", reason)
        return ActionResult.ok()

    async def send_dm(self, user: User, text: str, *,
                      buttons: Sequence[RenderedButton] = ()) -> ActionResult:
        """Print a private message (its buttons cannot be clicked: no private chat here)."""
        labels = "".join(f"  [{b.label}]" for b in buttons)
        self._say("✉", f"DM to {user.name}: {text}{labels}")
        return ActionResult.ok()

    async def grant_role(self, community: str, user: User, role: str, *,
                         reason: str) -> ActionResult:
        """Give a member a role (printed; the console has no role list)."""
        self._say("★", f"role {role} given to {user.name}", reason)
        return ActionResult.ok()

    async def send_alert(self, community: str, channel: str | None, text: str) -> ActionResult:
        """Alerts go to the configured channel, else to the CM pane of the console."""
        if channel is not None:
            return await self.send_message(channel, text)
        self._say("⚑", f"to CMs: {text}")
        return ActionResult.ok()

    async def lookup_member(self, community: str, user_id: str) -> User | None:
        """A console identity by id, with its console role (the dashboard re-checks it)."""
        return self.state.users.get(user_id) if community == COMMUNITY else None

    async def find_members(self, community: str, query: str) -> list[User]:
        """Console identities whose name matches."""
        wanted = query.lstrip("@").casefold()
        return [u for u in self.state.users.values() if u.name.casefold() == wanted]

"""The plugin contract: a config section, hooks per phase, commands with a minimum role, tables."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from bot.actions import Action, Decision, Reply
from bot.commands.spec import CommandSpec, command_spec
from bot.events import Event, JobDue, User
from bot.i18n import Catalog, Msg, Text, load_messages
from bot.permissions import Role
from bot.settings.models import CoreSettings, PluginSettings, StrictModel
from bot.settings.ruleset import RuleSet
from bot.storage import Migration
from bot.text import NormalizedText

if TYPE_CHECKING:
    from bot.services import Services

__all__ = [
    "CommandCall",
    "EventContext",
    "HookSpec",
    "Phase",
    "Plugin",
    "PluginContext",
    "command",
    "hook",
    "on_job",
]

F = TypeVar("F", bound=Callable[..., Any])


class Phase(IntEnum):
    """Fixed order in which plugins see an event."""

    GUARD = 0
    COMMAND = 1
    RESPOND = 2
    OBSERVE = 3


@dataclass(frozen=True, slots=True)
class HookSpec:
    """A plugin method that wants events of some types in one phase."""

    phase: Phase
    event_types: tuple[type[Event], ...]
    job_kind: str | None = None


def hook(phase: Phase, *event_types: type[Event]) -> Callable[[F], F]:
    """Mark `async def f(self, event, ctx) -> Decision | list[Decision] | None` as a hook."""
    def mark(func: F) -> F:
        func._vigie_hook = HookSpec(phase, event_types)  # type: ignore[attr-defined]
        return func
    return mark


def on_job(kind: str) -> Callable[[F], F]:
    """Mark `async def f(self, job: JobDue, ctx)` as the handler of a job kind."""
    def mark(func: F) -> F:
        func._vigie_hook = HookSpec(Phase.OBSERVE, (JobDue,), kind)  # type: ignore[attr-defined]
        return func
    return mark


def command(name: str, *, min_role: Role = Role.CM,
            aliases: Sequence[str] = ()) -> Callable[[F], F]:
    """Mark `async def f(self, call, arg: Type = default, ...)` as a command."""
    def mark(func: F) -> F:
        func._vigie_command = (name, min_role, tuple(aliases))  # type: ignore[attr-defined]
        return func
    return mark


@dataclass(slots=True)
class EventContext:
    """What every hook needs to know about the event at hand; built once per event."""

    event: Event
    rules: RuleSet
    settings: CoreSettings
    actor: User | None
    role: Role
    lang: str
    channel: str | None = None
    _normalized: NormalizedText | None = field(default=None, repr=False, compare=False)

    @property
    def normalized(self) -> NormalizedText:
        """The event's text normalised for matching: built on first use, shared by all hooks."""
        if self._normalized is None:
            self._normalized = NormalizedText(getattr(self.event, "text", "") or "")
        return self._normalized

    @property
    def community(self) -> str:
        """The event's community id."""
        return self.event.community

    @property
    def revision(self) -> str:
        """Revision of the rules that decide about this event."""
        return self.rules.revision


@dataclass(slots=True)
class CommandCall:
    """One command being run: who, where, which message, and helpers to answer."""

    spec: CommandSpec
    ctx: EventContext
    invoker: User
    prefix: str
    message_id: str | None
    extra_decisions: list[Decision] = field(default_factory=list)

    @property
    def community(self) -> str:
        """The community the command was given in."""
        return self.ctx.community

    @property
    def channel(self) -> str:
        """The channel the command was given in."""
        assert self.ctx.channel is not None
        return self.ctx.channel

    @property
    def role(self) -> Role:
        """The invoker's effective role."""
        return self.ctx.role

    def reply(self, key: str, **params: Any) -> Reply:
        """A reply to the command, from the catalog, in the invoker's language."""
        return self.reply_text(Msg.of(key, **params))

    def reply_text(self, text: Text) -> Reply:
        """A reply with any text."""
        return Reply(channel=self.channel, message_id=self.message_id, text=text)


class PluginContext:
    """What a plugin gets at start: the core services under its own name."""

    def __init__(self, name: str, services: Services) -> None:
        self.name = name
        self.services = services
        self.log = logging.getLogger(f"vigie.plugin.{name}")

    @property
    def rules(self) -> RuleSet:
        """The rules in force now."""
        return self.services.rulebook.current


class Plugin:
    """Base class of plugins; subclasses set `name` and may set the other class attributes."""

    name: ClassVar[str] = ""
    settings_model: ClassVar[type[PluginSettings] | None] = None
    top_level_model: ClassVar[type[StrictModel] | None] = None
    """A section written once at the top of the rule file under the plugin's name."""
    migrations: ClassVar[Sequence[Migration]] = ()
    messages_file: ClassVar[Path | None] = None

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx

    async def start(self) -> None:
        """Called once the store and scheduler are ready."""

    async def stop(self) -> None:
        """Called at shutdown, before the store closes."""

    def section(self, ctx: EventContext) -> Any:
        """This plugin's effective settings for the event at hand."""
        return getattr(ctx.settings, self.name)

    @classmethod
    def hooks(cls) -> list[tuple[str, HookSpec]]:
        """(method name, spec) of every hook, in definition order."""
        return [(attr, spec) for attr in dir(cls)
                if (spec := getattr(getattr(cls, attr), "_vigie_hook", None)) is not None]

    @classmethod
    def commands(cls) -> list[CommandSpec]:
        """Specs of every command the plugin declares."""
        specs = []
        for attr in dir(cls):
            marker = getattr(getattr(cls, attr), "_vigie_command", None)
            if marker is not None:
                name, min_role, aliases = marker
                specs.append(command_spec(getattr(cls, attr), name, cls.name, min_role, aliases))
        return specs

    @classmethod
    def messages(cls) -> Mapping[str, Mapping[str, str]]:
        """The plugin's catalog entries."""
        return load_messages(cls.messages_file) if cls.messages_file else {}

    @classmethod
    def register_messages(cls, catalog: Catalog) -> None:
        """Add the plugin's messages to the catalog."""
        catalog.add(cls.messages(), origin=str(cls.messages_file or cls.name))


HookResult = Decision | Iterable[Decision] | None
CommandResult = Action | Decision | Iterable[Action | Decision] | None

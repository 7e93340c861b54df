"""Read a rule file safely into plain data plus the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from bot.settings.errors import ConfigError, ConfigIssue

__all__ = ["MAX_BYTES", "Source", "load_source", "parse_source"]

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class Source:
    """A parsed rule file: plain data, positions by key path (1-based), and the raw bytes."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    content: bytes = b""

    def position(self, path: Path_) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)

    def issue(self, path: Path_, message: str, severity: str = "error") -> ConfigIssue:
        """A problem located at `path`."""
        line, col = self.position(path)
        return ConfigIssue(self.file, line, col, path, message, severity)


def load_source(path: Path) -> Source:
    """Read and parse the file at `path`, or raise ConfigError saying what is wrong with it."""
    name = str(path)
    try:
        if path.is_dir():
            raise _fail(name, "is a directory, not a rule file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(name, f"is {size} bytes: a rule file is at most {MAX_BYTES} bytes")
        content = path.read_bytes()
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except PermissionError:
        raise _fail(name, "permission denied: cannot read the rule file") from None
    except OSError as exc:
        raise _fail(name, f"cannot read: {exc.strerror or exc}") from None
    return parse_source(content, name)


def parse_source(content: bytes, name: str) -> Source:
    """Parse rule-file bytes; every failure becomes a positioned ConfigIssue."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        col = exc.start - (content.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            [ConfigIssue(name, line, col, (), f"not UTF-8: byte 0x{content[exc.start]:02x} "
                         "cannot be decoded; save the file as UTF-8")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise _fail(name, "the rule file is empty: start from config/rules.yaml")
    yaml = YAML(typ="rt")
    yaml.Composer = _GuardedComposer
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        if not isinstance(exc, _StructureError):
            problem = f"invalid YAML: {problem}"
        raise ConfigError([ConfigIssue(name, line, col, (), problem)]) from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise ConfigError([ConfigIssue(name, line, col, (), f"invalid YAML: character "
                                       f"U+{code:04X} is not allowed")]) from None
    except YAMLError as exc:
        raise _fail(name, f"invalid YAML: {exc}") from None
    except (RecursionError, MemoryError):
        raise _fail(name, "the YAML is too deeply nested or too large to read") from None
    except Exception as exc:  # a YAML library bug on odd input is still the file's problem
        raise _fail(name, f"invalid YAML: cannot be read ({type(exc).__name__}: {exc})") from None
    source = Source(name, None, {(): (1, 1)}, content)
    issues: list[ConfigIssue] = []
    counter = [0]
    source.data = _plain(document, (), source, issues, counter)
    if issues:
        raise ConfigError(issues)
    if not isinstance(source.data, dict):
        raise ConfigError([source.issue((), "the rule file must be a mapping of keys "
                                             "(defaults, communities, overrides)")])
    return source


def _fail(name: str, message: str) -> ConfigError:
    return ConfigError([ConfigIssue(name, 1, 1, (), " ".join(message.split()))])


class _StructureError(ComposerError):
    """Nesting too deep, too many values, or an alias inside what it refers to."""


class _GuardedComposer(Composer):
    """Refuses, at their place, nesting deeper than MAX_DEPTH, more than MAX_NODES values and
    aliases to a mapping or list that contains them, before they can exhaust the stack."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self._levels = 0
        self._nodes = 0
        self._open: list[Any] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        """One node, counted and nested at most MAX_DEPTH deep."""
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise _StructureError(None, None, f"alias *{event.anchor} is inside the mapping or "
                                    "list it refers to (a loop)", event.start_mark)
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _StructureError(None, None, f"more than {MAX_NODES} values: a rule file is not "
                                "that large", event.start_mark)
        if self._levels >= MAX_DEPTH:
            raise _StructureError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                event.start_mark)
        self._levels += 1
        self._open.append(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()
            self._levels -= 1


def _key_position(node: CommentedMap, key: Any) -> tuple[int, int] | None:
    """0-based line and column of `key` in `node`, or in the mapping it was merged from."""
    if key in (node.lc.data or {}):
        line, col = node.lc.key(key)
        return int(line), int(col)
    for item in getattr(node, merge_attrib, ()):
        merged = item[1] if isinstance(item, tuple) else item  # (index, map) in older ruamel
        if isinstance(merged, CommentedMap) and key in merged:
            return _key_position(merged, key)
    return None


def _plain(
    node: Any, path: Path_, source: Source, issues: list[ConfigIssue], counter: list[int]
) -> Any:
    """Turn ruamel nodes into dicts, lists and scalars, recording positions; refuse tags."""
    counter[0] += 1
    if counter[0] > MAX_NODES:
        if counter[0] == MAX_NODES + 1:
            issues.append(source.issue(path, f"more than {MAX_NODES} values (alias bomb?)"))
        return None
    if len(path) >= MAX_DEPTH:
        issues.append(source.issue(path, f"nested more than {MAX_DEPTH} levels deep "
                                         "(through aliases)"))
        return None
    tag = getattr(node, "tag", None)
    tag_value = getattr(tag, "value", None)
    if tag_value and not str(tag_value).startswith("tag:yaml.org,2002:"):
        issues.append(source.issue(path, f"YAML tags such as {tag_value} are not allowed"))
        return None
    if tag_value and str(tag_value).startswith("tag:yaml.org,2002:python"):
        issues.append(source.issue(path, "Python tags are not allowed in a rule file"))
        return None
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            found = _key_position(node, key)
            if found is None:
                line, col = (p - 1 for p in source.position(path))
            else:
                line, col = found
            if not isinstance(key, (str, int, float, bool)) or key is None:
                issues.append(ConfigIssue(source.file, line + 1, col + 1, path,
                                          f"a key must be text, not {type(key).__name__}"))
                continue
            key_text = str(key) if not isinstance(key, str) else key
            child = (*path, key_text)
            source.positions[child] = (line + 1, col + 1)
            out[key_text] = _plain(value, child, source, issues, counter)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            line, col = node.lc.item(index)
            source.positions[child] = (line + 1, col + 1)
            items.append(_plain(value, child, source, issues, counter))
        return items
    if isinstance(node, dict):
        return {str(k): _plain(v, (*path, str(k)), source, issues, counter)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v, (*path, i), source, issues, counter) for i, v in enumerate(node)]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


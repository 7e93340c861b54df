"""Read a rule file safely into plain data plus the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.settings.errors import ConfigError, ConfigIssue

__all__ = ["MAX_BYTES", "Source", "load_source", "parse_source"]

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
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
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        raise ConfigError([ConfigIssue(name, line, col, (), f"invalid YAML: {problem}")]) from None
    except YAMLError as exc:
        raise _fail(name, f"invalid YAML: {exc}") from None
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
    return ConfigError([ConfigIssue(name, 1, 1, (), message)])


def _plain(
    node: Any, path: Path_, source: Source, issues: list[ConfigIssue], counter: list[int]
) -> Any:
    """Turn ruamel nodes into dicts, lists and scalars, recording positions; refuse tags."""
    counter[0] += 1
    if counter[0] > MAX_NODES:
        if counter[0] == MAX_NODES + 1:
            issues.append(source.issue(path, f"more than {MAX_NODES} values (alias bomb?)"))
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
            if not isinstance(key, (str, int, float, bool)) or key is None:
                line, col = node.lc.key(key)
                issues.append(ConfigIssue(source.file, line + 1, col + 1, path,
                                          f"a key must be text, not {type(key).__name__}"))
                continue
            key_text = str(key) if not isinstance(key, str) else key
            child = (*path, key_text)
            line, col = node.lc.key(key)
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


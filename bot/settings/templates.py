"""Rule-file templates: plain `{placeholder}` fields only, checked at load and filled safely."""

from __future__ import annotations

import string
from collections.abc import Collection, Iterator, Mapping

__all__ = ["fill_template", "template_problem"]

_FORMATTER = string.Formatter()


def _fields(text: str) -> Iterator[tuple[int, str]]:
    """Each replacement field as (0-based offset, its text with braces); `{{` `}}` skipped."""
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char in "{}" and text[index + 1: index + 2] == char:
            index += 2
            continue
        if char != "{":
            index += 1
            continue
        depth, end = 0, index
        while end < size:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        yield index, text[index: end + 1]
        index = end + 1


def template_problem(text: str, allowed: Collection[str]) -> str | None:
    """Why `text` is not a valid template with these placeholder names, or None if it is."""
    names = ", ".join(f"{{{name}}}" for name in sorted(allowed))
    try:
        list(_FORMATTER.parse(text))
    except ValueError as exc:
        return f"{exc} (write {{{{ and }}}} for a brace)"
    for offset, field in _fields(text):
        where = f"{field if len(field) <= 40 else field[:37] + '...'} at character {offset + 1}"
        [(_, name, spec, conversion)] = [part for part in _FORMATTER.parse(field)
                                         if part[1] is not None]
        name = name or ""
        plain = name.split(".")[0].split("[")[0]
        if not plain or plain.isdigit():
            return f"{where}: a placeholder needs a name (available: {names})"
        if name != plain:
            return (f"{where}: attribute and index access are not allowed; "
                    f"write a plain {{{plain}}}")
        if conversion is not None:
            return f"{where}: conversions (!{conversion}) are not allowed; write {{{plain}}}"
        if spec or field.rstrip("}").endswith(":"):
            return (f"{where}: format specifications (:{spec}) are not allowed; "
                    f"write {{{plain}}}")
        if plain not in allowed:
            return f"unknown placeholder {{{plain}}} (available: {names})"
    return None


def fill_template(text: str, values: Mapping[str, str]) -> str:
    """Fill plain `{name}` fields; anything else (specs, attributes, unknown) stays as written."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError:
        return text
    out: list[str] = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        if name in values and not spec and conversion is None:
            out.append(str(values[name]))
        else:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            out.append("{" + shown + "}")
    return "".join(out)

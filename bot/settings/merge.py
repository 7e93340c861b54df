"""Layer merging: mappings merge key by key, lists and scalars replace; origins follow the data."""

from __future__ import annotations

from typing import Any

__all__ = ["Origins", "deep_merge", "origins_of"]

Path_ = tuple[str | int, ...]
Origins = dict[Path_, Path_]


def deep_merge(base: Any, layer: Any) -> Any:
    """`layer` on top of `base`: nested mappings merge, anything else in `layer` replaces."""
    if isinstance(base, dict) and isinstance(layer, dict):
        merged = dict(base)
        for key, value in layer.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return layer


def origins_of(data: Any, file_prefix: Path_, into: Origins | None = None,
               rel: Path_ = ()) -> Origins:
    """Map every path inside `data` (relative) to its path in the file (`file_prefix` + path)."""
    origins: Origins = {} if into is None else into
    origins[rel] = (*file_prefix, *rel)
    if isinstance(data, dict):
        for key, value in data.items():
            origins_of(value, file_prefix, origins, (*rel, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            origins_of(value, file_prefix, origins, (*rel, index))
    return origins

"""Roles and the effective-role rule: max(platform facts, rule-file mapping)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum

__all__ = ["Role", "effective_role"]


class Role(IntEnum):
    """Who may do what; ordered so that comparisons read naturally."""

    MEMBER = 0
    CM = 1
    ADMIN = 2

    @classmethod
    def parse(cls, text: str) -> Role:
        """Role from its name, case-insensitive (`member`, `cm`, `admin`)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown role {text!r} (expected member, cm or admin)") from None

    @property
    def label(self) -> str:
        """Lower-case name as written in the rule file."""
        return self.name.lower()


def effective_role(
    platform_role: Role,
    user_id: str,
    platform_roles: Iterable[str],
    mapping: Mapping[str, Role],
) -> Role:
    """The strongest of the platform's role and every rule-file mapping that names this user."""
    role = platform_role
    mapped = mapping.get(user_id)
    if mapped is not None and mapped > role:
        role = mapped
    for platform_role_name in platform_roles:
        mapped = mapping.get(platform_role_name)
        if mapped is not None and mapped > role:
            role = mapped
    return role

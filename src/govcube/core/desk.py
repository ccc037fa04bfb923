"""The desk: each app contributes panels of what waits for the user.

A panel function takes the user and returns ``Panel`` or None (nothing for this user). It
must run a bounded number of queries whatever the data size (the desk has a query-count test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DeskItem:
    label: str
    url: str
    meta: str = ""  # a short note: a state, a deadline
    tone: str = ""  # "", "warning" or "danger" (overdue)


@dataclass
class Panel:
    title: str
    items: list[DeskItem] = field(default_factory=list)
    empty: str = ""
    more_url: str = ""
    order: int = 50


_PANELS: dict[str, Callable] = {}


def register(name: str, panel: Callable) -> None:
    _PANELS[name] = panel


def panels_for(user) -> list[Panel]:
    panels = [panel for panel in (fn(user) for fn in _PANELS.values()) if panel is not None]
    return sorted(panels, key=lambda p: p.order)

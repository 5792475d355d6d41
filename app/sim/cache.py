"""Per-scenario memo: work derived from a scenario is done once, not on every turn.

Scenarios are frozen pydantic models holding lists, so they cannot be hashed; stored
versions are parsed once (``scenario_from_source`` is cached), so the same object comes
back for every turn of a conversation and its identity is a safe key.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from app.domain.scenario import Scenario

T = TypeVar("T")


class PerScenario(Generic[T]):
    """Calls ``build(scenario)`` once per scenario object, keeping the newest ``size``."""

    def __init__(self, build: Callable[[Scenario], T], size: int = 64) -> None:
        self._build = build
        self._size = size
        self._entries: OrderedDict[int, tuple[Scenario, T]] = OrderedDict()

    def __call__(self, scenario: Scenario) -> T:
        """The value for ``scenario``, built on first use."""
        key = id(scenario)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is scenario:
            self._entries.move_to_end(key)
            return entry[1]
        value = self._build(scenario)
        self._entries[key] = (scenario, value)  # holding the scenario keeps its id unique
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value

"""``Rebuilt``: what a serving process builds from the index once, and again after it changed."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Rebuilt(Generic[T]):
    """A value built on first use and again after ``invalidate``.

    One build at a time: four questions arriving together after an upload build the quote
    catalogue once, not four times over (each build is seconds and hundreds of MB at archive
    scale). A build that an invalidation overtook serves its caller but is not kept: it may
    have read the index before the change."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._value: T | None = None
        self._generation = 0
        self._building = threading.Lock()

    def get(self) -> T:
        value = self._value  # read once: ``invalidate`` may reset it meanwhile
        if value is not None:
            return value
        with self._building:
            if self._value is not None:  # built by the thread this one waited for
                return self._value
            generation = self._generation
            value = self._build()
            if generation == self._generation:
                self._value = value
            return value

    def invalidate(self) -> None:
        """Forget the value; never waits for a build in progress."""
        self._generation += 1
        self._value = None

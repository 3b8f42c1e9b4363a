"""Registries: where each app contributes its parts, so core never names a domain.

An app registers in its ``AppConfig.ready()`` (navigation entries, dashboard tiles, import
kinds, notification and audit codes, readiness checks, situation-report sections, scope-matrix
entries, API routes); core's pages and the site's wiring list whatever is registered. A key
registered twice is a programming error and fails at start-up, not at the first request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(KeyError):
    """Two contributions claimed the same key."""


class Registry(Generic[T]):
    """An ordered mapping from a stable key to one app's contribution."""

    def __init__(self, name: str, key: Callable[[T], str] | None = None) -> None:
        self.name = name
        self._key = key or (lambda item: item.key)  # type: ignore[attr-defined]
        self._items: dict[str, T] = {}

    def register(self, item: T, *, replace: bool = False) -> T:
        """Add a contribution; ``replace`` is for tests that swap one in and out."""
        key = self._key(item)
        if key in self._items and not replace:
            raise AlreadyRegistered(f"{self.name}: {key!r} is registered twice")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def sorted(self, attr: str = "order") -> list[T]:
        """Contributions in display order (by ``attr``, then registration order)."""
        items = list(self._items.values())
        return sorted(items, key=lambda item: getattr(item, attr, 0))

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Registry {self.name}: {', '.join(self._items)}>"

"""Splitting a listing into numbered pages with stable URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

from . import urls

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Page ``number`` (from 1) of ``count`` pages of a listing at ``base``."""

    base: str
    number: int
    count: int
    items: Sequence[T]

    @property
    def url(self) -> str:
        return urls.page(self.base, self.number)

    @property
    def previous_url(self) -> str | None:
        return urls.page(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.page(self.base, self.number + 1) if self.number < self.count else None

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link, with ``None`` for a gap: 1 … 4 5 [6] 7 8 … 20."""
        window = range(self.number - around, self.number + around + 1)
        keep = sorted({n for n in (1, self.count, *window) if 1 <= n <= self.count})
        shown: list[int | None] = []
        for n in keep:
            if shown and n > shown[-1] + 1:
                shown.append(None)
            shown.append(n)
        return shown

    def url_of(self, number: int) -> str:
        return urls.page(self.base, number)


def paginate(items: Sequence[T], base: str, per_page: int) -> list[Page[T]]:
    """Always at least one page, so an empty listing still has its URL."""
    count = max(1, -(-len(items) // per_page))
    return [Page(base, n, count, items[(n - 1) * per_page : n * per_page]) for n in range(1, count + 1)]

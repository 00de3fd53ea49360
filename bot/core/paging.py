"""One page of a list answered in Slack: which items, which page of how many."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.errors import UserError

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    page: int
    pages: int
    total: int


def paginate(
    fetch: Callable[[int, int], tuple[Sequence[Any], int]], page: int, *, what: str, page_size: int = PAGE_SIZE
) -> Page:
    """`fetch(offset, limit)` → (items, total); a page past the last is a clear error."""
    page = max(page, 1)
    items, total = fetch((page - 1) * page_size, page_size)
    pages = max(math.ceil(total / page_size), 1)
    if page > pages and total:
        raise UserError(f"There are only {pages} page(s) of {what}.")
    return Page(items, page, pages, total)

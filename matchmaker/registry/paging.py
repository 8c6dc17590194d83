"""Pages of a list, and the error for a key that names no record."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matchmaker.contract.limits import MAX_PAGE, MAX_PER_PAGE
from matchmaker.domain import DomainError

__all__ = ["MAX_PAGE", "MAX_PER_PAGE", "NotFound", "Page", "paginate"]

T = TypeVar("T")


class NotFound(DomainError):
    """No record with that key."""


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def map(self, fn) -> Page[Any]:
        return Page([fn(i) for i in self.items], self.page, self.per_page, self.total)


def paginate(session: Session, query: Select, page: int, per_page: int) -> Page[Any]:
    """One page of ``query`` and the total count (``page`` and ``per_page`` checked)."""
    if not 1 <= page <= MAX_PAGE:
        raise DomainError(f"page deve essere tra 1 e {MAX_PAGE}", field="page", value=page)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise DomainError(
            f"per_page deve essere tra 1 e {MAX_PER_PAGE}", field="per_page", value=per_page
        )
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, page, per_page, total or 0)

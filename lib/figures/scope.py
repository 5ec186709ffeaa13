"""What a question is about: a scope (units and categories) and a period of IST days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from lib.data.schema import (
    hierarchy,
)


@dataclass(frozen=True)
class Scope:
    """Hierarchy and category filters: OR within a level, AND across levels; empty = all."""

    zones: tuple[str, ...] = ()
    circles: tuple[str, ...] = ()
    divisions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    # The viewer's own unit (level, code), ANDed with every filter above; None: the whole DISCOM.
    # Set only by lib.figures.access.bounded, never from a widget or a link.
    within: tuple[str, str] | None = None

    @classmethod
    def of(cls, zones: Iterable[str] = (), circles: Iterable[str] = (),
           divisions: Iterable[str] = (), areas: Iterable[str] = (),
           categories: Iterable[str] = ()) -> Scope:
        """Build a scope from any iterables (sorted, de-duplicated, categories lower-case)."""
        return cls(tuple(sorted(set(zones))), tuple(sorted(set(circles))),
                   tuple(sorted(set(divisions))), tuple(sorted(set(areas))),
                   tuple(sorted({c.lower() for c in categories})))

    def unit_filters(self) -> list[tuple[str, tuple[str, ...]]]:
        """(level, codes) a unit must match at each level, the viewer's own unit included:
        the one rule both the SQL (``hierarchy_conditions``) and the cells
        (``lib.figures.metrics.scoping_of``) cut by."""
        found = [(level, values) for level, values in (
            ("zone", self.zones), ("circle", self.circles), ("division", self.divisions),
            ("area", self.areas)) if values]
        if self.within is not None:
            found.append((self.within[0], (self.within[1],)))
        return found

    def hierarchy_conditions(self) -> list:
        """WHERE conditions on the hierarchy table."""
        return [hierarchy.c[f"{level}_code"].in_(codes) for level, codes in self.unit_filters()]

    def codes_text(self) -> str:
        """The scope as codes, for the audit trail: "zone Z1 · domestic", or "whole DISCOM"."""
        parts = [f"{level} {', '.join(codes)}" for level, codes in self.unit_filters()]
        parts += [", ".join(self.categories)] if self.categories else []
        return " · ".join(parts) or "whole DISCOM"

    @property
    def filtered(self) -> bool:
        """Whether any hierarchy filter narrows the scope (the viewer's own bound aside)."""
        return bool(self.zones or self.circles or self.divisions or self.areas)

    def narrowed(self, level: str, code: str) -> Scope:
        """The same scope narrowed to one unit of a level (for drill-downs)."""
        field_name = {"zone": "zones", "circle": "circles", "division": "divisions",
                      "area": "areas"}[level]
        return Scope(**{**self.__dict__, field_name: (code,)})


@dataclass(frozen=True)
class Period:
    """An inclusive range of IST days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> list[date]:
        """Every day of the period."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

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

    @classmethod
    def of(cls, zones: Iterable[str] = (), circles: Iterable[str] = (),
           divisions: Iterable[str] = (), areas: Iterable[str] = (),
           categories: Iterable[str] = ()) -> Scope:
        """Build a scope from any iterables (sorted, de-duplicated, categories lower-case)."""
        return cls(tuple(sorted(set(zones))), tuple(sorted(set(circles))),
                   tuple(sorted(set(divisions))), tuple(sorted(set(areas))),
                   tuple(sorted({c.lower() for c in categories})))

    def hierarchy_conditions(self) -> list:
        """WHERE conditions on the hierarchy table."""
        conds = []
        for values, col in ((self.zones, hierarchy.c.zone_code),
                            (self.circles, hierarchy.c.circle_code),
                            (self.divisions, hierarchy.c.division_code),
                            (self.areas, hierarchy.c.area_code)):
            if values:
                conds.append(col.in_(values))
        return conds

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

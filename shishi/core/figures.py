"""Counts that add up over units and subtrees, and the rates made of them."""

from dataclasses import dataclass, fields


@dataclass
class Tally:
    """Base for a module's per-unit figures: integer fields that add, rates derived."""

    def add(self, other: "Tally") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

"""What a rulebook declares: facts, areas, clauses, grades and verdicts.

Plain frozen dataclasses read from the core's `RulebookInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Tuple


def _labels(value: Any) -> Tuple[str, str]:
    value = value or {}
    return str(value.get("zh", "")), str(value.get("en", ""))


@dataclass(frozen=True)
class EnumOption:
    """One value of an `enum` fact."""

    value: str
    """The value as written in audits."""
    label: str
    """Chinese label (may be empty)."""
    label_en: str
    """English label (may be empty)."""


@dataclass(frozen=True)
class Fact:
    """A fact an audit may record."""

    name: str
    """Dotted name (`stack.height`)."""
    type: str
    """`bool`, `number`, `count` (a whole number, 0 or more), `quantity`, `text`, `enum`, `date`, `duration` or `list`."""
    unit: Optional[str]
    """Unit of a quantity or duration (a bare number in an audit is in this unit)."""
    label: str
    """Chinese label."""
    label_en: str
    """English label."""
    help: Optional[str]
    """Help for whoever fills in the audit, in Chinese (or the only help written)."""
    help_en: Optional[str]
    """English help, when the rulebook gives one."""
    min: Optional[str]
    """The least value an audit may give, in `unit` (`"0"`, `"2024-01-01"`); None when not limited."""
    max: Optional[str]
    """The greatest value an audit may give, as `min` is written."""
    element: Optional[str]
    """For `list` facts, the element type."""
    options: Tuple[EnumOption, ...]
    """For `enum` facts (or lists of them), the declared values with labels."""
    clauses: Tuple[str, ...]
    """Clauses whose conditions read this fact."""

    @property
    def values(self) -> Tuple[str, ...]:
        """The declared enum values (empty for other types)."""
        return tuple(o.value for o in self.options)

    @classmethod
    def _from_info(cls, d: dict[str, Any]) -> Fact:
        zh, en = _labels(d.get("label"))
        help_zh, help_en = _labels(d["help"]) if d.get("help") else (None, None)
        return cls(
            name=d["name"],
            type=d["type"],
            unit=d.get("unit"),
            label=zh,
            label_en=en,
            help=help_zh or None,
            help_en=help_en or None,
            min=d.get("min"),
            max=d.get("max"),
            element=d.get("element"),
            options=tuple(EnumOption(o["value"], *_labels(o.get("label"))) for o in d.get("options", [])),
            clauses=tuple(d.get("clauses", [])),
        )


@dataclass(frozen=True)
class ClauseInfo:
    """A clause as declared."""

    id: str
    title: str
    title_en: str
    area: str
    """Id of the area it belongs to."""
    points: float
    veto: bool
    """A one-vote veto (一票否决) clause."""
    refs: Tuple[str, ...]
    """The standards and sections it enforces."""
    facts: Tuple[str, ...]
    """The facts its conditions read."""


@dataclass(frozen=True)
class AreaInfo:
    """An area of clauses."""

    id: str
    title: str
    title_en: str
    clauses: Tuple[str, ...]
    """Its clause ids, in order."""


@dataclass(frozen=True)
class Outcome:
    """A grade or verdict the rulebook can give."""

    id: str
    label: str
    label_en: str


def areas_and_clauses(info: dict[str, Any]) -> Tuple[Tuple[AreaInfo, ...], Tuple[ClauseInfo, ...]]:
    areas = []
    clauses = []
    for a in info.get("areas", []):
        zh, en = _labels(a.get("label"))
        areas.append(AreaInfo(a["id"], zh, en, tuple(c["id"] for c in a.get("clauses", []))))
        for c in a.get("clauses", []):
            czh, cen = _labels(c.get("label"))
            clauses.append(
                ClauseInfo(
                    id=c["id"],
                    title=czh,
                    title_en=cen,
                    area=a["id"],
                    points=c["points"],
                    veto=bool(c.get("veto")),
                    refs=tuple(c.get("refs", [])),
                    facts=tuple(c.get("facts", [])),
                )
            )
    return tuple(areas), tuple(clauses)


def outcomes(items: Any) -> Tuple[Outcome, ...]:
    return tuple(Outcome(o["id"], *_labels(o.get("label"))) for o in items or [])

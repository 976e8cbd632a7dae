"""The scored report: the core's JSON, with attribute access on top.

`Report.to_json()` returns the core's bytes unchanged (the same text
`ecorule score --format json` prints); everything else is read from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Optional, Tuple

from ._native import render_report

Lang = Literal["both", "zh", "en"]
"""The language a report is drawn in: "both" (Chinese labels with their
English beside them), "zh" (Chinese only) or "en" (English only)."""


@dataclass(frozen=True)
class Fix:
    """What to do about a clause that did not pass, and by when."""

    action: str
    action_en: str
    within_days: int
    deadline: Optional[str]
    """The audit date plus `within_days` (`YYYY-MM-DD`), when the audit date is known."""

    @classmethod
    def _from(cls, d: Optional[dict[str, Any]]) -> Optional[Fix]:
        if not d:
            return None
        return cls(d["action"], d.get("action_en", ""), int(d["within_days"]), d.get("deadline"))


@dataclass(frozen=True)
class Value:
    """A fact, constant or table value that decided a clause."""

    name: str
    value: Optional[str]
    """With its unit; `None` when the audit does not give it."""


@dataclass(frozen=True)
class Evidence:
    """What the inspector looks at."""

    label: str
    label_en: str


@dataclass(frozen=True)
class ClauseResult:
    """One clause of a report, explained."""

    id: str
    title: str
    title_en: str
    status: str
    """`pass`, `partial`, `fail`, `not_applicable` or `unknown`."""
    veto: bool
    points: float
    earned: float
    """Points earned (the lower bound when unknown)."""
    earned_max: float
    explanation: str
    """Why, in one line of English."""
    explanation_zh: Optional[str]
    """Why, in one line of Chinese, quoting the same values (`None` only
    for a report read back from before reports had it)."""
    values: Tuple[Value, ...]
    refs: Tuple[str, ...]
    evidence: Tuple[Evidence, ...]
    fix: Optional[Fix]
    """For a clause that did not pass: what to do, by when."""
    area: str
    """Id of its area."""

    @property
    def ref(self) -> Optional[str]:
        """The first reference, if any."""
        return self.refs[0] if self.refs else None

    @property
    def deadline(self) -> Optional[str]:
        """The fix's deadline, if there is one."""
        return self.fix.deadline if self.fix else None

    @classmethod
    def _from(cls, d: dict[str, Any], area: str) -> ClauseResult:
        return cls(
            id=d["id"],
            title=d["title"],
            title_en=d.get("title_en", ""),
            status=d["status"],
            veto=bool(d["veto"]),
            points=d["points"],
            earned=d["earned"],
            earned_max=d["earned_max"],
            explanation=d["explanation"],
            explanation_zh=d.get("explanation_zh"),
            values=tuple(Value(v["name"], v.get("value")) for v in d.get("values", [])),
            refs=tuple(d.get("refs", [])),
            evidence=tuple(Evidence(e.get("zh", ""), e.get("en", "")) for e in d.get("evidence", [])),
            fix=Fix._from(d.get("fix")),
            area=area,
        )


@dataclass(frozen=True)
class AreaResult:
    """One area of a report."""

    id: str
    title: str
    title_en: str
    points: float
    """Sum of its clauses' points."""
    possible: float
    """Points of the clauses that apply (or may)."""
    earned: float
    earned_max: float
    score: Optional[float]
    """`earned` of `points`, rescaled as the total is (`earned × points /
    possible`, two places); `None` while unknown facts could change it or
    when nothing in the area counts."""
    clauses: Tuple[ClauseResult, ...]


@dataclass(frozen=True)
class Deduction:
    """Points taken off after the clauses were summed."""

    id: str
    cause: str
    cause_en: str
    count: Optional[float]
    points: float
    deducted: float
    deducted_max: Optional[float]


@dataclass(frozen=True)
class Rectification:
    """One item of the rectification list."""

    clause: str
    title: str
    title_en: str
    status: str
    veto: bool
    fix: Optional[Fix]


class Report:
    """The outcome of scoring one audit against one rulebook.

    Attribute access reads the core's report; `to_json()` gives its exact
    text and `to_dict()` a fresh parsed copy.
    """

    __slots__ = ("_json", "_cache", "_areas")

    def __init__(self, report_json: str) -> None:
        self._json = report_json
        self._cache: Optional[Dict[str, Any]] = None
        self._areas: Optional[Tuple[AreaResult, ...]] = None

    @property
    def _d(self) -> Dict[str, Any]:
        if self._cache is None:
            self._cache = json.loads(self._json)
        return self._cache

    def to_json(self) -> str:
        """The report as JSON: the core's bytes, as `ecorule score --format json`
        prints them (without its final newline)."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain Python data (a new copy each call)."""
        result: Dict[str, Any] = json.loads(self._json)
        return result

    def to_text(self, lang: Lang = "both") -> str:
        """The report as plain text, as `ecorule score --lang LANG` prints it
        (no colours). `lang` is "both" (Chinese labels with their English
        beside them), "zh" (Chinese only) or "en" (English only); any other
        value raises ValueError."""
        return render_report(self._json, "text", lang)

    def to_markdown(self, lang: Lang = "both") -> str:
        """The report as Markdown, as `ecorule score --format markdown --lang
        LANG` prints it; `lang` as for `to_text`."""
        return render_report(self._json, "markdown", lang)

    def to_html(self, fragment: bool = False, lang: Lang = "both") -> str:
        """The report as an HTML document to print or keep, as `ecorule score
        --format html --lang LANG` prints it; with `fragment=True`, the same as
        one `<div>` with its own styles, to put in a page. `lang` as for
        `to_text`."""
        return render_report(self._json, "html_fragment" if fragment else "html", lang)

    @property
    def schema(self) -> str:
        """`ecorule.report/1`."""
        return str(self._d["schema"])

    @property
    def engine(self) -> Optional[str]:
        """The engine that made it, such as `ecorule 0.1.0+r1`: the version
        and, after `+r`, the report revision, which changes whenever what a
        report says for the same rulebook and audit changes. Only that engine
        reproduces the report byte for byte. `None` for a stored report from
        before reports named their engine."""
        value: Optional[str] = self._d.get("engine")
        return value

    @property
    def rulebook(self) -> Dict[str, Any]:
        """Which rules made it: id, title, title_en, version, effective, hash
        (`sha256:` of the rulebook's source bytes) and modules (each module
        it uses, in `use` order, as `{"id", "hash"}` with its source's hash)."""
        return dict(self._d["rulebook"])

    def _labels(self, key: str) -> Tuple[str, str]:
        """`(Chinese, English)` of the labels at `key` (empty when absent)."""
        label = self._d.get(key) or {}
        return str(label.get("zh", "")), str(label.get("en", ""))

    @property
    def audit(self) -> Dict[str, Any]:
        """Which audit it scores: `id`, `date`, `enterprise_id` and
        `enterprise_name` (the enterprise's `id` and `name`), and
        `enterprise`, the enterprise's other fields (`{}` when it gives
        none): `report.audit["enterprise_name"]`, not `["enterprise"]["name"]`."""
        return dict(self._d["audit"])

    @property
    def score(self) -> Optional[float]:
        """The score, when no unknown fact could change it; else `None`."""
        value: Optional[float] = self._d["score"]
        return value

    @property
    def score_min(self) -> float:
        """The lowest score any completion of the unknown facts gives."""
        value: float = self._d["score_min"]
        return value

    @property
    def score_max(self) -> float:
        """The highest score any completion of the unknown facts gives."""
        value: float = self._d["score_max"]
        return value

    @property
    def scale(self) -> float:
        """The full score."""
        value: float = self._d["scale"]
        return value

    @property
    def not_applicable(self) -> Optional[str]:
        """How the rulebook counts a clause that does not apply: "rescale"
        (its points leave the scale), "zero" or "full"; `None` for a report
        from before reports said (`+r15`)."""
        value: Optional[str] = self._d.get("not_applicable")
        return value

    @property
    def grade(self) -> str:
        """Grade id at `score_min`."""
        return str(self._d["grade"])

    @property
    def grade_label(self) -> Tuple[str, str]:
        """`(Chinese, English)` labels of `grade`."""
        return self._labels("grade_label")

    @property
    def grade_best(self) -> str:
        """Grade id at `score_max`."""
        return str(self._d["grade_best"])

    @property
    def grade_best_label(self) -> Tuple[str, str]:
        """`(Chinese, English)` labels of `grade_best` (empty in a report from before `+r9`)."""
        return self._labels("grade_best_label")

    @property
    def verdict(self) -> str:
        """Verdict id at the worse end (every possible veto, `score_min`)."""
        return str(self._d["verdict"])

    @property
    def verdict_label(self) -> Tuple[str, str]:
        """`(Chinese, English)` labels of `verdict`."""
        return self._labels("verdict_label")

    @property
    def verdict_best(self) -> str:
        """Verdict id at the better end."""
        return str(self._d["verdict_best"])

    @property
    def verdict_best_label(self) -> Tuple[str, str]:
        """`(Chinese, English)` labels of `verdict_best` (empty in a report from before `+r9`)."""
        return self._labels("verdict_best_label")

    @property
    def determined(self) -> bool:
        """True when both ends give the same verdict (otherwise it is provisional)."""
        return bool(self._d["determined"])

    @property
    def vetoes(self) -> List[str]:
        """Veto clauses that failed."""
        return list(self._d["vetoes"])

    @property
    def possible_vetoes(self) -> List[str]:
        """Veto clauses that may fail, depending on unknown facts."""
        return list(self._d["possible_vetoes"])

    @property
    def deductions(self) -> Tuple[Deduction, ...]:
        """Points taken off after the clauses were summed."""
        return tuple(
            Deduction(
                id=d["id"],
                cause=(d.get("cause") or {}).get("zh", ""),
                cause_en=(d.get("cause") or {}).get("en", ""),
                count=d.get("count"),
                points=d["points"],
                deducted=d["deducted"],
                deducted_max=d.get("deducted_max"),
            )
            for d in self._d["deductions"]
        )

    @property
    def areas(self) -> Tuple[AreaResult, ...]:
        """Areas with their clauses."""
        if self._areas is None:
            self._areas = tuple(
                AreaResult(
                    id=a["id"],
                    title=a["title"],
                    title_en=a.get("title_en", ""),
                    points=a["points"],
                    possible=a["possible"],
                    earned=a["earned"],
                    earned_max=a["earned_max"],
                    score=a.get("score"),
                    clauses=tuple(ClauseResult._from(c, a["id"]) for c in a["clauses"]),
                )
                for a in self._d["areas"]
            )
        return self._areas

    @property
    def clauses(self) -> Tuple[ClauseResult, ...]:
        """Every clause, in rulebook order."""
        return tuple(c for a in self.areas for c in a.clauses)

    def clause(self, clause_id: str) -> ClauseResult:
        """The clause with this id (`KeyError` if there is none)."""
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    @property
    def statuses(self) -> Dict[str, str]:
        """Clause id to status, in rulebook order."""
        return {c.id: c.status for c in self.clauses}

    @property
    def rectification(self) -> Tuple[Rectification, ...]:
        """What to fix, by when: every clause that failed or earned partial credit."""
        return tuple(
            Rectification(
                clause=r["clause"],
                title=r["title"],
                title_en=r.get("title_en", ""),
                status=r["status"],
                veto=bool(r["veto"]),
                fix=Fix._from(r.get("fix")),
            )
            for r in self._d["rectification"]
        )

    @property
    def missing_facts(self) -> List[str]:
        """Facts the audit did not give that would decide an undecided clause or deduction."""
        return list(self._d["missing_facts"])

    @property
    def unverified(self) -> List[Dict[str, Any]]:
        """Values not yet verified against a standard's text that clauses used:
        each a dict of `name`, `reason`, `reason_zh` (only when the rulebook
        gives the reason in Chinese then English) and `clauses`."""
        return list(self._d["unverified"])

    @property
    def warnings(self) -> List[str]:
        """Things to know (undeclared facts, nothing applicable), in English."""
        return list(self._d["warnings"])

    @property
    def warnings_zh(self) -> Optional[List[str]]:
        """`warnings` in Chinese, one for one (`None` only for a report
        read back from before reports had them)."""
        zh = self._d.get("warnings_zh")
        return None if zh is None else list(zh)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self._json == other._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        score = self.score
        shown = f"{score:g}" if score is not None else f"{self.score_min:g}-{self.score_max:g}"
        return (
            f"<Report {self._d['rulebook']['id']} audit={self._d['audit'].get('id')!r} "
            f"score={shown} grade={self.grade} verdict={self.verdict}>"
        )

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)

"""Type-checked with `mypy --strict` (scripts/test.sh): the stubs and
annotations describe the API as a user calls it."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Hashable, List, Optional, Tuple, Union

import pandas as pd

import ecorule

RULES = Path(__file__).resolve().parents[3] / "rules"


def grades(rulebook: ecorule.Rulebook) -> List[str]:
    return [g.id for g in rulebook.grades]


def main() -> None:
    rulebook: ecorule.Rulebook = ecorule.Rulebook.from_file(RULES / "fishmeal" / "fishmeal.eco")
    other = ecorule.Rulebook.from_source(rulebook.source, name="fishmeal.eco", modules={})
    assert other.hash == rulebook.hash
    module_hashes: Dict[str, str] = rulebook.module_hashes
    version: Optional[str] = rulebook.version
    facts: Tuple[ecorule.Fact, ...] = rulebook.facts
    warnings: Tuple[ecorule.ErrorDetail, ...] = rulebook.warnings
    unit: Optional[str] = facts[0].unit
    report: ecorule.Report = rulebook.score(RULES / "fishmeal" / "audits" / "a_compliant.json")
    score: Optional[float] = report.score
    low: float = report.score_min
    clause: ecorule.ClauseResult = report.clauses[0]
    status: str = clause.status
    ref: Optional[str] = clause.ref
    deadline: Optional[str] = clause.deadline
    fix: Optional[ecorule.Fix] = clause.fix
    text: str = report.to_json()
    html: str = report._repr_html_()
    pages: List[str] = [report.to_text(), report.to_markdown(), report.to_html(), report.to_html(fragment=True)]
    lang: ecorule.Lang = "zh"
    in_one: List[str] = [report.to_text(lang=lang), report.to_markdown(lang="en"), report.to_html(lang="zh", fragment=True)]
    many: List[ecorule.Report] = rulebook.score_many([{"audit": {}, "facts": {}}, text])
    recorded: List[Union[ecorule.Report, ecorule.AuditError]] = rulebook.score_many([text], on_error="record")
    frame: pd.DataFrame = rulebook.score_frame(pd.DataFrame({"stack.height [m]": [25.0]}), units=None)
    recorded_frame: pd.DataFrame = rulebook.score_frame(pd.DataFrame({"stack.height": [25.0]}), on_error="record")
    try:  # refused by the annotations as at run time (an unneeded ignore fails mypy --strict)
        rulebook.score_frame(frame, on_error="ignore")  # type: ignore[arg-type]
    except ValueError:
        pass
    from_bytes: List[ecorule.Report] = [rulebook.score(text.encode()), rulebook.score(bytearray(text.encode()))]
    try:
        ecorule.Rulebook.from_source("rulebook {")
    except ecorule.RulebookError as e:
        line: Optional[int] = e.line
        column: Optional[int] = e.column
        details: Tuple[ecorule.ErrorDetail, ...] = e.errors
        print(line, column, details[0].snippet)
    try:
        rulebook.score({"audit": {}, "facts": {"stack.height": "12 kg"}})
    except ecorule.AuditError as e:
        fact: Optional[str] = e.fact
        given: Optional[str] = e.given
        index: Optional[Hashable] = e.index
        position: Optional[int] = e.position
        print(fact, given, index, position)
    except ecorule.EcoruleError as e:
        print(e.kind, e.message)
    print(version, unit, score, low, status, ref, deadline, fix, html[:0], len(many), frame.shape, grades(rulebook))
    print(len(from_bytes), recorded_frame.shape)


if __name__ == "__main__":
    main()

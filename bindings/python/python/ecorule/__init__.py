"""ecorule: environmental compliance rulebooks, checked and scored.

A rulebook (`.eco`) is compiled once and scores enterprise audits into
explained, reproducible reports. The scoring is the Rust core's; this
package converts values::

    import ecorule

    rulebook = ecorule.Rulebook.from_file("rules/fishmeal/fishmeal.eco")
    report = rulebook.score("rules/fishmeal/audits/a_compliant.json")
    report.score, report.grade, report.verdict

    results = rulebook.score_frame(df)   # one audit per row (needs pandas)
"""

from ._errors import AuditError, EcoruleError, ErrorDetail, RulebookError
from ._info import AreaInfo, ClauseInfo, EnumOption, Fact, Outcome
from ._native import __version__, report_schema, standard_modules
from ._report import (
    AreaResult,
    ClauseResult,
    Deduction,
    Evidence,
    Fix,
    Lang,
    Rectification,
    Report,
    Value,
)
from ._rulebook import AuditLike, Rulebook

REPORT_SCHEMA: str = report_schema()
"""The report schema this build writes (`ecorule.report/1`)."""

__all__ = [
    "REPORT_SCHEMA",
    "AreaInfo",
    "AreaResult",
    "AuditError",
    "AuditLike",
    "ClauseInfo",
    "ClauseResult",
    "Deduction",
    "EcoruleError",
    "EnumOption",
    "ErrorDetail",
    "Evidence",
    "Fact",
    "Fix",
    "Lang",
    "Outcome",
    "Rectification",
    "Report",
    "Rulebook",
    "RulebookError",
    "Value",
    "__version__",
    "standard_modules",
]

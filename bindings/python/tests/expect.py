"""Expected outcomes, matched as `ecorule test` matches them
(crates/ecorule-cli/src/expect.rs): a subset of the report.

Objects match when every key given matches; arrays element by element
(same length); numbers by value; `note` and `strict` are ignored at the
top; `clauses` maps a clause id to a status or a subset of that clause's
report; `error` expects scoring to fail with a first error matching it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, List

import ecorule


def _compare(path: str, want: Any, got: Any, problems: List[str]) -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for k, v in want.items():
            _compare(f"{path}.{k}", v, got.get(k), problems)
        return
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (a, b) in enumerate(zip(want, got)):
            _compare(f"{path}[{i}]", a, b, problems)
        return
    numbers = (int, float)
    if (
        isinstance(want, numbers) and isinstance(got, numbers)
        and not isinstance(want, bool) and not isinstance(got, bool)
    ):
        if float(want) == float(got):
            return
    elif type(want) is type(got) and want == got:
        return
    elif want is None and got is None:
        return
    problems.append(f"{path}: expected {json.dumps(want, ensure_ascii=False)}, got {json.dumps(got, ensure_ascii=False)}")


def error_info(e: ecorule.EcoruleError) -> Dict[str, Any]:
    """The first error as the core's ErrorInfo JSON (None fields left out)."""
    detail = asdict(e.errors[0])
    fact = {k: detail.pop(k) for k in ("fact", "expected", "given")}
    info = {k: v for k, v in detail.items() if v is not None}
    if fact["fact"] is not None:
        info["fact"] = fact
    return info


def run_case(rulebook: ecorule.Rulebook, audit: Path, expected: Path) -> List[str]:
    want = json.loads(expected.read_text(encoding="utf-8"))
    assert isinstance(want, dict), f"{expected} must hold a JSON object"
    strict = bool(want.get("strict", False))
    problems: List[str] = []
    try:
        report = rulebook.score(audit, strict=strict)
    except ecorule.AuditError as e:
        if "error" in want:
            _compare("error", want["error"], error_info(e), problems)
        else:
            problems.append(f"scoring failed: {e}")
        return problems
    if "error" in want:
        return ["expected an error, but the audit scored"]
    got = report.to_dict()
    clauses = {c["id"]: c for a in got["areas"] for c in a["clauses"]}
    for key, value in want.items():
        if key in ("note", "strict"):
            continue
        if key == "clauses":
            assert isinstance(value, dict), "`clauses` must map clause ids to a status or an object"
            for cid, w in value.items():
                if cid not in clauses:
                    problems.append(f"clauses.{cid}: no such clause")
                elif isinstance(w, str):
                    _compare(f"clauses.{cid}.status", w, clauses[cid].get("status"), problems)
                else:
                    _compare(f"clauses.{cid}", w, clauses[cid], problems)
            continue
        _compare(key, value, got.get(key), problems)
    return problems

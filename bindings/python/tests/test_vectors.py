"""The golden test vectors of tests/vectors/ (see its README.md).

Each case compiles `rulebook.eco` with the other `*.eco` files of its
folder as modules and scores `audit.json`: the report must be the bytes
of `expected.json` (`to_json()` plus the CLI's final newline), or the
first error must match `expected_error.json` (stage, kind, message, message_zh, fact).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import ecorule

VECTORS = Path(__file__).resolve().parents[3] / "tests" / "vectors"
CASES: List[Path] = sorted(d for d in VECTORS.iterdir() if d.is_dir())


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def modules(case: Path) -> Dict[str, str]:
    """Every `*.eco` of the case but `rulebook.eco`, by file name."""
    return {p.name: read(p) for p in sorted(case.glob("*.eco")) if p.name != "rulebook.eco"}


def strict(case: Path) -> bool:
    options = case / "options.json"
    return bool(options.is_file() and json.loads(read(options)).get("strict", False))


def error_json(stage: str, error: ecorule.EcoruleError) -> Dict[str, Any]:
    """The first error as the vectors record it."""
    first = error.errors[0]
    fact: Optional[Dict[str, Any]] = None
    if first.fact is not None:
        fact = {"fact": first.fact, "expected": first.expected, "given": first.given}
    return {"stage": stage, "kind": first.kind, "message": first.message, "message_zh": first.message_zh, "fact": fact}


def test_there_are_enough_vectors() -> None:
    assert len(CASES) >= 30, f"only {len(CASES)} cases in {VECTORS}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_vector(case: Path) -> None:
    expected = case / "expected.json"
    expected_error = case / "expected_error.json"
    assert expected.is_file() != expected_error.is_file(), "needs exactly one of expected.json, expected_error.json"
    audit_text = read(case / "audit.json")

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        try:
            rulebook = ecorule.Rulebook.from_source(read(case / "rulebook.eco"), "rulebook.eco", modules=modules(case))
        except ecorule.RulebookError as e:
            assert expected_error.is_file(), f"the rulebook does not compile:\n{e}"
            assert error_json("compile", e) == json.loads(read(expected_error))
            return
    # Only the case whose own gb14554 replaces the bundled one is warned of it.
    replaced = ["module `gb14554` comes from gb14554.module.eco"] if case.name == "module_override_bundled" else []
    assert [str(w.message).split(" (sha256:")[0] for w in warned] == replaced

    if expected_error.is_file():
        with pytest.raises(ecorule.AuditError) as caught:
            rulebook.score(audit_text, strict=strict(case))
        assert error_json("score", caught.value) == json.loads(read(expected_error))
        return

    want = read(expected)
    # The audit as JSON text (read by the core's own JSON reader) ...
    assert rulebook.score(audit_text, strict=strict(case)).to_json() + "\n" == want
    # ... and as the dict json.loads gives (converted value by value).
    as_dict = json.loads(audit_text)
    assert rulebook.score(as_dict, strict=strict(case)).to_json() + "\n" == want

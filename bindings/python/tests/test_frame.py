"""score_frame and score_many agree with scoring audits one by one."""

from __future__ import annotations

import inspect
import json
import math
import pickle
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import ecorule
from conftest import RULES, cases

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from fishmeal_data import generate  # noqa: E402

BUILTIN = {"audit.id", "audit.date", "enterprise.id", "enterprise.name"}


def row_audit(row: Dict[str, Any]) -> Dict[str, Any]:
    """A DataFrame row as the audit dict `score` takes (missing cells left out)."""

    def given(v: Any) -> bool:
        return not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)))

    meta: Dict[str, Any] = {}
    if given(row.get("audit.id")):
        meta["id"] = row["audit.id"]
    if given(row.get("audit.date")):
        meta["date"] = row["audit.date"]
    facts = {k: v for k, v in row.items() if k not in BUILTIN and given(v)}
    return {"audit": meta, "facts": facts}


def assert_same(frame: pd.DataFrame, reports: List[ecorule.Report], clause_ids: List[str]) -> None:
    assert len(frame) == len(reports)
    for i, report in enumerate(reports):
        row = frame.iloc[i]
        assert row["score_min"] == report.score_min, i
        assert row["score_max"] == report.score_max, i
        if report.score is None:
            assert math.isnan(row["score"]), i
        else:
            assert row["score"] == report.score, i
        assert (row["grade"], row["verdict"], bool(row["determined"])) == (
            report.grade, report.verdict, report.determined
        ), i
        assert (row["grade_best"], row["verdict_best"]) == (report.grade_best, report.verdict_best), i
        assert list(row["vetoes"]) == report.vetoes, i
        assert [row[c] for c in clause_ids] == [report.statuses[c] for c in clause_ids], i


@pytest.mark.parametrize("missing", [0.0, 0.1])
def test_frame_equals_one_by_one(fishmeal: ecorule.Rulebook, missing: float) -> None:
    df = generate(400, seed=11, missing=missing)
    frame = fishmeal.score_frame(df)
    reports = [fishmeal.score(row_audit(r)) for r in df.to_dict("records")]
    assert_same(frame, reports, fishmeal.clause_ids)
    assert list(frame["id"]) == list(df["audit.id"])
    if missing:
        assert (frame["score_min"] < frame["score_max"]).any()
    # every status occurs somewhere, so the comparison means something
    seen = set(np.concatenate([frame[c].astype(str).to_numpy() for c in fishmeal.clause_ids]))
    assert {"pass", "partial", "fail", "not_applicable"} <= seen


def test_columns_with_many_distinct_values(fishmeal: ecorule.Rulebook) -> None:
    """Codes per column widen from 8 to 16 to 32 bits as distinct values grow."""
    df = generate(70_000, seed=5)
    rng = np.random.default_rng(1)
    df["dust.pm"] = rng.uniform(0, 40, len(df)).round(3)  # thousands of distinct values
    df["site.receptor_distance"] = np.arange(len(df), dtype=float) / 7  # more than 65,535
    df.loc[::13, "site.receptor_distance"] = np.nan
    whole = fishmeal.score_frame(df)
    parts = pd.concat(
        [fishmeal.score_frame(df.iloc[i : i + 10_000]) for i in range(0, len(df), 10_000)], ignore_index=True
    )
    assert whole.equals(parts)
    reports = [fishmeal.score(row_audit(r)) for r in df.iloc[:300].to_dict("records")]
    assert_same(whole.iloc[:300], reports, fishmeal.clause_ids)


def flatten(prefix: str, value: Any, out: Dict[str, Any]) -> None:
    if isinstance(value, dict) and not ("value" in value and "unit" in value):
        for k, v in value.items():
            flatten(f"{prefix}.{k}" if prefix else k, v, out)
    else:
        out[prefix] = value


@pytest.mark.parametrize("name", ["fishmeal", "green-ship-repair", "hazardous-waste"])
def test_sample_audits_as_rows(name: str) -> None:
    directory = RULES / name
    rulebook = ecorule.Rulebook.from_file(directory / f"{name}.eco")
    rows: List[Dict[str, Any]] = []
    reports: List[ecorule.Report] = []
    for audit, expected in cases(directory):
        if audit.suffix != ".json" or "error" in json.loads(expected.read_text(encoding="utf-8")):
            continue
        data = json.loads(audit.read_text(encoding="utf-8"))
        row: Dict[str, Any] = {}
        flatten("", data.get("facts", {}), row)
        meta = data.get("audit", {})
        row["audit.id"] = meta.get("id")
        row["audit.date"] = meta.get("date")
        enterprise = meta.get("enterprise") or {}
        row["enterprise.id"] = enterprise.get("id")
        row["enterprise.name"] = enterprise.get("name")
        rows.append(row)
        reports.append(rulebook.score(audit))
    assert rows
    frame = rulebook.score_frame(pd.DataFrame(rows))
    assert_same(frame, reports, rulebook.clause_ids)
    # score_many gives the very reports score gives
    paths = [a for a, _ in cases(directory) if a.suffix == ".json"]
    assert [r.to_json() for r in rulebook.score_many(paths)] == [rulebook.score(p).to_json() for p in paths]


def test_units_in_column_names_and_mapping(fishmeal: ecorule.Rulebook) -> None:
    base = {"audit.date": ["2024-05-20"] * 3, "odour.plant": ["biofilter"] * 3}
    plain = fishmeal.score_frame(pd.DataFrame({**base, "stack.height": [25.0, 12.0, np.nan], "cooling.reuse_rate": [0.95, 0.5, 0.8]}))
    for frame in (
        pd.DataFrame({**base, "stack.height [cm]": [2500.0, 1200.0, np.nan], "cooling.reuse_rate [%]": [95, 50, 80]}),
        pd.DataFrame({**base, "stack.height (m)": [25, 12, None], "cooling.reuse_rate (%)": [95, 50, 80]}),
        pd.DataFrame({**base, "stack.height [m]": ["25 m", "1200 cm", None], "cooling.reuse_rate": ["95 %", "50 %", "80 %"]}),
    ):
        got = fishmeal.score_frame(frame)
        pd.testing.assert_frame_equal(got, plain)
    mapped = fishmeal.score_frame(
        pd.DataFrame({**base, "stack.height": [0.025, 0.012, None], "cooling.reuse_rate": [95.0, 50.0, 80.0]}),
        units={"stack.height": "km", "cooling.reuse_rate": "%"},
    )
    # A column's unit applies to its numbers, written as numbers or as
    # texts; text cells with a unit carry their own.
    texts = fishmeal.score_frame(
        pd.DataFrame({**base, "stack.height [km]": ["0.025", "12 m", None], "cooling.reuse_rate": ["95 %", "0.5", "80 %"]})
    )
    pd.testing.assert_frame_equal(texts, plain)
    pd.testing.assert_frame_equal(mapped, plain)
    # The same unit twice is one unit; two different ones are refused, by
    # the column's name or by its fact's: neither is taken over the other.
    same = fishmeal.score_frame(
        pd.DataFrame({**base, "stack.height [km]": [0.025, 0.012, None], "cooling.reuse_rate": [0.95, 0.5, 0.8]}),
        units={"stack.height": "km"},
    )
    pd.testing.assert_frame_equal(same, plain)
    for key in ("stack.height", "stack.height [m]"):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(pd.DataFrame({**base, "stack.height [m]": [27.0, 12.0, None]}), units={key: "cm"})
        assert info.value.kind == "unit" and info.value.fact == "stack.height"
        assert info.value.message.startswith(f"column `stack.height [m]` is in m by its name, but units[{key!r}] says cm")


def test_a_unit_in_parentheses_may_hold_parentheses(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame({"noise.day": [58.0, 66.0], "noise.night": [49.0, 57.0]})
    expected = fishmeal.score_frame(df)
    for day, night in [("noise.day (dB(A))", "noise.night [dB(A)]"), (" noise.day(dB(A)) ", "noise.night (dBA)")]:
        frame = fishmeal.score_frame(df.rename(columns={"noise.day": day, "noise.night": night}))
        pd.testing.assert_frame_equal(frame, expected)
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"noise.day (dB)": [58.0]}))  # read, and not a unit of noise
    assert info.value.kind == "unit" and info.value.fact == "noise.day"


@pytest.mark.parametrize("column", ["noise.day (dB(A)", "noise.day [dB(A)", "noise.day (dB(A)) (x)", "noise.day [m] extra"])
def test_a_unit_part_that_cannot_be_read_is_said_so(fishmeal: ecorule.Rulebook, column: str) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({column: [58.0]}))
    assert info.value.kind == "unit" and info.value.fact == "noise.day"
    assert info.value.message == f"column `{column}`: the unit after `noise.day` could not be read"
    assert info.value.help == "give one unit in brackets or balanced parentheses: `noise.day [dB(A)]` or `noise.day (dB(A))`"
    assert info.value.message_zh == f"列 `{column}`：`noise.day` 之后的单位无法读取"
    assert info.value.help_zh == "在方括号或成对的圆括号中给出一个单位：`noise.day [dB(A)]` 或 `noise.day (dB(A))`"


def test_text_cells_of_bare_numbers_take_the_column_unit(fishmeal: ecorule.Rulebook) -> None:
    """A CSV column often reads as text: `"1200"` in a `[cm]` column is
    1200 cm, as the number 1200 is, not 1200 m (the fact's own unit)."""
    cells = [1200, "1200", " 1200 ", "1200 cm", "12 m", 1200.0]
    by_name = fishmeal.score_frame(
        pd.DataFrame({"stack.height [cm]": pd.Series(cells, dtype=object), "stack.clearance [cm]": [800] * len(cells)})
    )
    assert list(by_name["FM21"]) == ["fail"] * len(cells)  # 12 m is below the 15 m minimum
    mapped = fishmeal.score_frame(
        pd.DataFrame({"stack.height": ["1200", "2500"], "stack.clearance": ["800", "800"]}),
        units={"stack.height": "cm", "stack.clearance": "cm"},
    )
    assert list(mapped["FM21"]) == ["fail", "pass"]
    one = fishmeal.score({"facts": {"stack.height": "12 m", "stack.clearance": "8 m"}}).statuses["FM21"]
    assert one == "fail"
    # list cells: each number (or bare-number text) of the list takes the unit
    rulebook = ecorule.Rulebook.from_source(
        """
rulebook lists "列表" {
  facts { h: list quantity m "高度" }
  scoring {
    scale 1
    grade ok "合格" otherwise
    verdict standardize "规范" otherwise
  }
  area A "甲" { clause C "一" points 1 { require 12 m in h } }
}"""
    )
    cells = [[2000, "1200"], [1200.0], ["12 m"], ["1200 cm"], [2000, "1600"]]
    lists = rulebook.score_frame(pd.DataFrame({"h [cm]": pd.Series(cells, dtype=object)}))
    assert list(lists["C"]) == ["pass", "pass", "pass", "pass", "fail"]


def test_a_column_unit_that_does_not_fit_is_the_columns_error(fishmeal: ecorule.Rulebook) -> None:
    """An unknown unit, or one of another dimension, is said of the column,
    before any row is scored, whatever `on_error` says."""
    for df, units, unit in (
        (pd.DataFrame({"stack.height [metres]": [25.0, 30.0]}), None, "metres"),
        (pd.DataFrame({"stack.height": [25.0, 30.0]}), {"stack.height": "ft"}, "ft"),
    ):
        for on_error in ("raise", "record"):
            with pytest.raises(ecorule.AuditError) as info:
                fishmeal.score_frame(df, units, on_error=on_error)
            e = info.value
            assert (e.kind, e.fact, e.index, e.position) == ("unit", "stack.height", None, None)
            assert e.message.startswith(f"column `{df.columns[0]}`") and f"`{unit}` is not a unit" in e.message
            assert e.help is not None and f"unknown unit `{unit}`" in e.help
            assert (e.expected, e.given) == ("a quantity in m of at least 0 m", f"`{unit}`, which is not a unit")
            assert "audit at index" not in str(e)
            # In Chinese too: the column, then the core's own words for why it is not a unit.
            assert e.message_zh is not None and e.message_zh.startswith("列 `stack.height")
            assert e.message_zh.endswith(f"：`{unit}` 不是单位") and e.help_zh == f"未知单位 `{unit}`"
    with pytest.raises(ecorule.AuditError, match=r"numbers in `kg` \(a mass\) do not fit.*quantity in m") as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height [kg]": [25.0]}), on_error="record")
    assert (info.value.expected, info.value.given) == ("a quantity in m of at least 0 m", "numbers in `kg` (a mass)")
    assert info.value.message_zh == "列 `stack.height [kg]`：以 `kg` 计的数值（质量）不符，该数据项应为以 m 计的量，不小于 0 m"
    assert (info.value.help, info.value.help_zh) == (None, None)
    # The fact's bounds are each row's to meet, not the unit's: `1 cm` is
    # below `min 15 m`, 2000 cm is not.
    bounded = ecorule.Rulebook.from_source(
        """
rulebook bounded "下限" {
  facts { h: quantity m min 15 "高度" }
  scoring {
    scale 1
    grade ok "合格" otherwise
    verdict standardize "规范" otherwise
  }
  area A "甲" { clause C "一" points 1 { require h >= 20 m } }
}"""
    )
    assert list(bounded.score_frame(pd.DataFrame({"h [cm]": [2000, 2500]}))["C"]) == ["pass", "pass"]
    with pytest.raises(ecorule.AuditError, match="column `odour.plant \\[m\\]`: numbers in `m`") as info:
        fishmeal.score_frame(pd.DataFrame({"odour.plant [m]": ["spray"]}))
    assert info.value.message_zh is not None
    assert info.value.message_zh.startswith("列 `odour.plant [m]`：以 `m` 计的数值（长度）不符，该数据项应为以下之一：none（无）、")
    # The help of a unit the core refuses is the core's, in both languages.
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height [mg/Nm3]": [25.0]}))
    assert info.value.help is not None and info.value.help.endswith("so write `m³`")
    assert info.value.help_zh is not None and info.value.help_zh.endswith("请写作 `m³`")


def test_column_problems(fishmeal: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError, match="`region`") as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height": [25.0], "region": ["普陀"]}))
    assert (info.value.kind, info.value.fact, info.value.given) == ("audit", "region", "column `region`")
    assert info.value.expected == "a fact rulebook `fishmeal` declares"
    with pytest.raises(ValueError, match="on_error"):
        fishmeal.score_frame(pd.DataFrame({"stack.height": [25.0]}), on_error="ignore")
    with pytest.raises(TypeError):
        fishmeal.score_frame([{"stack.height": 25.0}])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "df,units,kind,fact,expected,given,message,message_zh",
    [
        (
            pd.DataFrame([[25.0, 30.0]], columns=["stack.height", "stack.height"]),
            None, "audit", "stack.height", "one column", "two columns named `stack.height`",
            "fact `stack.height` is given twice, by two columns named `stack.height`",
            "数据项 `stack.height` 给出了两次：两列都名为 `stack.height`",
        ),
        (
            pd.DataFrame({"stack.height": [25.0], "stack.height [cm]": [2500.0]}),
            None, "audit", "stack.height", "one column", "columns `stack.height` and `stack.height [cm]`",
            "fact `stack.height` is given twice, by columns `stack.height` and `stack.height [cm]`",
            "数据项 `stack.height` 给出了两次：列 `stack.height` 与 `stack.height [cm]`",
        ),
        (
            pd.DataFrame({"audit.id": ["A-1"], " audit.id ": ["A-2"]}),
            None, "audit", "audit.id", "one column", "columns `audit.id` and ` audit.id `",
            "fact `audit.id` is given twice, by columns `audit.id` and ` audit.id `",
            "数据项 `audit.id` 给出了两次：列 `audit.id` 与 ` audit.id `",
        ),
        (
            pd.DataFrame({"stack.height": [25.0]}),
            {"stack.heigth": "m"}, "unit", "stack.heigth", "the name of a column or of its fact", "`stack.heigth`",
            "units['stack.heigth'] names no column (did you mean `stack.height`?)",
            "units['stack.heigth'] 不是任何一列的名称（是否应为 `stack.height`？）",
        ),
        (
            pd.DataFrame({"stack.height [cm]": [2500.0]}),
            {"stack.clearance": "m"}, "unit", "stack.clearance", "the name of a column or of its fact", "`stack.clearance`",
            "units['stack.clearance'] names no column",
            "units['stack.clearance'] 不是任何一列的名称",
        ),
        (
            pd.DataFrame({"stack.height [cm]": [2500.0]}),
            {"stack.height [cm]": "cm", "stack.height": "m"}, "unit", "stack.height", "one unit for the column",
            "`cm` by its name and `m` by units['stack.height']",
            "column `stack.height [cm]` is in cm by its name, but units['stack.height'] says m",
            "列 `stack.height [cm]` 的单位在列名中为 cm，但在 units['stack.height'] 中为 m",
        ),
    ],
    ids=["same-label", "two-spellings", "spaces", "misspelt-units-key", "units-for-no-column", "two-units"],
)
def test_column_shape_problems_are_audit_errors(
    fishmeal: ecorule.Rulebook,
    df: pd.DataFrame,
    units: Any,
    kind: str,
    fact: str,
    expected: str,
    given: str,
    message: str,
    message_zh: str,
) -> None:
    """A frame whose columns do not each give one fact is an `AuditError`,
    as a bad audit is (and so a `ValueError`), raised before any row is
    scored whatever `on_error` says, naming the fact, what was expected and
    what was given, and saying it in Chinese too."""
    for on_error in ("raise", "record"):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(df, units, on_error=on_error)  # type: ignore[arg-type]
        e = info.value
        assert isinstance(e, ValueError)
        assert (e.kind, e.fact, e.expected, e.given, e.message) == (kind, fact, expected, given, message)
        assert (e.index, e.position) == (None, None) and e.help
        assert str(e) == f"Error: {message}\n  Help: {e.help}"
        assert e.message_zh == message_zh and e.help_zh


def test_the_help_of_a_frames_shape_problem_is_said_in_chinese_too(fishmeal: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height": [25.0], "stack.height [cm]": [2500.0]}))
    assert info.value.help_zh == "每个数据项只用一列给出：删去另一列，或为其改名"
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height [cm]": [2500.0]}), units={"stack.height": "m"})
    assert info.value.help_zh == "列的单位只给一次：写在列名中或 `units` 中，不要两处都写"
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"stack.height": [25.0]}), units={"x": "m"})
    assert info.value.help_zh == "`units` 的键应为列名（`stack.height [cm]`）或列的数据项名（`stack.height`）"


def test_every_way_score_frame_refuses_a_frames_shape_is_said_in_chinese_too(
    fishmeal: ecorule.Rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each error `score_frame` raises about a frame's columns or size has a
    `message_zh`, and a `help_zh` beside each `help`, while its text stays
    the English the core would draw. Every place `_frame` builds an error is
    reached here, so one added without its Chinese fails this test."""
    import ecorule._errors
    import ecorule._frame
    from ecorule._frame import _codes

    # The calls of `_plain` and `_detail` in `_frame`, and those reached.
    module = Path(ecorule._frame.__file__)
    sites = re.findall(r"\b(?:_plain|_detail)\(", module.read_text(encoding="utf-8"))
    reached: set[int] = set()
    build = ecorule._errors._detail

    def recorded(*args: Any, **kwargs: Any) -> ecorule.ErrorDetail:
        frame = inspect.currentframe()
        while frame is not None and Path(frame.f_code.co_filename) != module:
            frame = frame.f_back
        assert frame is not None, "an error of the Python layer built outside _frame"
        reached.add(frame.f_lineno)
        return build(*args, **kwargs)

    monkeypatch.setattr(ecorule._errors, "_detail", recorded)
    monkeypatch.setattr(ecorule._frame, "_detail", recorded)

    height = [25.0]
    refusals: List[Any] = [
        # One fact in two columns.
        lambda: fishmeal.score_frame(pd.DataFrame([[25.0, 30.0]], columns=["stack.height", "stack.height"])),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height": height, "stack.height [cm]": [2500.0]})),
        # Two units for one column, and `units` keys that name no column.
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height [cm]": [2500.0]}), units={"stack.height": "m"}),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height": height}), units={"stack.heigth": "m", "x": "m"}),
        # A unit that cannot be read, is not one, or does not fit the fact.
        lambda: fishmeal.score_frame(pd.DataFrame({"noise.day (dB(A)": [58.0]})),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height": height}), units={"stack.height": "m\udcff"}),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height [metres]": height})),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height": height}), units={"stack.height": "ft"}),
        lambda: fishmeal.score_frame(pd.DataFrame({"stack.height [kg]": height})),
        lambda: fishmeal.score_frame(pd.DataFrame({"odour.plant [m]": ["spray"]})),
        # Columns that are not facts.
        lambda: fishmeal.score_frame(pd.DataFrame({"region": ["普陀"]})),
        lambda: fishmeal.score_frame(pd.DataFrame({"row": [1], "effluent.phh": [7.0]})),
        # Too large to score at once.
        lambda: fishmeal.score_frame(pd.DataFrame(index=pd.RangeIndex(2**32))),
        lambda: _codes(np.zeros(1, dtype=np.int64), 2**32 - 1, np),
    ]
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for refuse in refusals:
        with pytest.raises(ecorule.AuditError) as info:
            refuse()
        for d in info.value.errors:
            assert d.message_zh and chinese.search(d.message_zh), d.message
            assert bool(d.help_zh) == bool(d.help), d.message
            assert d.help_zh is None or chinese.search(d.help_zh), d.help
            assert d.rendered == f"Error: {d.message}\n" + (f"  Help: {d.help}\n" if d.help else "")
    assert len(reached) == len(sites), f"reached {len(reached)} of the {len(sites)} errors _frame builds"


def test_units_keyed_by_a_column_and_by_its_fact_agree_or_are_refused(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame({"stack.height [cm]": [2500.0, 1200.0]})
    plain = fishmeal.score_frame(df)
    both = fishmeal.score_frame(df, units={"stack.height [cm]": "cm", "stack.height": "cm"})
    pd.testing.assert_frame_equal(both, plain)
    bare = pd.DataFrame({"stack.height": [25.0, 12.0]})
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(bare, units={"stack.height": "m", "audit.date": "d"})
    assert info.value.message == "units['audit.date'] names no column"
    # Each key that names no column is an error of its own.
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(bare, units={"x": "m", "y": "m"})
    assert [(d.fact, d.given) for d in info.value.errors] == [("x", "`x`"), ("y", "`y`")]


def test_a_frame_of_more_rows_than_one_call_scores_is_an_audit_error(fishmeal: ecorule.Rulebook) -> None:
    huge = pd.DataFrame(index=pd.RangeIndex(2**32))  # no columns: nothing is allocated
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(huge)
    assert info.value.kind == "audit_too_large" and "4,294,967,296 rows" in info.value.message
    assert info.value.message_zh == "DataFrame 有 4,294,967,296 行，超过一次调用可评分的行数（4,294,967,295）"
    from ecorule._frame import _codes

    with pytest.raises(ecorule.AuditError, match="too many to score at once"):
        _codes(np.zeros(1, dtype=np.int64), 2**32 - 1, np)


def test_bad_rows_raise_or_are_recorded(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame(
        {"audit.date": ["2024-05-20"] * 3, "odour.plant": ["biofilter", "magic", None], "stack.height": [25.0, 30.0, math.inf]},
        index=["a", "b", "c"],
    )
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(df)
    assert (info.value.index, info.value.position, info.value.fact) == ("b", 1, "odour.plant")
    # The error says how to score the other rows instead.
    note = 'note: score_frame(..., on_error="record") scores every other row and gives this one an `error` message'
    assert str(info.value).startswith("audit at index 'b' (position 1):\n")
    assert str(info.value).endswith(f"{note} instead of raising")
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)
    assert "on_error=\"record\"" in (ecorule.Rulebook.score_frame.__doc__ or "")
    frame = fishmeal.score_frame(df, on_error="record")
    assert list(frame.index) == ["a", "b", "c"]
    assert frame["error"].iloc[0] is None
    assert "odour.plant" in frame["error"].iloc[1] and "stack.height" in frame["error"].iloc[2]
    assert math.isnan(frame["score_min"].iloc[1]) and frame.iloc[1][["grade", "grade_best", "verdict", "verdict_best"]].isna().all()
    assert frame["vetoes"].iloc[1] is None and pd.isna(frame["FM01"].iloc[1])
    assert frame["grade"].iloc[0] in [g.id for g in fishmeal.grades]


@pytest.mark.parametrize(
    "cell,match",
    [
        ("\udcff", "`\\udcff`, which holds a lone surrogate"),
        (1 + 2j, "a Python `complex`"),
        ([1, 2], "a list of 2"),
        ({"a": 1}, "an object"),
        (object(), "a Python `object`"),
    ],
    ids=["surrogate", "complex", "list", "dict", "object"],
)
def test_a_cell_that_does_not_convert_is_its_rows_error(fishmeal: ecorule.Rulebook, cell: Any, match: str) -> None:
    # Held as Python objects: pandas' Arrow-backed strings (with pyarrow
    # installed) cannot hold a lone surrogate.
    plant = pd.Series(["biofilter", cell, "spray", cell], index=["a", "b", "c", "d"], dtype=object)
    df = pd.DataFrame({"odour.plant": plant, "stack.height": [25.0, 25.0, 25.0, 30.0]}, index=plant.index)
    frame = fishmeal.score_frame(df, on_error="record")
    assert [e is None for e in frame["error"]] == [True, False, True, False]
    assert frame["error"].iloc[1].startswith("fact `odour.plant` expects ") and match in frame["error"].iloc[1]
    assert frame["grade"].iloc[0] in [g.id for g in fishmeal.grades] and pd.isna(frame["grade"].iloc[1])
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(df)
    assert (info.value.index, info.value.position, info.value.fact) == ("b", 1, "odour.plant")
    assert str(info.value).startswith("audit at index 'b' (position 1):")


def test_a_cell_whose_conversion_raises_is_its_rows_error(fishmeal: ecorule.Rulebook) -> None:
    class Broken:
        __module__ = "numpy"  # read with tolist(), which fails

        def tolist(self) -> Any:
            raise ValueError("no list here")

    df = pd.DataFrame({"odour.plant": pd.Series(["spray", Broken()], dtype=object)})
    frame = fishmeal.score_frame(df, on_error="record")
    assert frame["error"].iloc[0] is None
    assert "a Python `Broken` that could not be read (ValueError: no list here)" in frame["error"].iloc[1]


@pytest.mark.parametrize(
    "column",
    [
        [Decimal("sNaN"), Decimal(25)],
        [Decimal("sNaN"), 25, "25 m"],
        [Decimal("-sNaN"), Decimal("NaN"), [1, 2]],
    ],
    ids=["decimals", "mixed", "with-a-list"],
)
def test_a_signaling_nan_is_unknown_as_in_score(fishmeal: ecorule.Rulebook, column: List[Any]) -> None:
    # pandas cannot test `Decimal("sNaN")` for missing (its comparison
    # raises `decimal.InvalidOperation`), which once escaped score_frame.
    for on_error in ("raise", "record"):
        df = pd.DataFrame({"stack.height": pd.Series(column[:2], dtype=object), "audit.id": column[:2]})
        frame = fishmeal.score_frame(df, on_error=on_error)
        alone = fishmeal.score({"facts": {"stack.height": column[0]}, "audit": {"id": column[0]}})
        assert frame.iloc[0]["score_max"] == alone.score_max
        assert [frame.iloc[0][c] for c in fishmeal.clause_ids] == [alone.statuses[c] for c in fishmeal.clause_ids]
    frame = fishmeal.score_frame(pd.DataFrame({"stack.height": pd.Series(column, dtype=object)}), on_error="record")
    assert frame["error"].iloc[0] is None and frame["FM23"].iloc[0] == "unknown"
    assert (frame["error"].iloc[-1] is None) == (not isinstance(column[-1], list))


def test_a_cell_whose_hash_raises_is_its_rows_error(fishmeal: ecorule.Rulebook) -> None:
    class Odd:
        def __hash__(self) -> int:
            raise RuntimeError("no hash here")

    df = pd.DataFrame({"stack.height": pd.Series([25, Odd(), "25 m"], dtype=object)})
    frame = fishmeal.score_frame(df, on_error="record")
    assert [e is None for e in frame["error"]] == [True, False, True]
    assert "a Python `Odd`" in frame["error"].iloc[1]


def test_a_dataframe_row_or_a_dataframe_given_as_an_audit_says_to_use_score_frame(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame({"audit.id": ["A-1", "A-2"], "stack.height": [25.0, 12.0]})
    for audit in (df.iloc[0], df):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score(audit)  # type: ignore[arg-type]
        assert "score_frame(df)" in (info.value.help or "")
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score(df.iloc[0])  # type: ignore[arg-type]
    assert info.value.message.endswith("not a pandas Series (which looks like a DataFrame row)")
    assert info.value.help == 'score a DataFrame\'s rows with `score_frame(df)`, or one row as `score({"facts": row.to_dict()})`'
    # In score_many, each such audit is its own error, recorded as any other.
    recorded = fishmeal.score_many([{"facts": df.iloc[0].to_dict()}, df.iloc[1]], on_error="record")
    assert isinstance(recorded[0], ecorule.Report) and isinstance(recorded[1], ecorule.AuditError)
    assert recorded[1].index == 1 and "pandas Series" in recorded[1].message
    with pytest.raises(TypeError, match=r"not a pandas DataFrame \(which iterates over its column names\): .*score_frame\(df\)"):
        fishmeal.score_many(df)  # type: ignore[arg-type]
    # A Series of audits is an iterable of audits.
    assert len(fishmeal.score_many(pd.Series([{"facts": {}}, {"facts": {}}]))) == 2


def test_a_rows_errors_follow_the_columns_order(fishmeal: ecorule.Rulebook) -> None:
    # Numbers (float64, int64) and texts are packed apart, numbers with many
    # distinct values in wider codes: the errors still come in column order,
    # as score(dict) gives them in the audit's order.
    many = [float(i) for i in range(300)]
    df = pd.DataFrame(
        {
            "stack.height": [math.inf] + many[1:],
            "odour.plant": ["magic"] * 300,
            "odour.log_coverage": [math.inf] * 300,
            "permit.valid_until": ["someday"] * 300,
        }
    )
    order = ["stack.height", "odour.plant", "odour.log_coverage", "permit.valid_until"]
    for columns in (order, order[::-1], [order[1], order[0], order[3], order[2]]):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(df[columns])
        assert [d.fact for d in info.value.errors] == columns and info.value.fact == columns[0]
        alone = fishmeal.score_many([{"facts": {c: df[c].iloc[0] for c in columns}}], on_error="record")[0]
        assert isinstance(alone, ecorule.AuditError) and [d.fact for d in alone.errors] == columns
        message = fishmeal.score_frame(df[columns], on_error="record")["error"].iloc[0]
        assert sorted(columns, key=lambda c: message.index(f"`{c}`")) == columns


def test_the_error_column_keeps_the_help(fishmeal: ecorule.Rulebook) -> None:
    frame = fishmeal.score_frame(pd.DataFrame({"stack.height": ["25 furlong"]}), on_error="record")
    with pytest.raises(ecorule.AuditError) as whole:
        fishmeal.score({"facts": {"stack.height": "25 furlong"}})
    assert whole.value.help is not None and "unknown unit `furlong`" in whole.value.help
    assert frame["error"].iloc[0] == f"{whole.value.message}\n  Help: {whole.value.help}"


def test_units_must_be_unit_texts(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame({"stack.height": [25.0]})
    with pytest.raises(TypeError, match=r"units\['stack.height'\] must be a unit text .*, not 5"):
        fishmeal.score_frame(df, units={"stack.height": 5})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="units must map column or fact names to unit texts"):
        fishmeal.score_frame(df, units=["m"])  # type: ignore[arg-type]
    # A unit with a lone surrogate is the column's error, as any unit that cannot be read.
    for frame, units, where in (
        (df, {"stack.height": "m\udcff"}, "column `stack.height` (units['stack.height'])"),
        (
            pd.DataFrame([[25.0]], columns=pd.Index(["stack.height [\udcff]"], dtype=object)),
            None,
            "column `stack.height [\\udcff]`",
        ),
    ):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(frame, units=units)
        e = info.value
        assert (e.kind, e.fact, e.expected) == ("unit", "stack.height", "a unit in valid Unicode")
        assert e.message.startswith(f"{where}: the unit `") and e.message.endswith("is not valid Unicode (it holds a lone surrogate)")
        assert e.given is not None and e.given.endswith("`, which holds a lone surrogate")
        str(e).encode()  # printable: the surrogate is written as an escape
    with pytest.raises(ecorule.AuditError, match="is not a fact") as info:
        fishmeal.score_frame(pd.DataFrame([[25.0]], columns=pd.Index(["stack.\udcff"], dtype=object)))
    assert info.value.message.startswith("column `stack.\\udcff` is not a fact")


def test_a_misspelt_column_is_named_with_the_fact_it_may_mean(fishmeal: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"stack.heigth [m]": [25.0], "stack.height": [25.0]}))
    assert info.value.message == (
        "column `stack.heigth [m]` (did you mean `stack.height`?) is not a fact of rulebook `fishmeal`"
    )
    assert info.value.message_zh == "列 `stack.heigth [m]`（是否应为 `stack.height`？）不是规则集 `fishmeal` 的数据项"
    assert info.value.help_zh == "按数据项为列命名（`stack.height [m]`），或在评分前删去其他列"
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"row": [1], "effluent.phh": [7.0]}))
    assert info.value.message == (
        "columns `row`, `effluent.phh` (did you mean `effluent.ph`?) are not facts of rulebook `fishmeal`"
    )
    assert info.value.message_zh == "列 `row`、`effluent.phh`（是否应为 `effluent.ph`？）不是规则集 `fishmeal` 的数据项"
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame({"region": ["普陀"]}))
    assert info.value.message_zh == "列 `region` 不是规则集 `fishmeal` 的数据项"


def test_error_index_is_the_rows_label(fishmeal: ecorule.Rulebook) -> None:
    """After filtering, `df.loc[e.index]` is the row that failed; its
    position is `e.position`."""
    df = pd.DataFrame({"stack.height [m]": [25.0, 12.0, 30.0, 18.0], "odour.plant": ["spray", "none", "biofilter", "magic"]})
    sub = df[df["stack.height [m]"] > 15]  # labels 0, 2, 3; the bad row is label 3
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(sub)
    e = info.value
    assert (e.index, e.position, e.fact) == (3, 2, "odour.plant")
    assert sub.loc[e.index, "odour.plant"] == "magic" and sub.iloc[e.position]["odour.plant"] == "magic"
    assert str(e).startswith("audit at index 3 (position 2):\n")
    labelled = sub.set_axis(pd.Index(["p", "q", "r"]))
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(labelled)
    assert (info.value.index, info.value.position) == ("r", 2)
    assert str(info.value).startswith("audit at index 'r' (position 2):\n")
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.index, again.position, str(again)) == ("r", 2, str(info.value))


def test_a_row_that_could_not_be_scored_is_not_undetermined(fishmeal: ecorule.Rulebook) -> None:
    """With on_error="record", a failed row's `determined` is missing (NA),
    as its score and grade are, not False."""
    df = pd.DataFrame({"odour.plant": ["spray", "magic", None]}, index=["a", "b", "c"])
    frame = fishmeal.score_frame(df, on_error="record")
    assert str(frame["determined"].dtype) == "boolean"
    assert frame["determined"].iloc[0] in (True, False) and frame["determined"].iloc[2] in (True, False)
    assert frame["determined"].iloc[1] is pd.NA
    assert fishmeal.score_frame(df.drop(index="b"))["determined"].dtype == bool


def test_unread_text_builtins_are_held_to_the_size_limits(fishmeal: ecorule.Rulebook) -> None:
    """`audit.id` and `enterprise.name`, which fishmeal never reads, are
    checked as `score` checks them."""
    big = "x" * (64 * 1024 + 1)
    for name in ("audit.id", "enterprise.name", "enterprise.id"):
        df = pd.DataFrame({name: ["ok", big], "stack.height": [20.0, 20.0]})
        frame = fishmeal.score_frame(df, on_error="record")
        assert frame["error"].iloc[0] is None
        assert frame["error"].iloc[1] == (
            f"fact `{name}` expects a text of at most 65536 bytes, but the audit gives a text of 65537 bytes"
        )
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(df)
        assert (info.value.kind, info.value.fact, info.value.index) == ("audit_too_large", name, 1)
    # 16,384 four-byte characters are within the limit, one more is not
    wide = pd.DataFrame({"audit.id": ["😀" * 16_384, "😀" * 16_385]})
    assert [e is None for e in fishmeal.score_frame(wide, on_error="record")["error"]] == [True, False]


def test_a_value_over_the_limits_fails_its_rows_as_in_an_audit(fishmeal: ecorule.Rulebook) -> None:
    long = "x" * (64 * 1024 + 1)  # one byte over the default limit on a text
    df = pd.DataFrame({"odour.plant": ["biofilter", long], "stack.height": [25.0, 25.0]})
    frame = fishmeal.score_frame(df, on_error="record")
    assert frame["error"].iloc[0] is None
    with pytest.raises(ecorule.AuditError) as whole:
        fishmeal.score({"facts": {"odour.plant": long, "stack.height": 25.0}})
    assert whole.value.kind == "audit_too_large"
    assert frame["error"].iloc[1] == whole.value.message


def test_shapes_and_types(fishmeal: ecorule.Rulebook) -> None:
    empty = fishmeal.score_frame(pd.DataFrame({"stack.height": pd.Series([], dtype=float)}))
    assert len(empty) == 0
    assert list(empty.columns[:12]) == [
        "id", "score", "score_min", "score_max", "grade", "grade_best", "verdict", "verdict_best", "determined", "vetoes",
        "warnings", "warnings_zh",
    ]
    assert list(empty.columns[12:]) == fishmeal.clause_ids
    one = fishmeal.score_frame(pd.DataFrame(index=[10, 20]))  # no facts at all: everything unknown
    assert list(one["id"]) == [10, 20]
    assert isinstance(one["grade"].dtype, pd.CategoricalDtype)
    assert set(one["FM01"]) == {"unknown"}
    assert list(one["grade"].cat.categories) == [g.id for g in fishmeal.grades]


ID_COLUMNS = {
    "int": pd.Series([101, 102, 103, 104]),
    "str": pd.Series(["A-1", "A-2", "A-3", "A-4"]),
    "object-str": pd.Series(["A-1", "A-2", "A-3", "A-4"], dtype=object),
    "string-with-na": pd.Series(["A-1", None, "A-3", "A-4"], dtype="string"),
    "Int64-with-na": pd.Series(pd.array([1, None, 3, 4], dtype="Int64")),
    "mixed": pd.Series([7, "A-2", None, 12], dtype=object),
    "categorical": pd.Series(pd.Categorical(["A-1", "A-2", "A-3", "A-4"])),
}


@pytest.mark.parametrize("kind", list(ID_COLUMNS))
def test_the_id_column_is_the_audit_ids_as_given(fishmeal: ecorule.Rulebook, kind: str) -> None:
    """`id` is the `audit.id` column with its values and its dtype, so the
    results merge back onto the frame on it, whatever the ids are."""
    ids = ID_COLUMNS[kind]
    df = pd.DataFrame({"audit.id": ids, "stack.height": [25.0, 12.0, None, 30.0]}).set_axis([7, 3, 5, 1])
    out = fishmeal.score_frame(df)
    assert out["id"].dtype == ids.dtype
    pd.testing.assert_series_equal(out["id"], df["audit.id"], check_names=False)
    merged = df.merge(out, left_on="audit.id", right_on="id", how="left", validate="one_to_one")
    assert merged["audit.id"].dtype == ids.dtype
    assert merged["score_max"].tolist() == out["score_max"].tolist()
    assert merged["FM21"].tolist() == out["FM21"].tolist()


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(4),
        pd.RangeIndex(10, 50, 10),
        pd.Index(["p", "q", "r", "s"]),
        pd.Index([3, "q", None, 5], dtype=object),
        pd.DatetimeIndex(["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"]),
    ],
    ids=["range", "range-step", "str", "mixed", "dates"],
)
def test_without_audit_ids_the_id_column_is_the_index(fishmeal: ecorule.Rulebook, index: pd.Index) -> None:
    df = pd.DataFrame({"stack.height": [25.0, 12.0, None, 30.0]}, index=index)
    out = fishmeal.score_frame(df)
    expected = np.int64 if isinstance(index, pd.RangeIndex) else index.dtype
    assert out["id"].dtype == expected and out["id"].tolist() == index.tolist()
    pd.testing.assert_index_equal(pd.Index(out["id"]), pd.Index(index.tolist(), dtype=expected), check_names=False, exact=True)
    merged = df.reset_index(names="key").merge(out, left_on="key", right_on="id", validate="one_to_one")
    assert merged["score_max"].tolist() == out["score_max"].tolist()
    # A MultiIndex's rows are its tuples.
    multi = df.set_axis(pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1), ("b", 2)]))
    assert fishmeal.score_frame(multi)["id"].tolist() == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]


def test_nullable_and_categorical_columns(fishmeal: ecorule.Rulebook) -> None:
    df = pd.DataFrame(
        {
            "eia.approved": pd.array([True, None, False], dtype="boolean"),
            "eia.accepted": [True, True, True],
            "drains.cross_connections": pd.array([0, None, 2], dtype="Int64"),
            "dryer.type": pd.Categorical(["low_temp", "open_air", None]),
            "audit.date": pd.to_datetime(["2024-05-20", None, "2024-05-21"]),
            "permit.valid_until": [pd.Timestamp("2025-01-01"), pd.NaT, pd.Timestamp("2024-01-01")],
        }
    )
    frame = fishmeal.score_frame(df)
    reports = [fishmeal.score(row_audit(r)) for r in df.astype(object).to_dict("records")]
    assert_same(frame, reports, fishmeal.clause_ids)
    assert list(frame["FM01"]) == ["pass", "unknown", "fail"]


def test_text_and_integer_columns(fishmeal: ecorule.Rulebook) -> None:
    """Equal texts that are distinct objects share a value; int64 stays exact."""
    n = 6
    texts = ["".join(["bio", "filter"]) for _ in range(n)]
    assert texts[0] is not texts[1]
    df = pd.DataFrame(
        {
            "audit.date": ["2024-05-20"] * n,
            "odour.plant": pd.Series(texts, dtype=object),
            "drains.cross_connections": np.array([0, 1, 2, 0, 2**60, 3], dtype=np.int64),
            "dryer.type": pd.Series(["low_temp", None, "open_air", "low_temp", np.nan, "low_temp"], dtype=object),
        }
    )
    frame = fishmeal.score_frame(df)
    reports = [fishmeal.score(row_audit(r)) for r in df.astype(object).to_dict("records")]
    assert_same(frame, reports, fishmeal.clause_ids)
    # pandas finds True == 1; the values are still checked as given
    mixed = pd.DataFrame({"drains.separated": pd.Series([True, 1, None, False], dtype=object)})
    recorded = fishmeal.score_frame(mixed, on_error="record")
    assert recorded["error"].iloc[0] is None and recorded["error"].iloc[2] is None
    assert "drains.separated" in recorded["error"].iloc[1]
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(mixed)
    assert info.value.fact == "drains.separated"


def test_texts_factorised_by_identity(fishmeal: ecorule.Rulebook) -> None:
    """A text column of few distinct objects is factorised natively: equal
    texts that are distinct objects share a code, None, NaN and pd.NA are
    missing; anything else is left to pandas (None back)."""
    from ecorule import _native

    a, b = "".join(["bio", "filter"]), "".join(["bio", "filter"])
    assert a is not b
    values = np.array([a, "spray", None, b, np.nan, pd.NA, "spray"], dtype=object)
    packed = _native.factorize_texts(values, 1024, pd.NA)
    assert packed is not None
    codes, distinct = packed
    assert distinct == ["biofilter", "spray"]
    assert list(codes) == [0, 1, 255, 0, 255, 255, 1]
    empty = _native.factorize_texts(np.array([], dtype=object), 1024, pd.NA)
    assert empty is not None and len(empty[0]) == 0 and empty[1] == []
    assert _native.factorize_texts(values, 3, pd.NA) is None  # more distinct objects than the limit
    assert _native.factorize_texts(np.array(["a", 1], dtype=object), 1024, pd.NA) is None
    assert _native.factorize_texts(np.array(["a", "\ud800"], dtype=object), 1024, pd.NA) is None
    # 300 distinct texts take two bytes a code
    wide = np.array([str(i) for i in range(300)] + [None], dtype=object)
    packed = _native.factorize_texts(wide, 1024, pd.NA)
    assert packed is not None and packed[0].dtype == np.uint16 and packed[0][-1] == 0xFFFF

    # the same results as one by one, whichever way a column is held
    n = 8
    plants = ["biofilter", "spray", None, "combined"] * 2
    for column in (pd.Series(plants, dtype=object), pd.Series(plants, dtype="string"), pd.Series(plants, dtype="str")):
        df = pd.DataFrame({"audit.date": ["2024-05-20"] * n, "odour.plant": column})
        frame = fishmeal.score_frame(df)
        reports = [fishmeal.score(row_audit(r)) for r in df.astype(object).to_dict("records")]
        assert_same(frame, reports, fishmeal.clause_ids)
    bad = pd.DataFrame({"odour.plant": pd.Series(["spray", "\ud800"], dtype=object)})
    with pytest.raises(ecorule.AuditError, match="surrogate"):
        fishmeal.score_frame(bad)


def test_text_columns_the_rulebook_never_reads(fishmeal: ecorule.Rulebook) -> None:
    """An unread text column (the ids) is checked but not handed to the core."""
    df = generate(60, seed=3)
    frame = fishmeal.score_frame(df)
    for ids in (df["audit.id"].astype(object), pd.Series(range(60)), pd.Series([None] * 60, dtype=object)):
        other = df.assign(**{"audit.id": ids})
        again = fishmeal.score_frame(other)
        assert again.drop(columns="id").equals(frame.drop(columns="id"))
        assert list(again["id"]) == list(ids)
    bad = df.assign(**{"audit.id": pd.Series(["ok"] * 59 + ["\ud800"], dtype=object)})
    with pytest.raises(ecorule.AuditError, match="surrogate"):
        fishmeal.score_frame(bad)
    # a rulebook that reads a text built-in gets its values
    reads = ecorule.Rulebook.from_source(
        """
rulebook named "点名" en "Named" {
  facts { x: bool "甲" en "x" }
  scoring {
    scale 1
    grade ok "合格" otherwise
    verdict standardize "规范" otherwise
  }
  area A "甲" en "A" {
    clause C "一" en "One" points 1 { require enterprise.name == "甲" and x }
  }
}"""
    )
    named = reads.score_frame(pd.DataFrame({"enterprise.name": ["甲", "乙"], "x": [True, True]}))
    assert list(named["C"]) == ["pass", "fail"]


def test_malformed_native_columns_are_errors(fishmeal: ecorule.Rulebook) -> None:
    """What the Python layer hands over is checked, not trusted."""
    slot = fishmeal._native.fact_slot("stack.height")
    bad = [
        (slot, "stack.height", "float64", np.zeros(3), None, None),  # three rows for two
        (slot, "stack.height", "float64", np.zeros(2, dtype=np.float32), None, None),
        (slot, "stack.height", "int64", np.zeros(2), None, None),
        (slot, "stack.height", "codes", np.array([0, 5], dtype=np.uint8), [1.0], None),  # a code past the values
        (slot, "stack.height", "codes", np.array([0, 1, 2], dtype=np.uint8), [1.0, 2.0], None),
        (slot, "stack.height", "codes", np.array([0, 0], dtype=np.int64), [1.0], None),
        (slot, "stack.height", "codes", np.zeros((2, 1), dtype=np.uint8), [1.0], None),
        (slot, "stack.height", "float64", [1.0, 2.0], None, None),
        (slot, "stack.height", "float64", b"\0" * 16, None, None),
        (slot, "stack.height", "decimal", np.zeros(2), None, None),
    ]
    for column in bad:
        with pytest.raises((ValueError, TypeError)):
            fishmeal._native.score_columns(2, [column], False)


def test_native_columns_are_read_in_place_strided_or_not(fishmeal: ecorule.Rulebook) -> None:
    """A column may be a strided view (a row of a 2-D array): read as it lies."""
    slot = fishmeal._native.fact_slot("stack.height")
    grid = np.array([[16.0, 1.0], [12.0, 2.0], [np.nan, 3.0]])
    strided = fishmeal._native.score_columns(3, [(slot, "stack.height", "float64", grid[:, 0], None, None)], False)
    plain = fishmeal._native.score_columns(3, [(slot, "stack.height", "float64", grid[:, 0].copy(), None, None)], False)
    assert not grid[:, 0].flags["C_CONTIGUOUS"]
    assert strided["statuses"] == plain["statuses"] and strided["score_max"] == plain["score_max"]


def test_batch_scoring_releases_the_gil(fishmeal: ecorule.Rulebook) -> None:
    """Another Python thread runs while the core scores a batch."""
    import threading

    from ecorule._frame import _pack

    df = generate(3000, seed=5)
    columns = []
    for label in df.columns:
        slot = fishmeal._native.fact_slot(str(label))
        assert slot is not None
        kind, data, distinct = _pack(df[label], np, pd)
        columns.append((slot, str(label), kind, data, distinct, None))
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    thread = threading.Thread(target=count)
    thread.start()
    try:
        before = ticks
        fishmeal._native.score_columns(len(df), columns, False)
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert during > 1000

"""Python values become exact audit values: 0.1 stays 0.1."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import ecorule

SOURCE = """rulebook exact "精确" en "Exact" {
  facts {
    a: number "a"
    b: number "b"
    h: quantity m "h"
    d: date "d"
    tags: list text "tags"
    ok: bool "ok"
  }
  scoring {
    scale 5
    grade all "全部" when score >= 5
    grade some "部分" otherwise
    verdict fine "好" otherwise
  }
  area A "a" {
    clause SUM "和" points 1 { require a + b == 0.3 }
    clause H "高" points 1 { require h == 0.1 m }
    clause D "日" points 1 { require d == 2024-05-20 }
    clause T "标" points 1 { require "x" in tags }
    clause OK "可" points 1 { require ok }
  }
}
"""


@pytest.fixture(scope="module")
def rulebook() -> ecorule.Rulebook:
    return ecorule.Rulebook.from_source(SOURCE, name="exact.eco")


EXACT = {"SUM": "pass", "H": "pass", "D": "pass", "T": "pass", "OK": "pass"}


@pytest.mark.parametrize(
    "facts",
    [
        dict(a=0.1, b=0.2, h=0.1, d="2024-05-20", tags=["x"], ok=True),
        dict(a=Decimal("0.1"), b=Decimal("0.20"), h="10 cm", d=datetime.date(2024, 5, 20), tags=("y", "x"), ok=True),
        dict(a="0.1", b=0.2, h={"value": 100, "unit": "mm"}, d=datetime.datetime(2024, 5, 20, 17, 30), tags=["x"], ok=True),
        dict(
            a=np.float64(0.1), b=np.float64(0.2),
            h=np.float64(0.1), d=pd.Timestamp("2024-05-20"), tags=np.array(["x", "z"]), ok=np.bool_(True),
        ),
        dict(a=np.int64(0), b=Decimal("0.3"), h=Decimal("0.1"), d=np.datetime64("2024-05-20"), tags=pd.Series(["x"]), ok=True),
        dict(a=1, b=-0.7, h="0.1m", d="2024-05-20", tags=["x"], ok=True),
    ],
    ids=["floats", "decimals", "text-and-objects", "numpy", "numpy-int-and-decimal", "ints"],
)
def test_exact_values(rulebook: ecorule.Rulebook, facts: Dict[str, Any]) -> None:
    report = rulebook.score({"audit": {"date": "2024-06-01"}, "facts": facts})
    assert report.statuses == EXACT, report.to_json()
    assert report.score == 5


def test_floats_are_their_shortest_decimal(rulebook: ecorule.Rulebook) -> None:
    # 0.1 + 0.2 != 0.3 in binary floating point, but the core sees 0.1 and 0.2.
    assert 0.1 + 0.2 != 0.3
    report = rulebook.score({"audit": {}, "facts": {"a": 0.1, "b": 0.2}})
    assert report.clause("SUM").status == "pass"
    report = rulebook.score({"audit": {}, "facts": {"a": 0.1 + 0.2, "b": 0}})
    assert report.clause("SUM").status == "fail"  # 0.30000000000000004 is not 0.3
    big = rulebook.score({"audit": {}, "facts": {"a": 10**20, "b": -(10**20) + Decimal("0.3")}})
    assert big.clause("SUM").status == "pass"


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA, pd.NaT, np.nan, Decimal("NaN")])
def test_missing_values_are_unknown(rulebook: ecorule.Rulebook, missing: Any) -> None:
    report = rulebook.score({"audit": {}, "facts": {"a": missing, "b": 0.2, "d": missing}})
    assert report.clause("SUM").status == "unknown"
    assert report.clause("D").status == "unknown"
    assert report.score is None and report.score_min < report.score_max


def test_nested_facts_and_mappings(rulebook: ecorule.Rulebook) -> None:
    from collections import OrderedDict
    from types import MappingProxyType

    facts = MappingProxyType({"a": 0.1, "b": 0.2})
    report = rulebook.score(OrderedDict(audit={"id": 17, "date": "2024-01-01"}, facts=facts))
    assert report.clause("SUM").status == "pass"
    assert report.audit["id"] == "17"


def test_audit_identity(rulebook: ecorule.Rulebook) -> None:
    report = rulebook.score(
        {
            "audit": {
                "id": "2024-X-1",
                "date": datetime.date(2024, 5, 20),
                "enterprise": {"id": 91330903, "name": "舟山某公司", "district": "普陀"},
            },
            "facts": {},
        }
    )
    assert report.audit == {
        "id": "2024-X-1",
        "date": "2024-05-20",
        "enterprise_id": "91330903",
        "enterprise_name": "舟山某公司",
        "enterprise": {"district": "普陀"},
    }


DURATIONS = """rulebook durations "时长" en "Durations" {
  facts {
    hold: duration "暂存"
    wait: quantity h "等待"
    n: number "n"
  }
  scoring {
    scale 2
    grade ok "合格" when score >= 2
    grade no "不合格" otherwise
    verdict done "完" otherwise
  }
  area A "a" {
    clause HOLD "暂存" points 1 { require hold == 1.5 d }
    clause WAIT "等待" points 1 { require wait == 90 min + 1 s / 1000000 }
  }
}
"""


@pytest.fixture(scope="module")
def durations() -> ecorule.Rulebook:
    return ecorule.Rulebook.from_source(DURATIONS, name="durations.eco")


@pytest.mark.parametrize(
    "hold,wait",
    [
        (datetime.timedelta(days=1, hours=12), datetime.timedelta(minutes=90, microseconds=1)),
        (pd.Timedelta("36h"), pd.Timedelta("90min") + pd.Timedelta(1, "us")),
        (np.timedelta64(36, "h"), np.timedelta64(5_400_000_001, "us")),
        (np.timedelta64(129_600_000_000_000, "ns"), np.timedelta64(5_400_000_001_000, "ns")),
    ],
    ids=["datetime", "pandas", "numpy", "numpy-ns"],
)
def test_timedeltas_are_exact_durations(durations: ecorule.Rulebook, hold: Any, wait: Any) -> None:
    report = durations.score({"facts": {"hold": hold, "wait": wait}})
    assert report.statuses == {"HOLD": "pass", "WAIT": "pass"}
    step = np.timedelta64(1, "us") if isinstance(wait, np.timedelta64) else datetime.timedelta(microseconds=1)
    off = durations.score({"facts": {"hold": hold, "wait": wait + step}})
    assert off.statuses["WAIT"] == "fail"  # one microsecond counts
    frame = durations.score_frame(pd.DataFrame({"hold": [hold, None], "wait": [wait, pd.NaT]}))
    assert list(frame["HOLD"]) == ["pass", "unknown"] and list(frame["WAIT"]) == ["pass", "unknown"]


def test_timedeltas_sub_microsecond_and_missing(durations: ecorule.Rulebook) -> None:
    one_ns = durations.score({"facts": {"wait": pd.Timedelta("90min") + pd.Timedelta(1, "ns")}})
    assert one_ns.statuses["WAIT"] == "fail"  # nanoseconds are kept, not rounded to the microsecond
    for missing in (np.timedelta64("NaT"), pd.NaT, np.timedelta64("NaT", "s")):
        assert durations.score({"facts": {"hold": missing}}).statuses["HOLD"] == "unknown"
    negative = durations.score({"facts": {"hold": -datetime.timedelta(days=1, microseconds=1)}})
    assert negative.statuses["HOLD"] == "fail"


@pytest.mark.parametrize(
    "value,match,match_zh",
    [
        (np.timedelta64(1, "M"), "months and years differ in length", "月与年长短不一"),
        (np.timedelta64(2, "Y"), "months and years differ in length", "月与年长短不一"),
        (np.timedelta64(5), "without a unit", "不带单位的 timedelta64"),
    ],
)
def test_timedeltas_of_no_fixed_length_are_errors(
    durations: ecorule.Rulebook, value: Any, match: str, match_zh: str
) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        durations.score({"facts": {"hold": value}})
    assert info.value.fact == "hold" and info.value.expected == "a duration of fixed length"
    assert info.value.help is not None and match in info.value.help
    assert info.value.message_zh is not None and info.value.message_zh.startswith("数据项 `hold` 应为固定长度的时长")
    assert info.value.help_zh is not None and match_zh in info.value.help_zh


def test_a_timedelta_for_another_fact_is_an_error_naming_it(durations: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        durations.score({"facts": {"n": datetime.timedelta(seconds=90)}})
    assert info.value.fact == "n" and info.value.given == "90 s (a time)"


def test_datetime64_of_any_unit_is_a_date(rulebook: ecorule.Rulebook) -> None:
    for day in (np.datetime64("2024-05-20T23:59:59.999999999"), np.datetime64("2024-05-20", "D"), np.datetime64("2024-05", "M")):
        report = rulebook.score({"facts": {"d": day}})
        assert report.clause("D").status == ("pass" if day.dtype != np.dtype("datetime64[M]") else "fail"), day
    assert rulebook.score({"facts": {"d": np.datetime64("NaT", "ns")}}).clause("D").status == "unknown"


def test_list_cells_in_a_frame(rulebook: ecorule.Rulebook) -> None:
    df = pd.DataFrame({"tags": [["x"], ["y"], ("x", "z"), np.array(["x"]), None]})
    frame = rulebook.score_frame(df)
    assert list(frame["T"]) == ["pass", "fail", "pass", "pass", "unknown"]


# `np.longdouble(x).tolist()` is an `np.longdouble` again: converting it
# once recursed until the native stack overflowed (a segfault).
LONG = np.longdouble


@pytest.mark.parametrize(
    "a,b",
    [
        (LONG(0.1), LONG(0.2)),  # exactly floats' values: the floats' shortest decimals
        (LONG("0.1"), LONG("0.2")),  # wider than a float (on most platforms): their own shortest decimals
        (np.array(LONG(0.1)), [LONG(0.2)][0]),  # a 0-d array
    ],
    ids=["from-floats", "from-text", "0-d-array"],
)
def test_longdouble_is_read_as_a_float_is(rulebook: ecorule.Rulebook, a: Any, b: Any) -> None:
    assert rulebook.score({"facts": {"a": a, "b": b}}).clause("SUM").status == "pass"
    (report,) = rulebook.score_many([{"facts": {"a": a, "b": b}}], on_error="record")
    assert isinstance(report, ecorule.Report) and report.clause("SUM").status == "pass"
    frame = rulebook.score_frame(pd.DataFrame({"a": pd.Series([a, LONG(0)], dtype=object), "b": [b, LONG(1)]}))
    assert list(frame["SUM"]) == ["pass", "fail"]


def test_longdouble_quantity_nan_and_infinity(rulebook: ecorule.Rulebook) -> None:
    assert rulebook.score({"facts": {"h": LONG(0.1)}}).clause("H").status == "pass"
    assert rulebook.score({"facts": {"h": [LONG(0.1)][0], "a": LONG("nan")}}).clause("SUM").status == "unknown"
    with pytest.raises(ecorule.AuditError) as info:
        rulebook.score({"facts": {"a": LONG("inf")}})
    assert info.value.fact == "a"
    with pytest.raises(ecorule.AuditError) as info:
        rulebook.score({"facts": {"tags": np.array([LONG(1)])}})  # a number in a list of texts
    assert info.value.fact == "tags"


NARROW = """rulebook narrow "窄" en "Narrow" {
  facts {
    rate: number min 0 max 1 "回用率" en "reuse rate"
    rates: list number min 0.9 "读数" en "readings"
  }
  scoring { scale 2 grade a "甲" otherwise verdict fine "好" otherwise }
  area A "a" {
    clause R "率" points 1 { require rate >= 0.9 }
    clause L "数" points 1 { require count(rates) >= 2 }
  }
}
"""


@pytest.fixture(scope="module")
def narrow() -> ecorule.Rulebook:
    return ecorule.Rulebook.from_source(NARROW, name="narrow.eco")


# A float32 0.9 widens to the float 0.8999999761581421: read so, it failed
# `>= 0.9`. A float32 or float16 is its own shortest decimal, as NumPy shows it.
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_narrow_floats_are_their_own_shortest_decimal(narrow: ecorule.Rulebook, dtype: Any) -> None:
    x = dtype(0.9)
    assert float(x) < 0.9 and str(x) == "0.9"
    given = {"rate": x, "rates": np.array([0.9, 1], dtype=dtype)}
    assert narrow.score({"facts": given}).statuses == {"R": "pass", "L": "pass"}
    as_arrays = {"rate": np.array(x), "rates": np.array([[0.9], [1]], dtype=dtype)[:, 0]}
    assert narrow.score({"facts": as_arrays}).statuses == {"R": "pass", "L": "pass"}
    (report,) = narrow.score_many([{"facts": {"rate": x}}])
    assert report.clause("R").status == "pass"
    assert narrow.score({"facts": {"rate": dtype("nan")}}).clause("R").status == "unknown"


@pytest.mark.parametrize("dtype", ["float32", "Float32", "float16"])
def test_narrow_float_columns_are_their_own_shortest_decimal(narrow: ecorule.Rulebook, dtype: str) -> None:
    frame = narrow.score_frame(pd.DataFrame({"rate": pd.Series([0.9, 0.89, 1.0, None], dtype=dtype)}))
    assert list(frame["R"]) == ["pass", "fail", "pass", "unknown"]
    # As the same values one at a time.
    cell = pd.Series([0.9], dtype=dtype).to_numpy()[0]
    assert narrow.score({"facts": {"rate": cell}}).clause("R").status == "pass"


def test_a_float32_out_of_range_is_an_error_naming_the_fact(narrow: ecorule.Rulebook) -> None:
    for value in (np.float32("inf"), np.float16("-inf")):
        with pytest.raises(ecorule.AuditError, match="not a finite number") as info:
            narrow.score({"facts": {"rate": value}})
        assert info.value.fact == "rate"
    frame = narrow.score_frame(pd.DataFrame({"rate": np.array([np.inf, 0.5], dtype=np.float32)}), on_error="record")
    assert "not a finite number" in frame["error"][0] and frame["error"][1] is None


@pytest.mark.parametrize("value", [np.clongdouble(1 + 2j), np.array(np.clongdouble(1)), [np.clongdouble(1)]])
def test_clongdouble_is_an_error_naming_the_fact(rulebook: ecorule.Rulebook, value: Any) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        rulebook.score({"facts": {"a": value}})
    assert info.value.fact == "a" and "clongdouble" in str(info.value)
    (recorded,) = rulebook.score_many([{"facts": {"a": value}}], on_error="record")
    assert isinstance(recorded, ecorule.AuditError) and recorded.fact == "a"
    frame = rulebook.score_frame(pd.DataFrame({"a": pd.Series([value, 1], dtype=object)}), on_error="record")
    assert "clongdouble" in frame["error"][0] and frame["error"][1] is None


def test_a_chain_of_numpy_values_ends_at_the_depth_limit(rulebook: ecorule.Rulebook) -> None:
    # Each 0-d object array's `tolist()` is the next: a chain as long as
    # this once overflowed the native stack too.
    chain: Any = 0.1
    for _ in range(100_000):
        outer = np.empty((), dtype=object)
        outer[()] = chain
        chain = outer
    try:
        with pytest.raises(ecorule.AuditError) as info:
            rulebook.score({"facts": {"a": chain}})
        assert info.value.kind == "audit_too_large" and info.value.fact == "a"
    finally:
        # Freed from the outside in: NumPy frees a nested chain recursively.
        while isinstance(chain, np.ndarray):
            inner = chain[()]
            chain[()] = None
            chain = inner
    shallow = np.empty((), dtype=object)
    shallow[()] = np.array(0.1)
    assert rulebook.score({"facts": {"a": shallow, "b": 0.2}}).clause("SUM").status == "pass"

"""The Python layer's own arguments: `libs=`, `modules=`, a missing audit
file, and what `score_frame` gives beside the scores (warnings, the
Chinese error of a row, the limit on one audit's values, hints for
headers that are almost right)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ecorule
from conftest import RULES

FISHMEAL = RULES / "fishmeal" / "fishmeal.eco"


def local_standard(tmp_path: Path) -> Path:
    """A folder holding a revision of GB 14554 (its 15 m ammonia row changed)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    text = (RULES / "standards" / "gb14554.eco").read_text(encoding="utf-8")
    assert "15 m => 4.9 kg/h" in text
    (lib / "gb14554.eco").write_text(text.replace("15 m => 4.9 kg/h", "15 m => 5.9 kg/h"), encoding="utf-8")
    return lib


def rulebook_apart(tmp_path: Path) -> Path:
    """The fishmeal rulebook copied to a folder of its own (no standards beside it)."""
    folder = tmp_path / "fm"
    folder.mkdir()
    return Path(shutil.copy(FISHMEAL, folder))


# -- libs= ----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:module `gb14554` comes from")
@pytest.mark.parametrize("given", [str, Path, lambda p: [str(p)], lambda p: (Path(p),)], ids=["str", "path", "list", "tuple"])
def test_libs_is_one_folder_or_a_list_of_them(tmp_path: Path, given: Any) -> None:
    lib, rulebook = local_standard(tmp_path), rulebook_apart(tmp_path)
    bundled = ecorule.Rulebook.from_file(rulebook).module_hashes["gb14554"]
    local = ecorule.Rulebook.from_file(rulebook, libs=given(lib)).module_hashes["gb14554"]
    assert local != bundled


@pytest.mark.parametrize("folder", ["libb", "lib/gb14554.eco"], ids=["missing", "a-file"])
def test_a_libs_folder_that_cannot_be_read_is_an_error_not_skipped(tmp_path: Path, folder: str) -> None:
    local_standard(tmp_path)
    rulebook = rulebook_apart(tmp_path)
    wrong = tmp_path / folder
    for libs in (str(wrong), [wrong]):
        with pytest.raises(OSError) as info:
            ecorule.Rulebook.from_file(rulebook, libs=libs)
        assert isinstance(info.value, (FileNotFoundError, NotADirectoryError))
        assert info.value.filename == str(wrong)
        # The folder named once, by Python after the message.
        assert str(info.value).count(str(wrong)) == 1 and "libs" in str(info.value)


@pytest.mark.parametrize("libs", [b"/tmp", 3, [b"/tmp"], [None]], ids=["bytes", "int", "list-of-bytes", "list-of-none"])
def test_libs_of_another_type_is_a_type_error(libs: Any) -> None:
    with pytest.raises(TypeError, match="libs"):
        ecorule.Rulebook.from_file(FISHMEAL, libs=libs)


# -- modules= -------------------------------------------------------------


MODULE = (RULES / "standards" / "gb14554.eco").read_text(encoding="utf-8")
SOURCE = FISHMEAL.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "modules,match",
    [
        (MODULE, r"not one str: give \[text\]"),
        (MODULE.encode(), "not one bytes"),
        (Path("m.eco"), "not one PosixPath|not one WindowsPath"),
        ([Path("m.eco")], r"modules\[0\] must be a module's source text \(a str\), not PosixPath \(read it"),
        ({"m.eco": MODULE.encode()}, r"modules\['m.eco'\] must be .* not bytes \(decode it"),
        (3, "not int"),
    ],
    ids=["str", "bytes", "path", "list-of-path", "dict-of-bytes", "int"],
)
def test_modules_of_the_wrong_shape_is_a_type_error_saying_what_to_give(modules: Any, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        ecorule.Rulebook.from_source(SOURCE, modules=modules)


def test_modules_as_a_list_a_tuple_or_a_mapping_still_compile() -> None:
    for modules in ([MODULE], (MODULE,), {"gb14554.eco": MODULE}, {}, ()):
        assert ecorule.Rulebook.from_source(SOURCE, modules=modules).id == "fishmeal"


# -- a str audit that is neither JSON nor a file ----------------------------


def test_a_missing_audit_file_is_named_once(fishmeal: ecorule.Rulebook, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError) as info:
        fishmeal.score(missing)
    assert info.value.filename == missing
    assert str(info.value).count(missing) == 1
    assert "neither JSON text" in str(info.value)
    relative = "rules/fishmeal/audits/nope.json"
    with pytest.raises(FileNotFoundError) as info:
        fishmeal.score(relative)
    # Where it was looked for, and the path as given, once.
    assert str(info.value).endswith(f"(there is none in {os.getcwd()}): '{relative}'")
    assert str(info.value).count(relative) == 1


# -- score_frame ----------------------------------------------------------


AIR = {
    "site.air_zone": "2",
    "site.source_age": "new",
    "boundary.odour": 16,
    "boundary.h2s": "0.021 mg/m³",
    "boundary.tma": "0.035 mg/m³",
}


def test_score_frame_gives_each_rows_report_warnings(fishmeal: ecorule.Rulebook) -> None:
    facts = {**AIR, "boundary.ammonia": "0.62 mg/L"}
    report = fishmeal.score({"audit": {"date": "2024-09-12"}, "facts": facts})
    assert report.warnings and "mg/L" in report.warnings[0]
    fine = {**AIR, "boundary.ammonia": "0.62 mg/m³"}
    frame = fishmeal.score_frame(pd.DataFrame([{"audit.date": "2024-09-12", **facts}, {"audit.date": "2024-09-12", **fine}]))
    assert frame.loc[0, "warnings"] == tuple(report.warnings)
    assert frame.loc[0, "warnings_zh"] == tuple(report.warnings_zh or ()) and "mg/L" in frame.loc[0, "warnings_zh"][0]
    assert frame.loc[0, "warnings_zh"] != frame.loc[0, "warnings"]
    assert frame.loc[1, "warnings_zh"] == ()
    assert frame.loc[1, "warnings"] == tuple(fishmeal.score({"audit": {"date": "2024-09-12"}, "facts": fine}).warnings) == ()
    # A unit in the header is the unit of every row's numbers: each is warned of.
    header = pd.DataFrame([{"audit.date": "2024-09-12", **AIR, "boundary.ammonia [mg/L]": 0.62}] * 2)
    assert list(fishmeal.score_frame(header)["warnings"]) == [tuple(report.warnings)] * 2
    # The warnings of scoring: a date before the rulebook is in force, nothing applicable.
    assert fishmeal.effective is not None
    early = {"audit": {"date": "2000-01-01"}, "facts": fine}
    early_frame = fishmeal.score_frame(pd.DataFrame([{"audit.date": "2000-01-01", **fine}]))
    assert early_frame["warnings"].iloc[0] == tuple(fishmeal.score(early).warnings)
    assert early_frame["warnings_zh"].iloc[0] == tuple(fishmeal.score(early).warnings_zh or ())
    assert any("effective date" in w for w in fishmeal.score(early).warnings)


def test_score_frame_warns_of_nothing_applicable_as_score_does() -> None:
    source = '''rulebook na "无" en "none" {
      facts { x: bool "甲" en "x" }
      scoring {
        scale 1
        grade pass "合格" en "pass" when score >= 1
        grade fail "不合格" en "fail" otherwise
        verdict standardize otherwise
      }
      area A "区" en "area" {
        clause C1 "条" en "clause" points 1 {
          when x
          require x
        }
      }
    }'''
    rulebook = ecorule.Rulebook.from_source(source)
    for x in (False, True):
        report = rulebook.score({"facts": {"x": x}})
        assert rulebook.score_frame(pd.DataFrame({"x": [x]}))["warnings"].iloc[0] == tuple(report.warnings)
    assert rulebook.score({"facts": {"x": False}}).warnings


LIMITED = '''rulebook lim "限值" en "limits" {
  facts {
    a: list number "甲" en "a"
    b: list number "乙" en "b"
  }
  scoring {
    scale 1
    grade pass "合格" en "pass" when score >= 1
    grade fail "不合格" en "fail" otherwise
    verdict rectify when vetoed
    verdict standardize otherwise
  }
  area A "区" en "area" {
    clause C1 "条" en "clause" points 1 { require count(a) + count(b) > 0 }
  }
}'''


def test_score_frame_holds_each_row_to_the_limit_on_values_in_one_audit() -> None:
    rulebook = ecorule.Rulebook.from_source(LIMITED)
    big, small = [1] * 600_000, [2] * 600_000
    with pytest.raises(ecorule.AuditError) as alone:
        rulebook.score({"facts": {"a": big, "b": small}})
    df = pd.DataFrame({"a": [[1], big], "b": [[2], small]}, index=["ok", "big"])
    with pytest.raises(ecorule.AuditError) as row:
        rulebook.score_frame(df)
    assert (row.value.kind, row.value.index, row.value.position) == ("audit_too_large", "big", 1)
    assert (row.value.message, row.value.help) == (alone.value.message, alone.value.help)
    assert row.value.message_zh == alone.value.message_zh
    frame = rulebook.score_frame(df, on_error="record")
    assert frame.loc["ok", "C1"] == "pass" and frame.loc["ok", "error"] is None
    assert frame.loc["big", "error"].startswith(alone.value.message)
    assert frame.loc["big", "warnings"] is None and frame.loc["big", "warnings_zh"] is None
    # Up to the limit, both score: the audit itself, `facts`, two lists and their items.
    fits = [1] * (1_000_000 - 4 - 600_000)
    assert rulebook.score({"facts": {"a": fits, "b": small}}).score == 1
    assert rulebook.score_frame(pd.DataFrame({"a": [fits], "b": [small]}))["score"].iloc[0] == 1
    over = fits + [1]
    with pytest.raises(ecorule.AuditError, match="limit of 1000000 values"):
        rulebook.score({"facts": {"a": over, "b": small}})
    with pytest.raises(ecorule.AuditError, match="limit of 1000000 values"):
        rulebook.score_frame(pd.DataFrame({"a": [over], "b": [small]}))
    # An `audit.id` column (read by no rule) counts too, as in the audit.
    with pytest.raises(ecorule.AuditError, match="limit of 1000000 values"):
        rulebook.score({"audit": {"id": "A-1"}, "facts": {"a": fits, "b": small}})
    with pytest.raises(ecorule.AuditError, match="limit of 1000000 values"):
        rulebook.score_frame(pd.DataFrame({"audit.id": ["A-1"], "a": [fits], "b": [small]}))


@pytest.mark.parametrize("column,cell", [("odour.plant", "magic"), ("stack.height", "25 furlong")], ids=["no-help", "help"])
def test_record_mode_gives_each_rows_error_in_chinese_too(fishmeal: ecorule.Rulebook, column: str, cell: str) -> None:
    df = pd.DataFrame({column: [None, cell]})
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(df.iloc[1:])
    error = info.value
    assert error.message_zh is not None
    frame = fishmeal.score_frame(df, on_error="record")
    assert frame["error_zh"].iloc[0] is None
    assert frame["error_zh"].iloc[1] == error.message_zh + (f"\n  提示：{error.help_zh}" if error.help_zh else "")
    assert frame["error"].iloc[1] == error.message + (f"\n  Help: {error.help}" if error.help else "")
    assert list(frame.columns[-2:]) == ["error", "error_zh"]


def test_error_zh_falls_back_to_english_where_there_is_no_chinese() -> None:
    rulebook = ecorule.Rulebook.from_source(LIMITED.replace("count(a) + count(b) > 0", "1 / (count(a) - 1) > 0"))
    frame = rulebook.score_frame(pd.DataFrame({"a": [[1, 2], [1]]}), on_error="record")
    error = frame["error"].iloc[1]
    assert error is not None and frame["error"].iloc[0] is None
    with pytest.raises(ecorule.AuditError) as info:
        rulebook.score({"facts": {"a": [1]}})
    if info.value.message_zh is None:
        assert frame["error_zh"].iloc[1] == error
    else:
        assert frame["error_zh"].iloc[1].startswith(info.value.message_zh)


def test_a_two_row_header_is_told_to_be_flattened(fishmeal: ecorule.Rulebook) -> None:
    columns = pd.MultiIndex.from_tuples([("stack.height", "m"), ("stack.clearance", "m")])
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame([[27, 3]], columns=columns))
    assert "(did you mean `stack.height [m]`?)" in info.value.message
    assert "(did you mean `stack.clearance [m]`?)" in info.value.message
    assert info.value.help is not None and 'f"{fact} [{unit}]"' in info.value.help
    assert info.value.help_zh is not None and 'f"{fact} [{unit}]"' in info.value.help_zh
    # Flattened as told, it scores.
    flat = pd.DataFrame([[27, 3]], columns=[f"{fact} [{unit}]" for fact, unit in columns])
    assert fishmeal.score_frame(flat)["FM21"].iloc[0] in ("pass", "partial", "fail", "unknown", "not_applicable")


def test_a_header_that_is_a_facts_label_names_the_fact(fishmeal: ecorule.Rulebook) -> None:
    height = fishmeal.fact("stack.height")
    for header, meant in ((height.label, "stack.height"), (height.label_en.upper(), "stack.height"), (f"{height.label} [m]", "stack.height [m]")):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(pd.DataFrame({header: [27]}))
        assert f"(did you mean `{meant}`?)" in info.value.message, header
        assert f"（是否应为 `{meant}`？）" in (info.value.message_zh or "")

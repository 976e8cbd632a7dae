"""Errors: Python exceptions carrying the core's kind, message, location,
snippet and rendered diagnostic; never a PanicException."""

from __future__ import annotations

import json
import math
import pickle
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import ecorule
from conftest import RULES

DEMO = """rulebook demo "示例" en "Demo" {
  facts {
    stack.height: quantity m "排气筒高度" en "stack height"
    odour.plant: enum { none "无", spray "喷淋" } "除臭工艺"
    permit.valid_until: date "许可证有效期至"
  }
  scoring {
    scale 10
    grade ok "合格" en "pass" when score >= 6
    grade fail "不合格" en "fail" otherwise
    verdict standardize "规范" otherwise
  }
  area A1 "废气" en "Air" {
    clause C1 "排气筒高度" en "Stack height" points 10 {
      require stack.height >= 15 m
    }
  }
}
"""


def audit(**facts: Any) -> Dict[str, Any]:
    return {"audit": {"id": "T", "date": "2024-05-20"}, "facts": facts}


def test_hierarchy() -> None:
    assert issubclass(ecorule.EcoruleError, Exception)
    assert issubclass(ecorule.RulebookError, ecorule.EcoruleError)
    assert issubclass(ecorule.AuditError, ecorule.EcoruleError)
    assert ecorule.AuditError.__module__ == "ecorule"
    # An audit that cannot be scored is a bad value, as `json.loads` and
    # pandas call theirs; a rulebook is the program, not data.
    assert issubclass(ecorule.AuditError, ValueError)
    assert not issubclass(ecorule.RulebookError, ValueError)


def test_an_audit_error_is_caught_as_a_value_error(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ValueError) as info:
        demo.score(audit(**{"stack.height": "12 kg"}))
    assert isinstance(info.value, ecorule.AuditError) and info.value.fact == "stack.height"
    again = pickle.loads(pickle.dumps(info.value))
    assert isinstance(again, ValueError) and str(again) == str(info.value)


def test_syntax_error_has_line_column_and_snippet() -> None:
    broken = DEMO.replace('grade fail "不合格"', 'grade fail 不合格"')
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source(broken, name="broken.eco")
    e = info.value
    assert e.kind == "syntax"
    assert (e.line, e.column) == (10, 16)
    assert e.snippet == '    grade fail 不合格" en "fail" otherwise'
    assert e.source == "broken.eco"
    text = str(e)
    assert "broken.eco:10:16" in text and e.message in text and e.snippet in text
    assert len(e.errors) == 1


def test_check_errors_are_all_reported_with_their_spans() -> None:
    broken = DEMO.replace(
        "require stack.height >= 15 m",
        "require stack.height >= 15 kg/h\n      require odour.plant != nothing and missing.fact",
    )
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source(broken, name="demo.eco")
    e = info.value
    data = broken.encode("utf-8")
    found = [(d.kind, d.line, d.column, data[d.start or 0 : d.end or 0].decode()) for d in e.errors]
    assert found == [
        ("unit", 15, 15, "stack.height >= 15 kg/h"),
        ("type", 16, 30, "nothing"),
        ("unknown_name", 16, 42, "missing.fact"),
    ]
    lines = broken.split("\n")
    for d in e.errors:
        assert d.snippet == lines[(d.line or 0) - 1]
        assert d.rendered and d.rendered in e.rendered
    assert e.errors[2].help and "declare it" in e.errors[2].help
    assert {d.severity for d in e.errors} == {"error"}
    # str() is the core's rendered diagnostics, one after the other.
    assert str(e) == e.rendered.rstrip("\n")
    assert "demo.eco:15:15" in str(e) and "demo.eco:16:42" in str(e)


def test_modules_are_told_from_rulebooks_as_the_core_does() -> None:
    from ecorule._rulebook import is_module

    assert is_module('\ufeff// GB 14554\n\nmodule gb14554 "恶臭" {')
    assert not is_module('rulebook fishmeal "鱼粉" {')
    assert not is_module("modules x"), "a word that starts with `module` is not one"


def test_module_source_is_not_a_rulebook() -> None:
    with pytest.raises(ecorule.RulebookError, match="is a module, not a rulebook"):
        ecorule.Rulebook.from_file(RULES / "standards" / "gb14554.eco")


def test_broken_module_beside_the_rulebook(tmp_path: Path) -> None:
    (tmp_path / "book.eco").write_text(DEMO.replace("facts {", "use mymod\n  facts {"), encoding="utf-8")
    (tmp_path / "mymod.eco").write_text('module mymod "m" {\n  const x = 1 kg/zz\n}\n', encoding="utf-8")
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_file(tmp_path / "book.eco")
    assert any(d.source and d.source.endswith("mymod.eco") and d.line == 2 for d in info.value.errors)


def test_a_module_file_beside_the_rulebook_that_is_not_utf8_is_warned_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "book.eco").write_text(DEMO, encoding="utf-8")
    bad = tmp_path / "gbk.eco"
    bad.write_bytes("module gbk \"标题\" {}\n".encode("gbk"))
    with pytest.warns(UserWarning) as record:
        ecorule.Rulebook.from_file(tmp_path / "book.eco")
    # As `ecorule score` says it on stderr: the core's words, then why it is skipped.
    assert [str(w.message) for w in record] == [
        f"{bad} is not UTF-8 text (invalid byte at line 1, column 13); not read as a module"
    ]


def test_unreadable_rulebooks(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ecorule.Rulebook.from_file(tmp_path / "nope.eco")
    bad = tmp_path / "bad.eco"
    bad.write_bytes(b"rulebook \xff")
    with pytest.raises(ecorule.RulebookError, match="not UTF-8") as info:
        ecorule.Rulebook.from_file(bad)
    # The core's words, as `ecorule check` says them: in Chinese too.
    assert (info.value.kind, info.value.path) == ("syntax", None)
    assert info.value.message == f"{bad} is not UTF-8 text (invalid byte at line 1, column 10)"
    assert info.value.message_zh == f"{bad} 不是 UTF-8 文本（第 1 行第 10 列有无效字节）"
    assert (info.value.help, info.value.help_zh) == ("save it as UTF-8", "请另存为 UTF-8")


@pytest.fixture(scope="module")
def demo() -> ecorule.Rulebook:
    return ecorule.Rulebook.from_source(DEMO, name="demo.eco")


def test_audit_error_names_the_fact(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(**{"stack.height": "12 kg"}))
    e = info.value
    assert (e.kind, e.fact, e.expected) == ("audit", "stack.height", "a quantity in m")
    assert e.given is not None and e.given.startswith("12 kg")
    assert str(e).startswith("Error: fact `stack.height` expects")



def test_audit_errors_about_facts_are_said_in_chinese_too(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(**{"odour.plant": "spary", "stack.height": "12 kg"}))
    e = info.value
    assert e.message_zh == "数据项 `odour.plant` 应为以下之一：none（无）、spray（喷淋），但审核给出 \"spary\""
    assert (e.help, e.help_zh) == ("did you mean `spray`?", "是否应为 `spray`？")
    second = e.errors[1]
    assert (second.message_zh, second.help_zh) == ("数据项 `stack.height` 应为以 m 计的量，但审核给出 12 kg（质量）", None)
    assert (e.expected_zh, second.expected_zh) == ("以下之一：none（无）、spray（喷淋）", "以 m 计的量")
    # Kept through pickling, as the rest of the error is.
    again = pickle.loads(pickle.dumps(e))
    assert (again.message_zh, again.help_zh, again.expected_zh) == (e.message_zh, e.help_zh, e.expected_zh)
    # So is an audit that is not JSON, the parser's own words as it writes them.
    with pytest.raises(ecorule.AuditError) as malformed:
        demo.score("{not json")
    assert malformed.value.message_zh == "审核不是有效的 JSON：key must be a string（第 1 行第 2 列）"
    assert malformed.value.help_zh is None


def test_audit_errors_of_the_python_layer_are_said_in_chinese_too(
    demo: ecorule.Rulebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audits refused before they are scored (by the Python layer, or a
    file that is not UTF-8 by the core) say it in Chinese too, as the core's
    audit errors do; `str()` stays English."""
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"facts": \xff}')
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(bad)
    assert info.value.message_zh == f"{bad} 不是 UTF-8 文本（第 1 行第 11 列有无效字节）"
    assert (info.value.help, info.value.help_zh) == ("save it as UTF-8", "请另存为 UTF-8")
    # 鱼粉 in GBK: named as likely GBK.
    bad.write_bytes('{"audit": {"id": "鱼粉"}}'.encode("gbk"))
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(bad)
    assert info.value.help_zh == "可能是 GBK 编码（中文 Windows 的 Excel、记事本常这样保存）：请另存为 UTF-8"
    assert str(info.value).endswith("Help: it may be GBK, as Excel and Notepad on Chinese Windows save: save it as UTF-8")
    with pytest.raises(ecorule.AuditError) as info:
        demo.score('{"facts": {"x": "\udcff"}}')
    assert info.value.message_zh == "审核的 JSON 文本不是有效的 Unicode（字符 17 处有孤立代理项）"
    # In score_many, an audit that names no file, or a file that cannot be read.
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), "missing.json"])
    missing = Path.cwd() / "missing.json"
    assert info.value.message_zh == f"审核 `missing.json` 既不是 JSON 文本（应以 `{{` 开头），也不是文件路径（不存在 {missing}）"
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([Path("missing.json")])
    assert info.value.message_zh is not None and info.value.message_zh.startswith("无法读取审核：")
    assert info.value.message_zh.endswith("（missing.json）")
    # A pandas row or frame given as an audit, with the help in Chinese.
    row = pd.DataFrame({"stack.height": [25.0]})
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(row.iloc[0])  # type: ignore[arg-type]
    assert info.value.message_zh == "审核应为含 `audit` 与 `facts` 的对象，而非 pandas Series（它像是 DataFrame 的一行）"
    assert info.value.help_zh == '用 `score_frame(df)` 为 DataFrame 的各行评分，或把一行写作 `score({"facts": row.to_dict()})`'
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(row)  # type: ignore[arg-type]
    assert info.value.message_zh == "审核应为含 `audit` 与 `facts` 的对象，而非 pandas DataFrame"
    assert info.value.help_zh == "用 `score_frame(df)` 为其各行评分，每行一份审核"
    # Kept through pickling, as the rest of the error is.
    again = pickle.loads(pickle.dumps(info.value))
    assert (again.message_zh, again.help_zh) == (info.value.message_zh, info.value.help_zh)


@pytest.mark.parametrize(
    "facts,fact",
    [
        ({"odour.plant": "biofilter"}, "odour.plant"),
        ({"permit.valid_until": "2024-13-01"}, "permit.valid_until"),
        ({"stack.height": True}, "stack.height"),
        ({"stack.height": 10**100}, "stack.height"),
        ({"stack.height": math.inf}, "stack.height"),
        ({"stack.height": Decimal("Infinity")}, "stack.height"),
        ({"stack": {"height": [1, 2]}}, "stack.height"),
    ],
)
def test_bad_values(demo: ecorule.Rulebook, facts: Dict[str, Any], fact: str) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(**facts))
    assert info.value.fact == fact


def test_every_bad_value_is_reported(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(**{"stack.height": "x", "odour.plant": 3}))
    assert [d.fact for d in info.value.errors] == ["stack.height", "odour.plant"]


def test_bytes_that_are_not_utf8_say_where(demo: ecorule.Rulebook) -> None:
    """Bytes given as an audit are decoded by the core, as a file is: the
    error says where the first invalid byte is and names GBK when it may be."""
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(b"\xff{}")
    assert (info.value.message_zh, info.value.help_zh) == ("审核不是 UTF-8 文本（第 1 行第 1 列有无效字节）", "请另存为 UTF-8")
    assert str(info.value) == "Error: the audit is not UTF-8 text (invalid byte at line 1, column 1)\n  Help: save it as UTF-8"
    assert (info.value.kind, info.value.path, info.value.line) == ("audit", None, None)
    # 鱼粉 in GBK, on the second line.
    gbk = bytearray('{"facts":\n {"a": "鱼粉"}}'.encode("gbk"))
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(gbk)
    assert info.value.message == "the audit is not UTF-8 text (invalid byte at line 2, column 9)"
    assert info.value.help == "it may be GBK, as Excel and Notepad on Chinese Windows save: save it as UTF-8"
    assert info.value.help_zh == "可能是 GBK 编码（中文 Windows 的 Excel、记事本常这样保存）：请另存为 UTF-8"
    # The same in a batch, at its index; bytes that are JSON are read as its text is.
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), bytes(gbk)])
    assert (info.value.index, info.value.message) == (1, "the audit is not UTF-8 text (invalid byte at line 2, column 9)")
    text = json.dumps(audit())
    assert demo.score(text.encode()).to_json() == demo.score(text).to_json()
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(b'{"facts":\n {')
    assert (info.value.source, info.value.line) == ("<string>", 2)


@pytest.mark.parametrize(
    "value,match",
    [
        ([1, 2], "must be an object"),
        ("[1, 2]", "must be an object"),
        ("{not json", "not valid JSON"),
        ('{"facts": {"a": 1, "a": 2}}', "duplicate key"),
        ({"audit": {"date": "2024-01-01"}, "facts": {"x": object()}}, "expects an audit value"),
        ({"audit": {}, "facts": {1: 2}}, "expects an object with text keys"),
        (b"\xff", "not UTF-8"),
    ],
)
def test_malformed_audits(demo: ecorule.Rulebook, value: Any, match: str) -> None:
    with pytest.raises(ecorule.AuditError, match=match):
        demo.score(value)


def test_telling_a_pandas_value_apart_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ecorule\n"
        f"rulebook = ecorule.Rulebook.from_source({DEMO!r})\n"
        "for bad in ([1, 2], object()):\n"
        "    try:\n"
        "        rulebook.score(bad)\n"
        "    except ecorule.AuditError:\n"
        "        pass\n"
        "rulebook.score_many([{'facts': {}}])\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_strict_rejects_undeclared_facts(demo: ecorule.Rulebook) -> None:
    report = demo.score(audit(**{"stack.height": 20, "stack.colour": "grey"}))
    assert any("stack.colour" in w for w in report.warnings)
    with pytest.raises(ecorule.AuditError, match="stack.colour") as info:
        demo.score(audit(**{"stack.height": 20, "stack.colour": "grey"}), strict=True)
    assert (info.value.fact, info.value.given) == ("stack.colour", '"grey"')


def test_a_percentage_for_a_plain_number_is_refused(fishmeal: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score(audit(**{"effluent.ph": "7 %"}))
    assert info.value.fact == "effluent.ph" and "not a share" in (info.value.help or "")


def test_deep_and_cyclic_audits_are_errors_not_crashes(demo: ecorule.Rulebook) -> None:
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(deep=deep))
    assert info.value.kind == "audit_too_large"
    assert info.value.fact == "deep" and "nested at most 64 levels deep" in info.value.message
    # As JSON text nested far deeper than the JSON reader goes: the same
    # limit, at the bracket where reading stopped.
    text = '{"facts": {"deep": ' + "[" * 10_000 + "]" * 10_000 + "}}"
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(text)
    assert info.value.kind == "audit_too_large"
    assert "more than the limit of 64 deep" in info.value.message
    assert info.value.line == 1 and text[(info.value.column or 0) - 1] == "["
    cyclic: Dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(loop=cyclic))
    assert info.value.fact == "loop"
    assert "a `dict` that contains itself (again at `loop.self`)" in info.value.message
    assert "包含自身的 `dict`（在 `loop.self` 处再次出现）" in (info.value.message_zh or "")
    assert info.value.help_zh == "包含自身的 dict 或 list 没有 JSON 形式：请给出其副本"
    ring: list[Any] = [1]
    ring.append({"back": ring})
    with pytest.raises(ecorule.AuditError) as info:
        demo.score({"audit": {"enterprise": {"name": "甲", "tags": ring}}})
    assert info.value.fact == "enterprise.tags"
    assert "a `list` that contains itself (again at `enterprise.tags.back`)" in info.value.message
    # The same object twice, side by side, is no cycle.
    shared = {"value": 20, "unit": "m"}
    assert demo.score({"facts": {"stack.height": shared, "other": [shared, shared]}}).score == 10
    # The same depth as JSON text is the core's parser's business: an error too.
    with pytest.raises(ecorule.AuditError):
        demo.score('{"facts": ' + "[" * 10_000 + "]" * 10_000 + "}")


def test_missing_audit_file(demo: ecorule.Rulebook, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        demo.score(tmp_path / "missing.json")


def test_evaluation_errors_are_audit_errors() -> None:
    source = """rulebook t "t" {
  use gb16297
  facts { h: quantity m "h" }
  scoring {
    scale 1
    grade ok "ok" otherwise
    verdict ok "ok" otherwise
  }
  area A "a" { clause C "c" points 1 { require 1 kg/h <= gb16297.particulate_rate("2", h) } }
}"""
    rulebook = ecorule.Rulebook.from_source(source, name="t.eco")
    report = rulebook.score(audit(h=25))
    assert report.clauses[0].status == "pass"
    with pytest.raises(ecorule.AuditError) as info:
        rulebook.score(audit(h=100))  # outside the linear table's rows
    assert info.value.kind == "evaluation" and "particulate_rate" in str(info.value)


def test_a_core_panic_is_not_a_panic_exception() -> None:
    # fuzz/FINDINGS.md 1: rendering this syntax error panicked in the core.
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source("pa水池至不小于最大一次初期雨", name="x.eco")
    assert info.value.kind in ("syntax", "internal") and str(info.value)


def test_errors_pickle() -> None:
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source("rulebook {", name="x.eco")
    e = pickle.loads(pickle.dumps(info.value))
    assert isinstance(e, ecorule.RulebookError)
    assert (e.line, e.column, str(e)) == (info.value.line, info.value.column, str(info.value))


def test_batch_errors_carry_the_index(demo: ecorule.Rulebook) -> None:
    audits = [audit(**{"stack.height": 20}), audit(**{"stack.height": "tall"}), audit()]
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many(audits)
    assert info.value.index == 1 and info.value.fact == "stack.height"
    assert str(info.value).startswith("audit at index 1:")
    # The error says how to score the others instead; one audit alone has no others.
    note = 'note: score_many(..., on_error="record") scores every other audit and keeps this error in its place'
    assert str(info.value).endswith(f"{note} instead of raising")
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), b"\xff"])
    assert (info.value.index, str(info.value).splitlines()[-1]) == (1, f"{note} instead of raising")
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audits[1])
    assert "note:" not in str(info.value)


@pytest.mark.parametrize(
    "later",
    ["nope.json", "{bad", b"\xff", {"facts": {"stack.height": 1j}}, {"facts": {"stack.height": "tall"}}],
    ids=["missing-file", "bad-json", "bytes", "unconvertible", "unscorable"],
)
def test_score_many_raises_for_the_first_bad_audit_in_order(
    demo: ecorule.Rulebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, later: Any
) -> None:
    # An audit that cannot be read (in Python or in the native module) comes
    # after one that cannot be scored: the earlier one's error is raised.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), audit(**{"stack.height": "5 kg"}), later, audit()])
    assert (info.value.index, info.value.fact) == (1, "stack.height")
    assert "5 kg" in info.value.message and str(info.value).startswith("audit at index 1:")
    # Alone, the later one is the first.
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), later])
    assert info.value.index == 1


@pytest.mark.parametrize(
    "value,why",
    [
        (math.inf, "inf, which is not a finite number"),
        (-math.inf, "-inf, which is not a finite number"),
        (10**31, "10000000000000000000000000000000, which is too large or too long to hold exactly"),
        (1e31, "1e+31, which is too large or too long to hold exactly"),
        (1.5e-40, "1.5e-40, which is too small to hold exactly"),
        (Decimal("1e400"), "1E+400, which is too large or too long to hold exactly"),
        (2**100, "1267650600228229401496703205376, which is too large or too long to hold exactly"),
    ],
    ids=["inf", "-inf", "int-10**31", "float-1e31", "float-1.5e-40", "decimal-1e400", "int-31-digits"],
)
def test_a_number_not_held_says_why_in_the_message(fishmeal: ecorule.Rulebook, value: Any, why: str) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score({"facts": {"stack.odour": value}})
    assert info.value.fact == "stack.odour"
    assert info.value.message == f"fact `stack.odour` expects a number of at least 0, but the audit gives {why}"
    help = "at most 30 significant digits" if "to hold exactly" in why else "give a finite number"
    assert info.value.help is not None and help in info.value.help


def test_an_int_and_a_float_of_one_value_are_held_or_refused_alike(fishmeal: ecorule.Rulebook) -> None:
    """The core holds a number by its value, not by how it is written: an
    int's zeros after its last nonzero digit are not significant, so 10**30
    (31 digits, one significant) is held as the float 1e30 is, and 10**31
    is refused as 1e31 is, with the same message."""
    def facts(value: Any) -> Dict[str, Any]:
        return {"facts": {"stack.odour": value, "stack.height": 20}}

    held = [10**30, 1e30, Decimal(10**30), Decimal("1E+30"), "1000000000000000000000000000000", np.float64(1e30)]
    reports = [fishmeal.score(facts(v)).to_json() for v in held]
    reports.append(fishmeal.score(json.dumps(facts(10**30))).to_json())  # 31 digits of JSON
    assert len(set(reports)) == 1 and fishmeal.score(facts(10**30)).statuses["FM22"] == "fail"
    for big, written in [(123 * 10**28, "1.23e30"), (10**29 + 10**28, "1.1e29"), (5 * 10**25, "5e25")]:
        assert fishmeal.score(facts(big)).to_json() == fishmeal.score(facts(float(written))).to_json(), big
    frame = fishmeal.score_frame(pd.DataFrame({"stack.odour": pd.Series([10**30, 1e30], dtype=object)}))
    assert frame["FM22"].iloc[0] == frame["FM22"].iloc[1]

    def refusal(value: Any) -> str:
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score(facts(value))
        return info.value.message

    template = "fact `stack.odour` expects a number of at least 0, but the audit gives {}, which is too large or too long to hold exactly"
    for value, written in [(10**31, "10000000000000000000000000000000"), (1e31, "1e+31"), (Decimal("1E+31"), "1E+31")]:
        assert written == str(value)  # as Python writes it
        assert refusal(value) == template.format(written)
    with pytest.raises(ecorule.AuditError, match="gives 10000000000000000000000000000000, which is too large"):
        fishmeal.score(json.dumps(facts(10**31)))


def test_score_many_with_on_error_record_keeps_every_report_and_each_error_in_its_place(
    demo: ecorule.Rulebook, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"facts": {"stack.height": 12 m}}')
    audits: list[Any] = [
        audit(**{"stack.height": 20}),
        audit(**{"stack.height": "tall"}),
        str(broken),
        tmp_path / "missing.json",
        b"\xff",
        audit(**{"stack.height": 10}),
    ]
    results = demo.score_many(audits, on_error="record")
    assert len(results) == len(audits)
    assert [type(r).__name__ for r in results] == ["Report", "AuditError", "AuditError", "AuditError", "AuditError", "Report"]
    ok = [r for r in results if isinstance(r, ecorule.Report)]
    assert [r.to_json() for r in ok] == [demo.score(audits[0]).to_json(), demo.score(audits[5]).to_json()]
    errors = [r for r in results if isinstance(r, ecorule.AuditError)]
    assert [e.index for e in errors] == [1, 2, 3, 4]
    assert errors[0].fact == "stack.height"
    assert "not valid JSON" in errors[1].message and errors[1].line == 1
    assert "cannot be read" in errors[2].message
    assert "not UTF-8" in errors[3].message
    with pytest.raises(ValueError, match="on_error"):
        demo.score_many(audits, on_error="ignore")  # type: ignore[call-overload]


@pytest.mark.parametrize(
    "bad,fact,match",
    [
        (b"\xff{}", None, "not UTF-8 text"),
        ('{"facts": {"x": "\udcff"}}', None, "lone surrogate"),
        ("missing.json", None, "neither JSON text"),
        (Path("missing.json"), None, "cannot be read"),
        ({"facts": {"stack.height": 10**5000}}, "stack.height", "an integer of 5001 digits"),
        ({"facts": {"stack.height": -(10**4400) + 1}}, "stack.height", "an integer of 4400 digits"),
        ({"facts": {"stack.height": "tall"}}, "stack.height", '"tall"'),
    ],
    ids=["bytes", "surrogate", "missing-str", "missing-path", "huge-int", "huge-negative", "value"],
)
def test_every_bad_item_of_score_many_is_an_audit_error_with_its_index(
    demo: ecorule.Rulebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: Any, fact: Any, match: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ecorule.AuditError) as info:
        demo.score_many([audit(), audit(), bad, audit()])
    e = info.value
    assert (e.index, e.position, e.fact) == (2, 2, fact)
    where = " (missing.json)" if isinstance(bad, Path) else ""  # a file names itself
    assert match in e.message and str(e).startswith(f"audit at index 2{where}:\n")
    if isinstance(bad, Path):
        assert isinstance(e.__cause__, FileNotFoundError)


def test_an_int_too_long_to_write_out_is_an_audit_error(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(audit(**{"stack.height": 10**5000}))
    assert (info.value.fact, info.value.index) == ("stack.height", None)
    assert info.value.message == (
        "fact `stack.height` expects a quantity in m, but the audit gives an integer of 5001 digits, "
        "which is too large or too long to hold exactly"
    )
    # Python writes out at most 4,300 digits; the count is exact at the edges.
    for n, digits in ((10**4300, 4301), (10**4301 - 1, 4301), (-(10**4301), 4302)):
        with pytest.raises(ecorule.AuditError, match=f"gives an integer of {digits} digits, "):
            demo.score(audit(**{"stack.height": n}))


def test_repr_counts_clauses(demo: ecorule.Rulebook) -> None:
    assert repr(demo) == "<Rulebook demo (1 clause)>"


def test_score_many_lets_other_threads_run_while_it_converts(fishmeal: ecorule.Rulebook) -> None:
    """Converting Python audits needs the GIL; it is let go between chunks."""
    import sys
    import threading
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from fishmeal_data import generate

    rows = generate(4000, seed=3).to_dict("records")
    audits = [{"audit": {"id": r.pop("audit.id"), "date": r.pop("audit.date")}, "facts": r} for r in rows]
    gaps: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        time.sleep(0.02)
        start = time.perf_counter()
        fishmeal.score_many(audits)
        elapsed = time.perf_counter() - start
    finally:
        stop.set()
        thread.join()
    # Held for the whole conversion, the GIL kept the other thread waiting
    # for most of the call; in chunks, for a small part of it.
    assert max(gaps) < max(0.1 * elapsed, 0.05), (max(gaps), elapsed)


def test_no_input_panics() -> None:
    """Mangled rulebooks and random audit values end in our exceptions only."""
    rng = random.Random(7)
    source = (RULES / "fishmeal" / "fishmeal.eco").read_text(encoding="utf-8")
    junk = ["{", "}", "(", '"', "\\", "1e400", "-", "…", "℃", "\u0000", "0.", "=>", "when", "/", "m³"]
    for _ in range(150):
        cut = rng.randrange(len(source))
        mangled = source[:cut] + rng.choice(junk) + source[cut + rng.randrange(0, 40) :]
        try:
            ecorule.Rulebook.from_source(mangled, name="m.eco")
        except ecorule.RulebookError as e:
            assert e.errors and str(e)
    rulebook = ecorule.Rulebook.from_file(RULES / "fishmeal" / "fishmeal.eco")
    names = [f.name for f in rulebook.facts] + ["audit.date", "nope", "stack"]
    values: list[Any] = [
        None, True, 0, -1, 10**40, 1e308, -1e-308, math.nan, math.inf, "", "25 m", "1e99999 m",
        "2024-02-30", "-0 kg/h", "5 %", [], [None], {}, {"value": 1}, {"value": "x", "unit": 3},
        {"value": 1, "unit": "furlong"}, Decimal("1e-400"), Decimal("NaN"), "0" * 5000, "\ud800",
    ]
    for _ in range(400):
        facts = {rng.choice(names): rng.choice(values) for _ in range(rng.randrange(1, 6))}
        body: Any = {"audit": {"date": rng.choice(["2024-05-20", "20240520", None, 5])}, "facts": facts}
        try:
            rulebook.score(body)
        except ecorule.AuditError as e:
            assert e.errors
        try:
            rulebook.score(json.dumps(body, default=str))
        except (ecorule.AuditError, ValueError):
            pass


@pytest.mark.parametrize(
    "body,fact,kind,match,match_zh",
    [
        (audit(**{"odour.plant": "\udcff"}), "odour.plant", "audit", "`\\udcff`, which holds a lone surrogate", "其中含孤立代理项"),
        ({"facts": {"stack": {"height": 1 + 2j}}}, "stack.height", "audit", "a Python `complex`", "应为审核可用的值，但审核给出 Python `complex` 值"),
        (audit(**{"odour.plant": "x" * 10_000_000}), "odour.plant", "audit_too_large", "a text of 10000000 bytes", "10000000 字节的文本"),
        ({"audit": {"date": "2024-05-20\ud800"}}, "audit.date", "audit", "lone surrogate", "有效的 Unicode 文本"),
        ({"audit": {"enterprise": {"name": "甲" * 30_000}}}, "enterprise.name", "audit_too_large", "at most 65536 bytes", "至多 65536 字节的文本"),
        (audit(tags=["a", 1j]), "tags", "audit", "a Python `complex` at position 2", "Python `complex` 值（第 2 项）"),
        (audit(stack={"\ud800": 1}), "stack.\\ud800", "audit", "lone surrogate", "孤立代理项"),
        (audit(stack={"h" * 70_000: 1}), "stack", "audit_too_large", "a key of 70000 bytes", "70000 字节的键"),
    ],
)
def test_values_that_do_not_convert_name_their_fact(
    demo: ecorule.Rulebook, body: Dict[str, Any], fact: str, kind: str, match: str, match_zh: str
) -> None:
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(body)
    e = info.value
    assert (e.fact, e.kind) == (fact, kind)
    assert e.message.startswith(f"fact `{fact}` expects ") and match in e.message
    # In Chinese too, as the core's audit errors are.
    assert e.message_zh is not None and e.message_zh.startswith(f"数据项 `{fact}` 应为"), e.message_zh
    assert match_zh in e.message_zh, e.message_zh
    with pytest.raises(ecorule.AuditError) as many:
        demo.score_many([audit(), body])
    assert (many.value.index, many.value.fact) == (1, fact)


def test_an_audit_of_no_audit_type(demo: ecorule.Rulebook) -> None:
    with pytest.raises(ecorule.AuditError, match="the audit is a Python `complex`, not an audit value") as info:
        demo.score(1j)  # type: ignore[arg-type]
    assert info.value.fact is None and info.value.help is not None
    assert info.value.message_zh == "审核应为审核可用的值，而非 Python `complex` 值"
    assert info.value.help_zh == "请使用 dict、list、str、int、float、bool、Decimal、date、timedelta 或 None"


def test_source_that_is_not_unicode_is_a_rulebook_error() -> None:
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source("rulebook \ud800 {}")
    assert (info.value.kind, info.value.line, info.value.column) == ("syntax", 1, 10)
    assert "lone surrogate" in info.value.message and "\\ud800" in str(info.value)
    with pytest.raises(ecorule.RulebookError) as info:
        ecorule.Rulebook.from_source(DEMO, modules={"m.eco": "module m {\n  // \udcff\n}"})
    assert (info.value.source, info.value.line, info.value.column) == ("m.eco", 2, 6)
    # A name is only a label: one read from a file name that is not UTF-8 keeps escapes.
    named = ecorule.Rulebook.from_source(DEMO, name="d\udcff.eco")
    assert named.id == "demo"


def test_text_that_is_neither_a_path_nor_json(demo: ecorule.Rulebook, tmp_path: Path) -> None:
    with pytest.raises(ecorule.AuditError, match="must be an object with `audit` and `facts`, not null"):
        demo.score("null")
    missing = tmp_path / "a.json"
    with pytest.raises(FileNotFoundError) as info:
        demo.score(str(missing))
    assert "neither JSON text" in str(info.value) and str(missing) in str(info.value)
    with pytest.raises(ecorule.AuditError, match="not valid Unicode"):
        demo.score('{"facts": {"odour.plant": "\ud800"}}')


@pytest.mark.parametrize("audits", ["abc", b"{}", Path("a.json"), audit()])
def test_score_many_takes_an_iterable_of_audits(demo: ecorule.Rulebook, audits: Any) -> None:
    with pytest.raises(TypeError, match="an iterable of audits"):
        demo.score_many(audits)


def test_unused_facts_and_lets_are_warnings(fishmeal: ecorule.Rulebook) -> None:
    source = """rulebook u "未用" {
  facts {
    x: bool "x"
    y: bool "y"
  }
  let z = 1
  scoring {
    scale 1
    grade ok "合格" otherwise
    verdict standardize otherwise
  }
  area A "区" { clause C "c" points 1 { require x } }
}"""
    warnings = ecorule.Rulebook.from_source(source, name="u.eco").warnings
    assert [(w.kind, w.message, w.line, w.column) for w in warnings] == [
        ("unused", "fact `y` is declared but nothing reads it", 4, 5),
        ("unused", "`z` is defined but nothing uses it", 6, 7),
    ]
    assert warnings[0].rendered.startswith("Warning: ") and warnings[0].help
    assert {w.severity for w in warnings} == {"warning"}
    assert fishmeal.warnings == ()


BAD_FILES = {
    # Malformed JSON: located in the file, as `path:line:column`.
    "broken.json": b'{"audit": {"date": "2024-05-20"},\n "facts": {"stack.height": 12 m}}\n',
    # Well-formed, with a fact the rulebook does not take.
    "tall.json": b'{"audit": {"date": "2024-05-20"}, "facts": {"stack.height": "tall"}}\n',
    "broken.toml": b'[audit]\ndate = 2024-05-20\n[facts]\n"stack.height" = 12 m\n',
    "latin1.json": b'{"audit": {"id": "caf\xe9"}, "facts": {}}\n',
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_an_audit_file_that_cannot_be_scored_is_named_as_the_cli_names_it(
    demo: ecorule.Rulebook, cli: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("demo.eco").write_text(DEMO, encoding="utf-8")
    Path(name).write_bytes(BAD_FILES[name])
    import subprocess

    done = subprocess.run([str(cli), "score", "demo.eco", name], capture_output=True)
    assert done.returncode != 0
    for given in (name, Path(name)):
        with pytest.raises(ecorule.AuditError) as info:
            demo.score(given)
        e = info.value
        assert e.path == name and e.index is None
        assert f"{e}\n" == done.stderr.decode("utf-8")
        assert str(e).startswith(f"{name} cannot be scored:\n")
        assert pickle.loads(pickle.dumps(e)).path == name


def test_malformed_json_in_a_file_is_located_in_it(demo: ecorule.Rulebook, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(BAD_FILES["broken.json"])
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(path)
    e = info.value
    assert (e.kind, e.source, e.line, e.column) == ("audit", str(path), 2, 31)
    assert f"{path}:2:31" in str(e)
    # JSON text given as such (str or bytes) is `<string>`, as Python names
    # source given as a string: there is no file to name.
    for text in (path.read_text(encoding="utf-8"), path.read_bytes()):
        with pytest.raises(ecorule.AuditError) as info:
            demo.score(text)
        e = info.value
        assert (e.source, e.path, e.line, e.column) == ("<string>", None, 2, 31)
        assert "<string>:2:31" in str(e)
    results = demo.score_many([audit(), path.read_text(encoding="utf-8")], on_error="record")
    assert isinstance(results[1], ecorule.AuditError) and results[1].source == "<string>"


def test_malformed_toml_in_a_file_is_located_in_it_as_json_is(demo: ecorule.Rulebook, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(BAD_FILES["broken.toml"])
    with pytest.raises(ecorule.AuditError) as info:
        demo.score(path)
    e = info.value
    assert (e.kind, e.source, e.line, e.column, e.path) == ("audit", str(path), 4, 21, str(path))
    assert e.message.startswith("the audit is not valid TOML: ")
    assert e.snippet == '"stack.height" = 12 m'
    assert f"{path}:4:21" in str(e)
    # TOML text handed to the native module without a file: located too.
    with pytest.raises(ecorule.AuditError) as info:
        demo._native.score("toml", path.read_text(encoding="utf-8"), False)
    assert (info.value.source, info.value.line, info.value.column, info.value.path) == ("<string>", 4, 21, None)
    assert info.value.message == e.message


def test_score_many_names_the_file_of_an_audit_that_cannot_be_scored(demo: ecorule.Rulebook, tmp_path: Path) -> None:
    for name, data in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    files = [tmp_path / name for name in BAD_FILES]
    for i, path in enumerate(files):
        with pytest.raises(ecorule.AuditError) as info:
            demo.score_many([audit(), str(path), audit()] if i % 2 else [audit(), path, audit()])
        e = info.value
        assert (e.index, e.path) == (1, str(path))
        assert str(e).startswith(f"audit at index 1 ({path}):\n")
    results = demo.score_many([audit(), *files, {"facts": {"stack.height": "tall"}}], on_error="record")
    errors = [r for r in results if isinstance(r, ecorule.AuditError)]
    assert [(e.index, e.path) for e in errors] == [(i + 1, str(p)) for i, p in enumerate(files)] + [(5, None)]
    assert errors[0].source == str(files[0]) and errors[0].line == 2
    assert errors[2].source == str(files[2]) and (errors[2].line, errors[2].column) == (4, 21)

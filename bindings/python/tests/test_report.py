"""The Report object: attributes, dict, HTML."""

from __future__ import annotations

import json

import pytest

import ecorule
from conftest import RULES

AUDITS = RULES / "fishmeal" / "audits"


def test_attributes(fishmeal: ecorule.Rulebook) -> None:
    report = fishmeal.score(AUDITS / "b_good_partial.json")
    d = report.to_dict()
    assert report.schema == ecorule.REPORT_SCHEMA == d["schema"]
    assert (report.score, report.score_min, report.score_max) == (d["score"], d["score_min"], d["score_max"])
    assert (report.grade, report.verdict, report.determined) == (d["grade"], d["verdict"], d["determined"])
    assert report.vetoes == d["vetoes"] and report.scale == 100
    assert report.not_applicable == d["not_applicable"] == "rescale"
    assert report.rulebook["hash"] == fishmeal.hash
    assert report.audit["id"] == d["audit"]["id"]
    assert [a.id for a in report.areas] == [a.id for a in fishmeal.areas]
    assert [a.score for a in report.areas] == [a["score"] for a in d["areas"]]
    assert [c.id for c in report.clauses] == fishmeal.clause_ids
    fm23 = report.clause("FM23")
    assert fm23.status == "partial" and fm23.earned == 1.5 and fm23.points == 3 and fm23.area == "A5"
    assert fm23.ref == fm23.refs[0] and fm23.ref.startswith("GB 14554")
    assert fm23.fix is not None and fm23.deadline == fm23.fix.deadline and fm23.deadline
    assert "stack.height" in fm23.explanation
    assert fm23.explanation_zh == d["areas"][4]["clauses"][4]["explanation_zh"]
    assert fm23.explanation_zh.startswith("不满足 `stack.ammonia <= ")
    assert report.warnings == d["warnings"] and report.warnings_zh == d["warnings_zh"]
    assert len(report.warnings_zh) == len(report.warnings)
    assert any(v.name == "stack.height" for v in fm23.values)
    assert report.clause("FM01").fix is None and report.clause("FM01").deadline is None
    assert {r.clause for r in report.rectification} == {c.id for c in report.clauses if c.status in ("fail", "partial")}
    assert report.deductions[0].id == "incident"
    assert report.grade_label[1] == "good"
    with pytest.raises(KeyError):
        report.clause("FM99")
    assert "score=89.5" in repr(report)
    assert report == fishmeal.score(AUDITS / "b_good_partial.json")
    assert json.loads(report.to_json()) == d and report.to_dict() is not report.to_dict()


AREA_SOURCE = """rulebook t "测试" en "test" {
  facts { x: number "x" on: bool "on" }
  scoring {
    scale 10
    not_applicable rescale
    grade ok "合格" otherwise
    verdict standardize "规范" otherwise
  }
  area A "区" en "area" {
    clause C1 "1" points 4 { when on require x > 0 }
    clause C2 "2" points 6 { require x > 1 partial 0.5 when x > 0 }
  }
}
"""


def test_area_score() -> None:
    rulebook = ecorule.Rulebook.from_source(AREA_SOURCE)
    # C1 does not apply: 3 earned of 6 applicable points, on the area's 10.
    area = rulebook.score({"facts": {"x": 0.5, "on": False}}).areas[0]
    assert (area.points, area.possible, area.earned, area.score) == (10, 6, 3, 5)
    # Whether C1 applies is unknown: no area score.
    assert rulebook.score({"facts": {"x": 0.5}}).areas[0].score is None


def test_ranges_and_vetoes(fishmeal: ecorule.Rulebook) -> None:
    partial = fishmeal.score(AUDITS / "g_self_assessment_partial.json")
    assert partial.score is None and partial.score_min < partial.score_max
    assert partial.missing_facts
    vetoed = fishmeal.score(AUDITS / "d_effluent_veto.json")
    assert vetoed.vetoes and vetoed.verdict == "rectify"


def test_html(fishmeal: ecorule.Rulebook) -> None:
    html = fishmeal.score(AUDITS / "b_good_partial.json")._repr_html_()
    assert html.startswith("<div") and "<table" in html
    assert "89.5" in html and "良好" in html and "standardize" in html.lower() or "规范" in html
    for clause in fishmeal.clause_ids:
        assert f">{clause}<" in html or f">{clause} <" in html
    assert "ecorule-partial" in html and "ecorule-pass" in html
    partial = fishmeal.score(AUDITS / "g_self_assessment_partial.json")._repr_html_()
    assert "range" in partial and "ecorule-unknown" in partial


def test_html_escapes_text() -> None:
    source = """rulebook x "<script>alert(1)</script>" en "A & B" {
  facts { t: text "t" }
  scoring {
    scale 1
    grade ok "<b>ok</b>" otherwise
    verdict fine "fine" otherwise
  }
  area A "<i>area</i>" { clause C "<img src=x>" points 1 { require t == "<x>" } }
}"""
    rulebook = ecorule.Rulebook.from_source(source)
    html = rulebook.score({"audit": {"id": "<id>"}, "facts": {"t": "<y>"}})._repr_html_()
    for raw in ("<script>", "<b>ok", "<i>area", "<img", "<id>", "<y>", "<x>"):
        assert raw not in html
    assert "&lt;script&gt;" in html and "A &amp; B" in html


def test_rulebook_description(fishmeal: ecorule.Rulebook) -> None:
    assert fishmeal.id == "fishmeal" and fishmeal.title and fishmeal.title_en
    assert fishmeal.version and fishmeal.effective == "2013-07-01"
    height = fishmeal.fact("stack.height")
    assert (height.type, height.unit, height.label_en) == ("quantity", "m", "odour stack height")
    assert (height.help, height.help_en) == ("从地面到出口", "from the ground to the outlet")
    assert fishmeal.fact("site.in_park").help is None and fishmeal.fact("site.in_park").help_en is None
    plant = fishmeal.fact("odour.plant")
    assert plant.type == "enum" and "biofilter" in plant.values and plant.options[0].label
    assert "FM20" in plant.clauses
    assert fishmeal.clauses[0].veto and fishmeal.clauses[0].area == "A1"
    assert [g.id for g in fishmeal.grades] == ["excellent", "good", "pass", "fail"]
    assert fishmeal.info()["id"] == "fishmeal"
    assert fishmeal.audit_schema()["type"] == "object"
    assert fishmeal.questionnaire()["sections"]
    assert "fishmeal" in repr(fishmeal)
    assert any(name.endswith("gb14554.eco") for name, _ in ecorule.standard_modules())


def test_typing_usage_runs() -> None:
    import typing_usage

    typing_usage.main()


def test_pages_are_drawn_in_the_language_asked_for(fishmeal: ecorule.Rulebook) -> None:
    report = fishmeal.score(AUDITS / "b_good_partial.json")
    assert report.to_text(lang="both") == report.to_text()
    assert report.to_html(lang="both", fragment=True) == report._repr_html_()
    zh = report.to_text(lang="zh")
    assert "得分 89.50 / 100.00 · 等级 良好 · 结论 规范（已确定）" in zh
    assert "Raw-material freshness" not in zh
    en = report.to_markdown(lang="en")
    assert "| clause | status | points | why |" in en
    assert "原料保鲜" not in en
    assert '<html lang="zh-CN">' in report.to_html(lang="zh")


def test_an_unknown_language_names_the_choices(fishmeal: ecorule.Rulebook) -> None:
    report = fishmeal.score(AUDITS / "b_good_partial.json")
    for call in (
        lambda: report.to_text(lang="fr"),  # type: ignore[arg-type]
        lambda: report.to_markdown(lang="zh-CN"),  # type: ignore[arg-type]
        lambda: report.to_html(lang="ZH", fragment=True),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError, match='lang must be "both", "zh" or "en"'):
            call()

"""`Report.to_json()` is byte-identical to `ecorule score --format json`, and
`to_text()`, `to_markdown()` and `to_html()` to the CLI's other formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import ecorule
from conftest import ALL_CASES, rulebook_in

SCORED = [(d, a, e) for d, a, e in ALL_CASES if "error" not in json.loads(e.read_text(encoding="utf-8"))]


def cli_json(cli: Path, rulebook: Path, audit: Path, format: str = "json", lang: str = "both") -> str:
    done = subprocess.run(
        [str(cli), "score", str(rulebook), str(audit), "--format", format, "--lang", lang],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("directory,audit,expected", SCORED, ids=[f"{d.name}/{a.stem}" for d, a, _ in SCORED])
def test_json_is_the_clis(cli: Path, directory: Path, audit: Path, expected: Path) -> None:
    path = rulebook_in(directory)
    assert path is not None
    rulebook = ecorule.Rulebook.from_file(path)
    want = cli_json(cli, path, audit)
    # From the file, from its JSON text, and from the dict json.load gives.
    assert rulebook.score(audit).to_json() + "\n" == want
    assert rulebook.score(audit.read_text(encoding="utf-8")).to_json() + "\n" == want
    if audit.suffix == ".json":
        as_dict = json.loads(audit.read_text(encoding="utf-8"))
        assert rulebook.score(as_dict).to_json() + "\n" == want


def test_toml_audit_is_the_clis(cli: Path, tmp_path: Path, fishmeal: ecorule.Rulebook) -> None:
    audit = tmp_path / "audit.toml"
    audit.write_text(
        '[audit]\nid = "T-1"\ndate = 2024-05-20\n\n[facts]\n"stack.height" = "25 m"\n'
        '"odour.plant" = "biofilter"\n"effluent.ph" = 7.4\n',
        encoding="utf-8",
    )
    rulebook = Path(__file__).resolve().parents[3] / "rules" / "fishmeal" / "fishmeal.eco"
    assert fishmeal.score(audit).to_json() + "\n" == cli_json(cli, rulebook, audit)


@pytest.mark.parametrize("directory,audit,expected", SCORED, ids=[f"{d.name}/{a.stem}" for d, a, _ in SCORED])
def test_text_markdown_and_html_are_the_clis(cli: Path, directory: Path, audit: Path, expected: Path) -> None:
    # Drawn by the core from the report's JSON: the same pages as the CLI's.
    path = rulebook_in(directory)
    assert path is not None
    report = ecorule.Rulebook.from_file(path).score(audit)
    assert report.to_text() == cli_json(cli, path, audit, "text")
    assert report.to_markdown() + "\n" == cli_json(cli, path, audit, "markdown")
    assert report.to_html() == cli_json(cli, path, audit, "html")
    assert report._repr_html_() == report.to_html(fragment=True)
    assert report.to_html(fragment=True) in report.to_html()


FISHMEAL = Path(__file__).resolve().parents[3] / "rules" / "fishmeal"


@pytest.mark.parametrize("name", ["b_good_partial", "g_self_assessment_partial"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_in_one_language_are_the_clis(cli: Path, fishmeal: ecorule.Rulebook, name: str, lang: str) -> None:
    rulebook = FISHMEAL / "fishmeal.eco"
    audit = FISHMEAL / "audits" / f"{name}.json"
    report = fishmeal.score(audit)
    assert report.to_text(lang=lang) == cli_json(cli, rulebook, audit, "text", lang)
    assert report.to_markdown(lang=lang) + "\n" == cli_json(cli, rulebook, audit, "markdown", lang)
    assert report.to_html(lang=lang) == cli_json(cli, rulebook, audit, "html", lang)
    assert report.to_html(lang=lang, fragment=True) in report.to_html(lang=lang)

"""Every bundled rulebook loads, and its sample audits score as their
`*.expected.json` files say (the same cases `ecorule test` runs)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import ecorule
from conftest import ALL_CASES, RULES, rulebook_dirs, rulebook_in
from expect import run_case


def test_there_are_rulebooks_and_cases() -> None:
    assert len(rulebook_dirs()) >= 3
    assert len(ALL_CASES) >= 20


@pytest.mark.parametrize("directory", rulebook_dirs(), ids=lambda d: d.name)
def test_rulebook_loads(directory: Path) -> None:
    path = rulebook_in(directory)
    assert path is not None
    rulebook = ecorule.Rulebook.from_file(path)
    assert rulebook.id
    assert rulebook.hash.startswith("sha256:")
    assert rulebook.clauses and rulebook.facts and rulebook.areas
    assert [c.id for c in rulebook.clauses] == rulebook.clause_ids
    assert sum(c.points for c in rulebook.clauses) == rulebook.scale
    assert rulebook.grades and rulebook.verdicts


@pytest.mark.parametrize(
    "directory,audit,expected",
    ALL_CASES,
    ids=[f"{d.name}/{a.stem}" for d, a, _ in ALL_CASES],
)
def test_sample_audit_scores_as_expected(directory: Path, audit: Path, expected: Path) -> None:
    path = rulebook_in(directory)
    assert path is not None
    rulebook = ecorule.Rulebook.from_file(path)
    problems = run_case(rulebook, audit, expected)
    assert not problems, "\n".join(problems)


def test_from_source_with_the_bundled_modules_gives_the_same_hash() -> None:
    # fishmeal's modules are all bundled standards: reading them from
    # ../standards or from the bundle gives the same rulebook.
    path = RULES / "fishmeal" / "fishmeal.eco"
    from_file = ecorule.Rulebook.from_file(path)
    from_source = ecorule.Rulebook.from_source(path.read_text(encoding="utf-8"), name=str(path))
    assert from_file.hash == from_source.hash
    assert from_file.module_hashes == from_source.module_hashes


def test_hashes_are_the_sha256_of_the_files() -> None:
    path = RULES / "fishmeal" / "fishmeal.eco"
    rulebook = ecorule.Rulebook.from_file(path)
    assert rulebook.hash == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    standards = RULES / "standards"
    want = {
        "gb14554": "sha256:" + hashlib.sha256((standards / "gb14554.eco").read_bytes()).hexdigest(),
        "gb8978": "sha256:" + hashlib.sha256((standards / "gb8978.eco").read_bytes()).hexdigest(),
    }
    assert list(rulebook.module_hashes)[:2] == list(want)
    assert {k: rulebook.module_hashes[k] for k in want} == want
    report = rulebook.score({"facts": {}})
    assert report.rulebook["hash"] == rulebook.hash
    assert report.rulebook["modules"] == [{"id": k, "hash": v} for k, v in rulebook.module_hashes.items()]

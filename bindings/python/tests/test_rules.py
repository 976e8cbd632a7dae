"""Every bundled rulebook loads, and its sample audits score as their
`*.expected.json` files say (the same cases `ecorule test` runs)."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import warnings
from pathlib import Path

import pytest

import ecorule
from conftest import ALL_CASES, ROOT, RULES, rulebook_dirs, rulebook_in
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


@pytest.mark.parametrize("directory", rulebook_dirs(), ids=lambda d: d.name)
def test_the_bundled_rulebooks_warn_of_no_replaced_standard(directory: Path) -> None:
    # `rules/standards` beside them holds the bundled texts themselves.
    path = rulebook_in(directory)
    assert path is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecorule.Rulebook.from_file(path)


def test_a_module_that_replaces_a_bundled_standard_is_warned_of_as_the_cli_warns(
    cli: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    case = "tests/vectors/module_override_bundled"
    done = subprocess.run(
        [str(cli), "score", f"{case}/rulebook.eco", f"{case}/audit.json", "--lib", case], capture_output=True, check=True
    )
    with pytest.warns(UserWarning) as record:
        book = ecorule.Rulebook.from_file(f"{case}/rulebook.eco", libs=[case])
    assert [f"warning: {w.message}\n" for w in record] == [done.stderr.decode("utf-8")]
    message = str(record[0].message)
    assert message.startswith(f"module `gb14554` comes from {case}/gb14554.module.eco ({book.module_hashes['gb14554']})")
    bundled = hashlib.sha256((RULES / "standards" / "gb14554.eco").read_bytes()).hexdigest()
    assert message.endswith(f", not the bundled standards/gb14554.eco (sha256:{bundled})")
    # It points at the caller's line, not into the package.
    assert record[0].filename == __file__
    # Compiled again to unpickle (in another process, as a rule): not warned again.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pickle.loads(pickle.dumps(book)).module_hashes == book.module_hashes
    # A module given as text, named by its key.
    source = (ROOT / case / "rulebook.eco").read_text(encoding="utf-8")
    module = (ROOT / case / "gb14554.module.eco").read_text(encoding="utf-8")
    with pytest.warns(UserWarning, match=r"^module `gb14554` comes from mine\.eco \(sha256:"):
        ecorule.Rulebook.from_source(source, modules={"mine.eco": module})
    bundled_text = (RULES / "standards" / "gb14554.eco").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecorule.Rulebook.from_source(source, modules={"same.eco": bundled_text})


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

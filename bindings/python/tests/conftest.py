"""Shared fixtures: the repository's rulebooks and the `ecorule` CLI binary."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

import ecorule
from ecorule._rulebook import is_module

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "rules"


def rulebook_dirs() -> List[Path]:
    """Every folder of rules/ that holds a rulebook (standards/ holds modules)."""
    return sorted(d for d in RULES.iterdir() if d.is_dir() and rulebook_in(d) is not None)


def rulebook_in(directory: Path) -> Path | None:
    """As `ecorule test DIR`: `DIR/<name>.eco`, else its only rulebook."""
    named = directory / f"{directory.name}.eco"
    if named.is_file():
        return named
    books = [p for p in sorted(directory.glob("*.eco")) if not is_module(p.read_text(encoding="utf-8"))]
    return books[0] if len(books) == 1 else None


def cases(directory: Path) -> List[Tuple[Path, Path]]:
    """(audit, expected) pairs of `DIR/audits`, as `ecorule test` finds them."""
    found = []
    for audit in sorted((directory / "audits").glob("*")):
        name = audit.name
        if name.endswith(".expected.json") or audit.suffix not in (".json", ".toml"):
            continue
        expected = audit.with_name(f"{audit.stem}.expected.json")
        if expected.is_file():
            found.append((audit, expected))
    return found


ALL_CASES = [(d, a, e) for d in rulebook_dirs() for a, e in cases(d)]


@pytest.fixture(scope="session")
def fishmeal() -> ecorule.Rulebook:
    return ecorule.Rulebook.from_file(RULES / "fishmeal" / "fishmeal.eco")


@pytest.fixture(scope="session")
def cli() -> Iterator[Path]:
    """The `ecorule` binary built from this checkout (`ECORULE_CLI` overrides)."""
    given = os.environ.get("ECORULE_CLI")
    if given:
        yield Path(given)
        return
    binary = ROOT / "target" / "release" / "ecorule"
    if not binary.is_file():
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "ecorule-cli"], cwd=ROOT, check=True)
    yield binary

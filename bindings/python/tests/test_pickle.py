"""A Rulebook pickles (compiled again from its sources) and copies, so it
can go to worker processes (multiprocessing, joblib)."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import ecorule
from conftest import RULES

AUDIT = RULES / "fishmeal" / "audits" / "b_good_partial.json"

MODULE = """module tiny "小" {
  const limit = 15 m
}
"""

BOOK = """rulebook withmod "带模块" en "With a module" {
  use tiny
  facts { h: quantity m "h" }
  scoring {
    scale 1
    grade ok "合格" otherwise
    verdict done "完" otherwise
  }
  area A "a" { clause C "c" points 1 { require h >= tiny.limit } }
}
"""


def test_from_file_round_trips(fishmeal: ecorule.Rulebook) -> None:
    again = pickle.loads(pickle.dumps(fishmeal))
    assert isinstance(again, ecorule.Rulebook)
    assert (again.hash, again.module_hashes) == (fishmeal.hash, fishmeal.module_hashes) and fishmeal.module_hashes
    assert (again.id, again.path, again.source) == (fishmeal.id, fishmeal.path, fishmeal.source)
    assert again.score(AUDIT).to_json() == fishmeal.score(AUDIT).to_json()


def test_modules_given_as_source_come_along() -> None:
    book = ecorule.Rulebook.from_source(BOOK, name="withmod.eco", modules={"tiny.eco": MODULE})
    again = pickle.loads(pickle.dumps(book))
    assert (again.hash, again.module_hashes) == (book.hash, book.module_hashes)
    assert list(book.module_hashes) == ["tiny"]
    body = {"facts": {"h": 20}}
    assert again.score(body).to_json() == book.score(body).to_json()


def test_copies_share_the_compiled_rulebook(fishmeal: ecorule.Rulebook) -> None:
    for other in (copy.copy(fishmeal), copy.deepcopy(fishmeal)):
        assert other is not fishmeal and other.hash == fishmeal.hash
        assert other.score(AUDIT).to_json() == fishmeal.score(AUDIT).to_json()


def test_a_different_rebuild_is_an_error() -> None:
    book = ecorule.Rulebook.from_source(BOOK, name="withmod.eco", modules={"tiny.eco": MODULE})
    reduced = book.__reduce__()
    rebuild, (name, text, modules, path, (hash, module_hashes)) = reduced
    with pytest.raises(pickle.UnpicklingError, match="compiled again from its sources is not the one pickled"):
        rebuild(name, text, modules, path, (hash, {"tiny": "sha256:0"}))
    with pytest.raises(pickle.UnpicklingError, match="compiled again from its sources is not the one pickled"):
        rebuild(name, text, modules, path, ("sha256:0", module_hashes))


def _score(book: ecorule.Rulebook, audit: Path) -> str:
    return book.score(audit).to_json()


def test_a_worker_process_scores_with_it(fishmeal: ecorule.Rulebook) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        remote = pool.submit(_score, fishmeal, AUDIT).result(timeout=120)
    assert remote == fishmeal.score(AUDIT).to_json()

"""The notebook-style example runs."""

from __future__ import annotations

import runpy
from pathlib import Path

import pandas as pd


def test_fishmeal_example_runs(capsys: object) -> None:
    namespace = runpy.run_path(str(Path(__file__).resolve().parents[1] / "examples" / "fishmeal.py"))
    results = namespace["results"]
    assert isinstance(results, pd.DataFrame) and len(results) == 3000
    counts = namespace["counts"]
    assert counts.loc["All", "All"] == 3000

# %% [markdown]
# # Scoring fishmeal plants with ecorule
#
# A notebook-style walk through (`# %%` cells: run it in Jupyter, VS Code,
# or as `python bindings/python/examples/fishmeal.py` from the repository).
# It loads the fishmeal rulebook, scores a table of audits with
# `score_frame`, and counts verdicts per grade.
#
# The audits are made up: the rulebook's nine sample audits, each copied a
# few hundred times with measurements moved up or down and some answers
# flipped, as a district's spreadsheet of inspections might look.

# %%
from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd

import ecorule

RULES = Path(__file__).resolve().parents[3] / "rules"
rulebook = ecorule.Rulebook.from_file(RULES / "fishmeal" / "fishmeal.eco")
print(rulebook, rulebook.title, "/", rulebook.title_en)
print(f"{len(rulebook.facts)} facts, {len(rulebook.areas)} areas, {len(rulebook.clauses)} clauses")

# %% [markdown]
# ## One audit, one report
#
# `score` takes a dict, JSON text or a `.json` / `.toml` path. In Jupyter
# the report shows as a table (its `_repr_html_`).

# %%
report = rulebook.score(RULES / "fishmeal" / "audits" / "b_good_partial.json")
print(report)
for clause in report.clauses:
    if clause.status != "pass":
        print(f"  {clause.id} {clause.status:8} {clause.earned}/{clause.points}  {clause.title_en}")
        if clause.fix:
            print(f"      fix by {clause.deadline}: {clause.fix.action_en}")
report  # noqa: B018 (shows the HTML table in a notebook)

# %% [markdown]
# ## A table of audits
#
# One audit per row, one column per fact (`stack.height`, or with a unit:
# `stack.height [m]`); `audit.id` and `audit.date` may be columns too. An
# empty cell is an unknown fact.


# %%
def flatten(prefix: str, value: Any, row: Dict[str, Any]) -> None:
    if isinstance(value, dict) and not {"value", "unit"} <= value.keys():
        for key, inner in value.items():
            flatten(f"{prefix}.{key}" if prefix else key, inner, row)
    else:
        row[prefix] = value


MEASURED = re.compile(r"^(\d+(?:\.\d+)?) (\S+)$")  # "2.1 kg/h"


# The rulebook refuses a value outside a fact's `min` and `max` (a share
# over 100 %, a negative count), so varied readings keep within them.
LARGEST = {f.name: float(f.max) for f in rulebook.facts if f.max is not None and f.unit is None}


def variation(row: Dict[str, Any], rng: random.Random) -> Dict[str, Any]:
    """The same plant on another day: readings move by up to 30 %, yes/no
    answers sometimes flip, counts stay."""
    out = dict(row)
    for key, value in row.items():
        if key.startswith(("audit.", "enterprise.")):
            continue
        factor = rng.uniform(0.7, 1.3)
        if isinstance(value, bool):
            out[key] = (not value) if rng.random() < 0.04 else value
        elif isinstance(value, float) or (isinstance(value, int) and key.endswith(".odour")):
            out[key] = min(round(value * factor, 2), LARGEST.get(key, float("inf")))
        elif isinstance(value, str) and (m := MEASURED.match(value)):
            varied = float(m.group(1)) * factor
            if m.group(2) == "%":
                varied = min(varied, 100 * LARGEST.get(key, float("inf")))
            out[key] = f"{varied:.3g} {m.group(2)}"
    return out


rng = random.Random(2013)
samples: List[Dict[str, Any]] = []
for path in sorted((RULES / "fishmeal" / "audits").glob("*.json")):
    if path.name.endswith(".expected.json"):
        continue
    audit = json.loads(path.read_text(encoding="utf-8"))
    row: Dict[str, Any] = {"audit.id": audit["audit"]["id"], "audit.date": audit["audit"]["date"]}
    flatten("", audit["facts"], row)
    samples.append(row)

rows = []
for i in range(3000):
    row = variation(rng.choice(samples), rng)
    row["audit.id"] = f"2024-PT-{i:05d}"
    rows.append(row)
audits = pd.DataFrame(rows)
print(audits.shape)
audits.iloc[:3, :8]

# %% [markdown]
# ## Score them all
#
# `score_frame` scores every row on all cores (the GIL is released) and
# returns one row per audit: score (NaN when unknown facts leave a range),
# the range, grade, verdict, vetoes and each clause's status.

# %%
results = rulebook.score_frame(audits)
print(results.iloc[:5, :10].to_string())

# %% [markdown]
# ## Verdicts per grade
#
# 取缔 ban / 整治 rectify / 规范 standardize, against 优秀 … 不合格.

# %%
counts = pd.crosstab(results["grade"], results["verdict"], margins=True)
print(counts.to_string())

# %%
print("most failed clauses:")
failed = (results[rulebook.clause_ids] == "fail").sum().sort_values(ascending=False).head(5)
titles = {c.id: c.title_en for c in rulebook.clauses}
for clause_id, n in failed.items():
    print(f"  {clause_id} {titles[str(clause_id)]}: {n}")

print("vetoes:", results["vetoes"].explode().value_counts().to_dict())

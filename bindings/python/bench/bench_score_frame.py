"""Benchmark: `Rulebook.score_frame` over random fishmeal audits, against a
hand-written plain-Python scorer of the same clauses, in the same run.

    python bindings/python/bench/bench_score_frame.py [--rows 100000] [--repeat 3]

Both score the same DataFrame (complete audits, values in declared units:
what the baseline supports, see fishmeal_python.py) to the same outputs:
every clause's status, score, grade, verdict and vetoes. The engine's
answers are checked against the baseline row by row. The engine's time
includes packing the columns and building the result DataFrame; the
baseline's is shown with and without `df.to_dict("records")`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, List, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402

import ecorule  # noqa: E402
from fishmeal_data import generate  # noqa: E402
from fishmeal_python import CLAUSES, score_audit  # noqa: E402

RULEBOOK = HERE.parents[2] / "rules" / "fishmeal" / "fishmeal.eco"


def timed(fn: Callable[[], Any], repeat: int) -> Tuple[float, float, Any]:
    """Best wall time, the CPU time of that run (all threads), and the result."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        t, c = time.perf_counter() - t0, time.process_time() - c0
        if t < best:
            best, cpu = t, c
    return best, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    n = args.rows

    print(f"ecorule {ecorule.__version__}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    rulebook = ecorule.Rulebook.from_file(RULEBOOK)
    t0 = time.perf_counter()
    df = generate(n, seed=args.seed)
    print(f"generated {n:,} fishmeal audits x {df.shape[1]} columns in {time.perf_counter() - t0:.2f} s")
    rulebook.score_frame(df.head(1000))  # warm up (thread pool, imports)

    t_engine, cpu_engine, out = timed(lambda: rulebook.score_frame(df), args.repeat)
    print()
    print("score_frame (ecorule, Rust core, all cores):")
    print(f"  {t_engine:.3f} s wall, {cpu_engine:.3f} s CPU  ->  {n / t_engine:,.0f} audits/s"
          f"  ({cpu_engine / n * 1e6:.1f} us CPU per audit)")

    # Where score_frame's time goes: the native call (value conversion and
    # the core's scoring, GIL released) against the Python around it
    # (packing columns, building the result DataFrame).
    probe = ecorule.Rulebook.from_file(RULEBOOK)
    native = probe._native

    class Timed:
        seconds = 0.0

        def __getattr__(self, name: str) -> Any:
            return getattr(native, name)

        def score_columns(self, *args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return native.score_columns(*args)
            finally:
                Timed.seconds += time.perf_counter() - t0

    probe._native = Timed()  # type: ignore[assignment]
    t_probe, _, _ = timed(lambda: probe.score_frame(df), 1)
    print(f"  of which native scoring {Timed.seconds:.3f} s, Python packing and result {t_probe - Timed.seconds:.3f} s")

    t_records, _, records = timed(lambda: df.to_dict("records"), 1)
    t_base, cpu_base, base = timed(lambda: [score_audit(r) for r in records], 1)
    print("plain Python baseline (one thread, same clauses):")
    print(f"  {t_base:.3f} s scoring + {t_records:.3f} s df.to_dict('records')"
          f"  ->  {n / (t_base + t_records):,.0f} audits/s ({n / t_base:,.0f} without the conversion)")

    speedup = (t_base + t_records) / t_engine
    print()
    print(f"speed-up: {speedup:.1f}x the baseline ({t_base / t_engine:.1f}x its scoring alone)")

    # Same answers?
    ids = [c for c, _, _ in CLAUSES]
    statuses = np.stack([out[c].astype(str).to_numpy() for c in ids], axis=1)
    mismatches: List[int] = []
    for i, (st, score, grade, verdict, vetoes) in enumerate(base):
        if (
            list(statuses[i]) != st
            or out["score"].iat[i] != score
            or out["grade"].iat[i] != grade
            or out["verdict"].iat[i] != verdict
            or list(out["vetoes"].iat[i]) != vetoes
        ):
            mismatches.append(i)
    print(f"agreement: {n - len(mismatches):,} of {n:,} audits identical"
          f" (statuses of {len(ids)} clauses, score, grade, verdict, vetoes)")
    for i in mismatches[:5]:
        print(f"  differs at row {i}: engine {out.iloc[i, :8].to_dict()} / baseline {base[i][1:]}")

    # The engine on what the baseline cannot do: unknown facts.
    df_missing = generate(n, seed=args.seed, missing=0.05)
    t_missing, cpu_missing, out_missing = timed(lambda: rulebook.score_frame(df_missing), args.repeat)
    ranges = int((out_missing["score_min"] != out_missing["score_max"]).sum())
    print()
    print(f"score_frame with 5 % of facts unknown: {n / t_missing:,.0f} audits/s"
          f" ({cpu_missing / n * 1e6:.1f} us CPU per audit); {ranges:,} audits get a score range")

    # Full reports, for comparison.
    m = min(n, 10_000)
    audits = [{"audit": {"id": r["audit.id"], "date": r["audit.date"]},
               "facts": {k: v for k, v in r.items() if not k.startswith(("audit.", "enterprise."))}}
              for r in records[:m]]
    t_many, _, _ = timed(lambda: rulebook.score_many(audits), 1)
    print(f"score_many (full explained reports, from dicts): {m / t_many:,.0f} audits/s over {m:,}")

    print()
    print(f"targets: >= 200,000 audits/s -> {'met' if n / t_engine >= 200_000 else 'NOT met'};"
          f" >= 20x baseline -> {'met' if speedup >= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()

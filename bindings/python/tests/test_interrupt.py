"""Ctrl-C stops a long batch within a fraction of a second: the native
module scores a block at a time with the GIL released and looks for
signals between blocks (without that, KeyboardInterrupt waits for the whole
batch).

Ctrl-C is simulated with `_thread.interrupt_main()` from a timer thread,
which trips the same flag SIGINT does. Each test first times a small batch
and sizes the long one to take seconds, so that "stopped soon after the
interrupt" cannot be "finished anyway". Without the blocks, every one of
these tests fails: the interrupt waits for the end of the native call."""

from __future__ import annotations

import _thread
import json
import threading
import time
from typing import Any, Callable, Optional

import numpy as np
import pandas as pd
import pytest

import ecorule
from ecorule._rulebook import _pending

# When the interrupt comes, and how long the batch may go on after it
# (measured from when it was sent, so a timer thread held up on a busy
# machine does not count).
AFTER = 0.3
WITHIN = 1.0
# How long the whole batch would take (less when `sized` caps it).
LONG = 5.0


def seconds(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def interrupted(call: Callable[[], Any]) -> Optional[float]:
    """How long `call` went on after Ctrl-C (sent after `AFTER` seconds)
    before it stopped, or None if it ended first."""
    sent: list[float] = []

    def ctrl_c() -> None:
        sent.append(time.perf_counter())
        _thread.interrupt_main()

    timer = threading.Timer(AFTER, ctrl_c)
    try:
        timer.start()
        call()
        # Ended first: the interrupt, if it came, is raised here.
        timer.join()
        time.sleep(0.05)
        return None
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    finally:
        timer.cancel()


def sized(one: Callable[[int], Any], n: int, most: int = 10**9) -> int:
    """How many items make `one(count)` take `LONG` seconds or more, at
    most `most`: the test is skipped if that many take too little time to
    tell an interrupted batch from a finished one."""
    each = max(seconds(lambda: one(n)), 1e-3) / n
    count = max(n, int(LONG / each))
    if count > most and most * each < AFTER + WITHIN + 0.5:
        pytest.skip(f"scoring is too fast here for {most} items to take {AFTER + WITHIN + 0.5} s")
    return min(count, most)


SMALL = """rulebook small "小" en "Small" {
  facts {
    stack.height: quantity m "排气筒高度" en "stack height"
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

# Reports of SMALL are about 2 kB: a batch holds at most this many (1 GB).
MOST_AUDITS = 500_000


@pytest.mark.parametrize(
    "given,record",
    # JSON text is parsed while scored, with the GIL released; a dict is
    # converted first, with the GIL held.
    [("json", False), ("dict", True)],
)
def test_score_many_stops_at_ctrl_c(given: str, record: bool) -> None:
    rulebook = ecorule.Rulebook.from_source(SMALL, name="small.eco")
    audit: Any = {"audit": {"id": "T", "date": "2024-05-20"}, "facts": {"stack.height": 12}}
    if given == "json":
        audit = json.dumps(audit)
    # The native call alone: Python's own loops (reading each audit, making
    # each Report) would take Ctrl-C anyway.
    item = _pending(audit)

    def batch(n: int) -> Any:
        return rulebook._native.score_many([item] * n, False, record)

    batch(1000)  # warmed up
    n = sized(batch, 5000, MOST_AUDITS)
    took = interrupted(lambda: batch(n))
    assert took is not None, f"{n} audits were scored before the interrupt"
    assert took < WITHIN, f"KeyboardInterrupt came {took:.2f} s after Ctrl-C"


@pytest.mark.parametrize("on_error", ["raise", "record"])
def test_score_frame_stops_at_ctrl_c(fishmeal: ecorule.Rulebook, on_error: str) -> None:
    # Every fact unknown: each row is scored to a range, the slow way.
    def frame(n: int) -> Any:
        return fishmeal.score_frame(pd.DataFrame({"stack.height": np.full(n, np.nan)}), on_error=on_error)

    n = sized(frame, 5000)
    took = interrupted(lambda: frame(n))
    assert took is not None, f"{n} rows were scored before the interrupt"
    assert took < WITHIN, f"KeyboardInterrupt came {took:.2f} s after Ctrl-C"

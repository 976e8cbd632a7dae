"""Plausible random fishmeal audits as a DataFrame, one audit per row.

Every fact of rules/fishmeal/fishmeal.eco gets a column, named by fact,
in its declared unit (quantities as float64 with instrument-like
rounding, counts as int64, yes/no as bool, codes and dates as text).
The distributions centre on the sample audits in rules/fishmeal/audits
(a compliant plant) and spread past the limits, so every clause status
and verdict occurs. `missing` blanks that share of fact cells (NaN /
None), which makes clauses unknown and scores ranges.
"""

from __future__ import annotations

from typing import Any, Dict

import numpy as np
import pandas as pd

# Yes/no facts where `True` is the bad answer.
BAD_WHEN_TRUE = {
    "process.banned_equipment",
    "site.in_red_line",
    "site.open_air_material",
    "stickwater.to_wwtp",
    "liquor.direct_discharge",
    "hazwaste.illegal_disposal",
}
# Yes/no facts that describe the plant rather than its compliance: P(True).
NEUTRAL = {
    "plant.grinding": 0.8,
    "boiler.own": 0.6,
    "effluent.discharges": 0.7,
    "permit.cems_required": 0.5,
    "plant.night_operation": 0.5,
}
P_GOOD = 0.92
# Yes/no facts behind a one-vote veto: rarely bad.
VETO_FACTS = {
    "eia.approved", "eia.accepted", "permit.outfalls_match", "process.banned_equipment",
    "odour.running", "liquor.direct_discharge", "hazwaste.illegal_disposal",
    "hazwaste.receiver_licensed",
}
P_GOOD_VETO = 0.98

DESTINATIONS = [
    "surface_III", "sea_class2", "surface_IV", "surface_V", "sea_class3", "sewer_wwtp",
    "sewer_to_surface_III", "sewer_to_sea_class2", "sewer_to_surface_IV_V", "sewer_to_sea_class3",
]


def _dates(rng: np.random.Generator, n: int, start: str, days: int) -> np.ndarray:
    base = np.datetime64(start)
    offsets = rng.integers(0, days, n).astype("timedelta64[D]")
    return np.datetime_as_string(base + offsets, unit="D").astype(object)


def generate(n: int, seed: int = 0, missing: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def u(lo: float, hi: float, places: int = 1) -> np.ndarray:
        return np.round(rng.uniform(lo, hi, n), places)

    def counts(lam: float) -> np.ndarray:
        return rng.poisson(lam, n).astype(np.int64)

    def choice(options: Any, p: Any = None) -> np.ndarray:
        return rng.choice(np.array(options, dtype=object), n, p=p)

    cols: Dict[str, Any] = {
        "audit.id": np.char.add("2024-PT-FM-", np.arange(n).astype(str)).astype(object),
        "audit.date": _dates(rng, n, "2024-01-01", 366),
        "enterprise.name": choice(["蓝湾海洋生物", "桃花岛海味饲料", "东极鱼粉", "沈家门水产"]),
        "permit.valid_until": _dates(rng, n, "2024-04-01", 5 * 365),
        "dryer.type": choice(
            ["steam_indirect", "low_temp", "hot_air_indirect", "direct_fire", "open_air"],
            [0.47, 0.38, 0.12, 0.02, 0.01],
        ),
        "site.receptor_distance": u(150, 800, 0),
        "eia.protection_distance": choice([100.0, 200.0, 300.0]).astype(np.float64),
        "drains.cross_connections": counts(0.3),
        "raw.max_hold": u(4, 40, 0),
        "line.open_units": counts(0.3),
        "hall.air_changes": u(3, 12, 0),
        "dust.pm": u(5, 160, 1),
        "stickwater.recovery": u(0.8, 1.05, 2).clip(0, 1),
        "water.unit_use": u(3, 11, 1),
        "cooling.reuse_rate": u(0.6, 1.0, 2),
        "cp_audit.last": _dates(rng, n, "2017-01-01", 7 * 365),
        "vents.unducted": counts(0.2),
        "odour.plant": choice(
            ["none", "spray", "alkali_oxidation", "biofilter", "combined", "incinerator"],
            [0.05, 0.15, 0.25, 0.2, 0.3, 0.05],
        ),
        "odour.log_coverage": u(0.85, 1.15, 2).clip(0, 1),
        "stack.height": u(10, 45, 0),
        "stack.clearance": u(2, 12, 0),
        "stack.odour": u(300, 4000, 0),
        "stack.ammonia": u(0.5, 12, 1),
        "stack.h2s": u(0.02, 0.8, 2),
        "stack.tma": u(0.05, 1.2, 2),
        "site.air_zone": choice(["1", "2", "3"], [0.05, 0.6, 0.35]),
        "site.source_age": choice(["new", "existing"], [0.6, 0.4]),
        "boundary.odour": u(5, 24, 0),
        "boundary.ammonia": u(0.1, 1.7, 2),
        "boundary.h2s": u(0.005, 0.07, 3),
        "boundary.tma": u(0.01, 0.09, 3),
        "boiler.fuel": choice(["coal", "oil", "gas"], [0.2, 0.2, 0.6]),
        "boiler.table": choice(["1", "2", "3"], [0.2, 0.4, 0.4]),
        "boiler.o2": u(0.03, 0.15, 2),
        "boiler.pm": u(2, 32, 1),
        "boiler.so2": u(2, 60, 0),
        "boiler.nox": u(40, 220, 0),
        "boiler.ringelmann": rng.choice([0, 1, 2], n, p=[0.5, 0.45, 0.05]).astype(np.int64),
        "wwtp.capacity": u(150, 400, 0),
        "wwtp.peak_flow": u(100, 300, 0),
        "wwtp.log_coverage": u(0.7, 1.1, 2).clip(0, 1),
        "effluent.destination": choice(
            DESTINATIONS, [0.08, 0.08, 0.05, 0.05, 0.05, 0.53, 0.04, 0.04, 0.04, 0.04]
        ),
        "effluent.phosphate": u(0.1, 1.1, 2),
        "effluent.tp": u(0.5, 8.5, 1),
        "effluent.ph": u(6.0, 9.1, 1),
        "outfall.count": rng.choice([1, 2], n, p=[0.9, 0.1]).astype(np.int64),
        "rain.pond_volume": u(80, 250, 0),
        "rain.first_flush_volume": u(100, 200, 0),
        "hazwaste.transfers": counts(3),
        "site.noise_zone": choice(["1", "2", "3", "4"], [0.05, 0.25, 0.6, 0.1]),
        "noise.day": u(50, 68, 1),
        "noise.night": u(40, 58, 1),
        "noise.untreated_sources": counts(0.5),
        "ledger.completeness": u(0.7, 1.1, 2).clip(0, 1),
        "reports.late": counts(0.2),
        "monitoring.required": rng.choice([4, 12], n).astype(np.int64),
        "drill.last": _dates(rng, n, "2022-06-01", 3 * 365),
        "incidents.pollution": rng.choice([0, 1, 2, 4], n, p=[0.9, 0.07, 0.02, 0.01]).astype(np.int64),
    }
    # Effluent by destination: to a sewer and works (GB 8978 grade 3) or straight out (grades 1, 2).
    sewer = cols["effluent.destination"] == "sewer_wwtp"
    for fact, (lo3, hi3), (lo, hi), places in (
        ("effluent.cod", (150, 540), (30, 160), 0),
        ("effluent.bod5", (40, 320), (5, 35), 0),
        ("effluent.ss", (60, 420), (20, 160), 0),
        ("effluent.oil", (5, 105), (1, 16), 1),
        ("effluent.nh3n", (5, 36), (2, 16), 1),
    ):
        cols[fact] = np.where(sewer, u(lo3, hi3, places), u(lo, hi, places))
    transfers = cols["hazwaste.transfers"]
    cols["hazwaste.manifests"] = np.where(rng.random(n) < 0.9, transfers, np.maximum(transfers - 1, 0))
    required = cols["monitoring.required"]
    cols["monitoring.done"] = np.where(rng.random(n) < 0.85, required, rng.integers(0, 13, n))

    for name in _bool_facts():
        if name in NEUTRAL:
            cols[name] = rng.random(n) < NEUTRAL[name]
        else:
            good = P_GOOD_VETO if name in VETO_FACTS else P_GOOD
            bad = rng.random(n) >= good
            cols[name] = bad if name in BAD_WHEN_TRUE else ~bad

    df = pd.DataFrame(cols)
    if missing > 0:
        facts = [c for c in df.columns if not c.startswith(("audit.", "enterprise."))]
        for c in facts:
            blank = rng.random(n) < missing
            if not blank.any():
                continue
            if df[c].dtype == bool:
                df[c] = df[c].astype("boolean")
            elif df[c].dtype == np.int64:
                df[c] = df[c].astype("Int64")
            df.loc[blank, c] = None
    return df


def _bool_facts() -> list[str]:
    return [
        "eia.approved", "eia.accepted", "permit.outfalls_match", "process.banned_equipment",
        "site.in_park", "site.in_red_line", "drains.separated", "unloading.roofed",
        "unloading.seepage_proof", "unloading.trench", "site.open_air_material",
        "raw.cold_storage", "hall.enclosed", "hall.doors_self_closing", "plant.grinding",
        "dust.bag_filter", "stickwater.to_wwtp", "oil.separator", "oil.separator_running",
        "odour.condenser", "odour.running", "boiler.own", "liquor.direct_discharge",
        "wwtp.oil_trap", "wwtp.flotation", "wwtp.biological", "effluent.discharges",
        "outfall.sign", "outfall.sampling_port", "permit.cems_required", "cems.online",
        "hazwaste.identified", "hazwaste.plan_filed", "hw_store.signs", "hw_store.weatherproof",
        "hw_store.seepage_proof", "hazwaste.receiver_licensed", "hazwaste.illegal_disposal",
        "solid.storage_ok", "solid.ledger", "plant.night_operation", "env.manager",
        "env.rules", "env.procedures", "signs.outfall", "signs.board", "disclosure.done",
        "emergency.plan_filed", "emergency.pond",
    ]

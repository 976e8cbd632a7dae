"""The fishmeal rulebook re-implemented by hand in plain Python: the baseline.

What it covers: all 42 clauses of rules/fishmeal/fishmeal.eco (every
`when`, `require` and `partial`, the guards, the table look-ups of the
gb14554 / gb8978 / gb16297 / gb12348 / gb13271 / db33_887 modules with
their look-up rules), the incident deduction, `not_applicable rescale`,
rounding to two places (half away from zero), grades, vetoes and
verdicts. Its output per audit is what `score_frame` gives: the status of
every clause, the score, grade, verdict and vetoes.

What it leaves out, so compare it on audits that need none of it:
* unknown facts: it assumes every fact is given (no three-valued logic,
  no score range);
* units: values must already be in the declared units (no `"25 m"`, no
  `{value, unit}`, no conversion);
* type checking and error messages for malformed values;
* exact arithmetic: values, limits and products are Python floats, and a
  comparison against a computed limit (`1.2 * limit`, the O2 correction)
  allows a relative 1e-9 so that `1.2 * 0.9 <= 1.08` holds as it does
  exactly; points and the score are exact integers (half-points,
  hundredths). The benchmark counts any audit where it differs from the
  engine.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Tuple

PASS, PARTIAL, FAIL, NA = "pass", "partial", "fail", "not_applicable"

# ── module tables (rules/standards) ──
BOUNDARY = {  # gb14554 表1: (zone, source) -> (odour, ammonia, h2s, tma)
    ("1", "existing"): (10, 1.0, 0.03, 0.05),
    ("2", "new"): (20, 1.5, 0.06, 0.08),
    ("2", "existing"): (30, 2.0, 0.10, 0.15),
    ("3", "new"): (60, 4.0, 0.32, 0.45),
    ("3", "existing"): (70, 5.0, 0.60, 0.80),
}
AMMONIA_RATE = {15: 4.9, 20: 8.7, 25: 14, 30: 20, 35: 27, 40: 35, 60: 75}
TMA_RATE = {15: 0.54, 20: 0.97, 25: 1.5, 30: 2.2, 35: 3.0, 40: 3.9, 60: 8.7, 80: 15, 100: 24, 120: 35}
H2S_RATE = {15: 0.33, 20: 0.58, 25: 0.90, 30: 1.3, 35: 1.8, 40: 2.3, 60: 5.2, 80: 9.3, 100: 14, 120: 21}
STACK_ODOUR = {15: 2000, 25: 6000, 35: 15000, 40: 20000, 50: 40000, 60: 60000}
DISCHARGE_GRADE = {
    "surface_III": "1", "sea_class2": "1", "surface_IV": "2", "surface_V": "2", "sea_class3": "2",
    "sewer_wwtp": "3", "sewer_to_surface_III": "1", "sewer_to_sea_class2": "1",
    "sewer_to_surface_IV_V": "2", "sewer_to_sea_class3": "2",
}
GB8978 = {  # grade -> (cod, bod5, ss, animal/veg oil, ammonia N, phosphate)
    "1": (100, 20, 70, 10, 15, 0.5),
    "2": (150, 30, 150, 15, 25, 1.0),
    "3": (500, 300, 400, 100, None, None),
}
NOISE = {"0": (50, 40), "1": (55, 45), "2": (60, 50), "3": (65, 55), "4": (70, 55)}
BOILER = {  # (table, fuel) -> (particulate, so2, nox)
    ("1", "coal"): (80, 400, 400), ("1", "oil"): (60, 300, 400), ("1", "gas"): (30, 100, 400),
    ("2", "coal"): (50, 300, 300), ("2", "oil"): (30, 200, 250), ("2", "gas"): (20, 50, 200),
    ("3", "coal"): (30, 200, 200), ("3", "oil"): (30, 100, 200), ("3", "gas"): (20, 50, 150),
}
REFERENCE_O2 = {"coal": 0.09, "oil": 0.035, "gas": 0.035}
NH3N_INDIRECT, TP_INDIRECT = 35, 8  # db33_887
PARTICULATE_CONC, BUILDING_CLEARANCE, MIN_STACK = 120, 5, 15

# (id, points, veto) in rulebook order
CLAUSES: List[Tuple[str, int, bool]] = [
    ("FM01", 2, True), ("FM02", 2, True), ("FM03", 2, True), ("FM04", 2, False),
    ("FM05", 2, False), ("FM06", 2, False), ("FM07", 1, False), ("FM08", 1, False),
    ("FM09", 2, False), ("FM10", 2, False), ("FM11", 2, False), ("FM12", 2, False),
    ("FM13", 2, False), ("FM14", 3, False), ("FM15", 2, False), ("FM16", 1, False),
    ("FM17", 2, False), ("FM18", 2, False), ("FM19", 3, False), ("FM20", 4, True),
    ("FM21", 2, False), ("FM22", 3, True), ("FM23", 3, False), ("FM24", 3, True),
    ("FM25", 2, False), ("FM26", 3, True), ("FM27", 3, False), ("FM28", 4, True),
    ("FM29", 2, False), ("FM30", 2, False), ("FM31", 2, False), ("FM32", 2, False),
    ("FM33", 2, False), ("FM34", 2, True), ("FM35", 2, False), ("FM36", 2, False),
    ("FM37", 2, False), ("FM38", 3, False), ("FM39", 4, False), ("FM40", 3, False),
    ("FM41", 4, False), ("FM42", 4, False),
]


def nearest(table: Dict[int, Any], key: float) -> Any:
    """GB 14554 §6.1.2: the nearest listed height, rounded half up (四舍五入):
    a tie goes to the higher."""
    best = min(table, key=lambda k: (abs(k - key), -k))
    return table[best]


def years_before(day: date, years: int) -> date:
    """The same day `years` calendar years earlier; 29 February to 28."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def le(a: float, b: float) -> bool:
    """`a <= b` for a computed `b`, forgiving float rounding."""
    return a <= b + 1e-9 * abs(b)


def st(require: bool, partial: bool = False) -> str:
    if require:
        return PASS
    return PARTIAL if partial else FAIL


def score_audit(r: Dict[str, Any]) -> Tuple[List[str], float, str, str, List[str]]:
    """One audit (a dict of fact name → value) to (statuses, score, grade, verdict, vetoes)."""
    audit_date = date.fromisoformat(r["audit.date"])
    s: List[str] = []
    a = s.append
    # A1
    a(st(r["eia.approved"] and r["eia.accepted"]))
    a(st(r["permit.valid_until"] >= r["audit.date"] and r["permit.outfalls_match"]))
    a(st(not r["process.banned_equipment"] and r["dryer.type"] not in ("direct_fire", "open_air")))
    a(st(r["site.in_park"] and not r["site.in_red_line"]))
    # A2
    a(st(r["site.receptor_distance"] >= r["eia.protection_distance"]))
    cross = r["drains.cross_connections"]
    a(st(r["drains.separated"] and cross == 0, r["drains.separated"] and cross <= 1))
    roof_seal = r["unloading.roofed"] and r["unloading.seepage_proof"]
    a(st(roof_seal and r["unloading.trench"], roof_seal))
    a(st(not r["site.open_air_material"]))
    # A3
    hold = r["raw.max_hold"]
    a(st(r["raw.cold_storage"] or hold <= 24, hold <= 36))
    a(st(r["line.open_units"] == 0, r["line.open_units"] <= 1))
    dryer = r["dryer.type"]
    a(st(dryer in ("steam_indirect", "low_temp"), dryer == "hot_air_indirect"))
    hall = r["hall.enclosed"] and r["hall.air_changes"] >= 6
    a(st(hall and r["hall.doors_self_closing"], hall))
    if r["plant.grinding"]:
        bag, pm = r["dust.bag_filter"], r["dust.pm"]
        a(st(bag and pm <= PARTICULATE_CONC, bag and le(pm, 1.2 * PARTICULATE_CONC)))
    else:
        a(NA)
    # A4
    rec, to_wwtp = r["stickwater.recovery"], r["stickwater.to_wwtp"]
    a(st(rec >= 1 and not to_wwtp, rec >= 0.9 and not to_wwtp))
    a(st(r["oil.separator"] and r["oil.separator_running"], r["oil.separator"]))
    a(st(r["water.unit_use"] <= 8, le(r["water.unit_use"], 1.2 * 8)))
    a(st(r["cooling.reuse_rate"] >= 0.9, r["cooling.reuse_rate"] >= 0.7))
    a(st(date.fromisoformat(r["cp_audit.last"]) >= years_before(audit_date, 5)))
    # A5
    ducted = r["vents.unducted"] == 0
    a(st(ducted and r["odour.condenser"], ducted))
    plant_ok = r["odour.plant"] != "none" and r["odour.running"]
    cov = r["odour.log_coverage"]
    a(st(plant_ok and cov >= 1, plant_ok and cov >= 0.8))
    height = r["stack.height"]
    a(st(height >= MIN_STACK and r["stack.clearance"] >= BUILDING_CLEARANCE, height >= MIN_STACK))
    if height >= MIN_STACK:
        a(st(r["stack.odour"] <= nearest(STACK_ODOUR, height)))
        nh3, h2s, tma = nearest(AMMONIA_RATE, height), nearest(H2S_RATE, height), nearest(TMA_RATE, height)
        a(st(
            r["stack.ammonia"] <= nh3 and r["stack.h2s"] <= h2s and r["stack.tma"] <= tma,
            le(r["stack.ammonia"], 1.2 * nh3) and le(r["stack.h2s"], 1.2 * h2s) and le(r["stack.tma"], 1.2 * tma),
        ))
    else:
        a(NA)
        a(NA)
    limits = BOUNDARY.get((r["site.air_zone"], r["site.source_age"]))
    a(st(
        limits is not None
        and r["boundary.odour"] <= limits[0]
        and r["boundary.ammonia"] <= limits[1]
        and r["boundary.h2s"] <= limits[2]
        and r["boundary.tma"] <= limits[3]
    ))
    if r["boiler.own"]:
        fuel, o2 = r["boiler.fuel"], r["boiler.o2"]
        boiler = BOILER.get((r["boiler.table"], fuel))
        ok = boiler is not None and o2 < 0.21
        if ok and boiler is not None:
            factor = (0.21 - REFERENCE_O2[fuel]) / (0.21 - o2)
            ok = (
                le(r["boiler.pm"] * factor, boiler[0])
                and le(r["boiler.so2"] * factor, boiler[1])
                and le(r["boiler.nox"] * factor, boiler[2])
                and r["boiler.ringelmann"] <= 1
            )
        a(st(ok))
    else:
        a(NA)
    # A6
    a(st(not r["liquor.direct_discharge"]))
    stages = r["wwtp.oil_trap"] and r["wwtp.flotation"] and r["wwtp.biological"]
    cap, peak = r["wwtp.capacity"], r["wwtp.peak_flow"]
    a(st(stages and le(1.2 * peak, cap), stages and cap >= peak))
    if r["effluent.discharges"]:
        grade = DISCHARGE_GRADE.get(r["effluent.destination"])
        ok = grade is not None
        if ok and grade is not None:
            cod, bod5, ss, oil, nh3n, phosphate = GB8978[grade]
            ph = r["effluent.ph"]
            ok = (
                r["effluent.cod"] <= cod
                and r["effluent.bod5"] <= bod5
                and r["effluent.ss"] <= ss
                and r["effluent.oil"] <= oil
                and 6 <= ph <= 9
                and (grade == "3" or r["effluent.nh3n"] <= nh3n)
                and (grade == "3" or r["effluent.phosphate"] <= phosphate)
                and (grade != "3" or r["effluent.nh3n"] <= NH3N_INDIRECT)
                and (grade != "3" or r["effluent.tp"] <= TP_INDIRECT)
            )
        a(st(ok))
        one = r["outfall.count"] == 1
        a(st(
            one and r["outfall.sign"] and r["outfall.sampling_port"]
            and (not r["permit.cems_required"] or r["cems.online"]),
            one,
        ))
    else:
        a(NA)
        a(NA)
    pond, flush = r["rain.pond_volume"], r["rain.first_flush_volume"]
    a(st(pond >= flush, le(0.8 * flush, pond)))
    a(st(r["wwtp.log_coverage"] >= 1, r["wwtp.log_coverage"] >= 0.8))
    # A7
    a(st(r["hazwaste.identified"] and r["hazwaste.plan_filed"], r["hazwaste.identified"]))
    dry = r["hw_store.weatherproof"] and r["hw_store.seepage_proof"]
    a(st(r["hw_store.signs"] and dry, dry))
    a(st(
        not r["hazwaste.illegal_disposal"]
        and r["hazwaste.receiver_licensed"]
        and r["hazwaste.manifests"] >= r["hazwaste.transfers"]
    ))
    a(st(r["solid.storage_ok"] and r["solid.ledger"], r["solid.storage_ok"] or r["solid.ledger"]))
    # A8
    noise = NOISE.get(r["site.noise_zone"])
    a(st(
        noise is not None
        and r["noise.day"] <= noise[0]
        and (not r["plant.night_operation"] or r["noise.night"] <= noise[1])
    ))
    a(st(r["noise.untreated_sources"] == 0, r["noise.untreated_sources"] <= 2))
    # A9
    a(st(
        r["env.manager"] and r["env.rules"] and r["env.procedures"],
        r["env.manager"] and (r["env.rules"] or r["env.procedures"]),
    ))
    comp, late = r["ledger.completeness"], r["reports.late"]
    a(st(comp >= 1 and late == 0, comp >= 0.8 and late <= 1))
    so, sb, dd = r["signs.outfall"], r["signs.board"], r["disclosure.done"]
    a(st(so and sb and dd, (so and sb) or (so and dd) or (sb and dd)))
    # A10
    done, req = r["monitoring.done"], r["monitoring.required"]
    a(st(done >= req, done * 2 >= req))
    plan_pond = r["emergency.plan_filed"] and r["emergency.pond"]
    drilled = date.fromisoformat(r["drill.last"]) >= years_before(audit_date, 1)
    a(st(plan_pond and drilled, plan_pond))

    # scoring: half-points, rescale over applicable clauses
    earned2 = applicable2 = 0
    vetoes: List[str] = []
    for (cid, points, veto), status in zip(CLAUSES, s):
        if status == NA:
            continue
        applicable2 += 2 * points
        if status == PASS:
            earned2 += 2 * points
        elif status == PARTIAL:
            earned2 += points
        elif veto:
            vetoes.append(cid)
    deduction = min(10 * r["incidents.pollution"], 30)
    numer = earned2 * 10000 - deduction * 100 * applicable2
    hundredths = 0
    if numer > 0 and applicable2:
        q, rem = divmod(numer, applicable2)
        hundredths = q + (1 if 2 * rem >= applicable2 else 0)
    # A failed veto grades the audit fail, whatever its score.
    if vetoes:
        grade = "fail"
    elif hundredths >= 9000:
        grade = "excellent"
    elif hundredths >= 8000:
        grade = "good"
    elif hundredths >= 7000:
        grade = "pass"
    else:
        grade = "fail"
    if any(v in ("FM01", "FM02", "FM03") for v in vetoes):
        verdict = "ban"
    elif vetoes or hundredths < 7000:
        verdict = "rectify"
    else:
        verdict = "standardize"
    return s, hundredths / 100, grade, verdict, vetoes

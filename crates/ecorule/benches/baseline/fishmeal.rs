//! The fishmeal checklist (`rules/fishmeal/fishmeal.eco`, FM01–FM42) hand
//! written in plain Rust: the yardstick for the engine's `summary`.
//!
//! This is the fastest straightforward code a Rust developer would write
//! for this one checklist: a struct of typed fields (`Option` for a fact
//! the audit may leave out), one `match`/`if` chain per clause, the
//! standards' tables as `match`es and small slices, `f64` arithmetic.
//!
//! Every number is transcribed from the rulebook and from
//! `rules/standards/{gb14554,gb8978,gb16297,gb12348,gb13271,db33_887}.eco`;
//! the bench checks at start-up that this scores every sample audit exactly
//! as the engine does.
//!
//! What it does not do (the engine does):
//! * exact rational arithmetic: `f64` here, so a value lying exactly on a
//!   limit after a product (`1.2 × 14 kg/h`) could round the other way;
//! * bounds over unknown facts: a clause that reads a missing fact makes
//!   the whole result `None` ("not determined"), where the engine works
//!   out the exact lowest and highest score (Kleene logic, Dinkelbach);
//! * explanations, traces, rectification items, unit checking of the
//!   rulebook. It computes clause statuses, points with partial credit,
//!   rescaling for not-applicable clauses, the deduction, grade and verdict.
//!
//! Binding (JSON → [`FishmealAudit`]) is [`FishmealAudit::from_json`] /
//! [`FishmealAudit::from_value`], kept out of [`score`].

use chrono::{Months, NaiveDate};
use serde::Deserialize;
use serde::de::{self, Deserializer};

// ───────────────────────── facts ─────────────────────────

/// `dryer.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dryer {
    SteamIndirect,
    LowTemp,
    HotAirIndirect,
    DirectFire,
    OpenAir,
}

/// `odour.plant`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OdourPlant {
    None,
    Spray,
    AlkaliOxidation,
    Biofilter,
    Combined,
    Incinerator,
}

/// Text facts the rulebook compares against a fixed set of keys become
/// enums with an `Other` variant for any text outside the set (the guard
/// `*_known` lets then fail, exactly as the engine's `in [...]` does).
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant,)*
            /// Any other text.
            Other,
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Ok(match text.as_str() {
                    $($text => $name::$variant,)*
                    _ => $name::Other,
                })
            }
        }
    };
}

text_enum!(
    /// `site.air_zone`: GB 3095 class.
    AirZone { Z1 = "1", Z2 = "2", Z3 = "3" }
);
text_enum!(
    /// `site.source_age`.
    SourceAge { New = "new", Existing = "existing" }
);
text_enum!(
    /// `boiler.fuel`.
    Fuel { Coal = "coal", Oil = "oil", Gas = "gas" }
);
text_enum!(
    /// `boiler.table`: GB 13271 table 1, 2 or 3.
    BoilerTable { T1 = "1", T2 = "2", T3 = "3" }
);
text_enum!(
    /// `effluent.destination`: the GB 8978 §4.1 keys.
    Destination {
        SurfaceIII = "surface_III",
        SeaClass2 = "sea_class2",
        SurfaceIV = "surface_IV",
        SurfaceV = "surface_V",
        SeaClass3 = "sea_class3",
        SewerWwtp = "sewer_wwtp",
        SewerToSurfaceIII = "sewer_to_surface_III",
        SewerToSeaClass2 = "sewer_to_sea_class2",
        SewerToSurfaceIVV = "sewer_to_surface_IV_V",
        SewerToSeaClass3 = "sewer_to_sea_class3",
    }
);
text_enum!(
    /// `site.noise_zone`: GB 3096 class.
    NoiseZone { Z0 = "0", Z1 = "1", Z2 = "2", Z3 = "3", Z4 = "4" }
);

/// One fishmeal audit, every fact typed; `None` = not given (unknown).
/// Quantities are `f64` in the rulebook's declared unit (named in the
/// field's deserializer); shares (`%`) are fractions; dates are dates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[rustfmt::skip]
pub struct FishmealAudit {
    #[serde(rename = "audit.date", default, deserialize_with = "date")] pub audit_date: Option<NaiveDate>,
    // A1
    #[serde(rename = "eia.approved")] pub eia_approved: Option<bool>,
    #[serde(rename = "eia.accepted")] pub eia_accepted: Option<bool>,
    #[serde(rename = "permit.valid_until", default, deserialize_with = "date")] pub permit_valid_until: Option<NaiveDate>,
    #[serde(rename = "permit.outfalls_match")] pub permit_outfalls_match: Option<bool>,
    #[serde(rename = "process.banned_equipment")] pub process_banned_equipment: Option<bool>,
    #[serde(rename = "dryer.type")] pub dryer_type: Option<Dryer>,
    #[serde(rename = "site.in_park")] pub site_in_park: Option<bool>,
    #[serde(rename = "site.in_red_line")] pub site_in_red_line: Option<bool>,
    // A2
    #[serde(rename = "site.receptor_distance", default, deserialize_with = "q_m")] pub site_receptor_distance: Option<f64>,
    #[serde(rename = "eia.protection_distance", default, deserialize_with = "q_m")] pub eia_protection_distance: Option<f64>,
    #[serde(rename = "drains.separated")] pub drains_separated: Option<bool>,
    #[serde(rename = "drains.cross_connections", default, deserialize_with = "number")] pub drains_cross_connections: Option<f64>,
    #[serde(rename = "unloading.roofed")] pub unloading_roofed: Option<bool>,
    #[serde(rename = "unloading.seepage_proof")] pub unloading_seepage_proof: Option<bool>,
    #[serde(rename = "unloading.trench")] pub unloading_trench: Option<bool>,
    #[serde(rename = "site.open_air_material")] pub site_open_air_material: Option<bool>,
    // A3
    #[serde(rename = "raw.cold_storage")] pub raw_cold_storage: Option<bool>,
    #[serde(rename = "raw.max_hold", default, deserialize_with = "q_h")] pub raw_max_hold: Option<f64>,
    #[serde(rename = "line.open_units", default, deserialize_with = "number")] pub line_open_units: Option<f64>,
    #[serde(rename = "hall.enclosed")] pub hall_enclosed: Option<bool>,
    #[serde(rename = "hall.air_changes", default, deserialize_with = "number")] pub hall_air_changes: Option<f64>,
    #[serde(rename = "hall.doors_self_closing")] pub hall_doors_self_closing: Option<bool>,
    #[serde(rename = "plant.grinding")] pub plant_grinding: Option<bool>,
    #[serde(rename = "dust.bag_filter")] pub dust_bag_filter: Option<bool>,
    #[serde(rename = "dust.pm", default, deserialize_with = "q_mg_m3")] pub dust_pm: Option<f64>,
    // A4
    #[serde(rename = "stickwater.recovery", default, deserialize_with = "number")] pub stickwater_recovery: Option<f64>,
    #[serde(rename = "stickwater.to_wwtp")] pub stickwater_to_wwtp: Option<bool>,
    #[serde(rename = "oil.separator")] pub oil_separator: Option<bool>,
    #[serde(rename = "oil.separator_running")] pub oil_separator_running: Option<bool>,
    #[serde(rename = "water.unit_use", default, deserialize_with = "q_m3_t")] pub water_unit_use: Option<f64>,
    #[serde(rename = "cooling.reuse_rate", default, deserialize_with = "number")] pub cooling_reuse_rate: Option<f64>,
    #[serde(rename = "cp_audit.last", default, deserialize_with = "date")] pub cp_audit_last: Option<NaiveDate>,
    // A5
    #[serde(rename = "vents.unducted", default, deserialize_with = "number")] pub vents_unducted: Option<f64>,
    #[serde(rename = "odour.condenser")] pub odour_condenser: Option<bool>,
    #[serde(rename = "odour.plant")] pub odour_plant: Option<OdourPlant>,
    #[serde(rename = "odour.running")] pub odour_running: Option<bool>,
    #[serde(rename = "odour.log_coverage", default, deserialize_with = "number")] pub odour_log_coverage: Option<f64>,
    #[serde(rename = "stack.height", default, deserialize_with = "q_m")] pub stack_height: Option<f64>,
    #[serde(rename = "stack.clearance", default, deserialize_with = "q_m")] pub stack_clearance: Option<f64>,
    #[serde(rename = "stack.odour", default, deserialize_with = "number")] pub stack_odour: Option<f64>,
    #[serde(rename = "stack.ammonia", default, deserialize_with = "q_kg_h")] pub stack_ammonia: Option<f64>,
    #[serde(rename = "stack.h2s", default, deserialize_with = "q_kg_h")] pub stack_h2s: Option<f64>,
    #[serde(rename = "stack.tma", default, deserialize_with = "q_kg_h")] pub stack_tma: Option<f64>,
    #[serde(rename = "site.air_zone")] pub site_air_zone: Option<AirZone>,
    #[serde(rename = "site.source_age")] pub site_source_age: Option<SourceAge>,
    #[serde(rename = "boundary.odour", default, deserialize_with = "number")] pub boundary_odour: Option<f64>,
    #[serde(rename = "boundary.ammonia", default, deserialize_with = "q_mg_m3")] pub boundary_ammonia: Option<f64>,
    #[serde(rename = "boundary.h2s", default, deserialize_with = "q_mg_m3")] pub boundary_h2s: Option<f64>,
    #[serde(rename = "boundary.tma", default, deserialize_with = "q_mg_m3")] pub boundary_tma: Option<f64>,
    #[serde(rename = "boiler.own")] pub boiler_own: Option<bool>,
    #[serde(rename = "boiler.fuel")] pub boiler_fuel: Option<Fuel>,
    #[serde(rename = "boiler.table")] pub boiler_table: Option<BoilerTable>,
    #[serde(rename = "boiler.o2", default, deserialize_with = "number")] pub boiler_o2: Option<f64>,
    #[serde(rename = "boiler.pm", default, deserialize_with = "q_mg_m3")] pub boiler_pm: Option<f64>,
    #[serde(rename = "boiler.so2", default, deserialize_with = "q_mg_m3")] pub boiler_so2: Option<f64>,
    #[serde(rename = "boiler.nox", default, deserialize_with = "q_mg_m3")] pub boiler_nox: Option<f64>,
    #[serde(rename = "boiler.ringelmann", default, deserialize_with = "number")] pub boiler_ringelmann: Option<f64>,
    // A6
    #[serde(rename = "liquor.direct_discharge")] pub liquor_direct_discharge: Option<bool>,
    #[serde(rename = "wwtp.oil_trap")] pub wwtp_oil_trap: Option<bool>,
    #[serde(rename = "wwtp.flotation")] pub wwtp_flotation: Option<bool>,
    #[serde(rename = "wwtp.biological")] pub wwtp_biological: Option<bool>,
    #[serde(rename = "wwtp.capacity", default, deserialize_with = "q_m3_d")] pub wwtp_capacity: Option<f64>,
    #[serde(rename = "wwtp.peak_flow", default, deserialize_with = "q_m3_d")] pub wwtp_peak_flow: Option<f64>,
    #[serde(rename = "wwtp.log_coverage", default, deserialize_with = "number")] pub wwtp_log_coverage: Option<f64>,
    #[serde(rename = "effluent.discharges")] pub effluent_discharges: Option<bool>,
    #[serde(rename = "effluent.destination")] pub effluent_destination: Option<Destination>,
    #[serde(rename = "effluent.cod", default, deserialize_with = "q_mg_l")] pub effluent_cod: Option<f64>,
    #[serde(rename = "effluent.bod5", default, deserialize_with = "q_mg_l")] pub effluent_bod5: Option<f64>,
    #[serde(rename = "effluent.ss", default, deserialize_with = "q_mg_l")] pub effluent_ss: Option<f64>,
    #[serde(rename = "effluent.oil", default, deserialize_with = "q_mg_l")] pub effluent_oil: Option<f64>,
    #[serde(rename = "effluent.nh3n", default, deserialize_with = "q_mg_l")] pub effluent_nh3n: Option<f64>,
    #[serde(rename = "effluent.phosphate", default, deserialize_with = "q_mg_l")] pub effluent_phosphate: Option<f64>,
    #[serde(rename = "effluent.tp", default, deserialize_with = "q_mg_l")] pub effluent_tp: Option<f64>,
    #[serde(rename = "effluent.ph", default, deserialize_with = "number")] pub effluent_ph: Option<f64>,
    #[serde(rename = "outfall.count", default, deserialize_with = "number")] pub outfall_count: Option<f64>,
    #[serde(rename = "outfall.sign")] pub outfall_sign: Option<bool>,
    #[serde(rename = "outfall.sampling_port")] pub outfall_sampling_port: Option<bool>,
    #[serde(rename = "permit.cems_required")] pub permit_cems_required: Option<bool>,
    #[serde(rename = "cems.online")] pub cems_online: Option<bool>,
    #[serde(rename = "rain.pond_volume", default, deserialize_with = "q_m3")] pub rain_pond_volume: Option<f64>,
    #[serde(rename = "rain.first_flush_volume", default, deserialize_with = "q_m3")] pub rain_first_flush_volume: Option<f64>,
    // A7
    #[serde(rename = "hazwaste.identified")] pub hazwaste_identified: Option<bool>,
    #[serde(rename = "hazwaste.plan_filed")] pub hazwaste_plan_filed: Option<bool>,
    #[serde(rename = "hw_store.signs")] pub hw_store_signs: Option<bool>,
    #[serde(rename = "hw_store.weatherproof")] pub hw_store_weatherproof: Option<bool>,
    #[serde(rename = "hw_store.seepage_proof")] pub hw_store_seepage_proof: Option<bool>,
    #[serde(rename = "hazwaste.transfers", default, deserialize_with = "number")] pub hazwaste_transfers: Option<f64>,
    #[serde(rename = "hazwaste.manifests", default, deserialize_with = "number")] pub hazwaste_manifests: Option<f64>,
    #[serde(rename = "hazwaste.receiver_licensed")] pub hazwaste_receiver_licensed: Option<bool>,
    #[serde(rename = "hazwaste.illegal_disposal")] pub hazwaste_illegal_disposal: Option<bool>,
    #[serde(rename = "solid.storage_ok")] pub solid_storage_ok: Option<bool>,
    #[serde(rename = "solid.ledger")] pub solid_ledger: Option<bool>,
    // A8
    #[serde(rename = "site.noise_zone")] pub site_noise_zone: Option<NoiseZone>,
    #[serde(rename = "noise.day", default, deserialize_with = "q_dba")] pub noise_day: Option<f64>,
    #[serde(rename = "noise.night", default, deserialize_with = "q_dba")] pub noise_night: Option<f64>,
    #[serde(rename = "plant.night_operation")] pub plant_night_operation: Option<bool>,
    #[serde(rename = "noise.untreated_sources", default, deserialize_with = "number")] pub noise_untreated_sources: Option<f64>,
    // A9
    #[serde(rename = "env.manager")] pub env_manager: Option<bool>,
    #[serde(rename = "env.rules")] pub env_rules: Option<bool>,
    #[serde(rename = "env.procedures")] pub env_procedures: Option<bool>,
    #[serde(rename = "ledger.completeness", default, deserialize_with = "number")] pub ledger_completeness: Option<f64>,
    #[serde(rename = "reports.late", default, deserialize_with = "number")] pub reports_late: Option<f64>,
    #[serde(rename = "signs.outfall")] pub signs_outfall: Option<bool>,
    #[serde(rename = "signs.board")] pub signs_board: Option<bool>,
    #[serde(rename = "disclosure.done")] pub disclosure_done: Option<bool>,
    // A10
    #[serde(rename = "monitoring.done", default, deserialize_with = "number")] pub monitoring_done: Option<f64>,
    #[serde(rename = "monitoring.required", default, deserialize_with = "number")] pub monitoring_required: Option<f64>,
    #[serde(rename = "emergency.plan_filed")] pub emergency_plan_filed: Option<bool>,
    #[serde(rename = "drill.last", default, deserialize_with = "date")] pub drill_last: Option<NaiveDate>,
    #[serde(rename = "emergency.pond")] pub emergency_pond: Option<bool>,
    // deductions
    #[serde(rename = "incidents.pollution", default, deserialize_with = "number")] pub incidents_pollution: Option<f64>,
}

// ───────────────────────── binding (outside the timed loop) ─────────────────────────

impl FishmealAudit {
    /// Parses an audit file (`{"audit": {...}, "facts": {...}}`, facts flat
    /// or nested) into the struct.
    pub fn from_json(text: &str) -> Result<FishmealAudit, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        FishmealAudit::from_value(&value)
    }

    /// Binds an already parsed audit: flattens nested fact groups to dotted
    /// names, adds `audit.date`, and deserializes into the struct.
    pub fn from_value(value: &serde_json::Value) -> Result<FishmealAudit, String> {
        let mut flat = serde_json::Map::new();
        if let Some(date) = value.get("audit").and_then(|a| a.get("date")) {
            flat.insert("audit.date".to_string(), date.clone());
        }
        if let Some(serde_json::Value::Object(facts)) = value.get("facts") {
            flatten("", facts, &mut flat);
        }
        serde_json::from_value(serde_json::Value::Object(flat)).map_err(|e| e.to_string())
    }
}

fn flatten(
    prefix: &str,
    map: &serde_json::Map<String, serde_json::Value>,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    for (key, value) in map {
        let name = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            // a group of facts, not a `{"value": …, "unit": …}` quantity
            serde_json::Value::Object(inner) if !inner.contains_key("value") => flatten(&name, inner, out),
            other => {
                out.insert(name, other.clone());
            }
        }
    }
}

/// Factor from `given` to `unit`, for the units a fishmeal audit uses.
fn unit_factor(given: &str, unit: &str) -> Option<f64> {
    let canon = |u: &str| u.replace('3', "³").replace("ug", "µg");
    let (given, unit) = (canon(given.trim()), canon(unit));
    if given == unit {
        return Some(1.0);
    }
    let table: &[(&str, &str, f64)] = &[
        ("cm", "m", 0.01),
        ("mm", "m", 0.001),
        ("km", "m", 1000.0),
        ("min", "h", 1.0 / 60.0),
        ("d", "h", 24.0),
        ("day", "h", 24.0),
        ("days", "h", 24.0),
        ("g/m³", "mg/m³", 1000.0),
        ("µg/m³", "mg/m³", 0.001),
        ("g/L", "mg/L", 1000.0),
        ("g/h", "kg/h", 0.001),
        ("t/h", "kg/h", 1000.0),
        ("L/t", "m³/t", 0.001),
        ("m³/h", "m³/d", 24.0),
        ("L", "m³", 0.001),
    ];
    table.iter().find(|(g, u, _)| *g == given && *u == unit).map(|(_, _, f)| *f)
}

fn quantity<'de, D: Deserializer<'de>>(d: D, unit: &str) -> Result<Option<f64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let (number, given) = match &value {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::Number(n)) => (n.as_f64(), unit.to_string()),
        Some(serde_json::Value::String(s)) => {
            let s = s.trim();
            let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'));
            match split {
                Some(i) => {
                    (s.get(..i).and_then(|n| n.trim().parse().ok()), s.get(i..).unwrap_or("").trim().to_string())
                }
                None => (s.parse().ok(), unit.to_string()),
            }
        }
        Some(serde_json::Value::Object(o)) => (
            o.get("value").and_then(serde_json::Value::as_f64),
            o.get("unit").and_then(|u| u.as_str()).unwrap_or(unit).to_string(),
        ),
        Some(other) => return Err(de::Error::custom(format!("expected a quantity in {unit}, got {other}"))),
    };
    let number = number.ok_or_else(|| de::Error::custom(format!("expected a quantity in {unit}, got {value:?}")))?;
    let factor = unit_factor(&given, unit)
        .ok_or_else(|| de::Error::custom(format!("cannot convert `{given}` to {unit} (baseline knows few units)")))?;
    Ok(Some(number * factor))
}

macro_rules! quantity_fns {
    ($($name:ident => $unit:literal),* $(,)?) => {
        $(fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> { quantity(d, $unit) })*
    };
}

quantity_fns!(
    q_m => "m",
    q_h => "h",
    q_mg_m3 => "mg/m³",
    q_kg_h => "kg/h",
    q_m3_t => "m³/t",
    q_m3_d => "m³/d",
    q_m3 => "m³",
    q_mg_l => "mg/L",
    q_dba => "dB(A)",
);

/// A dimensionless number: `12`, `0.95`, `"95 %"`, `"3 ‰"`.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(n.as_f64()),
        Some(serde_json::Value::String(s)) => {
            let s = s.trim();
            let (text, scale) = if let Some(t) = s.strip_suffix('%') {
                (t, 0.01)
            } else if let Some(t) = s.strip_suffix('‰') {
                (t, 0.001)
            } else {
                (s, 1.0)
            };
            text.trim()
                .parse::<f64>()
                .map(|n| Some(n * scale))
                .map_err(|_| de::Error::custom(format!("not a number: {s:?}")))
        }
        Some(other) => Err(de::Error::custom(format!("expected a number, got {other}"))),
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d").map(Some).map_err(|e| de::Error::custom(format!("{s}: {e}")))
        }
    }
}

// ───────────────────────── tables (rules/standards/*.eco) ─────────────────────────

/// A `nearest` table: the nearest listed key, a tie to the higher key, above
/// the last row the last row (rows ascending).
fn nearest(rows: &[(f64, f64)], key: f64) -> f64 {
    let mut below: Option<(f64, f64)> = None;
    for &(k, v) in rows {
        if key <= k {
            return match below {
                Some((bk, bv)) if key - bk < k - key => bv,
                _ => v,
            };
        }
        below = Some((k, v));
    }
    below.map_or(f64::NAN, |(_, v)| v)
}

mod gb14554 {
    //! GB 14554-93 (rules/standards/gb14554.eco).
    use super::{AirZone, SourceAge};

    pub const MIN_STACK_HEIGHT: f64 = 15.0; // m, §6.1.1

    /// Table 2 stack rates, kg/h by height (m), `nearest`.
    pub const AMMONIA_RATE: &[(f64, f64)] =
        &[(15.0, 4.9), (20.0, 8.7), (25.0, 14.0), (30.0, 20.0), (35.0, 27.0), (40.0, 35.0), (60.0, 75.0)];
    pub const TMA_RATE: &[(f64, f64)] = &[
        (15.0, 0.54),
        (20.0, 0.97),
        (25.0, 1.5),
        (30.0, 2.2),
        (35.0, 3.0),
        (40.0, 3.9),
        (60.0, 8.7),
        (80.0, 15.0),
        (100.0, 24.0),
        (120.0, 35.0),
    ];
    pub const H2S_RATE: &[(f64, f64)] = &[
        (15.0, 0.33),
        (20.0, 0.58),
        (25.0, 0.90),
        (30.0, 1.3),
        (35.0, 1.8),
        (40.0, 2.3),
        (60.0, 5.2),
        (80.0, 9.3),
        (100.0, 14.0),
        (120.0, 21.0),
    ];
    /// Table 2 odour concentration (dimensionless) by height, `nearest`.
    pub const STACK_ODOUR: &[(f64, f64)] =
        &[(15.0, 2000.0), (25.0, 6000.0), (35.0, 15000.0), (40.0, 20000.0), (50.0, 40000.0), (60.0, 60000.0)];

    /// Table 1 boundary limits (odour, NH3 mg/m³, H2S mg/m³, TMA mg/m³),
    /// `exact`: `None` for a key the table does not list.
    pub fn boundary(zone: AirZone, source: SourceAge) -> Option<(f64, f64, f64, f64)> {
        use AirZone::*;
        use SourceAge::*;
        Some(match (zone, source) {
            (Z1, Existing) => (10.0, 1.0, 0.03, 0.05),
            (Z2, New) => (20.0, 1.5, 0.06, 0.08),
            (Z2, Existing) => (30.0, 2.0, 0.10, 0.15),
            (Z3, New) => (60.0, 4.0, 0.32, 0.45),
            (Z3, Existing) => (70.0, 5.0, 0.60, 0.80),
            _ => return None,
        })
    }
}

mod gb8978 {
    //! GB 8978-1996 (rules/standards/gb8978.eco), Table 4 "其他排污单位".
    use super::Destination;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Grade {
        G1,
        G2,
        G3,
    }

    /// §4.1 `discharge_grade`, `exact`.
    pub fn discharge_grade(d: Destination) -> Option<Grade> {
        use Destination::*;
        Some(match d {
            SurfaceIII | SeaClass2 | SewerToSurfaceIII | SewerToSeaClass2 => Grade::G1,
            SurfaceIV | SurfaceV | SeaClass3 | SewerToSurfaceIVV | SewerToSeaClass3 => Grade::G2,
            SewerWwtp => Grade::G3,
            Other => return None,
        })
    }

    /// (COD, BOD5, SS, animal/vegetable oil), mg/L.
    pub fn limits(g: Grade) -> (f64, f64, f64, f64) {
        match g {
            Grade::G1 => (100.0, 20.0, 70.0, 10.0),
            Grade::G2 => (150.0, 30.0, 150.0, 15.0),
            Grade::G3 => (500.0, 300.0, 400.0, 100.0),
        }
    }

    /// (NH3-N, phosphate as P), mg/L: no grade-3 row.
    pub fn nutrients(g: Grade) -> Option<(f64, f64)> {
        match g {
            Grade::G1 => Some((15.0, 0.5)),
            Grade::G2 => Some((25.0, 1.0)),
            Grade::G3 => None,
        }
    }

    pub const PH_MIN: f64 = 6.0;
    pub const PH_MAX: f64 = 9.0;
}

mod gb16297 {
    //! GB 16297-1996 (rules/standards/gb16297.eco).
    pub const PARTICULATE_CONC: f64 = 120.0; // mg/m³
    pub const BUILDING_CLEARANCE: f64 = 5.0; // m, §7.1
}

mod gb12348 {
    //! GB 12348-2008 (rules/standards/gb12348.eco), Table 1.
    use super::NoiseZone;

    /// (day, night) limits in dB(A), `exact`.
    pub fn limits(zone: NoiseZone) -> Option<(f64, f64)> {
        use NoiseZone::*;
        Some(match zone {
            Z0 => (50.0, 40.0),
            Z1 => (55.0, 45.0),
            Z2 => (60.0, 50.0),
            Z3 => (65.0, 55.0),
            Z4 => (70.0, 55.0),
            Other => return None,
        })
    }
}

mod gb13271 {
    //! GB 13271-2014 (rules/standards/gb13271.eco).
    use super::{BoilerTable, Fuel};

    /// (particulate, SO2, NOx) in mg/m³ at reference O2, `exact`.
    pub fn limits(table: BoilerTable, fuel: Fuel) -> Option<(f64, f64, f64)> {
        use BoilerTable::*;
        use Fuel::*;
        Some(match (table, fuel) {
            (T1, Coal) => (80.0, 400.0, 400.0),
            (T1, Oil) => (60.0, 300.0, 400.0),
            (T1, Gas) => (30.0, 100.0, 400.0),
            (T2, Coal) => (50.0, 300.0, 300.0),
            (T2, Oil) => (30.0, 200.0, 250.0),
            (T2, Gas) => (20.0, 50.0, 200.0),
            (T3, Coal) => (30.0, 200.0, 200.0),
            (T3, Oil) => (30.0, 100.0, 200.0),
            (T3, Gas) => (20.0, 50.0, 150.0),
            _ => return None,
        })
    }

    /// Reference O2 (fraction) by fuel.
    pub fn reference_o2(fuel: Fuel) -> Option<f64> {
        match fuel {
            Fuel::Coal => Some(0.09),
            Fuel::Oil | Fuel::Gas => Some(0.035),
            Fuel::Other => None,
        }
    }

    pub const RINGELMANN_MAX: f64 = 1.0;
}

mod db33_887 {
    //! DB33/887-2013 (rules/standards/db33_887.eco; values unverified there).
    pub const AMMONIA_NITROGEN: f64 = 35.0; // mg/L
    pub const TOTAL_PHOSPHORUS: f64 = 8.0; // mg/L
}

// ───────────────────────── the rulebook's own parameters ─────────────────────────

const RAW_HOLD_MAX: f64 = 24.0; // h
const HALL_AIR_CHANGES_MIN: f64 = 6.0;
const UNIT_WATER_MAX: f64 = 8.0; // m³/t
const COOLING_REUSE_MIN: f64 = 0.90;
const CP_AUDIT_INTERVAL: Months = Months::new(5 * 12); // 5 a, calendar years
const WWTP_MARGIN: f64 = 1.2;
const DRILL_INTERVAL: Months = Months::new(12); // 1 a
const NEAR_LIMIT: f64 = 1.2;
const PARTIAL: f64 = 0.5;

// ───────────────────────── scoring ─────────────────────────

/// A clause's status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum St {
    Pass,
    /// Partial credit, as a fraction of the points.
    Partial(f64),
    Fail,
    NotApplicable,
}

/// Grades, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

impl Grade {
    /// The rulebook's id.
    pub fn id(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }
}

/// Verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ban,
    Rectify,
    Standardize,
}

impl Verdict {
    /// The rulebook's id.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Ban => "ban",
            Verdict::Rectify => "rectify",
            Verdict::Standardize => "standardize",
        }
    }
}

/// The number of clauses.
pub const CLAUSES: usize = 42;

/// (id, points, veto) of FM01–FM42, in rulebook order.
#[rustfmt::skip]
pub const CLAUSE_DEFS: [(&str, f64, bool); CLAUSES] = [
    ("FM01", 2.0, true), ("FM02", 2.0, true), ("FM03", 2.0, true), ("FM04", 2.0, false),
    ("FM05", 2.0, false), ("FM06", 2.0, false), ("FM07", 1.0, false), ("FM08", 1.0, false),
    ("FM09", 2.0, false), ("FM10", 2.0, false), ("FM11", 2.0, false), ("FM12", 2.0, false), ("FM13", 2.0, false),
    ("FM14", 3.0, false), ("FM15", 2.0, false), ("FM16", 1.0, false), ("FM17", 2.0, false), ("FM18", 2.0, false),
    ("FM19", 3.0, false), ("FM20", 4.0, true), ("FM21", 2.0, false), ("FM22", 3.0, true), ("FM23", 3.0, false),
    ("FM24", 3.0, true), ("FM25", 2.0, false),
    ("FM26", 3.0, true), ("FM27", 3.0, false), ("FM28", 4.0, true), ("FM29", 2.0, false), ("FM30", 2.0, false),
    ("FM31", 2.0, false),
    ("FM32", 2.0, false), ("FM33", 2.0, false), ("FM34", 2.0, true), ("FM35", 2.0, false),
    ("FM36", 2.0, false), ("FM37", 2.0, false),
    ("FM38", 3.0, false), ("FM39", 4.0, false), ("FM40", 3.0, false),
    ("FM41", 4.0, false), ("FM42", 4.0, false),
];

/// The result of scoring one audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Final score, rounded to two places.
    pub score: f64,
    pub grade: Grade,
    pub verdict: Verdict,
    pub statuses: [St; CLAUSES],
}

/// `requires` all hold → pass; otherwise the partial condition → partial;
/// otherwise fail. `None` (an unknown fact) propagates.
#[inline(always)]
fn judge(requires: Option<bool>, partial: impl FnOnce() -> Option<bool>) -> Option<St> {
    if requires? {
        Some(St::Pass)
    } else if partial()? {
        Some(St::Partial(PARTIAL))
    } else {
        Some(St::Fail)
    }
}

#[inline(always)]
fn require(requires: Option<bool>) -> Option<St> {
    Some(if requires? { St::Pass } else { St::Fail })
}

/// Scores one audit. `None` when a clause or the deduction depends on a
/// fact the audit does not give (the engine then gives score bounds).
pub fn score(a: &FishmealAudit) -> Option<Outcome> {
    let statuses = statuses(a)?;
    let mut earned = 0.0;
    let mut applicable = 0.0;
    let mut vetoed = false;
    let mut legality_vetoed = false;
    for (i, (st, (_, points, veto))) in statuses.iter().zip(CLAUSE_DEFS.iter()).enumerate() {
        match *st {
            St::Pass => {
                earned += points;
                applicable += points;
            }
            St::Partial(f) => {
                earned += f * points;
                applicable += points;
            }
            St::Fail => {
                applicable += points;
                if *veto {
                    vetoed = true;
                    legality_vetoed |= i < 3; // vetoed(FM01, FM02, FM03)
                }
            }
            // not_applicable rescale: out of the denominator
            St::NotApplicable => {}
        }
    }
    let raw = if applicable > 0.0 { earned / applicable * 100.0 } else { 0.0 };
    // deduct incident 10 per incidents.pollution max 30
    let deducted = (10.0 * a.incidents_pollution?).min(30.0);
    let score = ((raw - deducted).max(0.0) * 100.0).round() / 100.0;
    let grade = if vetoed {
        Grade::Fail
    } else if score >= 90.0 {
        Grade::Excellent
    } else if score >= 80.0 {
        Grade::Good
    } else if score >= 70.0 {
        Grade::Pass
    } else {
        Grade::Fail
    };
    let verdict = if legality_vetoed {
        Verdict::Ban
    } else if vetoed || score < 70.0 {
        Verdict::Rectify
    } else {
        Verdict::Standardize
    };
    Some(Outcome { score, grade, verdict, statuses })
}

/// The 42 clause statuses, in rulebook order.
#[rustfmt::skip]
fn statuses(a: &FishmealAudit) -> Option<[St; CLAUSES]> {
    use St::NotApplicable as Na;
    let today = a.audit_date;

    // ── A1 产业政策与合法性 ──
    let fm01 = require(Some(a.eia_approved? && a.eia_accepted?))?;
    let fm02 = require(Some(a.permit_valid_until? >= today? && a.permit_outfalls_match?))?;
    let fm03 = require(Some(!a.process_banned_equipment?
        && !matches!(a.dryer_type?, Dryer::DirectFire | Dryer::OpenAir)))?;
    let fm04 = require(Some(a.site_in_park? && !a.site_in_red_line?))?;

    // ── A2 选址布局与厂容 ──
    let fm05 = require(Some(a.site_receptor_distance? >= a.eia_protection_distance?))?;
    let fm06 = judge(Some(a.drains_separated? && a.drains_cross_connections? == 0.0),
        || Some(a.drains_separated? && a.drains_cross_connections? <= 1.0))?;
    let fm07 = judge(Some(a.unloading_roofed? && a.unloading_seepage_proof? && a.unloading_trench?),
        || Some(a.unloading_roofed? && a.unloading_seepage_proof?))?;
    let fm08 = require(Some(!a.site_open_air_material?))?;

    // ── A3 工艺装备 ──
    let fm09 = judge(Some(a.raw_cold_storage? || a.raw_max_hold? <= RAW_HOLD_MAX),
        || Some(a.raw_max_hold? <= 1.5 * RAW_HOLD_MAX))?;
    let fm10 = judge(Some(a.line_open_units? == 0.0), || Some(a.line_open_units? <= 1.0))?;
    let fm11 = judge(Some(matches!(a.dryer_type?, Dryer::SteamIndirect | Dryer::LowTemp)),
        || Some(a.dryer_type? == Dryer::HotAirIndirect))?;
    let fm12 = judge(Some(a.hall_enclosed? && a.hall_air_changes? >= HALL_AIR_CHANGES_MIN && a.hall_doors_self_closing?),
        || Some(a.hall_enclosed? && a.hall_air_changes? >= HALL_AIR_CHANGES_MIN))?;
    let fm13 = if !a.plant_grinding? { Na } else {
        judge(Some(a.dust_bag_filter? && a.dust_pm? <= gb16297::PARTICULATE_CONC),
            || Some(a.dust_bag_filter? && a.dust_pm? <= NEAR_LIMIT * gb16297::PARTICULATE_CONC))?
    };

    // ── A4 清洁生产 ──
    let fm14 = judge(Some(a.stickwater_recovery? >= 1.0 && !a.stickwater_to_wwtp?),
        || Some(a.stickwater_recovery? >= 0.9 && !a.stickwater_to_wwtp?))?;
    let fm15 = judge(Some(a.oil_separator? && a.oil_separator_running?), || a.oil_separator)?;
    let fm16 = judge(Some(a.water_unit_use? <= UNIT_WATER_MAX),
        || Some(a.water_unit_use? <= NEAR_LIMIT * UNIT_WATER_MAX))?;
    let fm17 = judge(Some(a.cooling_reuse_rate? >= COOLING_REUSE_MIN), || Some(a.cooling_reuse_rate? >= 0.7))?;
    let fm18 = require(Some(a.cp_audit_last? >= today?.checked_sub_months(CP_AUDIT_INTERVAL)?))?;

    // ── A5 废气(恶臭)治理 ──
    let fm19 = judge(Some(a.vents_unducted? == 0.0 && a.odour_condenser?), || Some(a.vents_unducted? == 0.0))?;
    let fm20 = judge(Some(a.odour_plant? != OdourPlant::None && a.odour_running? && a.odour_log_coverage? >= 1.0),
        || Some(a.odour_plant? != OdourPlant::None && a.odour_running? && a.odour_log_coverage? >= 0.8))?;
    let fm21 = judge(Some(a.stack_height? >= gb14554::MIN_STACK_HEIGHT && a.stack_clearance? >= gb16297::BUILDING_CLEARANCE),
        || Some(a.stack_height? >= gb14554::MIN_STACK_HEIGHT))?;
    let height = a.stack_height?;
    let stack_ducted = height >= gb14554::MIN_STACK_HEIGHT;
    let fm22 = if !stack_ducted { Na } else {
        require(Some(a.stack_odour? <= nearest(gb14554::STACK_ODOUR, height)))?
    };
    let fm23 = if !stack_ducted { Na } else {
        let nh3 = nearest(gb14554::AMMONIA_RATE, height);
        let h2s = nearest(gb14554::H2S_RATE, height);
        let tma = nearest(gb14554::TMA_RATE, height);
        judge(Some(a.stack_ammonia? <= nh3 && a.stack_h2s? <= h2s && a.stack_tma? <= tma),
            || Some(a.stack_ammonia? <= NEAR_LIMIT * nh3 && a.stack_h2s? <= NEAR_LIMIT * h2s
                && a.stack_tma? <= NEAR_LIMIT * tma))?
    };
    let fm24 = match gb14554::boundary(a.site_air_zone?, a.site_source_age?) {
        None => St::Fail, // odour_keys_known fails: no look-up
        Some((odour, nh3, h2s, tma)) => require(Some(a.boundary_odour? <= odour && a.boundary_ammonia? <= nh3
            && a.boundary_h2s? <= h2s && a.boundary_tma? <= tma))?,
    };
    let fm25 = if !a.boiler_own? { Na } else {
        let fuel = a.boiler_fuel?;
        match (gb13271::limits(a.boiler_table?, fuel), gb13271::reference_o2(fuel)) {
            (Some((pm, so2, nox)), Some(o2_ref)) => {
                let o2 = a.boiler_o2?;
                if o2 >= 0.21 { St::Fail } else {
                    // GB 13271 O2 correction: ρ = ρ′ · (21 % − O2ref) / (21 % − O2meas)
                    let k = (0.21 - o2_ref) / (0.21 - o2);
                    require(Some(a.boiler_pm? * k <= pm && a.boiler_so2? * k <= so2 && a.boiler_nox? * k <= nox
                        && a.boiler_ringelmann? <= gb13271::RINGELMANN_MAX))?
                }
            }
            _ => St::Fail, // boiler_keys_known fails
        }
    };

    // ── A6 废水治理 ──
    let fm26 = require(Some(!a.liquor_direct_discharge?))?;
    let wwtp_stages = || Some(a.wwtp_oil_trap? && a.wwtp_flotation? && a.wwtp_biological?);
    let fm27 = judge(Some(wwtp_stages()? && a.wwtp_capacity? >= WWTP_MARGIN * a.wwtp_peak_flow?),
        || Some(wwtp_stages()? && a.wwtp_capacity? >= a.wwtp_peak_flow?))?;
    let discharges = a.effluent_discharges?;
    let fm28 = if !discharges { Na } else {
        match gb8978::discharge_grade(a.effluent_destination?) {
            None => St::Fail, // effluent_destination_known fails
            Some(g) => {
                let (cod, bod5, ss, oil) = gb8978::limits(g);
                require(Some(a.effluent_cod? <= cod && a.effluent_bod5? <= bod5 && a.effluent_ss? <= ss
                    && a.effluent_oil? <= oil && a.effluent_ph? >= gb8978::PH_MIN && a.effluent_ph? <= gb8978::PH_MAX
                    && match gb8978::nutrients(g) {
                        Some((nh3n, phosphate)) => a.effluent_nh3n? <= nh3n && a.effluent_phosphate? <= phosphate,
                        // grade 3 (纳管): DB33/887-2013
                        None => a.effluent_nh3n? <= db33_887::AMMONIA_NITROGEN && a.effluent_tp? <= db33_887::TOTAL_PHOSPHORUS,
                    }))?
            }
        }
    };
    let fm29 = if !discharges { Na } else {
        judge(Some(a.outfall_count? == 1.0 && a.outfall_sign? && a.outfall_sampling_port?
                && (!a.permit_cems_required? || a.cems_online?)),
            || Some(a.outfall_count? == 1.0))?
    };
    let fm30 = judge(Some(a.rain_pond_volume? >= a.rain_first_flush_volume?),
        || Some(a.rain_pond_volume? >= 0.8 * a.rain_first_flush_volume?))?;
    let fm31 = judge(Some(a.wwtp_log_coverage? >= 1.0), || Some(a.wwtp_log_coverage? >= 0.8))?;

    // ── A7 固废危废 ──
    let fm32 = judge(Some(a.hazwaste_identified? && a.hazwaste_plan_filed?), || a.hazwaste_identified)?;
    let fm33 = judge(Some(a.hw_store_signs? && a.hw_store_weatherproof? && a.hw_store_seepage_proof?),
        || Some(a.hw_store_weatherproof? && a.hw_store_seepage_proof?))?;
    let fm34 = require(Some(!a.hazwaste_illegal_disposal? && a.hazwaste_receiver_licensed?
        && a.hazwaste_manifests? >= a.hazwaste_transfers?))?;
    let fm35 = judge(Some(a.solid_storage_ok? && a.solid_ledger?), || Some(a.solid_storage_ok? || a.solid_ledger?))?;

    // ── A8 噪声 ──
    let fm36 = match gb12348::limits(a.site_noise_zone?) {
        None => St::Fail, // noise_zone_known fails
        Some((day, night)) => require(Some(a.noise_day? <= day && (!a.plant_night_operation? || a.noise_night? <= night)))?,
    };
    let fm37 = judge(Some(a.noise_untreated_sources? == 0.0), || Some(a.noise_untreated_sources? <= 2.0))?;

    // ── A9 环境管理 ──
    let fm38 = judge(Some(a.env_manager? && a.env_rules? && a.env_procedures?),
        || Some(a.env_manager? && (a.env_rules? || a.env_procedures?)))?;
    let fm39 = judge(Some(a.ledger_completeness? >= 1.0 && a.reports_late? == 0.0),
        || Some(a.ledger_completeness? >= 0.8 && a.reports_late? <= 1.0))?;
    let (so, sb, dd) = (a.signs_outfall?, a.signs_board?, a.disclosure_done?);
    // partial: any two of the three
    let fm40 = judge(Some(so && sb && dd), || Some(u8::from(so) + u8::from(sb) + u8::from(dd) >= 2))?;

    // ── A10 监测与应急 ──
    let fm41 = judge(Some(a.monitoring_done? >= a.monitoring_required?),
        || Some(a.monitoring_done? * 2.0 >= a.monitoring_required?))?;
    let fm42 = judge(Some(a.emergency_plan_filed? && a.drill_last? >= today?.checked_sub_months(DRILL_INTERVAL)?
            && a.emergency_pond?),
        || Some(a.emergency_plan_filed? && a.emergency_pond?))?;

    Some([
        fm01, fm02, fm03, fm04, fm05, fm06, fm07, fm08, fm09, fm10, fm11, fm12, fm13, fm14, fm15, fm16, fm17, fm18,
        fm19, fm20, fm21, fm22, fm23, fm24, fm25, fm26, fm27, fm28, fm29, fm30, fm31, fm32, fm33, fm34, fm35, fm36,
        fm37, fm38, fm39, fm40, fm41, fm42,
    ])
}

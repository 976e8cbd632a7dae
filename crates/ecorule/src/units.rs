//! Units of measure: parsing, dimensions and exact conversion factors.
//!
//! Every quantity is held in the base unit of its dimension (g, m, s); a
//! [`Unit`] knows its dimension and the exact factor to that base, so
//! `4.9 kg/h` and `t/a` compare without rounding. Temperature (°C) and sound
//! level (dB(A)) are dimensions of their own: they compare only with
//! themselves. `%` and `‰` are dimensionless, like plain numbers.

use std::fmt;

use crate::ir::Labels;
use crate::num::Num;

/// Exponents of the base dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dim([i8; 5]);

impl Dim {
    /// No dimension: plain numbers, percentages, pH, odour concentration.
    pub const NONE: Dim = Dim([0; 5]);
    /// Time, the dimension of durations.
    pub const TIME: Dim = Dim([0, 0, 1, 0, 0]);
    /// Mass per volume: a concentration in water (`mg/L`) or air (`mg/m³`).
    pub const CONCENTRATION: Dim = Dim([1, -3, 0, 0, 0]);
    /// Temperature (°C), which may be below zero.
    pub const TEMPERATURE: Dim = Dim([0, 0, 0, 1, 0]);

    fn combine(self, other: Dim, sign: i8) -> Option<Dim> {
        let mut out = self.0;
        for (a, b) in out.iter_mut().zip(other.0) {
            *a = a.checked_add(b.checked_mul(sign)?)?;
        }
        Some(Dim(out))
    }

    /// Dimension of a product.
    pub fn times(self, other: Dim) -> Option<Dim> {
        self.combine(other, 1)
    }

    /// Dimension of a quotient.
    pub fn per(self, other: Dim) -> Option<Dim> {
        self.combine(other, -1)
    }

    /// True for plain numbers.
    pub fn is_none(self) -> bool {
        self == Dim::NONE
    }

    /// A readable name for messages (`a concentration (mass per volume)`).
    pub fn describe(self) -> String {
        self.name().map_or_else(|| format!("a quantity in {}", Unit::base(self).name()), |(en, _)| en.to_string())
    }

    /// [`Dim::describe`] in Chinese (`浓度（质量/体积）`).
    pub fn describe_zh(self) -> String {
        self.name().map_or_else(|| format!("以 {} 计的量", Unit::base(self).name()), |(_, zh)| zh.to_string())
    }

    /// [`Dim::describe`] as it reads inside a message's own brackets: its
    /// bracketed part after a comma (`a concentration, mass per volume`),
    /// so brackets never nest.
    pub(crate) fn describe_in_brackets(self) -> String {
        crate::ir::in_brackets(&self.describe())
    }

    /// [`Dim::describe_in_brackets`] in Chinese (`浓度，质量/体积`).
    pub(crate) fn describe_in_brackets_zh(self) -> String {
        crate::ir::in_brackets(&self.describe_zh())
    }

    /// The English and Chinese names of a common dimension.
    fn name(self) -> Option<(&'static str, &'static str)> {
        const NAMES: [(Dim, &str, &str); 16] = [
            (Dim([0, 0, 0, 0, 0]), "a plain number", "纯数"),
            (Dim::CONCENTRATION, "a concentration (mass per volume)", "浓度（质量/体积）"),
            (Dim([1, 0, -1, 0, 0]), "a mass rate (mass per time)", "质量速率（质量/时间）"),
            (Dim([0, 3, -1, 0, 0]), "a flow (volume per time)", "流量（体积/时间）"),
            (Dim([0, 1, 0, 0, 0]), "a length", "长度"),
            (Dim([0, 2, 0, 0, 0]), "an area", "面积"),
            (Dim([0, 3, 0, 0, 0]), "a volume", "体积"),
            (Dim([1, 0, 0, 0, 0]), "a mass", "质量"),
            (Dim([0, 0, 1, 0, 0]), "a time", "时间"),
            (Dim::TEMPERATURE, "a temperature", "温度"),
            (Dim([0, 0, 0, 0, 1]), "a sound level", "声级"),
            (Dim([0, 1, -1, 0, 0]), "a speed", "速度"),
            (Dim(PA), "a pressure", "压力"),
            (Dim(W), "a power", "功率"),
            (Dim([1, 2, -2, 0, 0]), "an energy", "能量"),
            (Dim([-1, 3, 0, 0, 0]), "a volume per mass", "单位质量体积"),
        ];
        NAMES.iter().find(|(d, _, _)| *d == self).map(|(_, en, zh)| (*en, *zh))
    }
}

/// A unit: its canonical spelling, dimension and factor to the base unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unit {
    name: String,
    dim: Dim,
    factor: Num,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// One known unit symbol.
struct Atom {
    spellings: &'static [&'static str],
    canonical: &'static str,
    dim: [i8; 5],
    /// Factor to the base unit as numerator / denominator.
    factor: (i128, i128),
}

const fn atom(spellings: &'static [&'static str], canonical: &'static str, dim: [i8; 5], factor: (i128, i128)) -> Atom {
    Atom { spellings, canonical, dim, factor }
}

const G: [i8; 5] = [1, 0, 0, 0, 0];
const M: [i8; 5] = [0, 1, 0, 0, 0];
const S: [i8; 5] = [0, 0, 1, 0, 0];
const M3: [i8; 5] = [0, 3, 0, 0, 0];
const PA: [i8; 5] = [1, -1, -2, 0, 0];
const W: [i8; 5] = [1, 2, -3, 0, 0];
const ONE: [i8; 5] = [0, 0, 0, 0, 0];

/// Every unit symbol the language knows. Base units: g, m, s.
const ATOMS: &[Atom] = &[
    atom(&["µg", "μg", "ug"], "µg", G, (1, 1_000_000)),
    atom(&["mg"], "mg", G, (1, 1000)),
    atom(&["g"], "g", G, (1, 1)),
    atom(&["kg"], "kg", G, (1000, 1)),
    atom(&["t"], "t", G, (1_000_000, 1)),
    atom(&["mm"], "mm", M, (1, 1000)),
    atom(&["cm"], "cm", M, (1, 100)),
    atom(&["m"], "m", M, (1, 1)),
    atom(&["km"], "km", M, (1000, 1)),
    atom(&["mL"], "mL", M3, (1, 1_000_000)),
    atom(&["L"], "L", M3, (1, 1000)),
    atom(&["s"], "s", S, (1, 1)),
    atom(&["min", "minutes"], "min", S, (60, 1)),
    atom(&["h", "hour", "hours"], "h", S, (3600, 1)),
    atom(&["d", "day", "days"], "d", S, (86_400, 1)),
    atom(&["a", "year", "years"], "a", S, (31_536_000, 1)),
    atom(&["Pa"], "Pa", PA, (1000, 1)),
    atom(&["kPa"], "kPa", PA, (1_000_000, 1)),
    atom(&["MPa"], "MPa", PA, (1_000_000_000, 1)),
    atom(&["W"], "W", W, (1000, 1)),
    atom(&["kW"], "kW", W, (1_000_000, 1)),
    atom(&["MW"], "MW", W, (1_000_000_000, 1)),
    atom(&["°C", "degC"], "°C", [0, 0, 0, 1, 0], (1, 1)),
    atom(&["dB(A)", "dBA"], "dB(A)", [0, 0, 0, 0, 1], (1, 1)),
    atom(&["%"], "%", ONE, (1, 100)),
    atom(&["‰"], "‰", ONE, (1, 1000)),
    atom(&["1", "dimensionless"], "1", ONE, (1, 1)),
];

impl Unit {
    /// The unit of plain numbers.
    pub fn none() -> Unit {
        Unit { name: String::new(), dim: Dim::NONE, factor: Num::ONE }
    }

    /// The base unit of a dimension (`g/s`, `g/m³`), for values that have no
    /// unit of their own to be shown in.
    pub fn base(dim: Dim) -> Unit {
        const SYMBOLS: [&str; 5] = ["g", "m", "s", "°C", "dB(A)"];
        let part = |power: i8, symbol: &str| match power.unsigned_abs() {
            1 => symbol.to_string(),
            2 => format!("{symbol}²"),
            3 => format!("{symbol}³"),
            n => format!("{symbol}^{n}"),
        };
        let numer: Vec<String> = dim.0.iter().zip(SYMBOLS).filter(|(p, _)| **p > 0).map(|(p, s)| part(*p, s)).collect();
        let denom: Vec<String> = dim.0.iter().zip(SYMBOLS).filter(|(p, _)| **p < 0).map(|(p, s)| part(*p, s)).collect();
        let name = match (numer.is_empty(), denom.is_empty()) {
            (_, true) => numer.join("·"),
            (true, false) => format!("1/{}", denom.join("·")),
            (false, false) => format!("{}/{}", numer.join("·"), denom.join("·")),
        };
        Unit { name, dim, factor: Num::ONE }
    }

    /// Days, the display unit of durations.
    pub fn days() -> Unit {
        Unit { name: "d".to_string(), dim: Dim::TIME, factor: Num::int(86_400) }
    }

    /// Parses `mg/m³`, `mg/m3`, `kg/h`, `m³/d`, `dB(A)`, `%`, `cm/s`.
    /// Everything after the first `/` is in the denominator; `·` or `*`
    /// multiply. On failure, says which part was not understood.
    pub fn parse(text: &str) -> Result<Unit, String> {
        Unit::parse_or_why(text).map_err(|why| why.labels().en)
    }

    /// [`Unit::parse`], saying why not in English and Chinese, as an
    /// audit's error says it of a value's unit: for a binding that reports
    /// a unit it was given apart from any value.
    ///
    /// ```
    /// use ecorule::Unit;
    ///
    /// let why = Unit::parse_in("furlong").err().unwrap_or_default();
    /// assert_eq!((why.en.as_str(), why.zh.as_str()), ("unknown unit `furlong`", "未知单位 `furlong`"));
    /// ```
    pub fn parse_in(text: &str) -> Result<Unit, Labels> {
        Unit::parse_or_why(text).map_err(|why| why.labels())
    }

    /// [`Unit::parse`], saying why not in both languages.
    pub(crate) fn parse_or_why(text: &str) -> Result<Unit, NotAUnit> {
        let text = text.trim();
        if text.is_empty() {
            return Err(NotAUnit::Empty);
        }
        if let Some(unit) = Unit::parse_symbol(text) {
            return Ok(unit);
        }
        let (numer, denom) = match text.split_once('/') {
            Some((_, d)) if d.contains('/') => return Err(NotAUnit::SecondSlash(text.to_string())),
            Some((n, d)) => (n, Some(d)),
            None => (text, None),
        };
        let mut unit = Unit::none();
        let mut names = Vec::new();
        for (side, sign) in [(Some(numer), 1i8), (denom, -1i8)] {
            let Some(side) = side else { continue };
            let mut parts = Vec::new();
            for piece in side.split(['·', '*']) {
                let (a, power) = parse_piece(piece)?;
                let too_large = || NotAUnit::TooLarge(text.to_string());
                let factor =
                    pow(Num::ratio(a.factor.0, a.factor.1).unwrap_or(Num::ONE), power).ok_or_else(too_large)?;
                let dim = Dim(a.dim).pow(power).ok_or_else(too_large)?;
                unit.dim = unit.dim.combine(dim, sign).ok_or_else(too_large)?;
                unit.factor = if sign > 0 { unit.factor.checked_mul(factor) } else { unit.factor.checked_div(factor) }
                    .ok_or_else(too_large)?;
                parts.push(match power {
                    1 => a.canonical.to_string(),
                    2 => format!("{}²", a.canonical),
                    _ => format!("{}³", a.canonical),
                });
            }
            names.push(parts.join("·"));
        }
        unit.name = names.join("/");
        if unit.name == "1" {
            unit.name.clear();
        }
        Ok(unit)
    }

    /// [`Unit::parse`] of one symbol with no power, quotient or product
    /// (`%`, `kg`, `days`), as the general path reads it but with no
    /// strings built for its parts. `None` for any other text.
    fn parse_symbol(text: &str) -> Option<Unit> {
        if text.contains(['/', '·', '*']) || text.ends_with(['2', '3', '²', '³']) {
            return None;
        }
        let atom = find_atom(text)?;
        let name = if atom.canonical == "1" { String::new() } else { atom.canonical.to_string() };
        Some(Unit { name, dim: Dim(atom.dim), factor: Num::ratio(atom.factor.0, atom.factor.1)? })
    }

    /// The canonical spelling (`mg/m³`); empty for plain numbers.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimension.
    pub fn dim(&self) -> Dim {
        self.dim
    }

    /// The exact factor from this unit to the base unit of its dimension.
    pub fn factor(&self) -> Num {
        self.factor
    }

    /// `value` in this unit, expressed in the base unit.
    pub fn to_base(&self, value: Num) -> Option<Num> {
        // Base units and plain numbers need no multiplication.
        if self.factor == Num::ONE {
            return Some(value);
        }
        value.checked_mul(self.factor)
    }

    /// A base-unit `value` expressed in this unit.
    pub fn from_base(&self, value: Num) -> Option<Num> {
        value.checked_div(self.factor)
    }

    /// `value` (in base units) written with this unit: `12 m`, `4.9 kg/h`, `75 %`.
    pub fn show(&self, value: Num) -> String {
        let mut shown = String::with_capacity(16 + self.name.len());
        self.write(&mut shown, value);
        shown
    }

    /// [`Unit::show`], appended to `out`.
    pub(crate) fn write(&self, out: &mut String, value: Num) {
        let value = if self.factor == Num::ONE { Some(value) } else { self.from_base(value) };
        match value {
            Some(v) => v.write_decimal(out),
            None => out.push('?'),
        }
        match self.name.as_str() {
            "" => {}
            "%" | "‰" => out.push_str(&self.name),
            name => {
                out.push(' ');
                out.push_str(name);
            }
        }
    }
}

/// What a concentration is per: a litre, as water's are given, or a cubic
/// metre, as air's are. Both are a mass in a volume, so a value in one
/// converts exactly to the other; but a figure a thousand times off is
/// likelier a slip than meant, so a report warns of an audit value given
/// on the other basis, and `check` of a rulebook comparing the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VolumeBasis {
    Litre,
    CubicMetre,
}

impl VolumeBasis {
    pub(crate) fn of(unit: &Unit) -> Option<VolumeBasis> {
        match unit.name().rsplit_once('/')?.1 {
            "L" => Some(VolumeBasis::Litre),
            "m³" => Some(VolumeBasis::CubicMetre),
            _ => None,
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            VolumeBasis::Litre => "per litre, as water is measured",
            VolumeBasis::CubicMetre => "per cubic metre, as air is measured",
        }
    }

    pub(crate) fn zh(self) -> &'static str {
        match self {
            VolumeBasis::Litre => "每升，用于水",
            VolumeBasis::CubicMetre => "每立方米，用于空气",
        }
    }
}

/// Whether `given` and `declared` are concentrations on different
/// [`VolumeBasis`]es.
pub(crate) fn other_volume_basis(declared: &Unit, given: &Unit) -> bool {
    matches!((VolumeBasis::of(declared), VolumeBasis::of(given)), (Some(d), Some(g)) if d != g)
}

impl Dim {
    fn pow(self, power: i8) -> Option<Dim> {
        let mut out = self.0;
        for a in &mut out {
            *a = a.checked_mul(power)?;
        }
        Some(Dim(out))
    }
}

fn pow(base: Num, power: i8) -> Option<Num> {
    (1..power).try_fold(base, |acc, _| acc.checked_mul(base))
}

/// The unit symbol spelt `spelling`.
fn find_atom(spelling: &str) -> Option<&'static Atom> {
    ATOMS.iter().find(|a| a.spellings.contains(&spelling))
}

/// Why a text is not a unit.
pub(crate) enum NotAUnit {
    Empty,
    /// The part not understood.
    Unknown(String),
    /// The whole unit, whose factor or dimension overflows.
    TooLarge(String),
    /// A second `/` (`kg/m³/h`): everything after the first is divided by.
    SecondSlash(String),
}

impl NotAUnit {
    pub(crate) fn labels(&self) -> Labels {
        let (en, zh) = match self {
            NotAUnit::Empty => ("an empty unit".to_string(), "单位为空".to_string()),
            NotAUnit::Unknown(piece) if is_normal_cubic_metre(piece) => (
                format!(
                    "unknown unit `{piece}`: a normal cubic metre is a cubic metre at standard conditions \
                     (273 K, 101.325 kPa), as GB emission limits are set, so write `m³`"
                ),
                format!(
                    "未知单位 `{piece}`：标准立方米即标准状态（273 K、101.325 kPa）下的立方米，与国标排放限值一致，请写作 `m³`"
                ),
            ),
            NotAUnit::Unknown(piece) if piece.eq_ignore_ascii_case("db") => (
                format!(
                    "unknown unit `{piece}`: did you mean `dB(A)`? Noise limits (GB 12348, GB 3096) are A-weighted"
                ),
                format!("未知单位 `{piece}`：是否应为 `dB(A)`？噪声限值（GB 12348、GB 3096）为 A 声级"),
            ),
            NotAUnit::Unknown(piece) => match spelt_otherwise(piece) {
                Some(meant) => (
                    format!("unknown unit `{piece}`: did you mean `{meant}`?"),
                    format!("未知单位 `{piece}`：是否应为 `{meant}`？"),
                ),
                None => (format!("unknown unit `{piece}`"), format!("未知单位 `{piece}`")),
            },
            NotAUnit::TooLarge(unit) => (format!("unit `{unit}` is too large"), format!("单位 `{unit}` 过大")),
            NotAUnit::SecondSlash(unit) => {
                let one = match unit.split_once('/') {
                    Some((numer, denom)) => format!("{numer}/{}", denom.replace('/', "·")),
                    None => unit.clone(),
                };
                (
                    format!("unit `{unit}` has a second `/`: all after the first divides, so write `{one}`"),
                    format!("单位 `{unit}` 有第二个 `/`：第一个 `/` 之后的都作除数，应写作 `{one}`"),
                )
            }
        };
        Labels { en, zh }
    }
}

/// Whether `piece` is a normal cubic metre (`Nm³`, `Nm3`, `Nm^3`), as
/// monitoring reports write a flue-gas volume at standard conditions.
fn is_normal_cubic_metre(piece: &str) -> bool {
    matches!(piece.trim(), "Nm³" | "Nm3" | "Nm^3")
}

/// The spelling of a known unit that `piece` (one part of a unit, with
/// its power) matches but for case: `L` for `l`, `mL` for `ml`, `m³` for `M³`.
pub(crate) fn spelt_otherwise(piece: &str) -> Option<String> {
    let piece = piece.trim();
    let (symbol, power) = match piece.char_indices().last() {
        Some((i, '²' | '³' | '2' | '3')) => piece.split_at(i),
        _ => (piece, ""),
    };
    ATOMS.iter().flat_map(|a| a.spellings.iter()).find_map(|spelling| {
        (*spelling != symbol && spelling.to_lowercase() == symbol.to_lowercase()).then(|| format!("{spelling}{power}"))
    })
}

fn parse_piece(piece: &str) -> Result<(&'static Atom, i8), NotAUnit> {
    let piece = piece.trim();
    let (symbol, power) = if let Some(s) = piece.strip_suffix('³').or_else(|| piece.strip_suffix('3')) {
        (s, 3)
    } else if let Some(s) = piece.strip_suffix('²').or_else(|| piece.strip_suffix('2')) {
        (s, 2)
    } else {
        (piece, 1)
    };
    match find_atom(symbol) {
        Some(atom) if power == 1 || atom.dim == M => Ok((atom, power)),
        _ => match find_atom(piece) {
            Some(atom) => Ok((atom, 1)),
            None => Err(NotAUnit::Unknown(piece.to_string())),
        },
    }
}

/// Units commonly written for environmental quantities, offered by forms.
const COMMON: &[&str] = &[
    "mg/L", "µg/L", "g/L", "mg/m³", "µg/m³", "g/m³", "kg/h", "g/h", "g/s", "t/a", "t/d", "kg/d", "m³/d", "m³/h", "L/s",
    "m", "cm", "mm", "km", "m²", "m³", "L", "t", "kg", "g", "d", "h", "min", "a", "cm/s", "m/s", "Pa", "kPa", "MPa",
    "kW", "MW", "°C", "dB(A)", "%", "m³/t", "t/h",
];

/// The common units of a dimension, canonical spelling, `unit` first.
pub fn common_units(unit: &Unit) -> Vec<String> {
    let mut out = vec![unit.name().to_string()];
    for text in COMMON {
        if let Ok(u) = Unit::parse(text) {
            if u.dim() == unit.dim() && !out.iter().any(|o| o == u.name()) {
                out.push(u.name().to_string());
            }
        }
    }
    out.retain(|u| !u.is_empty());
    out
}

/// Every accepted spelling, for tests.
#[cfg(test)]
fn spellings() -> impl Iterator<Item = &'static str> {
    ATOMS.iter().flat_map(|a| a.spellings.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(text: &str) -> Unit {
        Unit::parse(text).unwrap_or_else(|_| Unit::none())
    }

    #[test]
    fn same_dimension_converts_exactly() {
        let g_m3 = unit("g/m³");
        let mg_m3 = unit("mg/m3");
        assert_eq!(g_m3.dim(), mg_m3.dim());
        assert_eq!(g_m3.to_base(Num::ONE), mg_m3.to_base(Num::int(1000)));
        let t_a = unit("t/a");
        let kg_d = unit("kg/d");
        let one_t_a = t_a.to_base(Num::int(365));
        assert_eq!(one_t_a, kg_d.to_base(Num::int(1000)));
    }

    #[test]
    fn canonical_names() {
        assert_eq!(unit("mg/m3").name(), "mg/m³");
        assert_eq!(unit("ug/m3").name(), "µg/m³");
        assert_eq!(unit("days").name(), "d");
        assert_eq!(unit("m3/d").name(), "m³/d");
        assert_eq!(unit("dB(A)").name(), "dB(A)");
        assert_eq!(unit("1").name(), "");
    }

    #[test]
    fn every_issue_unit_parses() {
        for text in [
            "mg/L", "mg/m³", "mg/m3", "µg/m³", "g/m³", "kg/h", "g/h", "t/a", "t/d", "kg/d", "m³/d", "m³/h", "m", "km",
            "dB(A)", "°C", "%", "h", "d", "a", "cm/s", "m/s", "m²",
        ] {
            assert!(Unit::parse(text).is_ok(), "{text}");
        }
        for text in spellings() {
            assert!(Unit::parse(text).is_ok(), "{text}");
        }
    }

    /// The general path of [`Unit::parse`], not the one-symbol path: the
    /// text over `1`, that part of the name taken off again.
    fn parse_general(text: &str) -> Result<Unit, String> {
        Unit::parse(&format!("{text}/1")).map(|mut unit| {
            unit.name = match unit.name.strip_suffix("/1") {
                Some("1") => String::new(),
                Some(name) => name.to_string(),
                None => unit.name,
            };
            unit
        })
    }

    #[test]
    fn one_symbol_parses_as_the_general_path_parses_it() {
        let mut texts: Vec<String> = spellings().map(str::to_string).collect();
        texts.extend(["", "x", "kgs", "K", "°", "dB", "%%", "mg ", "1", "m2", "m³", "10"].map(str::to_string));
        for text in texts {
            let Some(unit) = Unit::parse_symbol(&text) else {
                continue;
            };
            assert_eq!(Ok(unit), parse_general(&text), "{text}");
        }
        for text in spellings() {
            assert!(Unit::parse_symbol(text).is_some() || text.ends_with(['2', '3', '²', '³']), "{text}");
        }
    }

    #[test]
    fn percent_is_dimensionless() {
        let pct = unit("%");
        assert!(pct.dim().is_none());
        assert_eq!(pct.to_base(Num::int(50)), Num::ratio(1, 2));
        assert_eq!(pct.show(Num::ratio(3, 4).unwrap_or(Num::ZERO)), "75%");
    }

    #[test]
    fn a_second_slash_says_how_to_write_the_unit() {
        let why = Unit::parse_or_why("kg/m³/h").err().map(|w| w.labels());
        assert_eq!(
            why.map(|l| l.en).as_deref(),
            Some("unit `kg/m³/h` has a second `/`: all after the first divides, so write `kg/m³·h`")
        );
        assert_eq!(unit("kg/m³·h").dim(), Dim([1, -3, -1, 0, 0]));
    }

    #[test]
    fn a_unit_spelt_in_the_wrong_case_is_named_in_the_right_one() {
        let why = |text: &str| Unit::parse_or_why(text).err().map(|w| w.labels().en);
        assert_eq!(why("l").as_deref(), Some("unknown unit `l`: did you mean `L`?"));
        assert_eq!(why("mg/ml").as_deref(), Some("unknown unit `ml`: did you mean `mL`?"));
        assert_eq!(why("M3/d").as_deref(), Some("unknown unit `M3`: did you mean `m3`?"));
        assert_eq!(why("mpa").as_deref(), Some("unknown unit `mpa`: did you mean `MPa`?"));
        assert_eq!(why("furlong").as_deref(), Some("unknown unit `furlong`"));
        assert!(why("dB").is_some_and(|w| w.starts_with("unknown unit `dB`: did you mean `dB(A)`?")));
    }

    #[test]
    fn a_normal_cubic_metre_is_named_and_the_cubic_metre_given() {
        for text in ["mg/Nm³", "mg/Nm3", "mg/Nm^3", "Nm³/h"] {
            let why = Unit::parse_or_why(text).err().map(|w| w.labels());
            let (en, zh) = why.map(|l| (l.en, l.zh)).unwrap_or_default();
            assert!(en.contains("a normal cubic metre is a cubic metre at standard conditions"), "{text}: {en}");
            assert!(en.ends_with("so write `m³`"), "{text}: {en}");
            assert!(zh.contains("标准状态"), "{text}: {zh}");
        }
    }

    #[test]
    fn incompatible_dimensions_differ() {
        assert_ne!(unit("m").dim(), unit("kg/h").dim());
        assert_ne!(unit("°C").dim(), unit("dB(A)").dim());
        assert!(Unit::parse("furlong").is_err());
        assert!(Unit::parse("kg/").is_err());
    }

    #[test]
    fn every_dimension_a_unit_names_is_described_in_words_others_by_base_units() {
        for text in ["kPa", "MW", "kW·h", "m³/t", "mg/L", "t/a", "m/s"] {
            let dim = unit(text).dim();
            assert!(!dim.describe().contains(" in ") && !dim.describe_zh().contains(" 计"), "{text}");
        }
        // Inside a message's brackets, a description has none of its own.
        for text in ["mg/L", "kg/h", "m³/h", "m", "dB(A)", "dB(A)/m"] {
            let dim = unit(text).dim();
            let (en, zh) = (dim.describe_in_brackets(), dim.describe_in_brackets_zh());
            assert!(!en.contains(" (") && !en.ends_with(')') && !zh.contains('（'), "{text}: {en}, {zh}");
        }
        assert_eq!(unit("mg/L").dim().describe_in_brackets(), "a concentration, mass per volume");
        assert_eq!(unit("mg/L").dim().describe_in_brackets_zh(), "浓度，质量/体积");
        assert_eq!(unit("MPa").dim().describe_zh(), "压力");
        assert_eq!(unit("kg·m").dim().describe(), "a quantity in g·m");
        assert_eq!(unit("kg·m").dim().describe_zh(), "以 g·m 计的量");
    }
}

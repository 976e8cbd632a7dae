//! One audit value converted to its fact's declared type and unit, within
//! its bounds; a value that does not convert gets a problem saying what
//! was given and, where [`super::help`] can tell, how to write it.

use std::sync::Arc;

use super::AuditInput;
use super::help::{
    below_detection_mark_help, chinese_unit_help, comma_help, half_width_help, lab_sheet_help, point_help,
    power_of_ten_help, space_thousands_help,
};
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;
use crate::units::{Dim, NotAUnit, Unit, VolumeBasis, other_volume_basis};

/// What converting a value noticed about how it was written, for the fact
/// to judge.
#[derive(Default)]
pub(super) struct Noticed {
    /// A concentration per litre for a fact per cubic metre, or the other
    /// way round: scored, with a warning.
    pub(super) other_volume_basis: bool,
    /// A plain number written in `%` or `‰`: meant only for a share.
    scaled_plain: bool,
}

/// One audit value converted for `fact`, within its `min` and `max`.
pub(super) fn convert_within(
    program: &Program,
    fact: &FactDef,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    let value = convert_unbounded(program, fact, input, noticed)?;
    if fact.bounds.is_none() {
        return Ok(value);
    }
    match (&value, input) {
        (Some(Value::List(items)), AuditInput::List(given)) => {
            let outer = items.iter().zip(given).enumerate().find(|(_, (item, _))| !fact.bounds.admit(item));
            if let Some((i, (item, given))) = outer {
                return Err(outside(fact, item, given, at_position(given.brief_in(), i)));
            }
        }
        (Some(v), _) if !fact.bounds.admit(v) => return Err(outside(fact, v, input, input.brief_in())),
        _ => {}
    }
    Ok(value)
}

/// One audit value converted for `fact`, before its `min` and `max` are
/// checked.
#[inline]
pub(super) fn convert_unbounded(
    program: &Program,
    fact: &FactDef,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    let value = convert(program, &fact.ty, fact.unit.as_ref(), input, noticed)?;
    if noticed.scaled_plain && !fact.bounds.is_share() {
        return Err(percent_of_plain(input));
    }
    Ok(value)
}

/// The problem of `value` (`input`, shown as `given`) outside the fact's
/// bounds: for a share (a fact of at most 1, or `max 21 %`), a number
/// without a unit that would be within the bounds as a percentage (`90`)
/// is pointed out. A pH of 15 is not told to be written "15 %".
#[cold]
#[inline(never)]
fn outside(fact: &FactDef, value: &Value, input: &AuditInput, given: Labels) -> Box<Problem> {
    let bare = match input {
        AuditInput::Number(_) => true,
        AuditInput::Text(t) => Num::parse(t.trim()).is_some(),
        _ => false,
    };
    let percent = match value {
        Value::Num(n) if bare && fact.bounds.is_share() && fact.unit.is_none() => {
            n.checked_div(Num::int(100)).map(Value::Num)
        }
        _ => None,
    };
    let help = percent.filter(|p| fact.bounds.admit(p)).map(|_| {
        let n = value.show(None);
        Labels::new(
            format!("a share is written as a fraction or with `%`: if {n} is a percentage, write \"{n} %\""),
            format!("比例写作小数或带 `%`：若 {n} 是百分数，请写作 \"{n} %\""),
        )
    });
    problem_with_help(given, help)
}

/// The problem of a plain number written in `%` or `‰` (a pH of `"7 %"`),
/// for a fact that is not a share: read as 0.07, it would be scored wrong.
#[cold]
#[inline(never)]
fn percent_of_plain(input: &AuditInput) -> Box<Problem> {
    let help = Labels::new(
        "this fact is a plain number, not a share: write it without `%` or `‰`",
        "此项为普通数值，不是比例：请不带 `%` 或 `‰` 填写",
    );
    problem_with_help(input.brief_in(), Some(help))
}

/// The error for a value `fact` could not take: kept out of line, so that
/// converting a good value does not make room for it.
#[cold]
#[inline(never)]
pub(super) fn fact_error(program: &Program, fact: &FactDef, name: &str, problem: Problem) -> Error {
    Error::fact_in(ErrorKind::Audit, name, expected(program, fact), problem.given).with_help_in(problem.help)
}

/// What `fact` takes, as its errors say it: its type and unit, and its
/// bounds.
pub(super) fn expected(program: &Program, fact: &FactDef) -> Labels {
    let unit = fact.unit.as_ref();
    let list = matches!(fact.ty, Ty::List(_));
    let mut expected = match (fact.bounds.whole, list) {
        (true, false) => Labels::new("a whole number", "整数"),
        (true, true) => Labels::new("a list of whole numbers", "列表，每项为整数"),
        _ => Labels::new(fact.ty.describe(&program.enums, unit), fact.ty.describe_zh(&program.enums, unit)),
    };
    if !fact.bounds.is_none() {
        // The Chinese list already says `每项为…`, which the bounds go on.
        let each = if list { ", each" } else { "" };
        expected.en = format!("{}{each} {}", expected.en, fact.bounds.describe(unit));
        expected.zh = format!("{}，{}", expected.zh, fact.bounds.describe_zh(unit));
    }
    expected
}

/// Why a value does not convert; boxed, so a converted value is returned
/// in a result no larger than itself.
pub(super) struct Problem {
    given: Labels,
    help: Option<Labels>,
}

#[cold]
#[inline(never)]
fn problem(input: &AuditInput) -> Box<Problem> {
    Box::new(Problem { given: input.brief_in(), help: half_width_help(input) })
}

/// The problem `given` with a help text.
fn problem_with_help(given: Labels, help: Option<Labels>) -> Box<Problem> {
    Box::new(Problem { given, help })
}

/// What was given at index `i` of a list: `"x" at position 3`.
fn at_position(given: Labels, i: usize) -> Labels {
    Labels::new(format!("{} at position {}", given.en, i + 1), format!("第 {} 项 {}", i + 1, given.zh))
}

/// Converts one audit value to the declared type; `Ok(None)` for null.
fn convert(
    program: &Program,
    ty: &Ty,
    unit: Option<&Unit>,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    if matches!(input, AuditInput::Null) {
        return Ok(None);
    }
    let value = match (ty, input) {
        (Ty::Bool, AuditInput::Bool(b)) => Value::Bool(*b),
        // 1/0, "TRUE", "yes", "是": as spreadsheets write a yes or no.
        (Ty::Bool, AuditInput::Number(_) | AuditInput::Text(_)) => {
            let help = Labels::new(
                "a yes-or-no fact takes true or false, unquoted (True or False in Python): convert 1/0 or yes/no first",
                "是否类数据项只接受不加引号的 true 或 false（Python 中为 True 或 False）：请先转换 1/0 或 是/否",
            );
            return Err(problem_with_help(input.brief_in(), Some(help)));
        }
        (Ty::Num(dim), _) => Value::Num(quantity(*dim, unit, input, noticed)?),
        (Ty::Text, AuditInput::Text(s)) => Value::Text(Arc::from(s.as_str())),
        // Spaces around a code, as a spreadsheet's cell keeps them, are
        // left out, as around a quantity.
        (Ty::Enum(k), AuditInput::Text(s)) => {
            let variants = program.enums.get(*k).map(|e| e.variants.as_slice()).unwrap_or_default();
            let given = |code: &str| variants.iter().find(|(v, _)| v == code);
            let Some((code, _)) = given(s).or_else(|| given(trim(s))) else {
                return Err(not_a_code(input, trim(s), variants));
            };
            Value::Text(Arc::from(code.as_str()))
        }
        // A code such as `"2"` given as the number 2, as a spreadsheet or
        // a CSV read by pandas writes it: the code written so.
        (Ty::Enum(k), AuditInput::Number(Ok(n))) => {
            let variants = program.enums.get(*k).map(|e| e.variants.as_slice()).unwrap_or_default();
            match variants.iter().find(|(v, _)| numeric_code(v) == Some(*n)) {
                Some((code, _)) => Value::Text(Arc::from(code.as_str())),
                None => return Err(problem(input)),
            }
        }
        (Ty::Date, AuditInput::Text(s)) => match crate::ir::parse_date(trim(s)) {
            Some(d) => Value::Date(d),
            None => {
                // A date and time (`2024-06-01T10:00:00+08:00`, or as a
                // spreadsheet writes it, `2024-06-01 00:00:00`): which day
                // it is depends on the zone, so the audit says the day.
                let s = trim(s);
                let after_day = s.get(10..).unwrap_or_default();
                let digits_after_space =
                    after_day.strip_prefix(' ').is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
                let timed = s.get(..10).and_then(crate::ir::parse_date).is_some()
                    && (after_day.starts_with('T') || digits_after_space);
                let help = if timed {
                    Labels::new(
                        "give the day only, YYYY-MM-DD: a time of day is not read",
                        "只写日期 YYYY-MM-DD：不读取时刻",
                    )
                } else {
                    Labels::new("dates are written YYYY-MM-DD and must exist", "日期写作 YYYY-MM-DD，且须是实有的日期")
                };
                return Err(problem_with_help(input.brief_in(), Some(help)));
            }
        },
        (Ty::List(inner), AuditInput::List(items)) => {
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match convert(program, inner, unit, item, noticed) {
                    Ok(Some(v)) => values.push(v),
                    // Not the whole list unknown for one gap: said, at its place.
                    Ok(None) => {
                        let help = Labels::new(
                            "a list holds known items only: leave this one out, or give the whole list as null when \
                             it is unknown",
                            "列表只含已知的项：去掉这一项；整个列表未知时，整体写 null",
                        );
                        return Err(problem_with_help(at_position(Labels::new("null", "null"), i), Some(help)));
                    }
                    Err(p) => {
                        return Err(problem_with_help(at_position(p.given, i), p.help));
                    }
                }
            }
            Value::List(Arc::from(values))
        }
        _ => return Err(problem(input)),
    };
    Ok(Some(value))
}

/// The number an enum code is, when it is written as that number is
/// (`2`, `1.5`, `-3`; not `02`, `2.0` or `1e3`): such a code may be given
/// as the number.
pub(crate) fn numeric_code(code: &str) -> Option<Num> {
    Num::parse(code).filter(|n| n.to_string() == code)
}

/// Why a number that reads as one is refused.
fn number_range() -> Labels {
    Labels::new(
        "numbers are held exactly, so they may have at most 30 significant digits, none before the 1e30s place or after the 1e-30s",
        "数值按精确值保存：有效数字至多 30 位，各位数字须在 1e30 位与 1e-30 位之间",
    )
}

/// A number or quantity: a bare number (in the declared unit), `"25 m"`, or
/// `{"value": 25, "unit": "m"}`. Returned in base units. A unit on another
/// volume basis than the declared one, or `%` for a plain number, is noticed.
fn quantity(dim: Dim, declared: Option<&Unit>, input: &AuditInput, noticed: &mut Noticed) -> Result<Num, Box<Problem>> {
    let plain = Unit::none();
    let declared = declared.unwrap_or(&plain);
    let (value, unit_text) = match input {
        AuditInput::Number(Ok(n)) => (*n, None),
        AuditInput::Number(Err(written)) => return Err(out_of_range(input, written)),
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            let Some(n) = Num::parse(number) else {
                return Err(match point_help(number, unit_text) {
                    Some(help) => problem_with_help(input.brief_in(), Some(help)),
                    // A number as a double reads it, but too large or long to hold exactly.
                    None if number.parse::<f64>().is_ok() => out_of_range(input, number),
                    None => not_a_number(input, declared),
                });
            };
            if unit_text.starts_with(',') {
                if let Some(help) = comma_help(s) {
                    return Err(problem_with_help(input.brief_in(), Some(help)));
                }
            }
            (n, Some(unit_text))
        }
        AuditInput::Map(entries) => {
            let (Some(AuditInput::Number(Ok(n))), Some(AuditInput::Text(u)), 2) =
                (input.get("value"), input.get("unit"), entries.len())
            else {
                return Err(not_a_quantity_object(input));
            };
            (*n, Some(u.as_str()))
        }
        _ => return Err(problem(input)),
    };
    // The declared unit is used as it is when the audit writes it so.
    let written: Unit;
    let unit = match unit_text.map(trim) {
        Some(text) if !text.is_empty() && text != declared.name() => {
            written = Unit::parse_or_why(text).map_err(|why| not_a_unit(input, &why, declared))?;
            noticed.other_volume_basis |= other_volume_basis(declared, &written);
            noticed.scaled_plain |= declared.name().is_empty() && written.factor() != Num::ONE;
            &written
        }
        _ => declared,
    };
    if unit.dim() != dim {
        return Err(other_dimension(value, unit, input, declared));
    }
    unit.to_base(value).ok_or_else(|| problem(input))
}

// The problems of a quantity, out of line: converting a good one does not
// make room for them.

/// A number that reads as one but is not held: one that is not finite
/// (`inf`, `nan`), or one past the exact-decimal limit. The message says
/// which; the help, what to give instead.
#[cold]
#[inline(never)]
fn out_of_range(input: &AuditInput, number: &str) -> Box<Problem> {
    let given = input.brief_in();
    let unsigned = number.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if matches!(unsigned.as_str(), "inf" | "infinity" | "nan") {
        let help = Labels::new(
            "give a finite number, or leave the fact out while it is not known",
            "请给出有限数值；尚不知道时，不填此数据项",
        );
        let given =
            Labels::new(format!("{}, which is not a finite number", given.en), format!("{}，不是有限数值", given.zh));
        return problem_with_help(given, Some(help));
    }
    let given = if too_small(&unsigned) {
        Labels::new(
            format!("{}, which is too small to hold exactly", given.en),
            format!("{}，数值过小，无法精确保存", given.zh),
        )
    } else {
        Labels::new(
            format!("{}, which is too large or too long to hold exactly", given.en),
            format!("{}，数值过大或位数过多，无法精确保存", given.zh),
        )
    };
    problem_with_help(given, Some(number_range()))
}

/// Whether a number refused by [`Num::parse`] (`unsigned`, lowercase) was
/// refused for its size below 1 (`1e-31`, `1.5e-40`) rather than for its
/// digits: it has no more significant digits than a number may have.
fn too_small(unsigned: &str) -> bool {
    let mantissa = unsigned.split('e').next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    (1..=crate::num::MAX_DIGITS).contains(&significant) && unsigned.parse::<f64>().is_ok_and(|v| v < 1.0)
}

#[cold]
#[inline(never)]
fn not_a_quantity_object(input: &AuditInput) -> Box<Problem> {
    let other = match input {
        AuditInput::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).find(|k| !matches!(*k, "value" | "unit")),
        _ => None,
    };
    // What is wrong with it, where that can be told.
    let help = match (input.get("value"), input.get("unit"), other) {
        (Some(AuditInput::Number(Err(_))), _, _) => number_range(),
        (Some(AuditInput::Null), _, _) => Labels::new(
            "its `value` is null: leave the fact out while it is not known",
            "其 `value` 为 null：尚不知道时，不填此数据项",
        ),
        (Some(v @ (AuditInput::Text(_) | AuditInput::Bool(_) | AuditInput::List(_) | AuditInput::Map(_))), _, _) => {
            let given = v.brief_in();
            Labels::new(
                format!("its `value` must be a number, not {}", given.en),
                format!("其 `value` 应为数值，而非 {}", given.zh),
            )
        }
        (Some(_), Some(u), _) if !matches!(u, AuditInput::Text(_)) => {
            Labels::new("its `unit` must be a text, such as \"m\"", "其 `unit` 应为文本，如 \"m\"")
        }
        (Some(_), Some(_), Some(other)) => Labels::new(
            format!("a quantity holds only `value` and `unit`; `{other}` is not read"),
            format!("量只含 `value` 与 `unit`；`{other}` 不会被读取"),
        ),
        _ => Labels::new(
            "write a quantity as {\"value\": 25, \"unit\": \"m\"}",
            "量写作 {\"value\": 25, \"unit\": \"m\"}",
        ),
    };
    problem_with_help(input.brief_in(), Some(help))
}

#[cold]
#[inline(never)]
fn not_a_unit(input: &AuditInput, why: &NotAUnit, declared: &Unit) -> Box<Problem> {
    // `50 ％`: the full-width sign is the problem, not the unit; in
    // `1×10⁻⁷ cm/s`, the power of ten; in `1 000 m³/d`, a thousands
    // separator; in `0.025L mg/L`, a lab sheet's mark; in `25 毫克/立方米`,
    // the unit's Chinese name.
    let other = || match input {
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            power_of_ten_help(number, unit_text)
                .or_else(|| space_thousands_help(number, unit_text))
                .or_else(|| below_detection_mark_help(number, unit_text, declared))
                .or_else(|| chinese_unit_help(number, unit_text))
        }
        _ => None,
    };
    let help = half_width_help(input).or_else(other).unwrap_or_else(|| why.labels());
    problem_with_help(input.brief_in(), Some(help))
}

/// `15 kg (a mass)` given for a length; `0.5L` given for a concentration
/// is a lab sheet's mark of a value below the detection limit, not litres.
#[cold]
#[inline(never)]
fn other_dimension(value: Num, unit: &Unit, input: &AuditInput, declared: &Unit) -> Box<Problem> {
    let given = if unit.name().is_empty() {
        Labels::new(format!("{value} (a plain number)"), format!("{value}（纯数）"))
    } else {
        Labels::new(
            format!("{value} {unit} ({})", unit.dim().describe_in_brackets()),
            format!("{value} {unit}（{}）", unit.dim().describe_in_brackets_zh()),
        )
    };
    let help = match input {
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            below_detection_mark_help(number, unit_text, declared)
        }
        _ => None,
    };
    problem_with_help(given, help)
}

/// The problem of a text given for a number that does not start with
/// one: a lab sheet's `ND` or `<0.5 mg/L` is told what to give instead.
#[cold]
#[inline(never)]
fn not_a_number(input: &AuditInput, declared: &Unit) -> Box<Problem> {
    match input {
        AuditInput::Text(s) => match lab_sheet_help(s, declared) {
            Some(help) => problem_with_help(input.brief_in(), Some(help)),
            None => problem(input),
        },
        _ => problem(input),
    }
}

/// The problem of a text given for an enum that is none of its codes:
/// one of its labels (`低温干燥`, or the start of `低温干燥(桨叶+闪蒸等)`)
/// is told the code; a code misspelt, the closest.
#[cold]
#[inline(never)]
fn not_a_code(input: &AuditInput, given: &str, variants: &[(String, Labels)]) -> Box<Problem> {
    let labelled = |prefix: bool| {
        let mut found = variants.iter().filter(|(_, label)| {
            let (zh, en) = (label.zh.trim(), label.en.trim());
            zh == given
                || (!en.is_empty() && en.eq_ignore_ascii_case(given))
                || (prefix && given.chars().count() >= 2 && (zh.starts_with(given) || en.starts_with(given)))
        });
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    let help = match labelled(false).or_else(|| labelled(true)) {
        Some((code, label)) => Some(Labels::new(
            format!(
                "give the code, not the label: did you mean `{code}` ({})?",
                if label.en.is_empty() { &label.zh } else { &label.en }
            ),
            format!("请填代码而非名称：是否应为 `{code}`（{}）？", label.zh),
        )),
        None => crate::suggest::did_you_mean_in(given, variants.iter().map(|(v, _)| v.as_str())),
    };
    problem_with_help(input.brief_in(), help)
}

/// `"25 mg/L"` as its number and its unit text (`"25"`, `" mg/L"`).
pub(super) fn split_quantity(text: &str) -> (&str, &str) {
    let text = trim(text);
    // the number ends where its characters do (all of them ASCII)
    let split = text.bytes().position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')));
    text.split_at(split.unwrap_or(text.len()))
}

/// The report's warning for `input`, a value of `fact` given per litre
/// where the fact is per cubic metre or the other way round (in one of its
/// items, for a list): names the first such unit.
#[cold]
pub(super) fn volume_basis_warning(fact: &FactDef, name: &str, input: &AuditInput) -> Labels {
    let plain = Unit::none();
    let declared = fact.unit.as_ref().unwrap_or(&plain);
    let written = |input: &AuditInput| match input {
        AuditInput::Text(s) => Unit::parse(split_quantity(s).1).ok(),
        AuditInput::Map(_) => match input.get("unit") {
            Some(AuditInput::Text(u)) => Unit::parse(u).ok(),
            _ => None,
        },
        _ => None,
    };
    let items = match input {
        AuditInput::List(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let given = items.iter().filter_map(written).find(|u| other_volume_basis(declared, u)).unwrap_or_else(Unit::none);
    let (declared_basis, given_basis) = (VolumeBasis::of(declared), VolumeBasis::of(&given));
    let en = |basis: Option<VolumeBasis>| basis.map_or("", VolumeBasis::en);
    let zh = |basis: Option<VolumeBasis>| basis.map_or("", VolumeBasis::zh);
    let ratio = given.factor().checked_div(declared.factor()).unwrap_or(Num::ONE);
    let (declared, given) = (declared.name(), given.name());
    Labels {
        en: format!(
            "fact `{name}` is declared in {declared} ({}) but given in {given} ({}): 1 {given} is {ratio} {declared}, \
             and it is scored so; check the unit",
            en(declared_basis),
            en(given_basis),
        ),
        zh: format!(
            "数据项 `{name}` 的单位声明为 {declared}（{}），给出的却是 {given}（{}）：1 {given} 即 {ratio} {declared}，\
             已按此计分；请核对单位",
            zh(declared_basis),
            zh(given_basis),
        ),
    }
}

/// `text.trim()`, without decoding characters where the text starts, and
/// ends, with a visible ASCII character (as numbers and most units do).
pub(super) fn trim(text: &str) -> &str {
    // ASCII whitespace is whitespace to `trim` too.
    let text = text.trim_ascii_start();
    let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    match (plain(text.as_bytes().first()), plain(text.as_bytes().last())) {
        (true, true) => text,
        (true, false) => text.trim_end(),
        (false, _) => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `trim` is `str::trim`, on texts with every kind of whitespace.
        #[test]
        fn trim_is_str_trim(text in "[ \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{3000}\u{2028}a1³µ/.-]{0,8}") {
            prop_assert_eq!(trim(&text), text.trim());
        }
    }
}

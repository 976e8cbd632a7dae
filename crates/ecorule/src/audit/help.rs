//! Help for an audit value written wrongly, by the mistakes people make
//! copying figures from lab sheets and spreadsheets: a decimal comma or
//! point in the wrong place, thousands separators, full-width digits, a
//! power of ten, a lab sheet's "below detection" mark, a unit's Chinese
//! name. Each is tried only once a value has failed to convert.

use crate::ir::Labels;
use crate::num::Num;
use crate::units::Unit;

use super::AuditInput;
use super::convert::{split_quantity, trim};

/// The help for a text typed with full-width digits or signs: the text
/// in ASCII; or with a unit of one character (`㎎`, `㎥`), as a word
/// processor writes it: the text with the unit in letters.
pub(super) fn half_width_help(input: &AuditInput) -> Option<Labels> {
    let AuditInput::Text(text) = input else { return None };
    match half_width(text) {
        Some(ascii) => {
            let ascii = unit_letters(&ascii).unwrap_or(ascii);
            Some(Labels::new(
                format!("write digits and symbols in ASCII: \"{ascii}\""),
                format!("数字与符号请用半角：\"{ascii}\""),
            ))
        }
        None => {
            let letters = unit_letters(text)?;
            Some(Labels::new(
                format!("write the unit in letters, not as one character: \"{letters}\""),
                format!("单位请用字母书写，不用单个组合字符：应写作 \"{letters}\""),
            ))
        }
    }
}

/// `text` with its units of one character (the CJK compatibility forms
/// `㎎`, `㎏`, `㎖`, `㎥`, `㎞`; `ℓ`) in letters; `None` when it has none.
fn unit_letters(text: &str) -> Option<String> {
    let letters = |c: char| {
        Some(match c {
            '㎍' => "µg",
            '㎎' => "mg",
            '㎏' => "kg",
            '㎖' | '㏄' => "mL",
            'ℓ' => "L",
            '㎜' => "mm",
            '㎝' => "cm",
            '㎞' => "km",
            '㎟' => "mm²",
            '㎠' => "cm²",
            '㎡' => "m²",
            '㎢' => "km²",
            '㎣' => "mm³",
            '㎤' => "cm³",
            '㎥' => "m³",
            '㎦' => "km³",
            '㎧' => "m/s",
            '㎩' => "Pa",
            '㎪' => "kPa",
            '㎫' => "MPa",
            '㎾' => "kW",
            '㎿' => "MW",
            '㏈' => "dB(A)",
            _ => return None,
        })
    };
    if !text.chars().any(|c| letters(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| letters(c).map_or_else(|| c.to_string(), str::to_string)).collect())
}

/// `text` with full-width digits and signs (as a Chinese input method
/// types them: `２５ ｍ`, `５０ ％`, `20 ℃`) in ASCII; `None` when it has none.
fn half_width(text: &str) -> Option<String> {
    let ascii = |c: char| match c {
        // The full-width forms of ASCII `!` to `~` are 0xFEE0 above them.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).map(String::from),
        '\u{3000}' => Some(" ".to_string()),
        '℃' => Some("°C".to_string()),
        _ => None,
    };
    if !text.chars().any(|c| ascii(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| ascii(c).unwrap_or_else(|| c.to_string())).collect())
}

/// The help for `15.m` or `.5 m`, a number without a digit on one side of
/// its point (which a double reads, but the language does not): the value
/// with a `0` there.
#[cold]
#[inline(never)]
pub(super) fn point_help(number: &str, unit_text: &str) -> Option<Labels> {
    let (sign, digits) = number.split_at(usize::from(number.starts_with(['-', '+'])));
    let (mantissa, exponent) = digits.split_at(digits.find(['e', 'E']).unwrap_or(digits.len()));
    let fixed = match (mantissa.strip_prefix('.'), mantissa.strip_suffix('.')) {
        (Some(after), _) => format!("{sign}0.{after}{exponent}"),
        (None, Some(before)) => format!("{sign}{before}.0{exponent}"),
        (None, None) => return None,
    };
    Num::parse(&fixed)?;
    let shown = with_unit(&fixed, unit_text);
    Some(Labels::new(
        format!("a number has digits on both sides of its point: write \"{shown}\""),
        format!("小数点两边都要有数字：应写作 \"{shown}\""),
    ))
}

/// The help for `15,5 m` (a decimal comma) or `1,000 m` (a thousands
/// separator), whose number ends at the comma and whose unit would be
/// `,5 m`: the number with a point, or without the comma.
#[cold]
#[inline(never)]
pub(super) fn comma_help(text: &str) -> Option<Labels> {
    let text = trim(text);
    let end = text.find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+'))).unwrap_or(text.len());
    let (written, unit_text) = text.split_at(end);
    let mut groups = written.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    // `1,000` and `1,000,000.5`: groups of three digits after each comma.
    let thousands = !rest.is_empty()
        && rest
            .iter()
            .all(|g| g.split('.').next().is_some_and(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())));
    let decimal = match rest.as_slice() {
        [fraction] if !first.contains('.') && !fraction.contains('.') => Some(format!("{first}.{fraction}")),
        _ => None,
    }
    .filter(|d| Num::parse(d).is_some());
    let whole = written.replace(',', "");
    let help = match (thousands && Num::parse(&whole).is_some(), decimal) {
        (true, Some(decimal)) => {
            let (whole, decimal) = (with_unit(&whole, unit_text), with_unit(&decimal, unit_text));
            Labels::new(
                format!(
                    "a number has no thousands separators: write \"{whole}\" (or \"{decimal}\" if the comma is a decimal point)"
                ),
                format!("数字不用千位分隔符：应写作 \"{whole}\"（若逗号是小数点，应写作 \"{decimal}\"）"),
            )
        }
        (true, None) => thousands_help(&with_unit(&whole, unit_text)),
        (false, Some(decimal)) => {
            let decimal = with_unit(&decimal, unit_text);
            Labels::new(
                format!("a decimal comma is written as a point: \"{decimal}\""),
                format!("小数点用 `.`，不用逗号：应写作 \"{decimal}\""),
            )
        }
        (false, None) => return None,
    };
    Some(help)
}

/// The help for `1×10⁻⁷ cm/s` (or `1x10^-7`, `1*10-7`), a power of ten
/// as standards print it, whose unit would be `×10⁻⁷ cm/s`: the number
/// with an exponent, `1e-7 cm/s`.
#[cold]
#[inline(never)]
pub(super) fn power_of_ten_help(number: &str, unit_text: &str) -> Option<Labels> {
    // A sign of multiplication first: `5 102 cm` is no power of ten.
    let unit_text = trim(unit_text);
    let rest = unit_text.trim_start_matches(['×', 'x', 'X', '*', '·', '⋅']);
    if rest.len() == unit_text.len() {
        return None;
    }
    let rest = rest.trim_start().strip_prefix("10")?;
    let rest = rest.strip_prefix('^').unwrap_or(rest);
    let (mut exponent, rest) = match rest.chars().next() {
        Some(c @ ('-' | '⁻' | '−')) => (String::from("-"), rest.get(c.len_utf8()..)?),
        Some(c @ ('+' | '⁺')) => (String::new(), rest.get(c.len_utf8()..)?),
        _ => (String::new(), rest),
    };
    let digit = |c: char| c.to_digit(10).or_else(|| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c)?.try_into().ok());
    let end = rest.find(|c: char| digit(c).is_none()).unwrap_or(rest.len());
    let digits = rest.get(..end)?;
    if digits.is_empty() {
        return None;
    }
    exponent.extend(digits.chars().filter_map(|c| char::from_digit(digit(c)?, 10)));
    let fixed = format!("{number}e{exponent}");
    Num::parse(&fixed)?;
    let shown = with_unit(&fixed, rest.get(end..).unwrap_or_default());
    Some(Labels::new(
        format!("write a power of ten with `e`: \"{shown}\""),
        format!("10 的乘方用 `e` 表示：应写作 \"{shown}\""),
    ))
}

/// `15.0 m`: a number and the unit written after it, if any.
fn with_unit(number: &str, unit_text: &str) -> String {
    match trim(unit_text) {
        "" => number.to_string(),
        unit => format!("{number} {unit}"),
    }
}

/// What to do about a value below the detection limit, `limit` (as
/// written, with its unit) if it is known: ecorule takes measured values
/// only, and a fact left out leaves the clauses it decides undecided.
fn below_detection_advice(limit: Option<&str>) -> Labels {
    let (en, zh) = match limit {
        Some(limit) => (format!(" or the detection limit \"{limit}\""), format!("或检出限 \"{limit}\"")),
        None => (" or the detection limit".to_string(), "或检出限".to_string()),
    };
    Labels::new(
        format!(
            "ecorule has no value for below the detection limit: give the measured value{en}, as your regulator \
             requires, or leave the fact out so that the clauses it decides stay undecided"
        ),
        format!(
            "ecorule 没有“低于检出限”这种值：请按主管部门的要求填实测值{zh}；或不填此数据项，由它判定的条款暂不判定"
        ),
    )
}

/// The help for a value a lab sheet writes for a measurement below the
/// detection limit, or for a bound: `ND`, `未检出`, `<0.5 mg/L`,
/// `≤20 mg/L`, `>5`; `None` for other text.
#[cold]
#[inline(never)]
pub(super) fn lab_sheet_help(text: &str, declared: &Unit) -> Option<Labels> {
    let text = trim(text);
    let first = text.split(|c: char| c.is_whitespace() || matches!(c, '(' | '（')).next().unwrap_or_default();
    let not_detected = matches!(first.to_ascii_uppercase().as_str(), "ND" | "N.D." | "N.D" | "BDL" | "<DL" | "<LOD")
        || ["未检出", "未检测出", "低于检出限", "小于检出限"].iter().any(|w| text.starts_with(w));
    if not_detected {
        let advice = below_detection_advice(None);
        return Some(Labels::new(
            format!("`{first}` means not detected (below the detection limit); {}", advice.en),
            format!("`{first}` 表示未检出（低于检出限）；{}", advice.zh),
        ));
    }
    let below = ["<=", "≤", "≦", "<", "＜", "﹤"].iter().find_map(|s| text.strip_prefix(s).map(|rest| (s, rest)));
    if let Some((sign, rest)) = below {
        let (number, unit_text) = split_quantity(rest);
        Num::parse(number)?;
        let limit = with_unit(number, if trim(unit_text).is_empty() { declared.name() } else { unit_text });
        let advice = below_detection_advice(Some(&limit));
        return Some(Labels::new(
            format!("`{sign}` marks a bound, not a value: if {limit} is the detection limit, {}", advice.en),
            format!("`{sign}` 表示界限而非数值：若 {limit} 是检出限，{}", advice.zh),
        ));
    }
    let above = [">=", "≥", "≧", ">", "＞", "﹥"].iter().find_map(|s| text.strip_prefix(s).map(|rest| (s, rest)));
    let (sign, rest) = above?;
    Num::parse(split_quantity(rest).0)?;
    Some(Labels::new(
        format!("`{sign}` marks a bound, not a value: give the measured value"),
        format!("`{sign}` 表示界限而非数值：请填实测值"),
    ))
}

/// The help for `0.025L mg/L`, or `0.5L` for a fact that is not a volume:
/// an `L` right after the number is the mark HJ monitoring standards give
/// a result below the detection limit of that number. `0.5 L`, with a
/// space, is litres.
#[cold]
#[inline(never)]
pub(super) fn below_detection_mark_help(number: &str, unit_text: &str, declared: &Unit) -> Option<Labels> {
    let after = unit_text.strip_prefix('L')?;
    Num::parse(number)?;
    let unit = if after.is_empty() {
        declared.name()
    } else if after.starts_with(char::is_whitespace) && Unit::parse(trim(after)).is_ok() {
        trim(after)
    } else {
        return None;
    };
    let limit = with_unit(number, unit);
    let advice = below_detection_advice(Some(&limit));
    Some(Labels::new(
        format!(
            "`{number}L` is how HJ monitoring standards mark a result below the detection limit of {number}; {}",
            advice.en
        ),
        format!("`{number}L` 是 HJ 监测标准中“低于检出限 {number}”的写法；{}", advice.zh),
    ))
}

/// The help for `1 000 m³/d`, a space (or a thin space) as a thousands
/// separator, whose unit would be `000 m³/d`: as for `1,000 m³/d`.
#[cold]
#[inline(never)]
pub(super) fn space_thousands_help(number: &str, unit_text: &str) -> Option<Labels> {
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut whole = number.to_string();
    let mut rest = unit_text;
    // Each group: a space, then three digits not followed by another digit.
    while let Some(after) = rest.strip_prefix(char::is_whitespace) {
        let group = after.get(..3).filter(|g| g.bytes().all(|b| b.is_ascii_digit()));
        let Some(group) = group else { break };
        if after.as_bytes().get(3).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        whole.push_str(group);
        rest = after.get(3..).unwrap_or_default();
    }
    if whole.len() == number.len() {
        return None;
    }
    // A decimal part after the last group: `1 000.5 m`.
    let (fraction, unit_text) = split_quantity(rest);
    let whole = format!("{whole}{fraction}");
    Num::parse(&whole)?;
    Some(thousands_help(&with_unit(&whole, unit_text)))
}

/// "a number has no thousands separators: write \"1000 m\"".
fn thousands_help(whole: &str) -> Labels {
    Labels::new(
        format!("a number has no thousands separators: write \"{whole}\""),
        format!("数字不用千位分隔符：应写作 \"{whole}\""),
    )
}

/// The help for `25 毫克/立方米`, a unit written by its Chinese name: the
/// unit's symbol, `25 mg/m³`, when every name in it has one.
#[cold]
#[inline(never)]
pub(super) fn chinese_unit_help(number: &str, unit_text: &str) -> Option<Labels> {
    let mut symbols = trim(unit_text).to_string();
    for (name, symbol) in CHINESE_UNITS {
        symbols = symbols.replace(name, symbol);
    }
    let symbols = symbols.replace(' ', "");
    if symbols == trim(unit_text) || Unit::parse(&symbols).is_err() {
        return None;
    }
    let shown = with_unit(number, &symbols);
    Some(Labels::new(
        format!("write the unit as its symbol: \"{shown}\""),
        format!("单位请用符号书写：应写作 \"{shown}\""),
    ))
}

/// Units written by their Chinese names, as a lab sheet or a form may
/// give them, and the symbols they stand for; a longer name before any
/// name it holds (`毫克` before `克`).
const CHINESE_UNITS: &[(&str, &str)] = &[
    ("立方米", "m³"),
    ("平方米", "m²"),
    ("毫克", "mg"),
    ("微克", "µg"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("克", "g"),
    ("吨", "t"),
    ("毫升", "mL"),
    ("升", "L"),
    ("公里", "km"),
    ("千米", "km"),
    ("厘米", "cm"),
    ("毫米", "mm"),
    ("米", "m"),
    ("小时", "h"),
    ("分钟", "min"),
    ("秒", "s"),
    ("天", "d"),
    ("年", "a"),
    ("千帕", "kPa"),
    ("兆帕", "MPa"),
    ("帕", "Pa"),
    ("千瓦", "kW"),
    ("兆瓦", "MW"),
    ("瓦", "W"),
    ("摄氏度", "°C"),
    ("分贝", "dB(A)"),
    ("每", "/"),
];

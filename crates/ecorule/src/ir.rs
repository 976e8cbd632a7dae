//! The checked program: names resolved to slots, units to base values.
//!
//! `check` builds it once per rulebook; `eval` runs it once per audit and
//! never looks a name up or parses anything.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::ast::{Lookup, NaPolicy};
use crate::num::Num;
use crate::units::{Dim, Unit};

/// A static type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    Bool,
    /// A number of the given dimension (`Dim::NONE` for plain numbers).
    Num(Dim),
    Text,
    /// An enum, by index into [`Program::enums`].
    Enum(usize),
    Date,
    List(Box<Ty>),
}

/// A runtime value. Quantities are in base units; enum values are their
/// variant names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Value {
    Bool(bool),
    Num(Num),
    Text(Arc<str>),
    Date(NaiveDate),
    List(Arc<[Value]>),
}

/// Labels in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Labels {
    /// Chinese.
    pub zh: String,
    /// English (may be empty).
    #[serde(default)]
    pub en: String,
}

impl Labels {
    /// A text in English and Chinese: `Labels::new("a number", "数值")`.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Labels { en: en.into(), zh: zh.into() }
    }

    /// The English label, or the Chinese one when there is none.
    pub fn en_or_zh(&self) -> &str {
        if self.en.is_empty() { &self.zh } else { &self.en }
    }

    /// The Chinese label, or the English one when there is none.
    pub fn zh_or_en(&self) -> &str {
        if self.zh.is_empty() { &self.en } else { &self.zh }
    }

    /// Both in one line, `中文 (English)`, or the Chinese alone.
    pub fn both(&self) -> String {
        if self.en.is_empty() { self.zh.clone() } else { format!("{} ({})", self.zh, self.en) }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EnumDef {
    pub variants: Vec<(String, Labels)>,
}

/// A declared (or built-in) fact and its slot.
#[derive(Debug, Clone)]
pub(crate) struct FactDef {
    pub name: String,
    pub ty: Ty,
    /// Declared unit of a quantity (days for durations).
    pub unit: Option<Unit>,
    /// The unit a report shows its values in: the declared one, or `%` for
    /// a share (`0.82` is shown `82%`, as its conditions write it).
    pub shown_in: Option<Unit>,
    pub labels: Labels,
    pub help: Option<Labels>,
    pub builtin: bool,
    /// The values an audit may give it (each item, for a list).
    pub bounds: FactBounds,
}

/// A fact's `min` and `max`, each inclusive: numbers in base units, or
/// dates; and whether it is a count, whose values are whole numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FactBounds {
    pub min: Option<Value>,
    pub max: Option<Value>,
    pub whole: bool,
}

impl FactBounds {
    /// Whether the fact takes any value of its type.
    pub(crate) fn is_none(&self) -> bool {
        self.min.is_none() && self.max.is_none() && !self.whole
    }

    /// Whether the fact is a share: at most 1 (`max 1`, `max 21 %`), so a
    /// value in `%` or `‰` is meant as one. A count is not, even `max 1`.
    pub(crate) fn is_share(&self) -> bool {
        !self.whole && self.max.as_ref().is_some_and(|hi| order(hi, &Value::Num(Num::ONE)).is_some_and(Ordering::is_le))
    }

    /// Whether `value`, a single value of the fact's type, lies within.
    pub(crate) fn admit(&self, value: &Value) -> bool {
        let above_min = self.min.as_ref().is_none_or(|lo| order(value, lo).is_some_and(Ordering::is_ge));
        let below_max = self.max.as_ref().is_none_or(|hi| order(value, hi).is_some_and(Ordering::is_le));
        let whole = !self.whole || matches!(value, Value::Num(n) if n.is_integer());
        above_min && below_max && whole
    }

    /// `from 0 to 1`, `of at least 0 m`, `no later than 2030-12-31`: what
    /// follows the type in an error's "expects …".
    pub(crate) fn describe(&self, unit: Option<&Unit>) -> String {
        let date = matches!(self.min.as_ref().or(self.max.as_ref()), Some(Value::Date(_)));
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) => {
                let percent = self.as_percent(unit).map(|(l, h)| format!(" (that is {l} to {h})"));
                format!("from {} to {}{}", lo.show(unit), hi.show(unit), percent.unwrap_or_default())
            }
            (Some(lo), None) if date => format!("no earlier than {}", lo.show(unit)),
            (Some(lo), None) => format!("of at least {}", lo.show(unit)),
            (None, Some(hi)) if date => format!("no later than {}", hi.show(unit)),
            (None, Some(hi)) => format!("of at most {}", hi.show(unit)),
            (None, None) => String::new(),
        }
    }

    /// Both bounds as percentages, for a plain number bounded within 0 and
    /// 1: a share, which a form may take in `%` (`0 %`, `100 %`).
    fn as_percent(&self, unit: Option<&Unit>) -> Option<(String, String)> {
        if self.whole || unit.is_some_and(|u| !u.name().is_empty()) {
            return None;
        }
        let percent = |v: &Option<Value>| match v {
            Some(Value::Num(n)) if *n >= Num::ZERO && *n <= Num::ONE => {
                n.checked_mul(Num::int(100)).map(|p| format!("{} %", p.to_decimal()))
            }
            _ => None,
        };
        Some((percent(&self.min)?, percent(&self.max)?))
    }

    /// [`Bounds::describe`] in Chinese: `介于 0 与 1 之间`, `不晚于 2030-12-31`.
    pub(crate) fn describe_zh(&self, unit: Option<&Unit>) -> String {
        let date = matches!(self.min.as_ref().or(self.max.as_ref()), Some(Value::Date(_)));
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) => {
                let percent = self.as_percent(unit).map(|(l, h)| format!("（即 {l} 至 {h}）"));
                format!("介于 {} 与 {} 之间{}", lo.show(unit), hi.show(unit), percent.unwrap_or_default())
            }
            (Some(lo), None) if date => format!("不早于 {}", lo.show(unit)),
            (Some(lo), None) => format!("不小于 {}", lo.show(unit)),
            (None, Some(hi)) if date => format!("不晚于 {}", hi.show(unit)),
            (None, Some(hi)) => format!("不大于 {}", hi.show(unit)),
            (None, None) => String::new(),
        }
    }
}

/// The order of two numbers or two dates; `None` for other values.
pub(crate) fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub(crate) struct TableDef {
    /// `module.table`
    pub name: String,
    pub param_names: Vec<String>,
    pub params: Vec<Ty>,
    pub key_units: Vec<Option<Unit>>,
    pub value_ty: Ty,
    pub value_unit: Option<Unit>,
    pub lookup: Lookup,
    /// Rows sorted by their last key when the look-up is not `exact`;
    /// shared, since every rulebook that uses a bundled module copies its
    /// tables.
    pub rows: Arc<[(Vec<Value>, Value)]>,
    pub unverified: Option<Reason>,
}

impl TableDef {
    /// The distinct keys its rows give in key position `i`, in row order.
    pub fn keys_at(&self, i: usize) -> Vec<&Value> {
        let mut seen = std::collections::HashSet::with_hasher(FastHash);
        self.rows.iter().filter_map(|(k, _)| k.get(i)).filter(|key| seen.insert(*key)).collect()
    }

    /// `its rows have `level` "1", "2" or "3"`: the keys in position `i`,
    /// for an error about a key no row has; texts in quotes as a rulebook
    /// writes them when `quoted`, else as an audit gives them.
    pub fn keys_text(&self, i: usize, quoted: bool) -> String {
        let unit = self.key_units.get(i).and_then(Option::as_ref);
        let shown: Vec<String> =
            self.keys_at(i).iter().map(|k| if quoted { k.quoted(unit) } else { k.show(unit) }).collect();
        let param = self.param_names.get(i).map_or("key", String::as_str);
        format!("its rows have `{param}` {}", word_list(&shown, "or"))
    }
}

/// `a`, `a or b`, `a, b or c` with `word` "or" (or "and").
pub(crate) fn word_list(items: &[String], word: &str) -> String {
    match items {
        [init @ .., last] if !init.is_empty() => format!("{} {word} {last}", init.join(", ")),
        _ => items.join(""),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    Min,
    Max,
    Abs,
    Count,
    All,
    Any,
    DaysBetween,
}

impl Builtin {
    /// The built-in function called `name` in a rulebook, if there is one.
    pub(crate) fn named(name: &str) -> Option<Builtin> {
        Some(match name {
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            "abs" => Builtin::Abs,
            "count" => Builtin::Count,
            "all" => Builtin::All,
            "any" => Builtin::Any,
            "days_between" => Builtin::DaysBetween,
            _ => return None,
        })
    }
}

/// How `date ± duration` moves a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shift {
    /// `+`, else `−`.
    pub add: bool,
    /// By calendar years: the duration is written in years (`1 a`, `-1 a`,
    /// an `if` of two, a `let` or module constant written so). Else by
    /// exact days.
    pub years: bool,
}

impl Shift {
    /// The unit it moves by: seconds in one, and its name.
    pub(crate) fn unit(self) -> (i64, &'static str) {
        if self.years { (YEAR, "years") } else { (DAY, "days") }
    }
}

/// Seconds in a day and in a year as a duration holds them (365 days).
pub(crate) const DAY: i64 = 86_400;
pub(crate) const YEAR: i64 = 365 * DAY;

/// Why a date could not be moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShiftError {
    /// By a duration that is not whole days (or whole years, by years):
    /// the count it is.
    NotWhole(Num),
    /// Past the dates a report can show.
    OutOfRange,
}

/// `date ± seconds` as `shift` says: by whole calendar years (the same
/// day of the month, 29 February to 28 February in a common year) or by
/// whole days.
pub(crate) fn shift_date(date: NaiveDate, shift: Shift, seconds: Num) -> Result<NaiveDate, ShiftError> {
    let count = seconds.checked_div(Num::int(shift.unit().0)).ok_or(ShiftError::OutOfRange)?;
    if !count.is_integer() {
        return Err(ShiftError::NotWhole(count));
    }
    shift_by(date, shift, count.trunc_i64().ok_or(ShiftError::OutOfRange)?)
}

/// `date ± count` whole years or days, as `shift` says.
pub(crate) fn shift_by(date: NaiveDate, shift: Shift, count: i64) -> Result<NaiveDate, ShiftError> {
    let count = if shift.add { Some(count) } else { count.checked_neg() };
    let count = count.ok_or(ShiftError::OutOfRange)?;
    let shifted = if shift.years {
        let months = count.checked_mul(12).and_then(|m| u32::try_from(m.unsigned_abs()).ok());
        let months = chrono::Months::new(months.ok_or(ShiftError::OutOfRange)?);
        if count < 0 { date.checked_sub_months(months) } else { date.checked_add_months(months) }
    } else {
        chrono::Duration::try_days(count).and_then(|days| date.checked_add_signed(days))
    };
    shifted.ok_or(ShiftError::OutOfRange)
}

/// A typed expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Const(Value),
    /// A module constant: its value, and its index in [`Program::constants`].
    Constant(usize),
    Fact(usize),
    Table(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    List(Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    Arith(Arith, Box<Expr>, Box<Expr>),
    /// date ± duration.
    DateShift(Shift, Box<Expr>, Box<Expr>),
    /// date − date
    DateDiff(Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A `let`, by index into [`Program::lets`], so explanations can show its value.
    Let(usize, Box<Expr>),
    /// `score` in grade and verdict rules.
    Score,
    /// `vetoed` (empty) or `vetoed(A, B)` by clause index.
    Vetoed(Option<Vec<usize>>),
}

/// A `let`: its name, the unit its value is shown in, and whether it is an
/// unverified parameter.
#[derive(Debug, Clone)]
pub(crate) struct LetDef {
    pub name: String,
    pub unit: Option<Unit>,
    pub unverified: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ConstantDef {
    /// `module.name`
    pub name: String,
    pub value: Value,
    pub unit: Option<Unit>,
    pub unverified: Option<Reason>,
}

/// Why a value is not yet verified. A reason is written in one language
/// (`unverified "…"`), or in Chinese then English (`unverified "…" en
/// "…"`): `text` is the English then, or the one reason given, and `zh`
/// the Chinese of the two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Reason {
    pub text: String,
    pub zh: Option<String>,
}

impl Reason {
    pub(crate) fn of(title: &crate::ast::Title) -> Reason {
        match &title.en {
            Some(en) => Reason { text: en.node.to_string(), zh: Some(title.zh.node.to_string()) },
            None => Reason { text: title.zh.node.to_string(), zh: None },
        }
    }
}

/// One condition with the text it was written as, for explanations.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    pub expr: Expr,
    pub text: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ClauseDef {
    pub id: String,
    pub labels: Labels,
    pub points: Num,
    pub veto: bool,
    pub refs: Vec<String>,
    pub evidence: Vec<Labels>,
    pub when: Vec<Cond>,
    pub require: Vec<Cond>,
    pub partials: Vec<(Num, Cond)>,
    pub fix: Option<(Labels, u32)>,
    /// Unverified constants and tables the clause reads.
    pub unverified: Vec<(String, Reason)>,
    /// Fact slots its conditions read, in first-read order.
    pub reads: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct AreaDef {
    pub id: String,
    pub labels: Labels,
    pub clauses: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct OutcomeDef {
    pub id: String,
    pub labels: Labels,
    pub condition: Option<Expr>,
}

#[derive(Debug, Clone)]
pub(crate) enum Basis {
    Per(Expr),
    When(Expr),
}

impl Basis {
    /// The count or the condition.
    pub(crate) fn expr(&self) -> &Expr {
        match self {
            Basis::Per(e) | Basis::When(e) => e,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct DeductionDef {
    pub id: String,
    pub labels: Labels,
    pub points: Num,
    pub basis: Basis,
    pub basis_text: String,
    pub max: Option<Num>,
}

#[derive(Debug, Clone)]
pub(crate) struct ScoringDef {
    pub scale: Num,
    pub not_applicable: NaPolicy,
    pub grades: Vec<OutcomeDef>,
    pub verdicts: Vec<OutcomeDef>,
    pub deductions: Vec<DeductionDef>,
}

/// Everything `eval` and `report` need, with nothing left to look up.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub id: String,
    pub labels: Labels,
    pub version: Option<String>,
    pub effective: Option<NaiveDate>,
    pub refs: Vec<String>,
    pub modules: Vec<String>,
    pub facts: Vec<FactDef>,
    /// Fact name to slot, for binding audits.
    pub fact_slots: std::collections::HashMap<String, usize, FastHash>,
    pub enums: Vec<EnumDef>,
    /// Tables and constants, shared with the checked bundled modules they
    /// come from (so a compile copies none of them).
    pub tables: Vec<Arc<TableDef>>,
    pub constants: Vec<Arc<ConstantDef>>,
    /// Checked `let`s, for explanations.
    pub lets: Vec<LetDef>,
    pub areas: Vec<AreaDef>,
    pub clauses: Vec<ClauseDef>,
    pub scoring: ScoringDef,
    /// What the checker noticed but does not refuse (kind `unused`).
    pub warnings: Vec<crate::error::Error>,
    /// The date facts the rulebook counts the time since (`audit.date -
    /// drill.last`, `days_between(drill.last, audit.date)`), in slot order:
    /// a value after the audit date makes that time negative, and meets
    /// every `<=` limit, so the report warns of it.
    pub past_dates: Vec<usize>,
}

/// Slots of the built-in facts, always first.
pub(crate) const AUDIT_DATE: usize = 0;
pub(crate) const AUDIT_ID: usize = 1;
pub(crate) const ENTERPRISE_ID: usize = 2;
pub(crate) const ENTERPRISE_NAME: usize = 3;

impl Ty {
    /// How the type reads in messages: `quantity m`, `one of sea, river`.
    pub(crate) fn describe(&self, enums: &[EnumDef], unit: Option<&Unit>) -> String {
        match self {
            Ty::Bool => "true or false".to_string(),
            Ty::Num(dim) if dim.is_none() => "a number".to_string(),
            Ty::Num(dim) => match unit {
                Some(u) => format!("a quantity in {u}"),
                None => dim.describe(),
            },
            Ty::Text => "text".to_string(),
            Ty::Enum(e) => {
                let names: Vec<&str> =
                    enums.get(*e).map(|d| d.variants.iter().map(|(n, _)| n.as_str()).collect()).unwrap_or_default();
                format!("one of {}", names.join(", "))
            }
            Ty::Date => "a date (YYYY-MM-DD)".to_string(),
            Ty::List(t) => format!("a list of {}", t.describe(enums, unit)),
        }
    }

    /// [`Ty::describe`] in Chinese: `以 m 计的量`, `以下之一：sea（海域）、river（河流）`.
    pub(crate) fn describe_zh(&self, enums: &[EnumDef], unit: Option<&Unit>) -> String {
        match self {
            Ty::Bool => "是或否（true 或 false）".to_string(),
            Ty::Num(dim) if dim.is_none() => "数值".to_string(),
            Ty::Num(dim) => match unit {
                Some(u) => format!("以 {u} 计的量"),
                None => dim.describe_zh(),
            },
            Ty::Text => "文本".to_string(),
            // Each choice as the audit writes it, with its Chinese title.
            Ty::Enum(e) => {
                let variants = enums.get(*e).map(|d| d.variants.as_slice()).unwrap_or_default();
                let names: Vec<String> = variants
                    .iter()
                    .map(|(n, l)| if l.zh.is_empty() { n.clone() } else { format!("{n}（{}）", l.zh) })
                    .collect();
                format!("以下之一：{}", names.join("、"))
            }
            Ty::Date => "日期（YYYY-MM-DD）".to_string(),
            Ty::List(t) => format!("列表，每项为{}", t.describe_zh(enums, unit)),
        }
    }
}

/// A description ([`Ty::describe`], [`Dim::describe`] or their Chinese) as
/// it reads inside a message's own brackets: a bracketed part it ends in
/// follows a comma instead (`a date, YYYY-MM-DD`, `浓度，质量/体积`), so
/// brackets never nest.
pub(crate) fn in_brackets(description: &str) -> String {
    if let Some(head) = description.strip_suffix(')')
        && let Some((name, detail)) = head.rsplit_once(" (")
    {
        return format!("{name}, {detail}");
    }
    if let Some(head) = description.strip_suffix('）')
        && let Some((name, detail)) = head.rsplit_once('（')
    {
        return format!("{name}，{detail}");
    }
    description.to_string()
}

/// Items of a list that [`Value::show`] writes out.
pub(crate) const SHOWN_ITEMS: usize = 10;

impl Value {
    /// The value for people: `12 m`, `2024-05-01`, `[a, b]`; a list of
    /// more than [`SHOWN_ITEMS`] items shows that many and how many more
    /// there are (a month of hourly readings would be 720 in each clause
    /// that reads them).
    pub(crate) fn show(&self, unit: Option<&Unit>) -> String {
        let mut shown = String::new();
        self.write(&mut shown, unit);
        shown
    }

    /// [`Value::show`], a text in quotes as a rulebook writes it (`"3"`).
    pub(crate) fn quoted(&self, unit: Option<&Unit>) -> String {
        let mut shown = String::new();
        self.write_quoted(&mut shown, unit);
        shown
    }

    /// [`Value::show`], appended to `out`.
    pub(crate) fn write(&self, out: &mut String, unit: Option<&Unit>) {
        self.write_with(out, unit, false);
    }

    /// [`Value::quoted`], appended to `out`: each text, alone or in a list,
    /// in quotes, so a `; ` or `, ` inside it, or an empty one, reads as
    /// the text it is.
    pub(crate) fn write_quoted(&self, out: &mut String, unit: Option<&Unit>) {
        self.write_with(out, unit, true);
    }

    fn write_with(&self, out: &mut String, unit: Option<&Unit>, quote_texts: bool) {
        match self {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(n) => match unit {
                Some(u) => u.write(out, *n),
                None => n.write_decimal(out),
            },
            Value::Text(t) if quote_texts => write_quoted(out, t),
            Value::Text(t) => out.push_str(t),
            Value::Date(d) => write_date(out, *d),
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().take(SHOWN_ITEMS).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_with(out, unit, quote_texts);
                }
                if let Some(more) = items.len().checked_sub(SHOWN_ITEMS).filter(|&n| n > 0) {
                    let _ = std::fmt::Write::write_fmt(out, format_args!(", … {more} more"));
                }
                out.push(']');
            }
        }
    }
}

impl Expr {
    /// Calls `f` on each direct sub-expression, in source order.
    pub(crate) fn for_each_child<'e>(&'e self, mut f: impl FnMut(&'e Expr)) {
        self.all_children(|child| {
            f(child);
            true
        });
    }

    /// Whether `f` holds for every direct sub-expression, taken in source
    /// order; stops at the first that it does not.
    pub(crate) fn all_children<'e>(&'e self, mut f: impl FnMut(&'e Expr) -> bool) -> bool {
        match self {
            Expr::Table(_, args) | Expr::Builtin(_, args) | Expr::List(args) => args.iter().all(f),
            Expr::Not(x) | Expr::Neg(x) | Expr::Let(_, x) => f(x),
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Compare(_, a, b)
            | Expr::Arith(_, a, b)
            | Expr::DateShift(_, a, b)
            | Expr::DateDiff(a, b)
            | Expr::In(a, b) => f(a) && f(b),
            Expr::If(c, a, b) => f(c) && f(a) && f(b),
            Expr::Const(_) | Expr::Constant(_) | Expr::Fact(_) | Expr::Score | Expr::Vetoed(_) => true,
        }
    }
}

impl Expr {
    /// Calls `f` with the slot of every fact the expression reads, in
    /// reading order (repeats included).
    pub(crate) fn each_fact(&self, f: &mut impl FnMut(usize)) {
        if let Expr::Fact(slot) = self {
            f(*slot);
        }
        self.for_each_child(|child| child.each_fact(f));
    }
}

impl ClauseDef {
    /// The clause's conditions: `when`s, `require`s, then `partial`s.
    pub(crate) fn conds(&self) -> impl Iterator<Item = &Cond> {
        self.when.iter().chain(&self.require).chain(self.partials.iter().map(|(_, cond)| cond))
    }
}

impl Program {
    /// Every expression the evaluation runs: clause conditions (a `let`
    /// is inlined where it is used), deductions, grades and verdicts.
    pub(crate) fn exprs(&self) -> impl Iterator<Item = &Expr> {
        let clauses = self.clauses.iter().flat_map(|c| c.conds().map(|cond| &cond.expr));
        let deductions = self.scoring.deductions.iter().map(|d| d.basis.expr());
        let outcomes = self.scoring.grades.iter().chain(&self.scoring.verdicts).filter_map(|o| o.condition.as_ref());
        clauses.chain(deductions).chain(outcomes)
    }
}

/// The fact slots a clause's conditions read, in first-read order.
pub(crate) fn facts_read(clause: &ClauseDef) -> Vec<usize> {
    let mut out = Vec::new();
    for c in clause.conds() {
        c.expr.each_fact(&mut |slot| {
            if !out.contains(&slot) {
                out.push(slot);
            }
        });
    }
    out
}

/// `YYYY-MM-DD`, without chrono's format-string machinery.
pub(crate) fn date_text(d: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    write_date(&mut text, d);
    text
}

/// [`date_text`], appended to `out`.
/// `text` in quotes as a rulebook writes it, with the language's escapes
/// (`\"`, `\\`, `\n`, `\t`).
pub(crate) fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(crate) fn write_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    use std::fmt::Write;
    match u64::try_from(d.year()) {
        Ok(year) if year <= 9999 => {
            crate::num::write_digits(out, year, 4);
            out.push('-');
            crate::num::write_digits(out, u64::from(d.month()), 2);
            out.push('-');
            crate::num::write_digits(out, u64::from(d.day()), 2);
        }
        // Years before 1 or after 9999 (from date arithmetic), signed as
        // ISO 8601 writes them: `-0001-01-01`, not `-001-01-01`.
        _ => {
            let sign = if d.year() < 0 { "-" } else { "" };
            let _ = write!(out, "{sign}{:04}-{:02}-{:02}", d.year().unsigned_abs(), d.month(), d.day());
        }
    }
}

/// Parses `YYYY-MM-DD`; `None` for any other shape or a day that does not
/// exist (`2023-02-30`).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let field = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    let year = i32::try_from(field(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, field(5..7)?, field(8..10)?)
}

/// A word-at-a-time multiplicative hash (as in rustc's FxHash): fact
/// names are short and chosen by rulebook authors, so speed beats
/// SipHash's protection against crafted keys here; an audit's size is
/// bounded by [`crate::Limits`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHash;

pub(crate) struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word.iter_mut().zip(rest).for_each(|(w, b)| *w = *b);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    // `write_i64` comes here too (the default casts).
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_in_brackets_has_no_brackets_of_its_own() {
        let date = Ty::Date;
        assert_eq!(in_brackets(&date.describe(&[], None)), "a date, YYYY-MM-DD");
        assert_eq!(in_brackets(&date.describe_zh(&[], None)), "日期，YYYY-MM-DD");
        let concentration = Ty::Num(Dim::CONCENTRATION);
        assert_eq!(in_brackets(&concentration.describe(&[], None)), "a concentration, mass per volume");
        assert_eq!(in_brackets(&concentration.describe_zh(&[], None)), "浓度，质量/体积");
        let list = Ty::List(Box::new(Ty::Date));
        assert_eq!(in_brackets(&list.describe(&[], None)), "a list of a date, YYYY-MM-DD");
        assert_eq!(in_brackets("a length"), "a length");
        // Standing alone, a description keeps its brackets.
        assert_eq!(date.describe(&[], None), "a date (YYYY-MM-DD)");
    }

    #[test]
    fn dates_are_written_with_four_digit_years_signed_before_year_one() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        for (d, text) in [
            (day(2024, 5, 20), "2024-05-20"),
            (day(12, 1, 2), "0012-01-02"),
            (day(0, 3, 4), "0000-03-04"),
            (day(-1, 1, 1), "-0001-01-01"),
            (day(12345, 6, 7), "12345-06-07"),
        ] {
            let mut out = String::new();
            write_date(&mut out, d);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn a_duration_in_years_moves_a_date_by_calendar_years() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let (years, days) = (Shift { add: true, years: true }, Shift { add: true, years: false });
        let back = Shift { add: false, years: true };
        let shift = |date, shift, seconds: i64| shift_date(date, shift, Num::int(seconds));
        // The anniversary, though 366 days lie between (29 February 2024).
        assert_eq!(shift(day(2024, 9, 12), back, YEAR), Ok(day(2023, 9, 12)));
        assert_eq!(shift(day(2023, 9, 12), days, YEAR), Ok(day(2024, 9, 11)));
        // 29 February: 28 February in a common year, itself in a leap one.
        assert_eq!(shift(day(2024, 2, 29), years, YEAR), Ok(day(2025, 2, 28)));
        assert_eq!(shift(day(2024, 2, 29), back, 4 * YEAR), Ok(day(2020, 2, 29)));
        // A negative count moves the other way.
        assert_eq!(shift(day(2024, 9, 12), years, -2 * YEAR), Ok(day(2022, 9, 12)));
        assert_eq!(
            shift(day(2024, 9, 12), years, YEAR + DAY),
            Err(ShiftError::NotWhole(Num::ratio(366, 365).unwrap_or(Num::ZERO)))
        );
        assert_eq!(
            shift(day(2024, 9, 12), days, DAY / 2),
            Err(ShiftError::NotWhole(Num::ratio(1, 2).unwrap_or(Num::ZERO)))
        );
        assert_eq!(shift(day(2024, 9, 12), years, 1_000_000 * YEAR), Err(ShiftError::OutOfRange));
        assert_eq!(shift(day(2024, 9, 12), years, i64::MAX / YEAR * YEAR), Err(ShiftError::OutOfRange));
        assert_eq!(shift(day(2024, 9, 12), back, i64::MIN / YEAR * YEAR), Err(ShiftError::OutOfRange));
    }

    #[test]
    fn values_are_appended_as_show_shows_them() {
        let units = ["m", "kg/h", "%", "mg/m³", "d", "1"];
        let nums = ["12", "4.9", "0.75", "1200", "2.5", "0.0001", "-3"];
        for unit in units {
            let Ok(unit) = Unit::parse(unit) else { continue };
            for n in nums {
                let Some(n) = Num::parse(n) else { continue };
                for value in [Value::Num(n), Value::List(Arc::from(vec![Value::Num(n), Value::Num(n)]))] {
                    let mut out = String::from("> ");
                    value.write(&mut out, Some(&unit));
                    assert_eq!(out, format!("> {}", value.show(Some(&unit))));
                }
            }
        }
        let date = NaiveDate::from_ymd_opt(2024, 5, 20).unwrap_or_default();
        for value in [
            Value::Bool(true),
            Value::Bool(false),
            Value::Text(Arc::from("spray")),
            Value::Date(date),
            Value::Num(Num::int(7)),
        ] {
            let mut out = String::from("> ");
            value.write(&mut out, None);
            assert_eq!(out, format!("> {}", value.show(None)));
        }
    }
}

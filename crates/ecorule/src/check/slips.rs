//! Comparisons that compile but say something other than meant: one its
//! fact's declared range settles before any audit (`removal >= 60` on a
//! share never holds, `count >= 0` on a count of at least 0 always does),
//! a concentration per litre compared with one per cubic metre, and an
//! amount held only below limits that a negative value would meet; and
//! the dates the rulebook counts the time since, which the report checks
//! are not after the audit date.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

use super::{Checker, guards};
use crate::ast::{self, Lookup, Spanned};
use crate::error::{Error, ErrorKind};
use crate::ir::{
    AUDIT_DATE, Cmp, Expr, FactBounds, FactDef, FastHash, Labels, Shift, TableDef, Ty, Value, order, word_list,
};
use crate::num::Num;
use crate::span::Span;
use crate::units::{Dim, Unit, VolumeBasis};

/// What a fact's declared range makes of a comparison with a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    Never,
    Always,
}

impl Checker<'_> {
    /// Reports the slips of the comparison `cmp` of `l` and `r`, of type
    /// `ty` and written `lhs` and `rhs` over `span`: a range that settles it
    /// is an error when it never holds (the clause fails every audit) and a
    /// warning when it always holds; concentrations on two volume bases, a
    /// warning.
    pub(super) fn comparison_slips(
        &mut self,
        cmp: Cmp,
        ty: &Ty,
        (l, r): (&Expr, &Expr),
        (lhs, rhs): (&Spanned<ast::Expr>, &Spanned<ast::Expr>),
        span: Span,
    ) {
        self.settled_by_range(cmp, (l, r), (lhs, rhs), span);
        self.score_slips(cmp, (l, r), span);
        self.limit_sides(cmp, (l, r), span);
        if *ty == Ty::Date {
            self.held_within_past(cmp, (l, r));
        }
        if *ty == Ty::Num(Dim::CONCENTRATION) {
            self.volume_bases(lhs, rhs, span);
        }
    }

    fn settled_by_range(
        &mut self,
        cmp: Cmp,
        (l, r): (&Expr, &Expr),
        (lhs, rhs): (&Spanned<ast::Expr>, &Spanned<ast::Expr>),
        span: Span,
    ) {
        // The fact on the left: `60 <= removal` reads as `removal >= 60`.
        let (slot, (value, constant, constant_span), cmp) = match (self.constant_value(l), self.constant_value(r)) {
            (None, Some(value)) => (fact_slot(l), (value, r, rhs.span), cmp),
            (Some(value), None) => (fact_slot(r), (value, l, lhs.span), flipped(cmp)),
            _ => return,
        };
        let Some(fact) = slot.and_then(|slot| self.facts.get(slot)) else { return };
        if matches!(fact.ty, Ty::List(_)) || fact.bounds.is_none() {
            return;
        }
        let Some(settled) = settle(cmp, &fact.bounds, &value) else { return };
        let unit = fact.unit.as_ref();
        let text = self.text(span);
        let declared = format!("`{}` is declared `{}`", fact.name, declaration(&fact.bounds, unit));
        // What a constant named on the other side is: `target` is 60.
        let named = matches!(constant, Expr::Let(..) | Expr::Constant(_))
            .then(|| format!(", and `{}` is {}", self.text(constant_span), value.show(unit)))
            .unwrap_or_default();
        let error = match settled {
            Settled::Never => {
                let message = format!("`{text}` never holds: {declared}{named}");
                let help = match share_help(&fact.bounds, unit.is_some_and(|u| !u.name().is_empty()), &value) {
                    Some((fraction, percent)) => {
                        format!("`{}` is a share: write {percent} as `{fraction}` or `{percent}`", fact.name)
                    }
                    None => "no value an audit may give meets it: check the limit, or the fact's `min` and `max`"
                        .to_string(),
                };
                Error::at(ErrorKind::Range, message, &self.current, span).with_help(help)
            }
            Settled::Always => {
                let message = format!("`{text}` holds for every value an audit may give: {declared}{named}");
                let help = "it settles nothing: check the limit, or remove the comparison";
                Error::at(ErrorKind::Suspicious, message, &self.current, span).with_help(help)
            }
        };
        self.notice(error);
    }

    /// Reports a comparison of `score` with a constant that its range, 0 to
    /// the scale, settles (`score >= 150` on `scale 100` never holds: the
    /// grade is never given), or that reads as a share of the scale
    /// (`score >= 0.85` on `scale 100`, meant as 85).
    fn score_slips(&mut self, cmp: Cmp, (l, r): (&Expr, &Expr), span: Span) {
        let Some(scale) = self.score_scale else { return };
        let (value, cmp) = match (l, r) {
            (Expr::Score, other) => (self.constant_value(other), cmp),
            (other, Expr::Score) => (self.constant_value(other), flipped(cmp)),
            _ => return,
        };
        let Some(Value::Num(value)) = value else { return };
        let bounds = FactBounds { min: Some(Value::Num(Num::ZERO)), max: Some(Value::Num(scale)), whole: false };
        let text = self.text(span);
        let runs = format!("`score` runs from 0 to the scale, {scale}");
        let diagnostic = match settle(cmp, &bounds, &Value::Num(value)) {
            Some(Settled::Never) => {
                Error::at(ErrorKind::Range, format!("`{text}` never holds: {runs}"), &self.current, span)
                    .with_help("no audit reaches it: check the threshold against the scale")
            }
            Some(Settled::Always) => {
                Error::at(ErrorKind::Suspicious, format!("`{text}` holds for every score: {runs}"), &self.current, span)
                    .with_help("it settles nothing: check the threshold, or write `otherwise`")
            }
            None if value > Num::ZERO && value < Num::ONE && scale >= Num::int(10) => {
                let meant = value.checked_mul(scale).map_or_else(String::new, |m| {
                    format!(": for {} % of it, write {m}", value.checked_mul(Num::int(100)).unwrap_or(value))
                });
                Error::at(
                    ErrorKind::Suspicious,
                    format!("`{text}` reads as a share of the score, but {runs}"),
                    &self.current,
                    span,
                )
                .with_help(format!("a threshold is in points of the scale{meant}"))
            }
            None => return,
        };
        self.notice(diagnostic);
    }

    /// Reports a key in position `i` that no row of table `t` has, where a
    /// row must have it (any key of an `exact` table, the keys before the
    /// last of the others): a constant one, or a choice none of whose
    /// values is a key, is an error (the look-up stops every audit that
    /// reaches it); a choice some of whose values are not keys, a warning
    /// naming those the conditions it is checked under do not keep from it
    /// (an audit giving one of them cannot be scored; see [`super::guards`]).
    pub(super) fn table_key_slips(&mut self, t: usize, i: usize, (key, ty): (&Expr, &Ty), arg: &Spanned<ast::Expr>) {
        let matched = |t: &&Arc<TableDef>| t.lookup == Lookup::Exact || i + 1 < t.params.len();
        let Some(table) = self.tables.get(t).filter(matched) else { return };
        let constant = self.constant_value(key);
        if constant.is_none() && !matches!(ty, Ty::Enum(_)) {
            return;
        }
        // Gathered once a table and position: a rulebook may look a large
        // table up in many places.
        let columns = self.table_keys.entry((t, i)).or_insert_with(|| {
            table.rows.iter().filter_map(|(k, _)| k.get(i).cloned()).collect::<HashSet<Value, FastHash>>()
        });
        let unit = table.key_units.get(i).and_then(Option::as_ref);
        let name = &table.name;
        let param = table.param_names.get(i).map_or("key", String::as_str);
        let keys = || table.keys_text(i, true);
        let text = self.current.text.get(arg.span.start..arg.span.end).unwrap_or_default();
        let diagnostic = if let Some(value) = constant {
            if columns.contains(&value) {
                return;
            }
            let message = format!("table `{name}` has no row for {param} = {}", value.quoted(unit));
            let meant = match &value {
                Value::Text(code) => {
                    let texts = columns.iter().filter_map(|k| match k {
                        Value::Text(k) => Some(&**k),
                        _ => None,
                    });
                    crate::suggest::closest(code, texts).map(|m| format!(" (did you mean \"{m}\"?)"))
                }
                _ => None,
            };
            Error::at(ErrorKind::Range, message, &self.current, arg.span).with_help(format!(
                "{}{}",
                keys(),
                meant.unwrap_or_default()
            ))
        } else if let Ty::Enum(k) = ty {
            let Some(choice) = self.enums.get(*k) else { return };
            let mut missing: Vec<&str> = choice
                .variants
                .iter()
                .map(|(code, _)| code.as_str())
                .filter(|code| !columns.contains(&Value::Text(Arc::from(*code))))
                .collect();
            if missing.is_empty() {
                return;
            } else if missing.len() == choice.variants.len() {
                let options = ty.describe(&self.enums, None);
                let message = format!("no value of `{text}` is a key of table `{name}`: `{text}` is {options}");
                let help = match self.table_between(table, i, &choice.variants) {
                    Some(between) => format!("{}: `{between}({text})` gives one", keys()),
                    None => format!("{}: turn the value into one of them first, with a table or an `if`", keys()),
                };
                Error::at(ErrorKind::Range, message, &self.current, arg.span).with_help(help)
            } else {
                // The values a guard in force keeps from the look-up are no
                // slip. With none in force (the usual case) this is skipped.
                if let Some(slot) = fact_slot(key).filter(|_| !self.narrowings.is_empty()) {
                    missing.retain(|code| guards::allows(&self.narrowings, slot, code));
                }
                if missing.is_empty() {
                    return;
                }
                let missing: Vec<String> = missing.iter().map(|code| format!("\"{code}\"")).collect();
                let message = format!("table `{name}` has no row for `{text}` = {}", word_list(&missing, "or"));
                let help = format!(
                    "{}: an audit giving {} cannot be scored; add the rows, or keep the look-up from {} with a \
                     `when` or an `if`",
                    keys(),
                    if missing.len() == 1 { "it" } else { "one of them" },
                    if missing.len() == 1 { "it" } else { "them" },
                );
                Error::at(ErrorKind::Suspicious, message, &self.current, arg.span).with_help(help)
            }
        } else {
            return;
        };
        self.notice(diagnostic);
    }

    /// A table of the same module that turns a choice (some of `variants`)
    /// into keys of `table` in position `i`: `gb8978.discharge_grade` for a
    /// destination given where `gb8978.cod` wants a discharge grade.
    fn table_between(&self, table: &TableDef, i: usize, variants: &[(String, Labels)]) -> Option<&str> {
        let module = table.name.split_once('.')?.0;
        let keys = table.keys_at(i);
        let takes_choice = |t: &TableDef| {
            t.rows
                .iter()
                .any(|(k, _)| matches!(k.as_slice(), [Value::Text(k)] if variants.iter().any(|(v, _)| v == &**k)))
        };
        self.tables
            .iter()
            .filter(|t| t.name.split_once('.').is_some_and(|(m, _)| m == module) && t.lookup == Lookup::Exact)
            .find(|t| takes_choice(t) && t.rows.iter().all(|(_, value)| keys.contains(&value)))
            .map(|t| t.name.as_str())
    }

    /// Notes the side of a limit each fact compared as it is is held to:
    /// below a constant of at least zero (`dust.pm <= 20 mg/m³`), or
    /// otherwise (above, equal, or against another fact or expression).
    fn limit_sides(&mut self, cmp: Cmp, (l, r): (&Expr, &Expr), span: Span) {
        for (slot, cmp, other) in [(fact_slot(l), cmp, r), (fact_slot(r), flipped(cmp), l)] {
            let Some(slot) = slot else { continue };
            let below = matches!(cmp, Cmp::Le | Cmp::Lt)
                && matches!(self.constant_value(other), Some(Value::Num(n)) if n >= Num::ZERO);
            if below {
                self.held_below.entry(slot).or_insert(span);
            } else {
                self.held_otherwise.insert(slot);
            }
        }
    }

    /// Notes `since` as a date the rulebook counts the time since
    /// ([`Program::past_dates`](crate::ir::Program::past_dates)) when
    /// `until` is the audit date and `since` a fact: `audit.date - since`,
    /// `days_between(since, audit.date)`.
    pub(super) fn time_since(&mut self, until: &Expr, since: &Expr) {
        if let (Some(AUDIT_DATE), Some(slot)) = (fact_slot(until), fact_slot(since))
            && slot != AUDIT_DATE
        {
            self.past_dates.insert(slot);
        }
    }

    /// [`Checker::time_since`] of a date fact held after the audit date
    /// less a period: `drill.last >= audit.date - 1 a`.
    fn held_within_past(&mut self, cmp: Cmp, (l, r): (&Expr, &Expr)) {
        for (slot, cmp, other) in [(fact_slot(l), cmp, r), (fact_slot(r), flipped(cmp), l)] {
            if let (Some(slot), Cmp::Ge | Cmp::Gt, Expr::DateShift(Shift { add: false, .. }, base, _)) =
                (slot, cmp, unlet(other))
                && fact_slot(base) == Some(AUDIT_DATE)
                && slot != AUDIT_DATE
            {
                self.past_dates.insert(slot);
            }
        }
    }

    /// Warnings for the amounts (quantities and durations, temperatures
    /// aside) that the rulebook only holds below limits and that declare no
    /// `min`: a negative reading, a slip in an audit, meets every limit.
    /// Each is given at the amount's first limit (the caller sorts them).
    /// `facts` are the program's (the checker has handed its own over).
    pub(super) fn held_only_below(&self, facts: &[FactDef]) -> Vec<Error> {
        let mut warnings = Vec::new();
        for (&slot, &limit) in &self.held_below {
            let Some(fact) = facts.get(slot) else { continue };
            let amount = matches!(fact.ty, Ty::Num(dim) if dim != Dim::TEMPERATURE)
                && fact.unit.as_ref().is_some_and(|u| !u.name().is_empty());
            if !amount || fact.bounds.min.is_some() || self.held_otherwise.contains(&slot) {
                continue;
            }
            let text = self.source.text.get(limit.start..limit.end).unwrap_or_default();
            let name = &fact.name;
            let message =
                format!("`{text}` holds for a negative `{name}` too: it has no `min`, and is only held below limits");
            let help = format!(
                "declare `{name}` with `min 0` if it is a measured amount, so an audit that gives a negative value \
                 is refused"
            );
            warnings.push(Error::at(ErrorKind::Suspicious, message, self.source, limit).with_help(help));
        }
        warnings
    }

    fn volume_bases(&mut self, lhs: &Spanned<ast::Expr>, rhs: &Spanned<ast::Expr>, span: Span) {
        let (Some(l), Some(r)) = (self.display_unit(&lhs.node), self.display_unit(&rhs.node)) else { return };
        let (Some(lb), Some(rb)) = (VolumeBasis::of(&l), VolumeBasis::of(&r)) else { return };
        if lb == rb {
            return;
        }
        let ratio = r.factor().checked_div(l.factor()).unwrap_or(Num::ONE);
        let message = format!(
            "`{}` compares {} ({}) with {} ({}): 1 {} is {ratio} {}",
            self.text(span),
            l.name(),
            lb.en(),
            r.name(),
            rb.en(),
            r.name(),
            l.name(),
        );
        let help = "they are compared so, but a water limit against an air measurement (or the other way round) \
                    is likelier a slip: check the unit";
        let warning = Error::at(ErrorKind::Suspicious, message, &self.current, span).with_help(help);
        self.notice(warning);
    }

    /// Records a range error, or a warning once (an expression is checked
    /// once, but a warning must not repeat if it ever is again).
    fn notice(&mut self, diagnostic: Error) {
        if !diagnostic.is_warning() {
            self.errors.push(diagnostic);
        } else if !self.warnings.iter().any(|w| w.span() == diagnostic.span() && w.message() == diagnostic.message()) {
            self.warnings.push(diagnostic);
        }
    }

    /// The source text at `span`.
    fn text(&self, span: Span) -> &str {
        self.current.text.get(span.start..span.end).unwrap_or_default()
    }

    /// The value of a constant expression: a literal, a module constant,
    /// a `let` of one, or one negated.
    pub(super) fn constant_value(&self, e: &Expr) -> Option<Value> {
        match e {
            Expr::Const(value) => Some(value.clone()),
            Expr::Constant(i) => self.constants.get(*i).map(|c| c.value.clone()),
            Expr::Let(_, inner) => self.constant_value(inner),
            Expr::Neg(inner) => match self.constant_value(inner)? {
                Value::Num(n) => n.checked_neg().map(Value::Num),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The slot of a fact read as it is, a `let` of one included.
pub(super) fn fact_slot(e: &Expr) -> Option<usize> {
    match unlet(e) {
        Expr::Fact(slot) => Some(*slot),
        _ => None,
    }
}

/// What `e` is, through the `let`s that name it.
pub(super) fn unlet(mut e: &Expr) -> &Expr {
    while let Expr::Let(_, inner) = e {
        e = inner;
    }
    e
}

/// `a cmp b` as `b flipped(cmp) a`.
fn flipped(cmp: Cmp) -> Cmp {
    match cmp {
        Cmp::Lt => Cmp::Gt,
        Cmp::Le => Cmp::Ge,
        Cmp::Gt => Cmp::Lt,
        Cmp::Ge => Cmp::Le,
        same => same,
    }
}

/// Whether `fact cmp value` holds for no value or for every value within
/// `bounds`; `None` when the audit's value decides.
fn settle(cmp: Cmp, bounds: &FactBounds, value: &Value) -> Option<Settled> {
    // Each bound against the value, `None` for a side left open.
    let lo = bounds.min.as_ref().and_then(|lo| order(lo, value));
    let hi = bounds.max.as_ref().and_then(|hi| order(hi, value));
    let (never, always) = match cmp {
        Cmp::Ge => (hi == Some(Ordering::Less), lo.is_some_and(Ordering::is_ge)),
        Cmp::Gt => (hi.is_some_and(Ordering::is_le), lo == Some(Ordering::Greater)),
        Cmp::Le => (lo == Some(Ordering::Greater), hi.is_some_and(Ordering::is_le)),
        Cmp::Lt => (lo.is_some_and(Ordering::is_ge), hi == Some(Ordering::Less)),
        Cmp::Eq | Cmp::Ne => {
            let outside = lo == Some(Ordering::Greater) || hi == Some(Ordering::Less);
            let only = lo == Some(Ordering::Equal) && hi == Some(Ordering::Equal);
            if cmp == Cmp::Eq { (outside, only) } else { (only, outside) }
        }
    };
    if never {
        Some(Settled::Never)
    } else if always {
        Some(Settled::Always)
    } else {
        None
    }
}

/// The bounds as a declaration writes them: `min 0 max 1`, `min 15 m`,
/// `min 2020-01-01`, `count max 3` (a count's `min 0` goes without saying).
fn declaration(bounds: &FactBounds, unit: Option<&Unit>) -> String {
    let bound = |word: &str, value: &Option<Value>| value.as_ref().map(|v| format!("{word} {}", v.show(unit)));
    let implied_min = bounds.whole && bounds.min == Some(Value::Num(Num::ZERO));
    let min = if implied_min { None } else { bound("min", &bounds.min) };
    let count = bounds.whole.then(|| "count".to_string());
    [count, min, bound("max", &bounds.max)].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// For a plain-number share compared with a number over 1 and at most 100,
/// likely a percentage written bare: the fraction and the percentage it
/// may have meant (`0.6`, `60 %`).
fn share_help(bounds: &FactBounds, has_unit: bool, value: &Value) -> Option<(String, String)> {
    let Value::Num(n) = value else { return None };
    if has_unit || !bounds.is_share() || *n <= Num::ONE || *n > Num::int(100) {
        return None;
    }
    let fraction = n.checked_div(Num::int(100))?;
    Some((fraction.to_decimal(), format!("{} %", n.to_decimal())))
}

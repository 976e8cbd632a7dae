//! Stage 4: a checked [`Program`] and one audit's facts to an [`Evaluation`].
//!
//! Logic over missing facts is three-valued (Kleene): `None` is unknown.
//! Each clause ends in the set of statuses still possible; the score
//! bounds are the exact minimum and maximum over every completion of the
//! unknown facts (Dinkelbach's method, since rescaling makes the score a
//! ratio). Nothing here allocates a name or parses text.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::Duration;

use crate::ast::{Lookup, NaPolicy};
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;

type R<T> = Result<T, Error>;
type Tri = Option<bool>;

/// A status a clause can end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Pass,
    /// Partial credit by the index of the `partial` that matched.
    Partial(usize),
    Fail,
    NotApplicable,
}

/// What a clause read: a fact, constant, `let` or table row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TraceKey {
    Fact(usize),
    Constant(usize),
    Let(usize),
    /// A table by index, with the keys it was looked up by.
    Table(usize, Vec<Value>),
}

/// A value that decided a clause, for the explanation; formatted only
/// when the report is built.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trace {
    pub key: TraceKey,
    pub value: Option<Value>,
}

#[derive(Debug, Clone)]
pub(crate) struct ClauseResult {
    /// Every outcome still possible; one when the clause is decided.
    pub possible: Vec<Outcome>,
    pub earned_min: Num,
    pub earned_max: Num,
    /// The `require` that failed, when one did.
    pub failed_require: Option<usize>,
    pub trace: Vec<Trace>,
}

impl ClauseResult {
    pub(crate) fn decided(&self) -> Option<Outcome> {
        match self.possible.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct DeductionResult {
    /// The counted events (or 1 / 0 for `when`), when known.
    pub count: Option<Num>,
    pub min: Num,
    /// `None` when the deduction could be any size (unknown count, no max).
    pub max: Option<Num>,
}

#[derive(Debug, Clone)]
pub(crate) struct Evaluation {
    pub clauses: Vec<ClauseResult>,
    pub deductions: Vec<DeductionResult>,
    pub score_min: Num,
    pub score_max: Num,
    /// Veto clauses that certainly failed.
    pub vetoes: Vec<usize>,
    /// Veto clauses that may fail, depending on unknown facts.
    pub possible_vetoes: Vec<usize>,
    pub grade: usize,
    pub grade_best: usize,
    pub verdict: usize,
    pub verdict_best: usize,
    /// True when no clause is applicable in some completion.
    pub nothing_applicable: bool,
}

/// Evaluates every clause and the scoring. `trace` records the values that
/// decided each clause (for the full report); the summary skips it.
pub(crate) fn evaluate(program: &Program, facts: &[Option<Value>], max_steps: u64, trace: bool) -> R<Evaluation> {
    let mut ctx = Ctx::new(program, facts, max_steps, trace);
    let mut clauses = Vec::with_capacity(program.clauses.len());
    for clause in &program.clauses {
        let result =
            ctx.clause(clause).map_err(|e| Error::new(e.kind(), format!("clause `{}`: {}", clause.id, e.message())))?;
        clauses.push(result);
    }
    let mut deductions = Vec::with_capacity(program.scoring.deductions.len());
    for d in &program.scoring.deductions {
        let result =
            ctx.deduction(d).map_err(|e| Error::new(e.kind(), format!("deduction `{}`: {}", d.id, e.message())))?;
        deductions.push(result);
    }
    score(&mut ctx, clauses, deductions)
}

struct Ctx<'a> {
    program: &'a Program,
    facts: &'a [Option<Value>],
    steps: u64,
    max_steps: u64,
    trace: Option<Vec<Trace>>,
    /// `score` and the vetoed flags per clause, while grading.
    outcome: Option<(Num, Vec<bool>)>,
    /// Values of `let`s computed so far: they depend on the facts only.
    lets: Vec<Option<Option<Value>>>,
}

fn overflow() -> Error {
    Error::new(ErrorKind::Evaluation, "a number grew too large to hold exactly")
}

impl<'a> Ctx<'a> {
    fn new(program: &'a Program, facts: &'a [Option<Value>], max_steps: u64, trace: bool) -> Self {
        let lets = vec![None; program.lets.len()];
        Ctx { program, facts, steps: 0, max_steps, trace: trace.then(Vec::new), outcome: None, lets }
    }

    fn clause(&mut self, clause: &ClauseDef) -> R<ClauseResult> {
        if let Some(t) = &mut self.trace {
            t.clear();
        }
        let mut applies: Tri = Some(true);
        for cond in &clause.when {
            applies = and(applies, self.cond(&cond.expr)?);
            if applies == Some(false) {
                break;
            }
        }
        let mut possible = Vec::with_capacity(2);
        let mut failed_require = None;
        if applies != Some(false) {
            let mut holds: Tri = Some(true);
            for (i, cond) in clause.require.iter().enumerate() {
                let r = self.cond(&cond.expr)?;
                if r == Some(false) && failed_require.is_none() {
                    failed_require = Some(i);
                }
                holds = and(holds, r);
                if holds == Some(false) {
                    break;
                }
            }
            if holds != Some(false) {
                possible.push(Outcome::Pass);
            }
            if holds != Some(true) {
                let mut settled = false;
                for (i, (_, cond)) in clause.partials.iter().enumerate() {
                    let c = self.cond(&cond.expr)?;
                    if c != Some(false) {
                        possible.push(Outcome::Partial(i));
                    }
                    if c == Some(true) {
                        settled = true;
                        break;
                    }
                }
                if !settled {
                    possible.push(Outcome::Fail);
                }
            }
        }
        if applies != Some(true) {
            possible.push(Outcome::NotApplicable);
        }
        let policy = self.program.scoring.not_applicable;
        let (mut earned_min, mut earned_max) = (None::<Num>, None::<Num>);
        for o in &possible {
            let (e, _) = option(clause, *o, policy)?;
            earned_min = Some(earned_min.map_or(e, |m| m.min(e)));
            earned_max = Some(earned_max.map_or(e, |m| m.max(e)));
        }
        let (earned_min, earned_max) = (earned_min.unwrap_or(Num::ZERO), earned_max.unwrap_or(Num::ZERO));
        let trace = self.trace.as_mut().map(std::mem::take).unwrap_or_default();
        Ok(ClauseResult { possible, earned_min, earned_max, failed_require, trace })
    }

    fn deduction(&mut self, d: &DeductionDef) -> R<DeductionResult> {
        let count = match &d.basis {
            Basis::Per(e) => match self.eval(e)? {
                Some(Value::Num(n)) if n.is_negative() => {
                    return Err(Error::new(
                        ErrorKind::Evaluation,
                        format!("`{}` is {n}, and a count cannot be negative", d.basis_text),
                    ));
                }
                Some(Value::Num(n)) => Some(n),
                _ => None,
            },
            Basis::When(e) => self.cond(e)?.map(|b| if b { Num::ONE } else { Num::ZERO }),
        };
        let cap = |n: Num| d.max.map_or(n, |m| n.min(m));
        Ok(match count {
            Some(n) => {
                let amount = cap(d.points.checked_mul(n).ok_or_else(overflow)?);
                DeductionResult { count: Some(n), min: amount, max: Some(amount) }
            }
            None => {
                let max = match &d.basis {
                    Basis::When(_) => Some(cap(d.points)),
                    Basis::Per(_) => d.max,
                };
                DeductionResult { count: None, min: Num::ZERO, max }
            }
        })
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(Error::new(
                ErrorKind::TooMuchWork,
                format!("evaluation took more than the limit of {} steps", self.max_steps),
            ));
        }
        Ok(())
    }

    fn cond(&mut self, e: &Expr) -> R<Tri> {
        Ok(match self.eval(e)? {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        })
    }

    fn num(&mut self, e: &Expr) -> R<Option<Num>> {
        Ok(match self.eval(e)? {
            Some(Value::Num(n)) => Some(n),
            _ => None,
        })
    }

    fn record(&mut self, key: TraceKey, value: &Option<Value>) {
        if let Some(trace) = &mut self.trace {
            if !trace.iter().any(|t| t.key == key) {
                trace.push(Trace { key, value: value.clone() });
            }
        }
    }

    fn eval(&mut self, e: &Expr) -> R<Option<Value>> {
        self.step()?;
        Ok(match e {
            Expr::Const(v) => Some(v.clone()),
            Expr::Constant(i) => {
                let value = self.program.constants.get(*i).map(|c| c.value.clone());
                self.record(TraceKey::Constant(*i), &value);
                value
            }
            Expr::Fact(slot) => {
                let value = self.facts.get(*slot).cloned().flatten();
                self.record(TraceKey::Fact(*slot), &value);
                value
            }
            Expr::Table(t, args) => {
                let mut keys = Vec::with_capacity(args.len());
                for a in args {
                    match self.eval(a)? {
                        Some(v) => keys.push(v),
                        None => return Ok(None),
                    }
                }
                let Some(table) = self.program.tables.get(*t) else {
                    return Ok(None);
                };
                let value = Some(lookup(table, &keys)?);
                if self.trace.is_some() {
                    self.record(TraceKey::Table(*t, keys), &value);
                }
                value
            }
            Expr::Builtin(b, args) => self.builtin(*b, args)?,
            Expr::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match self.eval(item)? {
                        Some(v) => values.push(v),
                        None => return Ok(None),
                    }
                }
                Some(Value::List(Arc::from(values)))
            }
            Expr::Not(x) => self.cond(x)?.map(|b| Value::Bool(!b)),
            Expr::Neg(x) => match self.num(x)? {
                Some(n) => Some(Value::Num(n.checked_neg().ok_or_else(overflow)?)),
                None => None,
            },
            Expr::And(a, b) => {
                let l = self.cond(a)?;
                if l == Some(false) {
                    return Ok(Some(Value::Bool(false)));
                }
                and(l, self.cond(b)?).map(Value::Bool)
            }
            Expr::Or(a, b) => {
                let l = self.cond(a)?;
                if l == Some(true) {
                    return Ok(Some(Value::Bool(true)));
                }
                or(l, self.cond(b)?).map(Value::Bool)
            }
            Expr::Compare(op, a, b) => {
                let (l, r) = (self.eval(a)?, self.eval(b)?);
                match (l, r) {
                    (Some(l), Some(r)) => Some(Value::Bool(compare(*op, &l, &r))),
                    _ => None,
                }
            }
            Expr::Arith(op, a, b) => {
                let (l, r) = (self.num(a)?, self.num(b)?);
                let (Some(l), Some(r)) = (l, r) else {
                    return Ok(None);
                };
                let result = match op {
                    Arith::Add => l.checked_add(r),
                    Arith::Sub => l.checked_sub(r),
                    Arith::Mul => l.checked_mul(r),
                    Arith::Div if r.is_zero() => {
                        return Err(Error::new(ErrorKind::Evaluation, "division by zero"));
                    }
                    Arith::Div => l.checked_div(r),
                };
                Some(Value::Num(result.ok_or_else(overflow)?))
            }
            Expr::DateShift(add, d, dur) => {
                let (Some(Value::Date(date)), Some(seconds)) = (self.eval(d)?, self.num(dur)?) else {
                    return Ok(None);
                };
                let days = seconds.checked_div(Num::int(86_400)).ok_or_else(overflow)?;
                if !days.is_integer() {
                    return Err(Error::new(
                        ErrorKind::Evaluation,
                        format!("{days} days is not a whole number of days"),
                    ));
                }
                let days = days.trunc_i64().and_then(Duration::try_days).ok_or_else(overflow)?;
                let shifted = if *add { date.checked_add_signed(days) } else { date.checked_sub_signed(days) };
                Some(Value::Date(
                    shifted.ok_or_else(|| Error::new(ErrorKind::Evaluation, "the date moves out of range"))?,
                ))
            }
            Expr::DateDiff(a, b) => {
                let (Some(Value::Date(x)), Some(Value::Date(y))) = (self.eval(a)?, self.eval(b)?) else {
                    return Ok(None);
                };
                Some(Value::Num(days(x.signed_duration_since(y).num_days())?))
            }
            Expr::In(x, list) => {
                let (Some(x), Some(Value::List(items))) = (self.eval(x)?, self.eval(list)?) else {
                    return Ok(None);
                };
                Some(Value::Bool(items.iter().any(|i| compare(Cmp::Eq, &x, i))))
            }
            Expr::If(c, a, b) => match self.cond(c)? {
                Some(true) => self.eval(a)?,
                Some(false) => self.eval(b)?,
                None => {
                    let (x, y) = (self.eval(a)?, self.eval(b)?);
                    if x == y { x } else { None }
                }
            },
            Expr::Let(i, inner) => {
                // With a trace, every use re-reads its facts, so each clause's
                // explanation lists what the let depends on.
                let cached = if self.trace.is_none() { self.lets.get(*i).cloned().flatten() } else { None };
                let value = match cached {
                    Some(cached) => cached,
                    None => {
                        let value = self.eval(inner)?;
                        if let Some(slot) = self.lets.get_mut(*i) {
                            *slot = Some(value.clone());
                        }
                        value
                    }
                };
                if self.trace.is_some() {
                    let shown = self.program.lets.get(*i).is_some_and(|d| d.unverified)
                        || !matches!(value, Some(Value::Bool(_)));
                    if shown {
                        self.record(TraceKey::Let(*i), &value);
                    }
                }
                value
            }
            Expr::Score => self.outcome.as_ref().map(|(s, _)| Value::Num(*s)),
            Expr::Vetoed(which) => self.outcome.as_ref().map(|(_, vetoed)| {
                Value::Bool(match which {
                    None => vetoed.iter().any(|v| *v),
                    Some(list) => list.iter().any(|i| vetoed.get(*i).copied().unwrap_or(false)),
                })
            }),
        })
    }

    fn builtin(&mut self, b: Builtin, args: &[Expr]) -> R<Option<Value>> {
        match b {
            Builtin::Min | Builtin::Max => {
                let mut best: Option<Num> = None;
                for a in args {
                    let Some(n) = self.num(a)? else {
                        return Ok(None);
                    };
                    best = Some(match best {
                        None => n,
                        Some(m) if b == Builtin::Min => m.min(n),
                        Some(m) => m.max(n),
                    });
                }
                Ok(best.map(Value::Num))
            }
            Builtin::Abs => match args.first() {
                Some(a) => Ok(match self.num(a)? {
                    Some(n) => Some(Value::Num(n.abs().ok_or_else(overflow)?)),
                    None => None,
                }),
                None => Ok(None),
            },
            Builtin::Count => match args.first() {
                Some(a) => Ok(match self.eval(a)? {
                    Some(Value::List(items)) => {
                        let n = i64::try_from(items.len()).map_err(|_| overflow())?;
                        Some(Value::Num(Num::int(n)))
                    }
                    _ => None,
                }),
                None => Ok(None),
            },
            Builtin::All | Builtin::Any => {
                let mut values: Vec<Tri> = Vec::new();
                for a in args {
                    match self.eval(a)? {
                        Some(Value::Bool(v)) => values.push(Some(v)),
                        Some(Value::List(items)) => values.extend(items.iter().map(|i| match i {
                            Value::Bool(v) => Some(*v),
                            _ => None,
                        })),
                        _ => values.push(None),
                    }
                }
                let fold = if b == Builtin::All { and } else { or };
                let start = Some(b == Builtin::All);
                Ok(values.into_iter().fold(start, fold).map(Value::Bool))
            }
            Builtin::DaysBetween => {
                let (Some(a), Some(c)) = (args.first(), args.get(1)) else {
                    return Ok(None);
                };
                let (Some(Value::Date(x)), Some(Value::Date(y))) = (self.eval(a)?, self.eval(c)?) else {
                    return Ok(None);
                };
                Ok(Some(Value::Num(days(y.signed_duration_since(x).num_days())?)))
            }
        }
    }
}

/// Whole days as a time quantity in base units (seconds).
fn days(n: i64) -> R<Num> {
    Num::int(n).checked_mul(Num::int(86_400)).ok_or_else(overflow)
}

fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn compare(op: Cmp, l: &Value, r: &Value) -> bool {
    let ord = match (l, r) {
        (Value::Num(a), Value::Num(b)) => Some(a.cmp(b)),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match (op, ord) {
        (Cmp::Eq, _) => l == r,
        (Cmp::Ne, _) => l != r,
        (Cmp::Lt, Some(o)) => o == Ordering::Less,
        (Cmp::Le, Some(o)) => o != Ordering::Greater,
        (Cmp::Gt, Some(o)) => o == Ordering::Greater,
        (Cmp::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
    }
}

/// Finds a table's value for `keys` by its look-up rule.
fn lookup(table: &TableDef, keys: &[Value]) -> R<Value> {
    let (last, prefix) = keys.split_last().ok_or_else(|| Error::new(ErrorKind::Evaluation, "a table needs a key"))?;
    let describe = |keys: &[Value]| -> String {
        keys.iter()
            .zip(&table.param_names)
            .zip(&table.key_units)
            .map(|((k, n), u)| format!("{n} = {}", k.show(u.as_ref())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let no_row = |why: String| {
        Error::new(ErrorKind::Evaluation, format!("table `{}` has no row for {}{why}", table.name, describe(keys)))
    };
    let rows = || {
        table
            .rows
            .iter()
            .filter(|(k, _)| k.len() == keys.len() && k.iter().zip(prefix).all(|(a, b)| compare(Cmp::Eq, a, b)))
    };
    if table.lookup == Lookup::Exact {
        return rows()
            .find(|(k, _)| k.last().is_some_and(|l| compare(Cmp::Eq, l, last)))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| no_row(String::new()));
    }
    let Value::Num(x) = last else {
        return Err(no_row(String::new()));
    };
    // INVARIANT: rows are sorted by their last key for these look-ups.
    let points = || {
        rows().filter_map(|(k, v)| match k.last() {
            Some(Value::Num(n)) => Some((*n, v)),
            _ => None,
        })
    };
    let unit = table.key_units.last().and_then(Option::as_ref);
    let range = || match (points().next(), points().last()) {
        (Some((lo, _)), Some((hi, _))) => {
            format!(": its rows run from {} to {}", Value::Num(lo).show(unit), Value::Num(hi).show(unit))
        }
        _ => String::new(),
    };
    match table.lookup {
        Lookup::Nearest => {
            let mut best: Option<(Num, &Value)> = None;
            for (k, v) in points() {
                let d = k.checked_sub(*x).and_then(Num::abs).ok_or_else(overflow)?;
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, v));
                }
            }
            best.map(|(_, v)| v.clone()).ok_or_else(|| no_row(range()))
        }
        Lookup::Floor => points().filter(|(k, _)| k <= x).last().map(|(_, v)| v.clone()).ok_or_else(|| no_row(range())),
        Lookup::Linear => {
            let points: Vec<(Num, &Value)> = points().collect();
            if let Some((_, v)) = points.iter().find(|(k, _)| k == x) {
                return Ok((*v).clone());
            }
            let above = points.iter().position(|(k, _)| k > x);
            let (Some(i), true) = (above, above.is_some_and(|i| i > 0)) else {
                return Err(no_row(range()));
            };
            let (Some((k0, Value::Num(v0))), Some((k1, Value::Num(v1)))) = (points.get(i - 1), points.get(i)) else {
                return Err(no_row(range()));
            };
            let slope = v1
                .checked_sub(*v0)
                .and_then(|dv| k1.checked_sub(*k0).and_then(|dk| dv.checked_div(dk)))
                .ok_or_else(overflow)?;
            let value = x
                .checked_sub(*k0)
                .and_then(|dx| dx.checked_mul(slope))
                .and_then(|d| v0.checked_add(d))
                .ok_or_else(overflow)?;
            Ok(Value::Num(value))
        }
        Lookup::Exact => Err(no_row(String::new())),
    }
}

/// Points earned and points counted in the denominator for one outcome.
pub(crate) fn option(clause: &ClauseDef, outcome: Outcome, policy: NaPolicy) -> R<(Num, Num)> {
    let p = clause.points;
    Ok(match outcome {
        Outcome::Pass => (p, p),
        Outcome::Partial(i) => {
            let f = clause.partials.get(i).map_or(Num::ZERO, |(f, _)| *f);
            (f.checked_mul(p).ok_or_else(overflow)?, p)
        }
        Outcome::Fail => (Num::ZERO, p),
        Outcome::NotApplicable => match policy {
            NaPolicy::Rescale => (Num::ZERO, Num::ZERO),
            NaPolicy::Zero => (Num::ZERO, p),
            NaPolicy::Full => (p, p),
        },
    })
}

fn ratio(e: Num, a: Num) -> R<Num> {
    if a.is_zero() { Ok(Num::ZERO) } else { e.checked_div(a).ok_or_else(overflow) }
}

/// The exact extreme of (E0 + Σe) / (A0 + Σa) over one option per item,
/// by Dinkelbach's method.
fn extreme_ratio(base: (Num, Num), items: &[Vec<(Num, Num)>], maximize: bool) -> R<Num> {
    let better = |a: Num, b: Num| if maximize { a > b } else { a < b };
    let choose = |lambda: Num| -> R<(Num, Num)> {
        let (mut e, mut a) = base;
        for options in items {
            let mut best: Option<(Num, (Num, Num))> = None;
            for &(oe, oa) in options {
                let value = oe.checked_sub(lambda.checked_mul(oa).ok_or_else(overflow)?).ok_or_else(overflow)?;
                if best.is_none_or(|(bv, _)| better(value, bv)) {
                    best = Some((value, (oe, oa)));
                }
            }
            if let Some((_, (oe, oa))) = best {
                e = e.checked_add(oe).ok_or_else(overflow)?;
                a = a.checked_add(oa).ok_or_else(overflow)?;
            }
        }
        Ok((e, a))
    };
    if !maximize && base.1.is_zero() && items.iter().all(|o| o.iter().any(|(_, a)| a.is_zero())) {
        return Ok(Num::ZERO);
    }
    let (e, a) = choose(Num::ZERO)?;
    let mut lambda = ratio(e, a)?;
    for _ in 0..100 {
        let (e, a) = choose(lambda)?;
        let f = e.checked_sub(lambda.checked_mul(a).ok_or_else(overflow)?).ok_or_else(overflow)?;
        let improves = if maximize { f > Num::ZERO } else { f < Num::ZERO };
        if !improves || a.is_zero() {
            break;
        }
        lambda = ratio(e, a)?;
    }
    Ok(lambda)
}

/// The score ratio's range over the completions of unknown facts, and the
/// veto clauses that may fail.
struct Bounds {
    ratio_min: Num,
    ratio_max: Num,
    /// Veto clauses with `fail` among their possible outcomes.
    may_fail: Vec<usize>,
    /// Some completion leaves no clause applicable.
    nothing_applicable: bool,
}

/// Bounds treating each undecided clause on its own.
fn bounds(program: &Program, clauses: &[ClauseResult]) -> R<Bounds> {
    let policy = program.scoring.not_applicable;
    let mut base = (Num::ZERO, Num::ZERO);
    let mut items = Vec::new();
    let mut may_fail = Vec::new();
    let mut nothing_applicable = true;
    for (i, (def, result)) in program.clauses.iter().zip(clauses).enumerate() {
        if let [decided] = result.possible.as_slice() {
            let (e, a) = option(def, *decided, policy)?;
            nothing_applicable &= a.is_zero();
            base = (base.0.checked_add(e).ok_or_else(overflow)?, base.1.checked_add(a).ok_or_else(overflow)?);
        } else {
            let options: Vec<(Num, Num)> = result.possible.iter().map(|o| option(def, *o, policy)).collect::<R<_>>()?;
            if options.iter().all(|(_, a)| !a.is_zero()) {
                nothing_applicable = false;
            }
            items.push(options);
        }
        if def.veto && result.possible.contains(&Outcome::Fail) {
            may_fail.push(i);
        }
    }
    if items.is_empty() {
        let exact = ratio(base.0, base.1)?;
        return Ok(Bounds { ratio_min: exact, ratio_max: exact, may_fail, nothing_applicable });
    }
    Ok(Bounds {
        ratio_min: extreme_ratio(base, &items, false)?,
        ratio_max: extreme_ratio(base, &items, true)?,
        may_fail,
        nothing_applicable,
    })
}

/// Most combinations of unknown yes/no and choice facts tried for exact bounds.
const MAX_COMBINATIONS: usize = 256;

/// Exact bounds when the undecided clauses hinge on unknown yes/no or
/// choice facts: every combination of their values is evaluated, so clauses
/// that share an unknown fact move together. `None` when there are too
/// many combinations or the work budget runs out; the caller then falls
/// back to [`bounds`], which is wider but still contains every completion.
fn refine(ctx: &Ctx<'_>, clauses: &[ClauseResult]) -> Option<Bounds> {
    let program = ctx.program;
    let undecided: Vec<usize> =
        clauses.iter().enumerate().filter(|(_, c)| c.possible.len() > 1).map(|(i, _)| i).collect();
    let mut slots: Vec<(usize, Vec<Value>)> = Vec::new();
    for &i in &undecided {
        for &slot in &program.clauses.get(i)?.reads {
            if ctx.facts.get(slot).is_some_and(Option::is_some) || slots.iter().any(|(s, _)| *s == slot) {
                continue;
            }
            let domain: Vec<Value> = match &program.facts.get(slot)?.ty {
                Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
                Ty::Enum(k) => {
                    program.enums.get(*k)?.variants.iter().map(|(v, _)| Value::Text(v.as_str().into())).collect()
                }
                _ => continue,
            };
            slots.push((slot, domain));
        }
    }
    let combinations = slots.iter().try_fold(1usize, |n, (_, d)| n.checked_mul(d.len()))?;
    if slots.is_empty() || combinations > MAX_COMBINATIONS {
        return None;
    }
    let mut merged: Option<Bounds> = None;
    let mut steps = ctx.steps;
    let mut facts = ctx.facts.to_vec();
    let mut results = clauses.to_vec();
    for k in 0..combinations {
        let mut rest = k;
        for (slot, domain) in &slots {
            let value = domain.get(rest % domain.len())?.clone();
            rest /= domain.len();
            *facts.get_mut(*slot)? = Some(value);
        }
        let mut sub = Ctx::new(program, &facts, ctx.max_steps, false);
        sub.steps = steps;
        for &i in &undecided {
            *results.get_mut(i)? = sub.clause(program.clauses.get(i)?).ok()?;
        }
        steps = sub.steps;
        let b = bounds(program, &results).ok()?;
        merged = Some(match merged {
            None => b,
            Some(m) => Bounds {
                ratio_min: m.ratio_min.min(b.ratio_min),
                ratio_max: m.ratio_max.max(b.ratio_max),
                may_fail: m.may_fail.into_iter().chain(b.may_fail).fold(Vec::new(), |mut v, i| {
                    if !v.contains(&i) {
                        v.push(i);
                    }
                    v
                }),
                nothing_applicable: m.nothing_applicable || b.nothing_applicable,
            },
        });
    }
    merged
}

fn score(ctx: &mut Ctx<'_>, clauses: Vec<ClauseResult>, deductions: Vec<DeductionResult>) -> R<Evaluation> {
    let program = ctx.program;
    let bounds = match refine(ctx, &clauses) {
        Some(b) => b,
        None => bounds(program, &clauses)?,
    };
    let vetoes: Vec<usize> = program
        .clauses
        .iter()
        .zip(&clauses)
        .enumerate()
        .filter(|(_, (def, r))| def.veto && r.possible.as_slice() == [Outcome::Fail])
        .map(|(i, _)| i)
        .collect();
    let possible_vetoes: Vec<usize> = bounds.may_fail.iter().copied().filter(|i| !vetoes.contains(i)).collect();
    let scale = program.scoring.scale;
    let (mut ded_min, mut ded_max) = (Num::ZERO, Some(Num::ZERO));
    for d in &deductions {
        ded_min = ded_min.checked_add(d.min).ok_or_else(overflow)?;
        ded_max = match (ded_max, d.max) {
            (Some(a), Some(b)) => Some(a.checked_add(b).ok_or_else(overflow)?),
            _ => None,
        };
    }
    let raw_min = bounds.ratio_min.checked_mul(scale).ok_or_else(overflow)?;
    let raw_max = bounds.ratio_max.checked_mul(scale).ok_or_else(overflow)?;
    let score_min = match ded_max {
        Some(d) => raw_min.checked_sub(d).ok_or_else(overflow)?.max(Num::ZERO),
        None => Num::ZERO,
    };
    let score_max = raw_max.checked_sub(ded_min).ok_or_else(overflow)?.max(Num::ZERO);
    let score_min = score_min.round(2).ok_or_else(overflow)?;
    let score_max = score_max.round(2).ok_or_else(overflow)?;

    let n = program.clauses.len();
    let flags = |list: &[usize]| {
        let mut v = vec![false; n];
        for i in list {
            if let Some(f) = v.get_mut(*i) {
                *f = true;
            }
        }
        v
    };
    let worst_flags = flags(&[vetoes.as_slice(), possible_vetoes.as_slice()].concat());
    let best_flags = flags(&vetoes);
    let grade = first_match(ctx, &program.scoring.grades, score_min, &worst_flags)?;
    let grade_best = first_match(ctx, &program.scoring.grades, score_max, &best_flags)?;
    let verdict = first_match(ctx, &program.scoring.verdicts, score_min, &worst_flags)?;
    let verdict_best = first_match(ctx, &program.scoring.verdicts, score_max, &best_flags)?;
    Ok(Evaluation {
        clauses,
        deductions,
        score_min,
        score_max,
        vetoes,
        possible_vetoes,
        grade,
        grade_best,
        verdict,
        verdict_best,
        nothing_applicable: bounds.nothing_applicable,
    })
}

/// The first grade or verdict whose condition holds.
fn first_match(ctx: &mut Ctx<'_>, rules: &[OutcomeDef], score: Num, vetoed: &[bool]) -> R<usize> {
    ctx.outcome = Some((score, vetoed.to_vec()));
    let mut chosen = rules.len().saturating_sub(1);
    for (i, rule) in rules.iter().enumerate() {
        let holds = match &rule.condition {
            None => true,
            Some(c) => ctx.cond(c)? == Some(true),
        };
        if holds {
            chosen = i;
            break;
        }
    }
    ctx.outcome = None;
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: i64) -> Num {
        Num::int(x)
    }

    /// Brute force over every choice, for comparison.
    fn brute(base: (Num, Num), items: &[Vec<(Num, Num)>], maximize: bool) -> Num {
        let mut best: Option<Num> = None;
        let total: usize = items.iter().map(Vec::len).product();
        for mut k in 0..total {
            let (mut e, mut a) = base;
            for options in items {
                let (oe, oa) = options.get(k % options.len()).copied().unwrap_or((n(0), n(0)));
                k /= options.len();
                e = e.checked_add(oe).unwrap_or(e);
                a = a.checked_add(oa).unwrap_or(a);
            }
            let r = ratio(e, a).unwrap_or(n(0));
            best = Some(match best {
                None => r,
                Some(b) if maximize => b.max(r),
                Some(b) => b.min(r),
            });
        }
        best.unwrap_or(n(0))
    }

    #[test]
    fn dinkelbach_matches_brute_force() {
        let base = (n(50), n(60));
        let items = vec![
            vec![(n(0), n(0)), (n(0), n(10)), (n(10), n(10))],
            vec![(n(0), n(4)), (n(2), n(4)), (n(4), n(4))],
            vec![(n(0), n(0)), (n(3), n(3))],
            vec![(n(0), n(20)), (n(20), n(20)), (n(0), n(0))],
        ];
        for maximize in [false, true] {
            let fast = extreme_ratio(base, &items, maximize).unwrap_or(n(-1));
            assert_eq!(fast, brute(base, &items, maximize), "maximize = {maximize}");
        }
    }

    #[test]
    fn nothing_applicable_scores_zero() {
        let items = vec![vec![(n(0), n(0)), (n(5), n(5))]];
        assert_eq!(extreme_ratio((n(0), n(0)), &items, false).ok(), Some(n(0)));
        assert_eq!(extreme_ratio((n(0), n(0)), &items, true).ok(), Some(n(1)));
    }

    #[test]
    fn kleene_logic() {
        assert_eq!(and(Some(false), None), Some(false));
        assert_eq!(and(Some(true), None), None);
        assert_eq!(or(Some(true), None), Some(true));
        assert_eq!(or(Some(false), None), None);
    }
}

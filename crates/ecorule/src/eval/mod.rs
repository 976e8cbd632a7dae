//! Stage 4: a checked [`Program`] and one audit's facts to an [`Evaluation`].
//!
//! Logic over missing facts is three-valued (Kleene): `None` is unknown.
//! Each clause ends in the set of statuses still possible; the score
//! bounds are the exact minimum and maximum over every completion of the
//! unknown facts (Dinkelbach's method, since rescaling makes the score a
//! ratio). Nothing here allocates a name or parses text.

mod compile;
mod lane;
mod lookup;
mod plan;

use std::cmp::Ordering;

use crate::ast::NaPolicy;
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;
use crate::report::Status;

use compile::CondFn;
pub(crate) use lane::Word;
pub(crate) use plan::Plan;
use plan::{ClausePlan, DeductionPlan};

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

impl Outcome {
    /// The status a clause decided on this outcome shows.
    pub(crate) fn status(self) -> Status {
        match self {
            Outcome::Pass => Status::Pass,
            Outcome::Partial(_) => Status::Partial,
            Outcome::Fail => Status::Fail,
            Outcome::NotApplicable => Status::NotApplicable,
        }
    }
}

/// What a clause read: a fact, constant, `let` or table row. Not
/// comparable as a whole: a table row's keys are a place in a pool, so two
/// reads of one row may differ ([`Traces::record_table`] compares rows).
#[derive(Debug, Clone, Copy)]
pub(crate) enum TraceKey {
    Fact(usize),
    Constant(usize),
    Let(usize),
    /// A table by index, with the keys it was looked up by
    /// ([`Traces::keys`]).
    Table(usize, Keys),
}

/// Where a table row's keys lie in [`Traces`]' pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keys {
    start: u32,
    end: u32,
}

/// A value that decided a clause, for the explanation; formatted only
/// when the report is built.
#[derive(Debug, Clone)]
pub(crate) struct Trace {
    pub key: TraceKey,
    pub value: Option<Value>,
}

/// Every value the clauses read, clause after clause in one vector (a
/// clause's part is a [`TraceRange`]), and the keys of the table rows they
/// read in one pool: an evaluation records without allocating per clause
/// or per row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Traces {
    entries: Vec<Trace>,
    keys: Vec<Value>,
    /// Where the part being recorded starts: a value is recorded once per
    /// part.
    start: usize,
}

/// A clause's part of [`Traces`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TraceRange {
    start: u32,
    end: u32,
}

impl Traces {
    fn with_capacity(entries: usize) -> Traces {
        Traces { entries: Vec::with_capacity(entries), keys: Vec::with_capacity(entries / 4), start: 0 }
    }

    /// What a clause's part holds.
    pub(crate) fn of(&self, range: TraceRange) -> &[Trace] {
        self.entries.get(range.start as usize..range.end as usize).unwrap_or_default()
    }

    /// The keys a table row was looked up by.
    pub(crate) fn keys(&self, keys: Keys) -> &[Value] {
        self.keys.get(keys.start as usize..keys.end as usize).unwrap_or_default()
    }

    /// How many values were recorded.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Starts a new part; returns the one that ends.
    fn next_part(&mut self) -> TraceRange {
        let part = TraceRange { start: index(self.start), end: index(self.entries.len()) };
        self.start = self.entries.len();
        part
    }

    /// The current part's entries.
    fn part(&self) -> &[Trace] {
        self.entries.get(self.start..).unwrap_or_default()
    }

    /// Records a fact, constant or `let` unless this part has it (a table
    /// row goes through [`Traces::record_table`]).
    fn record(&mut self, key: TraceKey, value: Option<&Value>) {
        let seen = |t: &Trace| match (t.key, key) {
            (TraceKey::Fact(a), TraceKey::Fact(b))
            | (TraceKey::Constant(a), TraceKey::Constant(b))
            | (TraceKey::Let(a), TraceKey::Let(b)) => a == b,
            _ => false,
        };
        if !self.part().iter().any(seen) {
            self.entries.push(Trace { key, value: value.cloned() });
        }
    }

    /// Records a table row unless this part has it.
    fn record_table(&mut self, table: usize, keys: &[Value], value: Option<&Value>) {
        let seen = self.part().iter().any(|t| match t.key {
            TraceKey::Table(u, k) => u == table && self.keys(k) == keys,
            _ => false,
        });
        if !seen {
            let start = index(self.keys.len());
            self.keys.extend_from_slice(keys);
            let key = TraceKey::Table(table, Keys { start, end: index(self.keys.len()) });
            self.entries.push(Trace { key, value: value.cloned() });
        }
    }

    /// Records what `other` holds, in order.
    fn replay(&mut self, other: &Traces) {
        for t in &other.entries {
            match t.key {
                TraceKey::Table(table, keys) => self.record_table(table, other.keys(keys), t.value.as_ref()),
                key => self.record(key, t.value.as_ref()),
            }
        }
    }
}

/// A position in a trace vector; an evaluation's work limit keeps them
/// far below `u32::MAX` (one that did not fit would read as empty).
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The outcomes a clause may still end in, in order. A decided clause
/// (the usual case) holds its one outcome without allocating.
#[derive(Debug, Clone, Default)]
pub(crate) enum Possible {
    #[default]
    None,
    One(Outcome),
    Many(Vec<Outcome>),
}

impl Possible {
    #[inline]
    fn push(&mut self, o: Outcome) {
        *self = match std::mem::take(self) {
            Possible::None => Possible::One(o),
            Possible::One(first) => Possible::Many(vec![first, o]),
            Possible::Many(mut all) => {
                all.push(o);
                Possible::Many(all)
            }
        };
    }
}

impl std::ops::Deref for Possible {
    type Target = [Outcome];
    fn deref(&self) -> &[Outcome] {
        match self {
            Possible::None => &[],
            Possible::One(o) => std::slice::from_ref(o),
            Possible::Many(all) => all,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ClauseResult {
    /// Every outcome still possible; one when the clause is decided.
    pub possible: Possible,
    pub earned_min: Num,
    pub earned_max: Num,
    /// The `require` that failed, when one did.
    pub failed_require: Option<usize>,
    /// What it read, in [`Evaluation::traces`].
    pub trace: TraceRange,
}

impl ClauseResult {
    pub(crate) fn decided(&self) -> Option<Outcome> {
        match *self.possible {
            [one] => Some(one),
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

impl DeductionResult {
    fn decided(&self) -> bool {
        self.max == Some(self.min)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Evaluation {
    pub clauses: Vec<ClauseResult>,
    /// What the clauses read (empty without a trace).
    pub traces: Traces,
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
pub(crate) fn evaluate(
    program: &Program,
    plan: &Plan,
    facts: &[Option<Value>],
    max_steps: u64,
    trace: bool,
) -> R<Evaluation> {
    let mut ctx = Ctx::new(program, facts, max_steps, trace);
    let mut clauses = Vec::with_capacity(program.clauses.len());
    for (clause, compiled) in program.clauses.iter().zip(&plan.clauses) {
        clauses.push(ctx.clause(compiled).map_err(|e| in_clause(clause, e))?);
    }
    let mut deductions = Vec::with_capacity(program.scoring.deductions.len());
    for (d, compiled) in program.scoring.deductions.iter().zip(&plan.deductions) {
        deductions.push(ctx.deduction(d, compiled).map_err(|e| in_deduction(d, e))?);
    }
    score(&mut ctx, plan, clauses, deductions)
}

/// The least and most points a clause may earn with these outcomes.
fn earned_range(compiled: &ClausePlan, possible: &[Outcome]) -> R<(Num, Num)> {
    if let [one] = *possible {
        let (e, _) = compiled.option(one)?;
        return Ok((e, e));
    }
    let (mut earned_min, mut earned_max) = (None::<Num>, None::<Num>);
    for o in possible {
        let (e, _) = compiled.option(*o)?;
        earned_min = Some(earned_min.map_or(e, |m| m.min(e)));
        earned_max = Some(earned_max.map_or(e, |m| m.max(e)));
    }
    Ok((earned_min.unwrap_or(Num::ZERO), earned_max.unwrap_or(Num::ZERO)))
}

fn in_clause(clause: &ClauseDef, e: Error) -> Error {
    Error::new(e.kind(), format!("clause `{}`: {}", clause.id, e.message()))
}

fn in_deduction(d: &DeductionDef, e: Error) -> Error {
    Error::new(e.kind(), format!("deduction `{}`: {}", d.id, e.message()))
}

/// An audit whose every clause and deduction is decided: each clause's
/// outcome, the score, the veto clauses that failed, the grade and verdict.
#[derive(Debug, PartialEq)]
pub(crate) struct Decided {
    pub outcomes: Vec<Outcome>,
    pub score: Num,
    pub vetoes: Vec<usize>,
    pub grade: usize,
    pub verdict: usize,
    /// No clause counts any points (the report warns the score counts as 0).
    pub nothing_applicable: bool,
}

/// The summary's fast lane: one pass over the clauses, points summed as
/// integers, no explanations, no per-clause results. `Ok(None)` as soon as
/// a clause or deduction is undecided, or a sum leaves the integers; then
/// [`evaluate`] is the way, and for a decided audit it gives the same
/// outcomes, score, grade and verdict (and the same errors, in the same
/// order, since both evaluate the same closures in the same order).
pub(crate) fn decide(program: &Program, plan: &Plan, facts: &[Option<Value>], max_steps: u64) -> R<Option<Decided>> {
    let mut ctx = Ctx::new(program, facts, max_steps, false);
    let mut tally = Tally::new();
    let mut outcomes = Vec::with_capacity(program.clauses.len());
    for (i, (def, compiled)) in program.clauses.iter().zip(&plan.clauses).enumerate() {
        let (possible, _) = ctx.possible(compiled).map_err(|e| in_clause(def, e))?;
        let [outcome] = *possible else {
            return Ok(None);
        };
        if tally.clause(i, def, compiled, outcome).is_none() {
            return Ok(None);
        }
        outcomes.push(outcome);
    }
    for (d, compiled) in program.scoring.deductions.iter().zip(&plan.deductions) {
        let result = ctx.deduction(d, compiled).map_err(|e| in_deduction(d, e))?;
        let Some(count) = result.count else {
            return Ok(None);
        };
        tally.deduct(d, count)?;
    }
    let score = tally.score(program)?;
    let (grade, flags) = first_match(&mut ctx, &plan.grades, score, flags(program.clauses.len(), &tally.vetoes))?;
    let (verdict, _) = first_match(&mut ctx, &plan.verdicts, score, flags)?;
    let nothing_applicable = tally.counted == 0;
    Ok(Some(Decided { outcomes, score, vetoes: tally.vetoes, grade, verdict, nothing_applicable }))
}

/// [`decide`] by the lane's code over words ([`lane`]): the same answer
/// when it has one; `None` sends the audit to [`decide`].
pub(crate) fn decide_by_lane(
    program: &Program,
    plan: &Plan,
    max_steps: u64,
    facts: impl FnOnce(&mut [Word]) -> Option<()>,
) -> Option<Decided> {
    let mut run = plan.lane.run(max_steps, facts)?;
    let mut tally = Tally::new();
    for (i, ((def, compiled), outcome)) in program.clauses.iter().zip(&plan.clauses).zip(&run.outcomes).enumerate() {
        tally.clause(i, def, compiled, *outcome)?;
    }
    for (d, count) in program.scoring.deductions.iter().zip(&run.counts) {
        tally.deduct(d, *count).ok()?;
    }
    let score = tally.score(program).ok()?;
    let (grade, verdict) = run.grade(score, &tally.vetoes)?;
    let nothing_applicable = tally.counted == 0;
    Some(Decided { outcomes: run.outcomes, score, vetoes: tally.vetoes, grade, verdict, nothing_applicable })
}

/// Decided clauses and deductions added up: points as integers in the
/// plan's common unit.
struct Tally {
    earned: i128,
    counted: i128,
    /// Vetoed clauses, ascending (clauses are added in order).
    vetoes: Vec<usize>,
    deducted: Num,
}

impl Tally {
    fn new() -> Tally {
        Tally { earned: 0, counted: 0, vetoes: Vec::new(), deducted: Num::ZERO }
    }

    /// Adds clause `i`'s outcome; `None` when its points leave the integers.
    fn clause(&mut self, i: usize, def: &ClauseDef, compiled: &ClausePlan, outcome: Outcome) -> Option<()> {
        let (e, a) = compiled.units(outcome)?;
        self.earned = self.earned.checked_add(e)?;
        self.counted = self.counted.checked_add(a)?;
        if def.veto && outcome == Outcome::Fail {
            self.vetoes.push(i);
        }
        Some(())
    }

    fn deduct(&mut self, d: &DeductionDef, count: Num) -> R<()> {
        self.deducted = self.deducted.checked_add(deducted(d, count)?).ok_or_else(overflow)?;
        Ok(())
    }

    fn score(&self, program: &Program) -> R<Num> {
        let scale = program.scoring.scale;
        match whole_score(self.earned, self.counted, scale, self.deducted) {
            Some(score) => Ok(score),
            None => final_score(points_ratio(self.earned, self.counted), scale, Some(self.deducted)),
        }
    }
}

/// [`final_score`] of `earned / counted` in 64-bit integers, when the
/// scale and the deduction are whole numbers and every part fits (the
/// usual case): `(earned × scale − deducted × counted) / counted`, never
/// below zero, rounded half away from zero to two places as
/// [`Num::round`] rounds. `None` leaves it to the exact numbers.
fn whole_score(earned: i128, counted: i128, scale: Num, deducted: Num) -> Option<Num> {
    let ((scale, 1), (deducted, 1)) = (scale.fraction(), deducted.fraction()) else {
        return None;
    };
    let [earned, counted, scale, deducted] = [earned, counted, scale, deducted].map(|x| i64::try_from(x).ok());
    let (earned, counted, scale, deducted) = (earned?, counted?, scale?, deducted?);
    if counted <= 0 {
        return None;
    }
    let numer = earned.checked_mul(scale)?.checked_sub(deducted.checked_mul(counted)?)?;
    if numer <= 0 {
        return Some(Num::ZERO);
    }
    let hundredths = numer.checked_mul(100)?;
    let (q, r) = (hundredths / counted, hundredths % counted);
    let q = if i128::from(r) * 2 >= i128::from(counted) { q.checked_add(1)? } else { q };
    Num::ratio(i128::from(q), 100)
}

/// What a deduction takes for `count` events: its points each, up to its
/// maximum.
fn deducted(d: &DeductionDef, count: Num) -> R<Num> {
    let amount = d.points.checked_mul(count).ok_or_else(overflow)?;
    Ok(d.max.map_or(amount, |m| amount.min(m)))
}

/// The score from a ratio of points: scaled, less what is deducted (any
/// amount when `None`), never below zero, to two places.
fn final_score(ratio: Num, scale: Num, deducted: Option<Num>) -> R<Num> {
    let Some(deducted) = deducted else {
        return Ok(Num::ZERO);
    };
    rounded_score(ratio.checked_mul(scale).ok_or_else(overflow)?, deducted)
}

/// Points less what is deducted, never below zero, to two places: how
/// every score is rounded.
fn rounded_score(raw: Num, deducted: Num) -> R<Num> {
    raw.checked_sub(deducted).ok_or_else(overflow)?.max(Num::ZERO).round(2).ok_or_else(overflow)
}

/// `earned / counted` of `scale`, rounded as the score is
/// ([`rounded_score`]): an area's score on its own points. `None` when
/// nothing counts or on overflow.
pub(crate) fn scaled_score(earned: Num, counted: Num, scale: Num) -> Option<Num> {
    if counted.is_zero() {
        return None;
    }
    // Every point counted (the usual case): the points earned as they are.
    let raw = if counted == scale { earned } else { earned.checked_div(counted)?.checked_mul(scale)? };
    rounded_score(raw, Num::ZERO).ok()
}

/// Points earned over points counted (zero when none count), both in
/// units of the plan's common denominator.
fn points_ratio(earned: i128, counted: i128) -> Num {
    Num::ratio(earned, counted).unwrap_or(Num::ZERO)
}

/// A flag per clause, set for the clauses listed.
fn flags(n: usize, list: &[usize]) -> Vec<bool> {
    let mut v = vec![false; n];
    for i in list {
        if let Some(f) = v.get_mut(*i) {
            *f = true;
        }
    }
    v
}

/// Values most clauses record for their explanation.
const TRACE_ROOM: usize = 8;

pub(crate) struct Ctx<'a> {
    program: &'a Program,
    facts: &'a [Option<Value>],
    steps: u64,
    max_steps: u64,
    trace: Option<Traces>,
    /// `score` and the vetoed flags per clause, while grading.
    outcome: Option<(Num, Vec<bool>)>,
    /// Values of `let`s computed so far: they depend on the facts only.
    lets: Vec<Option<Option<Value>>>,
}

fn overflow() -> Error {
    Error::new(
        ErrorKind::Evaluation,
        "a number needs more digits than can be held exactly (over 38): it grew too large, or too fine",
    )
}

impl<'a> Ctx<'a> {
    fn new(program: &'a Program, facts: &'a [Option<Value>], max_steps: u64, trace: bool) -> Self {
        let lets = vec![None; program.lets.len()];
        let trace = trace.then(|| Traces::with_capacity(TRACE_ROOM * program.clauses.len()));
        Ctx { program, facts, steps: 0, max_steps, trace, outcome: None, lets }
    }

    fn clause(&mut self, compiled: &ClausePlan) -> R<ClauseResult> {
        let (possible, failed_require) = self.possible(compiled)?;
        let (earned_min, earned_max) = earned_range(compiled, &possible)?;
        let trace = self.trace.as_mut().map(Traces::next_part).unwrap_or_default();
        Ok(ClauseResult { possible, earned_min, earned_max, failed_require, trace })
    }

    /// The outcomes a clause may end in, and the `require` that failed.
    fn possible(&mut self, compiled: &ClausePlan) -> R<(Possible, Option<usize>)> {
        let mut applies: Tri = Some(true);
        for cond in &compiled.when {
            applies = and(applies, cond(self)?);
            if applies == Some(false) {
                return Ok((Possible::One(Outcome::NotApplicable), None));
            }
        }
        let mut holds: Tri = Some(true);
        let mut failed_require = None;
        for (i, cond) in compiled.require.iter().enumerate() {
            let r = cond(self)?;
            if r == Some(false) && failed_require.is_none() {
                failed_require = Some(i);
            }
            holds = and(holds, r);
            if holds == Some(false) {
                break;
            }
        }
        if holds == Some(true) && applies == Some(true) {
            return Ok((Possible::One(Outcome::Pass), None));
        }
        let mut possible = Possible::default();
        if holds != Some(false) {
            possible.push(Outcome::Pass);
        }
        if holds != Some(true) {
            let mut settled = false;
            for (i, cond) in compiled.partials.iter().enumerate() {
                let c = cond(self)?;
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
        if applies != Some(true) {
            possible.push(Outcome::NotApplicable);
        }
        Ok((possible, failed_require))
    }

    fn deduction(&mut self, d: &DeductionDef, compiled: &DeductionPlan) -> R<DeductionResult> {
        let count = match compiled {
            DeductionPlan::Per(e) => match e(self)? {
                Some(n) if n.is_negative() => {
                    return Err(Error::new(
                        ErrorKind::Evaluation,
                        format!("`{}` is {n}, and a count cannot be negative", d.basis_text),
                    ));
                }
                other => other,
            },
            DeductionPlan::When(e) => e(self)?.map(|b| if b { Num::ONE } else { Num::ZERO }),
        };
        Ok(match count {
            Some(n) => {
                let amount = deducted(d, n)?;
                DeductionResult { count: Some(n), min: amount, max: Some(amount) }
            }
            None => {
                let max = match &d.basis {
                    Basis::When(_) => Some(d.max.map_or(d.points, |m| d.points.min(m))),
                    Basis::Per(_) => d.max,
                };
                DeductionResult { count: None, min: Num::ZERO, max }
            }
        })
    }

    /// Counts one step of work against the limit.
    #[inline]
    fn step(&mut self) -> R<()> {
        self.steps += 1;
        self.within_limit()
    }

    /// Counts `n` steps of work at once.
    #[inline]
    fn steps(&mut self, n: u64) -> R<()> {
        self.steps = self.steps.saturating_add(n);
        self.within_limit()
    }

    /// Counts a step for each of `n` list items an operation goes through:
    /// a list from the audit is as long as the audit makes it.
    #[inline]
    fn items(&mut self, n: usize) -> R<()> {
        self.steps(u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// The error once the steps counted are over the limit.
    #[inline]
    fn within_limit(&self) -> R<()> {
        if self.steps > self.max_steps {
            return Err(Error::new(
                ErrorKind::TooMuchWork,
                format!(
                    "evaluation ran over the limit of {} steps here, counting every clause evaluated before",
                    self.max_steps
                ),
            ));
        }
        Ok(())
    }

    /// A fact's value, recorded for the explanation.
    #[inline(always)]
    fn fact(&mut self, slot: usize) -> Option<&'a Value> {
        let value = self.facts.get(slot).and_then(Option::as_ref);
        if self.trace.is_some() {
            self.record_fact(slot, value);
        }
        value
    }

    #[inline(never)]
    fn record_fact(&mut self, slot: usize, value: Option<&Value>) {
        if let Some(trace) = &mut self.trace {
            trace.record(TraceKey::Fact(slot), value);
        }
    }

    fn record(&mut self, key: TraceKey, value: &Option<Value>) {
        if let Some(trace) = &mut self.trace {
            trace.record(key, value.as_ref());
        }
    }

    /// Replays what a constant expression recorded when it was folded.
    fn replay(&mut self, records: &Traces) {
        if let Some(trace) = &mut self.trace {
            trace.replay(records);
        }
    }

    fn record_table(&mut self, table: usize, keys: &[Value], value: &Value) {
        if let Some(trace) = &mut self.trace {
            trace.record_table(table, keys, Some(value));
        }
    }

    /// A `let`'s value when it was worked out already for this audit.
    /// `None` while a trace is kept: then every use re-reads its facts, so
    /// each clause's explanation lists what the let depends on.
    fn kept_let(&self, i: usize) -> Option<Option<&Value>> {
        if self.trace.is_some() {
            return None;
        }
        self.lets.get(i)?.as_ref().map(Option::as_ref)
    }

    /// Works out `let` `i` by `inner`, counting its steps only the first
    /// time: a report re-reads a `let` at each use for the explanation,
    /// and that must not cost the audit more of its limit than a summary,
    /// which keeps the value (the checker bounds what the re-reading adds,
    /// [`crate::Limits::max_let_terms`]).
    fn counted_once<T>(&mut self, i: usize, inner: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        if !self.lets.get(i).is_some_and(Option::is_some) {
            return inner(self);
        }
        let (steps, max_steps) = (self.steps, self.max_steps);
        self.max_steps = u64::MAX;
        let value = inner(self);
        (self.steps, self.max_steps) = (steps, max_steps);
        value
    }

    /// Keeps a `let`'s value for the rest of the audit, and records it for
    /// the explanation when it says more than yes or no.
    fn keep_let(&mut self, i: usize, value: Option<Value>) {
        if let Some(trace) = &mut self.trace {
            let shown =
                self.program.lets.get(i).is_some_and(|d| d.unverified) || !matches!(value, Some(Value::Bool(_)));
            if shown {
                trace.record(TraceKey::Let(i), value.as_ref());
            }
        }
        if let Some(slot) = self.lets.get_mut(i) {
            *slot = Some(value);
        }
    }
}

#[inline]
fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

#[inline]
fn or(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn compare(op: Cmp, l: &Value, r: &Value) -> bool {
    match (op, order(l, r)) {
        (Cmp::Eq, _) => l == r,
        (Cmp::Ne, _) => l != r,
        (Cmp::Lt, Some(o)) => o == Ordering::Less,
        (Cmp::Le, Some(o)) => o != Ordering::Greater,
        (Cmp::Gt, Some(o)) => o == Ordering::Greater,
        (Cmp::Ge, Some(o)) => o != Ordering::Less,
        _ => false,
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

/// Points a score ratio is added up in: whole multiples of the plan's
/// common unit (`i128`) where they fit, else exact numbers.
trait Points: Copy + Ord {
    const ZERO: Self;
    fn add(self, other: Self) -> Option<Self>;
    fn sub(self, other: Self) -> Option<Self>;
    fn mul(self, other: Self) -> Option<Self>;
    /// `e / a`, zero when `a` is.
    fn ratio(e: Self, a: Self) -> Option<Num>;
    /// A ratio as numerator and positive denominator.
    fn parts(ratio: Num) -> Option<(Self, Self)>;
    /// Points earned and counted for a clause's outcome.
    fn of(clause: &ClausePlan, outcome: Outcome) -> Option<(Self, Self)>;
}

impl Points for i128 {
    const ZERO: i128 = 0;
    fn add(self, other: i128) -> Option<i128> {
        self.checked_add(other)
    }
    fn sub(self, other: i128) -> Option<i128> {
        self.checked_sub(other)
    }
    fn mul(self, other: i128) -> Option<i128> {
        self.checked_mul(other)
    }
    fn ratio(e: i128, a: i128) -> Option<Num> {
        Some(points_ratio(e, a))
    }
    fn parts(ratio: Num) -> Option<(i128, i128)> {
        Some(ratio.fraction())
    }
    fn of(clause: &ClausePlan, outcome: Outcome) -> Option<(i128, i128)> {
        clause.units(outcome)
    }
}

impl Points for Num {
    const ZERO: Num = Num::ZERO;
    fn add(self, other: Num) -> Option<Num> {
        self.checked_add(other)
    }
    fn sub(self, other: Num) -> Option<Num> {
        self.checked_sub(other)
    }
    fn mul(self, other: Num) -> Option<Num> {
        self.checked_mul(other)
    }
    fn ratio(e: Num, a: Num) -> Option<Num> {
        ratio(e, a).ok()
    }
    fn parts(ratio: Num) -> Option<(Num, Num)> {
        Some((ratio, Num::ONE))
    }
    fn of(clause: &ClausePlan, outcome: Outcome) -> Option<(Num, Num)> {
        clause.option(outcome).ok()
    }
}

/// The exact extreme of (E0 + Σe) / (A0 + Σa) over one option per item,
/// by Dinkelbach's method: λ = p/q with q > 0, and each option's `e − λa`
/// compared as `eq − pa`, which orders them the same. `None` on overflow.
fn extreme_ratio<P: Points>(base: (P, P), items: &[Vec<(P, P)>], maximize: bool) -> Option<Num> {
    let better = |a: P, b: P| if maximize { a > b } else { a < b };
    let choose = |p: P, q: P| -> Option<(P, P)> {
        let (mut e, mut a) = base;
        for options in items {
            let mut best: Option<(P, (P, P))> = None;
            for &(oe, oa) in options {
                let value = oe.mul(q)?.sub(p.mul(oa)?)?;
                if best.is_none_or(|(bv, _)| better(value, bv)) {
                    best = Some((value, (oe, oa)));
                }
            }
            if let Some((_, (oe, oa))) = best {
                e = e.add(oe)?;
                a = a.add(oa)?;
            }
        }
        Some((e, a))
    };
    if !maximize && base.1 == P::ZERO && items.iter().all(|o| o.iter().any(|(_, a)| *a == P::ZERO)) {
        return Some(Num::ZERO);
    }
    let (p, q) = P::parts(Num::ZERO)?;
    let (e, a) = choose(p, q)?;
    let mut lambda = P::ratio(e, a)?;
    for _ in 0..100 {
        let (p, q) = P::parts(lambda)?;
        let (e, a) = choose(p, q)?;
        let f = e.mul(q)?.sub(p.mul(a)?)?;
        let improves = if maximize { f > P::ZERO } else { f < P::ZERO };
        if !improves || a == P::ZERO {
            break;
        }
        lambda = P::ratio(e, a)?;
    }
    Some(lambda)
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

impl Bounds {
    /// The bounds of both sets of completions.
    fn merge(self, other: Bounds) -> Bounds {
        let mut may_fail = self.may_fail;
        for i in other.may_fail {
            if !may_fail.contains(&i) {
                may_fail.push(i);
            }
        }
        Bounds {
            ratio_min: self.ratio_min.min(other.ratio_min),
            ratio_max: self.ratio_max.max(other.ratio_max),
            may_fail,
            nothing_applicable: self.nothing_applicable || other.nothing_applicable,
        }
    }
}

/// Bounds treating each undecided clause on its own: in the plan's
/// integer units (which cancel in the ratio) where every clause's points
/// are whole units and nothing overflows, else in exact numbers. Both make
/// the same choices, so they give the same bounds.
fn bounds(program: &Program, plan: &Plan, clauses: &[ClauseResult]) -> R<Bounds> {
    if let Some(bounds) = sum_bounds::<i128>(program, plan, clauses) {
        return Ok(bounds);
    }
    sum_bounds::<Num>(program, plan, clauses).ok_or_else(overflow)
}

fn sum_bounds<P: Points>(program: &Program, plan: &Plan, clauses: &[ClauseResult]) -> Option<Bounds> {
    let mut sum = Sum::<P>::new();
    for (i, result) in clauses.iter().enumerate() {
        sum.add(program, plan, i, result)?;
    }
    sum.bounds()
}

/// Clauses' points added up for [`bounds`]: decided clauses into `base`,
/// each undecided one as an item of options.
#[derive(Clone)]
struct Sum<P> {
    base: (P, P),
    items: Vec<Vec<(P, P)>>,
    /// Veto clauses that may fail, in the order added.
    may_fail: Vec<usize>,
    nothing_applicable: bool,
}

impl<P: Points> Sum<P> {
    fn new() -> Sum<P> {
        Sum { base: (P::ZERO, P::ZERO), items: Vec::new(), may_fail: Vec::new(), nothing_applicable: true }
    }

    /// Adds clause `i`'s possible outcomes; `None` on points `P` cannot
    /// hold, or overflow.
    fn add(&mut self, program: &Program, plan: &Plan, i: usize, result: &ClauseResult) -> Option<()> {
        let (def, compiled) = (program.clauses.get(i)?, plan.clauses.get(i)?);
        if let [decided] = *result.possible {
            let (e, a) = P::of(compiled, decided)?;
            self.nothing_applicable &= a == P::ZERO;
            self.base = (self.base.0.add(e)?, self.base.1.add(a)?);
        } else {
            let options: Vec<(P, P)> = result.possible.iter().map(|o| P::of(compiled, *o)).collect::<Option<_>>()?;
            if options.iter().all(|(_, a)| *a != P::ZERO) {
                self.nothing_applicable = false;
            }
            self.items.push(options);
        }
        if def.veto && result.possible.contains(&Outcome::Fail) {
            self.may_fail.push(i);
        }
        Some(())
    }

    /// The bounds of what was added; `may_fail` in clause order.
    fn bounds(mut self) -> Option<Bounds> {
        let (ratio_min, ratio_max) = if self.items.is_empty() {
            let exact = P::ratio(self.base.0, self.base.1)?;
            (exact, exact)
        } else {
            (extreme_ratio(self.base, &self.items, false)?, extreme_ratio(self.base, &self.items, true)?)
        };
        self.may_fail.sort_unstable();
        Some(Bounds { ratio_min, ratio_max, may_fail: self.may_fail, nothing_applicable: self.nothing_applicable })
    }
}

/// Most combinations of unknown yes/no and choice facts tried for exact bounds.
const MAX_COMBINATIONS: usize = 256;

/// The score range and the clauses' bounds over the completions of the
/// unknown facts.
struct Open {
    bounds: Bounds,
    score_min: Num,
    score_max: Num,
    /// Undecided clauses by index, with what they came to in every
    /// combination tried ([`refine`] only).
    seen: Vec<(usize, Seen)>,
}

/// What an undecided clause came to over the combinations of unknown facts
/// that [`refine`] tried: each is a completion of the audit as far as the
/// clause's yes/no and choice facts go, so these are all it can end in.
#[derive(Debug, Clone, Default)]
struct Seen {
    outcomes: Vec<Outcome>,
    /// The `require` each combination found failing (`None`: none did).
    failed: Vec<Option<usize>>,
}

impl Seen {
    fn add(&mut self, result: &ClauseResult) {
        for o in result.possible.iter() {
            if !self.outcomes.contains(o) {
                self.outcomes.push(*o);
            }
        }
        if !self.failed.contains(&result.failed_require) {
            self.failed.push(result.failed_require);
        }
    }

    /// Narrows `result` to the outcomes seen, keeping their order. Left as
    /// it is should the combinations have come to an outcome it did not
    /// have: Kleene logic over fewer facts never rules out what more
    /// facts give, so that would be a fault, and the wider result is safe.
    fn narrow(&self, compiled: &ClausePlan, result: &mut ClauseResult) -> R<()> {
        if self.outcomes.is_empty() || !self.outcomes.iter().all(|o| result.possible.contains(o)) {
            return Ok(());
        }
        let mut possible = Possible::None;
        for o in result.possible.iter().filter(|o| self.outcomes.contains(o)) {
            possible.push(*o);
        }
        (result.earned_min, result.earned_max) = earned_range(compiled, &possible)?;
        result.possible = possible;
        if let [agreed] = *self.failed {
            result.failed_require = agreed;
        }
        Ok(())
    }
}

impl Open {
    /// Treating each undecided clause and deduction on its own.
    fn apart(program: &Program, plan: &Plan, clauses: &[ClauseResult], deductions: &[DeductionResult]) -> R<Open> {
        let bounds = bounds(program, plan, clauses)?;
        let (score_min, score_max) = score_range(&bounds, deductions, program.scoring.scale)?;
        Ok(Open { bounds, score_min, score_max, seen: Vec::new() })
    }
}

/// The lowest and highest score of clause bounds less deductions.
fn score_range(bounds: &Bounds, deductions: &[DeductionResult], scale: Num) -> R<(Num, Num)> {
    let (mut ded_min, mut ded_max) = (Num::ZERO, Some(Num::ZERO));
    for d in deductions {
        ded_min = ded_min.checked_add(d.min).ok_or_else(overflow)?;
        ded_max = match (ded_max, d.max) {
            (Some(a), Some(b)) => Some(a.checked_add(b).ok_or_else(overflow)?),
            _ => None,
        };
    }
    Ok((final_score(bounds.ratio_min, scale, ded_max)?, final_score(bounds.ratio_max, scale, Some(ded_min))?))
}

/// Exact bounds when the undecided clauses and deductions hinge on unknown
/// yes/no or choice facts: every combination of their values is evaluated,
/// so clauses and deductions that share an unknown fact move together.
/// `None` when there are too many combinations or the work budget runs
/// out; the caller then falls back to [`Open::apart`], which is wider but
/// still contains every completion.
fn refine(ctx: &Ctx<'_>, plan: &Plan, clauses: &[ClauseResult], deductions: &[DeductionResult]) -> Option<Open> {
    let program = ctx.program;
    let undecided: Vec<usize> =
        clauses.iter().enumerate().filter(|(_, c)| c.possible.len() > 1).map(|(i, _)| i).collect();
    let open_deductions: Vec<usize> =
        deductions.iter().enumerate().filter(|(_, d)| !d.decided()).map(|(i, _)| i).collect();
    if undecided.is_empty() && open_deductions.is_empty() {
        return None;
    }
    let mut slots: Vec<(usize, Vec<Value>)> = Vec::new();
    // Whether `slot` is among the facts tried (added now if it is an
    // unknown yes/no or choice).
    let mut add_slot = |slot: usize| -> Option<bool> {
        if slots.iter().any(|(s, _)| *s == slot) {
            return Some(true);
        }
        if ctx.facts.get(slot).is_some_and(Option::is_some) {
            return Some(false);
        }
        let domain: Vec<Value> = match &program.facts.get(slot)?.ty {
            Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
            Ty::Enum(k) => {
                program.enums.get(*k)?.variants.iter().map(|(v, _)| Value::Text(v.as_str().into())).collect()
            }
            _ => return Some(false),
        };
        slots.push((slot, domain));
        Some(true)
    };
    for &i in &undecided {
        for &slot in &program.clauses.get(i)?.reads {
            add_slot(slot)?;
        }
    }
    // The undecided deductions that read a fact tried here: only they can
    // differ between combinations (the rest are as `deductions` has them).
    let mut moving = Vec::new();
    for &d in &open_deductions {
        let mut read = Vec::new();
        program.scoring.deductions.get(d)?.basis.expr().each_fact(&mut |slot| read.push(slot));
        let mut tried = false;
        for slot in read {
            tried |= add_slot(slot)?;
        }
        if tried {
            moving.push(d);
        }
    }
    let combinations = slots.iter().try_fold(1usize, |n, (_, d)| n.checked_mul(d.len()))?;
    if slots.is_empty() || combinations > MAX_COMBINATIONS {
        return None;
    }
    let mut merged: Option<Bounds> = None;
    // The score range, when deductions move between combinations.
    let mut scores: Option<(Num, Num)> = None;
    let mut steps = ctx.steps;
    let mut facts = ctx.facts.to_vec();
    let mut results = clauses.to_vec();
    let mut deducted = deductions.to_vec();
    // The clauses decided already are the same in every combination:
    // their points are added up once, when they are whole units.
    let mut fixed = Some(Sum::<i128>::new());
    for (i, result) in clauses.iter().enumerate().filter(|(_, c)| c.possible.len() <= 1) {
        fixed = fixed.and_then(|mut sum| sum.add(program, plan, i, result).map(|()| sum));
    }
    // When evaluating every undecided clause in every combination (twice
    // over, to be safe) stays within the work limit, the limit cannot stop
    // this loop, and a clause is evaluated once per combination of the
    // unknown facts it reads: nothing else it depends on changes here.
    let per_combination =
        undecided.iter().try_fold(0u64, |n, &i| Some(n.saturating_add(plan.clauses.get(i)?.most_steps)))?;
    let per_combination = moving.iter().try_fold(per_combination, |n, &d| {
        Some(n.saturating_add(plan::most_steps(program.scoring.deductions.get(d)?.basis.expr())))
    })?;
    let most = per_combination.saturating_mul(2).saturating_mul(u64::try_from(combinations).ok()?);
    let remember = ctx.steps.saturating_add(most) <= ctx.max_steps;
    // Per undecided clause: the positions in `slots` of the facts it reads,
    // and its results by their values.
    let mut memo: Vec<(Vec<usize>, Vec<Option<ClauseResult>>)> = Vec::with_capacity(undecided.len());
    for &i in &undecided {
        let reads = &program.clauses.get(i)?.reads;
        let read: Vec<usize> =
            (0..slots.len()).filter(|&j| slots.get(j).is_some_and(|(s, _)| reads.contains(s))).collect();
        let size = read.iter().try_fold(1usize, |n, &j| Some(n * slots.get(j)?.1.len()))?;
        memo.push((read, vec![None; if remember { size } else { 0 }]));
    }
    let mut seen = vec![Seen::default(); undecided.len()];
    let mut digits = vec![0usize; slots.len()];
    for k in 0..combinations {
        let mut rest = k;
        for ((slot, domain), digit) in slots.iter().zip(digits.iter_mut()) {
            *digit = rest % domain.len();
            rest /= domain.len();
            *facts.get_mut(*slot)? = Some(domain.get(*digit)?.clone());
        }
        let mut sub = Ctx::new(program, &facts, ctx.max_steps, false);
        sub.steps = steps;
        for ((&i, (read, known)), seen) in undecided.iter().zip(&mut memo).zip(&mut seen) {
            let key = read.iter().try_fold(0usize, |key, &j| Some(key * slots.get(j)?.1.len() + digits.get(j)?))?;
            let result = match known.get(key) {
                Some(Some(result)) => result.clone(),
                _ => {
                    let result = sub.clause(plan.clauses.get(i)?).ok()?;
                    if let Some(slot) = known.get_mut(key) {
                        *slot = Some(result.clone());
                    }
                    result
                }
            };
            seen.add(&result);
            *results.get_mut(i)? = result;
        }
        for &d in &moving {
            let (def, compiled) = (program.scoring.deductions.get(d)?, plan.deductions.get(d)?);
            *deducted.get_mut(d)? = sub.deduction(def, compiled).ok()?;
        }
        steps = sub.steps;
        // In integer units, from the fixed clauses' sum. Where units do not
        // serve (points not whole units, or a sum overflows), they would not
        // for the same clauses summed afresh either, so `bounds` would end
        // in exact numbers: go there directly.
        let by_units = fixed.clone().and_then(|mut sum| {
            for &i in &undecided {
                sum.add(program, plan, i, results.get(i)?)?;
            }
            sum.bounds()
        });
        let b = match by_units {
            Some(b) => b,
            None => sum_bounds::<Num>(program, plan, &results)?,
        };
        // Scored per combination only when deductions move with it: else
        // once, from the merged bounds, below.
        if !moving.is_empty() {
            let (low, high) = score_range(&b, &deducted, program.scoring.scale).ok()?;
            scores = Some(scores.map_or((low, high), |(l, h): (Num, Num)| (l.min(low), h.max(high))));
        }
        merged = Some(match merged {
            None => b,
            Some(m) => m.merge(b),
        });
    }
    let bounds = merged?;
    let (score_min, score_max) = match scores {
        Some(range) => range,
        None => score_range(&bounds, deductions, program.scoring.scale).ok()?,
    };
    Some(Open { bounds, score_min, score_max, seen: undecided.into_iter().zip(seen).collect() })
}

fn score(
    ctx: &mut Ctx<'_>,
    plan: &Plan,
    clauses: Vec<ClauseResult>,
    deductions: Vec<DeductionResult>,
) -> R<Evaluation> {
    let program = ctx.program;
    let Open { bounds, score_min, score_max, seen } = match refine(ctx, plan, &clauses, &deductions) {
        Some(open) => open,
        None => Open::apart(program, plan, &clauses, &deductions)?,
    };
    // A clause may be decided after all: the same in every combination of
    // the unknown facts it reads, which Kleene logic alone cannot see
    // (`x <= (if fuel == oil then 250 else 200)` with `x` 150).
    let mut clauses = clauses;
    for (i, seen) in &seen {
        if let (Some(result), Some(compiled)) = (clauses.get_mut(*i), plan.clauses.get(*i)) {
            seen.narrow(compiled, result)?;
        }
    }
    let vetoes: Vec<usize> = program
        .clauses
        .iter()
        .zip(&clauses)
        .enumerate()
        .filter(|(_, (def, r))| def.veto && *r.possible == [Outcome::Fail])
        .map(|(i, _)| i)
        .collect();
    let possible_vetoes: Vec<usize> = bounds.may_fail.iter().copied().filter(|i| !vetoes.contains(i)).collect();
    let best_flags = flags(program.clauses.len(), &vetoes);
    let (grade_best, best_flags) = first_match(ctx, &plan.grades, score_max, best_flags)?;
    let (verdict_best, best_flags) = first_match(ctx, &plan.verdicts, score_max, best_flags)?;
    // A determined audit has one end: graded once.
    let (grade, verdict) = if score_min == score_max && possible_vetoes.is_empty() {
        (grade_best, verdict_best)
    } else {
        let mut worst_flags = best_flags;
        for i in &possible_vetoes {
            if let Some(f) = worst_flags.get_mut(*i) {
                *f = true;
            }
        }
        let (grade, worst_flags) = first_match(ctx, &plan.grades, score_min, worst_flags)?;
        (grade, first_match(ctx, &plan.verdicts, score_min, worst_flags)?.0)
    };
    Ok(Evaluation {
        clauses,
        traces: ctx.trace.take().unwrap_or_default(),
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

/// The first grade or verdict whose condition holds, and the flags back.
fn first_match(ctx: &mut Ctx<'_>, rules: &[Option<CondFn>], score: Num, vetoed: Vec<bool>) -> R<(usize, Vec<bool>)> {
    ctx.outcome = Some((score, vetoed));
    let mut chosen = rules.len().saturating_sub(1);
    for (i, rule) in rules.iter().enumerate() {
        let holds = match rule {
            None => true,
            Some(c) => c(ctx)? == Some(true),
        };
        if holds {
            chosen = i;
            break;
        }
    }
    let vetoed = ctx.outcome.take().map(|(_, v)| v).unwrap_or_default();
    Ok((chosen, vetoed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: i64) -> Num {
        Num::int(x)
    }

    /// The integer score agrees with the exact one wherever it answers,
    /// ties at the third decimal included (1/8 of 100 is 12.5).
    #[test]
    fn whole_scores_are_the_exact_scores() {
        let mut answered = 0;
        for counted in [1i128, 3, 7, 8, 40, 41, 97, 1000, i128::from(i64::MAX), i128::from(i64::MAX) + 1] {
            for earned in [0i128, 1, 2, 3, 5, 13, 39, 40, 96, 999, i128::from(i64::MAX)] {
                if earned > counted {
                    continue;
                }
                for scale in [n(1), n(10), n(100), n(1000), Num::ratio(1, 3).unwrap_or(Num::ZERO)] {
                    for deducted in [n(0), n(1), n(10), n(30), n(120), Num::ratio(5, 2).unwrap_or(Num::ZERO)] {
                        let exact = final_score(points_ratio(earned, counted), scale, Some(deducted)).ok();
                        if let Some(whole) = whole_score(earned, counted, scale, deducted) {
                            answered += 1;
                            assert_eq!(Some(whole), exact, "{earned}/{counted} of {scale} less {deducted}");
                        }
                    }
                }
            }
        }
        assert!(answered > 500, "only {answered} cases took the integer path");
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

    /// Dinkelbach in integer units agrees with it in exact numbers (and so
    /// with brute force) on every small case: points 0..=3 out of 0..=3 per
    /// option.
    #[test]
    fn integer_dinkelbach_is_the_exact_one() {
        let option = |k: i128| (k % 4, k / 4 % 4);
        for seed in 0..3_000i128 {
            let base = (seed % 5, seed % 5 + seed / 5 % 3);
            let items: Vec<Vec<(i128, i128)>> =
                (0..3).map(|j| (0..2 + (seed + j) % 2).map(|o| option(seed / 7 + j * 5 + o * 3)).collect()).collect();
            let items: Vec<Vec<(i128, i128)>> =
                items.into_iter().map(|o| o.into_iter().map(|(e, a)| (e.min(a), a)).collect()).collect();
            let exact: Vec<Vec<(Num, Num)>> = items
                .iter()
                .map(|o| o.iter().map(|&(e, a)| (Num::int(e as i64), Num::int(a as i64))).collect())
                .collect();
            let exact_base = (Num::int(base.0 as i64), Num::int(base.1 as i64));
            for maximize in [false, true] {
                let by_units = extreme_ratio(base, &items, maximize);
                let by_nums = extreme_ratio(exact_base, &exact, maximize);
                assert_eq!(by_units, by_nums, "{base:?} {items:?} maximize = {maximize}");
                assert_eq!(by_nums, Some(brute(exact_base, &exact, maximize)), "{base:?} {items:?}");
            }
        }
    }

    #[test]
    fn nothing_applicable_scores_zero() {
        let items = vec![vec![(n(0), n(0)), (n(5), n(5))]];
        assert_eq!(extreme_ratio((n(0), n(0)), &items, false), Some(n(0)));
        assert_eq!(extreme_ratio((n(0), n(0)), &items, true), Some(n(1)));
    }

    #[test]
    fn kleene_logic() {
        assert_eq!(and(Some(false), None), Some(false));
        assert_eq!(and(Some(true), None), None);
        assert_eq!(or(Some(true), None), Some(true));
        assert_eq!(or(Some(false), None), None);
    }
}

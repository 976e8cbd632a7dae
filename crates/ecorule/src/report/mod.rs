//! Stage 5: an [`Evaluation`] to the explained, reproducible [`Report`].
//!
//! The report is one versioned serde type; `render` draws it as text or
//! Markdown, and JSON comes from serde. Every binding returns these same
//! bytes.

mod render;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::audit::Bound;
use crate::eval::{ClauseResult, Evaluation, Outcome, Trace, TraceKey};
use crate::ir::*;
use crate::num::Num;

pub use render::{render_markdown, render_text};

/// The report schema this version writes.
pub const SCHEMA: &str = "ecorule.report/1";

/// The outcome of scoring one audit against one rulebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Which rules made this report.
    pub rulebook: RulebookRef,
    /// Which audit it scores.
    pub audit: AuditRef,
    /// The score, when no unknown fact could change it.
    pub score: Option<Num>,
    /// The lowest score any completion of the unknown facts gives.
    pub score_min: Num,
    /// The highest score any completion of the unknown facts gives.
    pub score_max: Num,
    /// The full score.
    pub scale: Num,
    /// Grade id at `score_min`.
    pub grade: String,
    /// Labels of `grade`.
    pub grade_label: Labels,
    /// Grade id at `score_max`.
    pub grade_best: String,
    /// Verdict id at the worse end (every possible veto, `score_min`).
    pub verdict: String,
    /// Labels of `verdict`.
    pub verdict_label: Labels,
    /// Verdict id at the better end.
    pub verdict_best: String,
    /// True when both ends give the same verdict.
    pub determined: bool,
    /// Veto clauses that failed.
    pub vetoes: Vec<String>,
    /// Veto clauses that may fail, depending on unknown facts.
    pub possible_vetoes: Vec<String>,
    /// Points taken off after the clauses were summed.
    pub deductions: Vec<DeductionReport>,
    /// Areas with their clauses.
    pub areas: Vec<AreaReport>,
    /// What to fix, by when, for every clause that failed or earned partial credit.
    pub rectification: Vec<Rectification>,
    /// Facts the audit did not give that would decide an undecided clause.
    pub missing_facts: Vec<String>,
    /// Values not yet verified against a standard's text that clauses used.
    pub unverified: Vec<UnverifiedValue>,
    /// Things the caller should know (undeclared facts, nothing applicable).
    pub warnings: Vec<String>,
}

/// The rulebook a report was made by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulebookRef {
    /// Rulebook id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// `version`, if given.
    pub version: Option<String>,
    /// `effective`, if given.
    pub effective: Option<String>,
    /// `sha256:` of the rulebook source and the modules it uses.
    pub hash: String,
}

impl RulebookRef {
    pub(crate) fn new(program: &Program, hash: &str) -> RulebookRef {
        RulebookRef {
            id: program.id.clone(),
            title: program.labels.zh.clone(),
            title_en: program.labels.en.clone(),
            version: program.version.clone(),
            effective: program.effective.map(date_text),
            hash: hash.to_string(),
        }
    }
}

/// The audit a report scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRef {
    /// Audit id.
    pub id: Option<String>,
    /// Audit date.
    pub date: Option<String>,
    /// Enterprise id.
    pub enterprise_id: Option<String>,
    /// Enterprise name.
    pub enterprise_name: Option<String>,
    /// Other enterprise fields as given.
    pub enterprise: BTreeMap<String, String>,
}

/// How a clause ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every requirement holds.
    Pass,
    /// A requirement fails, partial credit applies.
    Partial,
    /// A requirement fails.
    Fail,
    /// The clause does not apply.
    NotApplicable,
    /// The outcome depends on facts the audit does not give.
    Unknown,
}

impl Status {
    /// The status as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Partial => "partial",
            Status::Fail => "fail",
            Status::NotApplicable => "not_applicable",
            Status::Unknown => "unknown",
        }
    }
}

/// One area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaReport {
    /// Area id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// Sum of its clauses' points.
    pub points: Num,
    /// Points of the clauses that apply (or may).
    pub possible: Num,
    /// Points earned for certain.
    pub earned: Num,
    /// Points earned at best.
    pub earned_max: Num,
    /// Its clauses.
    pub clauses: Vec<ClauseReport>,
}

/// One clause, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseReport {
    /// Clause id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// How it ended.
    pub status: Status,
    /// One-vote veto clause.
    pub veto: bool,
    /// Its weight.
    pub points: Num,
    /// Points earned (the lower bound when unknown).
    pub earned: Num,
    /// Points earned at best.
    pub earned_max: Num,
    /// Why, in one line.
    pub explanation: String,
    /// The values that decided it.
    pub values: Vec<ValueReport>,
    /// The standard and section it enforces.
    pub refs: Vec<String>,
    /// What the inspector looks at.
    pub evidence: Vec<Labels>,
    /// What to do, for a clause that did not pass.
    pub fix: Option<Fix>,
}

/// A fact, constant or table value a clause read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueReport {
    /// `stack.height`, `gb14554.ammonia_rate(25 m)`.
    pub name: String,
    /// The value with its unit; `None` when the audit does not give it.
    pub value: Option<String>,
}

/// A clause's rectification requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// What to do (Chinese).
    pub action: String,
    /// What to do (English).
    pub action_en: String,
    /// Days allowed after the audit.
    pub within_days: u32,
    /// The audit date plus `within_days`, when the audit date is known.
    pub deadline: Option<String>,
}

/// One item of the rectification list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    /// The clause.
    pub clause: String,
    /// Its Chinese title.
    pub title: String,
    /// Its English title.
    pub title_en: String,
    /// `fail` or `partial`.
    pub status: Status,
    /// Whether it is a veto clause.
    pub veto: bool,
    /// What to do and by when, if the clause says.
    pub fix: Option<Fix>,
}

/// A deduction and what it took off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeductionReport {
    /// Deduction id.
    pub id: String,
    /// The cause.
    pub cause: Labels,
    /// Events counted (1 or 0 for a condition); `None` when unknown.
    pub count: Option<Num>,
    /// Points per event.
    pub points: Num,
    /// Points taken off (the lower bound when unknown).
    pub deducted: Num,
    /// Points taken off at most; `None` when unbounded.
    pub deducted_max: Option<Num>,
}

/// An unverified value that clauses used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnverifiedValue {
    /// `module.name`.
    pub name: String,
    /// Why it is not verified.
    pub reason: String,
    /// Clauses that read it.
    pub clauses: Vec<String>,
}

/// Score and verdict only, without explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The lowest possible score.
    pub score_min: Num,
    /// The highest possible score.
    pub score_max: Num,
    /// Grade id at the lower end.
    pub grade: String,
    /// Verdict id at the worse end.
    pub verdict: String,
    /// Whether both ends agree.
    pub determined: bool,
    /// Veto clauses that failed.
    pub vetoes: Vec<String>,
    /// Status of every clause, in rulebook order.
    pub statuses: Vec<Status>,
}

impl Summary {
    pub(crate) fn new(program: &Program, eval: &Evaluation) -> Summary {
        Summary {
            score_min: eval.score_min,
            score_max: eval.score_max,
            grade: outcome_id(&program.scoring.grades, eval.grade),
            verdict: outcome_id(&program.scoring.verdicts, eval.verdict),
            determined: eval.verdict == eval.verdict_best,
            vetoes: eval.vetoes.iter().filter_map(|i| program.clauses.get(*i)).map(|c| c.id.clone()).collect(),
            statuses: eval.clauses.iter().map(status).collect(),
        }
    }
}

fn outcome_id(list: &[OutcomeDef], i: usize) -> String {
    list.get(i).map(|o| o.id.clone()).unwrap_or_default()
}

fn outcome_labels(list: &[OutcomeDef], i: usize) -> Labels {
    list.get(i).map(|o| o.labels.clone()).unwrap_or_default()
}

fn status(result: &ClauseResult) -> Status {
    match result.decided() {
        Some(Outcome::Pass) => Status::Pass,
        Some(Outcome::Partial(_)) => Status::Partial,
        Some(Outcome::Fail) => Status::Fail,
        Some(Outcome::NotApplicable) => Status::NotApplicable,
        None => Status::Unknown,
    }
}

fn text(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::Text(t)) => Some(t.to_string()),
        Some(Value::Date(d)) => Some(date_text(*d)),
        _ => None,
    }
}

impl Report {
    pub(crate) fn new(program: &Program, hash: &str, bound: &Bound, eval: &Evaluation) -> Report {
        let date = match bound.values.get(AUDIT_DATE) {
            Some(Some(Value::Date(d))) => Some(*d),
            _ => None,
        };
        let get = |slot: usize| bound.values.get(slot).and_then(text);
        let mut areas = Vec::with_capacity(program.areas.len());
        let mut rectification = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        for area in &program.areas {
            let mut report = AreaReport {
                id: area.id.clone(),
                title: area.labels.zh.clone(),
                title_en: area.labels.en.clone(),
                points: Num::ZERO,
                possible: Num::ZERO,
                earned: Num::ZERO,
                earned_max: Num::ZERO,
                clauses: Vec::new(),
            };
            for i in area.clauses.clone() {
                let (Some(def), Some(result)) = (program.clauses.get(i), eval.clauses.get(i)) else {
                    continue;
                };
                let clause = clause_report(program, def, result, date);
                report.points = report.points.checked_add(def.points).unwrap_or(report.points);
                // Points the clause puts in the denominator (its most, when undecided).
                let counted = result
                    .possible
                    .iter()
                    .filter_map(|o| crate::eval::option(def, *o, program.scoring.not_applicable).ok())
                    .map(|(_, counted)| counted)
                    .max()
                    .unwrap_or(Num::ZERO);
                report.possible = report.possible.checked_add(counted).unwrap_or(report.possible);
                report.earned = report.earned.checked_add(result.earned_min).unwrap_or(report.earned);
                report.earned_max = report.earned_max.checked_add(result.earned_max).unwrap_or(report.earned_max);
                if matches!(clause.status, Status::Fail | Status::Partial) {
                    rectification.push(Rectification {
                        clause: def.id.clone(),
                        title: def.labels.zh.clone(),
                        title_en: def.labels.en.clone(),
                        status: clause.status,
                        veto: def.veto,
                        fix: clause.fix.clone(),
                    });
                }
                if clause.status == Status::Unknown {
                    for name in missing_facts(program, result) {
                        if !missing.contains(&name) {
                            missing.push(name);
                        }
                    }
                }
                report.clauses.push(clause);
            }
            areas.push(report);
        }
        let mut unverified: Vec<UnverifiedValue> = Vec::new();
        for (def, result) in program.clauses.iter().zip(&eval.clauses) {
            let read = |name: &str| result.trace.iter().any(|t| trace_source(program, &t.key) == Some(name));
            for (name, reason) in def.unverified.iter().filter(|(name, _)| read(name)) {
                match unverified.iter_mut().find(|u| &u.name == name) {
                    Some(u) => u.clauses.push(def.id.clone()),
                    None => unverified.push(UnverifiedValue {
                        name: name.clone(),
                        reason: reason.clone(),
                        clauses: vec![def.id.clone()],
                    }),
                }
            }
        }
        let mut warnings = bound.warnings.clone();
        if eval.nothing_applicable {
            warnings.push("no clause may apply to this audit; its score counts as 0".to_string());
        }
        let ids = |list: &[usize]| list.iter().filter_map(|i| program.clauses.get(*i)).map(|c| c.id.clone()).collect();
        let scoring = &program.scoring;
        Report {
            schema: SCHEMA.to_string(),
            rulebook: RulebookRef::new(program, hash),
            audit: AuditRef {
                id: get(AUDIT_ID),
                date: date.map(date_text),
                enterprise_id: get(ENTERPRISE_ID),
                enterprise_name: get(ENTERPRISE_NAME),
                enterprise: bound.enterprise.clone(),
            },
            score: (eval.score_min == eval.score_max).then_some(eval.score_min),
            score_min: eval.score_min,
            score_max: eval.score_max,
            scale: scoring.scale,
            grade: outcome_id(&scoring.grades, eval.grade),
            grade_label: outcome_labels(&scoring.grades, eval.grade),
            grade_best: outcome_id(&scoring.grades, eval.grade_best),
            verdict: outcome_id(&scoring.verdicts, eval.verdict),
            verdict_label: outcome_labels(&scoring.verdicts, eval.verdict),
            verdict_best: outcome_id(&scoring.verdicts, eval.verdict_best),
            determined: eval.verdict == eval.verdict_best,
            vetoes: ids(&eval.vetoes),
            possible_vetoes: ids(&eval.possible_vetoes),
            deductions: scoring
                .deductions
                .iter()
                .zip(&eval.deductions)
                .map(|(d, r)| DeductionReport {
                    id: d.id.clone(),
                    cause: d.labels.clone(),
                    count: r.count,
                    points: d.points,
                    deducted: r.min,
                    deducted_max: r.max,
                })
                .collect(),
            areas,
            rectification,
            missing_facts: missing,
            unverified,
            warnings,
        }
    }

    /// The report as pretty-printed JSON, the same bytes in every binding.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Every clause, in rulebook order.
    pub fn clauses(&self) -> impl Iterator<Item = &ClauseReport> {
        self.areas.iter().flat_map(|a| a.clauses.iter())
    }
}

/// The constant, table or let a trace entry came from, by name.
fn trace_source<'p>(program: &'p Program, key: &TraceKey) -> Option<&'p str> {
    match key {
        TraceKey::Constant(i) => program.constants.get(*i).map(|c| c.name.as_str()),
        TraceKey::Table(t, _) => program.tables.get(*t).map(|t| t.name.as_str()),
        TraceKey::Let(i) => program.lets.get(*i).map(|l| l.name.as_str()),
        TraceKey::Fact(_) => None,
    }
}

fn value_report(program: &Program, trace: &Trace) -> ValueReport {
    let (name, unit) = match &trace.key {
        TraceKey::Fact(slot) => match program.facts.get(*slot) {
            Some(f) => (f.name.clone(), f.unit.as_ref()),
            None => (String::new(), None),
        },
        TraceKey::Constant(i) => match program.constants.get(*i) {
            Some(c) => (c.name.clone(), c.unit.as_ref()),
            None => (String::new(), None),
        },
        TraceKey::Let(i) => match program.lets.get(*i) {
            Some(l) => (l.name.clone(), l.unit.as_ref()),
            None => (String::new(), None),
        },
        TraceKey::Table(t, keys) => match program.tables.get(*t) {
            Some(table) => {
                let mut call = String::with_capacity(table.name.len() + 16 * keys.len());
                call.push_str(&table.name);
                call.push('(');
                for (i, (k, u)) in keys.iter().zip(&table.key_units).enumerate() {
                    if i > 0 {
                        call.push_str(", ");
                    }
                    call.push_str(&k.show(u.as_ref()));
                }
                call.push(')');
                (call, table.value_unit.as_ref())
            }
            None => (String::new(), None),
        },
    };
    ValueReport { name, value: trace.value.as_ref().map(|v| v.show(unit)) }
}

fn clause_report(program: &Program, def: &ClauseDef, result: &ClauseResult, date: Option<NaiveDate>) -> ClauseReport {
    let status = status(result);
    let values: Vec<ValueReport> = result.trace.iter().map(|t| value_report(program, t)).collect();
    let fix = match (status, &def.fix) {
        (Status::Pass | Status::NotApplicable, _) | (_, None) => None,
        (_, Some((labels, days))) => Some(Fix {
            action: labels.zh.clone(),
            action_en: labels.en.clone(),
            within_days: *days,
            deadline: date.and_then(|d| d.checked_add_signed(Duration::days(i64::from(*days)))).map(date_text),
        }),
    };
    ClauseReport {
        id: def.id.clone(),
        title: def.labels.zh.clone(),
        title_en: def.labels.en.clone(),
        status,
        veto: def.veto,
        points: def.points,
        earned: result.earned_min,
        earned_max: result.earned_max,
        explanation: explain(def, result, status, &values, &missing_facts(program, result)),
        values,
        refs: def.refs.clone(),
        evidence: def.evidence.clone(),
        fix,
    }
}

/// Facts a clause read that the audit does not give (not lets or tables
/// whose value is unknown because of them).
fn missing_facts(program: &Program, result: &ClauseResult) -> Vec<String> {
    result
        .trace
        .iter()
        .filter(|t| t.value.is_none())
        .filter_map(|t| match t.key {
            TraceKey::Fact(slot) => program.facts.get(slot).map(|f| f.name.clone()),
            _ => None,
        })
        .collect()
}

fn explain(
    def: &ClauseDef,
    result: &ClauseResult,
    status: Status,
    values: &[ValueReport],
    missing: &[String],
) -> String {
    let mut out = String::with_capacity(128);
    // `a` and `b`, each condition quoted
    let quoted = |out: &mut String, texts: &mut dyn Iterator<Item = &str>, sep: &str| {
        for (i, text) in texts.enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push('`');
            out.push_str(text);
            out.push('`');
        }
    };
    let failed = result.failed_require.and_then(|i| def.require.get(i));
    match (status, result.decided()) {
        (Status::Pass, _) => {
            out.push_str("meets ");
            quoted(&mut out, &mut def.require.iter().map(|c| c.text.as_str()), " and ");
        }
        (_, Some(Outcome::Partial(i))) => {
            let (fraction, cond) = def.partials.get(i).map_or((Num::ZERO, ""), |(f, c)| (*f, c.text.as_str()));
            out.push_str("fails ");
            quoted(&mut out, &mut failed.map(|c| c.text.as_str()).into_iter(), "");
            out.push_str("; partial credit ");
            fraction.write_decimal(&mut out);
            out.push_str(" for `");
            out.push_str(cond);
            out.push('`');
        }
        (Status::Fail, _) => {
            out.push_str("fails ");
            match failed {
                Some(c) => quoted(&mut out, &mut std::iter::once(c.text.as_str()), ""),
                None => quoted(&mut out, &mut def.require.iter().map(|c| c.text.as_str()), " and "),
            }
        }
        (Status::NotApplicable, _) => {
            out.push_str("not applicable: ");
            quoted(&mut out, &mut def.when.iter().map(|c| c.text.as_str()), " and ");
            out.push_str(" does not hold");
        }
        _ if missing.is_empty() => out.push_str("undecided"),
        _ => {
            out.push_str("undecided: ");
            quoted(&mut out, &mut missing.iter().map(String::as_str), ", ");
            out.push_str(" not given");
        }
    }
    let mut known = values.iter().filter_map(|v| v.value.as_ref().map(|value| (&v.name, value))).peekable();
    if known.peek().is_some() {
        out.push_str(" (");
        for (i, (name, value)) in known.enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(name);
            out.push_str(" = ");
            out.push_str(value);
        }
        out.push(')');
    }
    out
}

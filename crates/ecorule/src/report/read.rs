//! A [`Report`] read back from its JSON: the rulebook's part goes into a
//! [`ReportBook`] of its own, the audit's part into the report's text.

use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use super::build::{AreaBook, ClauseBook, DeductionBook, ReportBook};
use super::*;

#[derive(Deserialize)]
struct ReportJson {
    schema: String,
    engine: Option<String>,
    rulebook: RulebookRef,
    audit: AuditRef,
    score: Option<Num>,
    score_min: Num,
    score_max: Num,
    scale: Num,
    /// Not in reports written before r15.
    #[serde(default)]
    not_applicable: Option<NaPolicy>,
    grade: String,
    grade_label: Labels,
    grade_best: String,
    /// Not in reports written before r9.
    #[serde(default)]
    grade_best_label: Labels,
    verdict: String,
    verdict_label: Labels,
    verdict_best: String,
    /// Not in reports written before r9.
    #[serde(default)]
    verdict_best_label: Labels,
    determined: bool,
    vetoes: Vec<String>,
    possible_vetoes: Vec<String>,
    deductions: Vec<DeductionJson>,
    areas: Vec<AreaJson>,
    rectification: Vec<RectificationJson>,
    missing_facts: Vec<String>,
    unverified: Vec<UnverifiedJson>,
    warnings: Vec<String>,
    /// Not in reports written before r4.
    #[serde(default)]
    warnings_zh: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct DeductionJson {
    id: String,
    cause: Labels,
    count: Option<Num>,
    points: Num,
    deducted: Num,
    deducted_max: Option<Num>,
}

#[derive(Deserialize)]
struct AreaJson {
    id: String,
    title: String,
    title_en: String,
    points: Num,
    possible: Num,
    earned: Num,
    earned_max: Num,
    score: Option<Num>,
    clauses: Vec<ClauseJson>,
}

#[derive(Deserialize)]
struct ClauseJson {
    id: String,
    title: String,
    title_en: String,
    status: Status,
    veto: bool,
    points: Num,
    earned: Num,
    earned_max: Num,
    explanation: String,
    /// Not in reports written before r3.
    #[serde(default)]
    explanation_zh: Option<String>,
    values: Vec<ValueJson>,
    refs: Vec<String>,
    evidence: Vec<Labels>,
    fix: Option<FixJson>,
}

#[derive(Deserialize)]
struct ValueJson {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize)]
struct FixJson {
    action: String,
    action_en: String,
    within_days: u32,
    deadline: Option<String>,
}

#[derive(Deserialize)]
struct RectificationJson {
    clause: String,
}

#[derive(Deserialize)]
struct UnverifiedJson {
    name: String,
    reason: String,
    /// Absent when the rulebook gives the reason in one language.
    #[serde(default)]
    reason_zh: Option<String>,
    clauses: Vec<String>,
}

/// Appends `s` to `text`; its span.
fn put(text: &mut String, s: &str) -> Span {
    let start = text.len();
    text.push_str(s);
    build::span(start, text.len())
}

impl<'de> Deserialize<'de> for Report {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let json = ReportJson::deserialize(deserializer)?;
        if json.schema != SCHEMA {
            return Err(D::Error::custom(format!("schema `{}` is not `{SCHEMA}`", json.schema)));
        }
        let mut text = String::new();
        let mut values = Vec::new();
        let mut area_books = Vec::with_capacity(json.areas.len());
        let mut areas = Vec::with_capacity(json.areas.len());
        let mut clause_books: Vec<ClauseBook> = Vec::new();
        let mut clauses = Vec::new();
        for area in json.areas {
            let first = clause_books.len();
            for c in area.clauses {
                let explanation = Explanation {
                    en: put(&mut text, &c.explanation),
                    zh: c.explanation_zh.as_deref().map(|zh| put(&mut text, zh)),
                };
                let first_value = values.len();
                for v in &c.values {
                    let name = put(&mut text, &v.name);
                    let value = v.value.as_deref().map(|value| put(&mut text, value));
                    values.push(ValueRecord { name, value });
                }
                let fix = c.fix.as_ref().map(|f| f.deadline.as_deref().map(|d| put(&mut text, d)));
                clauses.push(ClauseRecord {
                    status: c.status,
                    earned: c.earned,
                    earned_max: c.earned_max,
                    explanation,
                    values: (build::index(first_value), build::index(values.len())),
                    fix,
                });
                let fix = c.fix.map(|f| (Labels { zh: f.action, en: f.action_en }, f.within_days));
                let labels = Labels { zh: c.title, en: c.title_en };
                clause_books.push(ClauseBook::read(c.id, labels, c.points, c.veto, c.refs, c.evidence, fix));
            }
            area_books.push(AreaBook {
                id: area.id,
                labels: Labels { zh: area.title, en: area.title_en },
                clauses: first..clause_books.len(),
            });
            areas.push(AreaRecord {
                points: area.points,
                possible: area.possible,
                earned: area.earned,
                earned_max: area.earned_max,
                score: area.score,
            });
        }
        /// The clause `id`, which the report's `field` names.
        fn clause<E: Error>(books: &[ClauseBook], field: &str, id: &str) -> Result<usize, E> {
            books
                .iter()
                .position(|c| c.id == id)
                .ok_or_else(|| E::custom(format!("`{field}` names `{id}`, which is not a clause of the report")))
        }
        fn ids<E: Error>(books: &[ClauseBook], field: &str, list: &[String]) -> Result<Vec<usize>, E> {
            list.iter().map(|id| clause(books, field, id)).collect()
        }
        let vetoes = ids(&clause_books, "vetoes", &json.vetoes)?;
        let possible_vetoes = ids(&clause_books, "possible_vetoes", &json.possible_vetoes)?;
        let rectification = json
            .rectification
            .iter()
            .map(|r| clause(&clause_books, "rectification", &r.clause).map(build::index))
            .collect::<Result<Vec<_>, D::Error>>()?;
        let mut unverified = Vec::with_capacity(json.unverified.len());
        let mut unverified_uses = Vec::new();
        for (group, u) in json.unverified.into_iter().enumerate() {
            let users: Vec<usize> = ids::<D::Error>(&clause_books, "unverified", &u.clauses)?;
            let Some(&first) = users.first() else {
                return Err(D::Error::custom(format!("unverified `{}` names no clause", u.name)));
            };
            let Some(book) = clause_books.get_mut(first) else { continue };
            unverified
                .push(UnverifiedRecord { clause: build::index(first), entry: build::index(book.unverified.len()) });
            book.unverified.push((u.name, Reason { text: u.reason, zh: u.reason_zh }));
            unverified_uses.extend(users.into_iter().map(|c| (build::index(group), build::index(c))));
        }
        let mut grades = vec![(json.grade, json.grade_label)];
        let grade_best = outcome_index(&mut grades, json.grade_best, json.grade_best_label);
        let mut verdicts = vec![(json.verdict, json.verdict_label)];
        let verdict_best = outcome_index(&mut verdicts, json.verdict_best, json.verdict_best_label);
        let (deduction_books, deductions) = json
            .deductions
            .into_iter()
            .map(|d| {
                (
                    DeductionBook { id: d.id, labels: d.cause, points: d.points },
                    DeductionRecord { count: d.count, deducted: d.deducted, deducted_max: d.deducted_max },
                )
            })
            .unzip();
        let missing_facts = (0..json.missing_facts.len()).map(build::index).collect();
        let book = ReportBook::read(
            json.rulebook,
            area_books,
            clause_books,
            grades,
            verdicts,
            deduction_books,
            json.missing_facts,
        );
        Ok(Report {
            book: Arc::new(book),
            engine: json.engine.map(Cow::Owned),
            audit: json.audit,
            score: json.score,
            score_min: json.score_min,
            score_max: json.score_max,
            scale: json.scale,
            not_applicable: json.not_applicable,
            determined: json.determined,
            grade: 0,
            grade_best,
            verdict: 0,
            verdict_best,
            vetoes,
            possible_vetoes,
            deductions,
            areas,
            clauses,
            values,
            text,
            rectification,
            missing_facts,
            unverified,
            unverified_uses,
            warnings: json.warnings,
            warnings_zh: json.warnings_zh,
        })
    }
}

/// The index of outcome `id` in `list`, added (without labels: a report
/// gives them only for the worse end) when it is not there.
fn outcome_index(list: &mut Vec<(String, Labels)>, id: String, labels: Labels) -> usize {
    match list.iter().position(|(o, _)| *o == id) {
        Some(i) => i,
        None => {
            list.push((id, labels));
            list.len() - 1
        }
    }
}

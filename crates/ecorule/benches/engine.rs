//! Performance of the ecorule core on the fishmeal rulebook
//! (`cargo bench -p ecorule --bench engine`; `benches/report.sh` prints the
//! medians, the ratio and the targets).
//!
//! * `compile`: parse + check + compile `rules/fishmeal/fishmeal.eco`
//!   against the bundled standard modules it uses (six of ten), which the
//!   first compile in a process parses and checks once, before measuring.
//! * `score_full`: one audit (`b_good_partial.json`, parsed to an
//!   [`AuditInput`] once, outside the loop) to the full explained
//!   [`ecorule::Report`]. Includes binding the audit to fact slots.
//! * `score_summary`: the same audit to score, grade and verdict only
//!   ([`Rulebook::summary`]). Also includes binding AuditInput → slots
//!   (unit conversion, exact decimals, dates) inside the loop.
//! * `score_summary_bound`: the same summary from facts bound once, outside
//!   the loop ([`Rulebook::bind`], then [`Rulebook::summarize`]): the
//!   engine's evaluation alone, like for like with the baseline.
//! * `baseline_hand_written`: `baseline/fishmeal.rs`, the same 42 clauses
//!   written by hand over a typed struct. Binding JSON → struct is done
//!   once outside the loop, so this measures scoring alone; the engine's
//!   `score_summary` pays for binding too. The ratio score_summary /
//!   baseline therefore overstates the engine's evaluation cost slightly.
//! * `baseline_bind_and_score` (informational): the baseline including its
//!   own binding from an already parsed `serde_json::Value`, the like-for-
//!   like counterpart of `score_summary`.
//! * `score_summary_unknown` (informational): the summary of the same audit
//!   with every twentieth fact left out (six unknown), bound outside the
//!   loop: the general evaluation's exact score range, which the fast lane
//!   leaves to it.
//!
//! Before measuring, every sample audit in `rules/fishmeal/audits/` is
//! scored by both and must agree (score to two places, grade, verdict,
//! every clause status and earned points); a mismatch panics.

// A bench is a program run by hand: failing loudly at start-up (unwrap,
// expect, panic) when the rulebook does not compile or the baseline
// disagrees with the engine is exactly what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "baseline/fishmeal.rs"]
#[allow(dead_code)]
mod fishmeal;

use std::hint::black_box;
use std::path::Path;

use criterion::Criterion;
use ecorule::{AuditInput, Limits, Rulebook, ScoreOptions, Source, Status};

const FISHMEAL: &str = include_str!("../../../rules/fishmeal/fishmeal.eco");
const AUDIT: &str = include_str!("../../../rules/fishmeal/audits/b_good_partial.json");
const AUDITS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/fishmeal/audits");

// Each measured call is a function of its own, never inlined, so
// `instructions.sh` can count its instructions per call under callgrind.

#[inline(never)]
fn compile(text: &str) -> Rulebook {
    build(text)
}

#[inline(always)]
fn build(text: &str) -> Rulebook {
    // No extra modules: compile_with always adds the bundled standards
    // (passing `standard_modules()` again would parse them twice).
    Rulebook::compile_with(Source::new("rules/fishmeal/fishmeal.eco", text), &[], &Limits::default())
        .unwrap_or_else(|e| panic!("fishmeal.eco does not compile:\n{e}"))
}

fn status_of(st: fishmeal::St) -> Status {
    match st {
        fishmeal::St::Pass => Status::Pass,
        fishmeal::St::Partial(_) => Status::Partial,
        fishmeal::St::Fail => Status::Fail,
        fishmeal::St::NotApplicable => Status::NotApplicable,
    }
}

fn earned_of(st: fishmeal::St, points: f64) -> f64 {
    match st {
        fishmeal::St::Pass => points,
        fishmeal::St::Partial(f) => f * points,
        fishmeal::St::Fail | fishmeal::St::NotApplicable => 0.0,
    }
}

/// Scores every sample audit with the engine and the baseline and panics
/// on any difference. Audits the baseline cannot decide (unknown facts)
/// must be undetermined for the engine too; they are reported as skipped.
fn check_baseline(rulebook: &Rulebook) {
    let options = ScoreOptions::default();
    let mut files: Vec<_> = std::fs::read_dir(AUDITS_DIR)
        .unwrap_or_else(|e| panic!("cannot read {AUDITS_DIR}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".json") && !name.ends_with(".expected.json")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no sample audits in {AUDITS_DIR}");
    let clause_ids: Vec<&str> = rulebook.clause_ids().collect();
    let baseline_ids: Vec<&str> = fishmeal::CLAUSE_DEFS.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(clause_ids, baseline_ids, "the rulebook's clauses are not the baseline's FM01–FM42");

    let mut mismatches = Vec::new();
    let mut checked = 0;
    eprintln!("baseline check against the engine, every sample audit in rules/fishmeal/audits:");
    for path in &files {
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let input = AuditInput::from_json(&text, &options.limits).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = rulebook.score(&input, &options).unwrap_or_else(|e| panic!("{name}: engine score: {e}"));
        let summary = rulebook.summary(&input, &options).unwrap_or_else(|e| panic!("{name}: engine summary: {e}"));
        // the summary must agree with the full report
        if summary.grade != report.grade()
            || summary.verdict != report.verdict()
            || summary.score_min != report.score_min
            || summary.score_max != report.score_max
        {
            mismatches.push(format!("{name}: engine summary differs from engine report"));
        }
        let audit =
            fishmeal::FishmealAudit::from_json(&text).unwrap_or_else(|e| panic!("{name}: baseline binding: {e}"));
        let Some(outcome) = fishmeal::score(&audit) else {
            if report.score.is_some() {
                mismatches.push(format!(
                    "{name}: the baseline cannot decide it (unknown fact) but the engine scores it {}",
                    report.score_min.to_fixed(2)
                ));
            } else {
                eprintln!(
                    "  {name:<28} skipped: unknown facts (engine: {}..{}, {} / {}, not determined); the baseline does not compute bounds",
                    report.score_min.to_fixed(2),
                    report.score_max.to_fixed(2),
                    report.grade(),
                    report.verdict()
                );
            }
            continue;
        };
        checked += 1;
        let baseline_score = format!("{:.2}", outcome.score);
        let engine_score = report.score.map_or_else(|| "undetermined".to_string(), |s| s.to_fixed(2));
        if engine_score != baseline_score {
            mismatches.push(format!("{name}: score engine {engine_score} baseline {baseline_score}"));
        }
        if report.grade() != outcome.grade.id() {
            mismatches.push(format!("{name}: grade engine {} baseline {}", report.grade(), outcome.grade.id()));
        }
        if report.verdict() != outcome.verdict.id() {
            mismatches.push(format!("{name}: verdict engine {} baseline {}", report.verdict(), outcome.verdict.id()));
        }
        let engine_clauses: Vec<_> = report.clauses().collect();
        for (((id, points, _), st), (engine_status, engine_clause)) in fishmeal::CLAUSE_DEFS
            .iter()
            .zip(outcome.statuses.iter())
            .zip(summary.statuses.iter().zip(engine_clauses.iter()))
        {
            if status_of(*st) != *engine_status || engine_clause.status() != *engine_status {
                mismatches.push(format!(
                    "{name} {id}: status engine {:?} (report {:?}) baseline {:?}",
                    engine_status,
                    engine_clause.status(),
                    st
                ));
            }
            let earned = format!("{:.2}", earned_of(*st, *points));
            if engine_clause.earned().to_fixed(2) != earned {
                mismatches.push(format!(
                    "{name} {id}: earned engine {} baseline {earned}",
                    engine_clause.earned().to_fixed(2)
                ));
            }
        }
        eprintln!(
            "  {name:<28} {baseline_score:>6} {:<9} {:<11} engine {engine_score:>6} {:<9} {}",
            outcome.grade.id(),
            outcome.verdict.id(),
            report.grade(),
            report.verdict()
        );
    }
    if !mismatches.is_empty() {
        panic!("the hand-written baseline disagrees with the engine:\n  {}", mismatches.join("\n  "));
    }
    eprintln!("baseline check: {checked} of {} audits agree exactly; the rest skipped as above\n", files.len());
}

#[inline(never)]
fn score_full(rulebook: &Rulebook, input: &AuditInput, options: &ScoreOptions) -> ecorule::Report {
    rulebook.score(input, options).expect("scores")
}

#[inline(never)]
fn score_summary(rulebook: &Rulebook, input: &AuditInput, options: &ScoreOptions) -> ecorule::Summary {
    rulebook.summary(input, options).expect("scores")
}

#[inline(never)]
fn score_summary_bound(rulebook: &Rulebook, facts: &ecorule::Facts, options: &ScoreOptions) -> ecorule::Summary {
    rulebook.summarize(facts, options).expect("scores")
}

#[inline(never)]
fn score_summary_unknown(rulebook: &Rulebook, facts: &ecorule::Facts, options: &ScoreOptions) -> ecorule::Summary {
    rulebook.summarize(facts, options).expect("scores")
}

/// The bench audit with every twentieth fact left out.
fn with_unknowns(options: &ScoreOptions) -> AuditInput {
    let mut audit: serde_json::Value = serde_json::from_str(AUDIT).expect("b_good_partial.json is JSON");
    if let Some(facts) = audit.get_mut("facts").and_then(serde_json::Value::as_object_mut) {
        let names: Vec<String> = facts.keys().step_by(20).cloned().collect();
        names.iter().for_each(|name| drop(facts.remove(name)));
    }
    AuditInput::from_json(&audit.to_string(), &options.limits).expect("the audit with unknowns parses")
}

#[inline(never)]
fn baseline_hand_written(audit: &fishmeal::FishmealAudit) -> Option<fishmeal::Outcome> {
    fishmeal::score(audit)
}

fn benches(c: &mut Criterion, rulebook: &Rulebook) {
    let options = ScoreOptions::default();
    let input = AuditInput::from_json(AUDIT, &options.limits).expect("b_good_partial.json parses");
    let json: serde_json::Value = serde_json::from_str(AUDIT).expect("b_good_partial.json is JSON");
    let typed = fishmeal::FishmealAudit::from_value(&json).expect("baseline binds b_good_partial.json");
    assert!(fishmeal::score(&typed).is_some(), "baseline decides b_good_partial.json");

    c.bench_function("compile", |b| b.iter(|| compile(black_box(FISHMEAL))));
    c.bench_function("score_full", |b| b.iter(|| score_full(rulebook, black_box(&input), &options)));
    // includes binding AuditInput → fact slots, as every engine call does
    c.bench_function("score_summary", |b| b.iter(|| score_summary(rulebook, black_box(&input), &options)));
    // the like-for-like counterpart of the baseline: facts bound once, outside the loop
    let facts = rulebook.bind(&input, &options).expect("binds");
    c.bench_function("score_summary_bound", |b| b.iter(|| score_summary_bound(rulebook, black_box(&facts), &options)));
    // binding to the struct is outside the loop (done above)
    c.bench_function("baseline_hand_written", |b| b.iter(|| baseline_hand_written(black_box(&typed))));
    // informational: the baseline with its own binding from parsed JSON
    c.bench_function("baseline_bind_and_score", |b| {
        b.iter(|| fishmeal::FishmealAudit::from_value(black_box(&json)).map(|a| fishmeal::score(&a)))
    });
    // informational: unknown facts, the general evaluation's score range
    let unknown = rulebook.bind(&with_unknowns(&options), &options).expect("binds");
    assert!(!rulebook.summarize(&unknown, &options).expect("scores").statuses.iter().all(|s| *s != Status::Unknown));
    c.bench_function("score_summary_unknown", |b| {
        b.iter(|| score_summary_unknown(rulebook, black_box(&unknown), &options))
    });
}

fn main() {
    // Built outside `compile`, so the one-time check of the bundled
    // standards is not in `compile`'s instructions per call.
    let rulebook = build(FISHMEAL);
    assert!(Path::new(AUDITS_DIR).is_dir(), "{AUDITS_DIR} is missing");
    check_baseline(&rulebook);
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion, &rulebook);
    criterion.final_summary();
}

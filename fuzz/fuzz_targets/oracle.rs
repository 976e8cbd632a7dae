//! Checks shared by the targets that score: what the report promises
//! about itself, and agreement between the full report and the summary
//! fast path.

use ecorule::{Num, Report, Summary};

/// Panics, with the audit and both results, when the report breaks one of
/// its documented promises or disagrees with the summary.
pub fn check_report(report: &Report, summary: &Summary, audit: &str) {
    let fail = |what: &str| -> ! {
        panic!("{what}\n--- audit ---\n{audit}\n--- summary ---\n{summary:#?}\n--- report ---\n{}", report.to_json())
    };
    if report.score_min > report.score_max {
        fail("score_min > score_max");
    }
    if report.score_min < Num::ZERO {
        fail("score_min below zero");
    }
    if report.score_max > report.scale {
        fail("score_max above the scale");
    }
    match report.score {
        Some(score) if score != report.score_min || score != report.score_max => {
            fail("score set but not equal to both bounds")
        }
        None if report.score_min == report.score_max => fail("bounds equal but score unset"),
        _ => {}
    }
    if report.determined != (report.verdict() == report.verdict_best()) {
        fail("determined disagrees with verdict / verdict_best");
    }
    if summary.score_min != report.score_min || summary.score_max != report.score_max {
        fail("summary and report disagree on the score bounds");
    }
    if summary.grade != report.grade() || summary.verdict != report.verdict() || summary.determined != report.determined
    {
        fail("summary and report disagree on grade, verdict or determined");
    }
    if !summary.vetoes.iter().map(String::as_str).eq(report.vetoes()) {
        fail("summary and report disagree on vetoes");
    }
    let statuses: Vec<_> = report.clauses().map(|c| c.status()).collect();
    if statuses != summary.statuses {
        fail("summary and report disagree on clause statuses");
    }
    for clause in report.clauses() {
        let (earned, earned_max, points) = (clause.earned(), clause.earned_max(), clause.points());
        if earned > earned_max || earned < Num::ZERO || earned_max > points {
            fail(&format!("clause {} earned {earned:?}..{earned_max:?} of {points:?}", clause.id()));
        }
    }
    let json = report.to_json();
    if serde_json::from_str::<serde_json::Value>(&json).is_err() {
        fail("report.to_json() is not valid JSON");
    }
}

//! Arbitrary bytes (as lossy UTF-8) through parse, check and compile with
//! the bundled standard modules. A rulebook that compiles is then scored
//! against an audit that gives no facts (every fact unknown, so the score
//! bounds run over every unknown), and its report rendered.
#![no_main]

use ecorule::{AuditInput, Limits, Rulebook, ScoreOptions, Source};
use libfuzzer_sys::fuzz_target;

#[path = "known.rs"]
mod known;

#[path = "oracle.rs"]
mod oracle;

const EMPTY_AUDIT: &str = r#"{"audit": {"id": "fuzz", "date": "2024-05-20", "enterprise": {"id": "E1", "name": "fuzz"}}, "facts": {}}"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = Source::new("fuzz.eco", text.as_ref());
    // `compile_with` always adds the bundled standard modules (rules/standards).
    let rulebook = match Rulebook::compile_with(source, &[], &Limits::default()) {
        Ok(rulebook) => rulebook,
        Err(errors) => {
            known::render_errors(&errors, &text);
            return;
        }
    };
    let _ = rulebook.info();
    let _ = rulebook.questionnaire();
    let _ = rulebook.clause_ids();
    let _ = ecorule::audit_schema(&rulebook);
    let options = ScoreOptions::default();
    let Ok(audit) = AuditInput::from_json(EMPTY_AUDIT, &options.limits) else { return };
    match (rulebook.score(&audit, &options), rulebook.summary(&audit, &options)) {
        (Ok(report), Ok(summary)) => {
            let _ = ecorule::render_text(&report, false);
            let _ = ecorule::render_markdown(&report);
            oracle::check_report(&report, &summary, &format!("{EMPTY_AUDIT}\n--- rulebook ---\n{text}"));
        }
        (Err(errors), Err(_)) => known::render_errors(&errors, &text),
        (report, summary) => panic!(
            "score and summary disagree on success\n--- rulebook ---\n{text}\n--- score ---\n{:?}\n--- summary ---\n{:?}",
            report.map(|r| r.score_min).map_err(|e| e.render(false)),
            summary.map(|s| s.score_min).map_err(|e| e.render(false)),
        ),
    }
});

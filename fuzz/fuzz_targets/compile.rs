//! Arbitrary bytes (as lossy UTF-8) through parse, check and compile with
//! the bundled standard modules. A rulebook that compiles is then scored
//! and its report rendered: against the JSON audit after the first NUL
//! byte of the input if there is one (`rulebook \0 audit`), else against
//! an audit that gives no facts (every fact unknown, so the score bounds
//! run over every unknown).
#![no_main]

use ecorule::{AuditInput, Limits, Rulebook, ScoreOptions, Source};
use libfuzzer_sys::fuzz_target;

#[path = "known.rs"]
mod known;

#[path = "oracle.rs"]
mod oracle;

const EMPTY_AUDIT: &str = r#"{"audit": {"id": "fuzz", "date": "2024-05-20", "enterprise": {"id": "E1", "name": "fuzz"}}, "facts": {}}"#;

fuzz_target!(|data: &[u8]| {
    let (book, audit_json) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], Some(String::from_utf8_lossy(&data[nul + 1..]))),
        None => (data, None),
    };
    let text = String::from_utf8_lossy(book);
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
    let _ = rulebook.clause_ids().count();
    let _ = ecorule::audit_schema(&rulebook);
    let options = ScoreOptions::default();
    let audit_text = audit_json.as_deref().unwrap_or(EMPTY_AUDIT);
    let audit = match AuditInput::from_json(audit_text, &options.limits) {
        Ok(audit) => audit,
        Err(error) => {
            known::render_error(&error, &text);
            return;
        }
    };
    match (rulebook.score(&audit, &options), rulebook.summary(&audit, &options)) {
        (Ok(report), Ok(summary)) => {
            let _ = ecorule::render_text(&report, false);
            let _ = ecorule::render_markdown(&report);
            oracle::check_report(&report, &summary, &format!("{audit_text}\n--- rulebook ---\n{text}"));
        }
        (Err(errors), Err(_)) => known::render_errors(&errors, &text),
        (report, summary) => panic!(
            "score and summary disagree on success\n--- rulebook ---\n{text}\n--- score ---\n{:?}\n--- summary ---\n{:?}",
            report.map(|r| r.score_min).map_err(|e| e.render(false)),
            summary.map(|s| s.score_min).map_err(|e| e.render(false)),
        ),
    }
});

//! Arbitrary bytes as a JSON audit, scored against one of the bundled
//! rulebooks. The first byte picks the rulebook (`b % 3`, so the ASCII
//! seeds `0`, `1`, `2` pick fishmeal, green-ship-repair, hazardous-waste)
//! and strict mode (`b & 4`, clear for those seeds); the rest is the audit.
#![no_main]

use std::sync::OnceLock;

use ecorule::{AuditInput, Limits, Rulebook, ScoreOptions};
use libfuzzer_sys::fuzz_target;

#[path = "known.rs"]
mod known;

#[path = "oracle.rs"]
mod oracle;

const BOOKS: [(&str, &str); 3] = [
    ("fishmeal.eco", include_str!("../../rules/fishmeal/fishmeal.eco")),
    ("green-ship-repair.eco", include_str!("../../rules/green-ship-repair/green-ship-repair.eco")),
    ("hazardous-waste.eco", include_str!("../../rules/hazardous-waste/hazardous-waste.eco")),
];

fn rulebooks() -> &'static [Rulebook] {
    static COMPILED: OnceLock<Vec<Rulebook>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        BOOKS
            .iter()
            .map(|(name, text)| match Rulebook::compile(name, text) {
                Ok(rulebook) => rulebook,
                Err(errors) => panic!("bundled rulebook {name} does not compile:\n{}", errors.render(false)),
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let books = rulebooks();
    let Some(rulebook) = books.get(usize::from(selector) % books.len()) else { return };
    let options = ScoreOptions::strict(selector & 4 != 0);
    let text = String::from_utf8_lossy(rest);
    let input = match AuditInput::from_json(&text, &Limits::default()) {
        Ok(input) => input,
        Err(error) => {
            known::render_error(&error, &text);
            return;
        }
    };
    let report = rulebook.score(&input, &options);
    let summary = rulebook.summary(&input, &options);
    match (&report, &summary) {
        (Ok(report), Ok(summary)) => {
            let pages = |r: &ecorule::Report| {
                [ecorule::render_text(r, false), ecorule::render_markdown(r), ecorule::render_html([r])]
            };
            // The Python binding draws its pages from the report's JSON
            // read back: they must be the pages the core drew.
            let read: Result<ecorule::Report, _> = serde_json::from_str(&report.to_json());
            match read {
                Ok(read) => assert!(pages(&read) == pages(report), "a page drawn from the JSON differs:\n{text}"),
                Err(e) => panic!("the report's JSON does not read back ({e}):\n{text}"),
            }
            oracle::check_report(report, summary, &text);
        }
        (Err(errors), Err(_)) => known::render_errors(errors, &text),
        // The fast path must fail exactly when the full report does.
        _ => panic!(
            "score and summary disagree on success\n--- audit ---\n{text}\n--- score ---\n{:?}\n--- summary ---\n{:?}",
            report.as_ref().map(|r| r.score_min).map_err(|e| e.render(false)),
            summary.as_ref().map(|s| s.score_min).map_err(|e| e.render(false)),
        ),
    }
});

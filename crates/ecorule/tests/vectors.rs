//! The golden test vectors of `tests/vectors/` (see its README.md): every
//! case compiles its `rulebook.eco` with the `*.eco` modules beside it and
//! scores `audit.json`; the report must be exactly the bytes of
//! `expected.json` (`Report::to_json()` plus a final newline, as `ecorule
//! score --format json` prints it), or the first error must match
//! `expected_error.json` (stage, kind, message, Chinese message and fact problem).

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ecorule::{AuditInput, Errors, Limits, Rulebook, ScoreOptions, Source};
use serde_json::{Value, json};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// Every case folder, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The case's extra modules: every `*.eco` file in its folder but `rulebook.eco`.
fn modules(dir: &Path) -> Vec<Arc<Source>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case folder is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eco") && p.file_name().is_some_and(|n| n != "rulebook.eco"))
        .collect();
    files.sort();
    files.iter().map(|p| Source::new(p.file_name().unwrap_or_default().to_string_lossy(), read(p))).collect()
}

/// `options.json` may say `{"strict": true}`.
fn options(dir: &Path) -> ScoreOptions {
    let path = dir.join("options.json");
    if !path.is_file() {
        return ScoreOptions::default();
    }
    let value: Value = serde_json::from_str(&read(&path)).expect("options.json is JSON");
    ScoreOptions::strict(value.get("strict").and_then(Value::as_bool).unwrap_or(false))
}

/// The first error as the vectors record it.
fn error_json(stage: &str, errors: &Errors) -> Value {
    let infos = errors.to_info();
    let first = infos.first().expect("an error has at least one entry");
    json!({
        "stage": stage,
        "kind": first.kind,
        "message": first.message,
        "message_zh": first.message_zh,
        "fact": first.fact,
    })
}

enum Outcome {
    Report(String),
    Error(Value),
}

fn run(dir: &Path) -> Outcome {
    let source = Source::new("rulebook.eco", read(&dir.join("rulebook.eco")));
    let rulebook = match Rulebook::compile_with(source, &modules(dir), &Limits::default()) {
        Ok(r) => r,
        Err(e) => return Outcome::Error(error_json("compile", &e)),
    };
    let options = options(dir);
    let audit = match AuditInput::from_json(&read(&dir.join("audit.json")), &options.limits) {
        Ok(a) => a,
        Err(e) => return Outcome::Error(error_json("score", &Errors::from(e))),
    };
    match rulebook.score(&audit, &options) {
        Ok(report) => Outcome::Report(format!("{}\n", report.to_json())),
        Err(e) => Outcome::Error(error_json("score", &e)),
    }
}

#[test]
fn vectors_match_their_expected_bytes() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} vector cases in {}", cases.len(), vectors_dir().display());
    let mut failures = Vec::new();
    let (mut reports, mut errors) = (0, 0);
    for dir in &cases {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        let expected = dir.join("expected.json");
        let expected_error = dir.join("expected_error.json");
        match (expected.is_file(), expected_error.is_file()) {
            (true, false) | (false, true) => {}
            _ => {
                failures.push(format!("{name}: needs exactly one of expected.json and expected_error.json"));
                continue;
            }
        }
        match run(dir) {
            Outcome::Report(got) if expected.is_file() => {
                reports += 1;
                if got != read(&expected) {
                    let first = got.lines().zip(read(&expected).lines()).position(|(a, b)| a != b);
                    failures.push(format!("{name}: report differs from expected.json (first at line {first:?})"));
                }
            }
            Outcome::Error(got) if expected_error.is_file() => {
                errors += 1;
                let want: Value = serde_json::from_str(&read(&expected_error)).expect("expected_error.json is JSON");
                if got != want {
                    failures.push(format!("{name}: error {got} differs from expected_error.json {want}"));
                }
            }
            Outcome::Report(_) => failures.push(format!("{name}: expected an error, but the audit scored")),
            Outcome::Error(got) => failures.push(format!("{name}: expected a report, got the error {got}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} vector cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
    eprintln!("{} vector cases: {reports} reports, {errors} errors", cases.len());
}

/// `tests/vectors/engine.txt`: the engine the vectors were made with, then
/// one line per report case: its name, the SHA-256 of its inputs (every
/// file of the case but `expected.json` and `note.md`, in name order) and
/// the SHA-256 of its `expected.json` without the `engine` line.
/// `regen.sh` writes it.
const ENGINE_RECORD: &str = "engine.txt";

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The hex SHA-256 of a case's inputs: its files in name order, then the
/// hash of each module its report names (`"hash":"sha256:…"` a line), as a
/// bundled standard the case uses is an input too.
fn inputs_digest(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("case folder is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "expected.json" && n != "note.md"))
        .collect();
    files.sort();
    let mut bytes: Vec<u8> = files.iter().flat_map(|p| std::fs::read(p).expect("case file is readable")).collect();
    let report: Value = serde_json::from_str(&read(&dir.join("expected.json"))).expect("expected.json is JSON");
    for module in report["rulebook"]["modules"].as_array().into_iter().flatten() {
        bytes.extend(format!("\"hash\":\"{}\"\n", module["hash"].as_str().unwrap_or_default()).bytes());
    }
    sha256_hex(&bytes)
}

/// The hex SHA-256 of a report's bytes without its `engine` line: what the
/// report says, whichever engine it names.
fn report_digest(report: &str) -> String {
    let kept: String = report.split_inclusive('\n').filter(|line| !line.starts_with("  \"engine\": ")).collect();
    sha256_hex(kept.as_bytes())
}

/// A change to what reports say must raise the report revision in
/// [`ecorule::ENGINE`], so that a stored report names the engine that can
/// reproduce it: a case whose inputs are the ones recorded with the current
/// engine must report what was recorded (its `engine` line aside).
#[test]
fn the_engine_revision_changes_with_what_reports_say() {
    let record = read(&vectors_dir().join(ENGINE_RECORD));
    let mut lines = record.lines().filter(|l| !l.starts_with('#'));
    let engine = lines.next().unwrap_or_default();
    assert_eq!(
        engine,
        ecorule::ENGINE,
        "tests/vectors/{ENGINE_RECORD} was written by `{engine}`, not by this engine: run `bash tests/vectors/regen.sh`"
    );
    let recorded: std::collections::BTreeMap<&str, (&str, &str)> = lines
        .filter_map(|l| {
            let mut parts = l.split(' ');
            Some((parts.next()?, (parts.next()?, parts.next()?)))
        })
        .collect();
    let mut changed = Vec::new();
    for dir in cases() {
        let expected = dir.join("expected.json");
        if !expected.is_file() {
            continue;
        }
        let name = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        let Some(&(inputs, report)) = recorded.get(name.as_str()) else {
            changed.push(format!("{name} (not recorded: run `bash tests/vectors/regen.sh`)"));
            continue;
        };
        if inputs == inputs_digest(&dir) && report != report_digest(&read(&expected)) {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "what the reports of {} say changed under the same engine `{engine}`: raise the revision in \
         `ecorule::ENGINE` (crates/ecorule/src/report/mod.rs), then run `bash tests/vectors/regen.sh`",
        changed.join(", ")
    );
}

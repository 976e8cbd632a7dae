//! What a service embedding the crate relies on: the documented limits
//! hold however an audit reaches the core (text, or an `AuditInput` the
//! service built or deserialised itself), and errors carry what a
//! client response needs.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ecorule::{AuditInput, ErrorKind, Limits, Rulebook, ScoreOptions};

const BOOK: &str = "rulebook s \"s\" {\n  facts { x: number \"x\"  stack.height: quantity m \"h\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x > 0 } }\n}\n";

fn rulebook() -> Rulebook {
    Rulebook::compile("s.eco", BOOK).unwrap()
}

fn first_kind<T>(result: Result<T, ecorule::Errors>) -> Option<ErrorKind> {
    result.err().and_then(|e| e.first().map(|e| e.kind()))
}

#[test]
fn binding_an_audit_holds_it_to_the_depth_limit_as_check_size_does() {
    let rulebook = rulebook();
    // Read under the default limits (as a service deserialising the body
    // itself would), scored under tighter ones.
    let audit = r#"{"audit": {"date": "2024-05-20"}, "facts": {"x": 1, "notes": [[["deep"]]]}}"#;
    let input = AuditInput::from_json(audit, &Limits::default()).unwrap();
    let mut options = ScoreOptions::default();
    options.limits.max_depth = 3;
    let refused = input.check_size(&options.limits).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::AuditTooLarge);
    for result in [rulebook.score(&input, &options).map(|_| ()), rulebook.bind(&input, &options).map(|_| ())] {
        let errors = result.unwrap_err();
        assert_eq!(errors.first().map(|e| e.message()), Some(refused.message()));
    }
    assert_eq!(first_kind(rulebook.summary(&input, &options)), Some(ErrorKind::AuditTooLarge));
    // Facts nested under their names count their objects too.
    let nested = r#"{"facts": {"stack": {"height": {"value": 20, "unit": "m"}}}}"#;
    let input = AuditInput::from_json(nested, &Limits::default()).unwrap();
    options.limits.max_depth = 4;
    assert!(input.check_size(&options.limits).is_ok());
    assert!(rulebook.score(&input, &options).is_ok());
    options.limits.max_depth = 3;
    assert!(input.check_size(&options.limits).is_err());
    assert_eq!(first_kind(rulebook.score(&input, &options)), Some(ErrorKind::AuditTooLarge));
}

#[test]
fn an_audit_nested_past_the_toml_reader_s_own_limit_is_too_deep_as_in_json() {
    let limits = Limits::default();
    let json = format!("{{\"facts\": {{\"x\": {}1{}}}}}", "[".repeat(5000), "]".repeat(5000));
    let json = AuditInput::from_json(&json, &limits).unwrap_err();
    assert_eq!(json.kind(), ErrorKind::AuditTooLarge);
    let arrays = format!("[facts]\nx = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    let tables = format!("[facts]\nx = {}1{}\n", "{a = ".repeat(5000), "}".repeat(5000));
    let keys = format!("[facts]\n{} = 1\n", vec!["k"; 5000].join("."));
    let headers = format!("[{}]\nx = 1\n", vec!["k"; 5000].join("."));
    for toml in [arrays, tables, keys, headers] {
        let e = AuditInput::from_toml_named("deep.toml", &toml, &limits).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AuditTooLarge, "{}", e.message());
        assert!(e.message().starts_with("the audit nests objects and lists more than the limit of 64 deep"));
        assert!(e.message_zh().is_some());
        assert_eq!(e.source_name(), Some("deep.toml"));
        assert!(e.line_col().is_some());
    }
    // Within the reader's limit, the audit's own limit speaks, as it did.
    let within = format!("[facts]\nx = {}1{}\n", "[".repeat(70), "]".repeat(70));
    let e = AuditInput::from_toml_named("deep.toml", &within, &limits).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AuditTooLarge);
}

#[test]
fn error_kinds_and_statuses_key_a_hash_map() {
    use std::collections::HashMap;
    let rulebook = rulebook();
    let options = ScoreOptions::default();
    let mut by_kind: HashMap<ErrorKind, usize> = HashMap::new();
    for audit in ["{", r#"{"facts": {"x": "many"}}"#, r#"{"facts": {"x": 1e400}}"#] {
        for error in rulebook.score_json(audit, &options).unwrap_err() {
            *by_kind.entry(error.kind()).or_default() += 1;
        }
    }
    assert_eq!(by_kind.get(&ErrorKind::Audit), Some(&3));
    let report = rulebook.score_json(r#"{"facts": {"x": 1}}"#, &options).unwrap();
    let mut by_status: HashMap<ecorule::Status, usize> = HashMap::new();
    for clause in report.clauses() {
        *by_status.entry(clause.status()).or_default() += 1;
    }
    assert_eq!(by_status.get(&ecorule::Status::Pass), Some(&1));
}

//! Expected outcomes: a subset of the report that must match.
//!
//! Objects match when every key given matches; arrays element by element.
//! `note` is ignored. `clauses` maps clause ids to a status or a subset of
//! that clause's report. `strict` (`true` or `false`) scores in strict
//! mode. `error` expects scoring to fail with an error matching the subset
//! given, and no key of the report may be given beside it. A key given
//! twice is an error in the file, not the last one winning.

use std::path::Path;

use ecorule::{Num, Rulebook, ScoreOptions, Status};
use serde_json::{Map, Number, Value};

use crate::load::{load_audit, shown};
use crate::unique_keys;

/// Keys an expected file may give beside `error`: those that are not part
/// of the report.
const BESIDE_ERROR: [&str; 3] = ["error", "note", "strict"];

/// Scores one sample audit and compares it with its expected file.
pub(crate) fn run_case(rulebook: &Rulebook, audit: &Path, expected: &Path) -> Result<(), Vec<String>> {
    not_special(expected)?;
    not_special(audit)?;
    let want = read_expected(expected)?;
    let options = ScoreOptions::strict(want.get("strict") == Some(&Value::Bool(true)));
    let result = load_audit(audit, &options).and_then(|input| rulebook.score(&input, &options));
    let mut problems = Vec::new();
    match (result, want.get("error")) {
        (Err(errors), Some(want_error)) => {
            let got = serde_json::to_value(errors.to_info()).unwrap_or(Value::Null);
            let first = got.get(0).cloned().unwrap_or(Value::Null);
            compare("error", want_error, &first, &mut problems);
        }
        (Err(errors), None) => problems.push(format!("scoring failed: {}", errors)),
        (Ok(_), Some(_)) => problems.push("expected an error, but the audit scored".to_string()),
        (Ok(report), None) => {
            let got = match serde_json::to_value(&report) {
                Ok(Value::Object(got)) => got,
                _ => Map::new(),
            };
            for (key, value) in &want {
                match key.as_str() {
                    "note" | "strict" => {}
                    "clauses" => clauses(value, &report, &mut problems),
                    _ => compare_key(key, key, value, &got, &mut problems),
                }
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Fails a case whose file, found by listing `audits`, is a named pipe, a
/// socket or a device: reading it could wait forever. A folder is left to
/// fail as a file that cannot be read.
fn not_special(path: &Path) -> Result<(), Vec<String>> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => Err(vec![format!("{} is not a regular file; not read", shown(path))]),
        _ => Ok(()),
    }
}

/// Reads an expected file: a JSON object that gives no key twice, whose
/// `strict` is `true` or `false`, and that gives no key of the report
/// beside `error` (an audit that fails to score has no report). What is
/// wrong is said naming the file and the key.
fn read_expected(path: &Path) -> Result<Map<String, Value>, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![format!("cannot read {}: {e}", shown(path))])?;
    let want: Value =
        serde_json::from_str(&text).map_err(|e| vec![format!("{} is not valid JSON: {e}", shown(path))])?;
    let Value::Object(want) = want else {
        return Err(vec![format!("{} must hold a JSON object", shown(path))]);
    };
    unique_keys::check(&text).map_err(|e| vec![format!("{}: {e}", shown(path))])?;
    let problems = setting_problems(&want);
    if problems.is_empty() {
        Ok(want)
    } else {
        Err(problems.into_iter().map(|p| format!("{}: {p}", shown(path))).collect())
    }
}

/// What is wrong with the keys of an expected file that are not compared
/// with the report.
fn setting_problems(want: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(strict) = want.get("strict").filter(|s| !s.is_boolean()) {
        problems.push(format!("`strict` must be true or false, not {}", brief(strict)));
    }
    if want.contains_key("error") {
        for key in want.keys().filter(|k| !BESIDE_ERROR.contains(&k.as_str())) {
            problems
                .push(format!("`{key}` cannot be expected beside `error`: an audit that fails to score has no report"));
        }
    }
    problems
}

/// Every status a clause may have.
const STATUSES: [Status; 5] = [Status::Pass, Status::Partial, Status::Fail, Status::NotApplicable, Status::Unknown];

fn clauses(want: &Value, report: &ecorule::Report, problems: &mut Vec<String>) {
    let Value::Object(map) = want else {
        problems.push("`clauses` must map clause ids to a status or an object".to_string());
        return;
    };
    for (id, want) in map {
        let Some(clause) = report.clause(id) else {
            problems.push(format!("clauses.{id}: no such clause"));
            continue;
        };
        let got = serde_json::to_value(clause).unwrap_or(Value::Null);
        match want {
            Value::String(status) if !STATUSES.iter().any(|s| s.as_str() == status) => {
                let names: Vec<&str> = STATUSES.iter().map(|s| s.as_str()).collect();
                let meant = ecorule::suggest::closest(status, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                problems.push(format!(
                    "clauses.{id}: `{status}` is not a status ({meant}a status is {})",
                    names.join(", ")
                ));
            }
            Value::String(status) => compare(
                &format!("clauses.{id}.status"),
                &Value::String(status.clone()),
                got.get("status").unwrap_or(&Value::Null),
                problems,
            ),
            other => compare(&format!("clauses.{id}"), other, &got, problems),
        }
    }
}

/// [`compare`] of a key the report may not have: a misspelt key in an
/// expected file is named as such, not read as an expected `null`.
fn compare_key(path: &str, key: &str, want: &Value, report: &Map<String, Value>, problems: &mut Vec<String>) {
    match report.get(key) {
        Some(got) => compare(path, want, got, problems),
        None => {
            let keys = report.keys().map(String::as_str);
            let meant =
                ecorule::suggest::closest(key, keys).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
            problems.push(format!("{path}: no such key in the report (expected {want}){meant}"));
        }
    }
}

fn compare(path: &str, want: &Value, got: &Value, problems: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                compare_key(&format!("{path}.{k}"), k, v, g, problems);
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                compare(&format!("{path}[{i}]"), a, b, problems);
            }
        }
        (Value::Array(w), Value::Array(g)) => problems.push(other_length(path, w, g)),
        (Value::Number(a), Value::Number(b)) if same_decimal(a, b) => {}
        _ if want == got => {}
        _ => problems.push(format!("{path}: expected {}, got {}", brief(want), brief(got))),
    }
}

/// The failure of a list of another length than expected: the items it
/// got, and when every item on both sides has a name (a text, or see
/// [`NAME_KEYS`]), the names expected but missing and, when some were
/// found, those got but not expected.
fn other_length<'v>(path: &str, want: &'v [Value], got: &'v [Value]) -> String {
    let mut line = format!("{path}: expected {}, got {}", items(want.len()), got.len());
    if !got.is_empty() {
        line = format!("{line}: {}", brief_list(got));
    }
    let names = |list: &'v [Value]| list.iter().map(name_of).collect();
    let (Some(want), Some(mut unmatched)): (Option<Vec<&str>>, Option<Vec<&str>>) = (names(want), names(got)) else {
        return line;
    };
    // Each expected name takes one got item of that name: what is left on
    // either side is the difference, repeats counted.
    let mut missing = Vec::new();
    for name in want {
        match unmatched.iter().position(|&n| n == name) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => missing.push(name),
        }
    }
    // When none was found, the list got already shows what was not expected.
    let found = unmatched.len() < got.len();
    for (words, names) in [("missing", missing), ("not expected", if found { unmatched } else { Vec::new() })] {
        if !names.is_empty() {
            let shown: Vec<&str> = names.iter().take(BRIEF_ITEMS).copied().collect();
            line = format!("{line}; {words} [{}{}]", shown.join(", "), more_than_shown(names.len()));
        }
    }
    line
}

/// Longest JSON text a failure shows whole; a longer value is summarised.
const BRIEF_CHARS: usize = 60;
/// Most items of a list a failure names.
const BRIEF_ITEMS: usize = 10;

/// `1 item`, `2 items`.
fn items(n: usize) -> String {
    match n {
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

/// Keys that name an item of a report's list, the first an item has
/// winning: an area's or deduction's `id`, a rectification's `clause`, an
/// unverified value's `name`.
const NAME_KEYS: [&str; 3] = ["id", "clause", "name"];

/// An object's name: the first of [`NAME_KEYS`] it gives as a string, with
/// the key.
fn named_by(map: &Map<String, Value>) -> Option<(&'static str, &str)> {
    NAME_KEYS.iter().find_map(|&key| map.get(key).and_then(Value::as_str).map(|name| (key, name)))
}

/// A value as a failure line shows it: its JSON text when short, else a
/// summary (a list's items by name, an object's name or keys, a string cut
/// short), so a line never holds a whole report.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= BRIEF_CHARS {
        return text;
    }
    match value {
        Value::Array(items) => brief_list(items),
        Value::Object(map) => match named_by(map) {
            Some((key, name)) => format!("{{\"{key}\": {}, …}}", brief(&Value::from(name))),
            None => {
                let keys: Vec<String> =
                    map.keys().take(BRIEF_ITEMS).map(|k| format!("{}: …", Value::from(k.as_str()))).collect();
                format!("{{{}{}}}", keys.join(", "), more_than_shown(map.len()))
            }
        },
        _ => cut_short(&text),
    }
}

/// A list as `[A1, A2, … 3 more]`: each item by its name (see
/// [`NAME_KEYS`]) if it has one, else [`brief`]ly.
fn brief_list(items: &[Value]) -> String {
    let named: Vec<String> = items.iter().take(BRIEF_ITEMS).map(item_name).collect();
    format!("[{}{}]", named.join(", "), more_than_shown(items.len()))
}

/// `, … 3 more` after the first [`BRIEF_ITEMS`] of `len`, if there are more.
fn more_than_shown(len: usize) -> String {
    match len.saturating_sub(BRIEF_ITEMS) {
        0 => String::new(),
        n => format!(", … {n} more"),
    }
}

/// An item of a list: its name (see [`name_of`]) if it has one, shown
/// bare as the missing ones are and cut short as [`brief`] cuts a text,
/// else [`brief`]ly.
fn item_name(item: &Value) -> String {
    match name_of(item) {
        Some(name) => cut_short(name),
        None => brief(item),
    }
}

/// `text` whole when it is at most [`BRIEF_CHARS`] long, else its start
/// and `…`.
fn cut_short(text: &str) -> String {
    match text.char_indices().nth(BRIEF_CHARS) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// An item's name: a text (a clause id in `vetoes`) is its own, an object
/// has the one [`named_by`] finds.
fn name_of(item: &Value) -> Option<&str> {
    item.as_str().or_else(|| item.as_object().and_then(named_by).map(|(_, name)| name))
}

/// Whether two JSON numbers are the same decimal, read exactly from their
/// text (serde_json's `arbitrary_precision` keeps it as written): `89.50`
/// is `89.5`, `5.00000000000000000001` is not `5`. Text [`Num::parse`]
/// cannot hold exactly matches only the same text.
fn same_decimal(want: &Number, got: &Number) -> bool {
    let (want, got) = (want.to_string(), got.to_string());
    match (Num::parse(&want), Num::parse(&got)) {
        (Some(w), Some(g)) => w == g,
        _ => want == got,
    }
}

//! Bound facts: bind an audit once, score it many times, set values one by
//! one or give them all at once as a batch does; and every way to mix up
//! two rulebooks is an error.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::named;
use ecorule::{
    AuditInput, Codes, Column, ErrorKind, FactValue, Facts, Limits, Rulebook, ScoreOptions, Status, Summary,
};

const BOOK: &str = r#"
rulebook demo "示例" en "Demo" {
  facts {
    stack.height: quantity m "排气筒高度" en "stack height"
    site.zone: enum { a "甲", b "乙" } "区" en "zone"
    permit.valid: bool "许可证有效" en "permit valid"
  }
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade bad "不合格" otherwise
    verdict ban "取缔" when vetoed
    verdict standardize "规范" otherwise
  }
  area A1 "废气" en "Air" {
    clause C1 "排气筒" en "Stack" points 6 {
      require stack.height >= 15 m
      partial 0.5 when stack.height >= 12 m
    }
    clause C2 "许可" en "Permit" points 4 veto {
      when site.zone == a
      require permit.valid
    }
  }
}"#;

const AUDIT: &str = r#"{"audit": {"id": "A1", "date": "2024-05-20"},
  "facts": {"stack": {"height": "1300 cm"}, "site.zone": "a", "permit.valid": true, "other": 1}}"#;

fn book() -> Rulebook {
    Rulebook::compile("demo.eco", BOOK).unwrap_or_else(|e| panic!("{e}"))
}

fn input(json: &str) -> AuditInput {
    AuditInput::from_json(json, &ScoreOptions::default().limits).unwrap_or_else(|e| panic!("{e}"))
}

fn slot(rulebook: &Rulebook, name: &str) -> usize {
    rulebook.fact_slot(name).unwrap_or_else(|| panic!("no slot for {name}"))
}

/// A batch of one audit giving `values`, its summary named.
fn one_audit(rulebook: &Rulebook, values: &[&FactValue]) -> Result<Summary, ecorule::Errors> {
    let columns = values.iter().map(|v| column(v.slot(), &[Some(0)], vec![Ok((*v).clone())])).collect();
    let row = rulebook.summarize_row(&rulebook.batch(1, columns)?, 0, &ScoreOptions::default())?;
    Ok(named(rulebook, row))
}

/// A column whose audits give the values at the codes (`None`: no value).
fn column(slot: usize, codes: &[Option<u8>], values: Vec<Result<FactValue, ecorule::Errors>>) -> Column {
    Column { slot, codes: Codes::U8(codes.iter().map(|c| c.unwrap_or(u8::MAX)).collect()), values }
}

#[test]
fn bound_facts_score_as_the_audit_does() {
    let rulebook = book();
    let options = ScoreOptions::default();
    let audit = input(AUDIT);
    let facts = rulebook.bind(&audit, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts.warnings().count(), 1, "the undeclared fact `other` is a warning");
    let direct = rulebook.score(&audit, &options).unwrap_or_else(|e| panic!("{e}"));
    let bound = rulebook.score_facts(&facts, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(direct.to_json(), bound.to_json());
    let summary = rulebook.summarize(&facts, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary, rulebook.summary(&audit, &options).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(summary.statuses, vec![Status::Partial, Status::Pass]);
    // scoring again gives the same answer: evaluation keeps no state
    assert_eq!(rulebook.summarize(&facts, &options).ok(), Some(summary));
}

#[test]
fn values_set_one_by_one_match_a_bound_audit() {
    let rulebook = book();
    let options = ScoreOptions::default();
    let value = |name: &str, json: &str| {
        rulebook
            .fact_value(slot(&rulebook, name), &input(json), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let values = [value("stack.height", r#""13 m""#), value("site.zone", r#""a""#), value("permit.valid", "true")];
    let mut facts = Facts::new(&rulebook);
    for v in &values {
        facts.set(v).unwrap_or_else(|e| panic!("{e}"));
    }
    let expected = rulebook.summary(&input(AUDIT), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rulebook.summarize(&facts, &options).ok(), Some(expected.clone()));

    // the same values given at once as a batch's audit, in any order
    let [height, zone, permit] = &values;
    assert_eq!(one_audit(&rulebook, &[permit, height, zone]).ok(), Some(expected));
    // a fact given no value is unknown (the general evaluation's path)
    let without_permit = one_audit(&rulebook, &[height, zone]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!without_permit.determined && without_permit.statuses.get(1) == Some(&Status::Unknown));
    let none = one_audit(&rulebook, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(none.statuses.iter().all(|s| *s == Status::Unknown), "{none:?}");

    // unset makes a fact unknown: a score range, not a score
    facts.unset(slot(&rulebook, "permit.valid")).unwrap_or_else(|e| panic!("{e}"));
    let partial = rulebook.summarize(&facts, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(!partial.determined && partial.statuses.get(1) == Some(&Status::Unknown), "{partial:?}");
    // a slot the rulebook does not have is an error, and changes nothing
    let slots = rulebook.slots_read().len();
    let error = facts.unset(slots).err().unwrap_or_else(|| panic!("slot {slots} was unset"));
    assert_eq!(error.kind(), ErrorKind::Audit);
    let message = format!("rulebook `{}` has no fact slot {slots}", rulebook.id());
    assert_eq!(error.message(), message);
    assert_eq!(rulebook.summarize(&facts, &options).ok(), Some(partial));

    facts.clear();
    let empty = rulebook.summarize(&facts, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(empty.statuses.iter().all(|s| *s == Status::Unknown), "{empty:?}");
}

#[test]
fn a_bad_value_is_an_error_naming_the_fact() {
    let rulebook = book();
    let bad = rulebook.fact_value(slot(&rulebook, "stack.height"), &input(r#""15 kg""#), &Limits::default());
    let error = bad.err().and_then(|e| e.first().cloned()).unwrap_or_else(|| panic!("15 kg was accepted"));
    assert_eq!(error.kind(), ErrorKind::Audit);
    assert_eq!(error.fact_problem().map(|p| p.fact.as_str()), Some("stack.height"));
    let no_slot = rulebook.fact_value(10_000, &input("1"), &Limits::default());
    assert!(no_slot.is_err_and(|e| e.to_string().contains("no fact slot 10000")));
}

#[test]
fn a_value_over_the_size_limits_is_refused_as_in_an_audit() {
    let rulebook = book();
    let mut limits = Limits::default();
    limits.max_string_bytes = 8;
    limits.max_audit_values = 4;
    let too_large = |name: &str, json: &str| {
        let given = input(json);
        let one = rulebook.fact_value(slot(&rulebook, name), &given, &limits);
        let error = one.err().and_then(|e| e.first().cloned()).unwrap_or_else(|| panic!("{json} was accepted"));
        // the error a whole audit holding the value gets
        // nested, so that no key is over the limit: `{"permit": {"valid": …}}`
        let (outer, inner) = name.split_once('.').unwrap_or((name, ""));
        let audit = input(&format!(r#"{{"facts": {{"{outer}": {{"{inner}": {json}}}}}}}"#));
        let whole = audit.check_size(&limits).err().unwrap_or_else(|| panic!("{json}: the audit passed"));
        assert_eq!((error.kind(), error.message()), (ErrorKind::AuditTooLarge, whole.message()), "{json}");
    };
    too_large("audit.id", r#""P-2024-0001""#);
    too_large("permit.valid", "[true, true, true, true]");
    // within the limits, a value converts as before
    assert!(rulebook.fact_value(slot(&rulebook, "audit.id"), &input(r#""P-1""#), &limits).is_ok());
    assert!(rulebook.fact_value(slot(&rulebook, "permit.valid"), &input("true"), &limits).is_ok());
}

#[test]
fn facts_of_one_rulebook_are_refused_by_another() {
    let (one, other) = (book(), book());
    let options = ScoreOptions::default();
    let facts = one.bind(&input(AUDIT), &options).unwrap_or_else(|e| panic!("{e}"));
    // The two have one id (the same source compiled twice, as a service
    // reloading its rulebooks does): the message says so rather than
    // naming `demo` as both.
    let message = |result: Result<Summary, ecorule::Errors>| result.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message(other.summarize(&facts, &options)),
        "these facts were bound to another compilation of rulebook `demo`, not to this one"
    );
    assert!(other.score_facts(&facts, &options).is_err());
    let value = one
        .fact_value(slot(&one, "permit.valid"), &input("true"), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut theirs = Facts::new(&other);
    let refused = theirs.set(&value).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(refused, "a value for another compilation of rulebook `demo` set on facts of this one");
    assert_eq!(
        message(one_audit(&other, &[&value])),
        "a value for another compilation of rulebook `demo` given to this one"
    );
    let batch = one.batch(1, vec![column(value.slot(), &[Some(0)], vec![Ok(value.clone())])]);
    let batch = batch.unwrap_or_else(|e| panic!("{e}"));
    let refused = other.summarize_row(&batch, 0, &options).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(refused, "a batch for another compilation of rulebook `demo` given to this one");
    // Rulebooks of two ids are named by them.
    let renamed = Rulebook::compile("renamed.eco", &BOOK.replacen("rulebook demo", "rulebook renamed", 1));
    let renamed = renamed.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        message(renamed.summarize(&facts, &options)),
        "these facts were bound to rulebook `demo`, not to `renamed`"
    );
}

/// Every audit of a batch scores as its values set on facts do; an audit
/// giving a value that failed to convert gets that value's error, the
/// others score.
#[test]
fn a_batch_scores_each_audit_as_its_facts() {
    let rulebook = book();
    let options = ScoreOptions::default();
    let value = |name: &str, json: &str| rulebook.fact_value(slot(&rulebook, name), &input(json), &Limits::default());
    let heights =
        vec![value("stack.height", "16"), value("stack.height", r#""13 m""#), value("stack.height", "\"3 kg\"")];
    let zones = vec![value("site.zone", r#""a""#), value("site.zone", r#""b""#)];
    let permits = vec![value("permit.valid", "true"), value("permit.valid", "false")];
    assert!(heights[2].is_err(), "3 kg is not a height");
    let (h, z, p) = (slot(&rulebook, "stack.height"), slot(&rulebook, "site.zone"), slot(&rulebook, "permit.valid"));
    let rows: [[Option<u8>; 3]; 5] = [
        [Some(0), Some(0), Some(0)],
        [Some(1), Some(0), Some(1)],
        [Some(0), Some(1), Some(1)],
        [None, Some(0), None],
        [Some(2), Some(0), Some(0)],
    ];
    let codes = |i: usize| rows.iter().map(|r| r[i]).collect::<Vec<_>>();
    let batch = rulebook
        .batch(
            5,
            vec![
                column(h, &codes(0), heights.clone()),
                column(z, &codes(1), zones.clone()),
                column(p, &codes(2), permits.clone()),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(batch.len(), 5);
    for (i, row) in rows.iter().enumerate() {
        let got = rulebook.summarize_row(&batch, i, &options);
        let given = [(row[0], &heights), (row[1], &zones), (row[2], &permits)];
        let mut facts = Facts::new(&rulebook);
        let mut failed = None;
        for (code, values) in given {
            match code.map(|c| &values[usize::from(c)]) {
                Some(Ok(v)) => facts.set(v).unwrap_or_else(|e| panic!("{e}")),
                Some(Err(e)) => failed = Some(e.to_string()),
                None => {}
            }
        }
        match failed {
            Some(error) => assert_eq!(got.err().map(|e| e.to_string()), Some(error), "audit {i}"),
            None => assert_eq!(
                got.ok().map(|r| named(&rulebook, r)),
                rulebook.summarize(&facts, &options).ok(),
                "audit {i}"
            ),
        }
    }
    assert!(rulebook.summarize_row(&batch, 1, &options).is_ok_and(|s| s.statuses == [Status::Partial, Status::Fail]));
    assert!(rulebook.summarize_row(&batch, 3, &options).is_ok_and(|s| !s.determined));
    assert!(
        rulebook.summarize_row(&batch, 5, &options).is_err_and(|e| e.to_string().contains("audit 5 of a batch of 5"))
    );
}

/// An audit's errors come in the order its columns were given, whatever
/// the width of their codes.
#[test]
fn a_batch_audits_errors_follow_its_columns() {
    let rulebook = book();
    let value = |name: &str, json: &str| rulebook.fact_value(slot(&rulebook, name), &input(json), &Limits::default());
    let (h, z, p) = (slot(&rulebook, "stack.height"), slot(&rulebook, "site.zone"), slot(&rulebook, "permit.valid"));
    let wide = |slot: usize, values| Column { slot, codes: Codes::U32(vec![0]), values };
    let middle = |slot: usize, values| Column { slot, codes: Codes::U16(vec![0]), values };
    let columns = vec![
        wide(p, vec![value("permit.valid", "3")]),
        middle(z, vec![value("site.zone", r#""c""#)]),
        column(h, &[Some(0)], vec![value("stack.height", r#""3 kg""#)]),
    ];
    let batch = rulebook.batch(1, columns).unwrap_or_else(|e| panic!("{e}"));
    let errors = rulebook.summarize_row(&batch, 0, &ScoreOptions::default()).expect_err("three values fail");
    let facts: Vec<Option<&str>> = errors.iter().map(|e| e.fact_problem().map(|f| f.fact.as_str())).collect();
    assert_eq!(facts, [Some("permit.valid"), Some("site.zone"), Some("stack.height")]);
}

#[test]
fn malformed_batches_are_refused() {
    let rulebook = book();
    let value = |name: &str, json: &str| rulebook.fact_value(slot(&rulebook, name), &input(json), &Limits::default());
    let h = slot(&rulebook, "stack.height");
    let refused = |columns: Vec<Column>, says: &str| {
        let error = rulebook.batch(2, columns).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains(says), "{error:?} does not say {says:?}");
    };
    let heights = || vec![value("stack.height", "16")];
    refused(vec![column(h, &[Some(0)], heights())], "holds 1 audits, not 2");
    refused(vec![column(h, &[Some(0), Some(1)], heights())], "has a code past its 1 values");
    refused(vec![column(h, &[Some(0), None], heights()), column(h, &[None, Some(0)], heights())], "two columns");
    refused(vec![column(10_000, &[None, None], Vec::new())], "slot 10000, which is no fact");
    let zone = vec![value("site.zone", r#""a""#)];
    refused(vec![column(h, &[Some(0), None], zone)], "a value for slot");
    assert!(rulebook.batch(2, vec![column(h, &[None, None], Vec::new())]).is_ok(), "a column may give no value");
}

/// The summary (which takes a fast lane when every clause is decided) and
/// the full report agree on every sample audit of every bundled rulebook,
/// and on each of those audits with one fact left out in turn (which
/// leaves clauses undecided and the summary on the general path).
/// Each bundled rulebook, compiled, with its sample audits in name order.
fn bundled_samples() -> Vec<(Rulebook, Vec<std::path::PathBuf>)> {
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
    let mut found = Vec::new();
    for name in ["fishmeal", "green-ship-repair", "hazardous-waste"] {
        let path = format!("{rules}/{name}/{name}.eco");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let rulebook = Rulebook::compile(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let dir = format!("{rules}/{name}/audits");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".json") && !s.ends_with(".expected.json")))
            .collect();
        files.sort();
        found.push((rulebook, files));
    }
    found
}

#[test]
fn summaries_agree_with_full_reports() {
    let options = ScoreOptions::default();
    let mut compared = 0;
    for (rulebook, files) in bundled_samples() {
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let audit: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let keys: Vec<String> = audit["facts"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default();
            let variants = std::iter::once(None).chain(keys.iter().map(Some));
            for left_out in variants {
                let mut audit = audit.clone();
                if let (Some(key), Some(facts)) = (left_out, audit["facts"].as_object_mut()) {
                    facts.remove(key);
                }
                let input = input(&audit.to_string());
                let case = format!("{} without {left_out:?}", file.display());
                let summary = rulebook.summary(&input, &options).unwrap_or_else(|e| panic!("{case}: {e}"));
                let report = rulebook.score(&input, &options).unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!((summary.score_min, summary.score_max), (report.score_min, report.score_max), "{case}");
                assert_eq!(
                    (summary.grade.as_str(), summary.verdict.as_str()),
                    (report.grade(), report.verdict()),
                    "{case}"
                );
                assert_eq!(summary.determined, report.determined, "{case}");
                assert_eq!(summary.vetoes, report.vetoes().collect::<Vec<_>>(), "{case}");
                assert_eq!(summary.statuses, report.clauses().map(|c| c.status()).collect::<Vec<_>>(), "{case}");
                compared += 1;
            }
        }
    }
    assert!(compared > 300, "only {compared} audits compared");
}

#[test]
fn slots_read_are_the_facts_any_expression_reads() {
    let source = r#"
rulebook reads "读取" en "Reads" {
  facts {
    a: number "甲" en "a"
    b: number "乙" en "b"
    c: number "丙" en "c"
    d: bool "丁" en "d"
    e: text "戊" en "e"
    unread: text "未读" en "unread"
  }
  let b_limit = b + 1
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade bad "不合格" otherwise
    verdict ban "取缔" when vetoed
    verdict standardize "规范" otherwise
    deduct incident "事故" en "incident" 1 per c max 5
    deduct spill "泄漏" en "spill" 2 when d
  }
  area A1 "甲" en "A" {
    clause C1 "一" en "One" points 10 {
      when e == "x"
      require a >= 1
      partial 0.5 when a >= b_limit
    }
  }
}"#;
    let rulebook = Rulebook::compile("reads.eco", source).unwrap_or_else(|e| panic!("{e}"));
    let read = rulebook.slots_read();
    let is_read = |name: &str| read[slot(&rulebook, name)];
    // directly, through a `let`, by deductions, by a `when`
    for name in ["a", "b", "c", "d", "e"] {
        assert!(is_read(name), "{name} is read");
    }
    for name in ["unread", "audit.id", "audit.date", "enterprise.id", "enterprise.name"] {
        assert!(!is_read(name), "{name} is not read");
    }
    // the fishmeal rulebook reads every fact it declares, and no built-in but the date
    let fishmeal =
        Rulebook::compile("fishmeal.eco", &std::fs::read_to_string("../../rules/fishmeal/fishmeal.eco").unwrap())
            .unwrap_or_else(|e| panic!("{e}"));
    let read = fishmeal.slots_read();
    let info = fishmeal.info();
    let unread: Vec<&str> = info
        .facts
        .iter()
        .map(|f| f.name.as_str())
        .chain(["audit.id", "audit.date", "enterprise.id", "enterprise.name"])
        .filter(|name| !read[slot(&fishmeal, name)])
        .collect();
    assert_eq!(unread, ["audit.id", "enterprise.id", "enterprise.name"]);
}

const BOUNDED: &str = r#"
rulebook bounded "界" en "Bounded" {
  facts {
    cover: number min 0 max 1 "覆盖率" en "coverage"
    incidents: number min 0 "事故" en "incidents"
    height: quantity m min 0 m max 300 m "高度" en "height"
    drill.last: date max 2030-12-31 "演练" en "last drill"
    levels: list quantity dB(A) max 70 "噪声" en "noise"
    ph: number min 0 max 14 "酸碱度" en "pH"
  }
  scoring { scale 1 grade a "甲" otherwise verdict standardize "规范" otherwise }
  area A1 "一" {
    clause C1 "一" points 1 {
      require cover >= 0.9 and incidents == 0 and height >= 15 m and drill.last > 2020-01-01 and count(levels) <= 3 and ph >= 6
    }
  }
}"#;

/// The errors binding `facts` (JSON) to the rulebook `source` gives.
fn binding_errors(source: &str, facts: &str) -> Vec<ecorule::Error> {
    let rulebook = Rulebook::compile("facts.eco", source).unwrap_or_else(|e| panic!("{e}"));
    let audit = input(&format!(r#"{{"audit": {{"date": "2024-05-20"}}, "facts": {facts}}}"#));
    rulebook.bind(&audit, &ScoreOptions::default()).err().map(|e| e.iter().cloned().collect()).unwrap_or_default()
}

/// The error binding `facts` (JSON) to the bounded rulebook gives, by fact.
fn bound_errors(facts: &str) -> Vec<(String, String, Option<String>)> {
    binding_errors(BOUNDED, facts)
        .iter()
        .map(|e| {
            let problem = e.fact_problem().unwrap_or_else(|| panic!("no fact named: {e}"));
            (problem.fact.clone(), e.message().to_string(), e.help().map(str::to_string))
        })
        .collect()
}

#[test]
fn values_within_a_fact_s_bounds_are_taken_at_the_bounds_too() {
    let ok =
        r#"{"cover": 1, "incidents": 0, "height": "30000 cm", "drill.last": "2030-12-31", "levels": [70, "70 dB(A)"]}"#;
    assert_eq!(bound_errors(ok), []);
    assert_eq!(bound_errors(r#"{"cover": "90 %", "height": 0}"#), []);
}

#[test]
fn a_quantity_written_with_a_bare_point_a_comma_or_a_unit_in_the_wrong_case_is_told_how_to_write_it() {
    let help = |given: &str| {
        let errors = bound_errors(&format!(r#"{{"height": "{given}"}}"#));
        errors.first().and_then(|(_, _, help)| help.clone()).unwrap_or_default()
    };
    let digits = "a number has digits on both sides of its point: write";
    assert_eq!(help("15.m"), format!("{digits} \"15.0 m\""));
    assert_eq!(help(".5 m"), format!("{digits} \"0.5 m\""));
    assert_eq!(help("-.5"), format!("{digits} \"-0.5\""));
    assert_eq!(help("15,5 m"), "a decimal comma is written as a point: \"15.5 m\"");
    assert_eq!(
        help("1,000 m"),
        "a number has no thousands separators: write \"1000 m\" (or \"1.000 m\" if the comma is a decimal point)"
    );
    assert_eq!(help("1,000,000.5 m"), "a number has no thousands separators: write \"1000000.5 m\"");
    assert_eq!(help("1 M"), "unknown unit `M`: did you mean `m`?");
    assert_eq!(help("1 mm/ML"), "unknown unit `ML`: did you mean `mL`?");
    // A power of ten as standards print it (GB 18597's `1×10⁻⁷ cm/s`).
    let power = "write a power of ten with `e`:";
    assert_eq!(help("1.5×10⁻² km"), format!("{power} \"1.5e-2 km\""));
    assert_eq!(help("1 x 10^3 cm"), format!("{power} \"1e3 cm\""));
    assert_eq!(help("2*10-1"), format!("{power} \"2e-1\""));
    assert_eq!(help("1×10 m"), "unknown unit `×10 m`");
    // No power of ten without its sign: a space between groups of digits.
    assert_eq!(help("5 102 m"), "a number has no thousands separators: write \"5102 m\"");
    assert_eq!(help("5 10 m"), "unknown unit `10 m`");
    let noise = binding_errors(BOUNDED, r#"{"levels": ["61.2 dB"]}"#);
    assert!(noise.first().and_then(|e| e.help()).is_some_and(|h| h.contains("did you mean `dB(A)`?")), "{noise:?}");
}

/// Spaces around a code or a date, as a spreadsheet's cell may keep them,
/// are left out, as around a quantity.
#[test]
fn spaces_around_a_code_or_a_date_are_left_out() {
    let source = BOOK.replace("stack.height: quantity m", "checked: date \"查\"\n    stack.height: quantity m");
    let source = source.replace("require permit.valid", "require permit.valid and checked > 2020-01-01");
    let spaced = r#"{"site.zone": " a ", "checked": "2024-05-20\t", "stack.height": " 16 m", "permit.valid": true}"#;
    let plain = r#"{"site.zone": "a", "checked": "2024-05-20", "stack.height": "16 m", "permit.valid": true}"#;
    let rulebook = Rulebook::compile("demo.eco", &source).unwrap_or_else(|e| panic!("{e}"));
    let report = |facts: &str| {
        let audit = input(&format!(r#"{{"audit": {{"date": "2024-05-20"}}, "facts": {facts}}}"#));
        rulebook.score(&audit, &ScoreOptions::default()).unwrap_or_else(|e| panic!("{e}")).to_json()
    };
    assert_eq!(report(spaced), report(plain));
    assert!(binding_errors(&source, r#"{"site.zone": " c"}"#).first().is_some_and(|e| e.message().contains("\" c\"")));
}

#[test]
fn a_value_outside_a_fact_s_bounds_is_an_error_naming_the_fact() {
    let errors = bound_errors(
        r#"{"cover": 90, "incidents": -1, "height": "0.4 km", "drill.last": "2031-01-01", "levels": [60, 71]}"#,
    );
    let messages: Vec<(&str, &str)> = errors.iter().map(|(f, m, _)| (f.as_str(), m.as_str())).collect();
    assert_eq!(
        messages,
        [
            ("cover", "fact `cover` expects a number from 0 to 1 (that is 0 % to 100 %), but the audit gives 90"),
            ("incidents", "fact `incidents` expects a number of at least 0, but the audit gives -1"),
            ("height", "fact `height` expects a quantity in m from 0 m to 300 m, but the audit gives \"0.4 km\""),
            (
                "drill.last",
                "fact `drill.last` expects a date (YYYY-MM-DD) no later than 2030-12-31, but the audit gives \"2031-01-01\""
            ),
            (
                "levels",
                "fact `levels` expects a list of a quantity in dB(A), each of at most 70 dB(A), but the audit gives 71 at position 2"
            ),
        ]
    );
    // A share given as a bare percentage is pointed out; a negative one is not.
    assert_eq!(
        errors[0].2.as_deref(),
        Some("a share is written as a fraction or with `%`: if 90 is a percentage, write \"90 %\"")
    );
    assert_eq!(bound_errors(r#"{"cover": -0.5}"#)[0].2, None);
    assert_eq!(bound_errors(r#"{"cover": "123 %"}"#)[0].2, None, "a percentage already says so");
    assert!(bound_errors(r#"{"cover": "90"}"#)[0].2.is_some(), "a number written as text has no unit either");
    assert_eq!(bound_errors(r#"{"ph": 15}"#)[0].2, None, "a pH is not a share: 15 % would be a pH of 0.15");
}

#[test]
fn a_number_not_held_says_why_in_its_message() {
    let limit = "at most 30 significant digits";
    let cases = [
        // As JSON gives them, and as a text.
        (r#"{"incidents": 1e400}"#, "1e400, which is too large or too long to hold exactly", limit),
        (
            r#"{"incidents": 10000000000000000000000000000000}"#,
            "10000000000000000000000000000000, which is too large or too long to hold exactly",
            limit,
        ),
        (r#"{"incidents": 1e31}"#, "1e31, which is too large or too long to hold exactly", limit),
        (
            r#"{"incidents": 1234567890123456789012345678901}"#,
            "1234567890123456789012345678901, which is too large or too long to hold exactly",
            limit,
        ),
        (r#"{"height": "1e40 m"}"#, "\"1e40 m\", which is too large or too long to hold exactly", limit),
        // A digit after the 10^-30s place: too small, not too large,
        // with an exponent or written out.
        (r#"{"incidents": 1e-31}"#, "1e-31, which is too small to hold exactly", limit),
        (r#"{"incidents": 1.5e-400}"#, "1.5e-400, which is too small to hold exactly", limit),
        (
            r#"{"incidents": 0.00000000000000000000000000000000025}"#,
            "0.00000000000000000000000000000000025, which is too small to hold exactly",
            limit,
        ),
        // Too many digits below 1 is still too long.
        (
            r#"{"incidents": 0.1234567890123456789012345678901}"#,
            "0.1234567890123456789012345678901, which is too large or too long to hold exactly",
            limit,
        ),
    ];
    // 10^30 is held, written with its exponent or with all 31 digits, and
    // 10^-30 however its exponent is written.
    let held = [
        r#"{"incidents": 1e30}"#,
        r#"{"incidents": 1000000000000000000000000000000}"#,
        r#"{"incidents": 1000e-33}"#,
        r#"{"incidents": 0.000000000000000000000000000001}"#,
    ];
    for facts in held {
        assert_eq!(bound_errors(facts), [], "{facts}");
    }
    for (facts, given, help) in cases {
        let errors = bound_errors(facts);
        let (_, message, got_help) = errors.first().unwrap_or_else(|| panic!("no error for {facts}"));
        assert!(message.ends_with(&format!("but the audit gives {given}")), "{facts}: {message}");
        assert!(got_help.as_deref().is_some_and(|h| h.contains(help)), "{facts}: {got_help:?}");
    }
    // As a binding (or TOML) gives a float that is not finite.
    let rulebook = Rulebook::compile("bounded.eco", BOUNDED).unwrap_or_else(|e| panic!("{e}"));
    for written in ["inf", "-inf", "nan"] {
        let facts = AuditInput::Map(vec![("incidents".to_string(), AuditInput::Number(Err(written.to_string())))]);
        let audit = AuditInput::Map(vec![("facts".to_string(), facts)]);
        let errors = rulebook.bind(&audit, &ScoreOptions::default()).err().unwrap_or_else(|| panic!("{written}"));
        let message = errors.iter().next().map(|e| e.message().to_string()).unwrap_or_default();
        assert_eq!(
            message,
            format!(
                "fact `incidents` expects a number of at least 0, but the audit gives {written}, which is not a finite number"
            )
        );
    }
}

#[test]
fn a_plain_number_that_is_not_a_share_refuses_a_percentage() {
    let plain = "this fact is a plain number, not a share: write it without `%` or `‰`";
    for given in [r#""7 %""#, r#""7‰""#, r#"{"value": 7, "unit": "%"}"#] {
        let errors = bound_errors(&format!(r#"{{"ph": {given}, "incidents": "2 %"}}"#));
        let found: Vec<(&str, Option<&str>)> = errors.iter().map(|(f, _, h)| (f.as_str(), h.as_deref())).collect();
        assert_eq!(found, [("ph", Some(plain)), ("incidents", Some(plain))], "{given}");
    }
    // A share takes one; a plain number takes the dimensionless unit `1`.
    assert_eq!(bound_errors(r#"{"cover": "90 %", "ph": "7 1", "incidents": 2}"#), []);
}

#[test]
fn a_value_set_alone_is_held_to_the_fact_s_bounds() {
    let rulebook = Rulebook::compile("bounded.eco", BOUNDED).unwrap_or_else(|e| panic!("{e}"));
    let set = |value: &str| rulebook.fact_value(slot(&rulebook, "incidents"), &input(value), &Limits::default());
    assert!(set("0").is_ok());
    let error = set("-2").err().and_then(|e| e.first().cloned()).unwrap_or_else(|| panic!("-2 was accepted"));
    assert_eq!(error.fact_problem().map(|p| p.fact.as_str()), Some("incidents"));
}

#[test]
fn a_fact_s_bounds_reach_its_information_and_the_audit_schema() {
    let rulebook = Rulebook::compile("bounded.eco", BOUNDED).unwrap_or_else(|e| panic!("{e}"));
    let info = rulebook.info();
    let bounds = |name: &str| {
        let fact = info.facts.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no fact {name}"));
        (fact.min.as_deref(), fact.max.as_deref())
    };
    assert_eq!(bounds("cover"), (Some("0"), Some("1")));
    assert_eq!(bounds("height"), (Some("0"), Some("300")));
    assert_eq!(bounds("drill.last"), (None, Some("2030-12-31")));
    let schema = ecorule::audit_schema(&rulebook);
    let number = &schema["properties"]["facts"]["properties"]["height"]["anyOf"][0];
    assert_eq!((number["minimum"].as_i64(), number["maximum"].as_i64()), (Some(0), Some(300)));
}

const COUNTS: &str = r#"
rulebook counts "计数" en "Counts" {
  facts {
    incidents: count "事故" en "incidents"
    outfalls: count max 1 "排口" en "outfalls"
    visits: list count "检查" en "visits"
  }
  scoring { scale 1 grade a "甲" otherwise verdict standardize "规范" otherwise }
  area A1 "一" {
    clause C1 "一" points 1 { require incidents == 0 and outfalls <= 1 and count(visits) >= 0 }
  }
}"#;

/// Each error binding `facts` (JSON) to `COUNTS` gives: fact, message in
/// English and in Chinese, help.
fn count_errors(facts: &str) -> Vec<(String, String, String, Option<String>)> {
    binding_errors(COUNTS, facts)
        .iter()
        .map(|e| {
            let fact = e.fact_problem().map(|p| p.fact.clone()).unwrap_or_default();
            let zh = e.message_zh().unwrap_or_default().to_string();
            (fact, e.message().to_string(), zh, e.help().map(str::to_string))
        })
        .collect()
}

#[test]
fn a_count_takes_whole_numbers_of_0_or_more() {
    for ok in [r#"{"incidents": 0, "outfalls": 1, "visits": [3, 0]}"#, r#"{"incidents": 2.0, "outfalls": "1"}"#] {
        assert_eq!(count_errors(ok), [], "{ok}");
    }
    let errors = count_errors(r#"{"incidents": 1.5, "outfalls": -1, "visits": [2, 0.5]}"#);
    let found: Vec<(&str, &str, &str)> =
        errors.iter().map(|(f, m, zh, _)| (f.as_str(), m.as_str(), zh.as_str())).collect();
    assert_eq!(
        found,
        [
            (
                "incidents",
                "fact `incidents` expects a whole number of at least 0, but the audit gives 1.5",
                "数据项 `incidents` 应为整数，不小于 0，但审核给出 1.5"
            ),
            (
                "outfalls",
                "fact `outfalls` expects a whole number from 0 to 1, but the audit gives -1",
                "数据项 `outfalls` 应为整数，介于 0 与 1 之间，但审核给出 -1"
            ),
            (
                "visits",
                "fact `visits` expects a list of whole numbers, each of at least 0, but the audit gives 0.5 at position 2",
                "数据项 `visits` 应为列表，每项为整数，不小于 0，但审核给出 第 2 项 0.5"
            ),
        ]
    );
    // A count of at most 1 is not a share: `50 %` is not half an outfall.
    let percent = count_errors(r#"{"outfalls": "50 %"}"#);
    let help = percent.first().and_then(|(_, _, _, h)| h.as_deref());
    assert_eq!(help, Some("this fact is a plain number, not a share: write it without `%` or `‰`"));
    // A value set alone is held to the same.
    let rulebook = Rulebook::compile("counts.eco", COUNTS).unwrap_or_else(|e| panic!("{e}"));
    let set = |value: &str| rulebook.fact_value(slot(&rulebook, "incidents"), &input(value), &Limits::default());
    assert!(set("3").is_ok());
    assert!(set("3.5").is_err() && set("-3").is_err());
}

#[test]
fn a_count_reaches_its_information_and_the_audit_schema_as_whole_numbers() {
    let rulebook = Rulebook::compile("counts.eco", COUNTS).unwrap_or_else(|e| panic!("{e}"));
    let info = rulebook.info();
    let fact = |name: &str| info.facts.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no fact {name}"));
    let shape = |name: &str| {
        let f = fact(name);
        (f.kind.as_str(), f.element.as_deref(), f.min.as_deref(), f.max.as_deref())
    };
    assert_eq!(shape("incidents"), ("count", None, Some("0"), None));
    assert_eq!(shape("outfalls"), ("count", None, Some("0"), Some("1")));
    assert_eq!(shape("visits"), ("list", Some("count"), Some("0"), None));
    let schema = ecorule::audit_schema(&rulebook);
    let facts = &schema["properties"]["facts"]["properties"];
    let number = &facts["incidents"]["anyOf"][0];
    assert_eq!((number["type"].as_str(), number["minimum"].as_i64()), (Some("integer"), Some(0)));
    let item = &facts["visits"]["anyOf"][0]["items"]["anyOf"][0];
    assert_eq!(item["type"].as_str(), Some("integer"));
}

/// The fewest evaluation steps with which `run` succeeds, searched between
/// 1 and the default limit.
fn fewest_steps(run: impl Fn(&ScoreOptions) -> bool) -> u64 {
    let (mut low, mut high) = (1, Limits::default().max_steps);
    assert!(run(&ScoreOptions::default()), "fails at the default limit");
    while low < high {
        let mid = low + (high - low) / 2;
        let mut options = ScoreOptions::default();
        options.limits.max_steps = mid;
        if run(&options) { high = mid } else { low = mid + 1 }
    }
    low
}

#[test]
fn the_report_and_the_summary_take_the_same_steps() {
    // An evaluation limit is a property of the rulebook and the audit: a
    // summary must not succeed where the full report stops for too much
    // work, even with `let`s, which the report re-reads for each clause's
    // explanation.
    let mut compared = 0;
    for (rulebook, files) in bundled_samples() {
        for file in files {
            let input = input(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}")));
            let by_report = fewest_steps(|o| rulebook.score(&input, o).is_ok());
            let by_summary = fewest_steps(|o| rulebook.summary(&input, o).is_ok());
            assert_eq!(by_report, by_summary, "{}", file.display());
            compared += 1;
        }
    }
    assert!(compared > 20, "only {compared} audits compared");
}

const EVERY_TYPE: &str = r#"
rulebook kinds "类型" en "Kinds" {
  facts {
    height: quantity m "高度" en "height"
    zone: enum { sea "海域", river } "区" en "zone"
    valid: bool "有效" en "valid"
    count: number "数目" en "count"
    opened: date "日期" en "opened"
    levels: list quantity dB(A) max 70 "噪声" en "noise"
    cover: number min 0 max 1 "覆盖率" en "coverage"
    drill: date max 2030-12-31 "演练" en "drill"
    site.size: number "面积" en "area"
  }
  scoring { scale 1 grade a "甲" otherwise verdict standardize "规范" otherwise }
  area A1 "一" {
    clause C1 "一" points 1 {
      require height >= 15 m and zone == sea and valid and count >= 0 and opened > 2020-01-01
        and count(levels) <= 3 and cover >= 0.9 and drill > 2020-01-01 and site.size >= 0
    }
  }
}"#;

/// The first error binding `facts` (JSON) to `EVERY_TYPE` gives, in Chinese
/// (message and help) and in English, with `strict` as asked.
fn chinese_error(facts: &str, strict: bool) -> (String, Option<String>, String) {
    let rulebook = Rulebook::compile("kinds.eco", EVERY_TYPE).unwrap_or_else(|e| panic!("{e}"));
    let audit = input(&format!(r#"{{"audit": {{"date": "2024-05-20"}}, "facts": {facts}}}"#));
    let Err(errors) = rulebook.bind(&audit, &ScoreOptions::strict(strict)) else { panic!("{facts} was accepted") };
    let e = errors.first().unwrap_or_else(|| panic!("no error"));
    // JSON for tools and bindings carries both.
    let info = e.to_info();
    assert_eq!((info.message_zh.as_deref(), info.help_zh.as_deref()), (e.message_zh(), e.help_zh()));
    assert_eq!(e.help().is_some(), e.help_zh().is_some(), "{facts}: help in one language only");
    let zh = e.message_zh().unwrap_or_else(|| panic!("{facts}: no Chinese for `{}`", e.message()));
    (zh.to_string(), e.help_zh().map(str::to_string), e.message().to_string())
}

#[test]
fn a_dimension_described_in_brackets_has_no_brackets_of_its_own() {
    let (zh, _, en) = chinese_error(r#"{"height": "15 mg/L"}"#, false);
    assert_eq!(
        en,
        "fact `height` expects a quantity in m, but the audit gives 15 mg/L (a concentration, mass per volume)"
    );
    assert_eq!(zh, "数据项 `height` 应为以 m 计的量，但审核给出 15 mg/L（浓度，质量/体积）");
}

#[test]
fn a_value_an_audit_gives_is_refused_in_chinese_too() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        (r#"{"height": "abc"}"#, "数据项 `height` 应为以 m 计的量，但审核给出 \"abc\"", None),
        (
            r#"{"height": "27 parsecs"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"27 parsecs\"",
            Some("未知单位 `parsecs`"),
        ),
        (
            r#"{"height": "27 M"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"27 M\"",
            Some("未知单位 `M`：是否应为 `m`？"),
        ),
        (
            r#"{"height": "15.m"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"15.m\"",
            Some("小数点两边都要有数字：应写作 \"15.0 m\""),
        ),
        (
            r#"{"height": "15,5 m"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"15,5 m\"",
            Some("小数点用 `.`，不用逗号：应写作 \"15.5 m\""),
        ),
        (r#"{"height": "15 kg"}"#, "数据项 `height` 应为以 m 计的量，但审核给出 15 kg（质量）", None),
        (r#"{"count": "3 m"}"#, "数据项 `count` 应为数值，但审核给出 3 m（长度）", None),
        (r#"{"height": "15 mg/L"}"#, "数据项 `height` 应为以 m 计的量，但审核给出 15 mg/L（浓度，质量/体积）", None),
        (
            r#"{"height": {"value": 15}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 一个对象",
            Some("量写作 {\"value\": 25, \"unit\": \"m\"}"),
        ),
        (
            r#"{"height": {"value": "15", "unit": "m"}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 {\"value\": \"15\", \"unit\": \"m\"}",
            Some("其 `value` 应为数值，而非 \"15\""),
        ),
        (
            r#"{"height": {"value": null, "unit": "m"}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 {\"value\": null, \"unit\": \"m\"}",
            Some("其 `value` 为 null：尚不知道时，不填此数据项"),
        ),
        (
            r#"{"height": {"value": 1e400, "unit": "m"}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 {\"value\": 1e400, \"unit\": \"m\"}",
            Some("数值按精确值保存：有效数字至多 30 位，各位数字须在 1e30 位与 1e-30 位之间"),
        ),
        (
            r#"{"height": {"value": 15, "unit": 1}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 {\"value\": 15, \"unit\": 1}",
            Some("其 `unit` 应为文本，如 \"m\""),
        ),
        (
            r#"{"height": {"value": 15, "unit": "m", "uncertainty": 1}}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 一个对象",
            Some("量只含 `value` 与 `unit`；`uncertainty` 不会被读取"),
        ),
        (
            r#"{"height": "２５ ｍ"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"２５ ｍ\"",
            Some("数字与符号请用半角：\"25 m\""),
        ),
        (
            r#"{"height": "25 ｍ"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"25 ｍ\"",
            Some("数字与符号请用半角：\"25 m\""),
        ),
        (
            r#"{"height": "1e40 m"}"#,
            "数据项 `height` 应为以 m 计的量，但审核给出 \"1e40 m\"，数值过大或位数过多，无法精确保存",
            Some("数值按精确值保存：有效数字至多 30 位，各位数字须在 1e30 位与 1e-30 位之间"),
        ),
        (
            r#"{"zone": "se"}"#,
            "数据项 `zone` 应为以下之一：sea（海域）、river，但审核给出 \"se\"",
            Some("是否应为 `sea`？"),
        ),
        (
            r#"{"valid": "yes"}"#,
            "数据项 `valid` 应为是或否（true 或 false），但审核给出 \"yes\"",
            Some("是否类数据项只接受不加引号的 true 或 false（Python 中为 True 或 False）：请先转换 1/0 或 是/否"),
        ),
        (
            r#"{"opened": "2024-02-30"}"#,
            "数据项 `opened` 应为日期（YYYY-MM-DD），但审核给出 \"2024-02-30\"",
            Some("日期写作 YYYY-MM-DD，且须是实有的日期"),
        ),
        (
            r#"{"opened": "2024-02-03T10:00:00"}"#,
            "数据项 `opened` 应为日期（YYYY-MM-DD），但审核给出 \"2024-02-03T10:00:00\"",
            Some("只写日期 YYYY-MM-DD：不读取时刻"),
        ),
        (
            r#"{"levels": [60, 71]}"#,
            "数据项 `levels` 应为列表，每项为以 dB(A) 计的量，不大于 70 dB(A)，但审核给出 第 2 项 71",
            None,
        ),
        (
            r#"{"levels": [60, null]}"#,
            "数据项 `levels` 应为列表，每项为以 dB(A) 计的量，不大于 70 dB(A)，但审核给出 第 2 项 null",
            Some("列表只含已知的项：去掉这一项；整个列表未知时，整体写 null"),
        ),
        (
            r#"{"levels": [1, 2, 3, "x"]}"#,
            "数据项 `levels` 应为列表，每项为以 dB(A) 计的量，不大于 70 dB(A)，但审核给出 第 4 项 \"x\"",
            None,
        ),
        (r#"{"levels": 60}"#, "数据项 `levels` 应为列表，每项为以 dB(A) 计的量，不大于 70 dB(A)，但审核给出 60", None),
        (
            r#"{"cover": 90}"#,
            "数据项 `cover` 应为数值，介于 0 与 1 之间（即 0 % 至 100 %），但审核给出 90",
            Some("比例写作小数或带 `%`：若 90 是百分数，请写作 \"90 %\""),
        ),
        (
            r#"{"drill": "2031-01-01"}"#,
            "数据项 `drill` 应为日期（YYYY-MM-DD），不晚于 2030-12-31，但审核给出 \"2031-01-01\"",
            None,
        ),
    ];
    for (facts, zh, help) in cases {
        let (got, got_help, en) = chinese_error(facts, false);
        assert_eq!((got.as_str(), got_help.as_deref()), (*zh, *help), "{facts} (English: {en})");
    }
}

#[test]
fn an_audit_s_other_mistakes_in_its_facts_are_said_in_chinese_too() {
    let twice = chinese_error(r#"{"site.size": 20, "site": {"size": 21}}"#, false);
    assert_eq!(
        (twice.0.as_str(), twice.1.as_deref()),
        ("数据项 `site.size` 给出了两次", Some("每个数据项只给一次：用带点的全名，或嵌套在其前缀之下"))
    );
    // Refused in strict mode, not "ignored" as the report's warning says.
    let strict = chinese_error(r#"{"heigth": 20}"#, true);
    assert_eq!(
        (strict.0.as_str(), strict.1.as_deref()),
        ("数据项 `heigth` 未在规则集 `kinds` 中声明", Some("是否应为 `height`？"))
    );
    let rulebook = Rulebook::compile("kinds.eco", EVERY_TYPE).unwrap_or_else(|e| panic!("{e}"));
    // ...and named as a fact, as a value of a declared one is, for tools.
    let audit = input(r#"{"audit": {"date": "2024-05-20"}, "facts": {"heigth": "20 m"}}"#);
    let errors =
        rulebook.bind(&audit, &ScoreOptions::strict(true)).err().unwrap_or_else(|| panic!("accepted in strict mode"));
    let problem = errors.first().and_then(|e| e.fact_problem()).map(|p| (&*p.fact, &*p.expected, &*p.given));
    assert_eq!(problem, Some(("heigth", "a fact rulebook `kinds` declares", "\"20 m\"")));
    let refused = |audit: &str| {
        let errors = rulebook.bind(&input(audit), &ScoreOptions::default()).err().unwrap_or_else(|| panic!("{audit}"));
        errors.first().and_then(|e| e.message_zh()).unwrap_or_else(|| panic!("{audit}: no Chinese")).to_string()
    };
    assert_eq!(
        refused(r#"{"audit": {"enterprise": [1, 2]}, "facts": {}}"#),
        "数据项 `audit.enterprise` 应为含 id 与 name 的对象，但审核给出 2 项的列表"
    );
    assert_eq!(
        refused(r#"{"audit": "A1", "facts": {}}"#),
        "数据项 `audit` 应为含 id、date 与 enterprise 的对象，但审核给出 \"A1\""
    );
    assert_eq!(refused(r#"{"facts": [1]}"#), "数据项 `facts` 应为由各数据项的值组成的对象，但审核给出 1 项的列表");
    let mut limits = Limits::default();
    limits.max_string_bytes = 4;
    let long = rulebook.fact_value(rulebook.fact_slot("audit.id").unwrap_or(0), &input(r#""鱼粉厂""#), &limits);
    let long = long.err().and_then(|e| e.first().cloned()).unwrap_or_else(|| panic!("a long id was accepted"));
    assert_eq!(long.message_zh(), Some("数据项 `audit.id` 应为至多 4 字节的文本，但审核给出 9 字节的文本"));
}

#[test]
fn json_that_ends_early_is_placed_after_its_last_character_in_the_message_fields_and_drawing() {
    let limits = Limits::default();
    // The JSON reader names the line after a final newline (`line 2 column
    // 0`) and counts bytes; the error counts characters on the line written.
    for (text, at) in
        [("{\"audit\": 1\n", (1, 12)), ("{\"a\": \"鱼粉\",\n  \"b\": [1, 2\n\n  \n", (2, 13)), ("{", (1, 2))]
    {
        let e = AuditInput::from_json_named("a.json", text, &limits).err().unwrap_or_else(|| panic!("{text:?}"));
        assert_eq!(e.line_col(), Some(at), "{text:?}");
        let (line, column) = at;
        assert!(e.message().ends_with(&format!(" at line {line} column {column}")), "{}", e.message());
        assert!(e.render(false).contains(&format!("a.json:{line}:{column}")), "{}", e.render(false));
    }
    // Elsewhere, columns count characters too.
    let e = AuditInput::from_json_named("b.json", "{\"鱼粉\": x}", &limits).err();
    assert_eq!(e.as_ref().and_then(ecorule::Error::line_col), Some((1, 8)));
    assert!(e.is_some_and(|e| e.message().ends_with(" at line 1 column 8")));
}

#[test]
fn an_audit_that_cannot_be_read_is_said_in_chinese_too() {
    let limits = Limits::default();
    let chinese = |error: ecorule::Error| {
        assert_eq!(error.help().is_some(), error.help_zh().is_some(), "{error}: help in one language only");
        error.message_zh().unwrap_or_else(|| panic!("no Chinese for `{error}`")).to_string()
    };
    let json = |text: &str| chinese(AuditInput::from_json(text, &limits).err().unwrap_or_else(|| panic!("{text}")));
    assert_eq!(json("  "), "审核为空");
    // The parser's own words stay as it writes them.
    assert_eq!(json(r#"{"facts": {"a": 1,}}"#), "审核不是有效的 JSON：trailing comma（第 1 行第 19 列）");
    assert_eq!(json("{"), "审核不是有效的 JSON：EOF while parsing an object（第 1 行第 2 列）");
    let toml = AuditInput::from_toml_named("a.toml", "facts = [", &limits)
        .err()
        .unwrap_or_else(|| panic!("bad TOML accepted"));
    assert!(chinese(toml).starts_with("审核不是有效的 TOML："));
    let mut small = Limits::default();
    small.max_audit_bytes = 8;
    let big = AuditInput::from_json(r#"{"facts": {}}"#, &small).err().unwrap_or_else(|| panic!("a big audit"));
    assert_eq!(chinese(big), "审核有 13 字节，超过 8 字节的上限");
    small = Limits::default();
    small.max_audit_values = 3;
    let many =
        AuditInput::from_json(r#"{"facts": {"levels": [1, 2, 3]}}"#, &small).err().unwrap_or_else(|| panic!("many"));
    assert_eq!(chinese(many.clone()), "审核所含的值超过 3 个的上限");
    assert_eq!(
        many.help_zh(),
        Some("`facts.levels` 所含最多，有 4 个值；嵌入 ecorule 的程序可以调高 `Limits::max_audit_values`")
    );
    let rulebook = Rulebook::compile("kinds.eco", EVERY_TYPE).unwrap_or_else(|e| panic!("{e}"));
    let errors = rulebook.bind(&input("[1, 2]"), &ScoreOptions::default()).err().unwrap_or_else(|| panic!("a list"));
    let first = errors.first().cloned().unwrap_or_else(|| panic!("no error"));
    assert_eq!(chinese(first), "审核应为含 `audit` 与 `facts` 的对象，而非 2 项的列表");
}

/// A batch's audit gives the warnings its report gives: a value on the
/// other volume basis, no clause that may apply, a date before the
/// rulebook is in force, a date counted since after the audit's; none for
/// the usual audit.
#[test]
fn a_batch_audits_warnings_are_its_reports() {
    let source = r#"rulebook dated "示例" {
  effective 2024-01-01
  facts {
    boundary.nh3: quantity mg/m³ min 0 "厂界氨"
    site.enclosed: bool "密闭"
    drill.last: date "最近演练"
  }
  scoring { scale 2 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" {
    clause C "氨" points 1 { when not site.enclosed require boundary.nh3 <= 1.5 mg/m³ }
    clause D "演练" points 1 { when not site.enclosed require drill.last >= audit.date - 1 a }
  }
}"#;
    let rulebook = Rulebook::compile("dated.eco", source).unwrap_or_else(|e| panic!("{e}"));
    let options = ScoreOptions::default();
    let audits = [
        (r#""2024-05-20""#, r#""1 mg/m³""#, "false", r#""2024-05-20""#),
        (r#""2024-05-20""#, r#""0.001 mg/L""#, "false", r#""2024-01-01""#),
        (r#""2023-12-31""#, r#""1 mg/m³""#, "true", r#""2024-01-01""#),
    ];
    let value = |name: &str, json: &str| rulebook.fact_value(slot(&rulebook, name), &input(json), &Limits::default());
    let column_of = |name: &str, i: usize| {
        let values = audits.iter().map(|a| value(name, [a.0, a.1, a.2, a.3][i])).collect();
        column(slot(&rulebook, name), &[Some(0), Some(1), Some(2)], values)
    };
    let columns = vec![
        column_of("audit.date", 0),
        column_of("boundary.nh3", 1),
        column_of("site.enclosed", 2),
        column_of("drill.last", 3),
    ];
    let batch = rulebook.batch(3, columns).unwrap_or_else(|e| panic!("{e}"));
    for (row, (date, nh3, enclosed, drill)) in audits.iter().enumerate() {
        let summary = rulebook.summarize_row(&batch, row, &options).unwrap_or_else(|e| panic!("{e}"));
        let warnings = rulebook.row_warnings(&batch, row, &summary);
        let audit = format!(
            r#"{{"audit": {{"date": {date}}}, "facts": {{"boundary.nh3": {nh3}, "site.enclosed": {enclosed}, "drill.last": {drill}}}}}"#
        );
        let report = rulebook.score(&input(&audit), &options).unwrap_or_else(|e| panic!("{e}"));
        let en: Vec<&str> = warnings.iter().map(|w| w.en.as_str()).collect();
        let zh: Vec<&str> = warnings.iter().map(|w| w.zh.as_str()).collect();
        assert_eq!(en, report.warnings().iter().map(String::as_str).collect::<Vec<_>>(), "audit {row}");
        assert_eq!(
            zh,
            report.warnings_zh().unwrap_or_default().iter().map(String::as_str).collect::<Vec<_>>(),
            "audit {row}"
        );
        assert_eq!(en.len(), [0, 1, 3][row], "audit {row}: {en:?}");
    }
}

const LAB_SHEET: &str = r#"
rulebook lab "化验单" en "Lab sheet" {
  facts {
    oil: quantity mg/L "石油类" en "oil"
    dust: quantity mg/m³ "颗粒物" en "dust"
    flow: quantity m³/d "处理能力" en "capacity"
    tank: quantity L "容积" en "tank"
    cod: number "化学需氧量" en "COD"
    retention: quantity d "保存期限" en "retention"
    dryer: enum {
      low_temp "低温干燥(桨叶+闪蒸等)" en "low-temperature drying (paddle + flash)",
      steam_direct "蒸汽直接烘干" en "direct steam drying",
      steam_indirect "蒸汽间接烘干" en "indirect steam drying"
    } "干燥方式" en "dryer"
  }
  scoring { scale 1 grade a "甲" otherwise verdict standardize "规范" otherwise }
  area A1 "一" {
    clause C1 "一" points 1 {
      require oil <= 5 mg/L and dust <= 20 mg/m³ and flow >= 100 m³/d and tank >= 1 L and cod <= 100
        and retention >= 365 d and dryer == low_temp
    }
  }
}"#;

/// The help (English, Chinese) for `value` given for `fact` of `LAB_SHEET`.
fn lab_help(fact: &str, value: &str) -> (String, String) {
    let facts = format!("{{{}: {}}}", serde_json::json!(fact), serde_json::json!(value));
    let errors = binding_errors(LAB_SHEET, &facts);
    let e = errors.first().unwrap_or_else(|| panic!("{fact} = {value} was accepted"));
    let help = |h: Option<&str>| h.unwrap_or_else(|| panic!("{fact} = {value}: no help for `{e}`")).to_string();
    (help(e.help()), help(e.help_zh()))
}

#[test]
fn a_lab_sheet_s_notations_are_told_what_to_give_instead() {
    let advice = "ecorule has no value for below the detection limit: give the measured value";
    let undecided = "or leave the fact out so that the clauses it decides stay undecided";
    let advice_zh = "ecorule 没有“低于检出限”这种值：请按主管部门的要求填实测值";
    for nd in ["ND", "nd", "N.D.", "未检出", "ND (<0.5)"] {
        let (en, zh) = lab_help("oil", nd);
        assert!(en.contains("means not detected") && en.contains(advice) && en.ends_with(undecided), "{nd}: {en}");
        assert!(zh.contains("表示未检出（低于检出限）") && zh.contains(advice_zh), "{nd}: {zh}");
    }
    let (en, zh) = lab_help("oil", "<0.5 mg/L");
    assert_eq!(
        en,
        format!(
            "`<` marks a bound, not a value: if 0.5 mg/L is the detection limit, {advice} or the detection limit \"0.5 mg/L\", as your regulator requires, {undecided}"
        )
    );
    assert_eq!(
        zh,
        format!(
            "`<` 表示界限而非数值：若 0.5 mg/L 是检出限，{advice_zh}或检出限 \"0.5 mg/L\"；或不填此数据项，由它判定的条款暂不判定"
        )
    );
    // Without a unit, the fact's; a number fact has none.
    assert!(lab_help("oil", "≤20").0.starts_with("`≤` marks a bound, not a value: if 20 mg/L is the detection limit"));
    assert!(lab_help("cod", "<=20").0.starts_with("`<=` marks a bound, not a value: if 20 is the detection limit"));
    assert_eq!(lab_help("oil", "> 5 mg/L").1, "`>` 表示界限而非数值：请填实测值");
    // HJ's `L` after the detection limit, with or without the unit after it.
    let (en, zh) = lab_help("oil", "0.025L mg/L");
    assert!(
        en.starts_with("`0.025L` is how HJ monitoring standards mark a result below the detection limit of 0.025; ")
    );
    assert!(en.contains("or the detection limit \"0.025 mg/L\""), "{en}");
    assert!(zh.starts_with("`0.025L` 是 HJ 监测标准中“低于检出限 0.025”的写法；"), "{zh}");
    // Not 0.5 litres: a concentration given as a volume is refused, and why said.
    let errors = binding_errors(LAB_SHEET, r#"{"oil": "0.5L"}"#);
    let e = errors.first().unwrap_or_else(|| panic!("0.5L accepted"));
    assert!(e.message().ends_with("but the audit gives 0.5 L (a volume)"), "{e}");
    assert!(e.help().is_some_and(|h| h.contains("below the detection limit of 0.5; ") && h.contains("\"0.5 mg/L\"")));
    assert!(lab_help("dust", "0.5L").0.contains("\"0.5 mg/m³\""));
    // With a space it is litres: for a volume, taken; for another fact, no HJ help.
    assert!(binding_errors(LAB_SHEET, r#"{"tank": "0.5L", "oil": "0.5 mg/L"}"#).is_empty());
    assert!(binding_errors(LAB_SHEET, r#"{"tank": "0.5 L"}"#).is_empty());
    let litres = binding_errors(LAB_SHEET, r#"{"oil": "0.5 L"}"#);
    assert_eq!(litres.first().map(|e| e.help()), Some(None), "{litres:?}");
}

#[test]
fn thousands_spaces_unit_characters_and_chinese_unit_names_are_told_how_to_write_them() {
    assert_eq!(
        lab_help("flow", "1 000 m³/d"),
        (
            "a number has no thousands separators: write \"1000 m³/d\"".to_string(),
            "数字不用千位分隔符：应写作 \"1000 m³/d\"".to_string()
        )
    );
    assert_eq!(
        lab_help("flow", "12 500 000.5 m³/d").0,
        "a number has no thousands separators: write \"12500000.5 m³/d\""
    );
    assert_eq!(lab_help("cod", "1 000").0, "a number has no thousands separators: write \"1000\"");
    assert_eq!(lab_help("flow", "1\u{202f}000 m³/d").0, "a number has no thousands separators: write \"1000 m³/d\"");
    // Compatibility characters for units, as a word processor writes them.
    assert_eq!(
        lab_help("oil", "18 ㎎/L"),
        (
            "write the unit in letters, not as one character: \"18 mg/L\"".to_string(),
            "单位请用字母书写，不用单个组合字符：应写作 \"18 mg/L\"".to_string()
        )
    );
    assert_eq!(lab_help("flow", "200 ㎥/d").0, "write the unit in letters, not as one character: \"200 m³/d\"");
    assert_eq!(lab_help("dust", "２５ ㎎/㎥").1, "数字与符号请用半角：\"25 mg/m³\"");
    // Chinese unit names.
    assert_eq!(
        lab_help("dust", "25 毫克/立方米"),
        ("write the unit as its symbol: \"25 mg/m³\"".to_string(), "单位请用符号书写：应写作 \"25 mg/m³\"".to_string())
    );
    assert_eq!(lab_help("oil", "0.5毫克/升").0, "write the unit as its symbol: \"0.5 mg/L\"");
    assert_eq!(lab_help("retention", "3年").0, "write the unit as its symbol: \"3 a\"");
    assert_eq!(lab_help("flow", "500 立方米每天").0, "write the unit as its symbol: \"500 m³/d\"");
}

#[test]
fn an_enum_answered_with_its_label_is_told_the_code() {
    let meant = |en: &str, zh: &str| {
        (
            format!("give the code, not the label: did you mean `low_temp` ({en})?"),
            format!("请填代码而非名称：是否应为 `low_temp`（{zh}）？"),
        )
    };
    let low = meant("low-temperature drying (paddle + flash)", "低温干燥(桨叶+闪蒸等)");
    assert_eq!(lab_help("dryer", "低温干燥(桨叶+闪蒸等)"), low);
    assert_eq!(lab_help("dryer", "低温干燥"), low);
    assert_eq!(lab_help("dryer", "Low-temperature drying (paddle + flash)"), low);
    // The start of two labels is no answer; a misspelt code, the closest.
    let two = binding_errors(LAB_SHEET, r#"{"dryer": "蒸汽"}"#);
    assert!(two.first().is_some_and(|e| !e.help().is_some_and(|h| h.contains("not the label"))), "{two:?}");
    assert_eq!(lab_help("dryer", "low_tmp").0, "did you mean `low_temp`?");
}

/// The table of fact types in `docs/language.md`: each row's type (the
/// last one written in its first cell) and the code spans of its "reads"
/// and "refuses" cells.
fn documented_values() -> Vec<(String, Vec<String>, Vec<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/language.md");
    let docs = std::fs::read_to_string(path).unwrap();
    let spans = |cell: &str| -> Vec<String> { cell.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    let mut lines = docs.lines().skip_while(|l| !l.starts_with("| type | reads | refuses |")).skip(2);
    let mut rows = Vec::new();
    while let Some(line) = lines.next().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        let [ty, reads, refuses] = cells.as_slice() else { panic!("not three cells: {line}") };
        let ty = spans(ty).pop().unwrap_or_else(|| panic!("no type in {line}"));
        rows.push((ty, spans(reads), spans(refuses)));
    }
    rows
}

/// Each example of the table is given as the value of a fact of its row's
/// type: a "reads" one must score, a "refuses" one must fail with an error
/// naming the fact.
#[test]
fn every_value_the_docs_say_a_type_reads_or_refuses_is_read_or_refused() {
    let rows = documented_values();
    let types: Vec<&str> = rows.iter().map(|(ty, _, _)| ty.as_str()).collect();
    for ty in ["bool", "number", "count", "text", "date", "duration"] {
        assert!(types.contains(&ty), "docs/language.md's table of types has no `{ty}` row: {types:?}");
    }
    let mut drift = Vec::new();
    for (ty, reads, refuses) in &rows {
        assert!(!reads.is_empty() && !refuses.is_empty(), "`{ty}`: no examples");
        let source = format!(
            "rulebook t \"t\" {{\n  facts {{ f: {ty} \"f\" }}\n  scoring {{ scale 1 grade a \"a\" otherwise verdict v \"v\" \
             otherwise }}\n  area A1 \"一\" {{ clause C1 \"一\" points 1 {{ require audit.id == \"A\" }} }}\n}}"
        );
        let rulebook = Rulebook::compile("types.eco", &source).unwrap_or_else(|e| panic!("`{ty}`: {e}"));
        let score = |value: &str| {
            assert!(serde_json::from_str::<serde_json::Value>(value).is_ok(), "`{ty}`: `{value}` is not JSON");
            let audit = format!(r#"{{"audit": {{"id": "A", "date": "2024-05-20"}}, "facts": {{"f": {value}}}}}"#);
            let options = ScoreOptions::default();
            let input = AuditInput::from_json(&audit, &options.limits).map_err(|e| ecorule::Errors::new(vec![e]))?;
            rulebook.score(&input, &options)
        };
        for value in reads {
            if let Err(e) = score(value) {
                drift.push(format!("`{ty}` reads `{value}`, but: {e}"));
            }
        }
        for value in refuses {
            match score(value) {
                Ok(_) => drift.push(format!("`{ty}` refuses `{value}`, but it scored")),
                Err(errors) if !errors.iter().any(|e| e.fact_problem().is_some_and(|p| p.fact == "f")) => {
                    drift.push(format!("`{ty}` refuses `{value}`, but the error does not name the fact: {errors}"));
                }
                Err(_) => {}
            }
        }
    }
    assert!(drift.is_empty(), "docs/language.md says:\n{}", drift.join("\n"));
}

//! The audit schema (`ecorule schema`) against binding: every bundled
//! sample audit validates against its rulebook's schema, and the schema
//! accepts a fact key, flat, nested or mixed, exactly when binding does.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use ecorule::{Rulebook, ScoreOptions, audit_schema};
use serde_json::{Value, json};

fn validator(rulebook: &Rulebook) -> jsonschema::Validator {
    let schema = audit_schema(rulebook);
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the schema of `{}` is not a valid JSON Schema: {e}", rulebook.id());
    }
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("schema of `{}`: {e}", rulebook.id()))
}

/// Each bundled rulebook folder with sample audits: the rulebook, and its
/// audits without the `*.expected.json` beside them.
fn samples() -> Vec<(PathBuf, Vec<PathBuf>)> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let list = |dir: &Path| -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        paths
    };
    let mut found = Vec::new();
    for dir in list(&rules) {
        let audits = dir.join("audits");
        if !audits.is_dir() {
            continue;
        }
        let book = list(&dir).into_iter().find(|p| p.extension().is_some_and(|x| x == "eco"));
        let audits: Vec<PathBuf> = list(&audits)
            .into_iter()
            .filter(|p| {
                let name = p.to_string_lossy();
                name.ends_with(".json") && !name.ends_with(".expected.json")
            })
            .collect();
        found.push((book.unwrap_or_else(|| panic!("no rulebook in {}", dir.display())), audits));
    }
    found
}

fn compile(path: &Path) -> Rulebook {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    Rulebook::compile(&path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("{} does not compile:\n{}", path.display(), e.render(false)))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_bundled_sample_audit_fits_its_rulebooks_schema() {
    let mut checked = 0;
    for (book, audits) in samples() {
        let validator = validator(&compile(&book));
        for path in audits {
            let audit = read_json(&path);
            let errors: Vec<String> =
                validator.iter_errors(&audit).map(|e| format!("{} at {}", e, e.instance_path())).collect();
            assert!(
                errors.is_empty(),
                "{} does not fit the schema of {}:\n{}",
                path.display(),
                book.display(),
                errors.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 26, "only {checked} sample audits found");
}

#[test]
fn unknown_facts_and_wrong_types_do_not_fit() {
    let (book, audits) = samples().into_iter().find(|(b, _)| b.ends_with("fishmeal.eco")).unwrap();
    let validator = validator(&compile(&book));
    let audit = read_json(audits.first().unwrap());
    assert!(validator.is_valid(&audit));
    let cases = [
        ("permit.colour", json!("blue")),
        ("colour", json!("blue")),
        ("permit", json!({"valid_until": "2027-06-30", "colour": "blue"})),
        ("permit", json!({"valid_until": 20270630})),
        ("permit", json!("2027-06-30")),
        ("permit.valid_until", json!(true)),
        ("permit.outfalls_match", json!("yes")),
        ("site", json!({"receptor_distance": {"value": 450}})),
    ];
    for (key, value) in cases {
        let mut bad = audit.clone();
        bad["facts"][key] = value.clone();
        assert!(!validator.is_valid(&bad), "`{key}`: {value} should not fit");
    }
}

/// Facts that nest every way binding reads them: a quantity whose value
/// is an object, a three-part name, a prefix with facts named `value`
/// and `unit`, and a fact whose name is also a prefix.
const NESTED: &str = r#"
rulebook nested "嵌套" {
  facts {
    stack.height: quantity m "高度"
    stack.open: bool "开"
    a.b.c: number "c"
    q.value: number "值"
    q.unit: text "单位"
    x: bool "x"
    x.y: bool "y"
  }
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade fail "不合格" otherwise
    verdict done "完" otherwise
  }
  area A1 "区" {
    clause C1 "高" points 10 { require stack.height >= 15 m and a.b.c > 0 and q.value > 0 and x and x.y and stack.open }
  }
}"#;

#[test]
fn the_schema_accepts_a_fact_key_exactly_when_binding_does() {
    let rulebook = Rulebook::compile("nested.eco", NESTED).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let validator = validator(&rulebook);
    // `true`: binding takes it, in strict mode, with no warning.
    let cases = [
        (json!({"stack.height": 25, "stack.open": true}), true),
        (json!({"stack": {"height": "25 m", "open": null}}), true),
        (json!({"stack": {"height": {"value": 25, "unit": "m"}}}), true),
        (json!({"stack": {}}), true),
        (json!({"a.b.c": 1}), true),
        (json!({"a": {"b.c": 1}}), true),
        (json!({"a.b": {"c": 1}}), true),
        (json!({"a": {"b": {"c": 1}}}), true),
        (json!({"q.value": 1, "q.unit": "m"}), true),
        (json!({"q": {"value": 1}}), true),
        (json!({"x": true, "x.y": false}), true),
        // A prefix object with `value` and `unit` is read as a quantity.
        (json!({"q": {"value": 1, "unit": "m"}}), false),
        // `x` is a fact, so an object under it is its value.
        (json!({"x": {"y": true}}), false),
        (json!({"stack": {"height": 25, "colour": "red"}}), false),
        (json!({"stack": 25}), false),
        (json!({"stack": null}), false),
        (json!({"stack": {"open": "yes"}}), false),
        (json!({"stack": {"height": {"value": 25}}}), false),
        (json!({"a": {"b": {"d": 1}}}), false),
        (json!({"a": {"b.d": 1}}), false),
        (json!({"b": {"c": 1}}), false),
        (json!({"audit": {"date": "2024-05-20"}}), false),
        (json!({"audit.date": "2024-05-20"}), false),
    ];
    for (facts, binds) in cases {
        let audit = json!({"audit": {"id": "A1", "date": "2024-05-20"}, "facts": facts});
        let bound = rulebook.score_json(&audit.to_string(), &ScoreOptions::strict(true));
        let bound = bound.is_ok_and(|report| report.warnings().is_empty());
        assert_eq!(bound, binds, "binding {facts}");
        assert_eq!(validator.is_valid(&audit), binds, "the schema on {facts}");
    }
}

#[test]
fn the_schema_takes_the_audit_shapes_binding_takes() {
    let rulebook = Rulebook::compile("nested.eco", NESTED).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let validator = validator(&rulebook);
    let cases = [
        json!({"$schema": "https://example.org/audit.json", "facts": {"stack.height": "+27 m"}}),
        json!({"audit": null, "facts": null}),
        json!({"audit": {"id": null, "date": null, "enterprise": null}, "facts": {}}),
        json!({"audit": {"enterprise": {"id": 7, "name": null, "region": null, "staff": 40}}, "facts": {}}),
        json!({"facts": {"stack.height": "1800 cm", "a.b.c": " 2 "}}),
    ];
    for audit in cases {
        let report = rulebook.score_json(&audit.to_string(), &ScoreOptions::strict(true));
        assert!(report.is_ok_and(|r| r.warnings().is_empty()), "binding {audit}");
        let errors: Vec<String> = validator.iter_errors(&audit).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "the schema on {audit}: {errors:?}");
    }
}

#[test]
fn help_in_both_languages_reaches_the_schema_and_the_fact_information() {
    let source = r#"rulebook h "帮助" en "Help" {
  facts {
    both: number "两种" en "both" help "填小数" en "a fraction"
    one: number "一种" en "one" help "只有中文"
    none: number "无" en "none"
  }
  scoring { scale 1 grade g "合格" otherwise verdict v "规范" otherwise }
  area A "甲" { clause C "乙" points 1 { require both + one + none > 0 } }
}"#;
    let rulebook = Rulebook::compile("h.eco", source).unwrap_or_else(|e| panic!("{e}"));
    let help: Vec<_> = rulebook.info().facts.into_iter().map(|f| f.help.map(|h| (h.zh, h.en))).collect();
    let text = |zh: &str, en: &str| Some((zh.to_string(), en.to_string()));
    assert_eq!(help, [text("填小数", "a fraction"), text("只有中文", ""), None]);
    let schema = audit_schema(&rulebook);
    let described = |name: &str| schema["properties"]["facts"]["properties"][name].get("description").cloned();
    assert_eq!(described("both"), Some(json!("填小数 (a fraction)")));
    assert_eq!(described("one"), Some(json!("只有中文")));
    assert_eq!(described("none"), None);
}

#[test]
fn a_list_with_a_gap_is_refused_by_binding_and_by_the_schema() {
    // One null among readings once made the whole list unknown, so the
    // report said the series was "not given"; the schema allowed it.
    let source = r#"rulebook g "缺" {
  facts { xs: list quantity mg/m³ "读数" }
  scoring { scale 1 grade g "合格" otherwise verdict v "规范" otherwise }
  area A "甲" { clause C "乙" points 1 { require count(xs) > 0 } }
}"#;
    let rulebook = Rulebook::compile("g.eco", source).unwrap_or_else(|e| panic!("{e}"));
    let validator = validator(&rulebook);
    let gap = json!({"facts": {"xs": [1, "2 mg/m3", null, 4]}});
    assert!(!validator.is_valid(&gap));
    let errors = rulebook.score_json(&gap.to_string(), &ScoreOptions::default()).err().unwrap();
    let info = errors.to_info().into_iter().next().unwrap();
    let problem = info.fact.unwrap();
    assert_eq!((problem.fact.as_str(), problem.given.as_str()), ("xs", "null at position 3"));
    assert!(info.help.unwrap_or_default().contains("leave this one out"));
    // Without the gap, or with the whole list null (unknown), both take it.
    for fine in [json!({"facts": {"xs": [1, "2 mg/m3", 4]}}), json!({"facts": {"xs": null}})] {
        assert!(validator.is_valid(&fine), "{fine}");
        assert!(rulebook.score_json(&fine.to_string(), &ScoreOptions::default()).is_ok(), "{fine}");
    }
}

/// A fact of each kind binding reads from text (with codes that are not
/// plain words), for the parity tables below.
const KINDS: &str = r#"
rulebook kinds "种类" {
  facts {
    note: text "备注"
    level: number "数"
    height: quantity m "高"
    kind: enum { spray "喷", "a.b" "点", "x+(y)" "加", "2" "二" } "类"
    since: date "日"
  }
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade fail "不合格" otherwise
    verdict done "完" otherwise
  }
  area A1 "区" {
    clause C1 "数" points 10 { require level > 0 }
  }
}"#;

/// Each case's audit checked by binding (strict, warnings allowed) and by
/// the schema: both must give the case's answer, and so each other's.
fn assert_parity(cases: Vec<(Value, bool)>) {
    let rulebook = Rulebook::compile("kinds.eco", KINDS).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let validator = validator(&rulebook);
    let mut wrong = Vec::new();
    for (audit, takes) in cases {
        let scored = rulebook.score_json(&audit.to_string(), &ScoreOptions::strict(true)).is_ok();
        let valid = validator.is_valid(&audit);
        if (scored, valid) != (takes, takes) {
            let mut shown = audit.to_string();
            if shown.len() > 120 {
                shown = format!("{}… ({} bytes)", shown.chars().take(100).collect::<String>(), shown.len());
            }
            wrong.push(format!("{shown}: expected {takes}, binding {scored}, schema {valid}"));
        }
    }
    assert!(wrong.is_empty(), "binding and the schema disagree:\n{}", wrong.join("\n"));
}

fn facts(facts: Value) -> Value {
    json!({"audit": {"id": "A1", "date": "2024-05-20"}, "facts": facts})
}

#[test]
fn the_schema_refuses_the_texts_and_numbers_past_binding_limits() {
    let (at_limit, over) = ("a".repeat(65_536), "a".repeat(65_537));
    let spaces = " ".repeat(65_536);
    let cases = vec![
        (facts(json!({"note": at_limit})), true),
        (facts(json!({"note": over})), false),
        (json!({"$schema": over, "facts": {}}), false),
        (json!({"audit": {"id": over}, "facts": {}}), false),
        // Padding binding would leave out, were the text not too long.
        (facts(json!({"height": format!("25 m{spaces}")})), false),
        (facts(json!({"kind": format!("spray{spaces}")})), false),
        (facts(json!({"since": format!("2024-05-20{spaces}")})), false),
        // A number binding holds is below 10^31 in size.
        (facts(json!({"level": 9e30})), true),
        (facts(json!({"level": -9e30})), true),
        (facts(json!({"level": 1e31})), false),
        (facts(json!({"level": -1e31})), false),
        (facts(json!({"height": 1e31})), false),
        (facts(json!({"height": {"value": 9e30, "unit": "m"}})), true),
        (facts(json!({"height": {"value": 1e31, "unit": "m"}})), false),
        (json!({"audit": {"id": 9e30}, "facts": {}}), true),
        (json!({"audit": {"id": 1e31}, "facts": {}}), false),
    ];
    assert_parity(cases);
}

#[test]
fn the_schema_takes_the_padding_binding_leaves_out_and_no_other() {
    let cases = vec![
        // Quantities: Unicode's white space around, as `str::trim` has it.
        (facts(json!({"height": " 25 m"})), true),
        (facts(json!({"height": "25 m\n"})), true),
        (facts(json!({"height": "\n25\t"})), true),
        (facts(json!({"height": "\u{85}25 m"})), true),
        (facts(json!({"height": "\u{3000}25 m\u{2028}"})), true),
        (facts(json!({"height": "\u{feff}25 m"})), false),
        (facts(json!({"height": "007 m"})), true),
        (facts(json!({"height": "+2.5e1 m"})), true),
        (facts(json!({"height": "25m"})), true),
        // The number ends where its characters do: these are no numbers.
        (facts(json!({"height": "2em"})), false),
        (facts(json!({"height": "25-m"})), false),
        (facts(json!({"height": "25.m"})), false),
        (facts(json!({"height": "15,5 m"})), false),
        // Codes, as written or with white space around.
        (facts(json!({"kind": "spray"})), true),
        (facts(json!({"kind": " spray"})), true),
        (facts(json!({"kind": "spray\r\n"})), true),
        (facts(json!({"kind": "\u{85}a.b\u{a0}"})), true),
        (facts(json!({"kind": " x+(y) "})), true),
        (facts(json!({"kind": " 2 "})), true),
        (facts(json!({"kind": 2})), true),
        (facts(json!({"kind": "\u{feff}spray"})), false),
        (facts(json!({"kind": "aXb"})), false),
        (facts(json!({"kind": "xx+(y)"})), false),
        (facts(json!({"kind": "spray spray"})), false),
        // Dates, the same.
        (facts(json!({"since": " 2024-05-20 "})), true),
        (facts(json!({"since": "2024-05-20\r\n"})), true),
        (json!({"audit": {"date": "\u{3000}2024-05-20"}, "facts": {}}), true),
        (facts(json!({"since": "\u{feff}2024-05-20"})), false),
        (facts(json!({"since": "2024-05-20 00:00:00"})), false),
        (facts(json!({"since": "2024-05-20T00:00:00Z"})), false),
        (json!({"audit": {"date": "yesterday"}, "facts": {}}), false),
    ];
    // Each character to U+3000, and U+FEFF, before a quantity: white
    // space to binding, a sign or a digit of the number, or neither.
    let mut cases = cases;
    for c in ('\0'..='\u{3000}').chain(['\u{feff}']) {
        let takes = c.is_whitespace() || c.is_ascii_digit() || c == '+' || c == '-';
        cases.push((facts(json!({"height": format!("{c}25 m")})), takes));
    }
    assert_parity(cases);
}

#[test]
fn the_schema_takes_a_date_exactly_when_binding_does() {
    let mut cases = Vec::new();
    for year in ["0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "2100", "9999"] {
        for month in 0..=13 {
            for day in 0..=32 {
                let date = format!("{year}-{month:02}-{day:02}");
                let exists = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").is_ok();
                cases.push((facts(json!({"since": date})), exists));
            }
        }
    }
    for odd in ["2024-5-20", "24-05-20", "2024/05/20", "+2024-05-20", "20240520", "２０２４-05-20", ""] {
        cases.push((facts(json!({"since": odd})), false));
    }
    assert_parity(cases);
}

#[test]
fn the_schema_takes_an_enterprise_exactly_when_binding_does() {
    let enterprise = |e: Value| json!({"audit": {"date": "2024-05-20", "enterprise": e}, "facts": {}});
    let over = "a".repeat(65_537);
    let cases = vec![
        (
            enterprise(json!({"id": "E1", "name": "厂", "region": "闽", "staff": 40, "listed": true, "note": null})),
            true,
        ),
        (enterprise(json!({"id": 7, "name": null})), true),
        (enterprise(json!(null)), true),
        (enterprise(json!({"id": 9e30, "staff": -9e30})), true),
        (enterprise(json!({"id": 1e31})), false),
        (enterprise(json!({"staff": 1e31})), false),
        (enterprise(json!({"staff": -1e31})), false),
        (enterprise(json!({"name": over})), false),
        (enterprise(json!({"region": over})), false),
        (enterprise(json!({over.clone(): 1})), false),
        (enterprise(json!({"name": 5})), false),
        (enterprise(json!({"id": true})), false),
        (enterprise(json!({"staff": [40]})), false),
        (enterprise(json!({"staff": {"value": 40}})), false),
        (enterprise(json!(["E1"])), false),
        (enterprise(json!("E1")), false),
    ];
    assert_parity(cases);
}

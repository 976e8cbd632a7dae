//! The meaning of the language, one behaviour per test: statuses, Kleene
//! logic, units, look-up rules, dates, scoring policies, bounds and audit
//! errors.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ecorule::{ErrorKind, Report, Rulebook, ScoreOptions, Status};

/// A rulebook with the given facts, scoring lines and clauses (one area).
fn book(facts: &str, scoring: &str, clauses: &str) -> Rulebook {
    let source = format!(
        "rulebook t \"测试\" en \"test\" {{\n  use gb14554, gb8978\n  facts {{ {facts} }}\n  scoring {{\n{scoring}\n  }}\n  area A \"区\" en \"area\" {{\n{clauses}\n  }}\n}}\n"
    );
    match Rulebook::compile("t.eco", &source) {
        Ok(r) => r,
        Err(e) => panic!("rulebook does not compile:\n{}\n{source}", e.render(false)),
    }
}

const GRADES: &str = "grade ok \"合格\" when score >= 6\n grade bad \"不合格\" otherwise\n verdict ban \"取缔\" when vetoed\n verdict rectify \"整治\" when score < 6\n verdict standardize \"规范\" otherwise";

/// Grades and verdicts that read no score, for a scale other than 10
/// (the checker refuses a threshold past the scale).
const ANY_SCALE: &str = "grade ok \"合格\" when not vetoed\n grade bad \"不合格\" otherwise\n verdict ban \"取缔\" when vetoed\n verdict standardize \"规范\" otherwise";

fn score(rulebook: &Rulebook, facts: &str) -> Report {
    let audit = format!("{{\"audit\": {{\"id\": \"A1\", \"date\": \"2024-05-20\"}}, \"facts\": {facts}}}");
    match rulebook.score_json(&audit, &ScoreOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("audit does not score: {e}\n{audit}"),
    }
}

fn status(report: &Report, id: &str) -> Status {
    report.clause(id).map(|c| c.status()).unwrap_or(Status::Unknown)
}

fn num(text: &str) -> ecorule::Num {
    ecorule::Num::parse(text).unwrap_or(ecorule::Num::ZERO)
}

fn one_clause(facts: &str, clause_body: &str) -> Rulebook {
    book(facts, &format!("scale 10\n{GRADES}"), &format!("clause C \"c\" points 10 {{ {clause_body} }}"))
}

#[test]
fn each_status() {
    let r = one_clause("x: number \"x\" applies: bool \"a\"", "when applies require x >= 10 partial 0.5 when x >= 5");
    assert_eq!(status(&score(&r, r#"{"x": 12, "applies": true}"#), "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"x": 7, "applies": true}"#), "C"), Status::Partial);
    assert_eq!(status(&score(&r, r#"{"x": 1, "applies": true}"#), "C"), Status::Fail);
    assert_eq!(status(&score(&r, r#"{"x": 1, "applies": false}"#), "C"), Status::NotApplicable);
    assert_eq!(status(&score(&r, r#"{"applies": true}"#), "C"), Status::Unknown);
    let partial = score(&r, r#"{"x": 7, "applies": true}"#);
    assert_eq!(partial.score, Some(num("5")));
}

#[test]
fn each_status_is_explained_in_english_and_in_chinese_quoting_the_same_values() {
    let r = one_clause("x: number \"x\" applies: bool \"a\"", "when applies require x >= 10 partial 0.5 when x >= 5");
    let explained = |facts: &str| {
        let report = score(&r, facts);
        let c = report.clause("C").unwrap();
        (c.explanation().to_string(), c.explanation_zh().unwrap().to_string())
    };
    let cases = [
        (
            r#"{"x": 12, "applies": true}"#,
            "meets `x >= 10` (applies = true; x = 12)",
            "满足 `x >= 10`（applies = true；x = 12）",
        ),
        (
            r#"{"x": 7, "applies": true}"#,
            "fails `x >= 10`; partial credit 0.5 for `x >= 5` (applies = true; x = 7)",
            "不满足 `x >= 10`；按分值的 0.5 计分，因满足 `x >= 5`（applies = true；x = 7）",
        ),
        (
            r#"{"x": 1, "applies": true}"#,
            "fails `x >= 10` (applies = true; x = 1)",
            "不满足 `x >= 10`（applies = true；x = 1）",
        ),
        (
            r#"{"x": 1, "applies": false}"#,
            "not applicable: `applies` does not hold (applies = false)",
            "不适用：`applies` 不成立（applies = false）",
        ),
        (r#"{"applies": true}"#, "undecided: `x` not given (applies = true)", "待定：未提供 `x`（applies = true）"),
        (r#"{}"#, "undecided: `applies`, `x` not given", "待定：未提供 `applies`、`x`"),
    ];
    for (facts, en, zh) in cases {
        assert_eq!(explained(facts), (en.to_string(), zh.to_string()), "{facts}");
    }
    // Both are in the JSON, and read back.
    let report = score(&r, r#"{"x": 7, "applies": true}"#);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let clause = &json["areas"][0]["clauses"][0];
    assert_eq!(
        clause["explanation_zh"],
        "不满足 `x >= 10`；按分值的 0.5 计分，因满足 `x >= 5`（applies = true；x = 7）"
    );
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back.clause("C").unwrap().explanation_zh(), report.clause("C").unwrap().explanation_zh());
    assert_eq!(back.to_json(), report.to_json());
    // A report from before r3 has none, and is written again without it.
    let older: String =
        report.to_json().split_inclusive('\n').filter(|line| !line.contains("\"explanation_zh\":")).collect();
    let back: Report = serde_json::from_str(&older).unwrap();
    assert_eq!(back.clause("C").unwrap().explanation_zh(), None);
    assert_eq!(back.to_json(), older);
    assert!(!ecorule::render_text(&back, false).contains("不满足"));
}

#[test]
fn chinese_explanations_separate_values_with_a_full_width_semicolon_and_keep_the_values_own() {
    let r = one_clause(
        r#"note: text "备注"
        n: number "数量""#,
        r#"require note != "" and n >= 1"#,
    );
    let report = score(&r, r#"{"note": "a; b；c", "n": 2}"#);
    let c = report.clause("C").unwrap();
    assert_eq!(c.explanation(), r#"meets `note != "" and n >= 1` (note = "a; b；c"; n = 2)"#);
    assert_eq!(c.explanation_zh(), Some(r#"满足 `note != "" and n >= 1`（note = "a; b；c"；n = 2）"#));
}

#[test]
fn a_text_the_audit_gives_is_quoted_as_a_rulebook_writes_it_and_codes_are_not() {
    let r = one_clause(
        r#"note: text "备注"
        codes: list text "代码"
        fuel: enum { gas "燃气", coal "燃煤" } "燃料""#,
        r#"require note == "" and "HW08" in codes and fuel == gas"#,
    );
    let explained = |facts: &str| {
        let report = score(&r, facts);
        let c = report.clause("C").unwrap();
        let values: Vec<String> = c.values().filter_map(|v| v.value.map(str::to_string)).collect();
        (c.explanation().to_string(), values)
    };
    // An empty text shows as `""`, not as nothing; each text of a list is
    // quoted, so `, ` inside one is not read as two; a choice stays a code.
    let (en, values) = explained(r#"{"note": "", "codes": ["HW08", "HW12, HW17"], "fuel": "gas"}"#);
    assert_eq!(
        en,
        r#"meets `note == "" and "HW08" in codes and fuel == gas` (note = ""; codes = ["HW08", "HW12, HW17"]; fuel = gas (燃气))"#
    );
    assert_eq!(values, [r#""""#, r#"["HW08", "HW12, HW17"]"#, "gas"], "a value is shown as the explanation quotes it");
    // Quotes, backslashes and line breaks are escaped as in the language.
    let (en, _) = explained(r#"{"note": "say \"no\"\\\nnext", "codes": [], "fuel": "coal"}"#);
    assert!(en.contains(r#"(note = "say \"no\"\\\nnext")"#), "{en}");
}

#[test]
fn a_choice_is_quoted_with_its_label_in_each_language_and_a_share_in_percent() {
    let facts = r#"fuel: enum { gas "燃气" en "natural gas", coal "燃煤", none "无" en "none", other } "燃料"
        cover: number min 0 max 1 "覆盖率""#;
    let r = one_clause(facts, "require fuel != coal and cover >= 90 %");
    let explained = |facts: &str| {
        let report = score(&r, facts);
        let c = report.clause("C").unwrap();
        let values: Vec<String> = c.values().filter_map(|v| v.value.map(str::to_string)).collect();
        (c.explanation().to_string(), c.explanation_zh().unwrap().to_string(), values)
    };
    let (en, zh, values) = explained(r#"{"fuel": "gas", "cover": "95 %"}"#);
    assert_eq!(en, "meets `fuel != coal and cover >= 90 %` (fuel = gas (natural gas); cover = 95%)");
    assert_eq!(zh, "满足 `fuel != coal and cover >= 90 %`（fuel = gas（燃气）；cover = 95%）");
    assert_eq!(values, ["gas", "95%"], "a value keeps the code alone");
    // No English label: the Chinese one in both. A label that repeats the
    // code, or none at all, is left out.
    let (en, zh, _) = explained(r#"{"fuel": "coal", "cover": 0.5}"#);
    assert!(en.ends_with("(fuel = coal (燃煤))") && zh.ends_with("（fuel = coal（燃煤））"), "{en} / {zh}");
    let (en, zh, _) = explained(r#"{"fuel": "none", "cover": 1}"#);
    assert!(
        en.ends_with("(fuel = none; cover = 100%)") && zh.ends_with("（fuel = none（无）；cover = 100%）"),
        "{en} / {zh}"
    );
    let (en, zh, _) = explained(r#"{"fuel": "other", "cover": 1}"#);
    assert!(
        en.ends_with("(fuel = other; cover = 100%)") && zh.ends_with("（fuel = other；cover = 100%）"),
        "{en} / {zh}"
    );
}

#[test]
fn a_concentration_per_litre_for_one_per_cubic_metre_is_scored_with_a_warning() {
    let r = book(
        "air: quantity mg/m³ \"a\" water: quantity mg/L \"w\" series: list quantity mg/m³ \"s\"",
        &format!("scale 10\n{GRADES}"),
        "clause C \"c\" points 10 { require air <= 30 mg/m³ and water <= 100 mg/L and not (5 mg/m³ in series) }",
    );
    let warnings = |facts: &str| score(&r, facts).warnings().to_vec();
    // The same basis, a bare number, or the declared unit: nothing to say.
    let quiet = r#"{"air": "0.02 g/m³", "water": 80, "series": [1, "2 mg/m³", {"value": 3, "unit": "µg/m3"}]}"#;
    assert_eq!(warnings(quiet), Vec::<String>::new());
    let report =
        score(&r, r#"{"air": "0.02 mg/L", "water": {"value": 80000, "unit": "mg/m3"}, "series": [1, "3 µg/L"]}"#);
    // Scored as converted: 20 mg/m³ and 80 mg/L pass.
    assert_eq!(status(&report, "C"), Status::Pass);
    assert_eq!(
        report.warnings(),
        [
            "fact `air` is declared in mg/m³ (per cubic metre, as air is measured) but given in mg/L (per litre, as \
             water is measured): 1 mg/L is 1000 mg/m³, and it is scored so; check the unit",
            "fact `series` is declared in mg/m³ (per cubic metre, as air is measured) but given in µg/L (per litre, \
             as water is measured): 1 µg/L is 1 mg/m³, and it is scored so; check the unit",
            "fact `water` is declared in mg/L (per litre, as water is measured) but given in mg/m³ (per cubic metre, \
             as air is measured): 1 mg/m³ is 0.001 mg/L, and it is scored so; check the unit",
        ]
    );
    assert_eq!(
        report.warnings_zh().unwrap()[0],
        "数据项 `air` 的单位声明为 mg/m³（每立方米，用于空气），给出的却是 mg/L（每升，用于水）：1 mg/L 即 1000 mg/m³，\
         已按此计分；请核对单位"
    );
    // Strict mode scores it too: the value is not ignored, only doubtful.
    let audit = r#"{"facts": {"air": "0.02 mg/L"}}"#;
    assert!(r.score_json(audit, &ScoreOptions::strict(true)).is_ok_and(|rep| rep.warnings().len() == 1));
}

#[test]
fn a_value_s_warning_follows_it_when_facts_are_set_one_by_one() {
    let r = book(
        "air: quantity mg/m³ \"a\" water: quantity mg/L \"w\"",
        &format!("scale 10\n{GRADES}"),
        "clause C \"c\" points 10 { require air <= 30 mg/m³ }",
    );
    let options = ScoreOptions::default();
    let audit =
        |facts: &str| ecorule::AuditInput::from_json(&format!(r#"{{"facts": {facts}}}"#), &options.limits).unwrap();
    let value = |slot: usize, v: &str| {
        r.fact_value(slot, &ecorule::AuditInput::from_json(v, &options.limits).unwrap(), &options.limits).unwrap()
    };
    let report_of = |facts: &ecorule::Facts| r.score_facts(facts, &options).unwrap().to_json();
    let (air, water) = (r.fact_slot("air").unwrap(), r.fact_slot("water").unwrap());
    let mut facts = r.bind(&audit(r#"{"air": "0.02 mg/L", "water": "5 mg/m³", "other": 1}"#), &options).unwrap();
    assert_eq!(facts.warnings().count(), 3);
    // A value in the declared unit leaves nothing to say about it...
    facts.set(&value(air, "20")).unwrap();
    facts.unset(water).unwrap();
    let quiet = r.bind(&audit(r#"{"air": 20, "other": 1}"#), &options).unwrap();
    assert_eq!(report_of(&facts), report_of(&quiet));
    // ...and one set per litre says what binding the audit would say.
    facts.set(&value(air, r#""0.02 mg/L""#)).unwrap();
    facts.set(&value(water, r#""5 mg/m³""#)).unwrap();
    let whole = r.bind(&audit(r#"{"water": "5 mg/m³", "other": 1, "air": "0.02 mg/L"}"#), &options).unwrap();
    assert_eq!(report_of(&facts), report_of(&whole));
    let mut fresh = ecorule::Facts::new(&r);
    fresh.set(&value(water, r#""5 mg/m³""#)).unwrap();
    assert_eq!(fresh.warnings().map(|w| &w.en[..10]).collect::<Vec<_>>(), ["fact `wate"]);
}

#[test]
fn a_long_undeclared_name_is_quoted_by_its_start() {
    let r = one_clause("x: number \"x\"", "require x >= 10");
    let long = "名".repeat(20_000);
    let audit = format!(r#"{{"audit": {{"{long}": 1}}, "{long}": 1, "facts": {{"x": 1, "{long}": 2}}}}"#);
    let report = r.score_json(&audit, &ScoreOptions::default()).unwrap();
    let start = "名".repeat(60);
    assert_eq!(
        report.warnings(),
        [
            format!("top-level key `{start}…` is not declared by rulebook `t`, and is ignored"),
            format!("`audit.{start}…` is not declared by rulebook `t`, and is ignored"),
            format!("fact `{start}…` is not declared by rulebook `t`, and is ignored"),
        ]
    );
    assert!(report.warnings_zh().unwrap().iter().all(|w| w.chars().count() < 100));
    // Given twice (flat and nested), it is named by its start too.
    let twice = r#"{"facts": {"a.b": 1, "a": {"b": 2}}}"#.replace('b', &"b".repeat(100));
    let errors = r.score_json(&twice, &ScoreOptions::default()).unwrap_err();
    let message = errors.to_info().first().map(|e| e.message.clone()).unwrap_or_default();
    assert_eq!(message, format!("fact `a.{}…` is given twice", "b".repeat(58)));
}

#[test]
fn warnings_are_given_in_chinese_too_one_for_one() {
    let r = one_clause("x: number \"x\" applies: bool \"a\"", "when applies require x >= 10");
    let audit = r#"{"audit": {"id": "A1", "inspector": "王"}, "notes": 1, "facts": {"x": 1, "applies": true, "aplies": false}}"#;
    let report = r.score_json(audit, &ScoreOptions::default()).unwrap();
    assert_eq!(
        report.warnings(),
        [
            "top-level key `notes` is not declared by rulebook `t`, and is ignored",
            "`audit.inspector` is not declared by rulebook `t`, and is ignored",
            "fact `aplies` is not declared by rulebook `t`, and is ignored; did you mean `applies`?",
        ]
    );
    assert_eq!(
        report.warnings_zh().unwrap(),
        [
            "顶层键 `notes` 未在规则集 `t` 中声明，已忽略",
            "`audit.inspector` 未在规则集 `t` 中声明，已忽略",
            "数据项 `aplies` 未在规则集 `t` 中声明，已忽略；是否应为 `applies`？",
        ]
    );
    let none_apply = score(&r, r#"{"x": 1, "applies": false}"#);
    assert_eq!(none_apply.warnings_zh().unwrap(), ["本次审核没有可适用的条款，得分计为 0"]);
    // Read back, and from before r3: none, and written again without them.
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back.warnings_zh(), report.warnings_zh());
    let older = report.to_json();
    let start = older.find(",\n  \"warnings_zh\"").unwrap();
    let older = format!("{}\n}}", &older[..start]);
    let back: Report = serde_json::from_str(&older).unwrap();
    assert_eq!((back.warnings().len(), back.warnings_zh()), (3, None));
    assert_eq!(back.to_json(), older);
}

#[test]
fn kleene_logic_decides_when_the_known_side_does() {
    let r = book(
        "a: bool \"a\" b: bool \"b\"",
        &format!("scale 2\n{ANY_SCALE}"),
        "clause C1 \"1\" points 1 { require a and b }\n clause C2 \"2\" points 1 { require a or b }",
    );
    let report = score(&r, r#"{"a": false}"#);
    assert_eq!(status(&report, "C1"), Status::Fail);
    assert_eq!(status(&report, "C2"), Status::Unknown);
    let report = score(&r, r#"{"a": true}"#);
    assert_eq!(status(&report, "C1"), Status::Unknown);
    assert_eq!(status(&report, "C2"), Status::Pass);
}

#[test]
fn numbers_are_exact() {
    let r = one_clause("x: number \"x\"", "require 0.1 + 0.2 == 0.3 and x * 3 == 0.3");
    assert_eq!(status(&score(&r, r#"{"x": 0.1}"#), "C"), Status::Pass);
}

#[test]
fn compatible_units_convert_exactly() {
    let r = one_clause(
        "h: quantity m \"h\" c: quantity mg/m³ \"c\" load: quantity t/a \"l\"",
        "require h >= 15 m and c <= 1 g/m3 and load == 1000 kg/d",
    );
    let report = score(&r, r#"{"h": "1800 cm", "c": {"value": 999.5, "unit": "mg/m3"}, "load": "365 t/a"}"#);
    assert_eq!(status(&report, "C"), Status::Pass, "{}", report.to_json());
}

#[test]
fn every_spelling_of_a_unit_reads_alike_in_types_expressions_and_audits() {
    // The unit table's other spellings (`μg` with a Greek mu, `dBA`,
    // `degC`, `minutes`, `*` between units) and the operators' symbols.
    let r = one_clause(
        "c: quantity μg/m3 \"c\" n: quantity dBA \"n\" t: quantity degC \"t\" w: quantity minutes \"w\" r: quantity kg*m/h \"r\"",
        "require c ≤ 5 μg/m³ and n ≥ 50 dBA and t ≠ 20 degC and w < 2 h and r == 2 × 3 kg·m/h",
    );
    let facts = r#"{"c": "4 µg/m³", "n": "55 dB(A)", "t": "21 °C", "w": "90 min", "r": "6 kg*m/h"}"#;
    assert_eq!(status(&score(&r, facts), "C"), Status::Pass);
    let facts = r#"{"c": "0.006 mg/m3", "n": "55 dBA", "t": "21 degC", "w": "90 minutes", "r": "6 kg·m/h"}"#;
    assert_eq!(status(&score(&r, facts), "C"), Status::Fail);
}

#[test]
fn nearest_rounds_to_the_listed_height_and_ties_go_up() {
    // GB 14554 table 2: 15 m → 4.9 kg/h, 20 m → 8.7 kg/h; §6.1.2 rounds
    // a height between two rows 四舍五入, so halfway takes the higher row.
    let r = one_clause("h: quantity m \"h\" rate: quantity kg/h \"r\"", "require rate <= gb14554.ammonia_rate(h)");
    assert_eq!(status(&score(&r, r#"{"h": 17, "rate": 4.9}"#), "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"h": 17, "rate": 5}"#), "C"), Status::Fail);
    assert_eq!(status(&score(&r, r#"{"h": 17.49, "rate": 5}"#), "C"), Status::Fail);
    assert_eq!(status(&score(&r, r#"{"h": 17.5, "rate": 8.7}"#), "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"h": 18, "rate": 8.7}"#), "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"h": 18, "rate": 8.71}"#), "C"), Status::Fail);
}

fn module_rulebook(table: &str, clause: &str) -> (Rulebook, String) {
    let module = format!("module m \"模块\" {{\n{table}\n}}\n");
    let source = format!(
        "rulebook t \"t\" {{\n use m\n facts {{ x: quantity m \"x\" y: quantity kg/h \"y\" z: text \"z\" }}\n scoring {{ scale 1\n{ANY_SCALE} }}\n area A \"a\" {{ clause C \"c\" points 1 {{ require {clause} }} }}\n}}"
    );
    let rulebook = Rulebook::compile_with(
        ecorule::Source::new("t.eco", source),
        &[ecorule::Source::new("m.eco", module.clone())],
        &ecorule::Limits::default(),
    );
    match rulebook {
        Ok(r) => (r, module),
        Err(e) => panic!("{}", e.render(false)),
    }
}

#[test]
fn check_module_checks_modules_and_refuses_a_rulebook() {
    let limits = ecorule::Limits::default();
    let module = ecorule::Source::new("m.eco", "module m \"模块\" {\n  const c = 1 m\n}\n");
    assert!(ecorule::check_module(&module, &limits).is_ok());
    // A rulebook, even one that does not check, is not a module: saying
    // `ok` would pass a file the caller meant to check as a module.
    let rulebook = ecorule::Source::new(
        "r.eco",
        "rulebook r \"r\" {\n  facts { x: number \"x\" }\n  scoring { scale 5 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require y > 0 } }\n}\n",
    );
    let errors = ecorule::check_module(&rulebook, &limits).err().map(|e| e.to_info()).unwrap_or_default();
    let first = errors.first();
    assert_eq!(first.map(|e| e.message.as_str()), Some("`r` is a rulebook, not a module"), "{errors:?}");
    assert_eq!(first.map(|e| (e.kind, e.line, e.column)), Some((ErrorKind::Syntax, Some(1), Some(10))));
}

#[test]
fn two_different_modules_of_a_used_id_are_an_error_naming_both() {
    let book = "rulebook t \"t\" {\n use m\n facts { x: number \"x\" }\n scoring { scale 1\n grade a \"a\" otherwise\n verdict standardize otherwise }\n area A \"a\" { clause C \"c\" points 1 { require x <= m.c } }\n}";
    let module = |c: &str| format!("module m \"模块\" {{\n  const c = {c}\n}}\n");
    let compile = |modules: &[(&str, String)]| {
        let given: Vec<_> = modules.iter().map(|(name, text)| ecorule::Source::new(*name, text.clone())).collect();
        Rulebook::compile_with(ecorule::Source::new("t.eco", book), &given, &ecorule::Limits::default())
    };
    // Which `m` is meant cannot be told: the score would turn on the order.
    let errors = compile(&[("a_m.eco", module("1")), ("b_m.eco", module("2"))]).err().map(|e| e.to_info());
    let first = errors.as_ref().and_then(|e| e.first());
    assert_eq!(
        first.map(|e| (e.kind, e.message.as_str(), e.source.as_deref(), e.line)),
        Some((
            ErrorKind::Duplicate,
            "module `m` is given twice, here and in a_m.eco, and they differ",
            Some("b_m.eco"),
            Some(1)
        )),
        "{errors:?}"
    );
    // The same text twice is one module; an unused id does not matter.
    assert!(compile(&[("a_m.eco", module("1")), ("copy/a_m.eco", module("1"))]).is_ok());
    let unused = |c: &str| format!("module n \"模块\" {{\n  const c = {c}\n}}\n");
    assert!(compile(&[("a_m.eco", module("1")), ("n1.eco", unused("1")), ("n2.eco", unused("2"))]).is_ok());
}

#[test]
fn an_enum_of_codes_is_written_in_quotes_checked_looked_up_and_formatted_back() {
    let source = "rulebook z \"z\" {\n  use gb12348\n  facts {\n    zone: enum { \"1\" \"1 类\" en \"class 1\", \"2\" \"2 类\", \"if\", sea } \"区\"\n    day: quantity dB(A) \"昼\"\n  }\n  scoring { scale 1\n grade a \"a\" otherwise\n verdict standardize otherwise }\n  area A \"a\" { clause C \"c\" points 1 { when zone in [\"1\", \"2\"] require day <= gb12348.day(zone) } }\n}\n";
    let r = Rulebook::compile("z.eco", source).unwrap_or_else(|e| panic!("{}", e.render(false)));
    // A text table key takes the code; the audit gives it as a string.
    let report = score(&r, r#"{"zone": "2", "day": "58 dB(A)"}"#);
    assert_eq!(status(&report, "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"zone": "1", "day": "58 dB(A)"}"#), "C"), Status::Fail);
    // What is not a code of it is refused as the audit's error, with a hint.
    let errors = audit_error(&r, r#"{"audit": {"date": "2024-05-20"}, "facts": {"zone": "二类"}}"#, false);
    assert!(
        errors.first().is_some_and(|e| e.message.contains("`zone`") && e.message.contains("\"二类\"")),
        "{errors:?}"
    );
    // In expressions a string that is not a code of the enum is an error.
    let bad = source.replace("zone in [\"1\", \"2\"]", "zone in [\"1\", \"5\"]");
    let errors = Rulebook::compile("z.eco", &bad).err().map(|e| e.to_info()).unwrap_or_default();
    assert!(errors.iter().any(|e| e.message.contains("`5` is not a value of this enum")), "{errors:?}");
    // fmt writes a code in quotes, a name bare, and a reserved word quoted.
    let parsed_source = ecorule::Source::new("z.eco", source);
    let parsed = ecorule::parse(&parsed_source, &ecorule::Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let formatted = ecorule::fmt::format(&parsed, source);
    assert!(formatted.contains(r#"zone: enum { "1" "1 类" en "class 1", "2" "2 类", "if", sea } "区""#), "{formatted}");
    // An empty code or one with an escape cannot be told from the audit's.
    for code in ["\"\"", "\" \"", "\"a\\\"b\""] {
        let errors = Rulebook::compile("z.eco", &source.replace("\"if\"", code)).err().map(|e| e.to_info());
        assert!(errors.unwrap_or_default().iter().any(|e| e.message.contains("enum value in quotes")), "{code}");
    }
}

#[test]
fn floor_and_linear_lookups() {
    let floor = "table t(h: quantity m) -> quantity kg/h floor { 10 m => 1 kg/h\n 20 m => 2 kg/h }";
    let (r, _) = module_rulebook(floor, "y == m.t(x)");
    assert_eq!(status(&score(&r, r#"{"x": 19.9, "y": 1}"#), "C"), Status::Pass);
    assert_eq!(status(&score(&r, r#"{"x": 25, "y": 2}"#), "C"), Status::Pass);
    let linear = "table t(h: quantity m) -> quantity kg/h linear { 20 m => 5.9 kg/h\n 15 m => 3.5 kg/h }";
    let (r, _) = module_rulebook(linear, "y == m.t(x)");
    // GB 16297 style: halfway between 15 m and 20 m is halfway between 3.5 and 5.9.
    assert_eq!(status(&score(&r, r#"{"x": 17.5, "y": 4.7}"#), "C"), Status::Pass);
}

#[test]
fn keys_outside_a_table_are_errors_that_name_the_table() {
    let (r, _) = module_rulebook(
        "table t(h: quantity m) -> quantity kg/h linear { 15 m => 1 kg/h\n 20 m => 2 kg/h }",
        "y <= m.t(x)",
    );
    let audit = r#"{"facts": {"x": 12, "y": 1}}"#;
    let err = r.score_json(audit, &ScoreOptions::default()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("table `m.t` has no row for h = 12 m"), "{err}");
    assert!(err.contains("15 m to 20 m"), "{err}");
    let (r, _) = module_rulebook(
        "table t(zone: text, n: text) -> quantity kg/h exact { \"1\", \"a\" => 1 kg/h\n \"2\", \"a\" => 2 kg/h\n \"1\", \"b\" => 3 kg/h }",
        "y <= m.t(z, \"a\")",
    );
    let err = r.score_json(r#"{"facts": {"z": "9", "y": 1}}"#, &ScoreOptions::default()).err();
    assert!(err.as_ref().is_some_and(|e| e.first().is_some_and(|e| e.kind() == ErrorKind::Evaluation)));
    // The keys the rows have in the place of the one not found are
    // listed, each once.
    let err = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("has no row for zone = 9, n = a: its rows have `zone` 1 or 2"), "{err}");
}

#[test]
fn a_table_key_no_row_has_is_found_by_the_checker() {
    let table = "table t(zone: text) -> quantity kg/h exact { \"1\" => 1 kg/h\n \"2\" => 2 kg/h }";
    let compiled = |clause: &str, facts: &str, lets: &str| {
        let module = format!("module m \"模块\" {{\n{table}\n}}\n");
        let source = format!(
            "rulebook t \"t\" {{\n use m\n facts {{ y: quantity kg/h \"y\" {facts} }}\n {lets}\n scoring {{ scale 1\n{ANY_SCALE} }}\n area A \"a\" {{ clause C \"c\" points 1 {{ {clause} }} }}\n}}"
        );
        let module = ecorule::Source::new("m.eco", module);
        Rulebook::compile_with(ecorule::Source::new("t.eco", source), &[module], &ecorule::Limits::default())
    };
    // A choice some of whose values have no row: a warning, as a `when`
    // may keep them from the look-up; an audit giving one stops.
    let choice = "z: enum { \"1\" \"一\", \"2\" \"二\", \"4\" \"四\" } \"z\"";
    let r = compiled("require y <= m.t(z)", choice, "").unwrap_or_else(|e| panic!("{}", e.render(false)));
    let warnings: Vec<(ErrorKind, &str)> = r.warnings().iter().map(|w| (w.kind(), w.message())).collect();
    assert_eq!(warnings, [(ErrorKind::Suspicious, "table `m.t` has no row for `z` = \"4\"")]);
    assert!(r.score_json(r#"{"facts": {"z": "4", "y": 1}}"#, &ScoreOptions::default()).is_err());
    // Kept from the look-up by a `when`, it is not applicable.
    let r =
        compiled("when z != \"4\"\n require y <= m.t(z)", choice, "").unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert_eq!(status(&score(&r, r#"{"z": "4", "y": 1}"#), "C"), Status::NotApplicable);
    // Every value covered: nothing to say.
    let r = compiled("require y <= m.t(z)", "z: enum { \"1\" \"一\", \"2\" \"二\" } \"z\"", "")
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(r.warnings().is_empty());
    // A key written out that no row has is an error (so is a `let` of one).
    for clause in ["require y <= m.t(\"3\")", "require y <= m.t(three)"] {
        let errors = compiled(clause, "", "let three = \"3\"").err().map(|e| e.to_info()).unwrap_or_default();
        let found: Vec<(ErrorKind, &str)> = errors.iter().map(|e| (e.kind, e.message.as_str())).collect();
        assert_eq!(found, [(ErrorKind::Range, "table `m.t` has no row for zone = \"3\"")], "{clause}");
    }
}

/// A rulebook whose clause looks up `m.t`, keyed "1" and "2", by the
/// choice `z` ("1", "2", "4" or "5"); `w` is a choice of the same values.
fn guarded_lookup(clause: &str, lets: &str) -> Rulebook {
    let table = "table t(zone: text) -> quantity kg/h exact { \"1\" => 1 kg/h\n \"2\" => 2 kg/h }";
    let module = format!("module m \"模块\" {{\n{table}\n}}\n");
    let choice = "enum { \"1\" \"一\", \"2\" \"二\", \"4\" \"四\", \"5\" \"五\" }";
    let source = format!(
        "rulebook t \"t\" {{\n use m\n facts {{ y: quantity kg/h \"y\" z: {choice} \"z\" w: {choice} \"w\" }}\n {lets}\n scoring {{ scale 1\n{ANY_SCALE} }}\n area A \"a\" {{ clause C \"c\" points 1 {{ {clause} }} }}\n}}"
    );
    let module = ecorule::Source::new("m.eco", module);
    Rulebook::compile_with(ecorule::Source::new("t.eco", source), &[module], &ecorule::Limits::default())
        .unwrap_or_else(|e| panic!("{clause}: {}", e.render(false)))
}

/// The messages of the warnings about keys no row of a table has.
fn key_warnings(r: &Rulebook) -> Vec<&str> {
    r.warnings().iter().filter(|w| w.message().contains("has no row")).map(|w| w.message()).collect()
}

#[test]
fn a_lookup_kept_from_the_missing_keys_by_a_guard_is_not_warned_of() {
    let guarded = [
        ("when z in [\"1\", \"2\"]\n require y <= m.t(z)", ""),
        ("when z == \"1\"\n require y <= m.t(z)", ""),
        ("when not (z in [\"4\", \"5\"])\n require y <= m.t(z)", ""),
        ("when not (z == \"4\") and z != \"5\"\n require y <= m.t(z)", ""),
        ("when z != \"4\" and y > 1 kg/h and z != \"5\"\n require y <= m.t(z)", ""),
        // Each `when` keeps out one; a `when` written after the `require`
        // is still evaluated first.
        ("require y <= m.t(z)\n when z != \"4\"\n when z != \"5\"", ""),
        ("when z in [\"1\", \"2\"]\n when y <= m.t(z)\n require y > 0 kg/h", ""),
        ("when z in [\"1\", \"2\"]\n require y <= 1 kg/h\n partial 0.5 when y <= m.t(z)", ""),
        // An earlier `require` that fails stops the later ones.
        ("require z in [\"1\", \"2\"]\n require y <= m.t(z)", ""),
        ("require y <= (if z in [\"4\", \"5\"] then 0 kg/h else m.t(z))", ""),
        ("require y <= (if z in [\"1\", \"2\"] then m.t(z) else 0 kg/h)", ""),
        ("require y <= (if z == \"4\" or z == \"5\" then 0 kg/h else m.t(z))", ""),
        // Either side of an `or` that holds, or of an `and` that fails.
        ("when z == \"1\" or z == \"2\"\n require y <= m.t(z)", ""),
        ("when z == \"1\" or (z == \"2\" and y > 1 kg/h) or z in [\"2\"]\n require y <= m.t(z)", ""),
        ("require y <= (if z != \"1\" and z != \"2\" then 0 kg/h else m.t(z))", ""),
        ("require z in [\"1\", \"2\"] and y <= m.t(z)", ""),
        ("require z != \"4\" and z != \"5\" and y <= m.t(z)", ""),
        ("require z == \"4\" or z == \"5\" or y <= m.t(z)", ""),
        ("require not (z in [\"1\", \"2\"]) or y <= m.t(z)", ""),
        // A guard named by a `let`, and a key given through one.
        ("require known and y <= m.t(z)", "let known = z in [\"1\", \"2\"]"),
        ("require z in [\"1\", \"2\"] and y <= m.t(zone)", "let zone = z"),
        // A `let` that guards its own look-up.
        ("require y <= limit", "let limit = if z in [\"1\", \"2\"] then m.t(z) else 0 kg/h"),
    ];
    for (clause, lets) in guarded {
        let r = guarded_lookup(clause, lets);
        assert_eq!(key_warnings(&r), [] as [&str; 0], "{clause}");
        // The guard keeps every audit from the look-up: each scores.
        for z in ["1", "4", "5"] {
            let audit = format!(r#"{{"facts": {{"z": "{z}", "y": 1}}}}"#);
            let scored = r.score_json(&audit, &ScoreOptions::default());
            assert!(scored.is_ok(), "{clause} with z = {z}: {:?}", scored.err().map(|e| e.to_string()));
        }
    }
}

#[test]
fn a_lookup_a_guard_leaves_some_missing_keys_to_is_warned_of_with_them() {
    let all = "table `m.t` has no row for `z` = \"4\" or \"5\"";
    let four = "table `m.t` has no row for `z` = \"4\"";
    let five = "table `m.t` has no row for `z` = \"5\"";
    let cases = [
        ("require y <= m.t(z)", "", all),
        ("when z != \"4\"\n require y <= m.t(z)", "", five),
        ("when z in [\"1\", \"2\", \"5\"]\n require y <= m.t(z)", "", five),
        ("when not (z in [\"5\"])\n require y <= m.t(z)", "", four),
        ("require y <= (if z == \"4\" then m.t(z) else 0 kg/h)", "", four),
        ("require y <= (if z == \"4\" then 0 kg/h else m.t(z))", "", five),
        // Sides of an `or` that keep out different values, or one that
        // keeps out none.
        ("when z == \"1\" or z == \"4\"\n require y <= m.t(z)", "", four),
        ("when z == \"1\" or y > 1 kg/h\n require y <= m.t(z)", "", all),
        ("require y <= (if z != \"1\" and z != \"5\" then 0 kg/h else m.t(z))", "", five),
        // A guard on another fact.
        ("when w in [\"1\", \"2\"]\n require y <= m.t(z)", "", all),
        // A guard after the look-up, or beside it where both sides run.
        ("require y <= m.t(z) and z in [\"1\", \"2\"]", "", all),
        ("require all(z in [\"1\", \"2\"], y <= m.t(z))", "", all),
        // With `y` unknown the left of `and` is unknown for z = "4", and the
        // right side is evaluated.
        ("require (z != \"4\" or y > 1 kg/h) and z != \"5\" and y <= m.t(z)", "", four),
        // A failed `require` does not keep a `partial` from running.
        ("require z in [\"1\", \"2\"]\n partial 0.5 when y <= m.t(z)", "", all),
        // A `let` is checked once, where it is defined, not where it is used.
        ("when z in [\"1\", \"2\"]\n require y <= limit", "let limit = m.t(z)", all),
    ];
    for (clause, lets, warning) in cases {
        let r = guarded_lookup(clause, lets);
        assert_eq!(key_warnings(&r), [warning], "{clause}");
    }
    // What the warning says: with `y` unknown, the `or` is unknown, `and`
    // runs its right side, and an audit giving "4" cannot be scored.
    let r = guarded_lookup("require (z != \"4\" or y > 1 kg/h) and y <= m.t(z)", "");
    let err = r.score_json(r#"{"facts": {"z": "4"}}"#, &ScoreOptions::default()).err().map(|e| e.to_string());
    assert!(err.as_ref().is_some_and(|e| e.contains("has no row for zone = 4:")), "{err:?}");
}

#[test]
fn dates_and_durations() {
    let r = one_clause(
        "last: date \"上次\" valid: date \"有效期\" kept: duration \"保存\"",
        "require audit.date - last <= 365 days and valid >= audit.date + 30 days and kept >= 3 a / 12 * 3",
    );
    let report = score(&r, r#"{"last": "2023-05-21", "valid": "2024-06-19", "kept": "9 a"}"#);
    assert_eq!(status(&report, "C"), Status::Pass);
    let report = score(&r, r#"{"last": "2023-05-19", "valid": "2024-06-19", "kept": 800}"#);
    assert_eq!(status(&report, "C"), Status::Fail);
}

#[test]
fn veto_partial_does_not_veto_but_fail_does() {
    let r = book(
        "x: number \"x\"",
        &format!("scale 10\n{GRADES}"),
        "clause V \"否决\" points 10 veto { require x >= 10 partial 0.5 when x >= 5 }",
    );
    let partial = score(&r, r#"{"x": 6}"#);
    assert_eq!(partial.vetoes().next(), None);
    assert_eq!(partial.verdict(), "rectify");
    let fail = score(&r, r#"{"x": 1}"#);
    assert_eq!(fail.vetoes().collect::<Vec<_>>(), ["V"]);
    assert_eq!(fail.verdict(), "ban");
}

fn policy_book(policy: &str) -> Rulebook {
    book(
        "x: number \"x\" on: bool \"on\"",
        &format!("scale 10\nnot_applicable {policy}\n{GRADES}"),
        "clause C1 \"1\" points 4 { when on require x > 0 }\n clause C2 \"2\" points 6 { require x > 1 partial 0.5 when x > 0 }",
    )
}

#[test]
fn not_applicable_policies() {
    let facts = r#"{"x": 0.5, "on": false}"#;
    // C1 not applicable, C2 partial: 3 of 6 applicable points.
    assert_eq!(score(&policy_book("rescale"), facts).score, Some(num("5")));
    assert_eq!(score(&policy_book("zero"), facts).score, Some(num("3")));
    assert_eq!(score(&policy_book("full"), facts).score, Some(num("7")));
}

#[test]
fn an_area_score_rescales_its_points_earned_as_the_total_does() {
    let facts = r#"{"x": 0.5, "on": false}"#;
    let area = |policy: &str| {
        let report = score(&policy_book(policy), facts);
        let a = report.areas().next().unwrap();
        (a.earned(), a.possible(), a.score())
    };
    // 3 earned of 6 applicable points, on the area's 10: the total's 5.
    assert_eq!(area("rescale"), (num("3"), num("6"), Some(num("5"))));
    assert_eq!(area("zero"), (num("3"), num("10"), Some(num("3"))));
    assert_eq!(area("full"), (num("7"), num("10"), Some(num("7"))));
    // Two places, rounded as the total: 1 of 3 applicable points of 10.
    let r = book(
        "x: number \"x\" on: bool \"on\"",
        &format!("scale 10\n{GRADES}"),
        "clause C1 \"1\" points 7 { when on require x > 0 }\n clause C2 \"2\" points 3 { require x > 1 partial 0.3333 when x > 0 }",
    );
    let report = score(&r, facts);
    assert_eq!(report.areas().next().unwrap().score(), Some(num("3.33")));
    assert_eq!(report.score, Some(num("3.33")));
}

#[test]
fn an_area_score_is_null_while_undecided_or_when_nothing_counts() {
    let r = book(
        "x: number \"x\" on: bool \"on\"",
        &format!("scale 10\n{GRADES}"),
        "clause C1 \"1\" points 4 { when on require x < 0 }\n clause C2 \"2\" points 6 { require x > 1 }",
    );
    // C1 fails or does not apply: the same points earned, but 6 of 10 or
    // of 6.
    let report = score(&r, r#"{"x": 2}"#);
    let a = report.areas().next().unwrap();
    assert_eq!((a.earned(), a.earned_max(), a.score()), (num("6"), num("6"), None));
    assert_eq!(score(&r, r#"{"x": 2, "on": false}"#).areas().next().unwrap().score(), Some(num("10")));
    let none = one_clause("x: number \"x\" on: bool \"on\"", "when on require x > 0");
    let report = score(&none, r#"{"x": 1, "on": false}"#);
    assert_eq!(report.areas().next().unwrap().possible(), num("0"));
    assert_eq!(report.areas().next().unwrap().score(), None);
}

#[test]
fn text_and_markdown_show_an_area_score_only_where_it_is_not_the_points_earned() {
    let facts = r#"{"x": 0.5, "on": false}"#;
    let area_line = |policy: &str| {
        let report = score(&policy_book(policy), facts);
        let pick = |page: &str| page.lines().find(|l| l.contains("区 area")).unwrap_or_default().to_string();
        (pick(&ecorule::render_text(&report, false)), pick(&ecorule::render_markdown(&report)))
    };
    assert_eq!(
        area_line("rescale"),
        ("A 区 area  3/6 · score 5.00 / 10.00".into(), "## A 区 area (3/6 · score 5.00 / 10.00)".into())
    );
    assert_eq!(area_line("zero"), ("A 区 area  3/10".into(), "## A 区 area (3/10)".into()));
}

#[test]
fn text_markdown_and_html_show_the_range_of_an_undecided_areas_points() {
    let r = book(
        "x: number \"x\" y: number \"y\"",
        &format!("scale 10\n{GRADES}"),
        "clause C1 \"1\" points 3 { require x > 0 }\n clause C2 \"2\" points 7 { require y > 0 }",
    );
    let pages = |facts: &str| {
        let report = score(&r, facts);
        let pick = |page: &str| page.lines().find(|l| l.contains("区")).unwrap_or_default().to_string();
        let html = ecorule::render_html([&report]);
        (pick(&ecorule::render_text(&report, false)), pick(&ecorule::render_markdown(&report)), pick(&html))
    };
    // As JSON has it: earned 3, earned_max 10, and so does each clause line.
    let (text, markdown, html) = pages(r#"{"x": 1}"#);
    assert_eq!(text, "A 区 area  3–10/10");
    assert_eq!(markdown, "## A 区 area (3–10/10)");
    assert!(html.contains("<span class=\"meta\">3–10/10</span>"), "{html}");
    let (text, markdown, _) = pages(r#"{"x": 1, "y": 0}"#);
    assert_eq!((text.as_str(), markdown.as_str()), ("A 区 area  3/10", "## A 区 area (3/10)"));
}

#[test]
fn every_format_shows_the_fix_of_a_clause_that_may_fail() {
    let r = book(
        "x: number \"x\" y: number \"y\"",
        &format!("scale 10\n{GRADES}"),
        "clause C1 \"1\" points 3 { require x > 0 fix \"修好一\" en \"mend one\" within 30 days }\n \
         clause C2 \"2\" points 7 { require y > 0 fix \"修好二\" en \"mend two\" within 10 days }",
    );
    // C1 fails (in the rectification list); C2 is undecided and may fail.
    let report = score(&r, r#"{"x": 0}"#);
    assert_eq!((status(&report, "C1"), status(&report, "C2")), (Status::Fail, Status::Unknown));
    let pages =
        [ecorule::render_text(&report, false), ecorule::render_markdown(&report), ecorule::render_html([&report])];
    for page in &pages {
        assert!(page.contains("修好二"), "the undecided clause's fix is missing from\n{page}");
        assert!(page.contains("2024-05-30"), "its deadline is missing from\n{page}");
    }
    let markdown = &pages[1];
    let row = markdown.lines().find(|l| l.starts_with("| C2 ")).unwrap_or_default();
    assert!(row.contains("修好二"), "{markdown}");
    // A clause that passes, however it turns out, shows none.
    let passing = score(&r, r#"{"x": 1, "y": 1}"#);
    assert!(!ecorule::render_markdown(&passing).contains("修好"));
}

#[test]
fn every_format_names_the_modules_the_report_was_made_with() {
    let report = score(&one_clause("x: number \"x\"", "require x > 0"), r#"{"x": 1}"#);
    let modules = &report.rulebook().modules;
    assert_eq!(modules.len(), 2);
    let pages = [
        ecorule::render_text(&report, false),
        ecorule::render_markdown(&report),
        ecorule::render_html([&report]),
        report.to_json(),
    ];
    for page in &pages {
        for m in modules {
            assert!(page.contains(&m.hash), "{} {} missing from\n{page}", m.id, m.hash);
        }
    }
    let text = &pages[0];
    let line = format!("modules: gb14554 {}, gb8978 {}", modules[0].hash, modules[1].hash);
    assert_eq!(text.lines().nth(1), Some(line.as_str()), "{text}");
}

#[test]
fn deductions_never_go_below_zero_and_respect_max() {
    let r = book(
        "x: number \"x\" incidents: number \"n\" falsified: bool \"f\"",
        &format!(
            "scale 10\n{GRADES}\n deduct incident \"事故\" 3 per incidents max 6\n deduct fake \"造假\" 5 when falsified"
        ),
        "clause C \"c\" points 10 { require x > 0 }",
    );
    let report = score(&r, r#"{"x": 1, "incidents": 5, "falsified": false}"#);
    assert_eq!(report.score, Some(num("4")));
    let report = score(&r, r#"{"x": 1, "incidents": 1, "falsified": true}"#);
    assert_eq!(report.score, Some(num("2")));
    let report = score(&r, r#"{"x": 0, "incidents": 1, "falsified": true}"#);
    assert_eq!(report.score, Some(num("0")));
    let unknown = score(&r, r#"{"x": 1, "falsified": false}"#);
    assert_eq!((unknown.score_min, unknown.score_max), (num("4"), num("10")));
}

#[test]
fn text_and_markdown_show_a_deduction_as_its_amount_or_its_range() {
    let r = book(
        "x: number \"x\" incidents: number \"n\" falsified: bool \"f\"",
        &format!(
            "scale 10\n{GRADES}\n deduct incident \"事故\" 3 per incidents max 6\n deduct fake \"造假\" 5 when falsified"
        ),
        "clause C \"c\" points 10 { require x > 0 }",
    );
    let lines = |report: &Report| {
        let text = ecorule::render_text(report, false);
        let markdown = ecorule::render_markdown(report);
        let pick =
            |page: &str| page.lines().filter(|l| l.contains("deduction")).map(str::to_string).collect::<Vec<_>>();
        (pick(&text), pick(&markdown))
    };
    // Known: one figure; a deduction that takes nothing is left out.
    let (text, markdown) = lines(&score(&r, r#"{"x": 1, "incidents": 5, "falsified": false}"#));
    assert_eq!(text, ["deduction 事故: −6.00"]);
    assert_eq!(markdown, ["- deduction 事故: −6.00"]);
    // Unknown count: from nothing to the most it can take, in both.
    let (text, markdown) = lines(&score(&r, r#"{"x": 1, "falsified": true}"#));
    assert_eq!(text, ["deduction 事故: 0.00 to −6.00", "deduction 造假: −5.00"]);
    assert_eq!(markdown, ["- deduction 事故: 0.00 to −6.00", "- deduction 造假: −5.00"]);
}

#[test]
fn unknown_facts_give_bounds_and_a_provisional_verdict() {
    let r = book(
        "x: number \"x\" y: number \"y\"",
        &format!("scale 10\n{GRADES}"),
        "clause C1 \"1\" points 5 veto { require x > 0 }\n clause C2 \"2\" points 5 { require y > 0 }",
    );
    let report = score(&r, r#"{"y": 1}"#);
    assert_eq!(report.score, None);
    assert_eq!((report.score_min, report.score_max), (num("5"), num("10")));
    assert!(!report.determined);
    assert_eq!(report.verdict(), "ban");
    assert_eq!(report.verdict_best(), "standardize");
    assert_eq!(report.possible_vetoes().collect::<Vec<_>>(), ["C1"]);
    assert_eq!(report.missing_facts().collect::<Vec<_>>(), ["x"]);
}

#[test]
fn facts_that_only_a_deduction_reads_are_missing_too() {
    let r = book(
        "x: number \"x\" incidents: number \"事故\" fake: bool \"造假\"",
        &format!("scale 10\n{GRADES}\n deduct incident \"事故\" 3 per incidents max 6\n deduct f \"造假\" 5 when fake"),
        "clause C \"c\" points 10 { require x > 0 }",
    );
    let report = score(&r, "{}");
    assert_eq!(report.missing_facts().collect::<Vec<_>>(), ["x", "incidents", "fake"]);
    let report = score(&r, r#"{"x": 1, "fake": false}"#);
    assert_eq!(report.missing_facts().collect::<Vec<_>>(), ["incidents"]);
    assert_eq!((report.score_min, report.score_max), (num("4"), num("10")));
}

#[test]
fn shared_unknown_yes_no_facts_move_together() {
    let r = book(
        "on: bool \"on\"",
        &format!("scale 3\n{ANY_SCALE}"),
        "clause C1 \"1\" points 1 { when on require true }\n clause C2 \"2\" points 1 { when on require false }\n clause C3 \"3\" points 1 { require false }",
    );
    let report = score(&r, "{}");
    // on = true: 1 of 3; on = false: 0 of 1.
    assert_eq!((report.score_min, report.score_max), (num("0"), num("1")));
}

#[test]
fn a_deduction_moves_with_the_clauses_that_read_its_unknown_fact() {
    // `on`: the clause passes and 5 is deducted (5); not `on`: it fails (0).
    // Apart, the range would be 0 to 10.
    let r = book(
        "on: bool \"on\"",
        &format!("scale 10\n{GRADES}\n deduct d \"扣\" 5 when on"),
        "clause C \"c\" points 10 { require on }",
    );
    let report = score(&r, "{}");
    assert_eq!((report.score_min, report.score_max), (num("0"), num("5")));
    assert_eq!(report.missing_facts().collect::<Vec<_>>(), ["on"]);
    // Both ends score 0 with 10 deducted: determined, though `on` is unknown.
    let r = book(
        "on: bool \"on\"",
        &format!("scale 10\n{GRADES}\n deduct d \"扣\" 10 when on"),
        "clause C \"c\" points 10 { require on }",
    );
    let report = score(&r, "{}");
    assert_eq!(report.score, Some(num("0")));
    assert!(report.determined);
    assert_eq!(report.verdict(), "rectify");
}

#[test]
fn explanations_name_the_deciding_values() {
    let r = one_clause(
        "h: quantity m \"h\"",
        "require h >= gb14554.min_stack_height fix \"加高\" en \"raise\" within 30 days",
    );
    let report = score(&r, r#"{"h": 12}"#);
    let clause = report.clauses().next();
    let explanation = clause.map(|c| c.explanation()).unwrap_or_default();
    assert!(explanation.contains("h = 12 m"), "{explanation}");
    assert!(explanation.contains("gb14554.min_stack_height = 15 m"), "{explanation}");
    let deadline = clause.and_then(|c| c.fix()).and_then(|f| f.deadline);
    assert_eq!(deadline, Some("2024-06-19"));
    assert_eq!(report.rectification().count(), 1);
}

#[test]
fn an_undecided_clause_has_a_fix_only_if_it_may_fail_or_earn_partial_credit() {
    let r = one_clause(
        "x: number \"x\" on: bool \"on\"",
        "when on require x >= 10 partial 0.5 when x >= 5 fix \"修\" en \"fix\" within 10 days",
    );
    let fix = |facts: &str| {
        let report = score(&r, facts);
        let clause = report.clauses().next().unwrap();
        assert_eq!(clause.status(), Status::Unknown, "{facts}");
        let text = ecorule::render_text(&report, false);
        (clause.fix().and_then(|f| f.deadline).map(str::to_string), text.contains("fix by"))
    };
    // Passes or does not apply: nothing to fix, whichever way `on` turns out.
    assert_eq!(fix(r#"{"x": 12}"#), (None, false));
    // May earn partial credit, or fail: what to fix and by when.
    assert_eq!(fix(r#"{"x": 7}"#), (Some("2024-05-30".to_string()), true));
    assert_eq!(fix(r#"{"x": 1}"#), (Some("2024-05-30".to_string()), true));
    assert_eq!(fix(r#"{"on": true}"#), (Some("2024-05-30".to_string()), true));
}

fn audit_error(rulebook: &Rulebook, audit: &str, strict: bool) -> Vec<ecorule::ErrorInfo> {
    match rulebook.score_json(audit, &ScoreOptions::strict(strict)) {
        Ok(_) => panic!("{audit} should not score"),
        Err(e) => e.to_info(),
    }
}

#[test]
fn bad_audit_values_name_the_fact_the_expectation_and_the_value() {
    let r = one_clause(
        "h: quantity m \"h\" d: date \"d\" kind: enum { a, b } \"k\" ok: bool \"ok\"",
        "require h > 1 m and d > 2020-01-01 and kind == a and ok",
    );
    let errors = audit_error(&r, r#"{"facts": {"h": "12 kg", "d": "2023-02-30", "kind": "c", "ok": "yes"}}"#, false);
    let facts: Vec<String> = errors.iter().filter_map(|e| e.fact.as_ref()).map(|f| f.fact.clone()).collect();
    assert_eq!(facts, vec!["h", "d", "kind", "ok"]);
    let h = errors.first().and_then(|e| e.fact.clone());
    assert_eq!(h.as_ref().map(|f| f.expected.as_str()), Some("a quantity in m"));
    assert!(h.is_some_and(|f| f.given.contains("12 kg")));
}

#[test]
fn a_date_is_the_day_alone() {
    let r = one_clause("d: date \"d\"", "require d > 2020-01-01");
    for (given, help) in [
        ("2024-06-01Tgarbage", "give the day only"),
        ("2024-06-01T10:00:00+08:00", "give the day only"),
        ("2024-06-01 00:00:00", "give the day only"),
        ("2024-6-1", "dates are written YYYY-MM-DD"),
        ("2024-06-01 x", "dates are written YYYY-MM-DD"),
    ] {
        let errors = audit_error(&r, &format!("{{\"facts\": {{\"d\": \"{given}\"}}}}"), false);
        let help_given = errors.first().and_then(|e| e.help.clone()).unwrap_or_default();
        assert!(help_given.starts_with(help), "{given}: {help_given}");
    }
    assert_eq!(status(&score(&r, r#"{"d": "2024-06-01"}"#), "C"), Status::Pass);
    // Spaces around it, as a spreadsheet's cell keeps them, are left out.
    assert_eq!(status(&score(&r, r#"{"d": " 2024-06-01 "}"#), "C"), Status::Pass);
}

#[test]
fn an_enum_value_close_to_a_declared_one_gets_a_hint() {
    let r = one_clause("plant: enum { spray, biofilter } \"p\"", "require plant == spray");
    let help = |value: &str| {
        let errors = audit_error(&r, &format!(r#"{{"facts": {{"plant": "{value}"}}}}"#), false);
        errors.first().map(|e| (e.message.clone(), e.help.clone()))
    };
    let (message, hint) = help("sprey").unwrap_or_default();
    assert!(message.contains("expects one of spray, biofilter"), "{message}");
    assert_eq!(hint.as_deref(), Some("did you mean `spray`?"));
    assert_eq!(help("charcoal").map(|(_, hint)| hint), Some(None), "nothing close: no hint");
}

#[test]
fn a_quantity_object_out_of_bounds_is_quoted_in_its_error() {
    let r = one_clause("h: quantity m min 0 \"h\"", "require h > 1 m");
    for (given, shown) in [
        (r#"{"value": -5, "unit": "m"}"#, r#"{"value": -5, "unit": "m"}"#),
        (r#"{"unit": "cm", "value": "-5"}"#, r#"{"value": "-5", "unit": "cm"}"#),
    ] {
        let errors = audit_error(&r, &format!(r#"{{"facts": {{"h": {given}}}}}"#), false);
        let first = errors.first().map(|e| (e.message.clone(), e.message_zh.clone().unwrap_or_default()));
        let (message, zh) = first.unwrap_or_default();
        assert!(message.ends_with(&format!("but the audit gives {shown}")), "{message}");
        assert!(zh.ends_with(&format!("但审核给出 {shown}")), "{zh}");
    }
}

#[test]
fn a_yes_or_no_given_as_a_number_or_a_word_says_how_to_write_it() {
    let r = one_clause("ok: bool \"o\"", "require ok");
    for given in ["1", "0", "\"TRUE\"", "\"yes\"", "\"是\""] {
        let errors = audit_error(&r, &format!(r#"{{"facts": {{"ok": {given}}}}}"#), false);
        let first = errors.first();
        assert!(first.is_some_and(|e| e.message.contains("expects true or false")), "{given}: {errors:?}");
        let help = first.and_then(|e| e.help.clone()).unwrap_or_default();
        assert!(help.starts_with("a yes-or-no fact takes true or false, unquoted"), "{given}: {help}");
        assert!(first.and_then(|e| e.help_zh.clone()).is_some_and(|h| h.contains("true 或 false")));
    }
    // A list or an object is no slip of a spreadsheet: the plain error.
    let errors = audit_error(&r, r#"{"facts": {"ok": [true]}}"#, false);
    assert_eq!(errors.first().map(|e| e.help.clone()), Some(None));
    assert_eq!(status(&score(&r, r#"{"ok": true}"#), "C"), Status::Pass);
}

#[test]
fn a_code_given_as_its_number_is_the_code_and_a_wrong_code_gets_no_guess() {
    // Spreadsheets and pandas' read_csv write the codes "1", "2", "3" as
    // numbers (2, or 2.0 in a column with blanks).
    let r = one_clause(
        r#"zone: enum { "1" "一类区", "2" "二类区", "3" "三类区", "02" "旧码" } "z""#,
        r#"require zone == "2""#,
    );
    for given in ["2", "2.0", "\"2\"", "2e0"] {
        assert_eq!(status(&score(&r, &format!(r#"{{"zone": {given}}}"#)), "C"), Status::Pass, "{given}");
    }
    assert_eq!(status(&score(&r, r#"{"zone": 3}"#), "C"), Status::Fail);
    let error = |value: &str| {
        let errors = audit_error(&r, &format!(r#"{{"facts": {{"zone": {value}}}}}"#), false);
        errors.first().map(|e| (e.message.clone(), e.help.clone()))
    };
    // Not a code: the usual error. `"02"` is no number's text.
    let (message, hint) = error("7").unwrap_or_default();
    assert!(message.contains("expects one of 1, 2, 3, 02, but the audit gives 7"), "{message}");
    assert_eq!(hint, None);
    assert!(error("2.5").is_some());
    // `"4"` is no slip for `"1"`: every one-character code is one edit
    // away, and the first is no better a guess than the others.
    assert_eq!(error(r#""4""#).map(|(_, hint)| hint), Some(None));
}

#[test]
fn undeclared_facts_warn_or_fail_in_strict_mode() {
    let r = one_clause("x: number \"x\"", "require x > 0");
    let report = score(&r, r#"{"x": 1, "y": 2}"#);
    assert!(report.warnings().iter().any(|w| w.contains("fact `y`")));
    let errors = audit_error(&r, r#"{"facts": {"x": 1, "y": 2}}"#, true);
    assert!(errors.iter().any(|e| e.message.contains("fact `y`")));
}

#[test]
fn a_fact_or_audit_field_at_the_top_level_is_told_where_it_belongs() {
    // A table's row given as the audit: every fact beside `facts`.
    let r = one_clause("stack.height: quantity m \"h\"", "require stack.height > 0 m");
    let audit = r#"{"audit.date": "2024-05-20", "stack.height": "25 m", "stack": {"height": 1}, "other": 1}"#;
    let report = r.score_json(audit, &ScoreOptions::default()).unwrap();
    assert_eq!(
        report.warnings(),
        [
            "top-level key `audit.date` is not declared by rulebook `t`, and is ignored; the audit's own fields go under `audit`: {\"audit\": {\"date\": …}}",
            "top-level key `other` is not declared by rulebook `t`, and is ignored",
            "top-level key `stack.height` is not declared by rulebook `t`, and is ignored; facts go under `facts`: {\"facts\": {\"stack.height\": …}}",
            "top-level key `stack` is not declared by rulebook `t`, and is ignored; facts go under `facts`: {\"facts\": {\"stack\": …}}",
        ]
    );
    let zh = report.warnings_zh().unwrap_or_default();
    assert_eq!(
        zh.get(2).map(String::as_str),
        Some(
            "顶层键 `stack.height` 未在规则集 `t` 中声明，已忽略；数据项应写在 `facts` 之下：{\"facts\": {\"stack.height\": …}}"
        )
    );
    // In strict mode the same is an error, with the same help.
    let errors = audit_error(&r, audit, true);
    let help = errors.iter().find(|e| e.message.contains("`stack.height`")).and_then(|e| e.help.clone());
    assert_eq!(help.as_deref(), Some("facts go under `facts`: {\"facts\": {\"stack.height\": …}}"));
    // Refused, not ignored: the message says neither.
    assert!(errors.iter().all(|e| !e.message.contains("ignored") && !e.message.contains("忽略")), "{errors:?}");
}

#[test]
fn the_order_of_an_audits_keys_does_not_change_its_report() {
    let r = one_clause("x: number \"x\"", "require x > 0");
    // The same audit, its keys in another order: JSON objects have none,
    // and a dict or a JS object may hand them over in any.
    let a = r#"{"audit": {"date": "2024-05-20", "id": "A1", "zone": 1, "enterprise": {"region": "普陀", "id": "E"}},
               "facts": {"zz": 1, "x": 1, "aa": {"b": 2}}, "extra": 1}"#;
    let b = r#"{"extra": 1, "facts": {"aa": {"b": 2}, "x": 1, "zz": 1},
               "audit": {"enterprise": {"id": "E", "region": "普陀"}, "zone": 1, "id": "A1", "date": "2024-05-20"}}"#;
    let options = ScoreOptions::default();
    let (a, b) = (r.score_json(a, &options).unwrap(), r.score_json(b, &options).unwrap());
    assert_eq!(a.warnings().len(), 4, "{:?}", a.warnings());
    assert_eq!(a.to_json(), b.to_json());
}

#[test]
fn an_empty_key_or_an_empty_object_under_no_fact_is_undeclared() {
    let r = one_clause("stack.height: quantity m \"h\"", "require stack.height > 1 m");
    // Before, `""` was read as no key at all (so `stack.height` bound) and
    // `{}` under an unknown name said nothing.
    let report = score(&r, r#"{"stack": {}, "zzz": {}, "": {"stack.height": 2}}"#);
    let warnings = report.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("fact `zzz`")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("fact ``")), "{warnings:?}");
    assert_eq!(status(&report, "C"), Status::Unknown);
    let errors = audit_error(&r, r#"{"facts": {"stack": {"": 1, "height": 2}}}"#, true);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["fact `stack.` is not declared by rulebook `t`"]);
}

#[test]
fn duplicate_keys_and_non_json_are_rejected() {
    let r = one_clause("x: number \"x\"", "require x > 0");
    let errors = audit_error(&r, r#"{"facts": {"x": 1, "x": 2}}"#, false);
    assert!(errors.iter().any(|e| e.message.contains("duplicate key `x`")));
    let errors = audit_error(&r, r#"{"facts": {"x": 1e400}}"#, false);
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Audit));
}

#[test]
fn a_fact_given_flat_and_nested_is_an_error_in_either_order() {
    let r =
        one_clause("permit.valid_until: date \"p\" ok: bool \"ok\"", "require permit.valid_until > 2021-01-01 and ok");
    let flat = r#""permit.valid_until": "2025-01-01""#;
    let nested = r#""permit": {"valid_until": "2020-01-01"}"#;
    let unset = r#""permit": {"valid_until": null}"#;
    for (first, second) in [(flat, nested), (nested, flat), (unset, flat)] {
        // The error before the second one and the one after are both kept.
        let audit = format!(r#"{{"facts": {{"ok": "yes", {first}, {second}, "permit.nope": 1}}}}"#);
        let errors = audit_error(&r, &audit, true);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{audit}: {messages:?}");
        assert!(messages.contains(&"fact `permit.valid_until` is given twice"), "{audit}: {messages:?}");
        assert!(messages.iter().any(|m| m.starts_with("fact `ok` expects")), "{audit}: {messages:?}");
        assert!(messages.iter().any(|m| m.starts_with("fact `permit.nope` is not declared")), "{audit}: {messages:?}");
        assert!(errors.iter().all(|e| e.kind == ErrorKind::Audit));
    }
    // An undeclared fact given twice is as ambiguous: not two warnings.
    let audit = r#"{"facts": {"ok": true, "permit.valid_until": "2025-01-01", "a": {"b.c": 1}, "a.b": {"c": 2}}}"#;
    let messages: Vec<String> = audit_error(&r, audit, false).into_iter().map(|e| e.message).collect();
    assert_eq!(messages, ["fact `a.b.c` is given twice"]);
}

#[test]
fn report_json_round_trips_through_serde() {
    let r = policy_book("rescale");
    let report = score(&r, r#"{"x": 0.5, "on": false}"#);
    let json = report.to_json();
    let back: Result<Report, _> = serde_json::from_str(&json);
    assert_eq!(back.ok().as_ref(), Some(&report));
}

#[test]
fn a_stored_report_naming_an_unknown_clause_says_which_list_names_it() {
    let r = policy_book("rescale");
    let json = score(&r, r#"{"x": 0.5, "on": false}"#).to_json();
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    for field in ["vetoes", "possible_vetoes"] {
        let mut bad = value.clone();
        bad[field] = serde_json::json!(["Z9"]);
        let error = serde_json::from_value::<Report>(bad).unwrap_err().to_string();
        assert_eq!(error, format!("`{field}` names `Z9`, which is not a clause of the report"));
    }
    value["rectification"] = serde_json::json!([{"clause": "Z9"}]);
    let error = serde_json::from_value::<Report>(value).unwrap_err().to_string();
    assert_eq!(error, "`rectification` names `Z9`, which is not a clause of the report");
}

#[test]
fn reports_whose_json_differs_only_in_the_better_ends_labels_are_not_equal() {
    // An undecided audit: `grade_best` and `verdict_best` differ from the
    // worse end's, so the JSON gives their labels apart.
    let r = one_clause("x: number \"x\"", "require x >= 10");
    let report = score(&r, "{}");
    assert_ne!(report.grade(), report.grade_best());
    assert_ne!(report.verdict(), report.verdict_best());
    let json = report.to_json();
    for field in ["grade_best_label", "verdict_best_label"] {
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value[field]["en"] = serde_json::json!("relabelled");
        let other: Report = serde_json::from_value(value).unwrap();
        assert_ne!(other.to_json(), json, "{field}");
        assert_ne!(other, report, "{field}");
    }
}

#[test]
fn a_report_names_its_engine_and_a_stored_one_keeps_the_engine_it_names() {
    let r = policy_book("rescale");
    let report = score(&r, r#"{"x": 0.5, "on": false}"#);
    assert_eq!(report.engine(), Some(ecorule::ENGINE));
    let json = report.to_json();
    assert!(json.contains(&format!("\n  \"engine\": \"{}\",\n", ecorule::ENGINE)), "{json}");
    let made_by = format!("made by {}", ecorule::ENGINE);
    assert!(ecorule::render_text(&report, false).contains(&format!("\n{made_by}\n")));
    assert!(ecorule::render_markdown(&report).contains(&format!("\n- {made_by}\n")));
    assert!(ecorule::render_html([&report]).contains(&format!("made by <code>{}</code>", ecorule::ENGINE)));
    // Read back, a report written by another engine, or by one from before
    // reports named their engine, is written again as it was.
    let older = json.replace(ecorule::ENGINE, "ecorule 0.0.9+r7");
    let read: Report = serde_json::from_str(&older).unwrap();
    assert_eq!(read.engine(), Some("ecorule 0.0.9+r7"));
    assert_eq!(read.to_json(), older);
    let unnamed = json.replace(&format!("\n  \"engine\": \"{}\",", ecorule::ENGINE), "");
    let read: Report = serde_json::from_str(&unnamed).unwrap();
    assert_eq!(read.engine(), None);
    assert_eq!(read.to_json(), unnamed);
}

#[test]
fn ban_rectify_and_standardize_have_default_titles() {
    let scoring = "scale 10\n grade ok \"合格\" otherwise\n verdict ban when vetoed\n verdict rectify \"限期整改\" en \"fix in time\" when score < 6\n verdict standardize otherwise";
    let r = book("x: number \"x\"", scoring, "clause C \"c\" points 10 veto { require x >= 10 }");
    let labels: Vec<(String, String, String)> =
        r.info().verdicts.into_iter().map(|v| (v.id, v.label.zh, v.label.en)).collect();
    let expected =
        [("ban", "取缔", "ban"), ("rectify", "限期整改", "fix in time"), ("standardize", "规范", "standardize")];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(labels, expected, "a written title wins over the default one");
    let report = score(&r, r#"{"x": 1}"#);
    assert_eq!((report.verdict(), report.verdict_label().zh.as_str()), ("ban", "取缔"));
    assert_eq!(score(&r, r#"{"x": 12}"#).verdict_label().en, "standardize");
}

#[test]
fn other_verdicts_and_grades_need_a_title() {
    let source = |scoring: &str| {
        format!(
            "rulebook t \"测试\" {{\n  facts {{ x: number \"x\" }}\n  scoring {{\n    scale 1\n{scoring}\n  }}\n  area A \"区\" {{ clause C \"c\" points 1 {{ require x > 0 }} }}\n}}\n"
        )
    };
    let errors = Rulebook::compile(
        "t.eco",
        &source("    grade ok \"合格\" otherwise\n    verdict watch when score < 1\n    verdict fine \"好\" otherwise"),
    )
    .expect_err("a verdict of its own name without a title is refused");
    let messages: Vec<(ErrorKind, String)> = errors.iter().map(|e| (e.kind(), e.message().to_string())).collect();
    assert_eq!(messages, vec![(ErrorKind::Scoring, "verdict `watch` has no title".to_string())]);
    // Grades have no default titles: leaving one out is refused by name, as for a verdict.
    let errors = Rulebook::compile("t.eco", &source("    grade ok otherwise\n    verdict ban otherwise"))
        .expect_err("a grade without a title is refused");
    let messages: Vec<(ErrorKind, String)> = errors.iter().map(|e| (e.kind(), e.message().to_string())).collect();
    assert_eq!(messages, vec![(ErrorKind::Scoring, "grade `ok` has no title".to_string())]);
}

#[test]
fn parentheses_group_and_stay_in_explanations() {
    let r = one_clause(
        "a: bool \"a\" b: bool \"b\" c: bool \"c\"",
        "require (a or b) and c partial 0.5 when not (a and b)",
    );
    // `(a or b) and c` differs from `a or b and c` at a = true, c = false.
    let report = score(&r, r#"{"a": true, "b": false, "c": false}"#);
    assert_eq!(status(&report, "C"), Status::Partial);
    let explanation = report.clause("C").map(|c| c.explanation().to_string()).unwrap_or_default();
    assert!(explanation.contains("`(a or b) and c`"), "{explanation}");
    assert!(explanation.contains("`not (a and b)`"), "{explanation}");
}

#[test]
fn units_in_chinese_dates_without_zeros_and_odd_spaces_get_a_help() {
    let source = |require: &str, within: &str| {
        format!(
            "rulebook t \"测试\" {{\n  facts {{ h: quantity m \"h\" d: date \"d\" }}\n  scoring {{ scale 1 grade ok \"合格\" otherwise verdict standardize otherwise }}\n  area A \"区\" {{ clause C \"c\" points 1 {{ require {require} fix \"修\" within {within} }} }}\n}}\n"
        )
    };
    let help = |require: &str, within: &str| {
        let errors = Rulebook::compile("t.eco", &source(require, within)).expect_err(require);
        errors.iter().next().and_then(|e| e.help().map(str::to_string)).unwrap_or_default()
    };
    assert_eq!(help("h >= 8 米", "30 days"), "units are written as symbols: `m` for `米`");
    assert_eq!(help("h >= 8 立方米", "30 days"), "units are written as symbols: `m³` for `立方米`");
    assert_eq!(help("h >= 8 m", "90 天"), "units are written as symbols: `days` for `天`");
    assert_eq!(
        help("d >= 2024-6-1", "30 days"),
        "a date is written YYYY-MM-DD, with two digits for month and day: `2024-06-01`"
    );
    // A space that looks like one, or like nothing, is named.
    for (space, name) in [("\u{a0}", "a no-break space (U+00A0)"), ("\u{200b}", "a zero-width space (U+200B)")] {
        let errors = Rulebook::compile("t.eco", &source(&format!("h >={space}8 m"), "30 days")).expect_err(name);
        let first = errors.iter().next().map(|e| (e.message().to_string(), e.help().map(str::to_string)));
        let (message, help) = first.unwrap_or_default();
        assert!(message.ends_with(&format!("found {name}")), "{message}");
        assert_eq!(
            help.as_deref(),
            Some(format!("{name} looks like a space or like nothing: write a plain space, or delete it").as_str())
        );
    }
    // A slip of an ASCII operator keeps its hint.
    assert_eq!(help("h >= 8 adn h <= 9", "30 days"), "did you mean `and`?");
}

#[test]
fn a_fact_whose_type_has_an_error_is_reported_once_not_at_each_use() {
    let source = "rulebook t \"t\" {\n  facts {\n    nox: quantity mg/Nm3 \"n\"\n    o2: number \"o\"\n  }\n  scoring { scale 2 grade a \"a\" otherwise verdict standardize otherwise }\n  area A \"a\" {\n    clause C1 \"1\" points 1 { require nox <= 100 mg/m³ }\n    clause C2 \"2\" points 1 { require o2 < 1 and nox > 0 mg/m³ }\n  }\n}\n";
    let errors = Rulebook::compile("t.eco", source).err().map(|e| e.to_info()).unwrap_or_default();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        ["unknown unit `Nm3`: a normal cubic metre is a cubic metre at standard conditions (273 K, 101.325 kPa), \
             as GB emission limits are set, so write `m³`"]
    );
}

#[test]
fn operators_of_other_languages_get_a_help() {
    let source = |require: &str| {
        format!(
            "rulebook t \"测试\" {{\n  facts {{ a: bool \"a\" b: bool \"b\" x: number \"x\" }}\n  scoring {{ scale 1 grade ok \"合格\" otherwise verdict standardize otherwise }}\n  area A \"区\" {{ clause C \"c\" points 1 {{ require {require} }} }}\n}}\n"
        )
    };
    let cases = [
        ("a && b", "`&&`", "write `and`"),
        ("a || b", "`||`", "write `or`"),
        ("!a", "`!`", "write `not`"),
        ("x = 1", "`=`", "write `==`"),
        ("x === 1", "`===`", "write `==`"),
    ];
    for (require, found, help) in cases {
        let errors = Rulebook::compile("t.eco", &source(require)).expect_err(require);
        let first = errors.iter().next().map(|e| (e.kind(), e.message().to_string(), e.help().map(str::to_string)));
        let Some((kind, message, Some(text))) = first else {
            panic!("`{require}`: no error with a help: {}", errors.render(false));
        };
        assert_eq!(kind, ErrorKind::Syntax, "{require}");
        assert!(message.ends_with(&format!("found {found}")), "`{require}`: {message}");
        // Where an operator or an expression may stand, `(` is not listed.
        assert!(!message.contains("`(`"), "`{require}`: {message}");
        assert!(text.contains(help), "`{require}`: {text}");
    }
    // `===` is told what may stand where it starts, as a lone `=` is.
    let message = |require: &str| {
        let errors = Rulebook::compile("t.eco", &source(require)).expect_err(require);
        errors.iter().next().map(|e| e.message().to_string()).unwrap_or_default()
    };
    assert_eq!(message("x === 1").replace("`===`", "`=`"), message("x = 1"));
    // `!=` is the language's own: an error after it gets no such help.
    let errors = Rulebook::compile("t.eco", &source("x != 1 +")).expect_err("a dangling operator");
    assert!(errors.iter().all(|e| e.help().is_none()), "{}", errors.render(false));
}

#[test]
fn a_plain_number_against_a_quantity_gets_the_help_that_fits() {
    let help = |require: &str| {
        let source = format!(
            "rulebook t \"测试\" {{\n  facts {{ h: quantity m \"h\" n: number \"n\" d: date \"d\" }}\n  scoring {{ scale 1 grade ok \"合格\" otherwise verdict standardize otherwise }}\n  area A \"区\" {{ clause C \"c\" points 1 {{ require {require} }} }}\n}}\n"
        );
        let errors = Rulebook::compile("t.eco", &source).expect_err(require);
        errors.iter().next().and_then(|e| e.help()).unwrap_or_default().to_string()
    };
    // A number written without its unit: the help shows it with one.
    assert_eq!(help("h > 15"), "give the number its unit, as in `15 m`");
    // A fact declared a plain number: the unit belongs in its declaration.
    assert!(help("n > 1 m").starts_with("`n` is a plain number"), "{}", help("n > 1 m"));
    // A date moves by a duration.
    assert!(help("d > audit.date + 30").contains("`30 days`"), "{}", help("d > audit.date + 30"));
}

#[test]
fn html_escapes_every_text_and_holds_every_report() {
    let source = r#"rulebook x "<script>alert(1)</script>" en "A & B" {
  facts { t: text "t" n: number "n" }
  scoring {
    scale 2
    grade ok "<b>ok</b>" otherwise
    verdict fine "fine" otherwise
    deduct d "<u>cause</u>" 1 per n max 1
  }
  area A "<i>area</i>" {
    clause C "<img src=x>" points 1 veto { require t == "<x>" fix "'quote'" within 5 days }
    clause D "d" points 1 { require n > 0 }
  }
}"#;
    let r = Rulebook::compile("x.eco", source).expect("compiles");
    let audit = r#"{"audit": {"id": "<id>", "date": "2024-01-01"}, "facts": {"t": "<y>", "n": 1}}"#;
    let failing = r.score_json(audit, &ScoreOptions::default()).expect("scores");
    let passing = score(&r, r#"{"t": "<x>"}"#);
    let page = ecorule::render_html([&failing, &passing]);
    for raw in ["<script>", "<b>ok", "<i>area", "<img", "<id>", "<y>", "<x>", "<u>", "'quote'"] {
        assert!(!page.contains(raw), "{raw} is not escaped");
    }
    for escaped in
        ["&lt;script&gt;", "A &amp; B", "&lt;img src=x&gt;", "&#39;quote&#39;", "&lt;u&gt;cause&lt;/u&gt;: −1.00"]
    {
        assert!(page.contains(escaped), "{escaped} is missing");
    }
    // One document, both reports in their order, each with its statuses,
    // the veto mark and, for the failing audit, its deadline.
    assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(page.matches("<div class=\"ecorule-report\">").count(), 2);
    let (first, second) = page.split_once("<hr>").unwrap_or_default();
    assert!(first.contains("ecorule-fail") && first.contains("2024-01-06") && first.contains("one-vote veto"));
    assert!(
        second.contains("ecorule-pass") && second.contains("ecorule-unknown") && second.contains("Still to answer: n")
    );
    // The fragment is the document's body.
    assert!(page.contains(&ecorule::render_html_fragment(&failing)));
}

#[test]
fn unused_facts_and_lets_are_warnings() {
    let source = r#"rulebook t "测试" {
  facts {
    a: bool "a"
    b: bool "b"
    c: number "c"
    d: number "d"
    spare: text "没用"
    e: number "e"
  }
  let doubled = c * 2
  let over = doubled > 3
  let left_behind = d + 1
  let step = e + d
  let last_step = step * 2
  let also_behind = step > 0
  scoring { scale 1 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" { clause C "c" points 1 { when b require a and over } }
}"#;
    let r = Rulebook::compile("t.eco", source).expect("warnings do not stop a compile");
    let warnings: Vec<(ErrorKind, String, bool)> =
        r.warnings().iter().map(|w| (w.kind(), w.message().to_string(), w.is_warning())).collect();
    // `b` (read by `when`) and `c` (through two lets) are read. What only
    // unused lets read is unused too, and the warning names those lets.
    let unused = |message: &str| (ErrorKind::Unused, message.to_string(), true);
    assert_eq!(
        warnings,
        [
            unused("fact `d` is read only by `left_behind` and `step`, which nothing uses"),
            unused("fact `spare` is declared but nothing reads it"),
            unused("fact `e` is read only by `step`, which nothing uses"),
            unused("`left_behind` is defined but nothing uses it"),
            unused("`step` is used only by `last_step` and `also_behind`, which nothing uses"),
            unused("`last_step` is defined but nothing uses it"),
            unused("`also_behind` is defined but nothing uses it"),
        ]
    );
    let rendered = r.warnings().iter().map(|w| w.render(false)).collect::<String>();
    assert!(rendered.starts_with("Warning: fact `d`"), "{rendered}");
    assert!(rendered.contains("t.eco:7:5"), "{rendered}");
}

#[test]
fn comparisons_that_are_likely_slips_are_warnings() {
    let source = r#"rulebook t "测试" {
  use db33_2146
  facts {
    cod: quantity mg/L min 0 "化学需氧量"
    voc: quantity mg/m³ min 0 "VOCs"
    count: number min 0 "个数"
    removal: number min 0 max 1 "去除率"
    permit: date min 2020-01-01 "许可证"
  }
  let floor = 0
  let same = count >= floor
  scoring { scale 5 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" {
    clause C1 "一" points 1 { require cod <= 50 mg/m³ and cod <= 50 mg/L and voc <= 60 mg/m³ }
    clause C2 "二" points 1 { require voc <= db33_2146.particulate and cod <= db33_2146.nmhc }
    clause C3 "三" points 1 { require same and same and removal >= 0 % and count > 0 }
    clause C4 "四" points 1 { require permit >= 2019-12-31 and permit >= 2020-01-02 }
    clause C5 "五" points 1 { require removal <= 1 or count != -1 }
  }
}"#;
    let r = Rulebook::compile("t.eco", source).expect("warnings do not stop a compile");
    let warnings: Vec<(ErrorKind, String, bool)> =
        r.warnings().iter().map(|w| (w.kind(), w.message().to_string(), w.is_warning())).collect();
    let slip = |message: &str| (ErrorKind::Suspicious, message.to_string(), true);
    // Each once, in source order: the `let` read twice warns once, at the `let`.
    assert_eq!(
        warnings,
        [
            slip(
                "`count >= floor` holds for every value an audit may give: `count` is declared `min 0`, and `floor` is 0"
            ),
            slip(
                "`cod <= 50 mg/m³` compares mg/L (per litre, as water is measured) with mg/m³ (per cubic metre, \
                 as air is measured): 1 mg/m³ is 0.001 mg/L"
            ),
            slip(
                "`cod <= db33_2146.nmhc` compares mg/L (per litre, as water is measured) with mg/m³ (per cubic \
                 metre, as air is measured): 1 mg/m³ is 0.001 mg/L"
            ),
            slip("`removal >= 0 %` holds for every value an audit may give: `removal` is declared `min 0 max 1`"),
            slip(
                "`permit >= 2019-12-31` holds for every value an audit may give: `permit` is declared `min 2020-01-01`"
            ),
            slip("`removal <= 1` holds for every value an audit may give: `removal` is declared `min 0 max 1`"),
            slip("`count != -1` holds for every value an audit may give: `count` is declared `min 0`"),
        ]
    );
    let rendered = r.warnings().iter().map(|w| w.render(false)).collect::<String>();
    assert!(rendered.contains("t.eco:11:14"), "{rendered}");
    // A comparison the audit's value decides scores as written.
    let report =
        score(&r, r#"{"cod": "40 mg/L", "voc": "55 mg/m³", "count": 0, "removal": 0.5, "permit": "2020-01-01"}"#);
    assert_eq!(status(&report, "C1"), Status::Fail);
    assert_eq!(status(&report, "C3"), Status::Fail);
    assert_eq!(status(&report, "C4"), Status::Fail);
    assert_eq!(status(&report, "C5"), Status::Pass);
}

#[test]
fn an_amount_held_only_below_limits_without_a_min_is_a_warning_at_its_first_limit() {
    let source = r#"rulebook t "测试" {
  facts {
    pm: quantity mg/m³ "颗粒物"
    hold: duration "暂存时间"
    ph: number "pH"
    water: quantity °C "水温"
    depth: quantity m "深度"
    stack: quantity m min 0 "排气筒高度"
    rate: quantity kg/h "速率"
  }
  scoring { scale 6 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" {
    clause C1 "一" points 1 { require pm <= 20 mg/m³ and 30 mg/m³ > pm }
    clause C2 "二" points 1 { require hold <= 24 h and ph <= 9 and water <= 40 °C }
    clause C3 "三" points 1 { require depth <= 10 m and depth > 1 m and stack <= 15 m }
    clause C4 "四" points 1 { require rate <= -1 kg/h or rate <= pm * 1 m³/h }
    clause C5 "五" points 1 { require pm != 0 mg/m³ or true }
    clause C6 "六" points 1 { require true }
  }
}"#;
    let r = Rulebook::compile("t.eco", source).expect("warnings do not stop a compile");
    let warnings: Vec<(ErrorKind, &str)> = r.warnings().iter().map(|w| (w.kind(), w.message())).collect();
    // Not a plain number, a temperature, a fact held above too, one with a
    // `min`, nor one held below a negative limit or another fact.
    assert_eq!(
        warnings,
        [(
            ErrorKind::Suspicious,
            "`hold <= 24 h` holds for a negative `hold` too: it has no `min`, and is only held below limits"
        )]
    );
    let rendered = r.warnings().iter().map(|w| w.render(false)).collect::<String>();
    assert!(rendered.contains("t.eco:14:38") && rendered.contains("declare `hold` with `min 0`"), "{rendered}");
    // Compared `!=`, `pm` is held otherwise: without C5 it warns, at its first limit.
    let r = Rulebook::compile("t.eco", &source.replace("pm != 0 mg/m³ or true", "true")).unwrap();
    let first = r.warnings().first().map(|w| w.message().to_string()).unwrap_or_default();
    assert_eq!(first, "`pm <= 20 mg/m³` holds for a negative `pm` too: it has no `min`, and is only held below limits");
}

#[test]
fn a_fix_within_one_day_says_day() {
    let r = one_clause("x: number \"x\"", "require x > 0\n fix \"修\" en \"mend\" within 1 day");
    let report = score(&r, r#"{"x": 0}"#);
    assert!(ecorule::render_text(&report, false).contains("fix by 2024-05-21 (1 day): 修 mend"));
    // Without an audit date, Markdown gives the period in its place.
    let undated = r.score_json(r#"{"facts": {"x": 0}}"#, &ScoreOptions::default()).unwrap();
    assert!(ecorule::render_markdown(&undated).contains("| 1 day |"), "{}", ecorule::render_markdown(&undated));
    // No deadline past the last date an audit could give.
    let late = r#"{"audit": {"date": "9999-12-31"}, "facts": {"x": 0}}"#;
    let report = r.score_json(late, &ScoreOptions::default()).unwrap();
    assert_eq!(report.clauses().next().and_then(|c| c.fix()).map(|f| f.deadline), Some(None));
    assert!(
        ecorule::render_text(&report, false).contains("fix (1 day): 修 mend"),
        "{}",
        ecorule::render_text(&report, false)
    );
}

#[test]
fn errors_are_iterated_by_reference() {
    let Err(errors) = Rulebook::compile("e.eco", "rulebook e \"e\" { facts { a: nope \"a\" b: nope \"b\" } }") else {
        panic!("compiled");
    };
    let mut seen = 0;
    for error in &errors {
        assert!(!error.message().is_empty());
        seen += 1;
    }
    assert_eq!(seen, errors.len());
}

#[test]
fn every_human_format_names_the_enterprise_id_and_the_effective_date() {
    let source = "rulebook e \"效\" en \"eff\" {\n  version \"1\"\n  effective 2024-01-01\n  facts { x: number \"x\" }\n  scoring { scale 1 grade a \"甲\" otherwise verdict v \"规范\" otherwise }\n  area A \"区\" { clause C \"c\" points 1 { require x > 0 } }\n}\n";
    let r = Rulebook::compile("e.eco", source).unwrap();
    let audit = r#"{"audit": {"id": "A1", "date": "2024-05-20", "enterprise": {"id": "9133X", "name": "某厂"}}, "facts": {"x": 1}}"#;
    let report = r.score_json(audit, &ScoreOptions::default()).unwrap();
    for page in
        [ecorule::render_text(&report, false), ecorule::render_markdown(&report), ecorule::render_html([&report])]
    {
        assert!(page.contains("A1 · 2024-05-20 · 某厂 · 9133X"), "{page}");
        assert!(page.contains("v1 effective 2024-01-01"), "{page}");
    }
}

#[test]
fn an_audit_before_the_rulebook_is_effective_is_scored_with_a_warning() {
    let source = "rulebook e \"效\" en \"eff\" {\n  version \"2\"\n  effective 2024-01-01\n  facts { x: number \"x\" }\n  scoring { scale 1 grade a \"甲\" otherwise verdict v \"规范\" otherwise }\n  area A \"区\" { clause C \"c\" points 1 { require x > 0 } }\n}\n";
    let r = Rulebook::compile("e.eco", source).unwrap();
    let score = |date: &str| {
        let audit = format!(r#"{{"audit": {{"date": "{date}"}}, "facts": {{"x": 1}}}}"#);
        r.score_json(&audit, &ScoreOptions::default()).unwrap()
    };
    let early = score("2023-12-31");
    assert_eq!(
        early.warnings(),
        ["the audit date 2023-12-31 is before rulebook `e`'s effective date 2024-01-01; \
          score it by the version in force on that date"]
    );
    assert_eq!(
        early.warnings_zh(),
        Some(
            &["审核日期 2023-12-31 早于规则集 `e` 的生效日期 2024-01-01；请按审核日期当日有效的规则集版本评分"
                .to_string()][..]
        )
    );
    assert_eq!(early.score, score("2024-01-01").score);
    assert!(score("2024-01-01").warnings().is_empty());
    let undated = r.score_json(r#"{"facts": {"x": 1}}"#, &ScoreOptions::default()).unwrap();
    assert!(undated.warnings().is_empty());
}

#[test]
fn a_date_counted_since_that_is_after_the_audit_date_is_a_warning() {
    let source = r#"rulebook t "测试" {
  facts {
    drill.last: date "最近演练"
    plan.filed: date "预案备案"
    cp.last: date "清洁生产审核"
    permit.until: date "许可证有效期至"
    training.last: date "培训"
  }
  let since_training = audit.date - training.last
  scoring { scale 5 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" {
    clause C1 "一" points 1 { require drill.last >= audit.date - 1 a }
    clause C2 "二" points 1 { require days_between(plan.filed, audit.date) <= 365 days }
    clause C3 "三" points 1 { require audit.date - 730 days < cp.last }
    clause C4 "四" points 1 { require permit.until >= audit.date and permit.until <= audit.date + 5 a }
    clause C5 "五" points 1 { require since_training <= 365 days }
  }
}"#;
    let r = Rulebook::compile("t.eco", source).unwrap();
    let audit = |date: &str| {
        format!(
            r#"{{"audit": {{"date": "2024-05-20"}}, "facts": {{"drill.last": "{date}", "plan.filed": "{date}",
               "cp.last": "{date}", "permit.until": "{date}", "training.last": "{date}"}}}}"#
        )
    };
    let report = r.score_json(&audit("2024-06-01"), &ScoreOptions::default()).unwrap();
    // Scored as written (each passes), with a warning for each but the permit's.
    assert_eq!(report.score, Some(num("5")));
    let said = |name: &str| {
        format!(
            "fact `{name}` is 2024-06-01, after the audit date 2024-05-20, yet the rulebook counts the time since \
             it: check the date"
        )
    };
    assert_eq!(report.warnings(), [said("drill.last"), said("plan.filed"), said("cp.last"), said("training.last")]);
    assert_eq!(
        report.warnings_zh().and_then(|w| w.first()).map(String::as_str),
        Some(
            "数据项 `drill.last` 为 2024-06-01，晚于审核日期 2024-05-20，但规则集按自 2024-06-01 起经过的时长计算；请核对日期"
        )
    );
    // On the audit date, or before it, nothing is said.
    for date in ["2024-05-20", "2023-06-01"] {
        let report = r.score_json(&audit(date), &ScoreOptions::default()).unwrap();
        assert!(report.warnings().is_empty(), "{date}: {:?}", report.warnings());
    }
}

#[test]
fn min_and_max_of_a_list_say_that_a_list_is_given() {
    let error = |require: &str| {
        let source = format!(
            "rulebook t \"测试\" {{\n  facts {{ s: list quantity mg/m³ \"s\" h: quantity mg/m³ \"h\" }}\n  scoring {{ scale 1 grade ok \"合格\" otherwise verdict standardize otherwise }}\n  area A \"区\" {{ clause C \"c\" points 1 {{ require {require} }} }}\n}}\n"
        );
        let errors = Rulebook::compile("t.eco", &source).expect_err(require);
        let first = errors.iter().next().map(|e| (e.kind(), e.message().to_string(), e.help().map(str::to_string)));
        first.unwrap_or_else(|| panic!("`{require}`: no error"))
    };
    // A monitoring series given to `max`: the message names the list, and
    // the help says what can be written instead.
    let (kind, message, help) = error("max(s) <= 2 mg/m³");
    assert_eq!(kind, ErrorKind::Type);
    assert_eq!(
        message,
        "`max` takes numbers of one unit, not a list: `s` is a list of a concentration (mass per volume)"
    );
    assert!(help.is_some_and(|h| h.contains("one by one")), "max(s)");
    let (_, message, _) = error("min(h, s) <= 2 mg/m³");
    assert!(message.starts_with("`min` takes numbers of one unit, not a list: `s` is a list"), "{message}");
    // Numbers of different units keep the message they had.
    let (_, message, help) = error("max(h, 1 m) <= 2 mg/m³");
    assert_eq!(message, "`max` takes one or more numbers of the same unit");
    assert_eq!(help, None);
}

#[test]
fn the_language_reference_names_every_key_of_a_report_and_of_its_rectification_items() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/language.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc.find("\n## The report\n").unwrap();
    let section = doc.get(start + 1..).unwrap();
    let section = section.get(..section.find("\n## ").unwrap()).unwrap();
    let r = one_clause("x: number \"x\"", "require x >= 10 fix \"加\" en \"add\" within 30 days");
    let report: serde_json::Value = serde_json::from_str(&score(&r, r#"{"x": 1}"#).to_json()).unwrap();
    let item = &report["rectification"][0];
    for (what, keys) in [("report", report.as_object().unwrap()), ("rectification item", item.as_object().unwrap())] {
        for key in keys.keys() {
            assert!(section.contains(&format!("`{key}`")), "docs/language.md does not name the {what}'s `{key}`");
        }
    }
}

#[test]
fn a_clause_names_its_area_however_it_is_reached_and_read_back() {
    let source = r#"rulebook t "测试" en "test" {
      facts { x: number "x" y: number "y" }
      scoring {
        scale 2
        grade ok "合格" when score >= 2
        grade bad "不合格" otherwise
        verdict standardize "规范" otherwise
      }
      area A "甲" en "first" { clause C1 "c1" points 1 { require x >= 1 } }
      area B "乙" en "second" { clause C2 "c2" points 1 { require y >= 1 fix "加" en "add" within 30 days } }
    }"#;
    let r = Rulebook::compile("t.eco", source).unwrap();
    let report = score(&r, r#"{"x": 1, "y": 0}"#);
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    for report in [&report, &back] {
        for area in report.areas() {
            for clause in area.clauses() {
                assert_eq!(clause.area().id(), area.id());
            }
        }
        assert_eq!(report.clause("C1").unwrap().area().id(), "A");
        let item = report.rectification().next().unwrap();
        assert_eq!((item.clause().id(), item.clause().area().id()), ("C2", "B"));
        assert_eq!(item.clause().area().title_en(), "second");
    }
}

#[test]
fn fmt_writes_a_fix_of_one_day_in_the_singular() {
    let source = "rulebook z \"z\" {\n  facts {\n    x: bool \"x\"\n  }\n  scoring { scale 2\n grade a \"a\" otherwise\n verdict standardize otherwise }\n  area A \"a\" {\n clause C1 \"一\" points 1 { require x\n fix \"修\" within 1 day }\n clause C2 \"二\" points 1 { require x\n fix \"修\" within 2 d }\n }\n}\n";
    let parsed_source = ecorule::Source::new("z.eco", source);
    let parsed = ecorule::parse(&parsed_source, &ecorule::Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let formatted = ecorule::fmt::format(&parsed, source);
    assert!(formatted.contains("fix \"修\" within 1 day\n"), "{formatted}");
    assert!(formatted.contains("fix \"修\" within 2 days\n"), "{formatted}");
}

#[test]
fn a_date_or_an_amount_written_in_quotes_is_told_to_leave_them_out() {
    let help = |facts: &str, require: &str| {
        let source = format!(
            "rulebook t \"t\" {{\n  facts {{ {facts} }}\n  scoring {{ scale 1\n grade a \"a\" otherwise\n verdict standardize otherwise }}\n  area A \"a\" {{ clause C \"c\" points 1 {{ require {require} }} }}\n}}\n"
        );
        let errors = Rulebook::compile("t.eco", &source).err().map(|e| e.to_info()).unwrap_or_default();
        errors.first().and_then(|e| e.help.clone()).unwrap_or_default()
    };
    let d = "d: date \"d\"";
    assert_eq!(help(d, "d >= \"2024-01-01\""), "a date is written without quotes: `2024-01-01`");
    assert_eq!(help(d, "\"2024-01-01\" <= d"), "a date is written without quotes: `2024-01-01`");
    let h = "h: quantity m \"h\"";
    assert_eq!(help(h, "h >= \"15 m\""), "a number is written without quotes: `15 m`");
    // Text that is no date or number is left alone: there is nothing to offer.
    assert_eq!(help(d, "d == \"soon\""), "");
    // Nor a date the language would not read without its quotes either.
    assert_eq!(help(d, "d >= \"2024-1-1\""), "");
}

#[test]
fn a_clause_left_out_of_the_scale_shows_a_dash_not_a_loss_in_every_drawing() {
    let clauses =
        "clause C \"c\" points 6 { require x >= 1 }\n clause N \"n\" points 4 { when applies require x >= 5 }";
    let drawn = |policy: &str| {
        let r = book(
            "x: number \"x\" applies: bool \"a\"",
            &format!("scale 10\nnot_applicable {policy}\n{GRADES}"),
            clauses,
        );
        let report = score(&r, r#"{"x": 2, "applies": false}"#);
        let line = |text: String| {
            text.lines().find(|l| l.contains(" N ") || l.contains("N n")).unwrap_or_default().to_string()
        };
        let html = ecorule::render_html([&report]);
        let cell = html.split("N</").nth(1).and_then(|rest| rest.split("</tr>").next()).unwrap_or_default().to_string();
        let (text, markdown) = (line(ecorule::render_text(&report, false)), line(ecorule::render_markdown(&report)));
        (report, text, markdown, cell)
    };
    // Under `rescale` the 4 points leave the scale: 6 of 6, no loss shown.
    let (report, text, markdown, html) = drawn("rescale");
    assert_eq!(report.not_applicable(), Some(ecorule::ast::NaPolicy::Rescale));
    assert!(report.clause("N").unwrap().left_out());
    assert!(report.to_json().contains("\"not_applicable\": \"rescale\""));
    assert!(text.contains('—') && !text.contains("0/4"), "{text}");
    assert!(markdown.contains("| — |"), "{markdown}");
    assert!(html.contains('—') && !html.contains("0/4"), "{html}");
    // Under `zero` they are lost, and shown as lost.
    let (report, text, markdown, html) = drawn("zero");
    assert!(!report.clause("N").unwrap().left_out());
    assert!(text.contains("0/4") && markdown.contains("0/4") && html.contains("0/4"), "{text}\n{markdown}\n{html}");
    // Read back, a report keeps its policy; one from before reports said
    // (r15) has none, and draws the points as before.
    let (report, ..) = drawn("rescale");
    let back: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back.to_json(), report.to_json());
    assert!(back.clause("N").unwrap().left_out());
    let older: String =
        report.to_json().split_inclusive('\n').filter(|line| !line.contains("\"not_applicable\":")).collect();
    let back: Report = serde_json::from_str(&older).unwrap();
    assert_eq!((back.not_applicable(), back.to_json()), (None, older));
    assert!(ecorule::render_text(&back, false).lines().any(|l| l.contains(" N ") && l.contains("0/4")));
}

#[test]
fn grade_and_verdict_thresholds_the_scale_settles_or_that_read_as_shares_are_warned() {
    let rules = |grades: &str| {
        format!(
            "rulebook t \"测试\" {{\n facts {{ x: number \"x\" }}\n scoring {{ scale 100\n{grades}\n verdict standardize otherwise }}\n area A \"区\" {{ clause C \"c\" points 100 {{ require x >= 1 }} }}\n}}\n"
        )
    };
    let warned = |grades: &str| -> Vec<(ErrorKind, String, Option<String>)> {
        let r = Rulebook::compile("t.eco", &rules(grades)).expect("warnings do not stop a compile");
        r.warnings().iter().map(|w| (w.kind(), w.message().to_string(), w.help().map(str::to_string))).collect()
    };
    let share = warned("grade good \"良\" when score >= 0.85\n grade fail \"差\" otherwise");
    assert_eq!(
        share,
        [(
            ErrorKind::Suspicious,
            "`score >= 0.85` reads as a share of the score, but `score` runs from 0 to the scale, 100".to_string(),
            Some("a threshold is in points of the scale: for 85 % of it, write 85".to_string())
        )]
    );
    let always = warned("grade good \"良\" when 100 >= score\n grade fail \"差\" otherwise");
    assert_eq!(always.len(), 1);
    assert_eq!(always[0].1, "`100 >= score` holds for every score: `score` runs from 0 to the scale, 100");
    // Thresholds within the scale, and 0 and 1 themselves, are no slip.
    let fine = "grade a \"a\" when score >= 85 and score > 0\n grade b \"b\" when score >= 1\n grade c \"c\" otherwise";
    assert_eq!(warned(fine), []);
    // One past the scale is an error: the grade is never given.
    let never = Rulebook::compile("t.eco", &rules("grade a \"a\" when score > 100\n grade c \"c\" otherwise"));
    let errors = never.err().map(|e| e.to_info()).unwrap_or_default();
    assert_eq!(
        errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
        ["`score > 100` never holds: `score` runs from 0 to the scale, 100"]
    );
}

#[test]
fn a_fact_named_as_a_module_constant_is_declared_twice_not_built_in() {
    let source = "rulebook t \"t\" {\n use gb14554\n facts { gb14554.min_stack_height: number \"x\" }\n scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n area A \"a\" { clause C \"c\" points 1 { require true } }\n}\n";
    let errors = Rulebook::compile("t.eco", source).err().map(|e| e.to_info()).unwrap_or_default();
    let first = errors.first().map(|e| (e.kind, e.message.as_str(), e.help.clone()));
    assert_eq!(first, Some((ErrorKind::Duplicate, "fact `gb14554.min_stack_height` is declared twice", None)));
}

//! The lane against the closures: on every bundled rulebook's sample
//! audits and every golden vector (errors included), each audit also with
//! every fact left out in turn. Where the closures decide an audit the
//! lane must say the same or give up; where they do not (undecided, or an
//! error), the lane must give up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use crate::audit::{AuditInput, bind};
use crate::eval::{Plan, decide, decide_by_lane};
use crate::limits::Limits;
use crate::rulebook::Rulebook;
use crate::span::Source;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[derive(Debug, Default)]
struct Tally {
    audits: usize,
    decided: usize,
    answered: usize,
}

fn sorted(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    files.sort();
    files
}

/// Compares the lane with the closures on `audit` and on it with each
/// fact left out.
fn compare(rulebook: &Rulebook, audit: &str, case: &str, tally: &mut Tally) {
    let program = rulebook.program();
    let plan = Plan::new(program);
    let limits = Limits::default();
    let audit: serde_json::Value = serde_json::from_str(audit).unwrap();
    let keys: Vec<String> = audit["facts"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default();
    for left_out in std::iter::once(None).chain(keys.iter().map(Some)) {
        let mut audit = audit.clone();
        if let (Some(key), Some(facts)) = (left_out, audit["facts"].as_object_mut()) {
            facts.remove(key);
        }
        let case = format!("{case} without {left_out:?}");
        let Ok(input) = AuditInput::from_json(&audit.to_string(), &limits) else { continue };
        let Ok(bound) = bind(program, &input, false, &limits) else {
            continue; // an input error: nothing is scored
        };
        let words: Vec<_> = bound.values.iter().map(|v| plan.lane.word(v.as_ref())).collect();
        let by_closures = decide(program, &plan, &bound.values, limits.max_steps);
        let by_lane = decide_by_lane(program, &plan, limits.max_steps, |w| {
            w.copy_from_slice(&words);
            Some(())
        });
        tally.audits += 1;
        if let Ok(Some(expected)) = &by_closures {
            tally.decided += 1;
            if let Some(lane) = &by_lane {
                tally.answered += 1;
                assert_eq!(lane, expected, "{case}");
            }
        } else {
            assert!(by_lane.is_none(), "{case}: the lane answers {by_lane:?}, the closures {by_closures:?}");
        }
    }
}

fn bundled(name: &str) -> Tally {
    let path = format!("{ROOT}/rules/{name}/{name}.eco");
    let rulebook = Rulebook::compile(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut tally = Tally::default();
    let audits = sorted(Path::new(&format!("{ROOT}/rules/{name}/audits")), |n| {
        n.ends_with(".json") && !n.ends_with(".expected.json")
    });
    for file in audits {
        compare(&rulebook, &std::fs::read_to_string(&file).unwrap(), &file.display().to_string(), &mut tally);
    }
    tally
}

#[test]
fn the_lane_agrees_with_the_closures_on_the_bundled_rulebooks() {
    for name in ["fishmeal", "green-ship-repair", "hazardous-waste"] {
        let tally = bundled(name);
        eprintln!("{name}: {tally:?}");
        assert!(tally.decided > 0, "{name}: no decided audit to compare");
    }
}

/// The lane is there for the fishmeal batch: it must follow every
/// decided fishmeal audit, not give up and leave it to the closures.
#[test]
fn the_lane_answers_every_decided_fishmeal_audit() {
    let tally = bundled("fishmeal");
    assert_eq!(tally.answered, tally.decided);
}

#[test]
fn the_lane_agrees_with_the_closures_on_the_vectors() {
    let mut tally = Tally::default();
    for dir in sorted(Path::new(&format!("{ROOT}/tests/vectors")), |_| true).into_iter().filter(|d| d.is_dir()) {
        let modules: Vec<_> = sorted(&dir, |n| n.ends_with(".eco") && n != "rulebook.eco")
            .iter()
            .map(|p| Source::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(p).unwrap()))
            .collect();
        let source = Source::new("rulebook.eco", std::fs::read_to_string(dir.join("rulebook.eco")).unwrap());
        let Ok(rulebook) = Rulebook::compile_with(source, &modules, &Limits::default()) else {
            continue; // a compile-error vector
        };
        let audit = std::fs::read_to_string(dir.join("audit.json")).unwrap();
        compare(&rulebook, &audit, &dir.display().to_string(), &mut tally);
    }
    eprintln!("vectors: {tally:?}");
    // Most vectors are small decided audits the lane follows.
    assert!(tally.answered * 10 >= tally.decided * 9, "{tally:?}");
}

// Generated conditions over every construct the lane compiles, and audits
// with unknown, equal, fractional, huge and unlisted values.

mod generated {
    use proptest::prelude::*;

    use super::*;

    const MODULE: &str = r#"module g "生成" en "generated" {
  table near(x: number) -> number nearest { 0 => 1
    10 => 2
    20 => 3 }
  table low(x: number) -> number floor { 0 => 1
    10 => 2
    20 => 3 }
  table line(x: number) -> number linear { 0 => 0
    10 => 5
    30 => 6 }
  table by_kind(k: text, x: number) -> number floor { "p", 0 => 1
    "p", 10 => 2
    "q", 0 => 7 }
  table word(t: text) -> number exact { "x" => 1
    "y" => 2.5 }
  table pair(t: text, k: text) -> text exact { "x", "p" => "y"
    "y", "q" => "x" }
}"#;

    fn num(depth: u32) -> BoxedStrategy<String> {
        let leaf = prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            Just("c".to_string()),
            Just("k".to_string()),
            prop_oneof![Just("0"), Just("1"), Just("2.5"), Just("10"), Just("0.1"), Just("-3"), Just("1e17")]
                .prop_map(str::to_string),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        let n = || num(depth - 1);
        prop_oneof![
            2 => leaf,
            1 => (n(), prop_oneof![Just("+"), Just("-"), Just("*"), Just("/")], n())
                .prop_map(|(x, op, y)| format!("({x} {op} {y})")),
            1 => (prop_oneof![Just("min"), Just("max")], n(), n(), n())
                .prop_map(|(f, x, y, z)| format!("{f}({x}, {y}, {z})")),
            1 => n().prop_map(|x| format!("abs({x})")),
            1 => n().prop_map(|x| format!("(-{x})")),
            1 => (cond(depth - 1), n(), n()).prop_map(|(c, x, y)| format!("(if {c} then {x} else {y})")),
            1 => (prop_oneof![Just("near"), Just("low"), Just("line")], n()).prop_map(|(t, x)| format!("g.{t}({x})")),
            1 => n().prop_map(|x| format!("g.by_kind(e, {x})")),
            1 => Just("g.word(t)".to_string()),
        ]
        .boxed()
    }

    fn cond(depth: u32) -> BoxedStrategy<String> {
        let cmp = prop_oneof![Just("=="), Just("!="), Just("<"), Just("<="), Just(">"), Just(">=")];
        let leaf = prop_oneof![
            Just("f".to_string()),
            Just("ok".to_string()),
            Just("t == \"x\"".to_string()),
            Just("t in [\"x\", \"y\"]".to_string()),
            Just("e != q".to_string()),
            Just("e in [p, r]".to_string()),
            Just("g.pair(t, e) == \"y\"".to_string()),
            Just("d1 >= d2".to_string()),
            Just("d1 - d2 <= 30 days".to_string()),
            Just("d1 + 10 days > d2".to_string()),
            Just("days_between(d2, d1) == 5 days".to_string()),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        let c = || cond(depth - 1);
        prop_oneof![
            2 => leaf,
            3 => (num(depth - 1), cmp, num(depth - 1)).prop_map(|(x, op, y)| format!("{x} {op} {y}")),
            1 => c().prop_map(|x| format!("not ({x})")),
            1 => (c(), prop_oneof![Just("and"), Just("or")], c()).prop_map(|(x, op, y)| format!("({x} {op} {y})")),
            1 => (c(), c(), c()).prop_map(|(x, y, z)| format!("(if {x} then {y} else {z})")),
        ]
        .boxed()
    }

    fn rulebook(conds: &[String]) -> Option<Rulebook> {
        let [w, r1, r2, p] = conds else { return None };
        let source = format!(
            r#"rulebook gen "生成" en "generated" {{
  use g
  facts {{
    a: number "a"
    b: number "b"
    c: number "c"
    f: bool "f"
    h: bool "h"
    t: text "t"
    e: enum {{ p "p", q "q", r "r" }} "e"
    d1: date "d1"
    d2: date "d2"
    n: number "n"
  }}
  let k = a * 2 + b
  let ok = h or a > b
  scoring {{
    scale 10
    grade good "好" when score >= 5
    grade bad "差" otherwise
    verdict rectify "整治" when vetoed or score < 5
    verdict standardize "规范" otherwise
    deduct x "扣" 1 per n max 3
  }}
  area A1 "一" {{
    clause C1 "一" points 4 veto {{
      when {w}
      require {r1}
      partial 0.5 when {p}
    }}
    clause C2 "二" points 6 {{
      require {r2}
      require {r1}
    }}
  }}
}}"#
        );
        let module = Source::new("g.eco", MODULE);
        Rulebook::compile_with(Source::new("gen.eco", source), &[module], &Limits::default()).ok()
    }

    fn value() -> impl Strategy<Value = Option<serde_json::Value>> {
        use serde_json::json;
        prop_oneof![
            1 => Just(None),
            4 => prop_oneof![Just(json!(0)), Just(json!(1)), Just(json!(2.5)), Just(json!(10)), Just(json!(-3)),
                Just(json!("0.1")), Just(json!("1e17")), Just(json!("1e25")), Just(json!(15))].prop_map(Some),
        ]
    }

    fn audit() -> impl Strategy<Value = String> {
        use serde_json::json;
        let boolean = prop_oneof![Just(None), Just(Some(json!(true))), Just(Some(json!(false)))];
        let text = prop_oneof![Just(None), Just(Some(json!("x"))), Just(Some(json!("y"))), Just(Some(json!("zz")))];
        let kind = prop_oneof![Just(None), Just(Some(json!("p"))), Just(Some(json!("q"))), Just(Some(json!("r")))];
        let date = prop_oneof![
            Just(None),
            Just(Some(json!("2024-01-01"))),
            Just(Some(json!("2024-01-06"))),
            Just(Some(json!("2024-02-15")))
        ];
        let count = prop_oneof![Just(None), Just(Some(json!(0))), Just(Some(json!(2))), Just(Some(json!(5)))];
        (value(), value(), value(), boolean.clone(), boolean, text, kind, date.clone(), date, count).prop_map(
            |(a, b, c, f, h, t, e, d1, d2, n)| {
                let mut facts = serde_json::Map::new();
                let all = [("a", a), ("b", b), ("c", c), ("f", f), ("h", h), ("t", t), ("e", e), ("d1", d1)];
                for (name, v) in all.into_iter().chain([("d2", d2), ("n", n)]) {
                    if let Some(v) = v {
                        facts.insert(name.to_string(), v);
                    }
                }
                json!({"audit": {"date": "2024-03-01"}, "facts": facts}).to_string()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_lane_agrees_with_the_closures_on_generated_rulebooks(
            conds in proptest::collection::vec(cond(3), 4),
            audits in proptest::collection::vec(audit(), 8),
        ) {
            let Some(rulebook) = rulebook(&conds) else {
                return Err(TestCaseError::reject("does not compile"));
            };
            let mut tally = Tally::default();
            for audit in &audits {
                compare(&rulebook, audit, &format!("{conds:?} {audit}"), &mut tally);
            }
        }
    }
}

//! Properties over generated rulebooks and audits: scores stay in range,
//! bounds contain every completion of the unknown facts, fixing a failing
//! clause never lowers the score, the summary says what the full report
//! says, output is deterministic, and `fmt` round-trips.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeMap;

use ecorule::{Limits, Num, Rulebook, ScoreOptions, Source, Status};
use proptest::prelude::*;

/// Requirement-side facts: x0..x2 (lengths) and r0..r1 (yes/no).
/// Applicability-side facts: w0..w1 (yes/no). Kept apart, so making a
/// requirement hold never changes which clauses apply.
#[derive(Debug, Clone)]
enum Req {
    AtLeast(usize, u32),
    Yes(usize),
    /// `x{i} >= limit`, where the limit is 10 m or 15 m by `r1`: a clause
    /// Kleene logic leaves open although `x{i}` may decide it either way.
    AtLeastLimit(usize),
}

#[derive(Debug, Clone)]
struct Clause {
    points: u32,
    veto: bool,
    when: Option<usize>,
    require: Vec<Req>,
    partial: Option<(&'static str, u32)>,
}

#[derive(Debug, Clone)]
struct Book {
    clauses: Vec<Clause>,
    policy: &'static str,
    /// What `deduct incident "事故"` takes, if the book has it.
    deduction: Option<&'static str>,
}

const X_VALUES: [u32; 6] = [0, 5, 10, 15, 20, 25];
const FACTS: [&str; 8] = ["x0", "x1", "x2", "r0", "r1", "w0", "w1", "n"];

fn req() -> impl Strategy<Value = Req> {
    prop_oneof![
        (0..3usize, 1..6u32).prop_map(|(i, t)| Req::AtLeast(i, t * 5)),
        (0..2usize).prop_map(Req::Yes),
        (0..3usize).prop_map(Req::AtLeastLimit),
    ]
}

fn clause() -> impl Strategy<Value = Clause> {
    (
        1..20u32,
        any::<bool>(),
        proptest::option::of(0..2usize),
        proptest::collection::vec(req(), 1..3),
        proptest::option::of((prop_oneof![Just("0.25"), Just("0.5"), Just("0.75")], 0..3usize)),
    )
        .prop_map(|(points, veto, when, require, partial)| Clause {
            points,
            veto,
            when,
            require,
            partial: partial.map(|(f, i)| (f, u32::try_from(i).unwrap_or(0))),
        })
}

fn book() -> impl Strategy<Value = Book> {
    // A deduction by a count, or by a yes/no fact the clauses read too.
    let deduction = proptest::option::of(prop_oneof![Just("2 per n max 5"), Just("3 when not r0"), Just("4 when w1")]);
    (proptest::collection::vec(clause(), 1..6), prop_oneof![Just("rescale"), Just("zero"), Just("full")], deduction)
        .prop_map(|(clauses, policy, deduction)| Book { clauses, policy, deduction })
}

impl Book {
    fn scale(&self) -> u32 {
        self.clauses.iter().map(|c| c.points).sum()
    }

    fn source(&self) -> String {
        let mut s = String::from("rulebook gen \"生成\" en \"generated\" {\n  facts {\n");
        for x in ["x0", "x1", "x2"] {
            s += &format!("    {x}: quantity m \"{x}\"\n");
        }
        for b in ["r0", "r1", "w0", "w1"] {
            s += &format!("    {b}: bool \"{b}\"\n");
        }
        s += "    n: number \"事故\"\n  }\n  let limit = if r1 then 10 m else 15 m\n  scoring {\n";
        s += &format!("    scale {}\n    not_applicable {}\n", self.scale(), self.policy);
        s += "    grade good \"好\" when score >= 1\n    grade poor \"差\" otherwise\n";
        s += "    verdict ban \"取缔\" when vetoed\n    verdict standardize \"规范\" otherwise\n";
        if let Some(deduction) = self.deduction {
            s += &format!("    deduct incident \"事故\" {deduction}\n");
        }
        s += "  }\n  area A \"区\" {\n";
        for (i, c) in self.clauses.iter().enumerate() {
            let veto = if c.veto { " veto" } else { "" };
            s += &format!("    clause C{i} \"条{i}\" points {}{veto} {{\n", c.points);
            if let Some(w) = c.when {
                s += &format!("      when w{w}\n");
            }
            let reqs: Vec<String> = c
                .require
                .iter()
                .map(|r| match r {
                    Req::AtLeast(i, t) => format!("x{i} >= {t} m"),
                    Req::Yes(j) => format!("r{j}"),
                    Req::AtLeastLimit(i) => format!("x{i} >= limit"),
                })
                .collect();
            s += &format!("      require {}\n", reqs.join(" and "));
            if let Some((f, i)) = c.partial {
                s += &format!("      partial {f} when x{i} >= 10 m or r0\n");
            }
            s += "    }\n";
        }
        s += "  }\n}\n";
        s
    }

    fn compile(&self) -> Rulebook {
        match Rulebook::compile("gen.eco", &self.source()) {
            Ok(r) => r,
            Err(e) => panic!("generated rulebook does not compile:\n{}\n{}", e.render(false), self.source()),
        }
    }
}

type Audit = BTreeMap<&'static str, serde_json::Value>;

fn value_for(fact: &str, pick: u32) -> serde_json::Value {
    match fact.as_bytes().first() {
        Some(b'x') => serde_json::json!(X_VALUES.get(pick as usize % X_VALUES.len()).copied().unwrap_or(0)),
        Some(b'n') => serde_json::json!(pick % 4),
        _ => serde_json::json!(pick % 2 == 0),
    }
}

fn domain(fact: &str) -> u32 {
    match fact.as_bytes().first() {
        Some(b'x') => 6,
        Some(b'n') => 4,
        _ => 2,
    }
}

/// A full audit, and which facts (at most three) to leave unknown.
fn audit() -> impl Strategy<Value = (Audit, Vec<&'static str>)> {
    (proptest::collection::vec(0..24u32, FACTS.len()), proptest::sample::subsequence(FACTS.to_vec(), 0..=3)).prop_map(
        |(picks, unknown)| {
            let audit = FACTS.iter().zip(picks).map(|(f, p)| (*f, value_for(f, p))).collect();
            (audit, unknown)
        },
    )
}

fn json(audit: &Audit) -> String {
    serde_json::json!({"audit": {"id": "P", "date": "2024-01-01"}, "facts": audit}).to_string()
}

fn score(rulebook: &Rulebook, audit: &Audit) -> ecorule::Report {
    let json = json(audit);
    match rulebook.score_json(&json, &ScoreOptions::default()) {
        Ok(r) => r,
        Err(e) => panic!("audit does not score: {e}\n{json}"),
    }
}

fn summary(rulebook: &Rulebook, audit: &Audit) -> ecorule::Summary {
    let (json, options) = (json(audit), ScoreOptions::default());
    let input = ecorule::AuditInput::from_json(&json, &options.limits).unwrap_or_else(|e| panic!("{e}\n{json}"));
    rulebook.summary(&input, &options).unwrap_or_else(|e| panic!("audit does not summarise: {e}\n{json}"))
}

fn without(audit: &Audit, unknown: &[&'static str]) -> Audit {
    audit.iter().filter(|(k, _)| !unknown.contains(k)).map(|(k, v)| (*k, v.clone())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn scores_lie_within_zero_and_the_scale(book in book(), (full, unknown) in audit()) {
        let rulebook = book.compile();
        let report = score(&rulebook, &without(&full, &unknown));
        let scale = Num::int(i64::from(book.scale()));
        prop_assert!(Num::ZERO <= report.score_min);
        prop_assert!(report.score_min <= report.score_max);
        prop_assert!(report.score_max <= scale);
        prop_assert_eq!(report.score.is_some(), report.score_min == report.score_max);
    }

    #[test]
    fn bounds_contain_every_completion(book in book(), (full, unknown) in audit()) {
        let rulebook = book.compile();
        let partial = score(&rulebook, &without(&full, &unknown));
        let combinations: u32 = unknown.iter().map(|f| domain(f)).product();
        let mut seen: Option<(Num, Num)> = None;
        // Per clause: the statuses the completions give it.
        let mut statuses: Vec<Vec<Status>> = vec![Vec::new(); partial.clauses().count()];
        for k in 0..combinations {
            let mut completed = full.clone();
            let mut rest = k;
            for f in &unknown {
                completed.insert(f, value_for(f, rest % domain(f)));
                rest /= domain(f);
            }
            let report = score(&rulebook, &completed);
            prop_assert!(report.score.is_some());
            let s = report.score.unwrap_or(Num::ZERO);
            prop_assert!(partial.score_min <= s && s <= partial.score_max,
                "completion {:?} scores {} outside [{}, {}]", completed, s, partial.score_min, partial.score_max);
            if partial.determined {
                prop_assert_eq!(report.verdict(), partial.verdict());
            }
            seen = Some(seen.map_or((s, s), |(lo, hi)| (lo.min(s), hi.max(s))));
            // A clause's points lie within its bounds; a decided one ends
            // the same in every completion.
            for ((c, p), st) in report.clauses().zip(partial.clauses()).zip(&mut statuses) {
                prop_assert!(p.earned() <= c.earned() && c.earned() <= p.earned_max(), "{} in {:?}", c.id(), completed);
                if p.status() != Status::Unknown {
                    prop_assert_eq!(p.status(), c.status(), "{} in {:?}", c.id(), completed);
                }
                if !st.contains(&c.status()) {
                    st.push(c.status());
                }
            }
        }
        // A clause that ends the same in every completion is decided, though
        // Kleene logic alone may not see it: with unknown yes/no facts only,
        // the engine tries every combination too.
        if unknown.iter().all(|f| f.starts_with('r') || f.starts_with('w')) {
            for (p, st) in partial.clauses().zip(&statuses) {
                if let [one] = st[..] {
                    prop_assert_eq!(p.status(), one, "{}", p.id());
                }
            }
        }
        // Unknown yes/no facts only: every combination is tried, so the
        // bounds are the lowest and highest completion, not merely around them.
        if let Some((lo, hi)) = seen.filter(|_| unknown.iter().all(|f| f.starts_with('r') || f.starts_with('w'))) {
            prop_assert_eq!((partial.score_min, partial.score_max), (lo, hi));
        }
    }

    #[test]
    fn the_summary_says_what_the_report_says(book in book(), (full, unknown) in audit()) {
        let rulebook = book.compile();
        let audit = without(&full, &unknown);
        let (report, summary) = (score(&rulebook, &audit), summary(&rulebook, &audit));
        prop_assert_eq!((summary.score_min, summary.score_max), (report.score_min, report.score_max));
        prop_assert_eq!((summary.grade.as_str(), summary.verdict.as_str()), (report.grade(), report.verdict()));
        prop_assert_eq!(
            (summary.grade_best.as_str(), summary.verdict_best.as_str()),
            (report.grade_best(), report.verdict_best())
        );
        prop_assert_eq!(summary.determined, report.determined);
        prop_assert_eq!(&summary.vetoes, &report.vetoes().collect::<Vec<_>>());
        prop_assert_eq!(&summary.statuses, &report.clauses().map(|c| c.status()).collect::<Vec<_>>());
    }

    /// A batch's path: each fact's value converted on its own
    /// (`fact_value`) and held in a column of a `Batch`, whose first audit
    /// gives the audit's facts and second the full audit's: each says what
    /// that audit bound at once says, unknown facts included.
    #[test]
    fn a_batch_summarises_as_the_audits(book in book(), (full, unknown) in audit()) {
        let rulebook = book.compile();
        let audit = without(&full, &unknown);
        let options = ScoreOptions::default();
        let input = |json: String| {
            ecorule::AuditInput::from_json(&json, &options.limits).unwrap_or_else(|e| panic!("{e}\n{json}"))
        };
        let builtins = [("audit.id", "\"P\"".to_string()), ("audit.date", "\"2024-01-01\"".to_string())];
        let given = builtins.into_iter().chain(full.iter().map(|(name, value)| (*name, value.to_string())));
        let columns = given
            .map(|(name, json)| {
                let slot = rulebook.fact_slot(name).unwrap_or_else(|| panic!("no slot for {name}"));
                let value = rulebook.fact_value(slot, &input(json), &options.limits).unwrap_or_else(|e| panic!("{name}: {e}"));
                let first = if unknown.contains(&name) { u8::MAX } else { 0 };
                ecorule::Column { slot, codes: ecorule::Codes::U8(vec![first, 0]), values: vec![Ok(value)] }
            })
            .collect();
        let batch = rulebook.batch(2, columns).unwrap_or_else(|e| panic!("{e}"));
        let first = rulebook.summarize_row(&batch, 0, &options).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(common::named(&rulebook, first), summary(&rulebook, &audit));
        let second = rulebook.summarize_row(&batch, 1, &options).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(common::named(&rulebook, second), summary(&rulebook, &full));
    }

    #[test]
    fn fixing_a_failing_clause_never_lowers_the_score(book in book(), (full, _) in audit(), pick in 0..6usize) {
        let rulebook = book.compile();
        let before = score(&rulebook, &full);
        let failing: Vec<usize> = before.clauses().enumerate()
            .filter(|(_, c)| c.status() == ecorule::Status::Fail || c.status() == ecorule::Status::Partial)
            .map(|(i, _)| i)
            .collect();
        prop_assume!(!failing.is_empty());
        let index = failing.get(pick % failing.len()).copied().unwrap_or(0);
        let mut fixed = full.clone();
        for r in book.clauses.get(index).map(|c| c.require.clone()).unwrap_or_default() {
            match r {
                Req::AtLeast(i, _) | Req::AtLeastLimit(i) => { fixed.insert(["x0", "x1", "x2"][i % 3], serde_json::json!(30)); }
                Req::Yes(j) => { fixed.insert(["r0", "r1"][j % 2], serde_json::json!(true)); }
            }
        }
        let after = score(&rulebook, &fixed);
        prop_assert!(after.score_min >= before.score_min, "{} < {}", after.score_min, before.score_min);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes(book in book(), (full, unknown) in audit()) {
        let audit = without(&full, &unknown);
        let report = score(&book.compile(), &audit);
        let first = report.to_json();
        let second = score(&book.compile(), &audit).to_json();
        prop_assert_eq!(&first, &second);
        let back: Option<ecorule::Report> = serde_json::from_str(&first).ok();
        prop_assert!(back.as_ref() == Some(&report), "the report JSON does not round-trip through serde");
    }

    #[test]
    fn fmt_round_trips(book in book()) {
        let source = Source::new("gen.eco", book.source());
        let parsed = ecorule::parse(&source, &Limits::default());
        prop_assert!(parsed.is_ok());
        let parsed = parsed.ok();
        let formatted = parsed.as_ref().map(|p| ecorule::fmt::format(p, &source.text)).unwrap_or_default();
        let formatted_source = Source::new("fmt.eco", formatted.clone());
        let reparsed = ecorule::parse(&formatted_source, &Limits::default()).ok();
        prop_assert_eq!(&parsed, &reparsed);
        let again = reparsed.as_ref().map(|p| ecorule::fmt::format(p, &formatted)).unwrap_or_default();
        prop_assert_eq!(formatted, again);
    }
}

/// `x OP c` for a fact `x: number min lo max hi`: what the checker makes
/// of it, and whether it holds for each of `lo`, `hi` and `c` (those of
/// them within the range), scored one by one.
fn settled_case(
    op: &str,
    lo: i32,
    hi: i32,
    c: i32,
) -> (Result<Vec<ecorule::ErrorKind>, Vec<ecorule::ErrorKind>>, Vec<bool>) {
    let source = format!(
        "rulebook t \"t\" {{ facts {{ x: number min {lo} max {hi} \"x\" }} \
         scoring {{ scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }} \
         area A \"a\" {{ clause C \"c\" points 1 {{ require x {op} {c} }} }} }}"
    );
    let rulebook = match Rulebook::compile("t.eco", &source) {
        Ok(r) => r,
        Err(errors) => return (Err(errors.iter().map(ecorule::Error::kind).collect()), Vec::new()),
    };
    let kinds = rulebook.warnings().iter().map(ecorule::Error::kind).collect();
    let holds = [lo, hi, c]
        .into_iter()
        .filter(|v| (lo..=hi).contains(v))
        .map(|v| {
            let audit = format!("{{\"facts\": {{\"x\": {v}}}}}");
            let report = rulebook.score_json(&audit, &ScoreOptions::default()).unwrap();
            report.clause("C").unwrap().status() == Status::Pass
        })
        .collect();
    (Ok(kinds), holds)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The checker refuses a comparison with its fact's range exactly when
    /// no value in the range meets it, and warns exactly when every value
    /// does: whenever it says nothing, some value passes and some fails.
    #[test]
    fn a_range_settles_a_comparison_exactly_when_the_checker_says_so(
        op in prop_oneof![Just("<"), Just("<="), Just(">"), Just(">="), Just("=="), Just("!=")],
        lo in -3..3i32,
        width in 0..3i32,
        c in -6..6i32,
    ) {
        let hi = lo + width;
        let (checked, holds) = settled_case(op, lo, hi, c);
        match checked {
            Err(kinds) => {
                prop_assert_eq!(kinds, vec![ecorule::ErrorKind::Range]);
                // Scored without the check: every value in the range fails.
                let meets = |v: i32| match op {
                    "<" => v < c, "<=" => v <= c, ">" => v > c, ">=" => v >= c, "==" => v == c, _ => v != c,
                };
                prop_assert!((lo..=hi).all(|v| !meets(v)));
            }
            Ok(kinds) if kinds.is_empty() => {
                prop_assert!(holds.contains(&true) && holds.contains(&false), "{op} {c} in {lo}..={hi}: {holds:?}");
            }
            Ok(kinds) => {
                prop_assert_eq!(kinds, vec![ecorule::ErrorKind::Suspicious]);
                prop_assert!(holds.iter().all(|&h| h), "{op} {c} in {lo}..={hi}: {holds:?}");
            }
        }
    }
}

//! Hostile and malformed input: every case ends in a clear error of its
//! own kind, in bounded time, and never a panic. Inputs found by fuzzing
//! live in `fuzz/regressions/` and are replayed here.

use std::path::Path;

use ecorule::{AuditInput, ErrorKind, Limits, Rulebook, ScoreOptions, Source};

fn compile(text: &str) -> Result<Rulebook, ecorule::Errors> {
    Rulebook::compile_with(Source::new("hostile.eco", text), &[], &Limits::default())
}

fn first_kind(result: Result<Rulebook, ecorule::Errors>) -> Option<ErrorKind> {
    match result {
        Ok(_) => None,
        Err(e) => {
            // Rendering must never panic either.
            let _ = e.render(false);
            let _ = e.to_info();
            e.first().map(|e| e.kind())
        }
    }
}

const SMALL: &str = "rulebook t \"t\" {\n  facts { x: number \"x\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x > 0 } }\n}\n";

#[test]
fn deeply_nested_parentheses_are_too_deep() {
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let source = SMALL.replace("x > 0", &format!("{deep} > 0"));
    assert_eq!(first_kind(compile(&source)), Some(ErrorKind::TooDeep));
    let chain = format!("x{}", " + x".repeat(5_000));
    let source = SMALL.replace("x > 0", &format!("{chain} > 0"));
    assert_eq!(first_kind(compile(&source)), Some(ErrorKind::TooDeep));
    // A flat chain is deep too, as written without brackets, but bounded
    // apart from the nesting: the help says why.
    let chain = format!("x > 0{}", " and x > 0".repeat(300));
    let errors = compile(&SMALL.replace("x > 0", &chain)).err().map(|e| e.to_info()).unwrap_or_default();
    let help = errors.first().and_then(|e| e.help.clone()).unwrap_or_default();
    assert!(help.contains("each operator of a chain is a level"), "{help}");
    // A sum of 80 readings, which the nesting limit of 64 once refused.
    let sum = format!("x{} > 0", " + x".repeat(79));
    assert_eq!(first_kind(compile(&SMALL.replace("x > 0", &sum))), None);
    let nots = format!("{}x > 0", "not ".repeat(10_000));
    assert_eq!(first_kind(compile(&SMALL.replace("x > 0", &nots))), Some(ErrorKind::TooDeep));
}

#[test]
fn oversized_sources_and_names_are_refused() {
    let huge = format!("{SMALL}// {}", "a".repeat(2 << 20));
    assert_eq!(first_kind(compile(&huge)), Some(ErrorKind::SourceTooLarge));
    let long_name = "x".repeat(1 << 19);
    let source = SMALL.replace("x: number", &format!("{long_name}: number"));
    assert_eq!(first_kind(compile(&source)), Some(ErrorKind::SourceTooLarge));
}

#[test]
fn crlf_and_a_byte_order_mark_are_ordinary_text() {
    let crlf = format!("\u{feff}{}", SMALL.replace('\n', "\r\n"));
    assert!(compile(&crlf).is_ok());
}

#[test]
fn a_large_audit_is_refused_before_it_is_parsed() {
    let rulebook = compile(SMALL).ok();
    let big = format!("{{\"facts\": {{\"x\": 1}}, \"pad\": \"{}\"}}", "x".repeat(50 << 20));
    let result = rulebook.map(|r| r.score_json(&big, &ScoreOptions::default()));
    let kind = result.and_then(|r| r.err()).and_then(|e| e.first().map(|e| e.kind()));
    assert_eq!(kind, Some(ErrorKind::AuditTooLarge));
}

#[test]
fn audits_nest_no_deeper_than_the_bindings_allow() {
    // The audit object, `facts`, then `lists` lists: 2 + lists containers,
    // counted as the Python and WASM bindings count them.
    let audit = |lists: usize| format!("{{\"facts\": {{\"x\": {}1{}}}}}", "[".repeat(lists), "]".repeat(lists));
    let limits = Limits::default();
    assert!(AuditInput::from_json(&audit(limits.max_depth - 2), &limits).is_ok());
    let error = AuditInput::from_json(&audit(limits.max_depth - 1), &limits).expect_err("one level too deep");
    assert_eq!(error.kind(), ErrorKind::AuditTooLarge);
    assert!(error.message().contains("more than the limit of 64 deep"), "{}", error.message());
    // Where, as the WASM binding's walk of a JavaScript object says it.
    assert!(
        error.message().contains(", at `facts.x[0][0][0]") && error.message().ends_with("…`"),
        "{}",
        error.message()
    );
    assert!(
        error.message_zh().is_some_and(|zh| zh.starts_with("审核中对象与列表的嵌套超过 64 层的上限，位于 `facts.x[0]"))
    );
    let wide = "{\"facts\": {\"a\": [1, {\"b\": [[2]]}], \"c\": [[[3]]]}}";
    let mut shallow = Limits::default();
    shallow.max_depth = 4;
    let error = AuditInput::from_json(wide, &shallow).expect_err("too deep for 4");
    assert_eq!(error.message(), "the audit nests objects and lists more than the limit of 4 deep, at `facts.a[1].b`");
    // Far deeper, where the JSON reader stops first: the same error, at
    // the bracket where it stopped.
    for lists in [200, 100_000] {
        let text = audit(lists);
        let error = AuditInput::from_json_named("deep.json", &text, &limits).expect_err("far too deep");
        assert_eq!(
            (error.kind(), error.message()),
            (ErrorKind::AuditTooLarge, "the audit nests objects and lists more than the limit of 64 deep")
        );
        assert_eq!(error.message_zh(), Some("审核中对象与列表的嵌套超过 64 层的上限"));
        let at = error.span().map(|s| s.start).unwrap_or_default();
        assert_eq!((error.source_name(), text.get(at..at + 1)), (Some("deep.json"), Some("[")));
        let opened = text.get(..at).unwrap_or_default().matches('[').count();
        assert!(opened >= 64, "stopped after {opened} brackets");
        assert!(error.render(false).contains("deep.json:1:"), "{}", error.render(false));
    }
}

#[test]
fn an_object_of_many_keys_reads_and_its_duplicates_are_found() {
    // 200,000 keys in one object: read in linear time (this took minutes
    // when each key was compared with every earlier one), and a duplicate
    // near the end, or among the first few keys, is still an error.
    let limits = Limits::default();
    let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\": {i}")).collect();
    let audit = |extra: &str| format!("{{\"facts\": {{{}{extra}}}}}", keys.join(", "));
    let keys_read = match AuditInput::from_json(&audit(""), &limits) {
        Ok(AuditInput::Map(top)) => match top.first() {
            Some((_, AuditInput::Map(facts))) => facts.len(),
            _ => 0,
        },
        _ => 0,
    };
    assert_eq!(keys_read, 200_000);
    for (text, key) in [(audit(", \"k199998\": 0"), "k199998"), ("{\"a\": 1, \"b\": 2, \"a\": 3}".to_string(), "a")] {
        let error = AuditInput::from_json(&text, &limits).err().map(|e| e.render(false)).unwrap_or_default();
        assert!(error.contains(&format!("duplicate key `{key}`")), "{error}");
    }
}

#[test]
fn odd_numbers_in_audits() {
    let limits = Limits::default();
    for text in ["{\"facts\": {\"x\": NaN}}", "{\"facts\": {\"x\": Infinity}}"] {
        assert!(AuditInput::from_json(text, &limits).is_err(), "{text}");
    }
    let rulebook = compile(SMALL).ok();
    // Too large to hold exactly: an error that names the fact and says why.
    for number in ["1e400", "1e31", "\"1.5e-31 m\"", "1234567890123456789012345678901"] {
        let audit = format!("{{\"facts\": {{\"x\": {number}}}}}");
        let error = rulebook.as_ref().map(|r| r.score_json(&audit, &ScoreOptions::default()));
        let info = error.and_then(|e| e.err()).and_then(|e| e.to_info().into_iter().next());
        assert_eq!(info.as_ref().and_then(|i| i.fact.as_ref()).map(|f| f.fact.as_str()), Some("x"), "{number}");
        assert!(info.and_then(|i| i.help).is_some_and(|h| h.contains("at most 30 significant digits")), "{number}");
    }
    let report = rulebook.and_then(|r| r.score_json("{\"facts\": {\"x\": -0}}", &ScoreOptions::default()).ok());
    assert_eq!(report.map(|r| r.clauses().all(|c| c.earned().is_zero())), Some(true));
}

#[test]
fn too_much_work_is_its_own_error() {
    let source = SMALL
        .replace("x: number \"x\"", "xs: list number \"xs\"")
        .replace("x > 0", "count(xs) > 0 and all([true, true, true])");
    let rulebook = compile(&source).ok();
    let mut options = ScoreOptions::default();
    options.limits.max_steps = 3;
    let result = rulebook.map(|r| r.score_json("{\"facts\": {\"xs\": [1, 2, 3]}}", &options));
    let kind = result.and_then(|r| r.err()).and_then(|e| e.first().map(|e| e.kind()));
    assert_eq!(kind, Some(ErrorKind::TooMuchWork));
}

/// `SMALL` with `lets` and the clause requiring `require`.
fn with_lets(lets: &str, require: &str) -> String {
    SMALL.replace("  scoring", &format!("{lets}  scoring")).replace("x > 0", require)
}

#[test]
fn lets_that_use_lets_cannot_multiply_the_work_of_compiling() {
    // Each `let` uses the one before twice: written out where they are
    // used, 40 of them are 2^40 terms. A source of 1 KB must not take the
    // compiler's time and memory without bound.
    let doubling: String = (1..=40).map(|i| format!("  let a{i} = a{} + a{}\n", i - 1, i - 1)).collect();
    let source = with_lets(&format!("  let a0 = x\n{doubling}"), "a40 > 0");
    let started = std::time::Instant::now();
    let errors = compile(&source).err().map(|e| e.to_info()).unwrap_or_default();
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    let first = errors.first();
    assert_eq!(first.map(|e| e.kind), Some(ErrorKind::TooMany), "{errors:?}");
    assert!(first.is_some_and(|e| e.message.contains("`let`") && e.line.is_some()), "{errors:?}");
    // Lets used as rulebooks use them compile, and the limit is the caller's.
    let few: String = (1..=10).map(|i| format!("  let a{i} = a{} + a{}\n", i - 1, i - 1)).collect();
    let source = with_lets(&format!("  let a0 = x\n{few}"), "a10 > 0");
    assert!(compile(&source).is_ok());
    let mut limits = Limits::default();
    limits.max_let_terms = 1_000;
    let tight = Rulebook::compile_with(Source::new("hostile.eco", source), &[], &limits);
    assert_eq!(first_kind(tight), Some(ErrorKind::TooMany));
}

/// `SMALL` with the `let`s `a0 = x`, `a1 = a0 + 1`, … `a{n}`, in this order
/// or the reverse one, and the clause requiring `a{n} > 0`: `a{n}` is
/// `n + 1` levels deep written out, its clause's condition one more.
fn let_chain(n: usize, reversed: bool) -> String {
    let mut lets: Vec<String> = (1..=n).map(|i| format!("  let a{i} = a{} + 1\n", i - 1)).collect();
    lets.insert(0, "  let a0 = x\n".to_string());
    if reversed {
        lets.reverse();
    }
    with_lets(&lets.concat(), &format!("a{n} > 0"))
}

#[test]
fn a_chain_of_lets_is_as_deep_as_all_of_them_in_either_order() {
    let deepest = Limits::default().max_expr_depth;
    for reversed in [false, true] {
        let rulebook = compile(&let_chain(deepest - 2, reversed));
        let report = rulebook.map(|r| r.score_json("{\"facts\": {\"x\": 1}}", &ScoreOptions::default()));
        assert_eq!(report.ok().and_then(Result::ok).map(|r| r.score), Some(Some(ecorule::Num::int(1))));
        let errors = compile(&let_chain(deepest - 1, reversed)).err().map(|e| e.to_info()).unwrap_or_default();
        let first = errors.first();
        assert_eq!(first.map(|e| e.kind), Some(ErrorKind::TooDeep), "{errors:?}");
        let message = format!(
            "this expression is deeper than the limit of {deepest} levels with `a{}` written out in it",
            deepest - 1
        );
        assert_eq!(first.map(|e| e.message.as_str()), Some(message.as_str()));
        assert_eq!(first.and_then(|e| e.line), Some(4 + deepest), "{errors:?}");
        // Far longer, refused at once: no `let` is checked inside another,
        // so a chain written last to first cannot overflow the stack.
        let started = std::time::Instant::now();
        let errors = compile(&let_chain(20_000, reversed)).err().map(|e| e.to_info()).unwrap_or_default();
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
        let message = format!(
            "`a{deepest}` is deeper than the limit of {deepest} levels with `a{}` written out in it",
            deepest - 1
        );
        assert_eq!(
            errors.iter().map(|e| (e.kind, e.message.as_str())).collect::<Vec<_>>(),
            [(ErrorKind::TooDeep, message.as_str())]
        );
    }
    // A cycle through 20,000 of them is found without recursion too.
    let cycle: String = (1..=20_000).map(|i| format!("  let a{i} = a{} + 1\n", i % 20_000 + 1)).collect();
    let errors = compile(&with_lets(&cycle, "a1 > 0")).err().map(|e| e.to_info()).unwrap_or_default();
    let found: Vec<_> = errors.iter().map(|e| (e.kind, e.message.as_str(), e.line)).collect();
    assert_eq!(found, [(ErrorKind::Cycle, "`a1` is defined in terms of itself", Some(20_002))]);
}

/// A rulebook of the deepest expressions of each kind that the limits admit
/// (`over` levels deeper each, past them): a sum, a chain of `and`s, `let`s
/// each using the one before, a date moved again and again, a sum inside
/// calls nested as deep as brackets may be, a deduction and a grade.
fn deepest_rulebook(over: usize) -> String {
    let limits = Limits::default();
    let deepest = limits.max_expr_depth + over;
    // `x op x op …`, `terms` of them: `terms` levels deep.
    let chain = |x: &str, op: &str, terms: usize| vec![x; terms].join(op);
    // The clauses' braces are three levels of brackets already.
    let calls = limits.max_depth - 3;
    let lets: String = (1..=deepest - 2).rev().map(|i| format!("  let a{i} = a{} + 1\n", i - 1)).collect();
    let clauses = [
        format!("{} > 0", chain("x", " + ", deepest - 1)),
        chain("b", " and ", deepest),
        format!("a{} > 0", deepest - 2),
        format!("d{} > 2000-01-01", " + 1 d".repeat(deepest - 2)),
        format!("{}{}{} > 0", "abs(".repeat(calls), chain("x", " + ", deepest - calls - 1), ")".repeat(calls)),
    ];
    let clauses: String = clauses
        .iter()
        .enumerate()
        .map(|(i, c)| format!("    clause C{i} \"c\" points 1 {{ when b require {c} partial 0.5 when {c} }}\n"))
        .collect();
    format!(
        "rulebook t \"t\" {{\n  facts {{ x: number \"x\" b: bool \"b\" d: date \"d\" }}\n  let a0 = x\n{lets}  scoring {{\n    scale 5\n    grade a \"a\" when {} > 0\n    grade z \"z\" otherwise\n    verdict v \"v\" otherwise\n    deduct n \"n\" 1 per {} max 1\n  }}\n  area A \"a\" {{\n{clauses}  }}\n}}\n",
        chain("score", " + ", deepest - 1),
        chain("x", " * ", deepest),
    )
}

#[test]
fn the_deepest_expressions_the_limits_admit_run_on_a_small_stack() {
    // Every stage after the parser walks expressions recursively. WASM
    // gives a module 1 MiB of stack: each stage must fit in it, as the
    // release build's do with half of it spare (an unoptimised build's
    // frames are larger, so it gets more).
    let stack = if cfg!(debug_assertions) { 4 << 20 } else { 1 << 20 };
    let run = std::thread::Builder::new().stack_size(stack).spawn(|| {
        let text = deepest_rulebook(0);
        let rulebook = compile(&text).map_err(|e| e.render(false))?;
        let options = ScoreOptions::default();
        let audit =
            "{\"audit\": {\"date\": \"2024-05-20\"}, \"facts\": {\"x\": 1, \"b\": true, \"d\": \"2024-01-01\"}}";
        let audit = AuditInput::from_json(audit, &options.limits).map_err(|e| e.render(false))?;
        let summary = rulebook.summary(&audit, &options).map_err(|e| e.render(false))?;
        let report = rulebook.score(&audit, &options).map_err(|e| e.render(false))?;
        // `b` and `d` unknown: the general evaluation, trying both values of `b`.
        let partial = AuditInput::from_json("{\"facts\": {\"x\": 1}}", &options.limits).map_err(|e| e.render(false))?;
        let undecided = rulebook.summary(&partial, &options).map_err(|e| e.render(false))?;
        let undecided_report = rulebook.score(&partial, &options).map_err(|e| e.render(false))?;
        let rendered = [
            ecorule::render_text(&report, false),
            ecorule::render_markdown(&report),
            ecorule::render_html([&report, &undecided_report]),
            report.to_json(),
        ];
        // fmt: the text parses back to the same tree, and is stable.
        let source = Source::new("deep.eco", text.clone());
        let parsed = ecorule::parse(&source, &Limits::default()).map_err(|e| e.render(false))?;
        let once = ecorule::fmt::format(&parsed, &text);
        let formatted = Source::new("once.eco", once.clone());
        let reparsed = ecorule::parse(&formatted, &Limits::default()).map_err(|e| e.render(false))?;
        let twice = ecorule::fmt::format(&reparsed, &once);
        let slots = rulebook.slots_read();
        drop(rulebook);
        Ok::<_, String>((summary, report, undecided, rendered, parsed == reparsed && once == twice, slots))
    });
    let (summary, report, undecided, rendered, formats_stably, slots) = match run.map(|thread| thread.join()) {
        Ok(Ok(Ok(done))) => done,
        Ok(Ok(Err(error))) => panic!("{error}"),
        other => panic!("the thread failed: {:?}", other.err()),
    };
    // Every clause passes and the deduction takes its one point.
    let four = ecorule::Num::int(4);
    assert_eq!((summary.score_min, summary.score_max, report.score), (four, four, Some(four)));
    assert_eq!(report.clauses().filter(|c| c.status() == ecorule::Status::Pass).count(), 5);
    assert!(undecided.score_min < undecided.score_max);
    assert!(rendered.iter().all(|r| r.contains("C4")), "{rendered:?}");
    assert!(formats_stably);
    assert_eq!(slots.iter().filter(|read| **read).count(), 3);
}

#[test]
fn one_level_past_the_deepest_expressions_is_too_deep_where_it_is() {
    // The parser's errors, at each expression one level too deep: the
    // grade, the deduction, then each clause's `require` and `partial` but
    // those of the one that uses a `let`, which the checker finds
    // (`a_chain_of_lets_is_as_deep_as_all_of_them_in_either_order`).
    let errors = compile(&deepest_rulebook(1)).err().map(|e| e.to_info()).unwrap_or_default();
    let deepest = Limits::default().max_expr_depth;
    let message = format!("expression is deeper than the limit of {deepest} levels");
    assert!(errors.iter().all(|e| e.kind == ErrorKind::TooDeep && e.message == message), "{errors:?}");
    let mut lines: Vec<usize> = errors.iter().filter_map(|e| e.line).collect();
    lines.sort_unstable();
    // `deepest_rulebook(n)` has `deepest + n - 2` lines of `let`s after its first three.
    let expected: Vec<usize> = [5, 8, 11, 11, 12, 12, 14, 14, 15, 15].iter().map(|l| deepest + l).collect();
    assert_eq!(lines, expected, "{errors:?}");
}

#[test]
fn ifs_in_unclosed_brackets_are_a_syntax_error_at_once() {
    // Once, after an `if` whose `else` branch stopped at an operator, the
    // expression around it tried that operator again, and what followed
    // it: in an unclosed bracket each level doubled the work (14 levels
    // took 0.75 s). 40 levels, within the nesting limit, would never end.
    let levels = "if x > 0 then 1 else x * (3 / ".repeat(40);
    let source = SMALL.replace("x > 0", &format!("x <= (3 / {levels}x"));
    assert_eq!(first_kind(compile(&source)), Some(ErrorKind::Syntax));
    // closed (and shallower, within the depth limit), it compiles
    let levels = "if x > 0 then 1 else x * (3 / ".repeat(8);
    let closed = SMALL.replace("x > 0", &format!("x <= (3 / {levels}x{}", ")".repeat(9)));
    assert_eq!(first_kind(compile(&closed)), None);
}

#[test]
fn unfinished_ifs_are_a_syntax_error_at_once() {
    // Once, each `if` that made no `if … then … else` was parsed again as a
    // name, doubling the work per level: 20 levels took 2.6 s. At 200 that
    // would never end; now the parse fails in one pass.
    let ifs = "0 + if -not ".repeat(200);
    let source = SMALL.replace("x > 0", &format!("{ifs}x"));
    assert_eq!(first_kind(compile(&source)), Some(ErrorKind::Syntax));
}

#[test]
fn fuzz_regressions_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok) {
        for case in std::fs::read_dir(target.path()).into_iter().flatten().filter_map(Result::ok) {
            let bytes = std::fs::read(case.path()).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let _ = first_kind(compile(&text));
            // The trees borrow from their sources, so the sources are kept in variables.
            let source = Source::new("case", text.to_string());
            if let Ok(parsed) = ecorule::parse(&source, &Limits::default()) {
                let once = ecorule::fmt::format(&parsed, &text);
                let formatted = Source::new("once", once.clone());
                let reparsed = ecorule::parse(&formatted, &Limits::default());
                assert_eq!(reparsed.as_ref().ok(), Some(&parsed), "{}: parse(fmt(x)) differs", case.path().display());
                let twice = reparsed.map(|p| ecorule::fmt::format(&p, &once)).unwrap_or_default();
                assert_eq!(once, twice, "{}: fmt is not idempotent", case.path().display());
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 1, "no fuzz regressions found in {}", dir.display());
}

#[test]
fn a_syntax_error_inside_a_long_cjk_word_renders() {
    let source = Source::new("x.eco", "pa水池至不小于最大一次初期雨");
    let errors = ecorule::parse(&source, &Limits::default()).err();
    let rendered = errors.map(|e| e.render(false)).unwrap_or_default();
    assert!(rendered.contains("found `pa水池至不小于最大一次初期`"), "{rendered}");
}

#[test]
fn many_undeclared_facts_get_few_hints_and_few_warnings() {
    // Each hint compares a name with every declared fact: of 50,000
    // misspelt facts the first sixteen get a hint. A report lists the
    // first hundred (in order of their warnings) and counts the rest, so
    // a 1 MB audit does not make a report many times its size.
    let Ok(rulebook) = compile(SMALL) else { panic!("SMALL compiles") };
    let facts: Vec<String> = (0..50_000).map(|i| format!("\"x{i}\": 1")).collect();
    let text = format!("{{\"facts\": {{{}}}}}", facts.join(", "));
    let audit = AuditInput::from_json(&text, &Limits::default()).unwrap_or(AuditInput::Null);
    let report = rulebook.score(&audit, &ScoreOptions::default()).map_err(|e| e.render(false));
    let warnings = report.as_ref().map(|r| r.warnings().to_vec()).unwrap_or_default();
    assert_eq!(warnings.len(), 101, "{:?}", report.err());
    assert!(warnings.first().is_some_and(|w| w.starts_with("fact `x0` is not declared")), "{warnings:?}");
    let last = warnings.last().cloned().unwrap_or_default();
    assert!(last.starts_with("and 49900 more names rulebook `t` does not declare"), "{last}");
    let json = report.map(|r| r.to_json()).unwrap_or_default();
    assert!(json.len() < 50_000, "{} bytes", json.len());
    // The same facts in the other order give the same warnings.
    let reversed: Vec<String> = facts.iter().rev().cloned().collect();
    let text = format!("{{\"facts\": {{{}}}}}", reversed.join(", "));
    let audit = AuditInput::from_json(&text, &Limits::default()).unwrap_or(AuditInput::Null);
    let again = rulebook.score(&audit, &ScoreOptions::default()).map(|r| r.warnings().to_vec()).unwrap_or_default();
    let unhinted = |w: &[String]| w.iter().map(|w| w.replace("; did you mean `x`?", "")).collect::<Vec<_>>();
    assert_eq!(unhinted(&again), unhinted(&warnings));
}

#[test]
fn an_error_on_a_very_long_line_shows_an_excerpt_of_it() {
    // One line of 240 KB, as a generated source may have: the error shows
    // the part around it, not the whole line (nor the whole line again as
    // its underline), and so does the snippet tools get.
    let list = vec!["\"abcdefgh\""; 20_000].join(", ");
    let source = SMALL.replace("x > 0", &format!("x in [{list}] and 许可证 > 0"));
    let errors = match compile(&source) {
        Err(errors) => errors,
        Ok(_) => panic!("许可证 is not a name"),
    };
    let rendered = errors.render(false);
    assert!(rendered.len() < 1_000, "{} bytes", rendered.len());
    let lines: Vec<&str> = rendered.lines().collect();
    assert!(lines.first().is_some_and(|l| l.starts_with("Error: ") && l.ends_with("found `许可证`")), "{rendered}");
    assert!(lines.get(1).is_some_and(|l| l.starts_with("  --> hostile.eco:4:")), "{rendered}");
    let shown = lines.get(2).copied().unwrap_or_default();
    assert!(shown.starts_with("   | …") && shown.ends_with("许可证 > 0 } }"), "{shown}");
    // The carets stand under 许可证: two columns a character.
    let marks = lines.get(3).copied().unwrap_or_default();
    let column =
        |text: &str, i: usize| text.get(..i).map_or(0, |t| t.chars().map(|c| if c > '\u{2e80}' { 2 } else { 1 }).sum());
    assert_eq!(marks.find('^').map(|i| column(marks, i)), shown.find('许').map(|i| column(shown, i)), "{rendered}");
    assert!(marks.contains("^^^^^^ here"), "{rendered}");
    let info = errors.to_info();
    let snippet = info.first().and_then(|i| i.snippet.clone()).unwrap_or_default();
    assert!(snippet.len() < 400 && snippet.contains("许可证"), "{snippet}");
}

#[test]
fn audit_text_cannot_forge_report_lines_markup_or_terminal_codes() {
    let source = "rulebook t \"t\" {\n  facts { x: text \"x\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x == \"ok\" } }\n}\n";
    let rulebook = compile(source).expect("compiles");
    let hostile = "\\r\\n## Fake verdict: PASS\\nscore 1.00 / 1.00\\u001b[2J<img src=x onerror=alert(1)>`<b>`";
    let audit = format!(
        "{{\"audit\": {{\"id\": \"{hostile}\", \"enterprise\": {{\"name\": \"{hostile}\"}}}}, \"facts\": {{\"x\": \"{hostile}\", \"y\": 1}}}}"
    );
    let report = rulebook.score_json(&audit, &ScoreOptions::default()).expect("scores");
    let text = ecorule::render_text(&report, false);
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("score 1.00") || l.starts_with("## Fake")), "{text}");
    assert!(text.contains("\\r\\n## Fake verdict"), "{text}");
    let markdown = ecorule::render_markdown(&report);
    assert!(!markdown.contains('\u{1b}') && !markdown.contains('\r'), "{markdown}");
    assert!(!markdown.lines().any(|l| l.starts_with("## Fake")), "{markdown}");
    // No raw HTML, and the audit's backticks make no code span, even in
    // the value an explanation quotes.
    assert!(!markdown.contains("<img"), "{markdown}");
    assert!(markdown.contains("&lt;img src=x"), "{markdown}");
    assert!(!markdown.contains("`<b>`") && markdown.contains(r"\`&lt;b>\`"), "{markdown}");
    // Nor emphasis, strikethrough or an entity; an `_` inside a word stays.
    let marked = r#"{"audit": {"enterprise": {"name": "*y* _z_ ~~w~~ &amp; snake_case"}}, "facts": {"x": "ok"}}"#;
    let report = rulebook.score_json(marked, &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    assert!(markdown.contains(r"\*y\* \_z\_ \~\~w\~\~ &amp;amp; snake_case"), "{markdown}");
    // Nor a link of an address (GitHub makes one of plain text).
    let linked = r#"{"audit": {"enterprise": {"name": "见 http://e.cn/x、WWW.e.cn、a.b@e.cn; 4:30, awww.x, @e"}}, "facts": {"x": "ok"}}"#;
    let report = rulebook.score_json(linked, &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    assert!(markdown.contains(r"见 http\://e.cn/x、WWW\.e.cn、a.b&#8288;@e.cn; 4:30, awww.x, @e"), "{markdown}");
    // An enterprise field that is an object is said, not dropped unseen.
    let audit = "{\"audit\": {\"enterprise\": {\"region\": {\"a\": 1}}}, \"facts\": {\"x\": \"ok\"}}";
    let report = rulebook.score_json(audit, &ScoreOptions::default()).expect("scores");
    assert!(report.warnings().iter().any(|w| w.contains("enterprise field `region` is an object")));
    let zh = report.warnings_zh().unwrap_or_default();
    assert!(zh.iter().any(|w| w.contains("企业字段 `region` 为 一个对象")), "{zh:?}");
    let refused = rulebook.score_json(audit, &ScoreOptions::strict(true)).expect_err("refused in strict mode");
    let refused = refused.first().expect("an error");
    assert_eq!(refused.message(), "enterprise field `region` is an object, not text, a number or yes/no");
    assert_eq!(refused.message_zh(), Some("企业字段 `region` 为 一个对象，不是文本、数字或是/否"));
}

#[test]
fn a_text_over_the_limit_names_its_fact() {
    let rulebook = compile(SMALL).expect("compiles");
    let long = "长".repeat(30_000);
    for (audit, fact) in [
        (format!("{{\"facts\": {{\"note\": {{\"text\": \"{long}\"}}}}}}"), "note.text"),
        (format!("{{\"audit\": {{\"enterprise\": {{\"name\": \"{long}\"}}}}, \"facts\": {{}}}}"), "enterprise.name"),
        (format!("{{\"audit\": {{\"id\": \"{long}\"}}, \"facts\": {{}}}}"), "audit.id"),
    ] {
        let errors =
            rulebook.score_json(&audit, &ScoreOptions::default()).err().map(|e| e.to_info()).unwrap_or_default();
        let first = errors.first();
        assert_eq!(first.map(|e| e.kind.as_str()), Some("audit_too_large"));
        assert_eq!(first.and_then(|e| e.fact.as_ref()).map(|f| f.fact.as_str()), Some(fact), "{errors:?}");
    }
}

/// A report whose every string (ids, names, dates, labels, fix texts) ends
/// in `tail`: what a stored report read back from JSON may hold, as the
/// Python `Report(json)` reads any text it is given (but a status or a
/// scoring policy, which must be one it knows).
#[expect(clippy::expect_used, reason = "a test helper: a failure is the test's report")]
fn hostile_report(tail: &str) -> ecorule::Report {
    let source = "rulebook t \"t\" en \"T\" {\n  version \"1\"\n  facts { x: number \"x\" \n    y: number \"y\" }\n  let m = 1 { unverified \"draft\" }\n  scoring { scale 2 grade a \"a\" en \"A\" otherwise verdict v \"v\" en \"V\" otherwise }\n  area A \"a\" en \"AA\" {\n    clause C \"c\" en \"CC\" points 1 veto { require x > m fix \"f\" en \"F\" within 3 days }\n    clause D \"d\" points 1 { require y > 0 }\n  }\n}\n";
    let rulebook = compile(source).expect("compiles");
    let audit = "{\"audit\": {\"id\": \"i\", \"date\": \"2024-01-01\", \"enterprise\": {\"name\": \"n\", \"id\": \"e\"}}, \"facts\": {\"x\": 0, \"z\": 1}}";
    let report = rulebook.score_json(audit, &ScoreOptions::default()).expect("scores");
    fn taint(v: &mut serde_json::Value, key: &str, tail: &str) {
        match v {
            serde_json::Value::String(s) if !["schema", "status", "not_applicable"].contains(&key) => s.push_str(tail),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| taint(i, key, tail)),
            serde_json::Value::Object(map) => map.iter_mut().for_each(|(k, i)| taint(i, k, tail)),
            _ => {}
        }
    }
    let mut json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("JSON");
    taint(&mut json, "", tail);
    serde_json::from_value(json).expect("reads back")
}

#[test]
fn no_string_of_a_report_reaches_a_terminal_raw() {
    let report = hostile_report("\u{1b}]8;;http://evil.example\u{7}\r\u{202e}\u{2066}\u{9b}2J\nscore 2.00 / 2.00");
    let text = ecorule::render_text(&report, false);
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{2066}', '\u{9b}'] {
        assert!(!text.contains(bad), "{bad:?} in\n{text}");
    }
    assert!(!text.lines().any(|l| l.starts_with("score 2.00")), "{text}");
    assert!(text.contains("\\u{1b}]8;;http://evil.example\\u{7}\\r\\u{202e}\\u{2066}"), "{text}");
    // Coloured, the only escapes are the report's own colours.
    let coloured = ecorule::render_text(&report, true);
    assert!(
        coloured.split('\u{1b}').skip(1).all(|s| s.starts_with("[3") || s.starts_with("[9") || s.starts_with("[0m"))
    );
}

/// The `|` of a Markdown line that end table cells (not written `\|`).
fn cell_bars(line: &str) -> usize {
    line.match_indices('|').filter(|(i, _)| !line.get(..*i).is_some_and(|b| b.ends_with('\\'))).count()
}

#[test]
fn rulebook_text_cannot_forge_markdown() {
    let source = "rulebook t \"t evil\" {\n  facts { x: number \"x\" }\n  scoring { scale 1\n    grade a \"a\\n\\n# Fake grade <script>alert(1)</script>\" otherwise\n    verdict v \"v\\\\`<img src=y onerror=alert(2)>`\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x > 0 fix \"do [this](javascript:alert(1)) ![px](http://evil.example/p.png)\" within 3 days } }\n}\n";
    let rulebook = compile(source).expect("compiles");
    let report = rulebook.score_json("{\"facts\": {\"x\": 0}}", &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    assert!(!markdown.lines().any(|l| l.starts_with("# Fake")), "{markdown}");
    assert!(!markdown.contains("<script"), "{markdown}");
    // The backslash is shown, so the backtick opens the code span that
    // keeps `<img` as text, not raw HTML after an escaped backtick.
    assert!(markdown.contains("v\\\\`<img src=y onerror=alert(2)>`"), "{markdown}");
    assert!(!markdown.contains("[this](") && markdown.contains("\\[this\\](javascript"), "{markdown}");
    assert!(!markdown.contains("![px]") && markdown.contains("!\\[px\\]"), "{markdown}");
    // A bidi override in a title is refused where it is written.
    let reversed = source.replace("t evil", "t \u{202e}evil");
    let errors = compile(&reversed).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(errors.contains("the source holds the character `\\u{202e}`"), "{errors}");
}

#[test]
fn no_string_of_a_report_breaks_its_markdown() {
    let report = hostile_report("\u{1b}|<img src=x>\\`<b>`[l](http://e)\n# h\u{202e}");
    let markdown = ecorule::render_markdown(&report);
    assert!(!markdown.contains('\u{1b}') && !markdown.contains('\u{202e}'), "{markdown}");
    assert!(!markdown.lines().any(|l| l.starts_with("# h")), "{markdown}");
    // (The unverified fact's name is a code span, where `<img` is text.)
    let mut outside_code = markdown.lines().filter(|l| !l.starts_with("> unverified"));
    assert!(outside_code.all(|l| !l.contains("<img") && !l.contains("[l](")), "{markdown}");
    assert!(markdown.lines().filter(|l| l.starts_with('|')).all(|l| cell_bars(l) == 5), "{markdown}");
}

#[test]
fn an_audit_s_backticks_are_shown_in_markdown_not_made_code() {
    let rulebook = compile(SMALL).expect("compiles");
    let audit =
        r#"{"audit": {"id": "A-`1", "enterprise": {"name": "Acme `fish` co", "id": "``e``"}}, "facts": {"x": 1}}"#;
    let report = rulebook.score_json(audit, &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    let line = markdown.lines().find(|l| l.contains("Acme")).unwrap_or_default();
    assert_eq!(line, r"- audit: A-\`1 · Acme \`fish\` co · \`\`e\`\`", "{markdown}");
}

#[test]
fn an_audit_text_quoted_in_an_explanation_opens_no_code_span_in_markdown() {
    let source = "rulebook t \"t\" {\n  facts { fuel: text \"fuel\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require fuel == \"gas\" } }\n}\n";
    let rulebook = compile(source).expect("compiles");
    let audit = r#"{"facts": {"fuel": "co`al \"`x`\" \\`"}}"#;
    let report = rulebook.score_json(audit, &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    let line = markdown.lines().find(|l| l.starts_with("| C ")).unwrap_or_default();
    // The value's backticks are characters; the rulebook's code spans, in
    // both languages after it, are still code.
    let value = r#"fuel = "co\`al \\"\`x\`\\" \\\\\`""#;
    assert_eq!(line.matches(value).count(), 2, "{line}");
    assert!(line.contains("不满足 `fuel == \"gas\"`") && line.contains("fails `fuel == \"gas\"`"), "{line}");
    assert_eq!(cell_bars(line), 5, "{line}");
}

#[test]
fn an_error_quotes_no_terminal_codes_from_its_source() {
    let text = "rulebook t \"t\" {\n  facts { x: nmber \"\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{202e}\" }\n}\r\n";
    // Refused, each hidden character at its place, before the misspelt type.
    let errors = Rulebook::compile_with(Source::new("b\u{1b}[31mad.eco", text), &[], &Limits::default())
        .expect_err("hidden characters");
    assert_eq!(errors.len(), 5, "{errors}");
    for rendered in [errors.render(false), errors.to_string()] {
        for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
            assert!(!rendered.contains(bad), "{bad:?} in\n{rendered}");
        }
        assert!(rendered.contains("b\\u{1b}[31mad.eco:2:21"), "{rendered}");
    }
    let rendered = errors.render(false);
    assert!(rendered.contains("x: nmber \"\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\u{202e}\" }"), "{rendered}");
    // The first caret is under the first escape, drawn as wide as it is.
    let lines: Vec<&str> = rendered.lines().collect();
    let at = |needle: &str| {
        lines.iter().find_map(|l| l.find(needle).map(|i| l.get(..i).unwrap_or_default().chars().count()))
    };
    assert_eq!(at("\"\\u{1b}]0;pwned").map(|c| c + 1), at("───┬──"), "{rendered}");
    // Coloured, the only escapes are ariadne's colours.
    let coloured = errors.render(true);
    assert!(coloured.split('\u{1b}').skip(1).all(|s| s.starts_with('[') && !s.starts_with("[2J")), "{coloured}");
}

#[test]
fn no_string_of_a_report_escapes_its_html() {
    let report =
        hostile_report("\"'><script>alert(1)</script></style></td><img src=x onerror=alert(2)>\u{202e}\u{1b}[2J&amp;");
    for html in [ecorule::render_html([&report]), ecorule::render_html_fragment(&report)] {
        for bad in ["<script", "</style></td>", "<img", "\"'>", "\u{202e}", "\u{1b}"] {
            assert!(!html.contains(bad), "{bad:?} in\n{html}");
        }
        assert!(html.contains("&quot;&#39;&gt;&lt;script&gt;"), "{html}");
        assert!(html.contains("\\u{202e}\\u{1b}[2J&amp;amp;"), "{html}");
        // Only the report's own elements: one <style>, and no element the
        // strings could have opened.
        assert_eq!(html.matches("<style>").count(), 1);
        assert_eq!(html.matches("</style>").count(), 1);
    }
}

/// `SMALL` with a list fact `xs` and `clauses` clauses requiring `require`.
fn with_list(clauses: usize, require: &str) -> String {
    let area: String = (0..clauses).map(|i| format!("clause C{i} \"c\" points 1 {{ require {require} }} ")).collect();
    SMALL
        .replace("x: number \"x\"", "xs: list number \"xs\"  flags: list bool \"flags\"")
        .replace("scale 1", &format!("scale {clauses}"))
        .replace("clause C \"c\" points 1 { require x > 0 } ", &area)
}

fn list_audit(items: usize) -> String {
    let xs: Vec<String> = (0..items).map(|i| i.to_string()).collect();
    let flags = vec!["true"; items].join(",");
    format!("{{\"facts\": {{\"xs\": [{}], \"flags\": [{flags}]}}}}", xs.join(","))
}

#[test]
fn going_through_long_lists_is_work_the_limit_counts() {
    // 200 clauses, each looking through 100,000 readings: 20 million items,
    // which once took each of them a single step.
    for require in ["-1 in xs", "all(flags) and -1 in xs", "any(flags) and not all(flags)"] {
        let rulebook = compile(&with_list(200, require)).unwrap_or_else(|e| panic!("{e}"));
        let audit = AuditInput::from_json(&list_audit(100_000), &Limits::default()).expect("audit");
        let options = ScoreOptions::default();
        let started = std::time::Instant::now();
        let kinds = [
            rulebook.score(&audit, &options).err().and_then(|e| e.first().map(|e| e.kind())),
            rulebook.summary(&audit, &options).err().and_then(|e| e.first().map(|e| e.kind())),
        ];
        assert_eq!(kinds, [Some(ErrorKind::TooMuchWork); 2], "{require}");
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{require}: {:?}", started.elapsed());
    }
}

#[test]
fn a_long_list_is_quoted_in_part() {
    // A month of hourly readings, read by 50 clauses: each explanation
    // quotes the first ten and says how many more there are.
    let rulebook = compile(&with_list(50, "count(xs) >= 720")).unwrap_or_else(|e| panic!("{e}"));
    let report = rulebook.score_json(&list_audit(720), &ScoreOptions::default()).expect("scores");
    let clause = report.clauses().next().expect("a clause");
    assert!(
        clause.explanation().contains("xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … 710 more]"),
        "{}",
        clause.explanation()
    );
    assert!(report.to_json().len() < 40_000, "{} bytes", report.to_json().len());
    // Ten items or fewer are quoted whole.
    let report = rulebook.score_json(&list_audit(10), &ScoreOptions::default()).expect("scores");
    let clause = report.clauses().next().expect("a clause");
    assert!(clause.explanation().contains("xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"), "{}", clause.explanation());
}

#[test]
fn an_audit_of_too_many_values_names_where_most_are() {
    let mut limits = Limits::default();
    limits.max_audit_values = 50;
    let xs: Vec<String> = (0..60).map(|i| i.to_string()).collect();
    let json =
        format!("{{\"audit\": {{\"id\": \"a\"}}, \"facts\": {{\"flags\": [true], \"xs\": [{}]}}}}", xs.join(","));
    let error = AuditInput::from_json(&json, &limits).expect_err("too many values");
    assert_eq!(error.kind(), ErrorKind::AuditTooLarge);
    let info = ecorule::Errors::from(error).to_info().into_iter().next().expect("an error");
    assert_eq!(info.message, "the audit holds more than the limit of 50 values");
    // The list and its items.
    assert_eq!(
        info.help.as_deref(),
        Some(
            "`facts.xs` holds the most, 61 values; a program that embeds ecorule can raise `Limits::max_audit_values`"
        )
    );
}

/// A module table of thousands of rows, looked up by a key written out in
/// each of hundreds of clauses: checked in passes over the rows (a key
/// listed twice, the keys a look-up may take), not by comparing each row
/// with each other or with each look-up, which took seconds at this size
/// and minutes at the source limit.
#[test]
fn a_large_table_looked_up_in_many_places_is_checked_in_passes() {
    let rows: String = (0..20_000).map(|i| format!("    \"k{i}\" => {i}\n")).collect();
    let module = format!("module big \"大\" {{\n  table t(key: text) -> number exact {{\n{rows}  }}\n}}\n");
    let clauses: String = (0..500)
        .map(|i| format!("    clause C{i} \"c\" points 1 {{ require x <= big.t(\"k{}\") }}\n", i * 37))
        .collect();
    let book = |clauses: &str| {
        let text = format!(
            "rulebook b \"b\" {{\n  use big\n  facts {{ x: number \"x\" }}\n  scoring {{ scale 500 grade a \"a\" otherwise verdict v \"v\" otherwise }}\n  area A \"a\" {{\n{clauses}  }}\n}}\n"
        );
        Rulebook::compile_with(
            Source::new("b.eco", text),
            &[Source::new("big.eco", module.clone())],
            &Limits::default(),
        )
    };
    let rulebook = book(&clauses).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let report = rulebook.score_json(r#"{"facts": {"x": 0}}"#, &ScoreOptions::default()).expect("scores");
    assert_eq!(report.clauses().filter(|c| c.status() == ecorule::Status::Pass).count(), 500);
    // A key no row has is still found, and so is a key listed twice.
    let errors = book(&clauses.replace("\"k37\"", "\"k20000\"")).err().map(|e| e.to_info()).unwrap_or_default();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["table `big.t` has no row for key = \"k20000\""]);
    let twice = module.replace("    \"k5\" => 5\n", "    \"k4\" => 5\n");
    let errors = ecorule::check_module(&Source::new("big.eco", twice), &Limits::default()).err();
    assert!(errors.is_some_and(|e| e.to_string().contains("table `big.t` lists this key twice")));
}

#[test]
fn an_undeclared_name_with_backticks_is_one_code_span_in_markdown() {
    let source = "rulebook t \"t\" {\n  facts { fuel: text \"fuel\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require fuel == \"gas\" } }\n}\n";
    let rulebook = compile(source).expect("compiles");
    let audit = r#"{"`top": 1, "facts": {"fuel": "gas", "co`al": 1, "fu``el": 2}}"#;
    let report = rulebook.score_json(audit, &ScoreOptions::default()).expect("scores");
    let markdown = ecorule::render_markdown(&report);
    // Each name is fenced by a run of backticks longer than its own (with
    // a space inside when it starts or ends with one), so a Markdown reader
    // sees it whole, and the rulebook's `t` after it is still code.
    for warning in [
        "> warning: top-level key `` `top `` is not declared by rulebook `t`, and is ignored",
        "> warning: fact ``co`al`` is not declared by rulebook `t`, and is ignored",
        "> warning: fact ```fu``el``` is not declared by rulebook `t`, and is ignored; did you mean `fuel`?",
        "> warning: 数据项 ``co`al`` 未在规则集 `t` 中声明，已忽略",
    ] {
        assert!(markdown.lines().any(|l| l == warning), "{warning}\nnot in\n{markdown}");
    }
    // A name without backticks is quoted as before.
    let plain = rulebook.score_json(r#"{"facts": {"fuel": "gas", "coal": 1}}"#, &ScoreOptions::default());
    assert!(plain.expect("scores").warnings().iter().any(|w| w.starts_with("fact `coal` is not declared")));
}

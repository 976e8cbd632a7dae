//! The real `ecorule` binary: exit codes, streams and formats.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ecorule(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_ecorule")).args(args).current_dir(root()).output() {
        Ok(o) => o,
        Err(e) => panic!("cannot run ecorule: {e}"),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

const FISHMEAL: &str = "rules/fishmeal/fishmeal.eco";
const SAMPLE: &str = "rules/fishmeal/audits/b_good_partial.json";

/// `ecorule check [FLAGS] FILE` of `source`, written to a file `name` in a
/// fresh folder.
fn check_source(name: &str, source: &str, flags: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name).display().to_string();
    std::fs::write(&path, source).expect("write rulebook");
    let args: Vec<&str> = ["check"].into_iter().chain(flags.iter().copied()).chain([path.as_str()]).collect();
    ecorule(&args)
}

#[test]
fn check_accepts_the_bundled_rules() {
    let out = ecorule(&["check", FISHMEAL, "rules/standards/gb14554.eco"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("rulebook `fishmeal`: 10 areas, 42 clauses, 111 facts"));
}

#[test]
fn check_counts_one_area_in_the_singular() {
    let source = "rulebook one \"一\" {\n  facts { x: bool \"x\" }\n  scoring {\n    scale 1\n    grade ok \"合格\" otherwise\n    verdict standardize otherwise\n  }\n  area A \"区\" { clause C \"c\" points 1 { require x } }\n}\n";
    let out = check_source("one.eco", source, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("rulebook `one`: 1 area, 1 clause, 1 fact)"), "{}", text(&out.stdout));
}

#[test]
fn check_warns_of_unused_facts_and_lets_and_still_succeeds() {
    let source = "rulebook u \"未用\" {\n  facts {\n    x: bool \"x\"\n    y: bool \"y\"\n  }\n  let z = 1\n  scoring {\n    scale 1\n    grade ok \"合格\" otherwise\n    verdict standardize otherwise\n  }\n  area A \"区\" { clause C \"c\" points 1 { require x } }\n}\n";
    let out = check_source("unused.eco", source, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(text(&out.stdout).contains("1 area, 1 clause, 2 facts, 2 warnings)"), "{}", text(&out.stdout));
    assert!(stderr.contains("Warning: fact `y` is declared but nothing reads it"), "{stderr}");
    assert!(stderr.contains("Warning: `z` is defined but nothing uses it"), "{stderr}");
    // `--json` lists them, marked as warnings, and nothing on stderr.
    let json = check_source("unused.eco", source, &["--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    assert_eq!(text(&json.stderr), "");
    let warnings: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    let field =
        |i: usize, key: &str| warnings.get(i).and_then(|w| w.get(key)).and_then(|v| v.as_str()).map(str::to_string);
    assert_eq!(warnings.as_array().map(Vec::len), Some(2), "{warnings}");
    assert_eq!(field(0, "severity").as_deref(), Some("warning"));
    assert_eq!(field(0, "kind").as_deref(), Some("unused"));
    assert_eq!(field(1, "message").as_deref(), Some("`z` is defined but nothing uses it"));
}

#[test]
fn check_shows_every_error_with_its_line_and_exits_1() {
    let source = "rulebook bad \"坏\" {\n  facts { h: quantity m \"h\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" {\n    clause C \"c\" points 1 { require h >= 15 kg/h and nope }\n  }\n}\n";
    let out = check_source("bad.eco", source, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.eco:5:"), "{err}");
    assert!(err.contains("cannot compare `h` (a length) and `15 kg/h`"), "{err}");
    assert!(err.contains("unknown name `nope`"), "{err}");
    let json = check_source("bad.eco", source, &["--json"]);
    let errors: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    assert_eq!(errors.as_array().map(Vec::len), Some(2));
    assert_eq!(errors.get(0).and_then(|e| e.get("line")).and_then(serde_json::Value::as_u64), Some(5));
    assert_eq!(errors.get(0).and_then(|e| e.get("severity")).and_then(|s| s.as_str()), Some("error"));
}

#[test]
fn score_prints_the_report_in_each_format() {
    let json = ecorule(&["score", FISHMEAL, SAMPLE, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    assert_eq!(report.get("schema").and_then(|s| s.as_str()), Some("ecorule.report/1"));
    assert!(
        report
            .get("rulebook")
            .and_then(|r| r.get("hash"))
            .and_then(|h| h.as_str())
            .is_some_and(|h| h.starts_with("sha256:"))
    );
    let plain = text(&ecorule(&["score", FISHMEAL, SAMPLE]).stdout);
    assert!(plain.contains("score 89.50 / 100.00"), "{plain}");
    let markdown = text(&ecorule(&["score", FISHMEAL, SAMPLE, "--format", "markdown"]).stdout);
    assert!(markdown.starts_with("# "), "{markdown}");
    assert!(markdown.contains("| clause | status | points | why |"));
    // HTML: one document for any number of audits.
    let html = text(&ecorule(&["score", FISHMEAL, SAMPLE, SAMPLE, "--format", "html"]).stdout);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{html}");
    assert_eq!(html.matches("<div class=\"ecorule-report\">").count(), 2);
    assert!(html.contains("<b>89.50</b> / 100.00"));
}

#[test]
fn score_draws_text_markdown_and_html_in_the_language_asked_for() {
    let run = |args: &[&str]| {
        let out = ecorule(&[&["score", FISHMEAL, SAMPLE][..], args].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    // `both` is the default and draws what it always did.
    assert_eq!(run(&["--lang", "both"]), run(&[]));
    assert_eq!(run(&["--format", "markdown", "--lang", "both"]), run(&["--format", "markdown"]));
    let zh = run(&["--lang", "zh"]);
    assert!(zh.contains("得分 89.50 / 100.00 · 等级 良好 · 结论 规范（已确定）"), "{zh}");
    assert!(zh.contains("◐ FM09  部分合格     1/2  原料保鲜\n"), "{zh}");
    assert!(!zh.contains("Raw-material freshness") && !zh.contains("fix by"), "{zh}");
    let en = run(&["--lang", "en"]);
    assert!(en.contains("score 89.50 / 100.00 · grade good · verdict standardize (determined)"), "{en}");
    assert!(en.contains("◐ FM09  partial            1/2  Raw-material freshness\n"), "{en}");
    assert!(!en.contains("原料保鲜") && !en.contains("不满足"), "{en}");
    let markdown = run(&["--format", "markdown", "--lang", "zh"]);
    assert!(markdown.contains("| 条款 | 状态 | 分值 | 说明 |") && markdown.contains("\n## 整改\n"), "{markdown}");
    let html = run(&["--format", "html", "--lang", "en"]);
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h2>Rectification</h2>"), "{html}");
    // JSON holds both languages whatever `--lang` says.
    assert_eq!(run(&["--format", "json", "--lang", "zh"]), run(&["--format", "json"]));
    let bad = ecorule(&["score", FISHMEAL, SAMPLE, "--lang", "fr"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("[possible values: both, zh, en]"), "{}", text(&bad.stderr));
}

/// `sha256:` and the hex SHA-256 of a file's bytes, as `sha256sum` prints it.
/// The text between the line `open` and the next line "```" after it.
fn fenced<'a>(text: &'a str, open: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no `{open}` in README.md")) + open.len();
    let body = &text[start..];
    let body = body.strip_prefix('\n').unwrap_or(body);
    &body[..body.find("\n```").map_or(body.len(), |end| end + 1)]
}

/// Each `sha256:` and its hex digits as `sha256:…`, as the README writes them.
fn elide_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        out.push_str(&rest[..at + 7]);
        out.push('…');
        rest = rest[at + 7..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

#[test]
fn the_readme_example_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("read README.md");
    let rulebook = fenced(&readme, "```eco");
    let after = &readme[readme.find("With the audit `").expect("the README names its audit") + 16..];
    let audit = &after[..after.find('`').expect("the audit ends")];
    let shown = fenced(after, "```text");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("minimal.eco"), rulebook).expect("write rulebook");
    std::fs::write(dir.path().join("audit.json"), audit).expect("write audit");
    let out = Command::new(env!("CARGO_BIN_EXE_ecorule"))
        .args(["score", "minimal.eco", "audit.json"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    // The rulebook vetoes its one failing clause: a report, exit status 0.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(elide_hashes(&text(&out.stdout)), shown, "README.md's example is not what `ecorule score` prints");
}

fn sha256_of(path: &str) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    format!("sha256:{:x}", Sha256::digest(bytes))
}

#[test]
fn score_json_names_the_rulebook_and_its_modules_by_the_sha256_of_their_files() {
    let json = ecorule(&["score", FISHMEAL, SAMPLE, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_default();
    assert_eq!(report["rulebook"]["hash"], sha256_of(FISHMEAL));
    // In the order of fishmeal's `use` line, read from ../standards.
    let used = ["gb14554", "gb8978", "gb16297", "gb12348", "gb13271", "db33_887"];
    let want: Vec<serde_json::Value> = used
        .iter()
        .map(|id| serde_json::json!({"id": id, "hash": sha256_of(&format!("rules/standards/{id}.eco"))}))
        .collect();
    assert_eq!(report["rulebook"]["modules"], serde_json::Value::Array(want));
    // A Markdown report, the kind that is kept, names them too.
    let markdown = text(&ecorule(&["score", FISHMEAL, SAMPLE, "--format", "markdown"]).stdout);
    let line = markdown.lines().find(|l| l.starts_with("- modules: ")).unwrap_or_default();
    let listed: Vec<String> =
        used.iter().map(|id| format!("{id} {}", sha256_of(&format!("rules/standards/{id}.eco")))).collect();
    assert_eq!(line, format!("- modules: {}", listed.join(", ")));
    // A module beside the rulebook replaces the bundled one, and its file's hash shows.
    let case = "tests/vectors/module_override_bundled";
    let (book, audit) = (format!("{case}/rulebook.eco"), format!("{case}/audit.json"));
    let out = ecorule(&["score", &book, &audit, "--format", "json", "--lib", case]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(report["rulebook"]["hash"], sha256_of(&book));
    let module = serde_json::json!([{"id": "gb14554", "hash": sha256_of(&format!("{case}/gb14554.module.eco"))}]);
    assert_eq!(report["rulebook"]["modules"], module);
}

#[test]
fn a_rulebook_named_without_a_folder_finds_the_modules_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let module = "module local \"本地\" {\n  const limit = 5\n}\n";
    let book = "rulebook b \"本\" {\n  use local\n  facts { x: number \"x\" }\n  scoring {\n    scale 1\n    grade ok \"合格\" otherwise\n    verdict standardize otherwise\n  }\n  area A \"区\" { clause C \"c\" points 1 { require x <= local.limit } }\n}\n";
    std::fs::write(dir.path().join("local.eco"), module).expect("write module");
    std::fs::write(dir.path().join("b.eco"), book).expect("write rulebook");
    // `b.eco` has the empty path as its folder: the modules are those of `.`.
    let out = Command::new(env!("CARGO_BIN_EXE_ecorule")).args(["check", "b.eco"]).current_dir(dir.path()).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("rulebook `b`"), "{}", text(&out.stdout));
    // A module beside it that does not parse: a warning when the rulebook
    // does not use it, an error when it does (else the bundled one of
    // that id would stand in for it unsaid).
    std::fs::write(dir.path().join("draft.eco"), "module draft \"草稿\" {\n  const x = \n}\n").expect("write draft");
    let out = Command::new(env!("CARGO_BIN_EXE_ecorule")).args(["check", "b.eco"]).current_dir(dir.path()).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Warning: module `draft` in ./draft.eco does not parse"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(dir.path().join("local.eco"), "module local \"本地\" {\n  const limit = \n}\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_ecorule")).args(["check", "b.eco"]).current_dir(dir.path()).output();
    assert_eq!(out.expect("runs").status.code(), Some(1));
}

#[test]
fn toml_audits_score_like_json() {
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("a.toml")).unwrap_or_default();
    let toml = "[audit]\nid = \"T\"\ndate = 2024-05-20\n\n[facts]\n\"stack.height\" = \"25 m\"\n";
    assert!(std::fs::write(&path, toml).is_ok());
    let out = ecorule(&["score", FISHMEAL, &path.display().to_string(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(report.pointer("/audit/date").and_then(|d| d.as_str()), Some("2024-05-20"));
}

/// Runs `ecorule` with `input` on its standard input.
fn ecorule_fed(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecorule"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A run that refuses before reading closes the pipe: not an error here.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn score_reads_an_audit_from_standard_input_given_as_a_dash() {
    let audit = std::fs::read(root().join("rules/fishmeal/audits/b_good_partial.json")).unwrap();
    let out = ecorule_fed(&["score", FISHMEAL, "-", "--format", "json"], &audit);
    assert_eq!(out.status.code(), Some(0));
    let from_file = ecorule(&["score", FISHMEAL, "rules/fishmeal/audits/b_good_partial.json", "--format", "json"]);
    assert_eq!(text(&out.stdout), text(&from_file.stdout));
    // TOML too: what does not open with `{` is read as TOML.
    let toml = "[audit]\nid = \"T\"\ndate = 2024-05-20\n\n[facts]\n\"stack.height\" = \"25 m\"\n";
    let out = ecorule_fed(&["score", FISHMEAL, "-", "--format", "json"], toml.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(report.pointer("/audit/id").and_then(|d| d.as_str()), Some("T"));
    // Standard input holds one audit.
    let out = ecorule_fed(&["score", FISHMEAL, "-", SAMPLE, "-"], &audit);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: `-` is given more than once: standard input holds one audit\n");
    assert!(out.stdout.is_empty());
}

#[test]
fn score_in_chinese_keeps_an_english_only_error_under_chinese_labels() {
    let (rulebook, audit) = vector("error_eval_division_by_zero");
    let out = ecorule(&["score", &rulebook, &audit, "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), format!("{audit} 无法评分：\n错误：clause `C1`: division by zero\n"));
}

#[test]
fn score_in_chinese_says_a_rejected_value_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"audit": {"date": "2024-05-20"}, "facts": {"stack.height": "12 parsecs"}}"#)
        .expect("write");
    let run = |lang: &str| {
        let out = ecorule(&["score", FISHMEAL, path.to_str().expect("UTF-8"), "--lang", lang]);
        assert_eq!(out.status.code(), Some(2), "{lang}");
        text(&out.stderr)
    };
    let zh = run("zh");
    let expected = format!(
        "{} 无法评分：\n错误：数据项 `stack.height` 应为以 m 计的量，不小于 0 m，但审核给出 \"12 parsecs\"\n  提示：未知单位 `parsecs`\n",
        path.display()
    );
    assert_eq!(zh, expected);
    // Both languages, the default, and English print the English.
    let en = run("en");
    assert!(en.starts_with(&format!("{} cannot be scored:\n", path.display())), "{en}");
    assert!(
        en.contains("fact `stack.height` expects a quantity in m")
            && en.contains("\nError: fact `stack.height`")
            && en.contains("\n  Help: unknown unit `parsecs`"),
        "{en}"
    );
    assert_eq!(run("both"), en);
    // A malformed audit is drawn at its line, in the language asked for,
    // and without colour when stderr is not a terminal.
    std::fs::write(&path, "{\"facts\": ").expect("write");
    let zh = run("zh");
    assert!(zh.contains("错误: 审核不是有效的 JSON：") && zh.contains("╰── 此处") && !zh.contains('\u{1b}'), "{zh}");
    assert!(run("en").contains("Error: the audit is not valid JSON"));
}

#[test]
fn malformed_toml_is_located_as_malformed_json_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let audits = [
        ("a.toml", "[audit]\ndate = 2024-05-20\n[facts]\n\"stack.height\" = 12 m\n"),
        ("a.json", "{\"audit\": {\"date\": \"2024-05-20\"},\n \"facts\": {\"stack.height\": 12 m}}\n"),
    ];
    for (name, audit) in audits {
        let path = dir.path().join(name);
        std::fs::write(&path, audit).expect("write");
        let out = ecorule(&["score", FISHMEAL, path.to_str().expect("UTF-8")]);
        let stderr = text(&out.stderr);
        let (format, at) = if name.ends_with(".toml") { ("TOML", "4:21") } else { ("JSON", "2:31") };
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.starts_with(&format!("{} cannot be scored:\n", path.display())), "{stderr}");
        assert!(stderr.contains(&format!("Error: the audit is not valid {format}: ")), "{stderr}");
        assert!(stderr.contains(&format!("{}:{at} ]", path.display())), "{stderr}");
        assert!(stderr.contains(" 12 m"), "{stderr}");
    }
}

#[test]
fn a_toml_fact_given_quoted_and_dotted_is_an_error() {
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("twice.toml")).unwrap_or_default();
    let toml = "[facts]\n\"permit.valid_until\" = 2025-01-01\npermit.valid_until = 2020-01-01\n";
    assert!(std::fs::write(&path, toml).is_ok());
    let out = ecorule(&["score", FISHMEAL, &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("fact `permit.valid_until` is given twice"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_audit_exits_2_and_names_the_fact() {
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("bad.json")).unwrap_or_default();
    assert!(std::fs::write(&path, r#"{"facts": {"stack.height": "12 kg/h"}}"#).is_ok());
    let out = ecorule(&["score", FISHMEAL, &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("fact `stack.height` expects a quantity in m"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn test_runs_every_sample_and_ends_with_the_count() {
    for dir in ["rules/fishmeal", "rules/green-ship-repair", "rules/hazardous-waste"] {
        let out = ecorule(&["test", dir]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{dir}: {stdout}{}", text(&out.stderr));
        let last = stdout.lines().last().unwrap_or_default();
        assert!(last.ends_with(" passed, 0 failed"), "{dir}: {last}");
    }
}

#[test]
fn fmt_check_and_schema() {
    let fixture = "crates/ecorule/tests/fixtures/ok_minimal.eco";
    let formatted = ecorule(&["fmt", fixture]);
    assert_eq!(formatted.status.code(), Some(0));
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("f.eco")).unwrap_or_default();
    assert!(std::fs::write(&path, &formatted.stdout).is_ok());
    assert_eq!(ecorule(&["fmt", "--check", &path.display().to_string()]).status.code(), Some(0));
    let messy = text(&formatted.stdout).replace("  ", "     ");
    assert!(std::fs::write(&path, messy).is_ok());
    assert_eq!(ecorule(&["fmt", "--check", &path.display().to_string()]).status.code(), Some(1));
    // Several files: each one not formatted is named, with its first
    // differing line; --write mends them all.
    let tidy = dir.as_ref().map(|d| d.path().join("tidy.eco")).unwrap_or_default();
    assert!(std::fs::write(&tidy, &formatted.stdout).is_ok());
    let (messy_path, tidy_path) = (path.display().to_string(), tidy.display().to_string());
    let out = ecorule(&["fmt", "--check", &tidy_path, &messy_path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("{messy_path} is not formatted (from line 3)")), "{stderr}");
    assert!(!stderr.contains(&tidy_path), "{stderr}");
    assert_eq!(ecorule(&["fmt", &tidy_path, &messy_path]).status.code(), Some(2), "two files need a flag");
    assert_eq!(ecorule(&["fmt", "--write", &tidy_path, &messy_path]).status.code(), Some(0));
    assert_eq!(ecorule(&["fmt", "--check", &tidy_path, &messy_path]).status.code(), Some(0));
    assert_eq!(std::fs::read(&path).ok(), Some(formatted.stdout.clone()));
    let schema = ecorule(&["schema", FISHMEAL]);
    let value: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap_or_default();
    assert!(value.pointer("/properties/facts/properties/stack.height").is_some());
}

#[test]
fn fmt_write_replaces_a_file_whole_and_keeps_a_symlink() {
    let dir = tempfile::tempdir().expect("temp dir");
    let formatted = ecorule(&["fmt", "crates/ecorule/tests/fixtures/ok_minimal.eco"]).stdout;
    let messy = text(&formatted).replace("  ", "     ");
    let (file, link) = (dir.path().join("book.eco"), dir.path().join("link.eco"));
    std::fs::write(&file, &messy).expect("write");
    std::os::unix::fs::symlink(&file, &link).expect("symlink");
    let out = ecorule(&["fmt", "--write", &link.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
    assert_eq!(std::fs::read(&file).ok(), Some(formatted));
    // Nothing is left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).map(Iterator::count).ok(), Some(2));
    // A read-only file is refused and left as it is.
    std::fs::write(&file, &messy).expect("write");
    let mut permissions = std::fs::metadata(&file).expect("metadata").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&file, permissions).expect("read-only");
    let out = ecorule(&["fmt", "--write", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the file is read-only"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).ok(), Some(messy));
}

#[test]
fn output_that_cannot_be_written_is_an_error_and_huge_inputs_are_not_read_whole() {
    // A report sent to a full disk is not taken for written.
    if let Ok(full) = std::fs::File::create("/dev/full") {
        let out = Command::new(env!("CARGO_BIN_EXE_ecorule"))
            .args(["score", FISHMEAL, SAMPLE])
            .current_dir(root())
            .stdout(full)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("error: cannot write the output"), "{}", text(&out.stderr));
    }
    // Endless files stop at the limit (the audit limit is 16 MiB, a source's 1 MiB).
    if Path::new("/dev/zero").exists() {
        let out = ecorule(&["score", FISHMEAL, "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("/dev/zero is larger than the limit of 16777216 bytes"));
        let out = ecorule(&["check", "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("/dev/zero is larger than the limit of 1048576 bytes"));
    }
}

#[test]
fn check_json_gives_a_file_it_cannot_read_as_a_diagnostic_and_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let latin1 = dir.path().join("latin1.eco").display().to_string();
    std::fs::write(&latin1, b"rulebook t \"caf\xe9\" {}").expect("write");
    let mut cases =
        vec![("nope.eco", "syntax", "cannot read nope.eco"), (latin1.as_str(), "syntax", "is not UTF-8 text")];
    if Path::new("/dev/zero").exists() {
        cases.push(("/dev/zero", "source_too_large", "/dev/zero is larger than the limit of 1048576 bytes"));
    }
    for (file, kind, message) in cases {
        let out = ecorule(&["check", "--json", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert_eq!(text(&out.stderr), "", "{file}");
        let errors: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        assert_eq!(errors.as_array().map(Vec::len), Some(1), "{file}: {errors}");
        let field = |key: &str| errors[0][key].as_str().unwrap_or_default().to_string();
        assert_eq!(field("kind"), kind, "{file}");
        assert_eq!(field("severity"), "error", "{file}");
        assert_eq!(field("source"), file);
        assert!(field("message").contains(message), "{file}: {errors}");
    }
}

#[test]
fn invalid_utf8_is_named_not_a_panic() {
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("latin1.eco")).unwrap_or_default();
    assert!(std::fs::write(&path, b"rulebook t \"caf\xe9\" {}").is_ok());
    let out = ecorule(&["check", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not UTF-8 text (invalid byte at line 1, column 16)"),
        "{}",
        text(&out.stderr)
    );
    // A rulebook's error is drawn as an audit's is, with its help, whichever
    // command reads it (鱼粉 in GBK: named as likely GBK).
    assert!(std::fs::write(&path, b"rulebook t \"\xd3\xe3\xb7\xdb\" {}").is_ok());
    let gbk = format!(
        "Error: {} is not UTF-8 text (invalid byte at line 1, column 13)\n  Help: it may be GBK, as Excel and \
         Notepad on Chinese Windows save: save it as UTF-8\n",
        path.display()
    );
    let rulebook = path.display().to_string();
    for args in [vec!["check", &rulebook], vec!["fmt", &rulebook], vec!["score", &rulebook, "-"]] {
        let out = ecorule(&args);
        assert_eq!((out.status.code(), text(&out.stderr)), (Some(2), gbk.clone()), "{args:?}");
    }
    let audit = dir.as_ref().map(|d| d.path().join("bad.json")).unwrap_or_default();
    assert!(std::fs::write(&audit, b"{\"facts\": {\"x\": \"\xff\"}}").is_ok());
    let out = ecorule(&["score", FISHMEAL, &audit.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not UTF-8 text"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("\n  Help: save it as UTF-8\n"), "{}", text(&out.stderr));
    // 鱼粉 in GBK: named as likely GBK.
    assert!(std::fs::write(&audit, b"{\"audit\": {\"id\": \"\xd3\xe3\xb7\xdb\"}}").is_ok());
    let out = ecorule(&["score", FISHMEAL, &audit.display().to_string()]);
    assert!(
        text(&out.stderr).contains(
            "is not UTF-8 text (invalid byte at line 1, column 19)\n  Help: it may be GBK, as Excel and \
             Notepad on Chinese Windows save: save it as UTF-8\n"
        ),
        "{}",
        text(&out.stderr)
    );
    // In Chinese with `--lang zh`, as the errors of an audit's values are.
    let out = ecorule(&["score", FISHMEAL, &audit.display().to_string(), "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "不是 UTF-8 文本（第 1 行第 19 列有无效字节）\n  提示：可能是 GBK 编码（中文 Windows 的 Excel、记事本常这样保存）：请另存为 UTF-8\n"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(ecorule(&[]).status.code(), Some(2));
    assert_eq!(ecorule(&["score", FISHMEAL]).status.code(), Some(2));
    assert_eq!(ecorule(&["check", "no/such/file.eco"]).status.code(), Some(2));
    let help = ecorule(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("Exit status: 0 success, 1 check or test failures, 2 usage or input errors"));
}

/// The rulebook and audit of a case in `tests/vectors`.
fn vector(case: &str) -> (String, String) {
    (format!("tests/vectors/{case}/rulebook.eco"), format!("tests/vectors/{case}/audit.json"))
}

#[test]
fn an_audit_that_fails_evaluation_exits_2() {
    for (case, message) in [
        ("error_eval_negative_count", "`incidents` is -1, and a count cannot be negative"),
        ("error_eval_table_exact", "table `t_exact.boundary_ammonia` has no row for zone = 1"),
        ("error_eval_date_fraction", "1.5 days is not a whole number of days"),
    ] {
        let (rulebook, audit) = vector(case);
        let out = ecorule(&["score", &rulebook, &audit]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case}: {err}");
        assert!(err.contains(message), "{case}: {err}");
        assert!(out.stdout.is_empty(), "{case}: {}", text(&out.stdout));
    }
}

#[test]
fn several_audits_exit_with_the_most_severe_and_all_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (rulebook, good, negative) = scored_and_not(dir.path(), "good.json");
    let shape = dir.path().join("shape.json");
    std::fs::write(&shape, r#"{"facts": {"permit.held": "yes"}}"#).unwrap();
    let shape = shape.display().to_string();
    for audits in [[&good, &shape, &negative], [&negative, &good, &shape], [&shape, &negative, &good]] {
        let mut args = vec!["score", rulebook.as_str(), "--format", "json"];
        args.extend(audits.iter().map(|a| a.as_str()));
        let out = ecorule(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{audits:?}: {err}");
        assert!(err.contains(&format!("{shape} cannot be scored")), "{err}");
        assert!(err.contains("fact `permit.held` expects"), "{err}");
        assert!(err.contains(&format!("{negative} cannot be scored")), "{err}");
        assert!(err.contains("a count cannot be negative"), "{err}");
        // An array in the order given, `null` for the audits that failed.
        let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ids: Vec<Option<&str>> =
            reports.as_array().unwrap().iter().map(|r| r.pointer("/audit/id").and_then(|d| d.as_str())).collect();
        let expected: Vec<Option<&str>> = audits.iter().map(|a| (*a == &good).then_some("G")).collect();
        assert_eq!(ids, expected, "{audits:?}");
    }
}

/// The rulebook of the vector `error_eval_negative_count`, an audit of it
/// that scores (written to `file` in `dir`, audit id `G`), and the vector's
/// audit, which cannot be scored.
fn scored_and_not(dir: &Path, file: &str) -> (String, String, String) {
    let (rulebook, negative) = vector("error_eval_negative_count");
    let good = dir.join(file);
    std::fs::write(&good, r#"{"audit": {"id": "G", "date": "2024-05-20"}, "facts": {"permit.held": true}}"#).unwrap();
    (rulebook, good.display().to_string(), negative)
}

#[test]
fn several_audits_in_text_or_markdown_are_each_under_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let (rulebook, good, negative) = scored_and_not(dir.path(), "go`od.json");
    let out = ecorule(&["score", &rulebook, &good, &negative, &good]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headers, [format!("== {good}"), format!("== {negative}"), format!("== {good}")]);
    let failed = stdout.split(&format!("== {negative}\n")).nth(1).unwrap_or_default();
    assert!(failed.starts_with("not scored: the errors are on stderr\n\n== "), "{stdout}");
    assert_eq!(stdout.matches("score ").count(), 2, "{stdout}");
    // In Markdown the file is a code span, a backtick in it kept.
    let out = ecorule(&["score", &rulebook, &negative, &good, "--format", "markdown", "--lang", "zh"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!("`{negative}`\n\n*未评分：错误见标准错误输出*\n\n``{good}``\n\n# ")),
        "{stdout}"
    );
    // One audit: its report alone, as before.
    let out = ecorule(&["score", &rulebook, &good]);
    assert!(!text(&out.stdout).contains("== "), "{}", text(&out.stdout));
    let out = ecorule(&["score", &rulebook, &negative]);
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn several_audits_in_html_are_each_under_their_file_with_the_errors_of_one_not_scored() {
    let dir = tempfile::tempdir().unwrap();
    let (rulebook, good, negative) = scored_and_not(dir.path(), "<good>.json");
    let out = ecorule(&["score", &rulebook, &good, &negative, &good, "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
    let html = text(&out.stdout);
    let files: Vec<&str> = html
        .lines()
        .filter_map(|l| l.strip_prefix("<p class=\"ecorule-file\"><code>")?.strip_suffix("</code></p>"))
        .collect();
    let escaped = good.replace('<', "&lt;").replace('>', "&gt;");
    assert_eq!(files, [escaped.as_str(), negative.as_str(), escaped.as_str()], "{html}");
    assert!(html.contains("<title>") && html.contains(" · 3 audits</title>"), "{html}");
    // The errors stand in the failed audit's place, between the other two reports.
    let failed = html.split(&format!("<code>{negative}</code>")).nth(1).unwrap_or_default();
    let failed = failed.split("<hr>").next().unwrap_or_default();
    assert!(failed.contains("<strong>not scored</strong>"), "{failed}");
    assert!(failed.contains("a count cannot be negative"), "{failed}");
    assert!(!failed.contains("class=\"ecorule-report\""), "{failed}");
    assert_eq!(html.matches("<div class=\"ecorule-report\">").count(), 2, "{html}");
    let out = ecorule(&["score", &rulebook, &negative, &good, "--format", "html", "--lang", "zh"]);
    assert!(text(&out.stdout).contains("<strong>未评分</strong>"), "{}", text(&out.stdout));
    // One audit: its report alone, as before; nothing for one that fails.
    let out = ecorule(&["score", &rulebook, &good, "--format", "html"]);
    assert!(!text(&out.stdout).contains("ecorule-file"), "{}", text(&out.stdout));
    let out = ecorule(&["score", &rulebook, &negative, "--format", "html"]);
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

#[test]
fn an_audit_given_where_the_rulebook_goes_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("a.toml");
    std::fs::write(&toml, "[facts]\nx = 1\n").unwrap();
    let braced = dir.path().join("audit");
    std::fs::write(&braced, "\u{feff} {\"facts\": {}}").unwrap();
    let (toml, braced) = (toml.display().to_string(), braced.display().to_string());
    for args in [
        vec!["score", SAMPLE, FISHMEAL],
        vec!["score", toml.as_str(), FISHMEAL],
        vec!["score", braced.as_str(), SAMPLE],
        vec!["schema", SAMPLE],
    ] {
        let out = ecorule(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        let given = args.get(1).copied().unwrap_or_default();
        assert_eq!(
            err,
            format!(
                "error: {given} is not a rulebook; it looks like an audit. The rulebook comes first: \
                 ecorule score RULEBOOK AUDIT…\n"
            ),
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_missing_rulebook_exits_2_and_one_that_does_not_check_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.eco");
    std::fs::write(&bad, "rulebook bad \"b\" {\n  facts { h: quantity m \"h\" }\n}\n").unwrap();
    let bad = bad.display().to_string();
    for (args, code) in [
        (vec!["score", "nope.eco", SAMPLE], 2),
        (vec!["schema", "nope.eco"], 2),
        (vec!["check", "nope.eco"], 2),
        (vec!["score", &bad, SAMPLE], 1),
        (vec!["schema", &bad], 1),
        (vec!["check", &bad], 1),
    ] {
        let out = ecorule(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        if code == 2 {
            assert!(err.contains("cannot read nope.eco"), "{args:?}: {err}");
        } else {
            assert!(err.contains("bad.eco"), "{args:?}: {err}");
        }
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
    }
}

/// A rulebook folder `DIR/t` with `t.eco` (the negative-count vector's
/// rulebook) and the given files under `audits`, if any.
fn suite(audits: Option<&[(&str, &str)]>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("t");
    std::fs::create_dir(&suite).unwrap();
    std::fs::copy(root().join(vector("error_eval_negative_count").0), suite.join("t.eco")).unwrap();
    if let Some(files) = audits {
        std::fs::create_dir(suite.join("audits")).unwrap();
        for (name, content) in files {
            std::fs::write(suite.join("audits").join(name), content).unwrap();
        }
    }
    (dir, suite.display().to_string())
}

#[test]
fn test_of_a_folder_that_is_not_a_rulebook_folder_exits_2() {
    let out = ecorule(&["test", "/nonexistent"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read /nonexistent"), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let (_dir, path) = suite(None);
    let out = ecorule(&["test", &path]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("no audits folder in {path}")), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let out = ecorule(&["test", FISHMEAL]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("fishmeal.eco is not a directory"), "{}", text(&out.stderr));
    // A rulebook that does not check is a failing test, as in `check`.
    let (_dir, path) = suite(Some(&[]));
    std::fs::write(Path::new(&path).join("t.eco"), "rulebook t \"t\" {}\n").unwrap();
    let out = ecorule(&["test", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "FAIL t.eco: the rulebook does not check\n0 passed, 1 failed\n");
}

#[test]
fn test_names_the_audits_it_skips_on_stderr() {
    let audit = r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true}}"#;
    let (_dir, path) = suite(Some(&[
        ("a.json", audit),
        ("a.expected.json", r#"{"clauses": {"C1": "pass"}}"#),
        ("b.json", audit),
        ("c.toml", "[facts]\n\"permit.held\" = true\n"),
    ]));
    let out = ecorule(&["test", &path]);
    let (stdout, err) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{err}");
    assert!(err.contains(&format!("skipped {path}/audits/b.json: no b.expected.json\n")), "{err}");
    assert!(err.contains(&format!("skipped {path}/audits/c.toml: no c.expected.json\n")), "{err}");
    assert!(!stdout.contains("skipped "), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 0 failed, 2 skipped"), "{stdout}");
}

#[test]
fn test_fails_an_expected_outcome_without_an_audit_and_tells_a_json_from_a_toml() {
    let audit = r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true}}"#;
    let (_dir, path) = suite(Some(&[
        ("a.json", audit),
        ("a.toml", "[audit]\ndate = \"2024-05-20\"\n[facts]\n\"permit.held\" = false\n"),
        ("a.expected.json", r#"{"clauses": {"C1": "pass"}}"#),
        ("gone.expected.json", r#"{"clauses": {"C1": "pass"}}"#),
    ]));
    let out = ecorule(&["test", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("FAIL gone.expected.json\n     no audit for it: gone.json or gone.toml\n"), "{stdout}");
    assert!(stdout.contains("ok   a.json\n") && stdout.contains("FAIL a.toml\n"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 2 failed"), "{stdout}");
}

#[test]
fn test_of_the_current_folder_finds_the_rulebook_named_after_it() {
    let audit = r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true}}"#;
    let (_dir, path) = suite(Some(&[("a.json", audit), ("a.expected.json", r#"{"clauses": {"C1": "pass"}}"#)]));
    // A second rulebook beside `t.eco` (a copy being edited).
    std::fs::copy(Path::new(&path).join("t.eco"), Path::new(&path).join("draft.eco")).unwrap();
    let run = |dir: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ecorule")).args(args).current_dir(dir).output().unwrap()
    };
    let out = run(&path, &["test", "."]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let audits = format!("{path}/audits");
    let out = run(&audits, &["test", ".."]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    // Without one named after the folder, it says which name it looks for.
    std::fs::rename(Path::new(&path).join("t.eco"), Path::new(&path).join("other.eco")).unwrap();
    let out = run(&path, &["test", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: several rulebooks in ., none named after the folder: rename the one to test to ./t.eco\n"
    );
}

#[test]
fn test_names_a_misspelt_expected_key_and_a_list_of_another_length() {
    let audit = r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true, "extra": 1}}"#;
    let (_dir, path) = suite(Some(&[
        ("a.json", audit),
        (
            "a.expected.json",
            r#"{"verdit": null, "vetoes": ["C1", "C2"], "possible_vetoes": ["C1"], "areas": [{"idd": "A1"}], "clauses": {"C1": "passed"}, "warnings": []}"#,
        ),
    ]));
    let out = ecorule(&["test", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("verdit: no such key in the report (expected null); did you mean `verdict`?"), "{stdout}");
    assert!(stdout.contains("     vetoes: expected 2 items, got 0; missing [C1, C2]\n"), "{stdout}");
    assert!(stdout.contains("     possible_vetoes: expected 1 item, got 0; missing [C1]\n"), "{stdout}");
    // Texts are named bare, as the missing ones are, and cut short.
    let warning = "fact `extra` is not declared by rulebook `v_err_negcount`, a…";
    assert!(stdout.contains(&format!("     warnings: expected 0 items, got 1: [{warning}]\n")), "{stdout}");
    assert!(
        stdout.contains("areas[0].idd: no such key in the report (expected \"A1\"); did you mean `id`?"),
        "{stdout}"
    );
    let status = "clauses.C1: `passed` is not a status (did you mean `pass`? a status is pass, partial, fail, \
                  not_applicable, unknown)";
    assert!(stdout.contains(status), "{stdout}");
}

#[test]
fn a_lib_that_is_no_folder_exits_2_and_an_unreadable_module_is_named() {
    for args in [
        vec!["score", FISHMEAL, SAMPLE, "--lib", "no/such/folder"],
        vec!["check", FISHMEAL, "--lib", "no/such/folder"],
        vec!["schema", FISHMEAL, "--lib", "no/such/folder"],
        vec!["test", "rules/fishmeal", "--lib", "no/such/folder"],
    ] {
        let out = ecorule(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("--lib no/such/folder"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A file in a module folder that is not text is named, and the
    // rulebook, which does not use it, still scores.
    let dir = tempfile::tempdir().ok();
    let lib = dir.as_ref().map(|d| d.path().to_path_buf()).unwrap_or_default();
    assert!(std::fs::write(lib.join("broken.eco"), b"module \xff").is_ok());
    let out = ecorule(&["score", FISHMEAL, SAMPLE, "--lib", &lib.display().to_string()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("broken.eco is not UTF-8 text") && err.contains("not read as a module"), "{err}");
}

#[test]
fn a_folder_of_audits_with_a_few_malformed_ones_scores_the_others_and_names_each_bad_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let good = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    let first = write("a_good.json", good.as_bytes());
    let broken = write(
        "b_broken.json",
        b"{\n  \"audit\": {\"date\": \"2024-05-20\"},\n  \"facts\": {\"stack.height\": 12 m}\n}\n",
    );
    let empty = write("c_empty.json", b"");
    let folder = dir.path().join("d_folder.json");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.display().to_string();
    let latin1 =
        write("e_latin1.json", b"{\"audit\": {\"date\": \"2024-05-20\"}, \"facts\": {\"boiler.fuel\": \"\xe9\"}}");
    let date = write("f_date.json", good.replace("2024-09-12", "2024-02-30").as_bytes());
    let last = write("g_good.json", good.as_bytes());
    let audits = [&first, &broken, &empty, &folder, &latin1, &date, &last];
    let mut args = vec!["score", FISHMEAL, "--format", "json"];
    args.extend(audits.iter().map(|a| a.as_str()));
    let out = ecorule(&args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for bad in [&broken, &empty, &folder, &latin1, &date] {
        assert!(err.contains(&format!("{bad} cannot be scored")), "{bad}: {err}");
    }
    // The place in a malformed file is given in that file, not in an unnamed `audit`.
    assert!(err.contains(&format!("{broken}:3:32")), "{err}");
    assert!(err.contains("the audit is empty"), "{err}");
    assert!(err.contains(&format!("{latin1} is not UTF-8 text (invalid byte at line 1, column 61)")), "{err}");
    assert!(!err.contains("audit:"), "{err}");
    assert!(err.contains("fact `audit.date` expects a date"), "{err}");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scored: Vec<bool> = reports.as_array().unwrap().iter().map(|r| !r.is_null()).collect();
    assert_eq!(scored, [true, false, false, false, false, false, true]);
}

#[test]
fn test_fails_an_expected_outcome_it_cannot_read_rather_than_skipping_it() {
    let audit = r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true}}"#;
    let (_dir, path) = suite(Some(&[("a.json", audit), ("b.json", audit), ("c.json", "{\"facts\": ")]));
    std::fs::create_dir(Path::new(&path).join("audits/a.expected.json")).unwrap();
    std::fs::write(Path::new(&path).join("audits/c.expected.json"), "{}").unwrap();
    let out = ecorule(&["test", &path]);
    let (stdout, err) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{err}");
    assert!(stdout.contains("FAIL a\n     cannot read "), "{stdout}");
    assert!(stdout.contains(&format!("FAIL c\n     scoring failed: {path}/audits/c.json:1:10: ")), "{stdout}");
    assert!(!err.contains("no a.expected.json"), "{err}");
    assert_eq!(stdout.lines().last(), Some("0 passed, 2 failed, 1 skipped"), "{stdout}");
}

#[test]
fn file_names_and_audit_text_reach_stderr_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A rulebook that does not check, in a file whose name moves the cursor.
    let bad = dir.path().join("b\u{1b}[2Jad\u{202e}.eco");
    std::fs::write(&bad, "rulebook t \"t\" {\n  facts { x: nmber \"\u{1b}]0;pwned\u{7}\" }\n}\n").expect("write");
    let out = ecorule(&["check", bad.to_str().expect("UTF-8 path")]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}') && !stderr.contains('\u{202e}'), "{stderr}");
    assert!(stderr.contains("b\\u{1b}[2Jad\\u{202e}.eco:2:21"), "{stderr}");
    // A TOML audit whose bad line the error draws, in a file so named.
    let rulebook = dir.path().join("ok.eco");
    std::fs::write(&rulebook, "rulebook t \"t\" {\n  facts { x: number \"x\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x > 0 } }\n}\n").expect("write");
    let toml = dir.path().join("a\r\u{1b}[1A.toml");
    std::fs::write(&toml, "[facts]\nx = \"\u{1b}[2J\" y\n").expect("write");
    let out = ecorule(&["score", rulebook.to_str().expect("UTF-8"), toml.to_str().expect("UTF-8")]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\r'), "{stderr}");
    assert!(stderr.contains("a\\r\\u{1b}[1A.toml cannot be scored:"), "{stderr}");
    assert!(stderr.contains("a\\r\\u{1b}[1A.toml:2:6 ]"), "{stderr}");
    assert!(stderr.contains("the audit is not valid TOML: "), "{stderr}");
}

#[test]
fn a_module_that_replaces_a_bundled_standard_is_named() {
    let case = "tests/vectors/module_override_bundled";
    let out = ecorule(&["score", &format!("{case}/rulebook.eco"), &format!("{case}/audit.json"), "--lib", case]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("warning: module `gb14554` comes from {case}/gb14554.module.eco (sha256:"))
            && stderr.contains("not the bundled standards/gb14554.eco (sha256:"),
        "{stderr}"
    );
    // The bundled rulebooks' own folder of standards is the bundled text.
    let out = ecorule(&["score", FISHMEAL, SAMPLE]);
    assert!(!text(&out.stderr).contains("warning"), "{}", text(&out.stderr));
}

/// An audit of the `suite` rulebook that scores 10 of 10.
const FULL_MARKS: &str =
    r#"{"audit": {"id": "A", "date": "2024-05-20"}, "facts": {"permit.held": true, "incidents": 0}}"#;

#[test]
fn test_compares_numbers_as_exact_decimals() {
    let (_dir, path) = suite(Some(&[
        ("a.json", FULL_MARKS),
        ("a.expected.json", r#"{"score": 10.00, "scale": 1e1, "clauses": {"C1": {"earned": 10.0}}}"#),
        ("b.json", FULL_MARKS),
        (
            "b.expected.json",
            r#"{"score": 10.00000000000000000001, "clauses": {"C1": {"earned": 9.99999999999999999}}}"#,
        ),
    ]));
    let out = ecorule(&["test", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("ok   a\n"), "{stdout}");
    assert!(stdout.contains("FAIL b\n"), "{stdout}");
    assert!(stdout.contains("     score: expected 10.00000000000000000001, got 10\n"), "{stdout}");
    assert!(stdout.contains("     clauses.C1.earned: expected 9.99999999999999999, got 10\n"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"), "{stdout}");
}

#[test]
fn test_names_the_items_of_a_list_of_another_length_not_the_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("fishmeal");
    std::fs::create_dir_all(suite.join("audits")).unwrap();
    std::fs::copy(root().join(FISHMEAL), suite.join("fishmeal.eco")).unwrap();
    std::fs::copy(root().join(SAMPLE), suite.join("audits/a.json")).unwrap();
    let expected = r#"{"areas": [{"id": "V"}], "audit": 3, "grade": {"deep": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]}}"#;
    std::fs::write(suite.join("audits/a.expected.json"), expected).unwrap();
    let out = ecorule(&["test", &suite.display().to_string()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let ids = "A1, A2, A3, A4, A5, A6, A7, A8, A9, A10";
    assert!(stdout.contains(&format!("     areas: expected 1 item, got 10: [{ids}]; missing [V]\n")), "{stdout}");
    // A value of another type is summarised too: the audit by its id, a
    // long expected value by its items.
    assert!(stdout.contains("     audit: expected 3, got {\"id\": \"2024-PT-FM-002\", …}\n"), "{stdout}");
    assert!(stdout.contains("     grade: expected {\"deep\": …}, got \"good\"\n"), "{stdout}");
    assert!(stdout.lines().all(|l| l.len() < 200), "{stdout}");
}

#[test]
fn test_names_items_without_an_id_by_their_clause_else_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("t");
    std::fs::create_dir_all(suite.join("audits")).unwrap();
    let case = root().join("tests/vectors/module_unverified");
    std::fs::copy(case.join("rulebook.eco"), suite.join("t.eco")).unwrap();
    std::fs::copy(case.join("t_draft.module.eco"), suite.join("t_draft.module.eco")).unwrap();
    std::fs::copy(case.join("audit.json"), suite.join("audits/a.json")).unwrap();
    let expected =
        r#"{"rectification": [], "unverified": [{"name": "t_draft.vocs_limit"}], "deductions": [{"id": "D"}]}"#;
    std::fs::write(suite.join("audits/a.expected.json"), expected).unwrap();
    let out = ecorule(&["test", &suite.display().to_string()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("     rectification: expected 0 items, got 1: [C3]\n"), "{stdout}");
    let names = "[t_draft.vocs_limit, t_draft.odour_limit]";
    assert!(
        stdout.contains(&format!(
            "     unverified: expected 1 item, got 2: {names}; not expected [t_draft.odour_limit]\n"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("     deductions: expected 1 item, got 0; missing [D]\n"), "{stdout}");
}

#[test]
fn test_fails_an_expected_file_with_a_bad_strict_a_duplicate_key_or_a_report_key_beside_error() {
    let (_dir, path) = suite(Some(&[
        ("a.json", FULL_MARKS),
        ("a.expected.json", r#"{"strict": "yes", "score": 10}"#),
        ("b.json", FULL_MARKS),
        ("b.expected.json", "{\"score\": 0,\n \"score\": 10}"),
        ("c.json", FULL_MARKS),
        ("c.expected.json", r#"{"error": {"kind": "audit"}, "note": "n", "strict": false, "score": 3}"#),
        ("d.json", FULL_MARKS),
        ("d.expected.json", r#"{"strict": false, "score": 10, "clauses": {"C1": {"status": "pass", "earned": 10}}}"#),
    ]));
    let out = ecorule(&["test", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let audits = format!("{path}/audits");
    assert!(
        stdout
            .contains(&format!("FAIL a\n     {audits}/a.expected.json: `strict` must be true or false, not \"yes\"\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("FAIL b\n     {audits}/b.expected.json: duplicate key `score` at line 2 column 8\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("FAIL c\n     {audits}/c.expected.json: `score` cannot be expected beside `error`")),
        "{stdout}"
    );
    assert!(stdout.contains("ok   d\n"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 3 failed"), "{stdout}");
}

/// `ecorule ARGS` in `dir`, killed and failed if it has not ended within
/// 30 seconds (a hang).
fn ecorule_within_30s(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecorule"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("ecorule {args:?} hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn named_pipes_beside_a_rulebook_or_among_its_audits_are_not_opened() {
    let (_dir, path) = suite(Some(&[("a.json", FULL_MARKS), ("a.expected.json", r#"{"score": 10}"#)]));
    let suite = Path::new(&path);
    mkfifo(&suite.join("pipe.eco"));
    mkfifo(&suite.join("audits/p.json"));
    std::fs::write(suite.join("audits/p.expected.json"), "{}").unwrap();
    // A module reached through a symlink is still read.
    let module = "module local \"本地\" {\n  const limit = 5\n}\n";
    std::fs::write(suite.join("local.txt"), module).unwrap();
    std::os::unix::fs::symlink(suite.join("local.txt"), suite.join("local.eco")).unwrap();
    let book = "rulebook b \"本\" {\n  use local\n  facts { x: number \"x\" }\n  scoring {\n    scale 1\n    grade ok \"合格\" otherwise\n    verdict standardize otherwise\n  }\n  area A \"区\" { clause C \"c\" points 1 { require x <= local.limit } }\n}\n";
    std::fs::write(suite.join("b.eco"), book).unwrap();
    std::fs::write(suite.join("b.json"), r#"{"facts": {"x": 3}}"#).unwrap();
    let out = ecorule_within_30s(suite, &["check", "b.eco"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ecorule_within_30s(suite, &["score", "t.eco", "audits/a.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ecorule_within_30s(suite, &["score", "b.eco", "b.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = ecorule_within_30s(suite, &["test", "."]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("ok   a\n"), "{stdout}");
    assert!(stdout.contains("FAIL p\n     ./audits/p.json is not a regular file; not read\n"), "{stdout}");
}

#[test]
fn test_of_an_audits_folder_with_nothing_to_run_exits_2_and_says_so() {
    let (_dir, path) = suite(Some(&[("notes.txt", "no audits yet")]));
    let out = ecorule(&["test", &path]);
    assert_eq!(out.status.code(), Some(2), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(text(&out.stderr), format!("error: no audits in {path}/audits\n"));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    // Audits, but none with an expected outcome: each is named, then the error.
    let (_dir, path) = suite(Some(&[("a.json", FULL_MARKS)]));
    let out = ecorule(&["test", &path]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}{err}", text(&out.stdout));
    assert!(err.contains(&format!("skipped {path}/audits/a.json: no a.expected.json\n")), "{err}");
    assert!(
        err.ends_with(&format!("error: no audits with expected outcomes in {path}/audits: nothing was run\n")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}

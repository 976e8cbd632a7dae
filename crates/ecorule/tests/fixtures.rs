//! Language fixtures: every `ok_*.eco` compiles and formats stably (every
//! bundled rulebook and module is formatted already); every
//! `err_*.eco` fails with diagnostics matching its snapshot.

use std::path::{Path, PathBuf};

use ecorule::{Limits, Rulebook, Source, ast::SourceFile};

fn fixtures(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension().is_some_and(|x| x == "eco")
            && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    });
    files.sort();
    assert!(!files.is_empty(), "no {prefix}* fixtures in {}", dir.display());
    files
}

fn load(path: &Path) -> std::sync::Arc<Source> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let name = format!("fixtures/{}", path.file_name().unwrap_or_default().to_string_lossy());
    Source::new(name, text)
}

/// Compiles a rulebook, or checks a module.
fn compile(source: &std::sync::Arc<Source>) -> Result<(), ecorule::Errors> {
    match ecorule::parse(source, &Limits::default())? {
        SourceFile::Module(_) => ecorule::check_module(source, &Limits::default()),
        SourceFile::Rulebook(_) => Rulebook::compile_with(source.clone(), &[], &Limits::default()).map(|_| ()),
    }
}

/// `fmt` of `source`, after checking that it parses back to the same tree
/// and that a second `fmt` changes nothing.
fn formatted_stably(path: &Path, source: &std::sync::Arc<Source>) -> String {
    let parsed = ecorule::parse(source, &Limits::default()).ok();
    let formatted = parsed.as_ref().map(|p| ecorule::fmt::format(p, &source.text)).unwrap_or_default();
    // The tree borrows from its source, so the source is kept in a variable.
    let formatted_source = Source::new("formatted", formatted.clone());
    let reparsed = ecorule::parse(&formatted_source, &Limits::default()).ok();
    assert_eq!(parsed, reparsed, "{}: parse(fmt(x)) differs from parse(x)", path.display());
    let again = reparsed.as_ref().map(|p| ecorule::fmt::format(p, &formatted)).unwrap_or_default();
    assert_eq!(formatted, again, "{}: a second fmt changed the text", path.display());
    formatted
}

#[test]
fn ok_fixtures_compile_and_format_stably() {
    for path in fixtures("ok_") {
        let source = load(&path);
        if let Err(errors) = compile(&source) {
            panic!("{} should compile:\n{}", path.display(), errors.render(false));
        }
        let formatted = formatted_stably(&path, &source);
        let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        insta::assert_snapshot!(format!("fmt_{name}"), formatted);
    }
}

#[test]
fn err_fixtures_fail_with_their_diagnostics() {
    for path in fixtures("err_") {
        let source = load(&path);
        let Err(errors) = compile(&source) else {
            panic!("{} should fail to compile", path.display());
        };
        let rendered = errors.render(false);
        assert!(!rendered.contains("Rule::"), "{}: pest rule names leak: {rendered}", path.display());
        for info in errors.to_info() {
            assert!(info.line.is_some(), "{}: `{}` has no location", path.display(), info.message);
            let first = info.message.chars().next().unwrap_or('a');
            assert!(!first.is_uppercase(), "{}: message not lowercase: {}", path.display(), info.message);
            assert!(!info.message.ends_with('.'), "{}: message ends with a period: {}", path.display(), info.message);
        }
        let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        insta::assert_snapshot!(name, rendered);
    }
}

#[test]
fn every_bundled_rulebook_and_module_checks_without_warnings_and_is_formatted() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&rules).into_iter().flatten().filter_map(Result::ok) {
        for file in std::fs::read_dir(entry.path()).into_iter().flatten().filter_map(Result::ok) {
            let path = file.path();
            if path.extension().is_none_or(|x| x != "eco") {
                continue;
            }
            let source = Source::new(path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default());
            if let Err(errors) = compile(&source) {
                panic!("{} does not check:\n{}", path.display(), errors.render(false));
            }
            if let Ok(SourceFile::Rulebook(_)) = ecorule::parse(&source, &Limits::default()) {
                let warnings = Rulebook::compile_with(source.clone(), &[], &Limits::default())
                    .map(|r| r.warnings().iter().map(|w| w.render(false)).collect::<String>())
                    .unwrap_or_default();
                assert!(warnings.is_empty(), "{}:\n{warnings}", path.display());
            }
            // Real rulebooks: long conditions wrapped, parentheses kept.
            let formatted = formatted_stably(&path, &source);
            assert!(formatted == source.text, "{} is not formatted: run `ecorule fmt --write` on it", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} rule files found under {}", rules.display());
}

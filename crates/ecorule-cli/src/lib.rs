//! The `ecorule` subcommands, one function each. They own files and
//! terminals; everything else is the core's.

mod expect;
mod load;
mod unique_keys;

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use ecorule::{ErrorKind, Errors, HtmlPart, RenderOptions, Rulebook, ScoreOptions, visible};

use crate::load::shown;

pub use load::{load_audit, load_rulebook};

/// How a subcommand ended, as the process exit status. Variants go from
/// least to most severe, so a run over several files ends with the `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Exit 0.
    Ok,
    /// Exit 1: a rulebook that does not check, or failing tests.
    Failed,
    /// Exit 2: a usage error, an unreadable file or an audit that cannot be scored.
    BadInput,
}

impl Status {
    /// The status errors of the core end a run with: the most severe of
    /// their kinds.
    pub fn of(errors: &Errors) -> Status {
        errors.iter().map(|e| Status::of_kind(e.kind())).max().unwrap_or(Status::Failed)
    }

    fn of_kind(kind: ErrorKind) -> Status {
        match kind {
            // Only scoring an audit raises these: the audit's values, its
            // size, or what evaluating the rules over them took. The
            // rulebook compiled, so the audit is what is wrong.
            ErrorKind::Audit | ErrorKind::AuditTooLarge | ErrorKind::Evaluation | ErrorKind::TooMuchWork => {
                Status::BadInput
            }
            // Syntax, names, types, units, scoring, literals, cycles and the
            // source limits: a rulebook or module that does not check.
            _ => Status::Failed,
        }
    }

    /// The process exit status: 0, 1 or 2.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Status::Ok => ExitCode::SUCCESS,
            Status::Failed => ExitCode::from(1),
            Status::BadInput => ExitCode::from(2),
        }
    }
}

/// Output format of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, coloured on a terminal.
    Text,
    /// The report JSON.
    Json,
    /// Markdown.
    Markdown,
    /// One HTML document, to print or keep.
    Html,
}

/// Set when stdout refused output (a full disk, not a closed pipe): the
/// run then ends with [`Status::BadInput`] (see [`finish`]), so a report
/// redirected to a file that could not hold it is not taken for written.
static OUTPUT_LOST: AtomicBool = AtomicBool::new(false);

/// Writes to stdout; a closed pipe (`ecorule score … | head`) is not an error.
fn emit(text: &str) {
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        output_failed(&e);
    }
}

fn output_failed(e: &std::io::Error) {
    if e.kind() != std::io::ErrorKind::BrokenPipe && !OUTPUT_LOST.swap(true, Ordering::Relaxed) {
        eprintln!("error: cannot write the output: {e}");
    }
}

/// The status a run ends with, once what is still buffered for stdout is
/// written: `status`, or [`Status::BadInput`] if output was lost.
pub fn finish(status: Status) -> Status {
    if let Err(e) = std::io::stdout().lock().flush() {
        output_failed(&e);
    }
    if OUTPUT_LOST.load(Ordering::Relaxed) { status.max(Status::BadInput) } else { status }
}

fn print_errors(errors: &Errors) {
    let color = std::io::stderr().is_terminal();
    eprint!("{}", errors.render(color));
}

/// Reads and compiles a rulebook. What goes wrong is printed, and comes
/// back as the status to end with: an unreadable file is bad input, a
/// rulebook that does not check a failure.
fn open_rulebook(path: &Path, libs: &[PathBuf]) -> Result<Rulebook, Status> {
    usable_libs(libs)?;
    let source = load::source(path).map_err(|error| {
        print_errors(&error.into());
        Status::BadInput
    })?;
    let looks_like_audit = load::looks_like_audit(path, &source.text);
    load::compile_rulebook(source, path, libs).map_err(|errors| {
        // An audit given where the rulebook goes (the arguments swapped):
        // a usage error, not the syntax errors of JSON read as a rulebook.
        if looks_like_audit {
            eprintln!(
                "error: {} is not a rulebook; it looks like an audit. The rulebook comes first: \
                 ecorule score RULEBOOK AUDIT…",
                shown(path)
            );
            return Status::BadInput;
        }
        print_errors(&errors);
        Status::of(&errors)
    })
}

/// Every `--lib` is a folder that can be read: one given by mistake would
/// otherwise leave its modules out with no word, and the rulebook would
/// fail on an unknown module or compile against a bundled one instead.
fn usable_libs(libs: &[PathBuf]) -> Result<(), Status> {
    for lib in libs {
        if let Err(e) = std::fs::read_dir(lib) {
            eprintln!("error: --lib {}: {e}", shown(lib));
            return Err(Status::BadInput);
        }
    }
    Ok(())
}

/// `ecorule check FILE…`
pub fn check(files: &[PathBuf], libs: &[PathBuf], json: bool) -> Status {
    if let Err(status) = usable_libs(libs) {
        return status;
    }
    let mut status = Status::Ok;
    let mut all = Vec::new();
    for file in files {
        let result = match load::source(file) {
            // Unread, so bad input, though its kind is a rulebook's.
            Err(error) => {
                if json {
                    let mut info = error.to_info();
                    info.source = Some(file.to_string_lossy().into_owned());
                    all.push(info);
                } else {
                    print_errors(&error.into());
                }
                status = status.max(Status::BadInput);
                continue;
            }
            Ok(source) if load::is_module(&source.text) => {
                ecorule::check_module(&source, &ecorule::Limits::default()).map(|()| "module".to_string())
            }
            Ok(source) => load::compile_rulebook(source, file, libs).map(|r| {
                let info = r.info();
                let clauses: usize = info.areas.iter().map(|a| a.clauses.len()).sum();
                let (areas, facts) = (count(info.areas.len(), "area"), count(info.facts.len(), "fact"));
                let warnings = r.warnings();
                if json {
                    all.extend(warnings.iter().map(ecorule::Error::to_info));
                } else {
                    for w in warnings {
                        eprint!("{}", w.render(std::io::stderr().is_terminal()));
                    }
                }
                let warned =
                    if warnings.is_empty() { String::new() } else { format!(", {}", count(warnings.len(), "warning")) };
                format!("rulebook `{}`: {areas}, {}, {facts}{warned}", info.rulebook.id, count(clauses, "clause"))
            }),
        };
        match result {
            Ok(what) => {
                if !json {
                    emit(&format!("ok {} ({what})\n", shown(file)));
                }
            }
            Err(errors) => {
                status = status.max(Status::of(&errors));
                if json {
                    all.extend(errors.to_info());
                } else {
                    print_errors(&errors);
                }
            }
        }
    }
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&all).unwrap_or_default()));
    }
    status
}

/// `ecorule score RULEBOOK AUDIT…`; `lang` is the language of text,
/// Markdown and HTML (JSON holds both languages), and with `zh`, of the
/// errors the core writes in Chinese too.
pub fn score(
    rulebook: &Path,
    audits: &[PathBuf],
    format: Format,
    lang: ecorule::Lang,
    strict: bool,
    libs: &[PathBuf],
) -> Status {
    if audits.iter().filter(|a| load::is_stdin(a)).count() > 1 {
        eprintln!("error: `-` is given more than once: standard input holds one audit");
        return Status::BadInput;
    }
    let rulebook = match open_rulebook(rulebook, libs) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let options = ScoreOptions::strict(strict);
    let drawn = RenderOptions::new().lang(lang).color(std::io::stdout().is_terminal());
    let mut status = Status::Ok;
    // One entry per audit given, with the errors of one that could not be scored.
    let mut results = Vec::with_capacity(audits.len());
    for path in audits {
        let report = load_audit(path, &options).and_then(|input| rulebook.score(&input, &options));
        if let Err(errors) = &report {
            // In Chinese where the core writes it so (a value a fact cannot take).
            if lang == ecorule::Lang::Zh {
                eprintln!("{} 无法评分：", shown(path));
                eprint!("{}", errors.render_zh(std::io::stderr().is_terminal()));
            } else {
                eprintln!("{} cannot be scored:", shown(path));
                print_errors(errors);
            }
            status = status.max(Status::of(errors));
        }
        results.push(report);
    }
    let reports: Vec<Option<&ecorule::Report>> = results.iter().map(|r| r.as_ref().ok()).collect();
    match format {
        // One audit: its report. Several: an array in the order given, with
        // `null` where an audit could not be scored, so each entry still
        // belongs to its file.
        Format::Json => match reports.as_slice() {
            [Some(one)] => emit(&format!("{}\n", one.to_json())),
            [None] => {}
            many => emit(&format!("{}\n", serde_json::to_string_pretty(many).unwrap_or_default())),
        },
        // Several: each report under the file it is of, and a line in the
        // place of one that could not be scored, so none is taken for another's.
        Format::Text | Format::Markdown => {
            let several = reports.len() > 1;
            for (i, (path, report)) in audits.iter().zip(&reports).enumerate() {
                if format == Format::Text && i > 0 {
                    emit("\n");
                }
                if several {
                    emit(&header(path, format));
                }
                match report {
                    Some(r) if format == Format::Text => emit(&drawn.text(r)),
                    Some(r) => emit(&format!("{}\n", drawn.markdown(r))),
                    None if several => emit(&format!("{}\n", not_scored(lang, format))),
                    None => {}
                }
            }
        }
        // Several: each report under its file, and the errors in the place
        // of one that could not be scored, in the document that is kept.
        Format::Html => match results.as_slice() {
            [Ok(one)] => emit(&drawn.html([one])),
            [Err(_)] => {}
            many => {
                let names: Vec<String> = audits.iter().map(|p| shown(p)).collect();
                emit(&drawn.html_parts(names.iter().zip(many).flat_map(|(name, result)| {
                    let part = match result {
                        Ok(report) => HtmlPart::Report(report),
                        Err(errors) => HtmlPart::NotScored(errors),
                    };
                    [HtmlPart::File(name), part]
                })));
            }
        },
    }
    status
}

/// The line naming the audit file a report of several is of: `== FILE`
/// in text, the file as a code span in Markdown.
fn header(path: &Path, format: Format) -> String {
    let path = shown(path);
    if format == Format::Markdown { format!("{}\n\n", code_span(&path)) } else { format!("== {path}\n") }
}

/// What stands in the place of an audit's report when it could not be scored.
fn not_scored(lang: ecorule::Lang, format: Format) -> &'static str {
    match (lang, format) {
        (ecorule::Lang::Zh, Format::Markdown) => "*未评分：错误见标准错误输出*\n",
        (ecorule::Lang::Zh, _) => "未评分：错误见标准错误输出",
        (_, Format::Markdown) => "*not scored: the errors are on stderr*\n",
        _ => "not scored: the errors are on stderr",
    }
}

/// `text` as a Markdown code span: between runs of backticks longer than
/// any it holds, with a space inside each where it starts or ends with one.
fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// `ecorule test DIR`. A folder that does not exist, or has no rulebook,
/// no `audits` folder or no audit with an expected outcome in it (nothing
/// to run), is a usage error. Audits without an expected outcome are
/// named on stderr and skipped: they neither pass nor fail. An expected
/// outcome without an audit fails.
pub fn test(dir: &Path, libs: &[PathBuf]) -> Status {
    let (rulebook_path, cases) = match load::suite(dir) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::BadInput;
        }
    };
    let rulebook = match open_rulebook(&rulebook_path, libs) {
        Ok(r) => r,
        Err(status) => {
            if status == Status::Failed {
                let name = rulebook_path.file_name().unwrap_or_default().to_string_lossy();
                emit(&format!("FAIL {}: the rulebook does not check\n0 passed, 1 failed\n", visible(&name)));
            }
            return status;
        }
    };
    for (audit, expected) in &cases.skipped {
        let expected = expected.file_name().unwrap_or_default().to_string_lossy();
        eprintln!("skipped {}: no {}", shown(audit), visible(&expected));
    }
    if cases.run.is_empty() && cases.orphans.is_empty() {
        eprintln!("error: {}", nothing_to_run(&dir.join("audits"), cases.skipped.len()));
        return Status::BadInput;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for orphan in &cases.orphans {
        failed += 1;
        let name = orphan.file_name().unwrap_or_default().to_string_lossy();
        let stem = name.strip_suffix(".expected.json").unwrap_or(&name);
        emit(&format!(
            "FAIL {}\n     no audit for it: {}.json or {}.toml\n",
            visible(&name),
            visible(stem),
            visible(stem)
        ));
    }
    for (audit, expected) in &cases.run {
        // The case's name, or its file's where a `.json` and a `.toml`
        // share the name (and the expected outcome).
        let stem = audit.file_stem();
        let shared = cases.run.iter().filter(|(a, _)| a.file_stem() == stem).count() > 1;
        let name = if shared { audit.file_name() } else { stem }.and_then(|s| s.to_str()).unwrap_or("?");
        match expect::run_case(&rulebook, audit, expected) {
            Ok(()) => {
                passed += 1;
                emit(&format!("ok   {}\n", visible(name)));
            }
            Err(problems) => {
                failed += 1;
                emit(&format!("FAIL {}\n", visible(name)));
                // A problem names keys of the expected outcome, which may be any text.
                for p in problems {
                    emit(&format!("     {}\n", visible(&p)));
                }
            }
        }
    }
    let skipped = match cases.skipped.len() {
        0 => String::new(),
        k => format!(", {k} skipped"),
    };
    emit(&format!("{passed} passed, {failed} failed{skipped}\n"));
    if failed == 0 { Status::Ok } else { Status::Failed }
}

/// Why a test folder ran nothing: no audits in `audits`, or only audits
/// without an expected outcome (`skipped` of them).
fn nothing_to_run(audits: &Path, skipped: usize) -> String {
    match skipped {
        0 => format!("no audits in {}", shown(audits)),
        _ => format!("no audits with expected outcomes in {}: nothing was run", shown(audits)),
    }
}

/// `ecorule fmt FILE… [--write | --check]`: prints one file formatted, or
/// rewrites or checks each file given.
pub fn fmt(files: &[PathBuf], write: bool, check: bool) -> Status {
    if files.len() > 1 && !write && !check {
        eprintln!("error: give --write or --check to format more than one file");
        return Status::BadInput;
    }
    let mut status = Status::Ok;
    for file in files {
        status = status.max(fmt_file(file, write, check));
    }
    status
}

fn fmt_file(file: &Path, write: bool, check: bool) -> Status {
    let source = match load::source(file) {
        Ok(s) => s,
        Err(error) => {
            print_errors(&error.into());
            return Status::BadInput;
        }
    };
    let parsed = match ecorule::parse(&source, &ecorule::Limits::default()) {
        Ok(p) => p,
        Err(errors) => {
            print_errors(&errors);
            return Status::Failed;
        }
    };
    let formatted = ecorule::fmt::format(&parsed, &source.text);
    if check {
        let Some(line) = first_different_line(&source.text, &formatted) else {
            return Status::Ok;
        };
        let file = shown(file);
        eprintln!("{file} is not formatted (from line {line}); run `ecorule fmt --write {file}`");
        return Status::Failed;
    }
    if write {
        if formatted != source.text {
            if let Err(message) = replace_file(file, &formatted) {
                eprintln!("error: cannot write {}: {message}", shown(file));
                return Status::BadInput;
            }
        }
        return Status::Ok;
    }
    emit(&formatted);
    Status::Ok
}

/// Replaces the file's contents with `text` whole or not at all: written to
/// a new file beside it (through a symlink, beside its target), which is
/// then renamed over it, so a full disk or a kill midway leaves the old
/// file as it was. A read-only file is refused, as a plain write would be.
fn replace_file(path: &Path, text: &str) -> Result<(), String> {
    let target = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    let permissions = std::fs::metadata(&target).map_err(|e| e.to_string())?.permissions();
    if permissions.readonly() {
        return Err("the file is read-only".to_string());
    }
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.{}.fmt", std::process::id()));
    let written = std::fs::File::create_new(&temp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.set_permissions(permissions)?;
        f.sync_all()
    });
    let result = written.and_then(|()| std::fs::rename(&temp, &target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| e.to_string())
}

/// The first line (from 1) where `a` and `b` differ, if they do.
fn first_different_line(a: &str, b: &str) -> Option<usize> {
    if a == b {
        return None;
    }
    let same = a.split_inclusive('\n').zip(b.split_inclusive('\n')).take_while(|(x, y)| x == y).count();
    Some(same + 1)
}

/// `ecorule schema RULEBOOK`
pub fn schema(rulebook: &Path, libs: &[PathBuf]) -> Status {
    match open_rulebook(rulebook, libs) {
        Ok(r) => {
            emit(&format!("{}\n", serde_json::to_string_pretty(&ecorule::audit_schema(&r)).unwrap_or_default()));
            Status::Ok
        }
        Err(status) => status,
    }
}

/// Compiles a rulebook for tests of other crates.
pub fn compile(path: &Path) -> Result<Rulebook, Errors> {
    load_rulebook(path, &[])
}

/// `1 area`, `2 areas`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

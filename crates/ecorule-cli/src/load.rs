//! Files to core values: sources, modules beside a rulebook, audits.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ecorule::{AuditInput, Error, ErrorKind, Errors, Limits, Rulebook, ScoreOptions, Source};

/// Why a file was not read.
enum Unread {
    /// It cannot be opened or read.
    Io(String),
    /// It holds more than the limit.
    TooLarge(String),
}

/// A path as messages show it: control and bidi characters escaped
/// ([`ecorule::visible`]), since a file name is anyone's text and the
/// messages go to a terminal.
pub(crate) fn shown(path: &Path) -> String {
    ecorule::visible(&path.to_string_lossy()).into_owned()
}

/// Reads a file of at most `limit` bytes. Reading stops one byte past the
/// limit, so a huge file (or `/dev/zero`) is refused without being held.
fn read_at_most(path: &Path, limit: usize) -> Result<Vec<u8>, Unread> {
    let file = std::fs::File::open(path).map_err(|e| Unread::Io(format!("cannot read {}: {e}", shown(path))))?;
    read_limited(file, path, limit)
}

/// [`read_at_most`] of any reader; `path` names it in messages.
fn read_limited(reader: impl std::io::Read, path: &Path, limit: usize) -> Result<Vec<u8>, Unread> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| Unread::Io(format!("cannot read {}: {e}", shown(path)));
    let mut bytes = Vec::new();
    let most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(most).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() > limit {
        return Err(Unread::TooLarge(format!("{} is larger than the limit of {limit} bytes", shown(path))));
    }
    Ok(bytes)
}

/// `-`, an audit read from standard input (piped from another program).
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Why `bytes` read from `path` are not text, as an error of `kind`
/// ([`Error::file_not_utf8`]).
fn not_utf8(kind: ErrorKind, path: &Path, e: &std::string::FromUtf8Error) -> Error {
    Error::file_not_utf8(kind, &shown(path), e.as_bytes(), &e.utf8_error())
}

/// Reads a file as a named source. One that cannot be read or is not text
/// is a `syntax` error, one over the limit `source_too_large`, as the
/// core calls a source over it.
pub(crate) fn source(path: &Path) -> Result<Arc<Source>, Error> {
    let bytes = read_at_most(path, Limits::default().max_source_bytes).map_err(|unread| match unread {
        Unread::Io(m) => Error::new(ErrorKind::Syntax, m),
        Unread::TooLarge(m) => Error::new(ErrorKind::SourceTooLarge, m),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(ErrorKind::Syntax, path, &e))?;
    Ok(Source::new(path.to_string_lossy(), text))
}

/// Whether a file read as a rulebook is rather an audit: named `.json` or
/// `.toml`, or JSON (it opens with `{`).
pub(crate) fn looks_like_audit(path: &Path, text: &str) -> bool {
    let named = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("toml"));
    named || opens_as_json(text)
}

/// Whether `text` opens with `{`, after a byte-order mark and white space.
fn opens_as_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// Whether a source declares a module, as the core reads it.
pub(crate) fn is_module(text: &str) -> bool {
    ecorule::module_id(text).is_some()
}

/// Whether `path` is a regular file, or a symlink to one. A folder scan
/// reads only these: opening a named pipe (`mkfifo x.eco`) waits for a
/// writer forever, and a device may never end.
pub(crate) fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// The `.eco` regular files of `dir`, sorted; none if it cannot be read.
fn eco_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eco") && is_regular_file(p))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Reads and compiles a rulebook with the modules beside it, in
/// `../standards`, and in `libs`; these replace bundled modules of the same
/// id. A file that cannot be read is reported as a `syntax` error, one too
/// large as `source_too_large`.
pub fn load_rulebook(path: &Path, libs: &[PathBuf]) -> Result<Rulebook, Errors> {
    let source = source(path)?;
    compile_rulebook(source, path, libs)
}

/// Compiles the rulebook read from `path`, as [`load_rulebook`] does.
pub(crate) fn compile_rulebook(source: Arc<Source>, path: &Path, libs: &[PathBuf]) -> Result<Rulebook, Errors> {
    // `Path::new("book.eco").parent()` is `Some("")`, which no folder is named.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut dirs: Vec<PathBuf> = libs.to_vec();
    dirs.push(dir.to_path_buf());
    dirs.push(dir.join("../standards"));
    let mut modules = Vec::new();
    for d in dirs {
        for file in eco_files(&d) {
            match self::source(&file) {
                Ok(s) if is_module(&s.text) => modules.push(s),
                Ok(_) => {}
                // Said, not fatal: the rulebook may not use it.
                Err(error) => eprintln!("warning: {error}; not read as a module"),
            }
        }
    }
    let rulebook = Rulebook::compile_with(source, &modules, &Limits::default())?;
    warn_replaced(&rulebook, &modules);
    Ok(rulebook)
}

/// Says on stderr which modules the rulebook uses in place of a bundled
/// standard of the same id with other text
/// ([`Rulebook::replaced_standards`]).
fn warn_replaced(rulebook: &Rulebook, given: &[Arc<Source>]) {
    for replaced in rulebook.replaced_standards(given) {
        eprintln!("warning: {replaced}");
    }
}

/// Reads an audit file: `.toml` as TOML, anything else as JSON; from
/// standard input (`-`), JSON if it opens with `{`, else TOML.
pub fn load_audit(path: &Path, options: &ScoreOptions) -> Result<AuditInput, Errors> {
    let bad = |m: String| Errors::from(Error::new(ErrorKind::Audit, m));
    let limit = options.limits.max_audit_bytes;
    let bytes =
        if is_stdin(path) { read_limited(std::io::stdin().lock(), path, limit) } else { read_at_most(path, limit) };
    let bytes = bytes.map_err(|unread| match unread {
        Unread::TooLarge(m) => Errors::from(Error::new(ErrorKind::AuditTooLarge, m)),
        Unread::Io(m) => bad(m),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Errors::from(not_utf8(ErrorKind::Audit, path, &e)))?;
    let name = path.to_string_lossy();
    let toml = if is_stdin(path) {
        !opens_as_json(&text)
    } else {
        path.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
    };
    if toml {
        return Ok(AuditInput::from_toml_named(&name, &text, &options.limits)?);
    }
    Ok(AuditInput::from_json_named(&name, &text, &options.limits)?)
}

/// The rulebook of a folder: `DIR/<folder name>.eco`, else its only rulebook.
fn rulebook_in(dir: &Path) -> Result<PathBuf, String> {
    // The folder's own name, also when given as `.` or `..`.
    let folder = std::fs::canonicalize(dir).ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()));
    let named = folder.map(|n| dir.join(format!("{n}.eco")));
    if let Some(p) = named.as_ref().filter(|p| p.is_file()) {
        return Ok(p.clone());
    }
    let books: Vec<PathBuf> =
        eco_files(dir).into_iter().filter(|p| std::fs::read_to_string(p).is_ok_and(|t| !is_module(&t))).collect();
    match (books.as_slice(), named) {
        ([one], _) => Ok(one.clone()),
        ([], _) => Err(format!("no rulebook in {}", shown(dir))),
        (_, Some(named)) => Err(format!(
            "several rulebooks in {}, none named after the folder: rename the one to test to {}",
            shown(dir),
            shown(&named)
        )),
        (_, None) => Err(format!("several rulebooks in {}: give a folder with one", shown(dir))),
    }
}

/// The audits of an `audits` folder as (audit, expected outcome) pairs,
/// sorted: `foo.expected.json` is the outcome of `foo.json` or `foo.toml`.
pub(crate) struct Cases {
    /// Those whose expected outcome exists.
    pub(crate) run: Vec<(PathBuf, PathBuf)>,
    /// Those without one.
    pub(crate) skipped: Vec<(PathBuf, PathBuf)>,
    /// Expected outcomes without an audit (`foo.expected.json`, no
    /// `foo.json` or `foo.toml`): a case renamed or deleted, which must
    /// not drop out of the suite unsaid.
    pub(crate) orphans: Vec<PathBuf>,
}

/// A rulebook folder: its rulebook, and the audits of `DIR/audits`.
pub(crate) fn suite(dir: &Path) -> Result<(PathBuf, Cases), String> {
    match std::fs::metadata(dir) {
        Err(e) => return Err(format!("cannot read {}: {e}", shown(dir))),
        Ok(m) if !m.is_dir() => return Err(format!("{} is not a directory", shown(dir))),
        Ok(_) => {}
    }
    let audits = dir.join("audits");
    if !audits.is_dir() {
        return Err(format!("no audits folder in {}", shown(dir)));
    }
    Ok((rulebook_in(dir)?, cases(&audits)?))
}

fn cases(dir: &Path) -> Result<Cases, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", shown(dir)))?;
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (mut audits, mut outcomes): (Vec<PathBuf>, Vec<PathBuf>) = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| name(p).ends_with(".json") || name(p).ends_with(".toml"))
        .partition(|p| !name(p).ends_with(".expected.json"));
    audits.sort();
    outcomes.sort();
    let mut cases = Cases { run: Vec::new(), skipped: Vec::new(), orphans: Vec::new() };
    for audit in audits {
        let stem = audit.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let expected = audit.with_file_name(format!("{stem}.expected.json"));
        // One that exists but cannot be read (a folder, no permission)
        // is run, to fail saying why, not skipped as if there were none.
        if expected.exists() {
            cases.run.push((audit, expected));
        } else {
            cases.skipped.push((audit, expected));
        }
    }
    cases.orphans = outcomes.into_iter().filter(|o| !cases.run.iter().any(|(_, e)| e == o)).collect();
    Ok(cases)
}

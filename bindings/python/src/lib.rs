//! `ecorule._native`: the native half of the Python package `ecorule`.
//!
//! Conversion only. Python values become [`AuditInput`]s, the core scores
//! them, and reports go back as the core's own JSON text; errors go back as
//! the core's [`ecorule::ErrorInfo`] list, raised as the exception classes of
//! `ecorule._errors`. The pure-Python package (`python/ecorule`) owns files,
//! DataFrames and the friendly API.

mod blocks;
mod columns;
mod convert;
mod errors;
mod texts;

use std::sync::Arc;

use ecorule::{AuditInput, Error, ErrorKind, Errors, Limits, ScoreOptions, Source};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use rayon::prelude::*;

use crate::blocks::Blocks;
use crate::errors::{Class, Failed};

/// Scoring allocates many small strings and vectors, on every core at once
/// in batches: mimalloc's per-thread heaps serve that better than the
/// system allocator. Only the extension's own (Rust) allocations use it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many audits `score_many` converts between letting go of the GIL
/// (a few milliseconds' work for audits of a few dozen facts).
const GIL_CHUNK: usize = 64;

/// The source name of audit text given as a string rather than read from
/// a file, as Python names source given so (`compile(text, "<string>",
/// …)`, and `Rulebook.from_source`): an error reads `<string>:2:31: …`,
/// which no one takes for a file's path.
const TEXT_NAME: &str = "<string>";

/// An audit as handed over by the Python layer, before it is parsed. Text
/// read from a file carries the file's path, which its errors name.
enum Pending {
    Input(AuditInput),
    /// JSON as bytes, decoded by the core: `score(b"...")`.
    Bytes(Vec<u8>),
    Json(String, Option<String>),
    Toml(String, Option<String>),
}

/// One audit as the Python layer hands it over: `(kind, value, path)`, the
/// path of the file the text was read from, or `None`.
type PendingArg<'py> = (String, Bound<'py, PyAny>, Option<String>);

impl Pending {
    /// Reads one `(kind, value, path)`: `("value", obj, None)`, `("bytes",
    /// data, None)`, `("json", text, path)` or `("toml", text, path)`.
    fn extract(kind: &str, value: &Bound<'_, PyAny>, path: Option<&str>) -> Result<Pending, Failure> {
        let path = path.map(str::to_string);
        match kind {
            "bytes" => Ok(Pending::Bytes(value.cast::<PyBytes>().map_err(PyErr::from)?.as_bytes().to_vec())),
            "json" => Ok(Pending::Json(value.extract::<String>()?, path)),
            "toml" => Ok(Pending::Toml(value.extract::<String>()?, path)),
            _ => match errors::guard(|| convert::audit_input(value)) {
                Ok(input) => Ok(Pending::Input(input?)),
                Err(panic) => Err(Failure::Panic(panic)),
            },
        }
    }

    /// Parses (if needed) and scores.
    fn score(&self, rulebook: &ecorule::Rulebook, options: &ScoreOptions) -> Result<ecorule::Report, Errors> {
        match self {
            Pending::Input(input) => rulebook.score(input, options),
            Pending::Bytes(bytes) => {
                rulebook.score(&AuditInput::from_json_bytes_named(TEXT_NAME, bytes, &options.limits)?, options)
            }
            // As `ecorule score` reads a file: an error in the text is
            // located in it (`path:line:column`); text not read from a file
            // is `<string>`.
            Pending::Json(text, path) => {
                let name = path.as_deref().unwrap_or(TEXT_NAME);
                rulebook.score(&AuditInput::from_json_named(name, text, &options.limits)?, options)
            }
            Pending::Toml(text, path) => {
                let name = path.as_deref().unwrap_or(TEXT_NAME);
                rulebook.score(&AuditInput::from_toml_named(name, text, &options.limits)?, options)
            }
        }
    }
}

/// A conversion that failed either in Python (the exception stands) or on
/// the core's terms (raised as `AuditError`).
pub(crate) enum Failure {
    Python(PyErr),
    Audit(Error),
    /// A panic in core code (a bug), raised as kind `internal`.
    Panic(String),
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Python(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Audit(e)
    }
}

impl Failure {
    fn into_py(self, py: Python<'_>, index: Option<usize>) -> PyErr {
        match self {
            Failure::Python(e) => e,
            Failure::Audit(e) => errors::raise(py, &Errors::from(e), Class::Audit, index),
            Failure::Panic(panic) => errors::internal(py, Class::Audit, &panic, index),
        }
    }
}

/// Why a unit cannot be a column's: `(message, message_zh, help, help_zh,
/// expected, given)`.
type UnitProblem = (String, String, Option<String>, Option<String>, Option<String>, String);

/// A compiled rulebook (the core's `ecorule::Rulebook`).
#[pyclass(frozen, name = "Rulebook", module = "ecorule._native")]
struct NativeRulebook {
    inner: ecorule::Rulebook,
    /// [`ecorule::Rulebook::replaced_standards`] of the modules it was
    /// compiled with, as the CLI words its warnings.
    replaced: Vec<String>,
}

#[pymethods]
impl NativeRulebook {
    /// Compiles `text` (named `name` in diagnostics) with extra modules given
    /// as `(name, text)` pairs; the bundled standard modules are always there.
    #[staticmethod]
    fn compile(py: Python<'_>, name: String, text: String, modules: Vec<(String, String)>) -> PyResult<Self> {
        let result = py.detach(|| {
            Failed::run(|| {
                let modules: Vec<Arc<Source>> =
                    modules.into_iter().map(|(name, text)| Source::new(name, text)).collect();
                let inner = ecorule::Rulebook::compile_with(Source::new(name, text), &modules, &Limits::default())?;
                let replaced = inner.replaced_standards(&modules).iter().map(ToString::to_string).collect();
                Ok(NativeRulebook { inner, replaced })
            })
        });
        match result {
            Ok(rulebook) => Ok(rulebook),
            Err(e) => Err(e.into_py(py, Class::Rulebook, None)),
        }
    }

    /// One message per bundled standard module that a given module
    /// replaced with other text, as `ecorule score` warns of it.
    fn replaced_standards(&self) -> Vec<String> {
        self.replaced.clone()
    }

    /// The rulebook id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// `sha256:` and the hex SHA-256 of the source's bytes (what `sha256sum`
    /// prints for the rulebook's file).
    #[getter]
    fn hash(&self) -> &str {
        self.inner.hash()
    }

    /// The source text it was compiled from.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source().text
    }

    /// `RulebookInfo` as JSON.
    fn info_json(&self, py: Python<'_>) -> PyResult<String> {
        described(py, || json(&self.inner.info()))
    }

    /// The checker's warnings (`Rulebook::warnings`) as `ErrorInfo` JSON.
    fn warnings_json(&self, py: Python<'_>) -> PyResult<String> {
        described(py, || json(&self.inner.warnings().iter().map(ecorule::Error::to_info).collect::<Vec<_>>()))
    }

    /// The questionnaire (facts grouped by area) as JSON.
    fn questionnaire_json(&self, py: Python<'_>) -> PyResult<String> {
        described(py, || json(&self.inner.questionnaire()))
    }

    /// The JSON Schema of the audits it accepts, as JSON.
    fn audit_schema_json(&self, py: Python<'_>) -> PyResult<String> {
        described(py, || json(&ecorule::audit_schema(&self.inner)))
    }

    /// Clause ids in rulebook order.
    fn clause_ids(&self) -> Vec<&str> {
        self.inner.clause_ids().collect()
    }

    /// The slot of a fact (built-ins included), or `None`.
    fn fact_slot(&self, name: &str) -> Option<usize> {
        self.inner.fact_slot(name)
    }

    /// Why `unit` cannot be the unit of a column of the fact in `slot`
    /// (`Rulebook::column_unit`), as `(message, message_zh, help, help_zh,
    /// expected, given)`, or `None` if it can. A slot the rulebook does not
    /// have raises.
    fn column_unit_problem(&self, py: Python<'_>, slot: usize, unit: &str) -> PyResult<Option<UnitProblem>> {
        let error = match errors::guard(|| self.inner.column_unit(slot, unit)) {
            Ok(Ok(())) => return Ok(None),
            Ok(Err(error)) => error,
            Err(panic) => return Err(errors::internal(py, Class::Audit, &panic, None)),
        };
        let Some(problem) = error.fact_problem() else {
            return Err(errors::raise(py, &Errors::from(error), Class::Audit, None));
        };
        let text = |t: Option<&str>| t.map(str::to_string);
        Ok(Some((
            error.message().to_string(),
            error.message_zh().unwrap_or(error.message()).to_string(),
            text(error.help()),
            text(error.help_zh()),
            Some(problem.expected.clone()),
            problem.given.clone(),
        )))
    }

    /// Per slot, whether any condition, deduction, grade or verdict reads the fact.
    fn slots_read(&self) -> Vec<bool> {
        self.inner.slots_read()
    }

    /// Scores one audit to the report JSON (`Report::to_json`); `path` is
    /// the file JSON or TOML text was read from, for its errors to name.
    #[pyo3(signature = (kind, audit, strict, path = None))]
    fn score(
        &self,
        py: Python<'_>,
        kind: &str,
        audit: &Bound<'_, PyAny>,
        strict: bool,
        path: Option<&str>,
    ) -> PyResult<String> {
        let pending = Pending::extract(kind, audit, path).map_err(|f| f.into_py(py, None))?;
        let options = ScoreOptions::strict(strict);
        let result = py.detach(|| Failed::run(|| pending.score(&self.inner, &options).map(|r| r.to_json())));
        result.map_err(|e| e.into_py(py, Class::Audit, None))
    }

    /// Scores many audits, every core at work, to report JSON texts. The
    /// first audit in order that fails (to convert or to score) raises,
    /// carrying its index; with `record`,
    /// each one that fails is its exception instead, in its place, and the
    /// others are still scored. `None` (an audit the caller could not
    /// read) stays `None`.
    #[pyo3(signature = (audits, strict, record = false))]
    fn score_many<'py>(
        &self,
        py: Python<'py>,
        audits: Vec<Option<PendingArg<'py>>>,
        strict: bool,
        record: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let mut pending = Vec::with_capacity(audits.len());
        // With `record`: the exception of each audit that failed, by index.
        let mut failed: Vec<(usize, PyErr)> = Vec::new();
        // Without: the first audit that could not be converted, raised only
        // once the audits before it are scored (one of them may fail first).
        let mut unread: Option<(usize, Failure)> = None;
        for (i, audit) in audits.iter().enumerate() {
            // Converting Python objects needs the GIL; it is let go between
            // chunks, so other threads wait for one chunk, not for all.
            if i % GIL_CHUNK == 0 && i > 0 {
                py.detach(|| ());
                py.check_signals()?;
            }
            let Some((kind, audit, path)) = audit else {
                pending.push(None);
                continue;
            };
            match Pending::extract(kind, audit, path.as_deref()) {
                Ok(p) => pending.push(Some(p)),
                Err(f) if record => {
                    failed.push((i, interrupted(py, f.into_py(py, Some(i)))?));
                    pending.push(None);
                }
                // An exception of Python's own (Ctrl-C) is not the audit's: it stands at once.
                Err(Failure::Python(e)) => return Err(e),
                Err(f) => {
                    unread = Some((i, f));
                    break;
                }
            }
        }
        let options = ScoreOptions::strict(strict);
        // Scored a block at a time (`blocks.rs`), every core at work on a
        // block with the GIL released; between blocks Ctrl-C is looked for,
        // and without `record` the first audit that fails raises at once.
        let mut texts = Vec::with_capacity(pending.len());
        let mut blocks = Blocks::new(rayon::current_num_threads(), 16);
        let mut rest = pending.as_slice();
        while !rest.is_empty() {
            let (block, after) = rest.split_at(blocks.next().min(rest.len()));
            let results: Vec<Option<Result<String, Failed>>> = py.detach(|| {
                block
                    .par_iter()
                    .map(|p| p.as_ref().map(|p| Failed::run(|| p.score(&self.inner, &options).map(|r| r.to_json()))))
                    .collect()
            });
            for result in results {
                let i = texts.len();
                match result {
                    Some(Ok(text)) => texts.push(Some(text)),
                    Some(Err(e)) if record => {
                        failed.push((i, interrupted(py, e.into_py(py, Class::Audit, Some(i)))?));
                        texts.push(None);
                    }
                    Some(Err(e)) => return Err(e.into_py(py, Class::Audit, Some(i))),
                    None => texts.push(None),
                }
            }
            rest = after;
            py.check_signals()?;
        }
        if let Some((i, f)) = unread {
            return Err(f.into_py(py, Some(i)));
        }
        // Reports run to tens of kilobytes: making Python strings of them
        // takes a while too, so it also lets go of the GIL between chunks.
        let mut reports = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            if i % GIL_CHUNK == 0 && i > 0 {
                py.detach(|| ());
                py.check_signals()?;
            }
            reports.push(match text {
                Some(text) => PyString::new(py, text).into_any(),
                None => py.None().into_bound(py),
            });
        }
        for (i, e) in failed {
            if let Some(slot) = reports.get_mut(i) {
                *slot = e.into_value(py).into_bound(py).into_any();
            }
        }
        Ok(reports)
    }

    /// Scores audits held as columns (see `columns.rs`) to summary arrays.
    /// `texts`: the text columns not handed over (read by no rule) as
    /// `(fact, Series)`, looked at only to count a row's values.
    #[pyo3(signature = (n_rows, columns, record_errors, texts = Vec::new()))]
    fn score_columns<'py>(
        &self,
        py: Python<'py>,
        n_rows: usize,
        columns: Vec<columns::ColumnArg<'py>>,
        record_errors: bool,
        texts: Vec<(String, Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyDict>> {
        columns::score(py, &self.inner, n_rows, &columns, &texts, record_errors)
    }

    fn __repr__(&self) -> String {
        format!("<ecorule._native.Rulebook {}>", self.inner.id())
    }
}

/// An audit's exception to keep in its place, or `Err` for one that is
/// not an `Exception` (a `KeyboardInterrupt` that came while it was built,
/// which must stop the batch, not be kept as the audit's error).
fn interrupted(py: Python<'_>, e: PyErr) -> PyResult<PyErr> {
    if e.is_instance_of::<pyo3::exceptions::PyException>(py) { Ok(e) } else { Err(e) }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// Describing a compiled rulebook takes no input, but stays guarded.
fn described(py: Python<'_>, f: impl FnOnce() -> Result<String, String>) -> PyResult<String> {
    match errors::guard(f) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(pyo3::exceptions::PyRuntimeError::new_err(e)),
        Err(panic) => Err(errors::internal(py, Class::Rulebook, &panic, None)),
    }
}

/// The report schema this build writes.
#[pyfunction]
fn report_schema() -> &'static str {
    ecorule::SCHEMA
}

/// A report's JSON (as `score` returns it) drawn as `text`, `markdown`,
/// `html` (a document) or `html_fragment` (one `<div>`), in `lang` (`both`,
/// `zh` or `en`): the core's renderers.
#[pyfunction]
#[pyo3(signature = (report_json, format, lang = "both"))]
fn render_report(report_json: &str, format: &str, lang: &str) -> PyResult<String> {
    let Some(lang) = ecorule::Lang::from_code(lang) else {
        return Err(pyo3::exceptions::PyValueError::new_err(format!(
            "lang must be \"both\", \"zh\" or \"en\", not {lang:?}"
        )));
    };
    let report: ecorule::Report = serde_json::from_str(report_json)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("not an ecorule report: {e}")))?;
    let drawn = ecorule::RenderOptions::new().lang(lang);
    match format {
        "text" => Ok(drawn.text(&report)),
        "markdown" => Ok(drawn.markdown(&report)),
        "html" => Ok(drawn.html([&report])),
        "html_fragment" => Ok(drawn.html_fragment(&report)),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "format must be \"text\", \"markdown\", \"html\" or \"html_fragment\", not {other:?}"
        ))),
    }
}

/// The text of a file `name` read as `data`: a rulebook's, or with
/// `audit` an audit's. Bytes that are not UTF-8 raise `RulebookError`
/// (kind `syntax`) or `AuditError`, saying where the first invalid byte is
/// as `ecorule` does ([`Error::not_utf8`]).
#[pyfunction]
fn file_text(py: Python<'_>, data: &[u8], name: &str, audit: bool) -> PyResult<String> {
    let (kind, class) = if audit { (ErrorKind::Audit, Class::Audit) } else { (ErrorKind::Syntax, Class::Rulebook) };
    let text = Failed::run(|| {
        std::str::from_utf8(data).map(str::to_string).map_err(|e| Error::file_not_utf8(kind, name, data, &e).into())
    });
    text.map_err(|e| e.into_py(py, class, None))
}

/// The id a module's source declares, or `None` for a rulebook.
#[pyfunction]
fn module_id(text: &str) -> Option<&str> {
    ecorule::module_id(text)
}

/// The bundled standard modules as `(name, text)` pairs.
#[pyfunction]
fn standard_modules() -> Vec<(String, String)> {
    ecorule::standard_modules().into_iter().map(|s| (s.name.clone(), s.text.clone())).collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeRulebook>()?;
    m.add_function(wrap_pyfunction!(report_schema, m)?)?;
    m.add_function(wrap_pyfunction!(render_report, m)?)?;
    m.add_function(wrap_pyfunction!(standard_modules, m)?)?;
    m.add_function(wrap_pyfunction!(module_id, m)?)?;
    m.add_function(wrap_pyfunction!(file_text, m)?)?;
    m.add_function(wrap_pyfunction!(texts::factorize_texts, m)?)?;
    m.add("__version__", PyString::new(m.py(), env!("CARGO_PKG_VERSION")))?;
    m.add("MAX_TEXT_BYTES", Limits::default().max_string_bytes)?;
    Ok(())
}

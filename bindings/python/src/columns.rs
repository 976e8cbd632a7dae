//! Audits held as columns (a DataFrame) to summary arrays, on every core.
//!
//! The Python layer hands over one column per fact slot, as
//! `(slot, fact, kind, data, distinct, unit)`, `data` a one-dimensional
//! NumPy array read where it lies (strided or not):
//! - `"float64"`: `f64`, NaN missing;
//! - `"float32"`: `f32`, NaN missing, each value read by its own shortest
//!   decimal (as a `numpy.float32` is, not as the `float` it widens to);
//! - `"int64"`: `i64`, none missing;
//! - `"codes"`: `uint8`, `uint16` or `uint32`, one code per row into the
//!   list `distinct`, the widest value of the type meaning missing.
//!
//! Every column becomes codes into its distinct values: numbers are
//! factorised with the GIL released, in parallel. Each distinct value is
//! checked and converted by the core once ([`Rulebook::fact_value`]), and
//! the columns become a core [`Batch`]. A value that fails to convert,
//! here or in the core, is the error of the rows that give it. Then every row is scored by the
//! core ([`Rulebook::summarize_row`]) on all cores, a block of rows at a
//! time (Ctrl-C is looked for between blocks), its summary reduced to
//! plain numbers, its clause statuses written in place. Results go back as
//! packed arrays for NumPy to wrap.

use std::collections::HashMap;

use ecorule::{
    AuditInput, Codes, Column, Error, ErrorKind, Errors, Labels, Limits, Num, Rulebook, ScoreOptions, Status,
};
use foldhash::fast::FixedState;
use numpy::ndarray::ArrayView1;
use numpy::{Element, PyArray1, PyArrayMethods, PyReadonlyArray1, PyUntypedArrayMethods};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;

use crate::blocks::Blocks;
use crate::errors::{Class, Failed};
use crate::{Failure, convert};

/// One column as passed from Python: `(slot, fact name, kind, data,
/// distinct values or None, unit or None)`; see the module's documentation.
pub(crate) type ColumnArg<'py> = (usize, String, String, Bound<'py, PyAny>, Option<Bound<'py, PyList>>, Option<String>);

/// The fewest rows a core takes at once.
const MIN_ROWS_PER_TASK: usize = 256;

/// Distinct values converted, or rows packed, with the GIL held between
/// two looks for Ctrl-C (about a millisecond's work).
const PER_SIGNAL_CHECK: usize = 4096;

/// Status codes in the `statuses` array, in this order (see [`status_code`]);
/// 255 marks a row that could not be scored.
const STATUSES: [Status; 5] = [Status::Pass, Status::Partial, Status::Fail, Status::NotApplicable, Status::Unknown];
const NO_STATUS: u8 = 255;

/// The code of a status: its position in [`STATUSES`].
fn status_code(status: Status) -> u8 {
    match status {
        Status::Pass => 0,
        Status::Partial => 1,
        Status::Fail => 2,
        Status::NotApplicable => 3,
        Status::Unknown => 4,
    }
}

/// Code of a missing value while factorising.
pub(crate) const MISSING: u32 = u32::MAX;

/// A column as received: its numbers (read where NumPy keeps them), or
/// codes and values.
enum Raw<'a> {
    Floats(ArrayView1<'a, f64>),
    Floats32(ArrayView1<'a, f32>),
    Ints(ArrayView1<'a, i64>),
    /// Codes, and each distinct value or why it did not convert.
    Codes(Codes, Vec<Result<AuditInput, Errors>>),
}

/// A column as held from Python until the core has read it: numbers as
/// NumPy's arrays, borrowed read-only; codes and values converted (without
/// the column's unit, which is attached as they go to the core), with how
/// many values each holds (as an audit's size limit counts them).
enum Held<'py> {
    Floats(PyReadonlyArray1<'py, f64>),
    Floats32(PyReadonlyArray1<'py, f32>),
    Ints(PyReadonlyArray1<'py, i64>),
    Codes(Codes, Vec<Result<AuditInput, Errors>>, Vec<usize>),
}

impl Held<'_> {
    /// The value row `row` gives (`None` if missing or not converted) and
    /// how many values it holds.
    fn cell(&self, row: usize) -> Option<(AuditInput, usize)> {
        let value = match self {
            Held::Floats(array) => convert::float(*array.as_array().get(row)?),
            Held::Floats32(array) => convert::float32(*array.as_array().get(row)?),
            Held::Ints(array) => AuditInput::Number(Ok(Num::int(*array.as_array().get(row)?))),
            Held::Codes(codes, values, counts) => {
                let code = codes.get(row)?;
                let value = values.get(code)?.as_ref().ok()?.clone();
                return Some((value, *counts.get(code)?));
            }
        };
        (value != AuditInput::Null).then_some((value, 1))
    }

    /// The most values one row's cell holds.
    fn most_values(&self) -> usize {
        match self {
            Held::Codes(_, _, counts) => counts.iter().copied().max().unwrap_or(0),
            _ => 1,
        }
    }

    /// How many values row `row`'s cell holds (0 if missing).
    fn values_at(&self, row: usize) -> usize {
        match self {
            Held::Codes(codes, _, counts) => codes.get(row).and_then(|c| counts.get(c).copied()).unwrap_or(0),
            _ => self.cell(row).map_or(0, |(_, n)| n),
        }
    }
}

/// How many values `value` holds, itself included, as an audit's limit on
/// values (`Limits::max_audit_values`) counts them.
fn values_in(value: &AuditInput) -> usize {
    match value {
        AuditInput::List(items) => 1 + items.iter().map(values_in).sum::<usize>(),
        AuditInput::Map(entries) => 1 + entries.iter().map(|(_, v)| values_in(v)).sum::<usize>(),
        _ => 1,
    }
}

/// The audits (rows) over the limit on values in one audit, each with the
/// error `score` gives the same audit as a dict (`{"audit": {...},
/// "facts": {...}}`): it is built and measured by the core
/// (`AuditInput::check_size`) only for rows that may be over the limit,
/// which no row of scalar cells is. `texts` are the text columns the Python
/// layer does not hand over (`audit.id`, read by no rule) as `(fact,
/// Series)`, their cells counted too.
fn too_large(
    py: Python<'_>,
    n_rows: usize,
    held: &[(usize, String, Held<'_>)],
    texts: &[(String, Bound<'_, PyAny>)],
    limits: &Limits,
) -> PyResult<HashMap<usize, Errors>> {
    // The audit, its `audit`, `enterprise` and `facts` objects, and every cell.
    let structure = 4 + texts.len();
    let mut over = HashMap::new();
    if structure + held.iter().map(|(_, _, h)| h.most_values()).sum::<usize>() <= limits.max_audit_values {
        return Ok(over);
    }
    for row in 0..n_rows {
        if row % PER_SIGNAL_CHECK == 0 && row > 0 {
            py.check_signals()?;
        }
        let most = structure + held.iter().map(|(_, _, h)| h.values_at(row)).sum::<usize>();
        if most <= limits.max_audit_values {
            continue;
        }
        let mut cells: Vec<(&str, AuditInput)> =
            held.iter().filter_map(|(_, fact, h)| Some((fact.as_str(), h.cell(row)?.0))).collect();
        for (fact, series) in texts {
            let cell = series.getattr("iat")?.get_item(row)?;
            if let Ok(value) = convert::fact_value(&cell, fact) {
                if value != AuditInput::Null {
                    cells.push((fact.as_str(), value));
                }
            }
        }
        if let Err(error) = row_audit(cells).check_size(limits) {
            over.insert(row, Errors::from(error));
        }
    }
    Ok(over)
}

/// A row's cells as the audit dict `score` takes: the built-in facts under
/// `audit` (`enterprise` within it), the others under `facts`.
fn row_audit(cells: Vec<(&str, AuditInput)>) -> AuditInput {
    let (mut meta, mut enterprise, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    for (fact, value) in cells {
        match fact {
            "audit.id" => meta.push(("id".to_string(), value)),
            "audit.date" => meta.push(("date".to_string(), value)),
            "enterprise.id" => enterprise.push(("id".to_string(), value)),
            "enterprise.name" => enterprise.push(("name".to_string(), value)),
            _ => facts.push((fact.to_string(), value)),
        }
    }
    if !enterprise.is_empty() {
        meta.push(("enterprise".to_string(), AuditInput::Map(enterprise)));
    }
    let mut audit = Vec::new();
    if !meta.is_empty() {
        audit.push(("audit".to_string(), AuditInput::Map(meta)));
    }
    audit.push(("facts".to_string(), AuditInput::Map(facts)));
    AuditInput::Map(audit)
}

/// Hash maps keyed by numbers, which need no protection from chosen
/// collisions (a column's numbers are the caller's own data).
type FastMap<K> = HashMap<K, u32, FixedState>;

/// A column's codes, copied from a NumPy array of `uint8`, `uint16` or
/// `uint32` (any other is `None`).
fn codes_of(data: &Bound<'_, PyAny>) -> Option<Codes> {
    fn copied<T: Element + Copy>(data: &Bound<'_, PyAny>) -> Option<Vec<T>> {
        let array = data.cast::<PyArray1<T>>().ok()?.try_readonly().ok()?;
        Some(array.as_array().to_vec())
    }
    copied(data).map(Codes::U8).or_else(|| copied(data).map(Codes::U16)).or_else(|| copied(data).map(Codes::U32))
}

/// A column of numbers, read in place.
fn numbers_of<'py, T: Element>(data: &Bound<'py, PyAny>) -> Option<PyReadonlyArray1<'py, T>> {
    data.cast::<PyArray1<T>>().ok()?.try_readonly().ok()
}

/// Wide codes ([`MISSING`] for none) narrowed to the least width that holds
/// `distinct` codes besides the missing one: most columns hold a few
/// distinct values, and the row loop reads every column, so narrow codes
/// keep it in cache.
pub(crate) fn narrow(codes: Vec<u32>, distinct: usize) -> Codes {
    if distinct < usize::from(u8::MAX) {
        Codes::U8(codes.iter().map(|c| u8::try_from(*c).unwrap_or(u8::MAX)).collect())
    } else if distinct < usize::from(u16::MAX) {
        Codes::U16(codes.iter().map(|c| u16::try_from(*c).unwrap_or(u16::MAX)).collect())
    } else {
        Codes::U32(codes)
    }
}

/// A value with the column's unit attached, when the column has one: to a
/// number, to a text that is a bare number (`"1200"`, as a CSV column of
/// mixed cells gives it; a text with a unit of its own keeps it), and to
/// each such item of a list.
pub(crate) fn with_unit(value: AuditInput, unit: Option<&String>) -> AuditInput {
    let Some(unit) = unit else {
        return value;
    };
    let quantity = |number: AuditInput| {
        AuditInput::Map(vec![("value".to_string(), number), ("unit".to_string(), AuditInput::Text(unit.clone()))])
    };
    match value {
        number @ AuditInput::Number(_) => quantity(number),
        AuditInput::Text(text) => match Num::parse(text.trim()) {
            Some(n) => quantity(AuditInput::Number(Ok(n))),
            None => AuditInput::Text(text),
        },
        AuditInput::List(items) => AuditInput::List(items.into_iter().map(|v| with_unit(v, Some(unit))).collect()),
        value => value,
    }
}

/// Factorises a column of numbers by their bits: equal numbers share one
/// converted value.
fn factorise<T: Copy>(
    items: impl Iterator<Item = T>,
    n_rows: usize,
    key: impl Fn(T) -> Option<u64>,
    value: impl Fn(T) -> Result<AuditInput, Errors>,
    unit: Option<&String>,
) -> (Codes, Vec<Result<AuditInput, Errors>>) {
    let mut seen: FastMap<u64> = FastMap::default();
    let mut distinct = Vec::new();
    let mut codes = Vec::with_capacity(n_rows);
    for x in items {
        codes.push(key(x).map_or(MISSING, |k| {
            *seen.entry(k).or_insert_with(|| {
                distinct.push(value(x).map(|v| with_unit(v, unit)));
                u32::try_from(distinct.len() - 1).unwrap_or(MISSING)
            })
        }));
    }
    (narrow(codes, distinct.len()), distinct)
}

/// The key of a float: its bits, the same for -0.0 and 0.0; none for NaN.
fn float_key(x: f64) -> Option<u64> {
    match x {
        _ if x.is_nan() => None,
        0.0 => Some(0),
        _ => Some(x.to_bits()),
    }
}

/// The key of a float32: [`float_key`] of it widened, which is exact (two
/// float32s have the same key only when they are the same value).
fn float32_key(x: f32) -> Option<u64> {
    float_key(f64::from(x))
}

/// The error of the rows whose cell for `fact` did not convert: the
/// conversion's own, or an exception Python raised while reading the value
/// (a `tolist()` that fails), told in words. Anything beyond an `Exception`
/// (`KeyboardInterrupt`) stops the call.
fn cell_error(py: Python<'_>, failure: Failure, fact: &str, value: &Bound<'_, PyAny>) -> PyResult<Errors> {
    match failure {
        Failure::Audit(e) => Ok(e.into()),
        Failure::Python(e) if e.is_instance_of::<PyException>(py) => {
            let ty = value.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            let given = Labels {
                en: format!("a Python `{ty}` that could not be read ({e})"),
                zh: format!("无法读取的 Python `{ty}` 值（{e}）"),
            };
            Ok(Error::fact_in(ErrorKind::Audit, fact, convert::audit_value(), given).into())
        }
        Failure::Python(e) => Err(e),
        Failure::Panic(panic) => Err(crate::errors::internal(py, Class::Audit, &panic, None)),
    }
}

/// One row's outcome, reduced to plain values in the worker thread; its
/// clause statuses go straight into the statuses array.
struct Row {
    score_min: f64,
    score_max: f64,
    determined: bool,
    grade: i64,
    grade_best: i64,
    verdict: i64,
    verdict_best: i64,
    /// Clause indices (empty allocates nothing).
    vetoes: Vec<usize>,
    /// The report's warnings (empty allocates nothing).
    warnings: Vec<Labels>,
}

pub(crate) fn score<'py>(
    py: Python<'py>,
    rulebook: &Rulebook,
    n_rows: usize,
    columns: &[ColumnArg<'py>],
    texts: &[(String, Bound<'py, PyAny>)],
    record_errors: bool,
) -> PyResult<Bound<'py, PyDict>> {
    if u32::try_from(n_rows).is_err() {
        return Err(PyValueError::new_err("too many rows for one call; score them in parts"));
    }
    // The columns in the order given (the DataFrame's: a row's errors are
    // told in that order), arrays of numbers borrowed (read-only) while the
    // core reads them.
    let mut held: Vec<(usize, String, Held<'py>)> = Vec::with_capacity(columns.len());
    let mut units: Vec<Option<String>> = Vec::with_capacity(columns.len());
    for (slot, fact, kind, data, distinct, unit) in columns {
        let length = |len: usize| match len == n_rows {
            true => Ok(()),
            false => Err(PyValueError::new_err(format!("the column for slot {slot} has {len} rows, not {n_rows}"))),
        };
        let unknown = || PyValueError::new_err(format!("the column for slot {slot} is not a `{kind}` array"));
        match (kind.as_str(), distinct) {
            ("float64", None) => {
                let array = numbers_of::<f64>(data).ok_or_else(unknown)?;
                length(array.len())?;
                held.push((*slot, fact.clone(), Held::Floats(array)));
            }
            ("float32", None) => {
                let array = numbers_of::<f32>(data).ok_or_else(unknown)?;
                length(array.len())?;
                held.push((*slot, fact.clone(), Held::Floats32(array)));
            }
            ("int64", None) => {
                let array = numbers_of::<i64>(data).ok_or_else(unknown)?;
                length(array.len())?;
                held.push((*slot, fact.clone(), Held::Ints(array)));
            }
            ("codes", Some(list)) => {
                // Their length and range are the core's to check (`Rulebook::batch`).
                let codes = codes_of(data).ok_or_else(unknown)?;
                let mut converted = Vec::with_capacity(list.len());
                let mut counts = Vec::with_capacity(list.len());
                for (i, v) in list.iter().enumerate() {
                    if i % PER_SIGNAL_CHECK == 0 && i > 0 {
                        py.check_signals()?;
                    }
                    let value = match crate::errors::guard(|| convert::fact_value(&v, fact)) {
                        Ok(Ok(value)) => Ok(value),
                        Ok(Err(failure)) => Err(cell_error(py, failure, fact, &v)?),
                        Err(panic) => return Err(crate::errors::internal(py, Class::Audit, &panic, None)),
                    };
                    counts.push(value.as_ref().map_or(0, values_in));
                    converted.push(value);
                }
                held.push((*slot, fact.clone(), Held::Codes(codes, converted, counts)));
            }
            _ => {
                return Err(PyValueError::new_err(format!(
                    "the column for slot {slot} is of an unknown kind `{kind}`"
                )));
            }
        }
        units.push(unit.clone());
    }
    let options = ScoreOptions::default();
    // A row is an audit: over the limit on values, it gets `score`'s error.
    let over = too_large(py, n_rows, &held, texts, &options.limits)?;
    let raw: Vec<(usize, Raw, Option<String>)> = held
        .iter_mut()
        .zip(units)
        .map(|((slot, _, held), unit)| {
            let raw = match held {
                Held::Floats(array) => Raw::Floats(array.as_array()),
                Held::Floats32(array) => Raw::Floats32(array.as_array()),
                Held::Ints(array) => Raw::Ints(array.as_array()),
                Held::Codes(codes, values, _) => {
                    let values = std::mem::take(values).into_iter().map(|v| v.map(|v| with_unit(v, unit.as_ref())));
                    Raw::Codes(std::mem::replace(codes, Codes::U8(Vec::new())), values.collect())
                }
            };
            (*slot, raw, unit)
        })
        .collect();

    let clauses: Vec<&str> = rulebook.clause_ids().collect();
    let info = rulebook.info();
    let grades: Vec<String> = info.grades.iter().map(|g| g.id.clone()).collect();
    let verdicts: Vec<String> = info.verdicts.iter().map(|v| v.id.clone()).collect();

    let batch = py.detach(|| {
        let columns = raw
            .into_par_iter()
            .map(|(slot, raw, unit)| {
                let (codes, values) = match raw {
                    Raw::Floats(floats) => {
                        let float = |x| Ok(convert::float(x));
                        factorise(floats.iter().copied(), n_rows, float_key, float, unit.as_ref())
                    }
                    Raw::Floats32(floats) => {
                        let float = |x| Ok(convert::float32(x));
                        factorise(floats.iter().copied(), n_rows, float32_key, float, unit.as_ref())
                    }
                    Raw::Ints(ints) => {
                        let ints = ints.iter().copied();
                        let int = |n| Ok(AuditInput::Number(Ok(Num::int(n))));
                        factorise(ints, n_rows, |n: i64| Some(n as u64), int, unit.as_ref())
                    }
                    Raw::Codes(codes, values) => (codes, values),
                };
                // A column of mostly distinct values (ids) is converted in
                // parallel too. A value that does not convert is the error of
                // the rows giving it; one that panicked (a core bug) fails the call.
                let values = values
                    .into_par_iter()
                    .with_min_len(4096)
                    .map(|v| match v {
                        Ok(v) => match Failed::run(|| rulebook.fact_value(slot, &v, &options.limits)) {
                            Ok(value) => Ok(Ok(value)),
                            Err(Failed::Core(errors)) => Ok(Err(errors)),
                            Err(panic) => Err(panic),
                        },
                        Err(errors) => Ok(Err(errors)),
                    })
                    .collect::<Result<_, Failed>>()?;
                Ok(Column { slot, codes, values })
            })
            .collect::<Result<Vec<_>, Failed>>()?;
        Failed::run(|| rulebook.batch(n_rows, columns))
    });
    let batch = match batch {
        Ok(batch) => batch,
        // The columns themselves are malformed: the Python layer's mistake.
        Err(Failed::Core(errors)) => return Err(PyValueError::new_err(errors.to_string())),
        Err(panic) => return Err(panic.into_py(py, Class::Audit, None)),
    };

    // Rows are scored a block at a time (`blocks.rs`), every core at work
    // on a block with the GIL released; between blocks Ctrl-C is looked for,
    // and without `record_errors` the first failing row raises at once.
    let width = clauses.len();
    let w = width.max(1);
    let mut statuses = vec![NO_STATUS; n_rows * w];
    let mut results: Vec<Result<Row, Failed>> = Vec::with_capacity(n_rows);
    let mut blocks = Blocks::new(rayon::current_num_threads() * MIN_ROWS_PER_TASK, 4096);
    let mut first = 0;
    while first < n_rows {
        let mut rows: Vec<Result<Row, Failed>> = Vec::new();
        let end = first.saturating_add(blocks.next()).min(n_rows);
        let block_statuses = statuses.get_mut(first * w..end * w).unwrap_or_default();
        py.detach(|| {
            block_statuses
                .par_chunks_mut(w)
                .enumerate()
                .with_min_len(MIN_ROWS_PER_TASK)
                .map(|(i, out)| {
                    if let Some(errors) = (!over.is_empty()).then(|| over.get(&(first + i))).flatten() {
                        return Err(Failed::Core(errors.clone()));
                    }
                    let s = Failed::run(|| rulebook.summarize_row(&batch, first + i, &options))?;
                    let warnings = rulebook.row_warnings(&batch, first + i, &s);
                    out.iter_mut().zip(&s.statuses).for_each(|(o, st)| *o = status_code(*st));
                    Ok(Row {
                        score_min: s.score_min.to_f64(),
                        score_max: s.score_max.to_f64(),
                        determined: s.determined,
                        grade: i64::try_from(s.grade).unwrap_or(-1),
                        grade_best: i64::try_from(s.grade_best).unwrap_or(-1),
                        verdict: i64::try_from(s.verdict).unwrap_or(-1),
                        verdict_best: i64::try_from(s.verdict_best).unwrap_or(-1),
                        vetoes: s.vetoes,
                        warnings,
                    })
                })
                .collect_into_vec(&mut rows);
        });
        if !record_errors {
            if let Some(i) = rows.iter().position(Result::is_err) {
                if let Some(Err(e)) = rows.drain(i..).next() {
                    return Err(e.into_py(py, Class::Audit, Some(first + i)));
                }
                return Err(PyValueError::new_err("a row failed without an error"));
            }
        }
        results.append(&mut rows);
        first = end;
        py.check_signals()?;
    }
    statuses.truncate(n_rows * width);
    pack(py, &results, statuses, &clauses, grades, verdicts)
}

/// The results as packed arrays and lists:
/// `score_min`, `score_max` (f64), `determined` (u8), `grade`,
/// `grade_best`, `verdict`, `verdict_best` (i64 index into `grades` /
/// `verdicts`, -1 for an error), `statuses` (u8,
/// row-major, one per clause of `clauses`, codes into `status_names`),
/// `vetoes` (a tuple of clause ids per row, `None` for an error),
/// `warnings` and `warnings_zh` (a tuple of the report's warnings per
/// row, in English and in Chinese, `None` for an error) and `errors` (`(row, message, message in Chinese)` triples).
fn pack<'py>(
    py: Python<'py>,
    results: &[Result<Row, Failed>],
    statuses: Vec<u8>,
    clauses: &[&str],
    grades: Vec<String>,
    verdicts: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = results.len();
    let mut score_min = Vec::with_capacity(n * 8);
    let mut score_max = Vec::with_capacity(n * 8);
    let mut determined = Vec::with_capacity(n);
    let mut grade = Vec::with_capacity(n * 8);
    let mut grade_best = Vec::with_capacity(n * 8);
    let mut verdict = Vec::with_capacity(n * 8);
    let mut verdict_best = Vec::with_capacity(n * 8);
    let ids: Vec<Bound<'py, PyString>> = clauses.iter().map(|c| PyString::new(py, c)).collect();
    let none = PyTuple::empty(py);
    let mut vetoes: Vec<Bound<'py, PyAny>> = Vec::with_capacity(n);
    let mut warnings: Vec<Bound<'py, PyAny>> = Vec::with_capacity(n);
    let mut warnings_zh: Vec<Bound<'py, PyAny>> = Vec::with_capacity(n);
    let failures = PyList::empty(py);
    for (row, result) in results.iter().enumerate() {
        if row % PER_SIGNAL_CHECK == 0 && row > 0 {
            py.check_signals()?;
        }
        match result {
            Ok(r) => {
                score_min.extend_from_slice(&r.score_min.to_ne_bytes());
                score_max.extend_from_slice(&r.score_max.to_ne_bytes());
                determined.push(u8::from(r.determined));
                grade.extend_from_slice(&r.grade.to_ne_bytes());
                grade_best.extend_from_slice(&r.grade_best.to_ne_bytes());
                verdict.extend_from_slice(&r.verdict.to_ne_bytes());
                verdict_best.extend_from_slice(&r.verdict_best.to_ne_bytes());
                vetoes.push(if r.vetoes.is_empty() {
                    none.clone().into_any()
                } else {
                    PyTuple::new(py, r.vetoes.iter().filter_map(|i| ids.get(*i)).collect::<Vec<_>>())?.into_any()
                });
                for (column, zh) in [(&mut warnings, false), (&mut warnings_zh, true)] {
                    column.push(if r.warnings.is_empty() {
                        none.clone().into_any()
                    } else {
                        PyTuple::new(py, r.warnings.iter().map(|w| if zh { w.zh.as_str() } else { w.en.as_str() }))?
                            .into_any()
                    });
                }
            }
            Err(e) => {
                score_min.extend_from_slice(&f64::NAN.to_ne_bytes());
                score_max.extend_from_slice(&f64::NAN.to_ne_bytes());
                determined.push(0);
                for column in [&mut grade, &mut grade_best, &mut verdict, &mut verdict_best] {
                    column.extend_from_slice(&(-1i64).to_ne_bytes());
                }
                vetoes.push(py.None().into_bound(py));
                warnings.push(py.None().into_bound(py));
                warnings_zh.push(py.None().into_bound(py));
                failures.append((row, e.message(), e.message_zh()))?;
            }
        }
    }
    let out = PyDict::new(py);
    out.set_item("score_min", PyBytes::new(py, &score_min))?;
    out.set_item("score_max", PyBytes::new(py, &score_max))?;
    out.set_item("determined", PyBytes::new(py, &determined))?;
    out.set_item("grade", PyBytes::new(py, &grade))?;
    out.set_item("grade_best", PyBytes::new(py, &grade_best))?;
    out.set_item("verdict", PyBytes::new(py, &verdict))?;
    out.set_item("verdict_best", PyBytes::new(py, &verdict_best))?;
    out.set_item("statuses", PyBytes::new(py, &statuses))?;
    out.set_item("status_names", STATUSES.iter().map(|s| s.as_str()).collect::<Vec<_>>())?;
    out.set_item("grades", grades)?;
    out.set_item("verdicts", verdicts)?;
    out.set_item("clauses", clauses)?;
    out.set_item("vetoes", PyList::new(py, vetoes)?)?;
    out.set_item("warnings", PyList::new(py, warnings)?)?;
    out.set_item("warnings_zh", PyList::new(py, warnings_zh)?)?;
    out.set_item("errors", failures)?;
    Ok(out)
}

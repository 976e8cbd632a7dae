//! Audits held as columns (a DataFrame) to summary arrays, on every core.
//!
//! The Python layer hands over one column per fact slot, already packed:
//! a numeric column as the bytes of an `f64` array (NaN is missing), any
//! other column factorised into the bytes of an `i64` code array (-1 is
//! missing) and the list of its distinct values. With the GIL released,
//! each numeric column is factorised too (in parallel), so every distinct
//! value is checked and converted by the core once ([`Rulebook::fact_value`]);
//! then each row's values are handed to the core together
//! ([`Rulebook::summarize_values`], which copies none of them unless the
//! row needs the general evaluation), and its summary is reduced to plain
//! numbers, its clause statuses written in place. Results go back as
//! packed arrays for NumPy to wrap.

use std::collections::HashMap;

use ecorule::{AuditInput, Error, Errors, FactValue, Rulebook, ScoreOptions, Status, Summary};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;

use crate::convert;
use crate::errors::{Class, Failed};

/// One column as passed from Python: `(slot, data, distinct values or None
/// for floats, unit or None)`.
pub(crate) type ColumnArg<'py> = (usize, Bound<'py, PyBytes>, Option<Bound<'py, PyList>>, Option<String>);

/// Status codes in the `statuses` array, in this order; 255 marks a row
/// that could not be scored.
const STATUSES: [Status; 5] = [Status::Pass, Status::Partial, Status::Fail, Status::NotApplicable, Status::Unknown];
const NO_STATUS: u8 = 255;
/// Code of a missing value.
const MISSING: u32 = u32::MAX;

/// A column as received: the bytes of its floats (read where Python keeps
/// them), or codes and converted values.
enum Raw<'a> {
    Floats(&'a [u8]),
    Codes(Codes, Vec<AuditInput>),
}

/// A column ready for scoring: a code per row into its distinct values,
/// each converted by the core (or the error converting it gave).
struct Column {
    codes: Codes,
    values: Vec<Result<FactValue, Failed>>,
}

/// Codes into a column's distinct values, one per row, as narrow as they
/// fit: most columns hold a few distinct values, and the row loop reads
/// every column, so narrow codes keep it in cache.
enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Codes {
    fn with_capacity(n: usize) -> Codes {
        Codes::U8(Vec::with_capacity(n))
    }

    /// Appends a code ([`MISSING`] for none), widening the codes when it
    /// does not fit. The largest value of each width stands for missing.
    fn push(&mut self, code: u32) {
        let missing = code == MISSING;
        match self {
            Codes::U8(v) => match u8::try_from(code) {
                Ok(c) if c != u8::MAX => v.push(c),
                _ if missing => v.push(u8::MAX),
                _ => {
                    let widened = v.iter().map(|c| if *c == u8::MAX { u16::MAX } else { u16::from(*c) });
                    *self = Codes::U16(widened.collect());
                    self.push(code);
                }
            },
            Codes::U16(v) => match u16::try_from(code) {
                Ok(c) if c != u16::MAX => v.push(c),
                _ if missing => v.push(u16::MAX),
                _ => {
                    let widened = v.iter().map(|c| if *c == u16::MAX { MISSING } else { u32::from(*c) });
                    *self = Codes::U32(widened.collect());
                    self.push(code);
                }
            },
            Codes::U32(v) => v.push(code),
        }
    }

    /// The code of `row`, [`MISSING`] for none.
    #[inline]
    fn get(&self, row: usize) -> u32 {
        match self {
            Codes::U8(v) => v.get(row).map_or(MISSING, |c| if *c == u8::MAX { MISSING } else { u32::from(*c) }),
            Codes::U16(v) => v.get(row).map_or(MISSING, |c| if *c == u16::MAX { MISSING } else { u32::from(*c) }),
            Codes::U32(v) => v.get(row).copied().unwrap_or(MISSING),
        }
    }
}

/// A value with the column's unit attached, when it has one and is a number.
fn with_unit(value: AuditInput, unit: Option<&String>) -> AuditInput {
    match (value, unit) {
        (number @ AuditInput::Number(_), Some(unit)) => {
            AuditInput::Map(vec![("value".to_string(), number), ("unit".to_string(), AuditInput::Text(unit.clone()))])
        }
        (value, _) => value,
    }
}

fn words(bytes: &[u8], n_rows: usize, slot: usize) -> PyResult<impl Iterator<Item = [u8; 8]> + '_> {
    if bytes.len() != n_rows.saturating_mul(8) {
        return Err(PyValueError::new_err(format!(
            "the column for slot {slot} has {} bytes for {n_rows} rows",
            bytes.len()
        )));
    }
    Ok(bytes.chunks_exact(8).map(|c| {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        a
    }))
}

/// Factorises a float column (the bytes of its `f64`s): equal floats
/// share one converted value.
fn factorise(bytes: &[u8], unit: Option<&String>) -> (Codes, Vec<AuditInput>) {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut distinct = Vec::new();
    let mut codes = Codes::with_capacity(bytes.len() / 8);
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = f64::from_ne_bytes(word);
        if x.is_nan() {
            codes.push(MISSING);
            continue;
        }
        // -0.0 and 0.0 are the same number.
        let key = if x == 0.0 { 0 } else { x.to_bits() };
        codes.push(*seen.entry(key).or_insert_with(|| {
            distinct.push(with_unit(convert::float(x), unit));
            u32::try_from(distinct.len() - 1).unwrap_or(MISSING)
        }));
    }
    (codes, distinct)
}

/// One row's outcome, reduced to plain values in the worker thread; its
/// clause statuses go straight into the statuses array.
struct Row {
    score_min: f64,
    score_max: f64,
    determined: bool,
    grade: i64,
    verdict: i64,
    /// Clause indices (empty allocates nothing).
    vetoes: Vec<usize>,
}

pub(crate) fn score<'py>(
    py: Python<'py>,
    rulebook: &Rulebook,
    n_rows: usize,
    columns: &[ColumnArg<'py>],
    record_errors: bool,
) -> PyResult<Bound<'py, PyDict>> {
    if u32::try_from(n_rows).is_err() {
        return Err(PyValueError::new_err("too many rows for one call; score them in parts"));
    }
    let mut raw: Vec<(usize, Raw, Option<String>)> = Vec::with_capacity(columns.len());
    for (slot, data, values, unit) in columns {
        let words = words(data.as_bytes(), n_rows, *slot)?;
        match values {
            None => raw.push((*slot, Raw::Floats(data.as_bytes()), unit.clone())),
            Some(list) => {
                let mut converted = Vec::with_capacity(list.len());
                for v in list.iter() {
                    let value = match crate::errors::guard(|| convert::audit_input(&v)) {
                        Ok(value) => value.map_err(|f| f.into_py(py, None))?,
                        Err(panic) => return Err(crate::errors::internal(py, Class::Audit, &panic, None)),
                    };
                    converted.push(with_unit(value, unit.as_ref()));
                }
                let mut codes = Codes::with_capacity(n_rows);
                for w in words {
                    let code = i64::from_ne_bytes(w);
                    codes.push(match usize::try_from(code) {
                        Ok(i) if i < converted.len() => u32::try_from(i).unwrap_or(MISSING),
                        _ if code == -1 => MISSING,
                        _ => {
                            return Err(PyValueError::new_err(format!(
                                "the column for slot {slot} has a code out of range"
                            )));
                        }
                    });
                }
                raw.push((*slot, Raw::Codes(codes, converted), None));
            }
        }
    }

    let clauses = rulebook.clause_ids();
    let info = rulebook.info();
    let grades: Vec<String> = info.grades.iter().map(|g| g.id.clone()).collect();
    let verdicts: Vec<String> = info.verdicts.iter().map(|v| v.id.clone()).collect();
    let options = ScoreOptions::default();

    let (results, statuses) = py.detach(|| {
        let columns: Vec<Column> = raw
            .into_par_iter()
            .map(|(slot, raw, unit)| {
                let (codes, values) = match raw {
                    Raw::Floats(bytes) => factorise(bytes, unit.as_ref()),
                    Raw::Codes(codes, values) => (codes, values),
                };
                let values = values.iter().map(|v| Failed::run(|| rulebook.fact_value(slot, v))).collect();
                Column { codes, values }
            })
            .collect();
        let position = |list: &[String], id: &str| {
            list.iter().position(|x| x == id).and_then(|i| i64::try_from(i).ok()).unwrap_or(-1)
        };
        let status_code =
            |st: &Status| STATUSES.iter().position(|x| x == st).and_then(|p| u8::try_from(p).ok()).unwrap_or(NO_STATUS);
        let width = clauses.len();
        let mut statuses = vec![NO_STATUS; n_rows * width.max(1)];
        let mut rows: Vec<Result<Row, Failed>> = Vec::with_capacity(n_rows);
        statuses
            .par_chunks_mut(width.max(1))
            .enumerate()
            .with_min_len(256)
            .map_init(
                || Vec::with_capacity(columns.len()),
                |given: &mut Vec<&FactValue>, (row, out)| {
                    // The row's values, each converted once per column.
                    given.clear();
                    let mut errors: Vec<Error> = Vec::new();
                    for c in &columns {
                        match c.values.get(c.codes.get(row) as usize) {
                            Some(Ok(value)) => given.push(value),
                            Some(Err(Failed::Core(e))) => errors.extend(e.iter().cloned()),
                            Some(Err(Failed::Panic(p))) => return Err(Failed::Panic(p.clone())),
                            None => {}
                        }
                    }
                    if !errors.is_empty() {
                        return Err(Failed::Core(Errors::new(errors)));
                    }
                    let s: Summary = Failed::run(|| rulebook.summarize_values(given, &options))?;
                    out.iter_mut().zip(&s.statuses).for_each(|(o, st)| *o = status_code(st));
                    Ok(Row {
                        score_min: s.score_min.to_f64(),
                        score_max: s.score_max.to_f64(),
                        determined: s.determined,
                        grade: position(&grades, &s.grade),
                        verdict: position(&verdicts, &s.verdict),
                        vetoes: s.vetoes.iter().filter_map(|v| clauses.iter().position(|c| c == v)).collect(),
                    })
                },
            )
            .collect_into_vec(&mut rows);
        statuses.truncate(n_rows * width);
        (rows, statuses)
    });

    if !record_errors {
        if let Some(row) = results.iter().position(Result::is_err) {
            let mut results = results;
            if let Some(Err(e)) = results.drain(row..).next() {
                return Err(e.into_py(py, Class::Audit, Some(row)));
            }
            return Err(PyValueError::new_err("a row failed without an error"));
        }
    }
    pack(py, &results, statuses, &clauses, grades, verdicts)
}

/// The results as packed arrays and lists:
/// `score_min`, `score_max` (f64), `determined` (u8), `grade`, `verdict`
/// (i64 index into `grades` / `verdicts`, -1 for an error), `statuses` (u8,
/// row-major, one per clause of `clauses`, codes into `status_names`),
/// `vetoes` (a tuple of clause ids per row, `None` for an error) and
/// `errors` (`(row, message)` pairs).
fn pack<'py>(
    py: Python<'py>,
    results: &[Result<Row, Failed>],
    statuses: Vec<u8>,
    clauses: &[String],
    grades: Vec<String>,
    verdicts: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = results.len();
    let mut score_min = Vec::with_capacity(n * 8);
    let mut score_max = Vec::with_capacity(n * 8);
    let mut determined = Vec::with_capacity(n);
    let mut grade = Vec::with_capacity(n * 8);
    let mut verdict = Vec::with_capacity(n * 8);
    let ids: Vec<Bound<'py, PyString>> = clauses.iter().map(|c| PyString::new(py, c)).collect();
    let none = PyTuple::empty(py);
    let mut vetoes: Vec<Bound<'py, PyAny>> = Vec::with_capacity(n);
    let failures = PyList::empty(py);
    for (row, result) in results.iter().enumerate() {
        match result {
            Ok(r) => {
                score_min.extend_from_slice(&r.score_min.to_ne_bytes());
                score_max.extend_from_slice(&r.score_max.to_ne_bytes());
                determined.push(u8::from(r.determined));
                grade.extend_from_slice(&r.grade.to_ne_bytes());
                verdict.extend_from_slice(&r.verdict.to_ne_bytes());
                vetoes.push(if r.vetoes.is_empty() {
                    none.clone().into_any()
                } else {
                    PyTuple::new(py, r.vetoes.iter().filter_map(|i| ids.get(*i)).collect::<Vec<_>>())?.into_any()
                });
            }
            Err(e) => {
                score_min.extend_from_slice(&f64::NAN.to_ne_bytes());
                score_max.extend_from_slice(&f64::NAN.to_ne_bytes());
                determined.push(0);
                grade.extend_from_slice(&(-1i64).to_ne_bytes());
                verdict.extend_from_slice(&(-1i64).to_ne_bytes());
                vetoes.push(py.None().into_bound(py));
                failures.append((row, e.message()))?;
            }
        }
    }
    let out = PyDict::new(py);
    out.set_item("score_min", PyBytes::new(py, &score_min))?;
    out.set_item("score_max", PyBytes::new(py, &score_max))?;
    out.set_item("determined", PyBytes::new(py, &determined))?;
    out.set_item("grade", PyBytes::new(py, &grade))?;
    out.set_item("verdict", PyBytes::new(py, &verdict))?;
    out.set_item("statuses", PyBytes::new(py, &statuses))?;
    out.set_item("status_names", STATUSES.iter().map(|s| s.as_str()).collect::<Vec<_>>())?;
    out.set_item("grades", grades)?;
    out.set_item("verdicts", verdicts)?;
    out.set_item("clauses", clauses)?;
    out.set_item("vetoes", PyList::new(py, vetoes)?)?;
    out.set_item("errors", failures)?;
    Ok(out)
}

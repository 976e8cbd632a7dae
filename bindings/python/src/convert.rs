//! Python values to [`AuditInput`], exactly.
//!
//! `int`, `Decimal` and `str` keep every digit; a `float` becomes its
//! shortest decimal (the digits `repr` shows, so `0.1` stays `0.1`). `None`,
//! NaN, `pandas.NA` and `NaT` are missing. Dates (`datetime.date`,
//! `datetime.datetime`, `pandas.Timestamp`) become `YYYY-MM-DD`. NumPy
//! scalars and arrays go through `tolist()`.

use ecorule::{AuditInput, Error, ErrorKind, Num};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::Failure;

/// Deepest nesting accepted; deeper input (or a dict that contains itself)
/// is an error rather than a stack overflow.
const MAX_DEPTH: usize = 64;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Converts a whole audit (or any value in it).
pub(crate) fn audit_input(value: &Bound<'_, PyAny>) -> Result<AuditInput, Failure> {
    convert(value, 0)
}

/// A float as an exact number; NaN is missing, infinities are kept as text
/// for the core to reject with the fact's name.
pub(crate) fn float(x: f64) -> AuditInput {
    if x.is_nan() {
        return AuditInput::Null;
    }
    // Whole numbers skip the decimal round trip; below 2^53 every float is
    // the integer it prints as.
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return AuditInput::Number(Ok(Num::int(x as i64)));
    }
    AuditInput::Number(Num::from_f64(x).ok_or_else(|| x.to_string()))
}

fn convert(value: &Bound<'_, PyAny>, depth: usize) -> Result<AuditInput, Failure> {
    if depth > MAX_DEPTH {
        return Err(Error::new(
            ErrorKind::AuditTooLarge,
            format!("the audit is nested more than {MAX_DEPTH} levels deep"),
        )
        .into());
    }
    let py = value.py();
    if value.is_none() {
        return Ok(AuditInput::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(AuditInput::Bool(b.is_true()));
    }
    if let Ok(i) = value.cast::<PyInt>() {
        return Ok(match i.extract::<i64>() {
            Ok(n) => AuditInput::Number(Ok(Num::int(n))),
            Err(_) => {
                let text = i.str()?.to_string();
                AuditInput::Number(Num::parse(&text).ok_or(text))
            }
        });
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Ok(float(f.value()));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return text(s).map(AuditInput::Text);
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let mut entries = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            entries.push((key(&k)?, convert(&v, depth + 1)?));
        }
        return Ok(AuditInput::Map(entries));
    }
    if let Ok(l) = value.cast::<PyList>() {
        return l.iter().map(|v| convert(&v, depth + 1)).collect::<Result<_, _>>().map(AuditInput::List);
    }
    if let Ok(t) = value.cast::<PyTuple>() {
        return t.iter().map(|v| convert(&v, depth + 1)).collect::<Result<_, _>>().map(AuditInput::List);
    }
    if value.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
        if value.call_method0("is_nan")?.is_truthy()? {
            return Ok(AuditInput::Null);
        }
        let text = value.str()?.to_string();
        return Ok(AuditInput::Number(Num::parse(&text).ok_or(text)));
    }
    if value.is_instance(DATE.import(py, "datetime", "date")?)? {
        // `pandas.NaT` is a datetime whose isoformat is "NaT".
        let iso = value.call_method0("isoformat")?.str()?.to_string();
        if iso == "NaT" {
            return Ok(AuditInput::Null);
        }
        let day = iso.split('T').next().unwrap_or_default().to_string();
        return Ok(AuditInput::Text(day));
    }
    let ty = value.get_type();
    let module = ty.module().map(|m| m.to_string()).unwrap_or_default();
    let name = ty.name().map(|n| n.to_string()).unwrap_or_default();
    let foreign = module == "numpy" || module.starts_with("numpy.") || module.starts_with("pandas");
    if foreign && (name == "NAType" || name == "NaTType") {
        return Ok(AuditInput::Null);
    }
    if foreign && value.hasattr("tolist")? {
        return convert(&value.call_method0("tolist")?, depth + 1);
    }
    if let Ok(m) = value.cast::<PyMapping>() {
        let mut entries = Vec::new();
        for item in m.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            entries.push((key(&k)?, convert(&v, depth + 1)?));
        }
        return Ok(AuditInput::Map(entries));
    }
    Err(Error::new(
        ErrorKind::Audit,
        format!(
            "a Python `{name}` cannot be an audit value (use dict, list, str, int, float, bool, Decimal, date or None)"
        ),
    )
    .into())
}

/// A `str` as UTF-8; a lone surrogate is the audit's problem, not Python's.
fn text(s: &Bound<'_, PyString>) -> Result<String, Failure> {
    s.to_cow().map(|t| t.into_owned()).map_err(|_| {
        Error::new(
            ErrorKind::Audit,
            format!("the text `{}` is not valid Unicode (it holds a lone surrogate)", s.to_string_lossy()),
        )
        .into()
    })
}

fn key(k: &Bound<'_, PyAny>) -> Result<String, Failure> {
    match k.cast::<PyString>() {
        Ok(s) => text(s),
        Err(_) => Err(Error::new(
            ErrorKind::Audit,
            format!(
                "audit keys must be text, not `{}`",
                k.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ),
        )
        .into()),
    }
}

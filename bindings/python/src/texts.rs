//! Text columns factorised by object identity: a column of a few distinct
//! texts (a category, a unit) usually repeats the same few `str` objects,
//! so its codes come from one pass over the object pointers of the NumPy
//! array, without hashing or comparing a single text per row. Only the
//! distinct objects are read, and merged by value.

use std::collections::HashMap;

use ecorule::Codes;
use foldhash::fast::FixedState;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

use crate::columns::{MISSING, narrow};

/// A column's codes (a NumPy array) and its distinct texts.
type Factorised<'py> = (Bound<'py, PyAny>, Vec<Bound<'py, PyString>>);

/// Codes and distinct texts of a text column, the codes narrowed as every
/// column's are ([`narrow`]: the narrowest unsigned type, its widest value
/// missing), or `None` when the column holds more than `limit`
/// distinct objects or anything but texts and missing values (`None`,
/// NaN, or the object `na`): then pandas factorises it.
#[pyfunction]
pub(crate) fn factorize_texts<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
    limit: usize,
    na: &Bound<'py, PyAny>,
) -> PyResult<Option<Factorised<'py>>> {
    let Ok(items) = values.as_slice() else {
        return Ok(None);
    };
    // Codes into the distinct objects, by address: every object stays
    // alive in the array while this runs.
    let mut by_object: HashMap<usize, u32, FixedState> = HashMap::default();
    let mut objects: Vec<&Py<PyAny>> = Vec::new();
    let mut codes: Vec<u32> = Vec::with_capacity(items.len());
    for item in items {
        let next = u32::try_from(objects.len()).unwrap_or(u32::MAX);
        let code = *by_object.entry(item.as_ptr() as usize).or_insert(next);
        if code == next {
            if objects.len() == limit {
                return Ok(None);
            }
            objects.push(item);
        }
        codes.push(code);
    }
    // Each distinct object to a distinct text (equal texts may be
    // different objects), or to missing.
    let mut by_text: HashMap<String, u32> = HashMap::new();
    let mut distinct: Vec<Bound<'py, PyString>> = Vec::new();
    let mut texts: Vec<u32> = Vec::with_capacity(objects.len());
    for object in objects {
        let object = object.bind(py);
        if object.is_none() || object.is(na) || object.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            texts.push(MISSING);
            continue;
        }
        // Anything but a text that encodes is left to pandas and the
        // core's own conversion, which say what is wrong with it.
        let Ok(text) = object.cast::<PyString>() else {
            return Ok(None);
        };
        let Ok(value) = text.to_cow() else {
            return Ok(None);
        };
        let next = u32::try_from(distinct.len()).unwrap_or(u32::MAX);
        let code = *by_text.entry(value.into_owned()).or_insert(next);
        if code == next {
            distinct.push(text.clone());
        }
        texts.push(code);
    }
    let codes = codes.iter().map(|c| texts.get(*c as usize).copied().unwrap_or(MISSING)).collect();
    let codes = match narrow(codes, distinct.len()) {
        Codes::U8(codes) => PyArray1::from_vec(py, codes).into_any(),
        Codes::U16(codes) => PyArray1::from_vec(py, codes).into_any(),
        Codes::U32(codes) => PyArray1::from_vec(py, codes).into_any(),
    };
    Ok(Some((codes, distinct)))
}

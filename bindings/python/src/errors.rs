//! Core [`Errors`] to the exception classes of `ecorule._errors`.
//!
//! The classes live in Python; they are built from the core's
//! `ErrorInfo` list (as JSON) and `Errors::render(false)`.

use ecorule::Errors;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

/// Which exception class to raise.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Class {
    /// The rulebook does not compile: `ecorule.RulebookError`.
    Rulebook,
    /// An audit cannot be scored: `ecorule.AuditError`.
    Audit,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Rulebook => "RulebookError",
            Class::Audit => "AuditError",
        }
    }
}

/// The exception for `errors`; `index` is the audit's position in a batch.
pub(crate) fn raise(py: Python<'_>, errors: &Errors, class: Class, index: Option<usize>) -> PyErr {
    let info = match serde_json::to_string(&errors.to_info()) {
        Ok(text) => text,
        Err(e) => return PyRuntimeError::new_err(format!("{errors} ({e})")),
    };
    let rendered = errors.render(false);
    let built = py
        .import("ecorule._errors")
        .and_then(|m| m.getattr(class.name()))
        .and_then(|cls| cls.call_method1("_from_native", (info, rendered, index)));
    match built {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

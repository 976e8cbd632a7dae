//! Core [`Errors`] to the exception classes of `ecorule._errors`, and a
//! guard that keeps core panics from reaching Python.
//!
//! The classes live in Python; they are built from the core's
//! `ErrorInfo` list (as JSON) and `Errors::render(false)`. A panic in the
//! core is a bug, but it must not surface as pyo3's `PanicException` (a
//! `BaseException` that `except Exception` misses): [`guard`] catches it
//! and it is raised as an ecorule exception of kind `internal`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use ecorule::{ErrorInfo, Errors};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use serde_json::{Value, json};

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

/// Runs core code; a panic comes back as its message.
pub(crate) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// The message of an `internal` error: a core panic.
pub(crate) fn internal_message(panic: &str) -> String {
    format!("internal error in ecorule (please report it): {panic}")
}

/// Why core code failed: its own errors, or a panic (a core bug).
pub(crate) enum Failed {
    Core(Errors),
    Panic(String),
}

impl Failed {
    /// Runs fallible core code under [`guard`].
    pub(crate) fn run<T>(f: impl FnOnce() -> Result<T, Errors>) -> Result<T, Failed> {
        match guard(f) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(errors)) => Err(Failed::Core(errors)),
            Err(panic) => Err(Failed::Panic(panic)),
        }
    }

    /// The exception of `class` for this failure.
    pub(crate) fn into_py(self, py: Python<'_>, class: Class, index: Option<usize>) -> PyErr {
        match self {
            Failed::Core(errors) => raise(py, &errors, class, index),
            Failed::Panic(panic) => internal(py, class, &panic, index),
        }
    }

    /// The text of a DataFrame's `error` column: each error's message (after
    /// its place in the source, if it has one) and its help on the next
    /// line, as the core renders an error without a source line to draw.
    pub(crate) fn message(&self) -> String {
        match self {
            Failed::Core(errors) => guard(|| described(errors, false)).unwrap_or_else(|p| internal_message(&p)),
            Failed::Panic(panic) => internal_message(panic),
        }
    }

    /// [`Failed::message`] in Chinese, for the `error_zh` column: each
    /// error's Chinese message and help (`  提示：…`, as the core's
    /// `render_zh` labels it), its English where it has no Chinese.
    pub(crate) fn message_zh(&self) -> String {
        match self {
            Failed::Core(errors) => guard(|| described(errors, true)).unwrap_or_else(|p| internal_message(&p)),
            Failed::Panic(panic) => internal_message(panic),
        }
    }
}

/// Each error on its lines, with where it is and its help: in English, or
/// (`zh`) in Chinese where it has a Chinese message (the help beside it in
/// the same language) and labelled `提示` as the core's `render_zh` does.
fn described(errors: &Errors, zh: bool) -> String {
    let mut text = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if let Some((line, column)) = e.line_col() {
            text.push_str(&format!("{}:{line}:{column}: ", e.source_name().unwrap_or("<input>")));
        }
        let (message, help, label) = match (zh, e.message_zh()) {
            (true, Some(message)) => (message, e.help_zh().or(e.help()), "\n  提示："),
            (true, None) => (e.message(), e.help(), "\n  提示："),
            (false, _) => (e.message(), e.help(), "\n  Help: "),
        };
        text.push_str(message);
        if let Some(help) = help {
            text.push_str(label);
            text.push_str(help);
        }
    }
    text
}

/// The exception for `errors`; `index` is the audit's position in a batch.
pub(crate) fn raise(py: Python<'_>, errors: &Errors, class: Class, index: Option<usize>) -> PyErr {
    // Rendering draws the source with ariadne; should it panic, the errors
    // still go out with their messages and locations, unrendered.
    let (infos, rendered) = match guard(|| (errors.to_info(), errors.render(false))) {
        Ok(drawn) => drawn,
        Err(_) => match guard(|| unrendered(errors)) {
            Ok(plain) => plain,
            Err(panic) => return internal(py, class, &panic, index),
        },
    };
    match serde_json::to_value(infos) {
        Ok(info) => build(py, class, &info, &rendered, index),
        Err(e) => PyRuntimeError::new_err(format!("{errors} ({e})")),
    }
}

/// An `internal` error (a core panic) as an exception of `class`.
pub(crate) fn internal(py: Python<'_>, class: Class, panic: &str, index: Option<usize>) -> PyErr {
    let message = internal_message(panic);
    let rendered = format!("Error: {message}\n");
    let info = json!([{"kind": "internal", "message": message, "rendered": rendered}]);
    build(py, class, &info, &rendered, index)
}

/// `errors` as [`raise`] hands them over, but not drawn: each one's
/// message and help alone ([`ecorule::Error::to_plain_info`]).
fn unrendered(errors: &Errors) -> (Vec<ErrorInfo>, String) {
    let infos: Vec<ErrorInfo> = errors.iter().map(ecorule::Error::to_plain_info).collect();
    let rendered = infos.iter().map(|info| info.rendered.as_str()).collect();
    (infos, rendered)
}

fn build(py: Python<'_>, class: Class, info: &Value, rendered: &str, index: Option<usize>) -> PyErr {
    let built = py
        .import("ecorule._errors")
        .and_then(|m| m.getattr(class.name()))
        .and_then(|cls| cls.call_method1("_from_native", (info.to_string(), rendered, index)));
    match built {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

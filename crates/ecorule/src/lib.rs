//! ecorule: environmental compliance rulebooks, checked and scored.
#![deny(missing_docs)]

pub mod ast;
mod error;
mod limits;
mod num;
mod parser;
mod span;
mod units;

pub use error::{Error, ErrorInfo, ErrorKind, Errors, FactProblem};
pub use limits::Limits;
pub use num::Num;
pub use parser::parse;
pub use span::{Source, Span};
pub use units::{Dim, Unit};

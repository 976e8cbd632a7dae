//! ecorule: environmental compliance rulebooks, checked and scored.
//!
//! A rulebook (`.eco`) is parsed to an AST ([`parse`]), checked and
//! compiled to a [`Rulebook`], which scores audits ([`AuditInput`]) into an
//! explained, reproducible [`Report`]:
//!
//! ```text
//! source ─parse─▶ AST ─check─▶ program ─┐
//! audit ──────────bind facts to slots───┴─eval─▶ outcome ─▶ Report (JSON, text, Markdown)
//! ```
//!
//! Many audits held as columns (a code per audit into each fact's distinct
//! values, each converted once) form a [`Batch`], scored audit by audit to
//! a [`RowSummary`] ([`Rulebook::summarize_row`]), from any number of
//! threads.
//!
//! The crate does no I/O: callers hand it text and values.
#![deny(missing_docs)]

// The parser pest derives names `alloc` when pest is built without its
// `std` feature (see Cargo.toml).
extern crate alloc;

pub mod ast;
mod audit;
mod batch;
mod check;
mod error;
mod eval;
pub mod fmt;
mod ir;
mod limits;
mod num;
mod parser;
mod report;
mod rulebook;
mod schema;
mod span;
pub mod suggest;
mod units;

pub use audit::AuditInput;
pub use batch::{Batch, Codes, Column};
pub use error::{Error, ErrorInfo, ErrorKind, Errors, FactProblem, Severity, visible};
pub use ir::Labels;
pub use limits::Limits;
pub use num::Num;
pub use parser::parse;
pub use report::{
    AreaReport, AuditRef, ClauseReport, DeductionReport, ENGINE, Fix, HtmlPart, Lang, ModuleRef, Rectification,
    RenderOptions, Report, RowSummary, RulebookRef, SCHEMA, Status, Summary, UnverifiedValue, ValueReport, render_html,
    render_html_fragment, render_markdown, render_text,
};
pub use rulebook::{
    AreaInfo, ClauseInfo, FactInfo, FactValue, Facts, OptionInfo, OutcomeInfo, Question, Questionnaire,
    ReplacedStandard, Rulebook, RulebookInfo, ScoreOptions, Section, module_id, standard_modules,
};
pub use schema::audit_schema;
pub use span::{Source, Span};
pub use units::{Dim, Unit};

/// The examples of the crate's `README.md`, run as doctests so that they
/// keep compiling (the first is the [`Rulebook`] example with a bundled
/// standard).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Checks a module file on its own: parses it and checks its tables and
/// constants. A rulebook is an error ([`Rulebook::compile_with`] checks
/// those), as a module is to [`Rulebook::compile_with`].
pub fn check_module(source: &std::sync::Arc<Source>, limits: &Limits) -> Result<(), Errors> {
    match parse(source, limits)? {
        ast::SourceFile::Module(m) => check::check_module(&m, source),
        ast::SourceFile::Rulebook(book) => Err(Error::at(
            ErrorKind::Syntax,
            format!("`{}` is a rulebook, not a module", book.id.node),
            source,
            book.id.span,
        )
        .into()),
    }
}

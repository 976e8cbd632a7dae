//! The public face of the pipeline: compile a rulebook once, score many
//! audits against it.

use std::borrow::Cow;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::ast::{self, SourceFile};
use crate::audit::{AuditInput, Bound, bind, bind_value, column_unit, no_slot};
use crate::batch::{Batch, Column};
use crate::check::{self, ParsedModule};
use crate::error::{Error, ErrorKind, Errors};
use crate::eval::{Plan, Word, decide, decide_by_lane, evaluate};
use crate::ir::{Labels, Program, Ty, Value};
use crate::limits::Limits;
use crate::parser::parse;
use crate::report::{ModuleRef, Report, ReportBook, RowSummary, RulebookRef, Summary};
use crate::span::Source;

include!(concat!(env!("OUT_DIR"), "/standards.rs"));

/// The bundled standard modules (`rules/standards/*.eco`) as sources.
pub fn standard_modules() -> Vec<Arc<Source>> {
    STANDARDS.iter().map(|(name, text)| Source::new(format!("standards/{name}"), *text)).collect()
}

/// A bundled standard module a rulebook uses in another text
/// ([`Rulebook::replaced_standards`]). Its `Display` is the warning the
/// CLI prints and the Python binding raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplacedStandard {
    /// The module id.
    pub id: String,
    /// The name of the given source used in its place (a file's path), if
    /// it was among those given.
    pub source: Option<String>,
    /// `sha256:` and the hex SHA-256 of the text used.
    pub hash: String,
    /// The bundled module's name (`standards/gb14554.eco`).
    pub bundled: String,
    /// `sha256:` and the hex SHA-256 of the bundled text.
    pub bundled_hash: String,
}

impl std::fmt::Display for ReplacedStandard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let from = self.source.as_deref().map_or(Cow::Borrowed("another source"), crate::error::visible);
        write!(
            f,
            "module `{}` comes from {from} ({}), not the bundled {} ({})",
            crate::error::visible(&self.id),
            self.hash,
            self.bundled,
            self.bundled_hash
        )
    }
}

/// A bundled module, parsed and hashed once per process.
struct Standard {
    parsed: ParsedModule<'static>,
    /// [`sha256`] of its source.
    hash: String,
}

/// The bundled modules, parsed and hashed once per process.
fn parsed_standards() -> &'static [Standard] {
    // The parsed modules borrow their text from the sources, kept as long.
    static SOURCES: std::sync::OnceLock<Vec<Arc<Source>>> = std::sync::OnceLock::new();
    static PARSED: std::sync::OnceLock<Vec<Standard>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        // INVARIANT: the bundled modules parse (tested); one that did not
        // would simply be unavailable, and `use` would name it unknown.
        // Their tables are checked here too, once, not for every rulebook.
        SOURCES
            .get_or_init(standard_modules)
            .iter()
            .filter_map(|source| match parse(source, &Limits::default()) {
                Ok(SourceFile::Module(module)) => Some(Standard {
                    parsed: ParsedModule::checked_once(module, Arc::clone(source)),
                    hash: sha256(&source.text),
                }),
                _ => None,
            })
            .collect()
    })
}

/// `sha256:` and the lowercase hex SHA-256 of `text`'s bytes, as
/// `sha256sum` prints it.
pub(crate) fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hash = String::with_capacity(7 + 2 * digest.len());
    hash.push_str("sha256:");
    hash.extend(digest.iter().flat_map(|b| [b >> 4, b & 0xf]).filter_map(|d| char::from_digit(u32::from(d), 16)));
    hash
}

/// How to score: strictness and limits.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScoreOptions {
    /// Treat facts the rulebook does not declare as errors, not warnings.
    pub strict: bool,
    /// Bounds on audit size and evaluation work.
    pub limits: Limits,
}

impl ScoreOptions {
    /// Options with strict mode on or off.
    pub fn strict(strict: bool) -> Self {
        ScoreOptions { strict, ..ScoreOptions::default() }
    }
}

/// A checked, compiled rulebook, ready to score audits.
///
/// ```
/// let source = r#"
/// rulebook demo "示例" en "Demo" {
///   facts { stack.height: quantity m "排气筒高度" en "stack height" }
///   scoring {
///     scale 10
///     grade ok "合格" en "pass" when score >= 6
///     grade fail "不合格" en "fail" otherwise
///     verdict standardize "规范" otherwise
///   }
///   area A1 "废气" en "Air" {
///     clause C1 "排气筒高度" en "Stack height" points 10 {
///       require stack.height >= 15 m
///     }
///   }
/// }"#;
/// let rulebook = ecorule::Rulebook::compile("demo.eco", source)?;
/// let audit = r#"{"audit": {"date": "2024-05-20"}, "facts": {"stack.height": "1800 cm"}}"#;
/// let report = rulebook.score_json(audit, &ecorule::ScoreOptions::default())?;
/// assert_eq!(report.grade(), "ok");
/// # Ok::<(), ecorule::Errors>(())
/// ```
#[derive(Debug, Clone)]
pub struct Rulebook {
    program: Arc<Program>,
    plan: Arc<Plan>,
    /// What every report of this rulebook shares.
    report: Arc<ReportBook>,
    source: Arc<Source>,
}

impl Rulebook {
    /// Compiles a rulebook with the bundled standard modules.
    pub fn compile(name: &str, text: &str) -> Result<Rulebook, Errors> {
        Rulebook::compile_with(Source::new(name, text), &[], &Limits::default())
    }

    /// Compiles a rulebook with extra modules (which replace bundled
    /// modules of the same id) and the given limits. Two different given
    /// modules of an id the rulebook uses are an error, as which one is
    /// meant cannot be told (the same text given twice is one module); of
    /// an id it does not use, neither matters. To compile against the exact
    /// modules a stored report names, give the sources whose
    /// [`Source::hash`] its `modules` list.
    pub fn compile_with(source: Arc<Source>, modules: &[Arc<Source>], limits: &Limits) -> Result<Rulebook, Errors> {
        let book = match parse(&source, limits)? {
            SourceFile::Rulebook(book) => book,
            SourceFile::Module(m) => {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    format!("`{}` is a module, not a rulebook", m.id.node),
                    &source,
                    m.id.span,
                )
                .into());
            }
        };
        let mut given: Vec<ParsedModule> = Vec::new();
        let mut errors = Vec::new();
        let mut left_out = Vec::new();
        for module_source in modules {
            match parse(module_source, limits) {
                Ok(SourceFile::Module(module)) => given.push(ParsedModule::new(module, Arc::clone(module_source))),
                Ok(SourceFile::Rulebook(_)) => {}
                // A module the rulebook does not use cannot stop it (a draft
                // beside it); one it may use can, or the bundled module of
                // the same id would be used in its place unsaid.
                Err(e) => match module_id(&module_source.text) {
                    Some(id) if !book.uses.iter().any(|u| u.node == id) => {
                        left_out.push(unused_broken_module(id, module_source, &e, &source));
                    }
                    _ => errors.extend(e),
                },
            }
        }
        errors.extend(twice_given(&given, &book));
        // Given modules first: they replace bundled ones of the same id.
        let mut parsed: Vec<&ParsedModule> = Vec::new();
        for m in given.iter().chain(parsed_standards().iter().map(|s| &s.parsed)) {
            if !parsed.iter().any(|p| p.module.id.node == m.module.id.node) {
                parsed.push(m);
            }
        }
        let mut program = match check::check(&book, &source, &parsed, limits) {
            Ok(p) if errors.is_empty() => p,
            Ok(_) => return Err(Errors::new(errors)),
            Err(e) => {
                errors.extend(e);
                return Err(Errors::new(errors));
            }
        };
        program.warnings.extend(left_out);
        // A given module is hashed if used; a bundled one was hashed once.
        let hash = |id: &str| match given.iter().find(|m| m.module.id.node == id) {
            Some(m) => Some(sha256(&m.source.text)),
            None => parsed_standards().iter().find(|s| s.parsed.module.id.node == id).map(|s| s.hash.clone()),
        };
        let module_hashes =
            program.modules.iter().filter_map(|id| Some(ModuleRef { id: id.clone(), hash: hash(id)? })).collect();
        let plan = Arc::new(Plan::new(&program));
        let rulebook = RulebookRef::new(&program, sha256(&source.text), module_hashes);
        let program = Arc::new(program);
        let report = Arc::new(ReportBook::new(&program, rulebook));
        Ok(Rulebook { program, plan, report, source })
    }

    /// The rulebook id.
    pub fn id(&self) -> &str {
        &self.program.id
    }

    /// `sha256:` and the lowercase hex SHA-256 of the source's bytes (what
    /// `sha256sum` prints for the rulebook's file).
    pub fn hash(&self) -> &str {
        &self.report.rulebook().hash
    }

    /// The modules it uses, in the order of its `use` list, each with the
    /// SHA-256 of its source as [`Rulebook::hash`] gives the rulebook's.
    pub fn module_hashes(&self) -> &[ModuleRef] {
        &self.report.rulebook().modules
    }

    /// The bundled standard modules it uses in another text: those a
    /// module of `given` (the modules it was compiled with) replaced. A
    /// copy beside the rulebook or in a library folder replaces a bundled
    /// standard silently otherwise (its hash in the report is the only
    /// trace), and a copy "tightened" by hand can loosen a result; the CLI
    /// and the Python binding warn of each one.
    ///
    /// ```
    /// use ecorule::{Limits, Rulebook, Source};
    ///
    /// let book = Source::new("b.eco", r#"rulebook b "b" {
    ///   use gb14554
    ///   facts { x: number "x" }
    ///   scoring { scale 1 grade a "a" otherwise verdict v "v" otherwise }
    ///   area A "a" { clause C "c" points 1 { require x > 0 } }
    /// }"#);
    /// let bundled = ecorule::standard_modules();
    /// let standard = bundled.iter().find(|s| s.name == "standards/gb14554.eco").ok_or("no gb14554")?;
    /// let copy = Source::new("lib/gb14554.eco", format!("{}\n// tightened\n", standard.text));
    /// let rulebook = Rulebook::compile_with(book, &[copy.clone()], &Limits::default())?;
    /// let replaced = rulebook.replaced_standards(&[copy.clone()]);
    /// let [one] = replaced.as_slice() else { return Err("not one".into()) };
    /// assert_eq!(one.source.as_deref(), Some("lib/gb14554.eco"));
    /// assert_eq!((one.hash.clone(), one.bundled_hash.clone()), (copy.hash(), standard.hash()));
    /// assert!(one.to_string().starts_with("module `gb14554` comes from lib/gb14554.eco (sha256:"));
    /// // The bundled text itself, given, replaces nothing.
    /// let same = Source::new("lib/gb14554.eco", standard.text.clone());
    /// let book = Source::new("b.eco", rulebook.source().text.clone());
    /// let rulebook = Rulebook::compile_with(book, &[same.clone()], &Limits::default())?;
    /// assert!(rulebook.replaced_standards(&[same]).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replaced_standards(&self, given: &[Arc<Source>]) -> Vec<ReplacedStandard> {
        let replaced = |used: &ModuleRef| {
            let standard = parsed_standards().iter().find(|s| s.parsed.module.id.node == used.id)?;
            if standard.hash == used.hash {
                return None;
            }
            let source = given
                .iter()
                .find(|s| module_id(&s.text) == Some(used.id.as_str()) && s.hash() == used.hash)
                .map(|s| s.name.clone());
            Some(ReplacedStandard {
                id: used.id.clone(),
                source,
                hash: used.hash.clone(),
                bundled: standard.parsed.source.name.clone(),
                bundled_hash: standard.hash.clone(),
            })
        };
        self.module_hashes().iter().filter_map(replaced).collect()
    }

    /// The source it was compiled from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// What the rulebook declares: titles, facts, areas and clauses.
    pub fn info(&self) -> RulebookInfo {
        RulebookInfo::new(&self.program, self.report.rulebook())
    }

    /// Scores an audit into the full, explained report.
    pub fn score(&self, audit: &AuditInput, options: &ScoreOptions) -> Result<Report, Errors> {
        // Bound without the lane's words, which only a summary reads.
        self.report(&bind(&self.program, audit, options.strict, &options.limits)?, options)
    }

    /// Scores an audit given as JSON text.
    pub fn score_json(&self, json: &str, options: &ScoreOptions) -> Result<Report, Errors> {
        self.score(&AuditInput::from_json(json, &options.limits)?, options)
    }

    /// Scores an audit to its score range, grade and verdict only.
    pub fn summary(&self, audit: &AuditInput, options: &ScoreOptions) -> Result<Summary, Errors> {
        self.summarize(&self.bind(audit, options)?, options)
    }

    /// Checks an audit's facts and converts them to this rulebook's slots,
    /// so it can be scored (and changed and re-scored) without binding again.
    /// In strict mode an undeclared fact is an error, otherwise a warning
    /// the report carries. An audit over the size limits of `options` gets
    /// the error [`AuditInput::check_size`] gives it.
    pub fn bind(&self, audit: &AuditInput, options: &ScoreOptions) -> Result<Facts, Errors> {
        let bound = bind(&self.program, audit, options.strict, &options.limits)?;
        let words = bound.values.iter().map(|v| self.plan.lane.word(v.as_ref())).collect();
        Ok(Facts { bound, words, program: Arc::clone(&self.program) })
    }

    /// Scores bound facts into the full, explained report.
    pub fn score_facts(&self, facts: &Facts, options: &ScoreOptions) -> Result<Report, Errors> {
        self.check_owner(&facts.program)?;
        self.report(&facts.bound, options)
    }

    /// The full report of an audit bound to this rulebook.
    fn report(&self, bound: &Bound, options: &ScoreOptions) -> Result<Report, Errors> {
        let eval = evaluate(&self.program, &self.plan, &bound.values, options.limits.max_steps, true)?;
        Ok(Report::new(&self.program, &self.report, bound, &eval))
    }

    /// Scores bound facts to their score range, grade and verdict only.
    pub fn summarize(&self, facts: &Facts, options: &ScoreOptions) -> Result<Summary, Errors> {
        self.check_owner(&facts.program)?;
        let max_steps = options.limits.max_steps;
        let by_lane = decide_by_lane(&self.program, &self.plan, max_steps, |words| {
            words.get_mut(..facts.words.len())?.copy_from_slice(&facts.words);
            Some(())
        });
        let row = match by_lane {
            Some(decided) => RowSummary::decided(decided),
            None => self.summarize_general(&facts.bound.values, max_steps)?,
        };
        Ok(Summary::named(&self.program, row))
    }

    /// Checks audits held as columns (one per fact, each value converted by
    /// [`Rulebook::fact_value`]) for scoring audit by audit with
    /// [`Rulebook::summarize_row`]: every column as long as `rows`, for a
    /// fact of this rulebook given once, its codes within its values, its
    /// values converted by this rulebook for that fact.
    ///
    /// ```
    /// use ecorule::{AuditInput, Codes, Column, Rulebook, ScoreOptions};
    ///
    /// let source = r#"
    /// rulebook demo "示例" en "Demo" {
    ///   facts { stack.height: quantity m "排气筒高度" en "stack height" }
    ///   scoring {
    ///     scale 10
    ///     grade ok "合格" en "pass" when score >= 6
    ///     grade fail "不合格" en "fail" otherwise
    ///     verdict standardize "规范" otherwise
    ///   }
    ///   area A1 "废气" en "Air" {
    ///     clause C1 "排气筒高度" en "Stack height" points 10 {
    ///       require stack.height >= 15 m
    ///     }
    ///   }
    /// }"#;
    /// let rulebook = Rulebook::compile("demo.eco", source)?;
    /// let options = ScoreOptions::default();
    /// // Three audits: 18 m, 12 m, and one that leaves the height out
    /// // (the widest code, `u8::MAX`). Each distinct value is converted once.
    /// let slot = rulebook.fact_slot("stack.height").ok_or("no such fact")?;
    /// let values = ["1800 cm", "12 m"]
    ///     .map(|v| rulebook.fact_value(slot, &AuditInput::Text(v.to_string()), &options.limits))
    ///     .to_vec();
    /// let column = Column { slot, codes: Codes::U8(vec![0, 1, u8::MAX]), values };
    /// let batch = rulebook.batch(3, vec![column])?;
    /// // Grades and verdicts come by position: name them once.
    /// let grades: Vec<String> = rulebook.info().grades.into_iter().map(|g| g.id).collect();
    /// let mut named = Vec::new();
    /// for row in 0..batch.len() {
    ///     let summary = rulebook.summarize_row(&batch, row, &options)?;
    ///     let grade = grades.get(summary.grade).cloned().unwrap_or_default();
    ///     named.push((grade, summary.score_min.to_string(), summary.score_max.to_string()));
    /// }
    /// let row = |grade: &str, min: &str, max: &str| (grade.to_string(), min.to_string(), max.to_string());
    /// assert_eq!(named, [row("ok", "10", "10"), row("fail", "0", "0"), row("fail", "0", "10")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn batch(&self, rows: usize, columns: Vec<Column>) -> Result<Batch, Errors> {
        Batch::new(&self.program, rows, columns)
    }

    /// Scores audit `row` of a [`Batch`] to its score range, grade and
    /// verdict, as [`Rulebook::summarize`] scores the same values set on
    /// [`Facts`] (a fact without a value is unknown), but by position
    /// ([`RowSummary`]). An audit giving a value that failed to convert
    /// gets that error (every such error of the audit, in the order of the
    /// batch's columns).
    pub fn summarize_row(&self, batch: &Batch, row: usize, options: &ScoreOptions) -> Result<RowSummary, Errors> {
        if !Arc::ptr_eq(batch.program(), &self.program) {
            let (theirs, ours) = names(batch.program(), &self.program);
            return Err(Error::new(ErrorKind::Audit, format!("a batch for {theirs} given to {ours}")).into());
        }
        if row >= batch.len() {
            let message = format!("audit {row} of a batch of {}", batch.len());
            return Err(Error::new(ErrorKind::Audit, message).into());
        }
        if let Some(errors) = batch.errors(row) {
            return Err(errors);
        }
        let max_steps = options.limits.max_steps;
        match decide_by_lane(&self.program, &self.plan, max_steps, |words| batch.write_words(row, words)) {
            Some(decided) => Ok(RowSummary::decided(decided)),
            None => self.summarize_general(&batch.values(row), max_steps),
        }
    }

    /// The warnings the report of audit `row` of a [`Batch`] gives, in
    /// English (`en`) and Chinese (`zh`), in the report's order: its values'
    /// (per litre for a fact per cubic metre), then no clause that may
    /// apply, an audit dated before the rulebook is in force and a date
    /// counted since that is after the audit's, which its `summary`
    /// ([`Rulebook::summarize_row`]) and values tell. Empty, and
    /// nothing allocated, for the usual audit that has none.
    pub fn row_warnings(&self, batch: &Batch, row: usize, summary: &RowSummary) -> Vec<Labels> {
        let mut warnings = batch.value_warnings(row);
        let value = |slot: usize| batch.value_in(row, slot);
        crate::report::scoring_warnings(&self.program, summary.nothing_applicable, &value, &mut warnings);
        warnings
    }

    /// The summary by the closures, where the lane gave up: decided
    /// clauses without bounds when they all are, else the full evaluation.
    fn summarize_general(&self, values: &[Option<Value>], max_steps: u64) -> Result<RowSummary, Errors> {
        let program = &*self.program;
        if let Some(decided) = decide(program, &self.plan, values, max_steps)? {
            return Ok(RowSummary::decided(decided));
        }
        let eval = evaluate(program, &self.plan, values, max_steps, false)?;
        Ok(RowSummary::new(&eval))
    }

    /// The slot of a fact (built-ins `audit.date`, `audit.id`,
    /// `enterprise.id`, `enterprise.name` included), for [`Rulebook::fact_value`].
    pub fn fact_slot(&self, name: &str) -> Option<usize> {
        self.program.fact_slots.get(name).copied()
    }

    /// What the checker noticed but does not refuse, in source order (`ecorule
    /// check` prints them and still succeeds): each declared fact nothing
    /// reads and each `let` nothing uses (what only unused `let`s read or use
    /// counts as unused), as [`ErrorKind::Unused`](crate::ErrorKind::Unused)
    /// diagnostics; each comparison that every value within its fact's
    /// declared range meets, and each concentration per litre compared with
    /// one per cubic metre, as [`ErrorKind::Suspicious`](crate::ErrorKind::Suspicious).
    pub fn warnings(&self) -> &[crate::Error] {
        &self.program.warnings
    }

    /// Which fact slots the rulebook reads: `true` at each slot that a
    /// condition, deduction, grade or verdict reads. A fact it never reads
    /// (often `audit.id`) can still fail to convert, but cannot change a
    /// summary: batch callers may check such a column's values without
    /// handing them to every audit.
    pub fn slots_read(&self) -> Vec<bool> {
        let mut read = vec![false; self.program.facts.len()];
        for e in self.program.exprs() {
            e.each_fact(&mut |slot| {
                if let Some(r) = read.get_mut(slot) {
                    *r = true;
                }
            });
        }
        read
    }

    /// Whether a column of numbers written in `unit` can give the fact in
    /// `slot` its values (a list fact: its items), checked once for the
    /// column before any row is: for audits held as columns whose header
    /// names a unit (`stack.height [cm]`). Each row's number still meets the
    /// fact's bounds on its own.
    ///
    /// The error, of kind [`ErrorKind::Unit`], is about the column, in both
    /// languages, and names the fact, what it expects and what the column
    /// gives ([`Error::fact_problem`]): a unit the core does not know (its
    /// help says why), or one whose numbers the fact does not take (`kg`
    /// for a length, any unit for a text or a choice, `%` for a plain
    /// number that is not a share). A slot the rulebook does not have is an
    /// error of kind [`ErrorKind::Audit`].
    ///
    /// ```
    /// use ecorule::{ErrorKind, Rulebook};
    ///
    /// let text = "rulebook r \"r\" {\n  facts { h: quantity m \"h\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require h > 0 m } }\n}\n";
    /// let book = Rulebook::compile("r.eco", text).unwrap();
    /// let h = book.fact_slot("h").unwrap();
    /// assert!(book.column_unit(h, "cm").is_ok());
    /// let e = book.column_unit(h, "kg").unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::Unit);
    /// assert_eq!(e.message(), "numbers in `kg` (a mass) do not fit, but the fact expects a quantity in m");
    /// ```
    pub fn column_unit(&self, slot: usize, unit: &str) -> Result<(), Error> {
        column_unit(&self.program, slot, unit)
    }

    /// Checks and converts one value for the fact in `slot`: for audits
    /// held as columns, where each distinct value is converted once and
    /// then [set](Facts::set) on many audits' facts or held in a [`Batch`].
    /// A value over the size limits gets the error
    /// [`AuditInput::check_size`] gives it, as it would in a whole audit.
    pub fn fact_value(&self, slot: usize, value: &AuditInput, limits: &Limits) -> Result<FactValue, Errors> {
        let (value, warning) = bind_value(&self.program, slot, value, limits)?;
        let word = self.plan.lane.word(value.as_ref());
        Ok(FactValue { slot, word, program: Arc::clone(&self.program), value, warning: warning.map(Box::new) })
    }

    fn check_owner(&self, program: &Arc<Program>) -> Result<(), Errors> {
        if Arc::ptr_eq(program, &self.program) {
            return Ok(());
        }
        let (theirs, ours) = names(program, &self.program);
        Err(Error::new(ErrorKind::Audit, format!("these facts were bound to {theirs}, not to {ours}")).into())
    }

    /// Clause ids in rulebook order (the order of [`Summary::statuses`]),
    /// lent from the rulebook: nothing is copied.
    ///
    /// ```
    /// let source = r#"rulebook r "r" {
    ///   facts { x: number "x" }
    ///   scoring { scale 2 grade a "a" otherwise verdict v "v" otherwise }
    ///   area A "a" { clause C1 "c" points 1 { require x > 0 } clause C2 "c" points 1 { require x > 1 } }
    /// }"#;
    /// let rulebook = ecorule::Rulebook::compile("r.eco", source)?;
    /// assert_eq!(rulebook.clause_ids().len(), 2);
    /// assert_eq!(rulebook.clause_ids().collect::<Vec<_>>(), ["C1", "C2"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn clause_ids(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        self.program.clauses.iter().map(|c| c.id.as_str())
    }

    /// The declared facts grouped by the first area whose clauses read
    /// them, for generating a form.
    pub fn questionnaire(&self) -> Questionnaire {
        Questionnaire::new(&self.info())
    }

    pub(crate) fn program(&self) -> &Program {
        &self.program
    }
}

/// An audit's facts bound to one rulebook's slots: checked, and converted
/// to base units ([`Rulebook::bind`]).
#[derive(Debug, Clone)]
pub struct Facts {
    bound: Bound,
    /// The same values as the summary's fast lane holds them.
    words: Vec<Word>,
    program: Arc<Program>,
}

impl Facts {
    /// Facts for `rulebook` with every fact unknown.
    pub fn new(rulebook: &Rulebook) -> Facts {
        let bound = Bound::unknown(rulebook.program.facts.len());
        let words = vec![Word::UNKNOWN; rulebook.program.facts.len()];
        Facts { bound, words, program: Arc::clone(&rulebook.program) }
    }

    /// Sets one fact (made by [`Rulebook::fact_value`] of the same rulebook).
    pub fn set(&mut self, value: &FactValue) -> Result<(), Error> {
        if !Arc::ptr_eq(&value.program, &self.program) {
            let (theirs, ours) = names(&value.program, &self.program);
            return Err(Error::new(ErrorKind::Audit, format!("a value for {theirs} set on facts of {ours}")));
        }
        if let Some(slot) = self.bound.values.get_mut(value.slot) {
            // Rows of a batch often repeat a value: then nothing is copied.
            if !same(slot, &value.value) {
                slot.clone_from(&value.value);
            }
        }
        if let Some(word) = self.words.get_mut(value.slot) {
            *word = value.word;
        }
        self.bound.replace_warning(value.slot, value.warning.as_deref());
        Ok(())
    }

    /// Makes the fact in `slot` unknown. A slot the rulebook does not have
    /// ([`Rulebook::fact_slot`] gives those it has) is an
    /// [`ErrorKind::Audit`] error naming it, as [`Rulebook::fact_value`]
    /// gives, and changes nothing.
    pub fn unset(&mut self, slot: usize) -> Result<(), Error> {
        let Some(value) = self.bound.values.get_mut(slot) else {
            return Err(no_slot(&self.program, slot));
        };
        *value = None;
        if let Some(word) = self.words.get_mut(slot) {
            *word = Word::UNKNOWN;
        }
        self.bound.replace_warning(slot, None);
        Ok(())
    }

    /// Makes every fact unknown again.
    pub fn clear(&mut self) {
        let slots = self.bound.values.len();
        self.bound = Bound::unknown(slots);
        self.words.iter_mut().for_each(|w| *w = Word::UNKNOWN);
    }

    /// Warnings from binding (facts the rulebook does not declare, a value
    /// per litre for a fact per cubic metre), in English (`en`) and in
    /// Chinese (`zh`): those about a fact's value follow it through
    /// [`Facts::set`] and [`Facts::unset`].
    pub fn warnings(&self) -> impl Iterator<Item = &Labels> {
        self.bound.warnings.iter().map(|w| &w.labels)
    }
}

/// How a message names the rulebook `theirs` that made a value and the
/// rulebook `ours` it was given to: by id, or, when the ids are one (the
/// same source compiled twice, whose values do not cross over), as
/// another compilation and this one.
pub(crate) fn names(theirs: &Program, ours: &Program) -> (String, String) {
    if theirs.id == ours.id {
        (format!("another compilation of rulebook `{}`", theirs.id), "this one".to_string())
    } else {
        (format!("rulebook `{}`", theirs.id), format!("`{}`", ours.id))
    }
}

/// Whether two slot values are the same, cheaply: text and lists by
/// identity (a batch sets the same converted value on many rows), so a
/// `false` may still be equal.
fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
        (Some(Value::Num(x)), Some(Value::Num(y))) => x == y,
        (Some(Value::Date(x)), Some(Value::Date(y))) => x == y,
        (Some(Value::Text(x)), Some(Value::Text(y))) => Arc::ptr_eq(x, y),
        (Some(Value::List(x)), Some(Value::List(y))) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// One fact's value, checked and converted for one rulebook
/// ([`Rulebook::fact_value`]), to [set](Facts::set) on facts or to hold in a
/// [`Column`] of a [`Batch`]. Scoring reads the lane's word for it, the
/// value itself only when the lane gives up.
#[derive(Debug, Clone)]
pub struct FactValue {
    pub(crate) slot: usize,
    pub(crate) word: Word,
    pub(crate) program: Arc<Program>,
    pub(crate) value: Option<Value>,
    /// What a report says of how it was written (per litre for a fact per
    /// cubic metre), as binding a whole audit would.
    pub(crate) warning: Option<Box<Labels>>,
}

impl FactValue {
    /// The slot of the fact it is a value of.
    pub fn slot(&self) -> usize {
        self.slot
    }
}

/// A rulebook described for forms, schemas and tools.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RulebookInfo {
    /// Id, titles, version, effective date, content hash and the modules it
    /// uses with theirs, as in a report.
    #[serde(flatten)]
    pub rulebook: RulebookRef,
    /// References for the rulebook as a whole.
    pub refs: Vec<String>,
    /// The full score.
    pub scale: crate::num::Num,
    /// Declared facts (built-ins excluded).
    pub facts: Vec<FactInfo>,
    /// Areas with their clauses.
    pub areas: Vec<AreaInfo>,
    /// Grade ids and labels, in order.
    pub grades: Vec<OutcomeInfo>,
    /// Verdict ids and labels, in order.
    pub verdicts: Vec<OutcomeInfo>,
}

/// One declared fact.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FactInfo {
    /// Dotted name.
    pub name: String,
    /// `bool`, `number`, `count`, `quantity`, `text`, `enum`, `date`, `duration`, or `list` of one.
    #[serde(rename = "type")]
    pub kind: String,
    /// For lists, the element kind.
    pub element: Option<String>,
    /// Unit of a quantity.
    pub unit: Option<String>,
    /// Units an audit may give it in (the declared unit first).
    pub units: Vec<String>,
    /// Labels.
    pub label: Labels,
    /// Help text, in one or both languages.
    pub help: Option<Labels>,
    /// The least value an audit may give (each item, for a list), as an
    /// audit writes it in the declared unit (`0`, `2024-01-01`); `None`
    /// when not limited.
    pub min: Option<String>,
    /// The greatest value an audit may give, as `min` is written.
    pub max: Option<String>,
    /// Enum values with labels.
    pub options: Vec<OptionInfo>,
    /// Clauses whose conditions read this fact.
    pub clauses: Vec<String>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OptionInfo {
    /// The value as written in audits.
    pub value: String,
    /// Labels (may be empty).
    pub label: Labels,
}

/// One area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AreaInfo {
    /// Area id.
    pub id: String,
    /// Labels.
    pub label: Labels,
    /// Clauses.
    pub clauses: Vec<ClauseInfo>,
}

/// One clause.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClauseInfo {
    /// Clause id.
    pub id: String,
    /// Labels.
    pub label: Labels,
    /// Weight.
    pub points: crate::num::Num,
    /// One-vote veto.
    pub veto: bool,
    /// References.
    pub refs: Vec<String>,
    /// Facts its conditions read.
    pub facts: Vec<String>,
}

/// A grade or verdict.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutcomeInfo {
    /// Its id.
    pub id: String,
    /// Labels.
    pub label: Labels,
}

/// The kind of a fact's values (of its items, for a list, with `whole`
/// the same for each) as tools name it.
fn kind(ty: &Ty, whole: bool) -> &'static str {
    match ty {
        Ty::Bool => "bool",
        Ty::Num(d) if d.is_none() && whole => "count",
        Ty::Num(d) if d.is_none() => "number",
        Ty::Num(d) if *d == crate::units::Dim::TIME => "duration",
        Ty::Num(_) => "quantity",
        Ty::Text => "text",
        Ty::Enum(_) => "enum",
        Ty::Date => "date",
        Ty::List(_) => "list",
    }
}

impl RulebookInfo {
    fn new(program: &Program, rulebook: &RulebookRef) -> RulebookInfo {
        let clause_facts: Vec<&Vec<usize>> = program.clauses.iter().map(|c| &c.reads).collect();
        let facts = program
            .facts
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.builtin)
            .map(|(slot, f)| {
                let element = match &f.ty {
                    Ty::List(inner) => Some(kind(inner, f.bounds.whole).to_string()),
                    _ => None,
                };
                let enum_ty = match &f.ty {
                    Ty::List(inner) => inner.as_ref(),
                    other => other,
                };
                let options = match enum_ty {
                    Ty::Enum(k) => program
                        .enums
                        .get(*k)
                        .map(|e| {
                            e.variants.iter().map(|(v, l)| OptionInfo { value: v.clone(), label: l.clone() }).collect()
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                let unit = f.unit.as_ref().map(|u| u.name().to_string()).filter(|u| !u.is_empty());
                let unit = if kind(&f.ty, false) == "duration" { unit.or_else(|| Some("d".to_string())) } else { unit };
                let units = f.unit.as_ref().map(crate::units::common_units).unwrap_or_default();
                FactInfo {
                    units,
                    name: f.name.clone(),
                    kind: kind(&f.ty, f.bounds.whole).to_string(),
                    element,
                    unit,
                    label: f.labels.clone(),
                    help: f.help.clone(),
                    min: f.bounds.min.as_ref().map(|v| bound_text(v, f.unit.as_ref())),
                    max: f.bounds.max.as_ref().map(|v| bound_text(v, f.unit.as_ref())),
                    options,
                    clauses: program
                        .clauses
                        .iter()
                        .zip(&clause_facts)
                        .filter(|(_, used)| used.contains(&slot))
                        .map(|(c, _)| c.id.clone())
                        .collect(),
                }
            })
            .collect();
        let areas = program
            .areas
            .iter()
            .map(|a| AreaInfo {
                id: a.id.clone(),
                label: a.labels.clone(),
                clauses: a
                    .clauses
                    .clone()
                    .filter_map(|i| program.clauses.get(i).zip(clause_facts.get(i)))
                    .map(|(c, used)| ClauseInfo {
                        id: c.id.clone(),
                        label: c.labels.clone(),
                        points: c.points,
                        veto: c.veto,
                        refs: c.refs.clone(),
                        facts: used.iter().filter_map(|s| program.facts.get(*s)).map(|f| f.name.clone()).collect(),
                    })
                    .collect(),
            })
            .collect();
        let outcomes = |list: &[crate::ir::OutcomeDef]| {
            list.iter().map(|o| OutcomeInfo { id: o.id.clone(), label: o.labels.clone() }).collect()
        };
        RulebookInfo {
            rulebook: rulebook.clone(),
            refs: program.refs.clone(),
            scale: program.scoring.scale,
            facts,
            areas,
            grades: outcomes(&program.scoring.grades),
            verdicts: outcomes(&program.scoring.verdicts),
        }
    }
}

/// A form to fill in: the facts grouped by area, each with the clauses it
/// feeds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Questionnaire {
    /// Rulebook id.
    pub id: String,
    /// Rulebook titles.
    pub label: Labels,
    /// One section per area that reads facts, then `other` for the rest.
    pub sections: Vec<Section>,
}

/// The questions of one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Section {
    /// Area id, or `other`.
    pub id: String,
    /// Area labels.
    pub label: Labels,
    /// Facts first read by this area's clauses.
    pub questions: Vec<Question>,
}

/// One fact to answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Question {
    /// The fact.
    #[serde(flatten)]
    pub fact: FactInfo,
    /// The clauses it feeds, with titles and references.
    pub feeds: Vec<ClauseInfo>,
}

impl Questionnaire {
    fn new(info: &RulebookInfo) -> Questionnaire {
        let clause = |id: &str| info.areas.iter().flat_map(|a| a.clauses.iter()).find(|c| c.id == id).cloned();
        let mut placed: Vec<&str> = Vec::new();
        let mut sections = Vec::new();
        for area in &info.areas {
            let mut questions = Vec::new();
            for c in &area.clauses {
                for name in &c.facts {
                    if placed.contains(&name.as_str()) {
                        continue;
                    }
                    let Some(fact) = info.facts.iter().find(|f| &f.name == name) else { continue };
                    placed.push(&fact.name);
                    let feeds = fact.clauses.iter().filter_map(|id| clause(id)).collect();
                    questions.push(Question { fact: fact.clone(), feeds });
                }
            }
            if !questions.is_empty() {
                sections.push(Section { id: area.id.clone(), label: area.label.clone(), questions });
            }
        }
        let rest: Vec<Question> = info
            .facts
            .iter()
            .filter(|f| !placed.contains(&f.name.as_str()))
            .map(|f| Question { fact: f.clone(), feeds: Vec::new() })
            .collect();
        if !rest.is_empty() {
            let label = Labels { zh: "其他".to_string(), en: "Other".to_string() };
            sections.push(Section { id: "other".to_string(), label, questions: rest });
        }
        Questionnaire {
            id: info.rulebook.id.clone(),
            label: Labels { zh: info.rulebook.title.clone(), en: info.rulebook.title_en.clone() },
            sections,
        }
    }
}

/// An error for each given module the rulebook uses whose id an earlier,
/// different module has: the score would otherwise turn on the order the
/// files came in.
fn twice_given(given: &[ParsedModule], book: &ast::Rulebook) -> Vec<Error> {
    let mut errors = Vec::new();
    for (i, m) in given.iter().enumerate() {
        let id = m.module.id.node;
        if !book.uses.iter().any(|u| u.node == id) {
            continue;
        }
        let earlier = given.get(..i).unwrap_or_default();
        if let Some(first) = earlier.iter().find(|f| f.module.id.node == id && f.source.text != m.source.text) {
            let message = format!("module `{id}` is given twice, here and in {}, and they differ", first.source.name);
            let help = format!("give only the `{id}` this rulebook is meant to use");
            errors.push(Error::at(ErrorKind::Duplicate, message, &m.source, m.module.id.span).with_help(help));
        }
    }
    errors
}

/// The warning for module `id` in `module`, which does not parse
/// (`errors`) and which the rulebook in `book` does not use.
fn unused_broken_module(id: &str, module: &Source, errors: &Errors, book: &Source) -> Error {
    let first = errors.first().map(Error::message).unwrap_or_default();
    let message = format!(
        "module `{id}` in {} does not parse ({first}), and this rulebook does not use it: left out",
        module.name
    );
    Error::new(ErrorKind::Unused, message).with_help(format!("fix it, or move it away from {}", book.name))
}

/// The id a module's source declares (`module gb14554 …`), read from its
/// first words even when the rest does not parse; `None` for a rulebook or
/// anything else. Comments and blank lines before it are skipped. Front
/// ends that are given files tell modules from rulebooks by it.
///
/// ```
/// assert_eq!(ecorule::module_id("// GB 14554\nmodule gb14554 \"恶臭\" {"), Some("gb14554"));
/// assert_eq!(ecorule::module_id("rulebook fishmeal \"鱼粉\" {"), None);
/// assert_eq!(ecorule::module_id("modules x"), None);
/// ```
pub fn module_id(text: &str) -> Option<&str> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix("//") {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => break,
        }
    }
    let after = rest.strip_prefix("module")?;
    let name = after.trim_start();
    if name.len() == after.len() {
        return None;
    }
    let end = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name.len());
    name.get(..end).filter(|id| !id.is_empty())
}

/// A fact's bound as an audit writes it: a number in the fact's declared
/// unit, or a date.
fn bound_text(bound: &Value, unit: Option<&crate::units::Unit>) -> String {
    match (bound, unit) {
        (Value::Num(n), Some(u)) => u.from_base(*n).map_or_else(|| bound.show(Some(u)), |n| n.to_decimal()),
        _ => bound.show(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = "rulebook h \"哈希\" {\n  use gb8978, gb14554\n  facts { x: number \"x\" }\n  scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  area A \"a\" { clause C \"c\" points 1 { require x > 0 } }\n}\n";

    fn bundled(id: &str) -> &'static str {
        STANDARDS.iter().find(|(name, _)| *name == format!("{id}.eco")).map(|(_, text)| *text).unwrap()
    }

    #[test]
    fn sha256_is_what_sha256sum_prints() {
        let abc = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256("abc"), abc);
    }

    /// The error of a column in `unit` for fact `name`: its kind, message,
    /// Chinese message, help, expected and given.
    fn column_error(book: &Rulebook, name: &str, unit: &str) -> Option<[String; 6]> {
        let slot = book.fact_slot(name).unwrap();
        let e = book.column_unit(slot, unit).err()?;
        let problem = e.fact_problem().unwrap();
        assert_eq!(problem.fact, name);
        assert!(e.expected_zh().is_some());
        let zh = e.message_zh().unwrap().to_string();
        let help = format!("{} | {}", e.help().unwrap_or("-"), e.help_zh().unwrap_or("-"));
        Some([e.kind().as_str().into(), e.message().into(), zh, help, problem.expected.clone(), problem.given.clone()])
    }

    #[test]
    fn a_column_unit_fits_its_fact_or_says_why_not() {
        let text = "rulebook u \"u\" {\n  facts {\n    h: quantity m min 15 \"h\"\n    hs: list quantity m \"hs\"\n    \
                    share: number min 0 max 1 \"s\"\n    n: number \"n\"\n    t: text \"t\"\n  }\n  \
                    scoring { scale 1 grade a \"a\" otherwise verdict v \"v\" otherwise }\n  \
                    area A \"a\" { clause C \"c\" points 1 { require h > 0 m } }\n}\n";
        let book = Rulebook::compile("u.eco", text).unwrap();
        // Fitting: `1 cm` is below `min 15`, but each row meets the bounds
        // on its own; a list's items; a share in `%`.
        for (name, unit) in [("h", "cm"), ("h", " km "), ("hs", "cm"), ("share", "%"), ("n", "1")] {
            assert_eq!(column_error(&book, name, unit), None, "{name} [{unit}]");
        }
        let not_a_unit = column_error(&book, "h", "metres").unwrap();
        assert_eq!(not_a_unit[..3], ["unit", "`metres` is not a unit", "`metres` 不是单位"]);
        assert!(not_a_unit[3].contains("unknown unit `metres`"), "{}", not_a_unit[3]);
        assert_eq!(not_a_unit[4..], ["a quantity in m of at least 15 m", "`metres`, which is not a unit"]);
        let mass = column_error(&book, "h", "kg").unwrap();
        assert_eq!(
            mass,
            [
                "unit",
                "numbers in `kg` (a mass) do not fit, but the fact expects a quantity in m of at least 15 m",
                "以 `kg` 计的数值（质量）不符，该数据项应为以 m 计的量，不小于 15 m",
                "- | -",
                "a quantity in m of at least 15 m",
                "numbers in `kg` (a mass)",
            ]
            .map(String::from)
        );
        let list = column_error(&book, "hs", "kg").unwrap();
        assert!(list[1].starts_with("numbers in `kg` (a mass) do not fit, but the fact expects a list"), "{}", list[1]);
        // A plain number in `%` would be scored as a hundredth of it.
        let percent = column_error(&book, "n", "%").unwrap();
        assert_eq!(percent[1], "numbers in `%` (a plain number) do not fit, but the fact expects a number");
        let text_in_m = column_error(&book, "t", "m").unwrap();
        assert_eq!(text_in_m[1], "numbers in `m` (a length) do not fit, but the fact expects text");
        // A slot past the rulebook's facts is an error, not a panic.
        let past = book.column_unit(usize::MAX, "m").unwrap_err();
        assert_eq!((past.kind(), past.fact_problem()), (ErrorKind::Audit, None));
    }

    #[test]
    fn the_hash_is_the_source_s_and_each_used_module_has_its_own_in_use_order() {
        let book = Rulebook::compile("h.eco", BOOK).unwrap();
        assert_eq!(book.hash(), sha256(BOOK));
        let modules: Vec<(&str, &str)> =
            book.module_hashes().iter().map(|m| (m.id.as_str(), m.hash.as_str())).collect();
        let (gb8978, gb14554) = (sha256(bundled("gb8978")), sha256(bundled("gb14554")));
        assert_eq!(modules, [("gb8978", gb8978.as_str()), ("gb14554", gb14554.as_str())]);
        assert_eq!(book.info().rulebook.modules, book.module_hashes());
        // A given module replaces the bundled one: its own source's hash.
        let given = "module gb14554 \"替换\" {\n  const min_stack_height = 15 m\n}\n";
        let book =
            Rulebook::compile_with(Source::new("h.eco", BOOK), &[Source::new("m.eco", given)], &Limits::default())
                .unwrap();
        assert_eq!(book.hash(), sha256(BOOK));
        assert_eq!(book.module_hashes().get(1).map(|m| m.hash.clone()), Some(sha256(given)));
        assert_eq!(book.module_hashes().first().map(|m| m.hash.clone()), Some(gb8978));
    }

    #[test]
    fn a_source_hashes_as_reports_name_it_so_an_archive_finds_the_exact_modules() {
        let (old, new) = (
            Source::new("old/gb14554.eco", "module gb14554 \"旧\" {\n  const min_stack_height = 15 m\n}\n"),
            Source::new("new/gb14554.eco", "module gb14554 \"新\" {\n  const min_stack_height = 20 m\n}\n"),
        );
        let book = Source::new("h.eco", BOOK);
        let made = Rulebook::compile_with(Arc::clone(&book), &[Arc::clone(&old)], &Limits::default()).unwrap();
        assert_eq!(book.hash(), made.hash());
        assert_eq!(made.module_hashes().get(1).map(|m| m.hash.clone()), Some(old.hash()));
        // Two versions given cannot be told apart; picked by hash, the one
        // the report names.
        let archive = [Arc::clone(&new), Arc::clone(&old)];
        let both = Rulebook::compile_with(Arc::clone(&book), &archive, &Limits::default());
        assert_eq!(both.err().and_then(|e| e.first().map(Error::kind)), Some(ErrorKind::Duplicate));
        let pinned: Vec<Arc<Source>> =
            archive.iter().filter(|s| made.module_hashes().iter().any(|m| m.hash == s.hash())).cloned().collect();
        let again = Rulebook::compile_with(book, &pinned, &Limits::default()).unwrap();
        assert_eq!(again.module_hashes(), made.module_hashes());
    }
}

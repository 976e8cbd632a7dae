//! Stage 2: a rulebook AST and its modules to a checked [`Program`].
//!
//! Resolves every name (facts to slots, tables and constants to indices,
//! `let`s inlined), checks types and units, converts literals to exact
//! base-unit values, and checks the scoring adds up. Every problem is
//! collected, not just the first.

mod expr;
mod guards;
mod literal;
mod slips;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::ast::{self, Spanned};
use crate::error::{Error, ErrorKind, Errors};
use crate::fmt::spanned_expr_text;
use crate::ir::*;
use crate::limits::Limits;
use crate::num::Num;
use crate::span::{Source, Span};
use crate::units::{Dim, Unit};

/// A parsed module with the source it came from.
pub(crate) struct ParsedModule<'a> {
    pub module: ast::Module<'a>,
    pub source: Arc<Source>,
    /// Its tables and constants checked once, for a bundled module that
    /// checked cleanly; `None` checks the module for every rulebook.
    checked: Option<CheckedModule>,
}

impl<'a> ParsedModule<'a> {
    /// A module given by the caller: checked with each rulebook that uses it.
    pub(crate) fn new(module: ast::Module<'a>, source: Arc<Source>) -> Self {
        ParsedModule { module, source, checked: None }
    }

    /// A bundled module, checked now so rulebooks that use it reuse the result.
    pub(crate) fn checked_once(module: ast::Module<'a>, source: Arc<Source>) -> Self {
        let checked = CheckedModule::new(&module, &source);
        ParsedModule { module, source, checked }
    }
}

/// A module's checked tables and constants, in declaration order.
struct CheckedModule {
    tables: Vec<Arc<TableDef>>,
    constants: Vec<Arc<ConstantDef>>,
}

impl CheckedModule {
    /// `None` unless every table and constant checked without an error (and
    /// declared no enum), so reusing the result cannot hide a diagnostic: a
    /// module with problems is checked again with each rulebook.
    fn new(module: &ast::Module, source: &Arc<Source>) -> Option<Self> {
        let mut checker = Checker::new(source);
        checker.module(module, source);
        let clean = checker.errors.is_empty()
            && checker.enums.is_empty()
            && checker.tables.len() == module.tables.len()
            && checker.constants.len() == module.constants.len();
        clean.then_some(CheckedModule { tables: checker.tables, constants: checker.constants })
    }
}

/// Checks a rulebook against the modules it may use.
pub(crate) fn check<'a>(
    book: &'a ast::Rulebook<'a>,
    source: &'a Arc<Source>,
    modules: &[&'a ParsedModule],
    limits: &Limits,
) -> Result<Program, Errors> {
    let mut checker = Checker::new(source);
    checker.max_let_terms = limits.max_let_terms;
    checker.max_expr_depth = limits.max_expr_depth;
    checker.modules(book, modules);
    checker.facts(book);
    checker.lets(book);
    let mut program = checker.rulebook(book);
    if checker.errors.is_empty() {
        let mut warnings = checker.unused(book);
        warnings.append(&mut checker.held_only_below(&program.facts));
        warnings.append(&mut checker.warnings);
        warnings.sort_by_key(|w| w.span().map(|s| s.start));
        program.warnings = warnings;
        Ok(program)
    } else {
        checker.errors.sort_by_key(|e| e.span().map(|s| s.start));
        Err(Errors::new(checker.errors))
    }
}

/// Checks a module on its own (for `ecorule check` on a module file).
pub(crate) fn check_module(module: &ast::Module, source: &Arc<Source>) -> Result<(), Errors> {
    let mut checker = Checker::new(source);
    checker.module(module, source);
    if checker.errors.is_empty() { Ok(()) } else { Err(Errors::new(checker.errors)) }
}

/// The terms of `e`, the `let`s it uses written out: counted without
/// recursion, as a long chain of `let`s nests deep.
fn terms(e: &Expr) -> usize {
    let mut count = 0usize;
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        count += 1;
        e.for_each_child(|child| stack.push(child));
    }
    count
}

/// What a name in an expression can stand for.
#[derive(Clone)]
enum Binding {
    Fact(usize),
    Table(usize),
    Constant(usize),
    /// A fact, table or constant whose definition has errors: its name is
    /// taken (a second definition is still a duplicate), and its uses are
    /// not errors of their own.
    Broken,
}

struct Checker<'a> {
    source: &'a Arc<Source>,
    /// The source errors currently point into (a module's while checking it).
    current: Arc<Source>,
    errors: Vec<Error>,
    /// What is noticed but not refused, beside the unused facts and `let`s.
    warnings: Vec<Error>,
    /// Facts, tables and constants by name; most names are borrowed from
    /// the sources and the bundled modules' checked tables.
    names: HashMap<Cow<'a, str>, Binding, FastHash>,
    facts: Vec<FactDef>,
    enums: Vec<EnumDef>,
    tables: Vec<Arc<TableDef>>,
    constants: Vec<Arc<ConstantDef>>,
    /// The rulebook's `let`s, by name.
    lets: HashMap<&'a str, LetState<'a>, FastHash>,
    /// The checked `let`s that are durations written in years, which move
    /// a date by calendar years ([`Checker::in_years`]).
    lets_in_years: Vec<&'a str>,
    /// Clause ids to indices, for `vetoed(…)`.
    clause_ids: HashMap<&'a str, (usize, bool), FastHash>,
    /// The keys each table's rows have in each position, gathered the
    /// first time a look-up's key there is checked ([`Checker::table_key_slips`]).
    table_keys: HashMap<(usize, usize), HashSet<Value, FastHash>, FastHash>,
    /// What the conditions the expression being checked runs under say of
    /// the choices it may look a table up by ([`guards`]); empty, and
    /// unallocated, outside guarded places.
    narrowings: Vec<guards::Narrowing>,
    /// Whether `score` and `vetoed` may be used (grade and verdict rules).
    in_outcome: bool,
    /// The scale `score` runs to, while grade and verdict rules are checked
    /// (`None` when the scale is not valid).
    score_scale: Option<Num>,
    /// Facts compared directly with an upper limit, each at its first such
    /// comparison, and those compared any other way ([`Checker::held_only_below`]).
    held_below: HashMap<usize, Span, FastHash>,
    held_otherwise: HashSet<usize, FastHash>,
    /// [`Program::past_dates`], as found.
    past_dates: std::collections::BTreeSet<usize>,
    /// Unverified values read by the expression being checked.
    unverified: Vec<(String, Reason)>,
    /// Modules that exist but the rulebook does not `use`, for hints.
    unused_modules: Vec<String>,
    /// The ids of `use`s that name no module, and the modules they were
    /// likely meant to be: the error on the `use` line says all there is
    /// to say about the names read from them.
    failed_uses: Vec<String>,
    /// Checked `let`s: name and the unit their value is shown in.
    let_defs: Vec<LetDef>,
    /// Units parsed so far, by spelling (only those that parsed).
    units: HashMap<String, Unit, FastHash>,
    /// What the expressions checked so far name, outside `let`s.
    reads: Reads<'a>,
    /// What each checked `let`'s expression names.
    let_reads: HashMap<&'a str, Reads<'a>, FastHash>,
    /// The terms the `let`s added where they are used so far, and the
    /// most they may add ([`Limits::max_let_terms`]).
    let_terms: usize,
    max_let_terms: usize,
    /// [`Limits::max_expr_depth`], which each `let` written out is held to.
    max_expr_depth: usize,
    /// The `let`s that fail whatever their expression, as
    /// [`Checker::let_order`] found (and reported): in a cycle, too deep
    /// written out, or using one of those.
    failing: HashSet<&'a str, FastHash>,
    /// The depth of each `let` (but those of a cycle) written out with the
    /// `let`s it uses.
    let_depths: HashMap<&'a str, usize, FastHash>,
}

/// The fact slots and `let`s that the expressions of one context name:
/// a `let`'s own expression, or everything outside the `let`s.
#[derive(Default)]
struct Reads<'a> {
    facts: Vec<usize>,
    lets: Vec<&'a str>,
}

enum LetState<'a> {
    /// Not checked yet: the expression and why it is unverified, if it is.
    Pending(&'a Spanned<ast::Expr<'a>>, Option<&'a ast::Title<'a>>),
    InProgress,
    /// The checked expression, its type, the unverified values it reads,
    /// and its terms (the `let`s it uses written out).
    Done(Expr, Ty, Vec<(String, Reason)>, usize),
    Failed,
}

impl<'a> Checker<'a> {
    fn new(source: &'a Arc<Source>) -> Self {
        Checker {
            source,
            current: Arc::clone(source),
            errors: Vec::new(),
            warnings: Vec::new(),
            names: HashMap::default(),
            facts: builtin_facts(),
            enums: Vec::new(),
            tables: Vec::new(),
            constants: Vec::new(),
            lets: HashMap::default(),
            lets_in_years: Vec::new(),
            clause_ids: HashMap::default(),
            table_keys: HashMap::default(),
            narrowings: Vec::new(),
            in_outcome: false,
            score_scale: None,
            held_below: HashMap::default(),
            held_otherwise: HashSet::default(),
            past_dates: std::collections::BTreeSet::new(),
            unverified: Vec::new(),
            unused_modules: Vec::new(),
            failed_uses: Vec::new(),
            let_defs: Vec::new(),
            units: HashMap::default(),
            reads: Reads::default(),
            let_reads: HashMap::default(),
            let_terms: 0,
            max_let_terms: Limits::default().max_let_terms,
            max_expr_depth: Limits::default().max_expr_depth,
            failing: HashSet::default(),
            let_depths: HashMap::default(),
        }
    }

    /// Warnings for the facts no expression reads and the `let`s none
    /// uses: a question an audit answers for nothing, or a definition left
    /// behind by an edit. What only unused `let`s read is unused too.
    fn unused(&self, book: &ast::Rulebook) -> Vec<Error> {
        let mut fact_read: HashSet<usize, FastHash> = HashSet::default();
        let mut let_used: HashSet<&str, FastHash> = HashSet::default();
        let mut pending = vec![&self.reads];
        while let Some(reads) = pending.pop() {
            fact_read.extend(&reads.facts);
            for &name in &reads.lets {
                if let_used.insert(name) {
                    pending.extend(self.let_reads.get(name));
                }
            }
        }
        // The unused `let`s that name what `names` picks, in source order.
        let unused_readers = |names: &dyn Fn(&Reads) -> bool| -> Vec<String> {
            let unused = book.lets.iter().filter(|l| !let_used.contains(l.name.node));
            let readers = unused.filter(|l| self.let_reads.get(l.name.node).is_some_and(names));
            readers.map(|l| format!("`{}`", l.name.node)).collect()
        };
        let mut warnings = Vec::new();
        for fact in &book.facts {
            let Some(Binding::Fact(slot)) = self.names.get(fact.name.node) else { continue };
            if fact_read.contains(slot) {
                continue;
            }
            let readers = unused_readers(&|r| r.facts.contains(slot));
            let (message, help) = if readers.is_empty() {
                let help =
                    "read it in a clause, deduction or `let`, or remove it: an audit's answer to it changes nothing";
                (format!("fact `{}` is declared but nothing reads it", fact.name.node), help)
            } else {
                let message = format!(
                    "fact `{}` is read only by {}, which nothing uses",
                    fact.name.node,
                    word_list(&readers, "and")
                );
                (message, "use what reads it, or remove them and the fact: an audit's answer to it changes nothing")
            };
            warnings.push(Error::at(ErrorKind::Unused, message, self.source, fact.name.span).with_help(help));
        }
        for l in &book.lets {
            if let_used.contains(l.name.node) {
                continue;
            }
            let readers = unused_readers(&|r| r.lets.contains(&l.name.node));
            let (message, help) = if readers.is_empty() {
                let help = "use it in a clause, deduction or another `let`, or remove it";
                (format!("`{}` is defined but nothing uses it", l.name.node), help)
            } else {
                let message =
                    format!("`{}` is used only by {}, which nothing uses", l.name.node, word_list(&readers, "and"));
                (message, "use what uses it, or remove them all")
            };
            warnings.push(Error::at(ErrorKind::Unused, message, self.source, l.name.span).with_help(help));
        }
        warnings
    }

    fn error(&mut self, kind: ErrorKind, message: impl Into<String>, span: Span) {
        self.errors.push(Error::at(kind, message, &self.current, span));
    }

    fn error_help(&mut self, kind: ErrorKind, message: impl Into<String>, span: Span, help: impl Into<String>) {
        self.errors.push(Error::at(kind, message, &self.current, span).with_help(help));
    }

    /// An id defined again at `span`; its help says where the first
    /// definition, `first` in the same file, is (the second is the one
    /// marked, and the first may be screens away).
    fn duplicate(&mut self, message: String, span: Span, first: Option<Span>) {
        let error = Error::at(ErrorKind::Duplicate, message, &self.current, span);
        self.errors.push(match first {
            Some(first) => {
                let (line, column) = self.current.line_col(first.start);
                error.with_help(format!("first defined at line {line}, column {column}: rename or remove one"))
            }
            None => error,
        });
    }

    // ─── Modules ───────────────────────────────────────────────────────────

    fn modules(&mut self, book: &ast::Rulebook, modules: &[&'a ParsedModule]) {
        let mut seen = HashSet::with_hasher(FastHash);
        for used in &book.uses {
            // A `use` is in the rulebook, whichever module was read last.
            self.current = Arc::clone(self.source);
            if !seen.insert(used.node) {
                self.error(ErrorKind::Duplicate, format!("module `{}` is used twice", used.node), used.span);
                continue;
            }
            match modules.iter().copied().find(|m| m.module.id.node == used.node) {
                Some(ParsedModule { module, source, checked: Some(checked) }) => {
                    self.add_checked(checked, module, source);
                }
                Some(m) => self.module(&m.module, &m.source),
                None => {
                    let known: Vec<&str> = modules.iter().map(|m| m.module.id.node).collect();
                    self.failed_uses.push(used.node.to_string());
                    let meant = crate::suggest::closest(used.node, known.iter().copied());
                    self.failed_uses.extend(meant.map(str::to_string));
                    let help = match meant {
                        Some(meant) => format!("did you mean `{meant}`? (known modules: {})", known.join(", ")),
                        None => format!("known modules: {}", known.join(", ")),
                    };
                    self.error_help(ErrorKind::UnknownName, format!("unknown module `{}`", used.node), used.span, help);
                }
            }
        }
        self.unused_modules = modules
            .iter()
            .map(|m| m.module.id.node.to_string())
            .filter(|id| !book.uses.iter().any(|u| u.node == id))
            .collect();
        self.current = Arc::clone(self.source);
    }

    /// Whether `name` is `m.item` for a module `m` that a `use` failing
    /// with an error named or was likely meant to name: a second error
    /// there would repeat the first.
    fn reads_from_failed_use(&self, name: &str) -> bool {
        name.split_once('.').is_some_and(|(module, _)| self.failed_uses.iter().any(|m| m == module))
    }

    /// "add `use m`" when `name` is `m.item` for a module that is not used.
    fn missing_use(&self, name: &str) -> Option<String> {
        let (module, _) = name.split_once('.')?;
        self.unused_modules
            .iter()
            .any(|m| m == module)
            .then(|| format!("module `{module}` is not imported; add `use {module}` to the rulebook"))
    }

    fn module(&mut self, module: &ast::Module, source: &Arc<Source>) {
        self.current = Arc::clone(source);
        let prefix = &module.id.node;
        for table in &module.tables {
            let name = format!("{prefix}.{}", table.name.node);
            match self.table(table, &name) {
                Some(def) => {
                    self.bind(Cow::Owned(name), Binding::Table(self.tables.len()), table.name.span);
                    self.tables.push(Arc::new(def));
                }
                None => self.bind(Cow::Owned(name), Binding::Broken, table.name.span),
            }
        }
        for constant in &module.constants {
            let name = format!("{prefix}.{}", constant.name.node);
            let Some((value, ty, unit)) = self.literal(&constant.value.node, constant.value.span) else {
                self.bind(Cow::Owned(name), Binding::Broken, constant.name.span);
                continue;
            };
            let _ = ty;
            let def = ConstantDef {
                name: name.clone(),
                value,
                unit,
                unverified: constant.unverified.as_ref().map(Reason::of),
            };
            self.bind(Cow::Owned(name), Binding::Constant(self.constants.len()), constant.name.span);
            self.constants.push(Arc::new(def));
        }
    }

    /// Binds a module checked before, as [`Checker::module`] would have.
    fn add_checked(&mut self, checked: &'a CheckedModule, module: &ast::Module, source: &Arc<Source>) {
        self.current = Arc::clone(source);
        // INVARIANT: `checked` holds one definition per table and constant of
        // `module`, in order (`CheckedModule::new`).
        for (def, table) in checked.tables.iter().zip(&module.tables) {
            self.bind(Cow::Borrowed(&def.name), Binding::Table(self.tables.len()), table.name.span);
            self.tables.push(Arc::clone(def));
        }
        for (def, constant) in checked.constants.iter().zip(&module.constants) {
            self.bind(Cow::Borrowed(&def.name), Binding::Constant(self.constants.len()), constant.name.span);
            self.constants.push(Arc::clone(def));
        }
    }

    fn bind(&mut self, name: Cow<'a, str>, binding: Binding, span: Span) {
        match self.names.entry(name) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(binding);
            }
            std::collections::hash_map::Entry::Occupied(taken) => {
                let message = format!("`{}` is defined twice", taken.key());
                self.error(ErrorKind::Duplicate, message, span);
            }
        }
    }

    // ─── Facts and lets ────────────────────────────────────────────────────

    fn facts(&mut self, book: &ast::Rulebook<'a>) {
        self.names.reserve(self.facts.len() + book.facts.len());
        self.facts.reserve(book.facts.len());
        for (slot, fact) in self.facts.iter().enumerate() {
            self.names.insert(Cow::Owned(fact.name.clone()), Binding::Fact(slot));
        }
        for decl in &book.facts {
            if self.names.contains_key(decl.name.node) {
                let what = if decl.name.node.starts_with("audit.") || decl.name.node.starts_with("enterprise.") {
                    "is a built-in fact"
                } else {
                    "is declared twice"
                };
                let first = earlier(book.facts.iter().map(|d| &d.name), &decl.name);
                self.duplicate(format!("fact `{}` {what}", decl.name.node), decl.name.span, first);
                continue;
            }
            let Some((ty, unit)) = self.type_expr(&decl.ty) else {
                // Its type has an error, said once: not each use again.
                self.names.insert(Cow::Borrowed(decl.name.node), Binding::Broken);
                continue;
            };
            let bounds = self.fact_bounds(decl, &ty, unit.as_ref());
            // `%` as the unit table has it.
            let shown_in = if unit.is_none() && bounds.is_share() { Unit::parse("%").ok() } else { unit.clone() };
            let def = FactDef {
                name: decl.name.node.to_string(),
                ty,
                unit,
                shown_in,
                labels: labels(&decl.title),
                help: decl.help.as_ref().map(labels),
                builtin: false,
                bounds,
            };
            self.names.insert(Cow::Borrowed(decl.name.node), Binding::Fact(self.facts.len()));
            self.facts.push(def);
        }
    }

    fn lets(&mut self, book: &'a ast::Rulebook<'a>) {
        for l in &book.lets {
            if self.names.contains_key(l.name.node) || self.lets.contains_key(l.name.node) {
                let first =
                    earlier(book.facts.iter().map(|f| &f.name).chain(book.lets.iter().map(|l| &l.name)), &l.name);
                self.duplicate(format!("`{}` is defined twice", l.name.node), l.name.span, first);
                continue;
            }
            let unverified = l.unverified.as_ref();
            self.lets.insert(l.name.node, LetState::Pending(&l.value, unverified));
        }
        // Each `let` after the ones it uses, so checking one never recurses
        // into another: a long chain of them would overflow the stack.
        for name in self.let_order(book) {
            if let Some(&LetState::Pending(value, unverified)) = self.lets.get(name) {
                let _ = self.check_let(name, value, unverified);
            }
        }
    }

    /// The rulebook's `let`s in an order that puts each after the ones it
    /// uses, found without recursion. Reports each cycle (at the use that
    /// closes it, taking the `let`s in source order and their uses left to
    /// right) and each `let` deeper than [`Limits::max_expr_depth`] written
    /// out ([`Checker::too_deep`]): those, and the `let`s that use them, are
    /// `failing`. Keeps each `let`'s depth written out in `let_depths`.
    fn let_order(&mut self, book: &'a ast::Rulebook<'a>) -> Vec<&'a str> {
        #[derive(Clone, Copy, PartialEq)]
        enum Visit {
            New,
            Open,
            Done,
        }
        // The `let`s to check (the first of each name), the depth of each's
        // tree as written, and its uses of `let`s.
        let mut index: HashMap<&str, usize, FastHash> = HashMap::default();
        let mut lets = Vec::new();
        for l in &book.lets {
            if matches!(self.lets.get(l.name.node), Some(LetState::Pending(value, _)) if std::ptr::eq(*value, &l.value))
            {
                index.insert(l.name.node, lets.len());
                lets.push(l);
            }
        }
        let trees: Vec<_> = lets
            .iter()
            .map(|l| {
                let (depth, names) = self.names_in(&l.value);
                let uses: Vec<(usize, Span, usize)> =
                    names.into_iter().filter_map(|(n, span, at)| Some((*index.get(n)?, span, at))).collect();
                (depth, uses)
            })
            .collect();
        let mut visit = vec![Visit::New; lets.len()];
        let mut order = Vec::with_capacity(lets.len());
        // The `let`s being visited, each with the next of its uses to follow.
        let mut open: Vec<(usize, usize)> = Vec::new();
        for root in 0..lets.len() {
            if visit.get(root) != Some(&Visit::New) {
                continue;
            }
            open.push((root, 0));
            if let Some(v) = visit.get_mut(root) {
                *v = Visit::Open;
            }
            while let Some((at, next)) = open.last_mut() {
                let at = *at;
                let (own, uses) = trees.get(at).map_or((0, &[][..]), |(d, u)| (*d, u.as_slice()));
                if let Some(&(used, span, _)) = uses.get(*next) {
                    *next += 1;
                    match visit.get(used) {
                        Some(Visit::New) => {
                            open.push((used, 0));
                            if let Some(v) = visit.get_mut(used) {
                                *v = Visit::Open;
                            }
                        }
                        Some(Visit::Open) => {
                            let name = lets.get(used).map_or("", |l| l.name.node);
                            if self.failing.insert(name) {
                                self.cycle(name, span);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                open.pop();
                if let Some(v) = visit.get_mut(at) {
                    *v = Visit::Done;
                }
                let name = lets.get(at).map_or("", |l| l.name.node);
                // A `let` that closes a cycle (whose use is still open), or
                // uses one failing, fails too: said once, where it began.
                let failing = uses.iter().any(|&(used, ..)| {
                    visit.get(used) != Some(&Visit::Done)
                        || lets.get(used).is_some_and(|l| self.failing.contains(l.name.node))
                });
                // The `let`s it uses but those of a cycle, each in place of its name.
                let used = uses.iter().filter(|(used, ..)| visit.get(*used) == Some(&Visit::Done)).filter_map(
                    |&(used, span, depth)| {
                        let name = lets.get(used)?.name.node;
                        Some((name, span, depth, *self.let_depths.get(name)?))
                    },
                );
                let used: Vec<_> = used.collect();
                if self.too_deep(Some(name), own, &used) || failing {
                    self.failing.insert(name);
                }
                order.push(name);
            }
        }
        order
    }

    /// Whether an expression, `depth` deep as written, is deeper than
    /// [`Limits::max_expr_depth`] with the `let`s it uses written out: each
    /// `(name, span, at, inner)` is a use at depth `at` of a `let` `inner`
    /// deep written out. The error, if so, is said at the use that makes it
    /// deepest, unless a `let` it uses fails whatever its expression (too
    /// deep itself, or in a cycle: said so). Keeps the depth of a `let`, by
    /// `name`, in `let_depths`.
    fn too_deep(&mut self, name: Option<&'a str>, depth: usize, used: &[(&str, Span, usize, usize)]) -> bool {
        let max = self.max_expr_depth;
        let deepest = used.iter().max_by_key(|(_, _, at, inner)| at.saturating_sub(1).saturating_add(*inner));
        let written = deepest.map_or(depth, |(_, _, at, inner)| at.saturating_sub(1).saturating_add(*inner).max(depth));
        if let Some(name) = name {
            self.let_depths.insert(name, written);
        }
        if written <= max {
            return false;
        }
        if let Some((used_name, span, ..)) = deepest
            && !used.iter().any(|(used, ..)| self.failing.contains(used))
        {
            let what = name.map_or_else(|| "this expression".to_string(), |name| format!("`{name}`"));
            let message =
                format!("{what} is deeper than the limit of {max} levels with `{used_name}` written out in it");
            let help = "a `let` is as deep as its expression with the `let`s it uses written out, so a chain of `let`s, each using the one before, is as deep as all of them together: combine parts side by side, as in `let total = part1 + part2`";
            self.error_help(ErrorKind::TooDeep, message, *span, help);
        }
        true
    }

    /// Whether a condition or a deduction's basis is deeper than
    /// [`Limits::max_expr_depth`] with the `let`s it uses written out (an
    /// error then, unless one of those `let`s fails whatever its expression).
    fn root_too_deep(&mut self, e: &Spanned<ast::Expr>) -> bool {
        if self.in_outcome || self.let_depths.is_empty() {
            return false;
        }
        let (depth, names) = self.names_in(e);
        let used: Vec<_> =
            names.into_iter().filter_map(|(n, span, at)| Some((n, span, at, *self.let_depths.get(n)?))).collect();
        self.too_deep(None, depth, &used)
    }

    /// The depth of an expression's tree as written, and the names in it
    /// that name `let`s where the checker reads them as such, each with
    /// its span and its depth in the tree (the root's is 1), left to right.
    /// Found without recursion.
    fn names_in<'e>(&self, e: &'e Spanned<ast::Expr<'e>>) -> (usize, Vec<(&'e str, Span, usize)>) {
        let mut deepest = 0;
        let mut names = Vec::new();
        let mut open = vec![(e, 1usize)];
        while let Some((e, depth)) = open.pop() {
            deepest = deepest.max(depth);
            let at = open.len();
            match &e.node {
                ast::Expr::Name(n) if self.lets.contains_key(n) => names.push((*n, e.span, depth)),
                ast::Expr::Literal(_) | ast::Expr::Name(_) => {}
                // Only a built-in function's or a table's arguments are read.
                ast::Expr::Call { func, args } => {
                    if Builtin::named(func.node).is_some()
                        || matches!(self.names.get(func.node), Some(Binding::Table(_)))
                    {
                        open.extend(args.iter().map(|a| (a, depth + 1)));
                    }
                }
                ast::Expr::List(items) => open.extend(items.iter().map(|a| (a, depth + 1))),
                ast::Expr::If { cond, then, otherwise } => {
                    open.extend([cond, then, otherwise].map(|a| (&**a, depth + 1)));
                }
                ast::Expr::Unary { expr, .. } | ast::Expr::Group(expr) => open.push((&**expr, depth + 1)),
                ast::Expr::Binary { lhs, rhs, .. } => open.extend([(&**lhs, depth + 1), (&**rhs, depth + 1)]),
            }
            // Left to right: the first child is taken first.
            if let Some(children) = open.get_mut(at..) {
                children.reverse();
            }
        }
        (deepest, names)
    }

    /// The checked expression a `let` stands for, checking it on first use.
    fn resolve_let(&mut self, name: &str, span: Span) -> Option<(Expr, Ty)> {
        if let Some(&LetState::Done(.., terms)) = self.lets.get(name)
            && !self.count_let_terms(name, terms, span)
        {
            return None;
        }
        match self.lets.get(name)? {
            LetState::Done(e, t, unverified, _) => {
                let (e, t) = (e.clone(), t.clone());
                self.unverified.extend(unverified.iter().cloned());
                Some((e, t))
            }
            LetState::Failed => None,
            // A cycle, which `let_order` reported.
            LetState::InProgress if self.failing.contains(name) => None,
            LetState::InProgress => {
                self.cycle(name, span);
                self.set_let(name, LetState::Failed);
                None
            }
            // Only a `let` of a cycle is used before it is checked.
            LetState::Pending(..) if self.failing.contains(name) => None,
            &LetState::Pending(value, unverified) => self.check_let(name, value, unverified),
        }
    }

    /// The error for a `let` used, at `span`, inside its own definition.
    fn cycle(&mut self, name: &str, span: Span) {
        self.error(ErrorKind::Cycle, format!("`{name}` is defined in terms of itself"), span);
    }

    /// Checks a `let`'s expression, once: the expression it stands for,
    /// where it is used, and its type.
    fn check_let(
        &mut self,
        name: &str,
        value: &'a Spanned<ast::Expr<'a>>,
        unverified: Option<&'a ast::Title<'a>>,
    ) -> Option<(Expr, Ty)> {
        self.set_let(name, LetState::InProgress);
        let outer = std::mem::take(&mut self.unverified);
        let outer_reads = std::mem::take(&mut self.reads);
        // Checked once for all its uses: what guards the place of the
        // first does not guard the others.
        let outer_narrowings = std::mem::take(&mut self.narrowings);
        let checked = self.expr(value, None);
        self.narrowings = outer_narrowings;
        let mut used = std::mem::replace(&mut self.unverified, outer);
        let reads = std::mem::replace(&mut self.reads, outer_reads);
        if let Some((&key, _)) = self.lets.get_key_value(name) {
            self.let_reads.insert(key, reads);
        }
        if let Some(why) = unverified {
            used.push((name.to_string(), Reason::of(why)));
        }
        self.unverified.extend(used.clone());
        if matches!(self.lets.get(name), Some(LetState::Failed)) || self.failing.contains(name) {
            self.set_let(name, LetState::Failed);
            return None;
        }
        if self.in_years(&value.node)
            && let Some((&key, _)) = self.lets.get_key_value(name)
        {
            self.lets_in_years.push(key);
        }
        let checked = checked.map(|(e, t)| {
            let unit = self.display_unit(&value.node).filter(|u| Ty::Num(u.dim()) == t);
            let unit = match (&t, unit) {
                (Ty::Num(d), None) if *d == Dim::TIME => Some(crate::units::Unit::days()),
                (Ty::Num(d), None) if !d.is_none() => Some(crate::units::Unit::base(*d)),
                (_, unit) => unit,
            };
            self.let_defs.push(LetDef { name: name.to_string(), unit, unverified: unverified.is_some() });
            (Expr::Let(self.let_defs.len() - 1, Box::new(e)), t)
        });
        let state = match &checked {
            Some((e, t)) => LetState::Done(e.clone(), t.clone(), used, terms(e)),
            None => LetState::Failed,
        };
        self.set_let(name, state);
        checked
    }

    /// Counts the `terms` a use of `let` `name` adds; past
    /// [`Limits::max_let_terms`] an error (the first time) and `false`.
    fn count_let_terms(&mut self, name: &str, terms: usize, span: Span) -> bool {
        let over = self.let_terms > self.max_let_terms;
        self.let_terms = self.let_terms.saturating_add(terms);
        if self.let_terms <= self.max_let_terms {
            return true;
        }
        if !over {
            let message = format!(
                "the `let`s written out where they are used come to more than the limit of {} terms, here at `{name}`",
                self.max_let_terms
            );
            let help = "a `let` that uses another several times repeats it each time: use fewer `let`s in one another";
            self.error_help(ErrorKind::TooMany, message, span, help);
        }
        false
    }

    /// Moves a `let` on to its next state (it is in `lets` already).
    fn set_let(&mut self, name: &str, state: LetState<'a>) {
        if let Some(slot) = self.lets.get_mut(name) {
            *slot = state;
        }
    }

    // ─── The rulebook ──────────────────────────────────────────────────────

    fn rulebook(&mut self, book: &ast::Rulebook<'a>) -> Program {
        let effective = book.effective.as_ref().and_then(|e| self.date(e.node, e.span));
        let mut areas = Vec::with_capacity(book.areas.len());
        let mut clauses = Vec::with_capacity(book.areas.iter().map(|a| a.clauses.len()).sum());
        for area in &book.areas {
            if let Some(first) = earlier(book.areas.iter().map(|a| &a.id), &area.id) {
                self.duplicate(format!("area `{}` is defined twice", area.id.node), area.id.span, Some(first));
            }
            for clause in &area.clauses {
                let index = self.clause_ids.len();
                if self.clause_ids.contains_key(clause.id.node) {
                    let first = earlier(book.areas.iter().flat_map(|a| &a.clauses).map(|c| &c.id), &clause.id);
                    self.duplicate(format!("clause `{}` is defined twice", clause.id.node), clause.id.span, first);
                } else {
                    self.clause_ids.insert(clause.id.node, (index, clause.veto));
                }
            }
        }
        // The points of every clause whose points are valid, whether or not
        // the rest of it checks: a clause with a unit error still has its
        // points, and the scale check should not wait for that fix.
        let mut total = Some(Num::ZERO);
        for area in &book.areas {
            let start = clauses.len();
            for clause in &area.clauses {
                let Some(points) = self.positive(&clause.points, "points") else {
                    total = None;
                    continue;
                };
                total = total.and_then(|t| t.checked_add(points));
                if let Some(def) = self.clause(clause, points) {
                    clauses.push(def);
                }
            }
            areas.push(AreaDef {
                id: area.id.node.to_string(),
                labels: labels(&area.title),
                clauses: start..clauses.len(),
            });
        }
        let scoring = self.scoring(book, total);
        Program {
            id: book.id.node.to_string(),
            labels: labels(&book.title),
            version: book.version.as_ref().map(|v| v.node.to_string()),
            effective,
            refs: book.refs.iter().map(|r| r.node.to_string()).collect(),
            modules: book.uses.iter().map(|u| u.node.to_string()).collect(),
            fact_slots: self.facts.iter().enumerate().map(|(i, f)| (f.name.clone(), i)).collect(),
            facts: std::mem::take(&mut self.facts),
            enums: std::mem::take(&mut self.enums),
            tables: std::mem::take(&mut self.tables),
            constants: std::mem::take(&mut self.constants),
            lets: std::mem::take(&mut self.let_defs),
            areas,
            clauses,
            scoring,
            warnings: Vec::new(),
            past_dates: std::mem::take(&mut self.past_dates).into_iter().collect(),
        }
    }

    fn clause(&mut self, clause: &ast::Clause, points: Num) -> Option<ClauseDef> {
        if clause.require.is_empty() {
            self.error_help(
                ErrorKind::Scoring,
                format!("clause `{}` has no `require`", clause.id.node),
                clause.id.span,
                "add `require …` with the condition the clause checks",
            );
        }
        self.unverified.clear();
        // The `when`s guard what follows them, the `require`s the later
        // `require`s but not the `partial`s, which run when one fails.
        let outside = self.narrowings.len();
        let when = self.conditions(&clause.when);
        let after_when = self.narrowings.len();
        let require = self.conditions(&clause.require);
        self.narrowings.truncate(after_when);
        let mut partials = Vec::new();
        for p in &clause.partials {
            let fraction = self.fraction(&p.fraction);
            let cond = self.condition(&p.condition);
            if let (Some(f), Some(c)) = (fraction, cond) {
                partials.push((f, c));
            }
        }
        self.narrowings.truncate(outside);
        let mut unverified = std::mem::take(&mut self.unverified);
        unverified.sort();
        unverified.dedup();
        let fix = match &clause.fix {
            Some(f) => {
                let days = self.whole_days(&f.within_days)?;
                Some((labels(&f.action), days))
            }
            None => None,
        };
        let mut def = ClauseDef {
            id: clause.id.node.to_string(),
            labels: labels(&clause.title),
            points,
            veto: clause.veto,
            refs: clause.refs.iter().map(|r| r.node.to_string()).collect(),
            evidence: clause.evidence.iter().map(labels).collect(),
            when: when?,
            require: require?,
            partials,
            fix,
            unverified,
            reads: Vec::new(),
        };
        def.reads = facts_read(&def);
        Some(def)
    }

    /// Checks a clause's `when`s or `require`s, each under those before
    /// it, which evaluation stops at when one fails; what they say stays
    /// in `narrowings` for the caller to drop.
    fn conditions(&mut self, list: &[Spanned<ast::Expr>]) -> Option<Vec<Cond>> {
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for e in list {
            match self.condition(e) {
                Some(c) => {
                    self.narrow(&c.expr, true);
                    out.push(c);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn condition(&mut self, e: &Spanned<ast::Expr>) -> Option<Cond> {
        let expr = self.bool_expr(e)?;
        Some(Cond { expr, text: spanned_expr_text(e) })
    }

    fn bool_expr(&mut self, e: &Spanned<ast::Expr>) -> Option<Expr> {
        let too_deep = self.root_too_deep(e);
        let (expr, ty) = self.expr(e, None)?;
        if ty != Ty::Bool {
            let found = self.describe(&ty);
            self.error(ErrorKind::Type, format!("a condition must be true or false, but this is {found}"), e.span);
            return None;
        }
        (!too_deep).then_some(expr)
    }

    fn number(&mut self, text: &Spanned<&str>) -> Option<Num> {
        let n = Num::parse(text.node);
        if n.is_none() {
            self.error(
                ErrorKind::Literal,
                format!("`{}` is not a number that can be held exactly", text.node),
                text.span,
            );
        }
        n
    }

    fn positive(&mut self, text: &Spanned<&str>, what: &str) -> Option<Num> {
        let n = self.number(text)?;
        if n.is_zero() || n.is_negative() {
            self.error(ErrorKind::Scoring, format!("{what} must be more than zero, not `{}`", text.node), text.span);
            return None;
        }
        Some(n)
    }

    fn fraction(&mut self, text: &Spanned<&str>) -> Option<Num> {
        let n = self.number(text)?;
        if n.is_zero() || n.is_negative() || n >= Num::ONE {
            self.error_help(
                ErrorKind::Scoring,
                format!("partial credit `{}` is not between 0 and 1", text.node),
                text.span,
                "write the share of the points earned, such as `partial 0.5 when …`",
            );
            return None;
        }
        Some(n)
    }

    fn whole_days(&mut self, text: &Spanned<&str>) -> Option<u32> {
        let n = self.number(text)?;
        match n.trunc_i64().and_then(|d| u32::try_from(d).ok()) {
            Some(d) if n.is_integer() && d <= 36_500 => Some(d),
            _ => {
                self.error(ErrorKind::Literal, format!("`{}` is not a whole number of days", text.node), text.span);
                None
            }
        }
    }

    // ─── Scoring ───────────────────────────────────────────────────────────

    /// `total` is the clauses' points, `None` when some clause's points are
    /// not valid (an error already says so).
    fn scoring(&mut self, book: &ast::Rulebook, total: Option<Num>) -> ScoringDef {
        let has_clauses = book.areas.iter().any(|a| !a.clauses.is_empty());
        let Some(s) = &book.scoring else {
            self.error_help(
                ErrorKind::Scoring,
                format!("rulebook `{}` has no `scoring` block", book.id.node),
                book.id.span,
                "add `scoring { scale 100 … }` with grades and verdicts",
            );
            return ScoringDef {
                scale: total.unwrap_or(Num::ZERO),
                not_applicable: ast::NaPolicy::Rescale,
                grades: Vec::new(),
                verdicts: Vec::new(),
                deductions: Vec::new(),
            };
        };
        let scale = match &s.scale {
            Some(text) => self.positive(text, "scale"),
            None => Some(Num::int(100)),
        };
        if let (Some(scale), Some(total)) = (scale, total)
            && scale != total
            && has_clauses
        {
            let span = s.scale.as_ref().map_or(s.span, |x| x.span);
            self.error_help(
                ErrorKind::Scoring,
                format!("clause points add up to {total}, but the scale is {scale}"),
                span,
                "change the points or the scale so they agree",
            );
        }
        self.in_outcome = true;
        self.score_scale = scale;
        let grades = self.outcomes(&s.grades, "grade", s.span);
        let verdicts = self.outcomes(&s.verdicts, "verdict", s.span);
        self.in_outcome = false;
        self.score_scale = None;
        let deductions = self.deductions(&s.deductions);
        ScoringDef {
            // With an error above, the program is never run.
            scale: scale.or(total).unwrap_or(Num::ZERO),
            not_applicable: s.not_applicable.as_ref().map_or(ast::NaPolicy::Rescale, |n| n.node),
            grades,
            verdicts,
            deductions,
        }
    }

    fn outcomes(&mut self, list: &[ast::Outcome], what: &str, block: Span) -> Vec<OutcomeDef> {
        let mut out = Vec::new();
        for (i, o) in list.iter().enumerate() {
            if let Some(first) = earlier(list.iter().map(|o| &o.id), &o.id) {
                self.duplicate(format!("{what} `{}` is defined twice", o.id.node), o.id.span, Some(first));
            }
            let last = i + 1 == list.len();
            if o.condition.is_none() && !last {
                self.error(
                    ErrorKind::Scoring,
                    format!(
                        "{what} `{}` says `otherwise` but is not the last {what}; the ones after it can never apply",
                        o.id.node
                    ),
                    o.span,
                );
            }
            if o.condition.is_some() && last {
                self.error_help(
                    ErrorKind::Scoring,
                    format!("the last {what} `{}` has a condition, so some audits would get no {what}", o.id.node),
                    o.span,
                    format!("end the {what}s with one that says `otherwise`"),
                );
            }
            // The title first: an error in the condition must not hide its own.
            let labels = match &o.title {
                Some(title) => labels(title),
                None => self.default_labels(o, what),
            };
            let condition = match &o.condition {
                Some(c) => match self.bool_expr(c) {
                    Some(e) => Some(e),
                    None => continue,
                },
                None => None,
            };
            out.push(OutcomeDef { id: o.id.node.to_string(), labels, condition });
        }
        if list.is_empty() {
            self.error_help(
                ErrorKind::Scoring,
                format!("the scoring block has no {what}s"),
                block,
                format!("add at least `{what} NAME \"…\" otherwise`"),
            );
        }
        out
    }

    /// The titles of a grade or verdict written without any: the three
    /// verdicts of the ban / rectify / standardize scheme have their own.
    fn default_labels(&mut self, o: &ast::Outcome, what: &str) -> Labels {
        let default = match o.id.node {
            "ban" => Some(("取缔", "ban")),
            "rectify" => Some(("整治", "rectify")),
            "standardize" => Some(("规范", "standardize")),
            _ => None,
        };
        match default {
            Some((zh, en)) if what == "verdict" => Labels { zh: zh.to_string(), en: en.to_string() },
            _ => {
                self.error_help(
                    ErrorKind::Scoring,
                    format!("{what} `{}` has no title", o.id.node),
                    o.id.span,
                    format!(
                        "write its title after the id, as in `{what} {} \"…\" en \"…\"`; only the verdicts `ban`, `rectify` and `standardize` have default titles",
                        o.id.node
                    ),
                );
                Labels::default()
            }
        }
    }

    fn deductions(&mut self, list: &[ast::Deduction]) -> Vec<DeductionDef> {
        let mut out = Vec::new();
        for d in list {
            if let Some(first) = earlier(list.iter().map(|d| &d.id), &d.id) {
                self.duplicate(format!("deduction `{}` is defined twice", d.id.node), d.id.span, Some(first));
            }
            let points = self.positive(&d.points, "a deduction");
            let max = d.max.as_ref().and_then(|m| self.positive(m, "a deduction's `max`"));
            let (basis, text) = match &d.basis {
                ast::DeductionBasis::Per(e) => {
                    let too_deep = self.root_too_deep(e);
                    let Some((expr, ty)) = self.expr(e, None) else {
                        continue;
                    };
                    if ty != Ty::Num(Dim::NONE) {
                        let found = self.describe(&ty);
                        self.error(
                            ErrorKind::Type,
                            format!("`per` counts events and needs a number, but this is {found}"),
                            e.span,
                        );
                        continue;
                    }
                    if too_deep {
                        continue;
                    }
                    (Basis::Per(expr), spanned_expr_text(e))
                }
                ast::DeductionBasis::When(e) => {
                    let Some(expr) = self.bool_expr(e) else {
                        continue;
                    };
                    (Basis::When(expr), spanned_expr_text(e))
                }
            };
            let Some(points) = points else { continue };
            out.push(DeductionDef {
                id: d.id.node.to_string(),
                labels: labels(&d.title),
                points,
                basis,
                basis_text: text,
                max,
            });
        }
        out
    }

    fn describe(&self, ty: &Ty) -> String {
        ty.describe(&self.enums, None)
    }
}

fn labels(title: &ast::Title) -> Labels {
    Labels { zh: title.zh.node.to_string(), en: title.en.as_ref().map(|e| e.node.to_string()).unwrap_or_default() }
}

fn builtin_facts() -> Vec<FactDef> {
    let fact = |name: &str, ty: Ty, zh: &str, en: &str| FactDef {
        name: name.to_string(),
        ty,
        unit: None,
        shown_in: None,
        labels: Labels { zh: zh.to_string(), en: en.to_string() },
        help: None,
        builtin: true,
        bounds: FactBounds::default(),
    };
    // INVARIANT: the order matches the slot constants in `ir`.
    vec![
        fact("audit.date", Ty::Date, "审核日期", "audit date"),
        fact("audit.id", Ty::Text, "审核编号", "audit id"),
        fact("enterprise.id", Ty::Text, "企业编号", "enterprise id"),
        fact("enterprise.name", Ty::Text, "企业名称", "enterprise name"),
    ]
}

/// Where the first of `names` spelt as `name` is, when that is not `name`
/// itself: an earlier definition of the same id.
fn earlier<'n, 's: 'n>(names: impl IntoIterator<Item = &'n ast::Name<'s>>, name: &ast::Name) -> Option<Span> {
    names.into_iter().find(|n| n.node == name.node).map(|n| n.span).filter(|first| *first != name.span)
}

/// `1 key`, `2 keys`: how many keys a table takes or a row has.
fn keys(n: usize) -> String {
    if n == 1 { "1 key".to_string() } else { format!("{n} keys") }
}

//! An audit's facts bound to a rulebook's fact slots: its `audit` and
//! `facts` parts walked once, each value counted against the size limits
//! and converted for its fact, with the warnings (or, in strict mode, the
//! errors) for what the rulebook does not declare.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use super::AuditInput;
use super::convert::{Noticed, convert_unbounded, convert_within, expected, fact_error, volume_basis_warning};
use super::size::long_text;
use crate::error::{Error, ErrorKind, Errors, FactProblem};
use crate::ir::*;
use crate::limits::Limits;
use crate::num::Num;
use crate::units::Unit;

/// An audit's facts bound to a rulebook's slots.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub values: Vec<Option<Value>>,
    /// Enterprise fields beyond id and name, kept for the report.
    pub enterprise: BTreeMap<String, String>,
    /// What binding noticed: about the audit's top-level keys, its `audit`
    /// and then its `facts`, each part in the order of its texts.
    pub warnings: Vec<Warning>,
    /// Where the warnings about the `facts` part start.
    pub facts_part: usize,
}

impl Bound {
    /// Every fact unknown, nothing noticed.
    pub(crate) fn unknown(slots: usize) -> Bound {
        Bound { values: vec![None; slots], enterprise: BTreeMap::new(), warnings: Vec::new(), facts_part: 0 }
    }

    /// Replaces what was noticed about the value in `slot` with `warning`,
    /// placed where binding a whole audit would have placed it.
    pub(crate) fn replace_warning(&mut self, slot: usize, warning: Option<&Labels>) {
        self.warnings.retain(|w| w.about != About::Value(slot));
        if let Some(labels) = warning {
            let part = self.warnings.get(self.facts_part..).unwrap_or_default();
            let at = part.iter().position(|w| w.about == About::Count || w.labels.en > labels.en);
            let at = self.facts_part + at.unwrap_or(part.len());
            self.warnings.insert(at, Warning { labels: labels.clone(), about: About::Value(slot) });
        }
    }
}

/// Binds `input` to the program's fact slots. In strict mode an undeclared
/// fact is an error; otherwise a warning.
///
/// Binding counts the values it walks (every value once) and measures
/// every text and key, so an audit over `limits` gets the same error as
/// [`AuditInput::check_size`] gives it, without a walk of its own: binding
/// stops once a limit is passed and lets `check_size` name the first.
pub(crate) fn bind(program: &Program, input: &AuditInput, strict: bool, limits: &Limits) -> Result<Bound, Errors> {
    let mut binder = Binder {
        program,
        values: vec![None; program.facts.len()],
        given: vec![false; program.facts.len()],
        errors: Vec::new(),
        warnings: Vec::new(),
        strict,
        size: Size::default(),
        last_slot: None,
        hints: 0,
        undeclared: HashSet::new(),
        limits,
    };
    let AuditInput::Map(top) = input else {
        input.check_size(limits)?;
        return Err(Error::audit_not_an_object(input.brief_in()).into());
    };
    // The audit and its values are counted here, what the facts object
    // holds as it is bound.
    let facts = input.get("facts").filter(|f| matches!(f, AuditInput::Map(_)));
    binder.size.values += 1 + top.len();
    binder.size.container(0);
    for (key, value) in top {
        binder.size.key(key);
        if !facts.is_some_and(|f| std::ptr::eq(f, value)) {
            binder.size.contents(value, 1);
        }
    }
    if binder.size.exceeds(limits) {
        return Err(too_large(input, limits));
    }
    for (key, _) in top {
        if key != "audit" && key != "facts" && key != "$schema" {
            let hint = binder.misplaced(key);
            let key = quoted_name(key);
            binder.undeclared_because(&format!("top-level key {key}"), &format!("顶层键 {key}"), hint, None);
        }
    }
    binder.sort_warnings(0);
    let audit_warnings = binder.warnings.len();
    let mut enterprise = BTreeMap::new();
    match input.get("audit") {
        Some(meta @ AuditInput::Map(entries)) => {
            for (key, value) in entries {
                match key.as_str() {
                    "date" => binder.set(AUDIT_DATE, "audit.date", value),
                    "id" => binder.set(AUDIT_ID, "audit.id", &stringify(value)),
                    "enterprise" => enterprise = binder.enterprise(value),
                    other => {
                        let other = code_span(&format!("audit.{}", brief_name(other)));
                        binder.unknown(&other, &other);
                    }
                }
            }
            let _ = meta;
        }
        Some(AuditInput::Null) | None => {}
        Some(other) => {
            let expected = Labels::new("an object with id, date and enterprise", "含 id、date 与 enterprise 的对象");
            binder.errors.push(Error::fact_in(ErrorKind::Audit, "audit", expected, other.brief_in()))
        }
    }
    binder.sort_warnings(audit_warnings);
    let fact_warnings = binder.warnings.len();
    match input.get("facts") {
        Some(facts @ AuditInput::Map(_)) => binder.facts(&mut String::with_capacity(64), facts, 1),
        Some(AuditInput::Null) | None => {}
        Some(other) => {
            let expected = Labels::new("an object of fact values", "由各数据项的值组成的对象");
            binder.errors.push(Error::fact_in(ErrorKind::Audit, "facts", expected, other.brief_in()))
        }
    }
    binder.sort_warnings(fact_warnings);
    if binder.size.exceeds(limits) {
        return Err(too_large(input, limits));
    }
    if binder.errors.is_empty() {
        Ok(Bound { values: binder.values, enterprise, warnings: binder.warnings, facts_part: fact_warnings })
    } else {
        Err(Errors::new(binder.errors))
    }
}

/// The error [`AuditInput::check_size`] gives an audit that binding found
/// over a limit.
fn too_large(input: &AuditInput, limits: &Limits) -> Errors {
    match input.check_size(limits) {
        Err(error) => error.into(),
        // Not reached: binding counts a part of what check_size counts.
        Ok(()) => {
            Error::new(ErrorKind::AuditTooLarge, "the audit is larger than the limits").with_zh("审核超出上限").into()
        }
    }
}

/// What binding has counted of an audit, for the size limits: values, the
/// longest text or key, and how deep objects and lists nest. A list or
/// object counts the values it holds (so the audit itself is counted
/// apart, by [`bind`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Size {
    values: usize,
    longest: usize,
    /// The most objects and lists any value lies within, itself included:
    /// an audit built or deserialised by its caller, not read by
    /// [`AuditInput::from_json`], has not had its depth checked yet.
    nested: usize,
}

impl Size {
    /// Notes an object or list with `depth` objects and lists around it.
    fn container(&mut self, depth: usize) {
        self.nested = self.nested.max(depth + 1);
    }

    /// Measures a text or a key.
    fn key(&mut self, text: &str) {
        self.longest = self.longest.max(text.len());
    }

    /// Measures `value`, with `depth` objects and lists around it, if it
    /// is a text, and counts and measures every value in it if it is a
    /// list or an object.
    #[inline]
    fn contents(&mut self, value: &AuditInput, depth: usize) {
        match value {
            AuditInput::Text(s) => self.key(s),
            AuditInput::List(_) | AuditInput::Map(_) => self.tree(value, depth),
            AuditInput::Null | AuditInput::Bool(_) | AuditInput::Number(_) => {}
        }
    }

    /// [`Size::contents`] of a list or an object.
    fn tree(&mut self, value: &AuditInput, depth: usize) {
        let mut stack = vec![(value, depth)];
        while let Some((v, depth)) = stack.pop() {
            match v {
                AuditInput::Text(s) => self.key(s),
                AuditInput::List(items) => {
                    self.container(depth);
                    self.values += items.len();
                    stack.extend(items.iter().map(|item| (item, depth + 1)));
                }
                AuditInput::Map(entries) => {
                    self.container(depth);
                    self.values += entries.len();
                    for (k, v) in entries {
                        self.key(k);
                        stack.push((v, depth + 1));
                    }
                }
                AuditInput::Null | AuditInput::Bool(_) | AuditInput::Number(_) => {}
            }
        }
    }

    /// Whether what was counted is over a limit (and so the whole audit is).
    fn exceeds(&self, limits: &Limits) -> bool {
        self.values > limits.max_audit_values
            || self.longest > limits.max_string_bytes
            || self.nested > limits.max_depth
    }
}

/// Converts one value for the fact in `slot`, for callers that hold audits
/// as columns: each distinct value is converted once, then set on many
/// [`Bound`]s. A value over `limits` gets the error
/// [`AuditInput::check_size`] gives it, counted as [`bind`] counts.
pub(crate) fn bind_value(
    program: &Program,
    slot: usize,
    input: &AuditInput,
    limits: &Limits,
) -> Result<(Option<Value>, Option<Labels>), Errors> {
    let Some(fact) = program.facts.get(slot) else {
        return Err(no_slot(program, slot).into());
    };
    // The value is measured on its own, as `check_size` of it would be.
    let mut size = Size { values: 1, ..Size::default() };
    size.contents(input, 0);
    if size.exceeds(limits) {
        return Err(match input {
            // As a whole audit holding it would say.
            AuditInput::Text(long) if long.len() > limits.max_string_bytes => {
                long_text(&fact.name, long, limits.max_string_bytes).into()
            }
            _ => too_large(input, limits),
        });
    }
    let input = if slot == AUDIT_ID || slot == ENTERPRISE_ID { stringify(input) } else { Cow::Borrowed(input) };
    let mut noticed = Noticed::default();
    let value = convert_within(program, fact, &input, &mut noticed)
        .map_err(|problem| Errors::from(fact_error(program, fact, &fact.name, *problem)))?;
    let warning = noticed.other_volume_basis.then(|| volume_basis_warning(fact, &fact.name, &input));
    Ok((value, warning))
}

/// Whether a column of numbers in `unit` can give the fact in `slot` its
/// values (its items, for a list): see [`Rulebook::column_unit`].
///
/// [`Rulebook::column_unit`]: crate::Rulebook::column_unit
pub(crate) fn column_unit(program: &Program, slot: usize, unit: &str) -> Result<(), Error> {
    let Some(fact) = program.facts.get(slot) else {
        return Err(no_slot(program, slot));
    };
    let expected = expected(program, fact);
    let refused = |message: Labels, given: String, help: Option<Labels>| {
        let problem = FactProblem { fact: fact.name.clone(), expected: expected.en.clone(), given };
        Error::new_in(ErrorKind::Unit, message)
            .with_help_in(help)
            .with_fact(Some(problem))
            .with_expected_zh(expected.zh.clone())
    };
    let parsed = match Unit::parse_or_why(unit) {
        Ok(parsed) => parsed,
        Err(why) => {
            let message = Labels::new(format!("`{unit}` is not a unit"), format!("`{unit}` 不是单位"));
            return Err(refused(message, format!("`{unit}`, which is not a unit"), Some(why.labels())));
        }
    };
    // One number in the unit, as the column gives it to each row: its
    // bounds are the rows' to meet (`1 cm` is below `min 15 m`, `2 cm` need
    // not be).
    let number = AuditInput::Map(vec![
        ("value".to_string(), AuditInput::Number(Ok(Num::ONE))),
        ("unit".to_string(), AuditInput::Text(unit.to_string())),
    ]);
    let probe = if matches!(fact.ty, Ty::List(_)) { AuditInput::List(vec![number]) } else { number };
    if convert_unbounded(program, fact, &probe, &mut Noticed::default()).is_ok() {
        return Ok(());
    }
    let given = Labels::new(
        format!("numbers in `{unit}` ({})", parsed.dim().describe_in_brackets()),
        format!("以 `{unit}` 计的数值（{}）", parsed.dim().describe_in_brackets_zh()),
    );
    let message = Labels::new(
        format!("{} do not fit, but the fact expects {}", given.en, expected.en),
        format!("{}不符，该数据项应为{}", given.zh, expected.zh),
    );
    Err(refused(message, given.en, None))
}

/// The error for a slot the rulebook does not have: a caller's mistake.
#[cold]
pub(crate) fn no_slot(program: &Program, slot: usize) -> Error {
    Error::new(ErrorKind::Audit, format!("rulebook `{}` has no fact slot {slot}", program.id))
}

/// Audit ids may be given as numbers.
fn stringify(value: &AuditInput) -> Cow<'_, AuditInput> {
    match value {
        AuditInput::Number(Ok(n)) => Cow::Owned(AuditInput::Text(n.to_string())),
        other => Cow::Borrowed(other),
    }
}

struct Binder<'a> {
    program: &'a Program,
    values: Vec<Option<Value>>,
    /// Whether the audit gave each slot a value (`null` too): a fact may be
    /// written flat or nested, but only once.
    given: Vec<bool>,
    errors: Vec<Error>,
    warnings: Vec<Warning>,
    strict: bool,
    /// The facts counted so far, against `limits`.
    size: Size,
    /// The slot of the fact last looked up by name.
    last_slot: Option<usize>,
    /// The undeclared facts a hint was looked for so far.
    hints: usize,
    /// The undeclared facts given so far: one given twice (flat and
    /// nested) is as ambiguous as a declared one.
    undeclared: HashSet<String>,
    limits: &'a Limits,
}

/// A warning from binding, and what it is about.
#[derive(Debug, Clone)]
pub(crate) struct Warning {
    pub labels: Labels,
    about: About,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    /// A name the rulebook does not declare (those are listed up to
    /// [`MAX_UNDECLARED_LISTED`]).
    Undeclared,
    /// How the value of the fact in this slot is written.
    Value(usize),
    /// How many more undeclared names there are.
    Count,
}

/// A name an audit gives, as a message quotes it: in a code span, its
/// first 60 characters and `…` when it is longer (a stray key of 60 KB
/// would make a warning as long, in every report).
fn quoted_name(name: &str) -> String {
    code_span(&brief_name(name))
}

fn brief_name(name: &str) -> Cow<'_, str> {
    match name.char_indices().nth(60) {
        Some((end, _)) => Cow::Owned(format!("{}…", name.get(..end).unwrap_or_default())),
        None => Cow::Borrowed(name),
    }
}

/// `text` in a code span whose fence is a run of backticks longer than
/// any in it, with a space inside when it starts or ends with one, as
/// CommonMark reads a code span: so a name like ``co`al`` cannot pair
/// with another span of the message in a Markdown report.
fn code_span(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Undeclared names listed in one part of an audit (its top-level keys,
/// `audit`, `facts`); the rest are counted in one more warning, so an audit
/// of many stray keys does not make a report many times its size.
const MAX_UNDECLARED_LISTED: usize = 100;

/// Undeclared facts a "did you mean" hint is looked for: an audit may hold many,
/// and each hint compares the name with every declared fact.
const MAX_HINTS: usize = 16;

impl<'a> Binder<'a> {
    /// `what` (and `what_zh`, in Chinese) given but not declared.
    fn unknown(&mut self, what: &str, what_zh: &str) {
        self.undeclared(what, what_zh, None);
    }

    /// [`Binder::unknown`] for a fact, with the declared fact it may
    /// have meant (`stack.heigth`: `stack.height`).
    fn unknown_fact(&mut self, name: &str, given: &AuditInput) {
        if !self.undeclared.insert(name.to_string()) {
            self.errors.push(given_twice(name));
            return;
        }
        let mut hint = None;
        if self.hints < MAX_HINTS {
            self.hints += 1;
            let declared = self.program.facts.iter().filter(|f| !f.builtin).map(|f| f.name.as_str());
            hint = crate::suggest::closest(name, declared);
        }
        // Refused in strict mode as a value of a fact is: by name.
        let problem = self.strict.then(|| FactProblem {
            fact: name.to_string(),
            expected: format!("a fact rulebook `{}` declares", self.program.id),
            given: given.brief_in().en,
        });
        let hint = hint.map(crate::suggest::meant);
        let name = quoted_name(name);
        self.undeclared_because(&format!("fact {name}"), &format!("数据项 {name}"), hint, problem);
    }

    fn undeclared(&mut self, what: &str, what_zh: &str, meant: Option<&str>) {
        self.undeclared_because(what, what_zh, meant.map(crate::suggest::meant), None);
    }

    /// Where a top-level key belongs, when it names a declared fact (or a
    /// group of them) or the audit's own id or date: a row of a table
    /// given as the audit, say, whose facts are then all unknown.
    fn misplaced(&self, key: &str) -> Option<Labels> {
        if matches!(key, "audit.id" | "audit.date" | "audit.enterprise") {
            let field = key.trim_start_matches("audit.");
            return Some(Labels {
                en: format!("the audit's own fields go under `audit`: {{\"audit\": {{\"{field}\": …}}}}"),
                zh: format!("审核本身的字段应写在 `audit` 之下：{{\"audit\": {{\"{field}\": …}}}}"),
            });
        }
        let is_fact = self
            .program
            .facts
            .iter()
            .filter(|f| !f.builtin)
            .any(|f| f.name.strip_prefix(key).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')));
        is_fact.then(|| Labels {
            en: format!("facts go under `facts`: {{\"facts\": {{\"{key}\": …}}}}"),
            zh: format!("数据项应写在 `facts` 之下：{{\"facts\": {{\"{key}\": …}}}}"),
        })
    }

    fn undeclared_because(&mut self, what: &str, what_zh: &str, hint: Option<Labels>, fact: Option<FactProblem>) {
        let id = &self.program.id;
        // Refused in strict mode, else left aside.
        let (aside, aside_zh) = if self.strict { ("", "") } else { (", and is ignored", "，已忽略") };
        let message = format!("{} is not declared by rulebook `{id}`{aside}", crate::error::visible(what));
        let zh = format!("{} 未在规则集 `{id}` 中声明{aside_zh}", crate::error::visible(what_zh));
        self.ignored(Labels { en: message, zh }, hint, fact);
    }

    /// Sorts the warnings from `start` on: those of one part of the audit
    /// (its top-level keys, `audit`, `facts`) come in one order whatever
    /// the order of its keys (a JSON object has none), so the same audit
    /// gives the same report.
    fn sort_warnings(&mut self, start: usize) {
        let Some(part) = self.warnings.get_mut(start..) else {
            return;
        };
        part.sort_unstable_by(|a, b| a.labels.en.cmp(&b.labels.en));
        let undeclared = part.iter().filter(|w| w.about == About::Undeclared).count();
        if undeclared <= MAX_UNDECLARED_LISTED {
            return;
        }
        let part = self.warnings.split_off(start);
        let mut listed = 0;
        for w in part {
            let is_undeclared = w.about == About::Undeclared;
            listed += usize::from(is_undeclared);
            if !is_undeclared || listed <= MAX_UNDECLARED_LISTED {
                self.warnings.push(w);
            }
        }
        let (id, more) = (&self.program.id, undeclared - MAX_UNDECLARED_LISTED);
        let labels = Labels {
            en: format!(
                "and {more} more names rulebook `{id}` does not declare (the first {MAX_UNDECLARED_LISTED} are listed)"
            ),
            zh: format!("另有 {more} 个名称未在规则集 `{id}` 中声明（仅列出前 {MAX_UNDECLARED_LISTED} 个）"),
        };
        self.warnings.push(Warning { labels, about: About::Count });
    }

    /// What the audit gives that scoring leaves aside: an error in strict
    /// mode (naming the fact it gives, if any), else a warning in the report.
    fn ignored(&mut self, message: Labels, hint: Option<Labels>, fact: Option<FactProblem>) {
        if self.strict {
            let error = Error::new(ErrorKind::Audit, message.en).with_zh(message.zh).with_help_in(hint);
            self.errors.push(error.with_fact(fact));
        } else {
            let labels = match hint {
                Some(h) => Labels { en: format!("{}; {}", message.en, h.en), zh: format!("{}；{}", message.zh, h.zh) },
                None => message,
            };
            self.warnings.push(Warning { labels, about: About::Undeclared });
        }
    }

    fn enterprise(&mut self, value: &AuditInput) -> BTreeMap<String, String> {
        let mut extra = BTreeMap::new();
        match value {
            AuditInput::Map(entries) => {
                for (key, v) in entries {
                    match key.as_str() {
                        "id" => self.set(ENTERPRISE_ID, "enterprise.id", &stringify(v)),
                        "name" => self.set(ENTERPRISE_NAME, "enterprise.name", v),
                        other => {
                            let shown = match v {
                                AuditInput::Text(s) => Some(s.clone()),
                                AuditInput::Number(Ok(n)) => Some(n.to_string()),
                                AuditInput::Bool(b) => Some(b.to_string()),
                                AuditInput::Null => None,
                                AuditInput::Number(Err(_)) | AuditInput::List(_) | AuditInput::Map(_) => {
                                    // Kept as text or not at all: said, not dropped unseen.
                                    let field = crate::error::visible(other);
                                    let given = v.brief_in();
                                    // Refused in strict mode, else left out.
                                    let (aside, aside_zh) =
                                        if self.strict { ("", "") } else { (": it is left out", "：已略去") };
                                    let message = Labels {
                                        en: format!(
                                            "enterprise field `{field}` is {}, not text, a number or yes/no{aside}",
                                            given.en
                                        ),
                                        zh: format!(
                                            "企业字段 `{field}` 为 {}，不是文本、数字或是/否{aside_zh}",
                                            given.zh
                                        ),
                                    };
                                    self.ignored(message, None, None);
                                    None
                                }
                            };
                            if let Some(shown) = shown {
                                extra.insert(other.to_string(), shown);
                            }
                        }
                    }
                }
            }
            AuditInput::Null => {}
            other => {
                let expected = Labels::new("an object with id and name", "含 id 与 name 的对象");
                self.errors.push(Error::fact_in(ErrorKind::Audit, "audit.enterprise", expected, other.brief_in()))
            }
        }
        extra
    }

    /// Binds the facts of `value`, an object with `depth` objects around
    /// it; `name` holds the dotted prefix of nested objects (`stack` for
    /// `{"stack": {"height": …}}`) and is restored on return. Stops when
    /// the audit is over a size limit.
    fn facts(&mut self, name: &mut String, value: &AuditInput, depth: usize) {
        let AuditInput::Map(entries) = value else {
            return;
        };
        self.size.container(depth);
        self.size.values += entries.len();
        let prefix = name.len();
        for (key, v) in entries {
            self.size.key(key);
            // At the top, a key is the whole name: it is not copied.
            let full = if prefix == 0 {
                key.as_str()
            } else {
                name.truncate(prefix);
                name.push('.');
                name.push_str(key);
                name.as_str()
            };
            let declared = self.slot_of(full).filter(|(_, fact)| !fact.builtin);
            if declared.is_none() && self.holds_facts(key, full, v) {
                if prefix == 0 {
                    name.clear();
                    name.push_str(key);
                }
                self.facts(name, v, depth + 1);
                continue;
            }
            self.size.contents(v, depth + 1);
            if self.size.exceeds(self.limits) {
                break;
            }
            match declared {
                Some((slot, fact)) => self.set_fact(slot, fact, full, v),
                None => self.unknown_fact(full, v),
            }
        }
        name.truncate(prefix);
    }

    /// Whether `v`, under `key` (`full` with the names above it) that is no
    /// fact's name, holds facts nested under that name. Not a quantity, nor
    /// under an empty key, nor `{}` under a name no declared fact starts
    /// with: those are an undeclared fact.
    fn holds_facts(&self, key: &str, full: &str, v: &AuditInput) -> bool {
        let AuditInput::Map(entries) = v else {
            return false;
        };
        let is_prefix = || {
            self.program
                .facts
                .iter()
                .any(|f| !f.builtin && f.name.strip_prefix(full).is_some_and(|rest| rest.starts_with('.')))
        };
        !key.is_empty() && !is_quantity_object(v) && (!entries.is_empty() || is_prefix())
    }

    /// The slot of the fact named `name`. Audits filled in from a form
    /// (or from the schema) give facts in the rulebook's order, so the
    /// slot after the last one found is tried first: fact names are
    /// unique, so a match there is the slot the name table holds.
    fn slot_of(&mut self, name: &str) -> Option<(usize, &'a FactDef)> {
        let program = self.program;
        let next = self.last_slot.map_or(0, |s| s + 1);
        let found = match program.facts.get(next) {
            Some(fact) if fact.name == name => Some((next, fact)),
            _ => program.fact_slots.get(name).and_then(|&slot| Some((slot, program.facts.get(slot)?))),
        };
        self.last_slot = found.map(|(slot, _)| slot).or(self.last_slot);
        found
    }

    fn set(&mut self, slot: usize, name: &str, input: &AuditInput) {
        if let Some(fact) = self.program.facts.get(slot) {
            self.set_fact(slot, fact, name, input);
        }
    }

    /// [`Binder::set`] of the fact `fact` in `slot`.
    fn set_fact(&mut self, slot: usize, fact: &FactDef, name: &str, input: &AuditInput) {
        let (Some(value), Some(given)) = (self.values.get_mut(slot), self.given.get_mut(slot)) else {
            return;
        };
        if std::mem::replace(given, true) {
            self.errors.push(given_twice(name));
            return;
        }
        // The commonest fact takes its value as given, written in place.
        if let (Ty::Bool, AuditInput::Bool(b)) = (&fact.ty, input) {
            *value = Some(Value::Bool(*b));
            return;
        }
        let mut noticed = Noticed::default();
        match convert_within(self.program, fact, input, &mut noticed) {
            Ok(converted) => {
                *value = converted;
                if noticed.other_volume_basis {
                    let labels = volume_basis_warning(fact, name, input);
                    self.warnings.push(Warning { labels, about: About::Value(slot) });
                }
            }
            Err(problem) => self.errors.push(fact_error(self.program, fact, name, *problem)),
        }
    }
}

/// The error for a fact the audit gives a second time, flat and nested
/// (`"stack.height"` and `"stack": {"height": …}`): which one counts would
/// depend on the order of the keys.
#[cold]
#[inline(never)]
fn given_twice(name: &str) -> Error {
    let name = quoted_name(name);
    let help = Labels::new(
        "give each fact once, either by its dotted name or nested under its prefix",
        "每个数据项只给一次：用带点的全名，或嵌套在其前缀之下",
    );
    Error::new(ErrorKind::Audit, format!("fact {name} is given twice"))
        .with_zh(format!("数据项 {name} 给出了两次"))
        .with_help_in(Some(help))
}

fn is_quantity_object(v: &AuditInput) -> bool {
    v.get("value").is_some() && v.get("unit").is_some()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::num::Num;

    const BOOK: &str = r#"
rulebook sizes "尺寸" {
  facts {
    stack.height: quantity m "高度"
    stack.open: bool "开"
    fuel: text "燃料"
    kinds: list enum { a "甲", b "乙" } "种类"
  }
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade fail "不合格" otherwise
    verdict done "完" otherwise
  }
  area A1 "区" {
    clause C1 "高" points 10 { require stack.height >= 15 m }
  }
}"#;

    fn program() -> Arc<Program> {
        match crate::Rulebook::compile("sizes.eco", BOOK) {
            Ok(book) => Arc::new(book.program().clone()),
            Err(e) => panic!("{e}"),
        }
    }

    /// Audit values of every shape, with keys that are facts, prefixes of
    /// facts, built-in sections and strangers.
    fn input() -> impl Strategy<Value = AuditInput> {
        let key = prop_oneof![
            Just("stack"),
            Just("height"),
            Just("stack.height"),
            Just("stack.open"),
            Just("open"),
            Just("fuel"),
            Just("kinds"),
            Just("facts"),
            Just("audit"),
            Just("enterprise"),
            Just("id"),
            Just("date"),
            Just("value"),
            Just("unit"),
            Just("a key longer than most"),
        ]
        .prop_map(str::to_string);
        let leaf = prop_oneof![
            Just(AuditInput::Null),
            any::<bool>().prop_map(AuditInput::Bool),
            (-50i64..50).prop_map(|n| AuditInput::Number(Ok(Num::int(n)))),
            prop_oneof![Just("12 m"), Just("a"), Just("2024-05-20"), Just("m"), Just("a rather long text value")]
                .prop_map(|s| AuditInput::Text(s.to_string())),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(AuditInput::List),
                proptest::collection::vec((key.clone(), inner), 0..6).prop_map(AuditInput::Map),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Binding holds an audit to its size limits (depth too) as `check_size` does:
        /// the same error when it is over one, else the binding it gets
        /// with no limits.
        #[test]
        fn binding_checks_size_as_check_size_does(
            facts in input(),
            audit in input(),
            extra in input(),
            max_audit_values in 1usize..40,
            max_string_bytes in 0usize..30,
            max_depth in 0usize..6,
            strict in any::<bool>(),
        ) {
            let program = program();
            let input = AuditInput::Map(vec![
                ("audit".to_string(), audit),
                ("facts".to_string(), facts),
                ("extra".to_string(), extra),
            ]);
            let limits = Limits { max_audit_values, max_string_bytes, max_depth, ..Limits::default() };
            let unlimited = Limits {
                max_audit_values: usize::MAX,
                max_string_bytes: usize::MAX,
                max_depth: usize::MAX,
                ..Limits::default()
            };
            let shown = |r: Result<Bound, Errors>| format!("{r:?}");
            let bound = shown(bind(&program, &input, strict, &limits));
            match input.check_size(&limits) {
                Err(e) => prop_assert_eq!(bound, format!("{:?}", Err::<Bound, Errors>(e.into()))),
                Ok(()) => prop_assert_eq!(bound, shown(bind(&program, &input, strict, &unlimited))),
            }
        }

        /// The same for an audit that is not an object, or whose facts are.
        #[test]
        fn any_shape_is_checked(
            input in input(),
            max_audit_values in 1usize..40,
            max_string_bytes in 0usize..30,
            max_depth in 0usize..6,
        ) {
            let program = program();
            let limits = Limits { max_audit_values, max_string_bytes, max_depth, ..Limits::default() };
            let bound = format!("{:?}", bind(&program, &input, false, &limits));
            if let Err(e) = input.check_size(&limits) {
                prop_assert_eq!(bound, format!("{:?}", Err::<Bound, Errors>(e.into())));
            }
        }
    }
}

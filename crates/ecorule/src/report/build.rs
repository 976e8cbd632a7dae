//! Building a [`Report`]: what is the same for every audit is prepared once
//! per rulebook ([`ReportBook`]); per audit, the explanations, values and
//! deadlines are written into one text buffer.

use std::sync::Arc;

use chrono::{Datelike, Duration};

use super::*;
use crate::audit::Bound;
use crate::eval::{Trace, TraceKey, Traces};
use crate::units::Unit;

/// What every report of one rulebook says the same way, made when the
/// rulebook is compiled and shared by its reports (a report read back from
/// JSON gets one of its own).
#[derive(Debug)]
pub(crate) struct ReportBook {
    pub(super) rulebook: RulebookRef,
    pub(super) areas: Vec<AreaBook>,
    /// Per clause, in rulebook order.
    pub(super) clauses: Vec<ClauseBook>,
    /// Grade ids and labels, in order.
    pub(super) grades: Vec<(String, Labels)>,
    /// Verdict ids and labels, in order.
    pub(super) verdicts: Vec<(String, Labels)>,
    pub(super) deductions: Vec<DeductionBook>,
    /// Fact names by slot.
    pub(super) facts: Vec<String>,
    /// Bytes a report's text usually needs beyond its values.
    text_hint: usize,
    /// Unverified values (by name) that clauses may read.
    unverified_groups: usize,
}

#[derive(Debug)]
pub(crate) struct AreaBook {
    pub(super) id: String,
    pub(super) labels: Labels,
    pub(super) clauses: std::ops::Range<usize>,
}

#[derive(Debug)]
pub(crate) struct ClauseBook {
    pub(super) id: String,
    pub(super) labels: Labels,
    pub(super) points: Num,
    pub(super) veto: bool,
    pub(super) refs: Vec<String>,
    pub(super) evidence: Vec<Labels>,
    pub(super) fix: Option<(Labels, u32)>,
    /// Points it puts in the denominator when not applicable (its points
    /// otherwise).
    counted_na: Num,
    /// Unverified constants and tables the clause may read: name, reason.
    pub(super) unverified: Vec<(String, Reason)>,
    words: ClauseText,
}

#[derive(Debug)]
pub(crate) struct DeductionBook {
    pub(super) id: String,
    pub(super) labels: Labels,
    pub(super) points: Num,
}

/// A clause's explanations up to the values they quote, made once from its
/// conditions and a [`Vocabulary`].
#[derive(Debug, Default)]
struct ClauseWords {
    /// "meets `a` and `b`"
    meets: String,
    /// "fails `a` and `b`"
    fails_all: String,
    /// "fails `a`", per `require`
    fails: Vec<String>,
    /// "; partial credit 0.5 for `c`", per `partial`
    partial: Vec<String>,
    /// "not applicable: `w` does not hold"
    not_applicable: String,
}

/// The fixed words of a clause's explanations, in English and in Chinese,
/// and what its unverified values are.
#[derive(Debug, Default)]
struct ClauseText {
    en: ClauseWords,
    zh: ClauseWords,
    /// Per entry of the clause's `unverified` list: the group it reports
    /// under, and what a trace entry must come from to count as a read.
    unverified: Vec<(u32, Vec<TraceSource>)>,
}

/// A constant, table or let, as a trace key names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TraceSource {
    Constant(usize),
    Table(usize),
    Let(usize),
}

impl TraceSource {
    fn of(key: &TraceKey) -> Option<TraceSource> {
        match key {
            TraceKey::Constant(i) => Some(TraceSource::Constant(*i)),
            TraceKey::Table(t, _) => Some(TraceSource::Table(*t)),
            TraceKey::Let(i) => Some(TraceSource::Let(*i)),
            TraceKey::Fact(_) => None,
        }
    }
}

/// `a` and `b`, each condition quoted.
fn quoted<'a>(out: &mut String, texts: impl Iterator<Item = &'a str>, sep: &str) {
    for (i, text) in texts.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push('`');
        out.push_str(text);
        out.push('`');
    }
}

fn conds(list: &[Cond]) -> impl Iterator<Item = &str> {
    list.iter().map(|c| c.text.as_str())
}

/// `prefix` then each condition quoted, in a string of the size it needs.
fn quoted_conds(prefix: &str, list: &[Cond], sep: &str, suffix: &str) -> String {
    let len = prefix.len() + suffix.len() + list.iter().map(|c| c.text.len() + 2 + sep.len()).sum::<usize>();
    let mut out = String::with_capacity(len);
    out.push_str(prefix);
    quoted(&mut out, conds(list), sep);
    out.push_str(suffix);
    out
}

/// The fixed words of explanations in one language.
struct Vocabulary {
    /// Before the conditions that hold: "meets ".
    meets: &'static str,
    /// Before the conditions that fail: "fails ".
    fails: &'static str,
    /// Between two conditions: " and ".
    and: &'static str,
    /// Partial credit: before its fraction, between it and the condition,
    /// after the condition.
    partial: [&'static str; 3],
    /// Partial credit whose `partial` is not known (not reached).
    no_partial: &'static str,
    /// A clause that does not apply: before and after its conditions.
    not_applicable: [&'static str; 2],
    /// An undecided clause that names no missing fact.
    undecided: &'static str,
    /// An undecided clause: before, between and after the missing facts.
    missing: [&'static str; 3],
    /// A clause decided although it read facts not given (it ends the same
    /// whatever they are): before, between and after those facts.
    regardless: [&'static str; 3],
}

const EN: Vocabulary = Vocabulary {
    meets: "meets ",
    fails: "fails ",
    and: " and ",
    partial: ["; partial credit ", " for `", "`"],
    no_partial: "; partial credit 0 for ``",
    not_applicable: ["not applicable: ", " does not hold"],
    undecided: "undecided",
    missing: ["undecided: ", ", ", " not given"],
    regardless: [" for any value of ", ", ", ""],
};

const ZH: Vocabulary = Vocabulary {
    meets: "满足 ",
    fails: "不满足 ",
    and: " 且 ",
    partial: ["；按分值的 ", " 计分，因满足 `", "`"],
    no_partial: "；按分值的 0 计分",
    not_applicable: ["不适用：", " 不成立"],
    undecided: "待定",
    missing: ["待定：未提供 ", "、", ""],
    regardless: ["，无论 ", "、", " 取何值"],
};

impl ClauseWords {
    fn new(def: &ClauseDef, v: &Vocabulary) -> ClauseWords {
        let [not_applicable, does_not_hold] = v.not_applicable;
        ClauseWords {
            meets: quoted_conds(v.meets, &def.require, v.and, ""),
            fails_all: quoted_conds(v.fails, &def.require, v.and, ""),
            fails: def.require.iter().map(|c| quoted_conds(v.fails, std::slice::from_ref(c), "", "")).collect(),
            partial: partials(def, v.partial),
            not_applicable: quoted_conds(not_applicable, &def.when, v.and, does_not_hold),
        }
    }

    fn longest(&self) -> usize {
        let fails = self.fails.iter().map(String::len).max().unwrap_or(0);
        let partial = self.partial.iter().map(String::len).max().unwrap_or(0);
        self.meets.len().max(self.fails_all.len()).max(fails + partial).max(self.not_applicable.len())
    }
}

/// Per `partial`: the words before its fraction, between it and its
/// condition, and after ([`Vocabulary::partial`]).
fn partials(def: &ClauseDef, [before, between, after]: [&str; 3]) -> Vec<String> {
    def.partials
        .iter()
        .map(|(fraction, cond)| {
            let mut s = String::with_capacity(before.len() + between.len() + after.len() + 8 + cond.text.len());
            s.push_str(before);
            fraction.write_decimal(&mut s);
            s.push_str(between);
            s.push_str(&cond.text);
            s.push_str(after);
            s
        })
        .collect()
}

impl ClauseText {
    fn new(program: &Program, def: &ClauseDef, groups: &mut Vec<String>) -> ClauseText {
        let unverified = def
            .unverified
            .iter()
            .map(|(name, _)| {
                let group = match groups.iter().position(|g| g == name) {
                    Some(g) => g,
                    None => {
                        groups.push(name.clone());
                        groups.len() - 1
                    }
                };
                let constants = program.constants.iter().enumerate().filter(|(_, c)| &c.name == name);
                let tables = program.tables.iter().enumerate().filter(|(_, t)| &t.name == name);
                let lets = program.lets.iter().enumerate().filter(|(_, l)| &l.name == name);
                let sources = constants
                    .map(|(i, _)| TraceSource::Constant(i))
                    .chain(tables.map(|(i, _)| TraceSource::Table(i)))
                    .chain(lets.map(|(i, _)| TraceSource::Let(i)))
                    .collect();
                (u32::try_from(group).unwrap_or(u32::MAX), sources)
            })
            .collect();
        ClauseText { en: ClauseWords::new(def, &EN), zh: ClauseWords::new(def, &ZH), unverified }
    }

    fn longest(&self) -> usize {
        self.en.longest() + self.zh.longest()
    }
}

impl ClauseBook {
    fn new(program: &Program, def: &ClauseDef, groups: &mut Vec<String>) -> ClauseBook {
        ClauseBook {
            id: def.id.clone(),
            labels: def.labels.clone(),
            points: def.points,
            veto: def.veto,
            refs: def.refs.clone(),
            evidence: def.evidence.clone(),
            fix: def.fix.clone(),
            counted_na: crate::eval::option(def, Outcome::NotApplicable, program.scoring.not_applicable)
                .map_or(Num::ZERO, |(_, counted)| counted),
            unverified: def.unverified.clone(),
            words: ClauseText::new(program, def, groups),
        }
    }

    /// A clause read back from a report, which is never written again.
    pub(super) fn read(
        id: String,
        labels: Labels,
        points: Num,
        veto: bool,
        refs: Vec<String>,
        evidence: Vec<Labels>,
        fix: Option<(Labels, u32)>,
    ) -> ClauseBook {
        ClauseBook {
            id,
            labels,
            points,
            veto,
            refs,
            evidence,
            fix,
            counted_na: Num::ZERO,
            unverified: Vec::new(),
            words: ClauseText::default(),
        }
    }
}

impl ReportBook {
    pub(crate) fn new(program: &Program, rulebook: RulebookRef) -> ReportBook {
        let mut groups = Vec::new();
        let clauses: Vec<ClauseBook> =
            program.clauses.iter().map(|c| ClauseBook::new(program, c, &mut groups)).collect();
        let text_hint = clauses.iter().map(|c| c.words.longest()).sum::<usize>() + 16 * clauses.len();
        let outcomes = |list: &[OutcomeDef]| list.iter().map(|o| (o.id.clone(), o.labels.clone())).collect();
        ReportBook {
            rulebook,
            areas: program
                .areas
                .iter()
                .map(|a| AreaBook { id: a.id.clone(), labels: a.labels.clone(), clauses: a.clauses.clone() })
                .collect(),
            clauses,
            grades: outcomes(&program.scoring.grades),
            verdicts: outcomes(&program.scoring.verdicts),
            deductions: program
                .scoring
                .deductions
                .iter()
                .map(|d| DeductionBook { id: d.id.clone(), labels: d.labels.clone(), points: d.points })
                .collect(),
            facts: program.facts.iter().map(|f| f.name.clone()).collect(),
            text_hint,
            unverified_groups: groups.len(),
        }
    }

    /// A book for a report read back from JSON.
    pub(super) fn read(
        rulebook: RulebookRef,
        areas: Vec<AreaBook>,
        clauses: Vec<ClauseBook>,
        grades: Vec<(String, Labels)>,
        verdicts: Vec<(String, Labels)>,
        deductions: Vec<DeductionBook>,
        facts: Vec<String>,
    ) -> ReportBook {
        ReportBook { rulebook, areas, clauses, grades, verdicts, deductions, facts, text_hint: 0, unverified_groups: 0 }
    }

    pub(crate) fn rulebook(&self) -> &RulebookRef {
        &self.rulebook
    }
}

pub(super) fn span(start: usize, end: usize) -> Span {
    // INVARIANT: a report's text is far below 4 GiB (audit and work
    // limits); a span that did not fit would read as empty, not panic.
    let cut = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Span { start: cut(start), end: cut(end) }
}

pub(super) fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Writes the name a trace entry is shown by (`stack.height`,
/// `gb14554.ammonia_rate(25 m)`) and returns the unit of its value.
fn write_name<'p>(out: &mut String, program: &'p Program, traces: &Traces, key: TraceKey) -> Option<&'p Unit> {
    match key {
        TraceKey::Fact(slot) => program.facts.get(slot).and_then(|f| {
            out.push_str(&f.name);
            f.shown_in.as_ref()
        }),
        TraceKey::Constant(i) => program.constants.get(i).and_then(|c| {
            out.push_str(&c.name);
            c.unit.as_ref()
        }),
        TraceKey::Let(i) => program.lets.get(i).and_then(|l| {
            out.push_str(&l.name);
            l.unit.as_ref()
        }),
        TraceKey::Table(t, keys) => program.tables.get(t).and_then(|table| {
            out.push_str(&table.name);
            out.push('(');
            for (i, (k, u)) in traces.keys(keys).iter().zip(&table.key_units).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                k.write(out, u.as_ref());
            }
            out.push(')');
            table.value_unit.as_ref()
        }),
    }
}

/// The labels of the choice a fact's value is, for a fact that is an enum.
fn choice_labels<'p>(program: &'p Program, key: TraceKey, value: &Value) -> Option<&'p Labels> {
    let TraceKey::Fact(slot) = key else { return None };
    let (Ty::Enum(k), Value::Text(code)) = (&program.facts.get(slot)?.ty, value) else { return None };
    program.enums.get(*k)?.variants.iter().find(|(v, _)| v.as_str() == &**code).map(|(_, labels)| labels)
}

/// Whether a trace entry is a text fact (or a list of them), whose value
/// an explanation quotes: free text from the audit may hold the `; `
/// between values, or be empty. Choices and table keys are codes, shown
/// bare.
fn audit_text(program: &Program, key: TraceKey) -> bool {
    let TraceKey::Fact(slot) = key else { return false };
    program.facts.get(slot).is_some_and(|f| match &f.ty {
        Ty::Text => true,
        Ty::List(item) => **item == Ty::Text,
        _ => false,
    })
}

/// Facts a clause read that the audit does not give (not lets or tables
/// whose value is unknown because of them).
fn missing_slots(trace: &[Trace]) -> impl Iterator<Item = usize> + '_ {
    trace.iter().filter(|t| t.value.is_none()).filter_map(|t| match t.key {
        TraceKey::Fact(slot) => Some(slot),
        _ => None,
    })
}

fn text_of(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::Text(t)) => Some(t.to_string()),
        Some(Value::Date(d)) => Some(date_text(*d)),
        _ => None,
    }
}

/// What the Chinese copy of a clause's quoted values puts in place of a
/// part of the English one.
#[derive(Clone, Copy)]
enum Swap<'a> {
    /// `；` for the `; ` between two values.
    Separator,
    /// A choice's Chinese label (`燃气`, written `（燃气）`; empty for none)
    /// for its English one (` (natural gas)`).
    Label(&'a str),
}

/// The per-audit parts of a report while they are written.
struct Writer<'a> {
    program: &'a Program,
    text: String,
    values: Vec<ValueRecord>,
    /// A clause's known values, `a = 1; b = 2`, written once and copied
    /// into both of its explanations.
    quoted: String,
    /// Where the Chinese copy of `quoted` differs from it (from byte to
    /// byte, and what goes there instead).
    swaps: Vec<(usize, usize, Swap<'a>)>,
}

impl<'a> Writer<'a> {
    /// Writes a clause's explanations and values; returns the explanations'
    /// spans and the range of its values.
    fn clause(
        &mut self,
        words: &ClauseText,
        traces: &Traces,
        result: &ClauseResult,
        status: Status,
    ) -> (Explanation, (u32, u32)) {
        let program = self.program;
        let trace = traces.of(result.trace);
        // The known values, quoted in the explanations: the value records
        // point into the English one. Names of unknown values follow the
        // explanations.
        let first = self.values.len();
        let quoted = &mut self.quoted;
        quoted.clear();
        self.swaps.clear();
        // Whether it read something not known: only then may it name facts
        // not given.
        let mut unknown = false;
        for t in trace {
            let Some(value) = &t.value else {
                unknown = true;
                self.values.push(ValueRecord { name: Span::default(), value: None });
                continue;
            };
            if !quoted.is_empty() {
                self.swaps.push((quoted.len(), quoted.len() + "; ".len(), Swap::Separator));
                quoted.push_str("; ");
            }
            let name_start = quoted.len();
            let unit = write_name(quoted, program, traces, t.key);
            let name = span(name_start, quoted.len());
            quoted.push_str(" = ");
            let value_start = quoted.len();
            if audit_text(program, t.key) {
                value.write_quoted(quoted, unit);
            } else {
                value.write(quoted, unit);
            }
            self.values.push(ValueRecord { name, value: Some(span(value_start, quoted.len())) });
            if let Some(labels) = choice_labels(program, t.key, value) {
                // A label that only repeats the code is left out.
                let code = quoted.get(value_start..).unwrap_or_default();
                let shown = |label: &'a str| if label == code { "" } else { label };
                let zh = shown(labels.zh_or_en());
                let en = shown(labels.en_or_zh());
                let label_start = quoted.len();
                if !en.is_empty() {
                    quoted.push_str(" (");
                    quoted.push_str(en);
                    quoted.push(')');
                }
                self.swaps.push((label_start, quoted.len(), Swap::Label(zh)));
            }
        }
        let text = &mut self.text;
        let start = text.len();
        let read = Read { trace, unknown };
        reason(text, &words.en, &EN, program, &read, result, status);
        // The value records point into the English explanation, where the
        // values follow ` (`. (The brackets are written here, not taken
        // from the vocabulary: a literal this short is copied in place.)
        let base = text.len() + " (".len();
        if !quoted.is_empty() {
            text.push_str(" (");
            text.push_str(quoted);
            text.push(')');
        }
        let en = span(start, text.len());
        let start = text.len();
        reason(text, &words.zh, &ZH, program, &read, result, status);
        if !quoted.is_empty() {
            text.push('（');
            let mut copied = 0;
            for &(start, end, swap) in &self.swaps {
                text.push_str(quoted.get(copied..start).unwrap_or_default());
                match swap {
                    Swap::Separator => text.push('；'),
                    Swap::Label("") => {}
                    Swap::Label(zh) => {
                        text.push('（');
                        text.push_str(zh);
                        text.push('）');
                    }
                }
                copied = end;
            }
            text.push_str(quoted.get(copied..).unwrap_or_default());
            text.push('）');
        }
        let zh = span(start, text.len());
        let base = index(base);
        for (record, t) in self.values.get_mut(first..).unwrap_or_default().iter_mut().zip(trace) {
            match &mut record.value {
                Some(value) => {
                    *value = value.shifted(base);
                    record.name = record.name.shifted(base);
                }
                None => {
                    let name_start = text.len();
                    write_name(text, program, traces, t.key);
                    record.name = span(name_start, text.len());
                }
            }
        }
        (Explanation { en, zh: Some(zh) }, (index(first), index(self.values.len())))
    }
}

/// What a clause read, and whether any of it was unknown.
struct Read<'t> {
    trace: &'t [Trace],
    unknown: bool,
}

/// Why a clause ended as it did, before the values it read.
fn reason(
    text: &mut String,
    words: &ClauseWords,
    v: &Vocabulary,
    program: &Program,
    read: &Read<'_>,
    result: &ClauseResult,
    status: Status,
) {
    let failed = result.failed_require.and_then(|i| words.fails.get(i));
    // The words around the facts not given: an undecided clause waits for
    // them; a decided one that read some says they do not matter here.
    let frame = match (status, result.decided()) {
        (Status::Pass, _) => {
            text.push_str(&words.meets);
            &v.regardless
        }
        (_, Some(Outcome::Partial(i))) => {
            text.push_str(failed.map_or(v.fails, String::as_str));
            text.push_str(words.partial.get(i).map_or(v.no_partial, String::as_str));
            &v.regardless
        }
        (Status::Fail, _) => {
            text.push_str(failed.unwrap_or(&words.fails_all));
            &v.regardless
        }
        (Status::NotApplicable, _) => {
            text.push_str(&words.not_applicable);
            &v.regardless
        }
        _ => &v.missing,
    };
    let undecided = status == Status::Unknown;
    if !undecided && !read.unknown {
        return;
    }
    let mut missing =
        missing_slots(read.trace).filter_map(|s| program.facts.get(s)).map(|f| f.name.as_str()).peekable();
    match missing.peek() {
        None if undecided => text.push_str(v.undecided),
        None => {}
        Some(_) => {
            let [before, between, after] = *frame;
            text.push_str(before);
            quoted(text, missing, between);
            text.push_str(after);
        }
    }
}

impl Report {
    pub(crate) fn new(program: &Program, book: &Arc<ReportBook>, bound: &Bound, eval: &Evaluation) -> Report {
        let date = match bound.values.get(AUDIT_DATE) {
            Some(Some(Value::Date(d))) => Some(*d),
            _ => None,
        };
        let traced = eval.traces.len();
        let mut w = Writer {
            program,
            text: String::with_capacity(book.text_hint + 80 * traced),
            values: Vec::with_capacity(traced),
            quoted: String::new(),
            swaps: Vec::new(),
        };
        let mut clauses = Vec::with_capacity(program.clauses.len());
        let mut rectification = Vec::with_capacity(program.clauses.len());
        let mut missing: Vec<u32> = Vec::new();
        let mut unverified: Vec<UnverifiedRecord> = Vec::with_capacity(book.unverified_groups);
        let mut unverified_uses: Vec<(u32, u32)> = Vec::with_capacity(book.unverified_groups);
        let mut groups: Vec<u32> = Vec::with_capacity(book.unverified_groups);
        for (i, ((def, result), clause_book)) in
            program.clauses.iter().zip(&eval.clauses).zip(&book.clauses).enumerate()
        {
            let words = &clause_book.words;
            let status = status(result);
            let (explanation, values) = w.clause(words, &eval.traces, result, status);
            let trace = eval.traces.of(result.trace);
            // An undecided clause says what to fix only if it may fail or
            // earn partial credit: one that passes or does not apply,
            // whichever way its facts turn out, has nothing to fix.
            let may_fall_short = result.possible.iter().any(|o| matches!(o, Outcome::Fail | Outcome::Partial(_)));
            let fix = match (status, &def.fix) {
                (Status::Pass | Status::NotApplicable, _) | (_, None) => None,
                (Status::Unknown, _) if !may_fall_short => None,
                (_, Some((_, days))) => {
                    // A deadline is a date an audit could give: none past 9999.
                    let deadline = date
                        .and_then(|d| d.checked_add_signed(Duration::days(i64::from(*days))))
                        .filter(|d| d.year() <= 9999);
                    Some(deadline.map(|d| {
                        let start = w.text.len();
                        write_date(&mut w.text, d);
                        span(start, w.text.len())
                    }))
                }
            };
            if matches!(status, Status::Fail | Status::Partial) {
                rectification.push(index(i));
            }
            if status == Status::Unknown {
                for slot in missing_slots(trace).map(index) {
                    if !missing.contains(&slot) {
                        missing.push(slot);
                    }
                }
            }
            for (entry, (group, sources)) in words.unverified.iter().enumerate() {
                let read = trace.iter().any(|t| TraceSource::of(&t.key).is_some_and(|s| sources.contains(&s)));
                if !read {
                    continue;
                }
                let at = match groups.iter().position(|g| g == group) {
                    Some(at) => at,
                    None => {
                        groups.push(*group);
                        unverified.push(UnverifiedRecord { clause: index(i), entry: index(entry) });
                        groups.len() - 1
                    }
                };
                unverified_uses.push((index(at), index(i)));
            }
            clauses.push(ClauseRecord {
                status,
                earned: result.earned_min,
                earned_max: result.earned_max,
                explanation,
                values,
                fix,
            });
        }
        // A deduction by an unknown count or condition waits on its facts too.
        for (def, result) in program.scoring.deductions.iter().zip(&eval.deductions) {
            if result.count.is_none() {
                def.basis.expr().each_fact(&mut |slot| {
                    let unknown = bound.values.get(slot).is_some_and(Option::is_none);
                    if unknown && !missing.contains(&index(slot)) {
                        missing.push(index(slot));
                    }
                });
            }
        }
        let areas = book
            .areas
            .iter()
            .map(|area| {
                let mut a = AreaRecord {
                    points: Num::ZERO,
                    possible: Num::ZERO,
                    earned: Num::ZERO,
                    earned_max: Num::ZERO,
                    score: None,
                };
                let mut decided = true;
                for i in area.clauses.clone() {
                    let (Some(def), Some(result)) = (book.clauses.get(i), eval.clauses.get(i)) else {
                        continue;
                    };
                    // An undecided clause may move the denominator without
                    // moving the points earned (`fail` or not applicable).
                    decided &= result.decided().is_some();
                    // Points the clause puts in the denominator (its most, when undecided).
                    let counted = result
                        .possible
                        .iter()
                        .map(|o| if *o == Outcome::NotApplicable { def.counted_na } else { def.points })
                        .max()
                        .unwrap_or(Num::ZERO);
                    a.points = a.points.checked_add(def.points).unwrap_or(a.points);
                    a.possible = a.possible.checked_add(counted).unwrap_or(a.possible);
                    a.earned = a.earned.checked_add(result.earned_min).unwrap_or(a.earned);
                    a.earned_max = a.earned_max.checked_add(result.earned_max).unwrap_or(a.earned_max);
                }
                // `possible` is what the policy counts: applicable points
                // under `rescale`, every point under `zero` and `full`.
                if decided {
                    a.score = crate::eval::scaled_score(a.earned, a.possible, a.points);
                }
                a
            })
            .collect();
        let mut warnings: Vec<Labels> = bound.warnings.iter().map(|w| w.labels.clone()).collect();
        let value = |slot: usize| bound.values.get(slot).and_then(Option::as_ref);
        scoring_warnings(program, eval.nothing_applicable, &value, &mut warnings);
        let (warnings, warnings_zh) = warnings.into_iter().map(|w| (w.en, w.zh)).unzip();
        let get = |slot: usize| bound.values.get(slot).and_then(text_of);
        Report {
            book: Arc::clone(book),
            engine: Some(Cow::Borrowed(ENGINE)),
            audit: AuditRef {
                id: get(AUDIT_ID),
                date: date.map(|d| {
                    let mut text = String::with_capacity(10);
                    write_date(&mut text, d);
                    text
                }),
                enterprise_id: get(ENTERPRISE_ID),
                enterprise_name: get(ENTERPRISE_NAME),
                enterprise: bound.enterprise.clone(),
            },
            score: (eval.score_min == eval.score_max).then_some(eval.score_min),
            score_min: eval.score_min,
            score_max: eval.score_max,
            scale: program.scoring.scale,
            not_applicable: Some(program.scoring.not_applicable),
            determined: eval.verdict == eval.verdict_best,
            grade: eval.grade,
            grade_best: eval.grade_best,
            verdict: eval.verdict,
            verdict_best: eval.verdict_best,
            vetoes: eval.vetoes.clone(),
            possible_vetoes: eval.possible_vetoes.clone(),
            deductions: eval
                .deductions
                .iter()
                .map(|r| DeductionRecord { count: r.count, deducted: r.min, deducted_max: r.max })
                .collect(),
            areas,
            clauses,
            values: w.values,
            text: w.text,
            rectification,
            missing_facts: missing,
            unverified,
            unverified_uses,
            warnings,
            warnings_zh: Some(warnings_zh),
        }
    }
}

/// The warnings a report gives after its facts' own (from binding): no
/// clause may apply, an audit dated before the rulebook is in force, a date
/// the rulebook counts the time since that is after the audit date. `value`
/// gives the audit's value of a slot. The report and
/// [`Rulebook::row_warnings`](crate::Rulebook::row_warnings) both add them
/// here.
pub(crate) fn scoring_warnings<'v>(
    program: &Program,
    nothing_applicable: bool,
    value: &dyn Fn(usize) -> Option<&'v Value>,
    warnings: &mut Vec<Labels>,
) {
    let date_of = |slot: usize| match value(slot) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    // Looked up only where a warning may need it (a batch row finds it by a search).
    let dated = program.effective.is_some() || !program.past_dates.is_empty();
    let date = if dated { date_of(AUDIT_DATE) } else { None };
    if nothing_applicable {
        warnings.push(Labels {
            en: "no clause may apply to this audit; its score counts as 0".to_string(),
            zh: "本次审核没有可适用的条款，得分计为 0".to_string(),
        });
    }
    // Scored all the same: a caller holding several versions of a
    // rulebook picks the one in force; this one was not yet.
    if let Some((audit, effective)) = date.zip(program.effective).filter(|(audit, effective)| audit < effective) {
        let (audit_text, effective_text) = (date_text(audit), date_text(effective));
        let id = &program.id;
        warnings.push(Labels {
            en: format!(
                "the audit date {audit_text} is before rulebook `{id}`'s effective date {effective_text}; \
                 score it by the version in force on that date"
            ),
            zh: format!(
                "审核日期 {audit_text} 早于规则集 `{id}` 的生效日期 {effective_text}；请按审核日期当日有效的规则集版本评分"
            ),
        });
    }
    // A planned date, or a typo, given for one past: the negative time
    // since it meets every `<=` limit (a drill "within a year").
    let Some(audit) = date else { return };
    for (slot, given) in program.past_dates.iter().filter_map(|&slot| Some((slot, date_of(slot)?))) {
        let Some(fact) = program.facts.get(slot).filter(|_| given > audit) else { continue };
        let (audit_text, given_text) = (date_text(audit), date_text(given));
        let name = &fact.name;
        warnings.push(Labels {
            en: format!(
                "fact `{name}` is {given_text}, after the audit date {audit_text}, yet the rulebook counts the \
                 time since it: check the date"
            ),
            zh: format!(
                "数据项 `{name}` 为 {given_text}，晚于审核日期 {audit_text}，但规则集按自 {given_text} 起经过的时长计算；请核对日期"
            ),
        });
    }
}

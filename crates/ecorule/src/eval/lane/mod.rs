//! The summary's fast lane: a rulebook's conditions as flat register code
//! over small exact values ([`Word`]s), run for audits whose every clause
//! is decided.
//!
//! The lane is a shortcut, never a second meaning. It runs the same
//! expressions as the closures of [`super::compile`], in the same order,
//! with the same short cuts (`and`, `or`, `if`, `min`, `max`, `let`s worked
//! out once), and it gives up (`None`) wherever they could differ or fail:
//! a value too large for a word, an undecided clause, a missing table row,
//! a division by zero, a construct it does not compile (lists). Then the
//! general evaluation runs and says what happened. So for every audit the
//! lane either agrees with it or stays out of the way.

mod emit;
mod run;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

use super::Outcome;
use super::compile::Compiler;
use crate::ir::*;
use crate::num::Num;

/// One value in the lane. A number is `n / d` with `d > 0` (not always in
/// lowest terms); a date is its day number (`d = 1`); a bool is 0 or 1; a
/// text or enum value is its id in the lane's text pool (`-1` for a text
/// the rulebook never mentions). `d == 0` is unknown; `d < 0` marks a
/// value the lane cannot hold, and reading it gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Word {
    n: i64,
    d: i64,
}

impl Word {
    pub(crate) const UNKNOWN: Word = Word { n: 0, d: 0 };
    /// A value the lane does not hold (a list, a number too large).
    const OPAQUE: Word = Word { n: 0, d: -2 };
    /// A `let` not worked out yet for this audit.
    const PENDING: Word = Word { n: 0, d: -1 };
    /// A text the rulebook never mentions: unequal to every text it does.
    const OTHER_TEXT: i64 = -1;

    fn int(n: i64) -> Word {
        Word { n, d: 1 }
    }

    fn bool(b: bool) -> Word {
        Word::int(i64::from(b))
    }

    fn num(n: Num) -> Word {
        let (numer, denom) = n.fraction();
        match (i64::try_from(numer), i64::try_from(denom)) {
            (Ok(n), Ok(d)) => Word { n, d },
            _ => Word::OPAQUE,
        }
    }

    /// A value as a word; `text` gives a text its id.
    fn of(value: Option<&Value>, text: impl FnOnce(&Arc<str>) -> i64) -> Word {
        match value {
            None => Word::UNKNOWN,
            Some(Value::Bool(b)) => Word::bool(*b),
            Some(Value::Num(n)) => Word::num(*n),
            Some(Value::Text(t)) => Word::int(text(t)),
            Some(Value::Date(d)) => Word::int(i64::from(chrono::Datelike::num_days_from_ce(d))),
            Some(Value::List(_)) => Word::OPAQUE,
        }
    }

    fn to_num(self) -> Option<Num> {
        (self.d > 0).then(|| Num::ratio(i128::from(self.n), i128::from(self.d))).flatten()
    }
}

/// A register: an index into the run's words.
type Reg = u32;

/// One instruction. Every operand is a register; `to` is an instruction
/// index. An instruction that reads a word the lane cannot hold gives up.
#[derive(Debug, Clone, Copy)]
enum Op {
    /// Gives up: the general evaluation takes over here.
    GiveUp,
    Move {
        dst: Reg,
        a: Reg,
    },
    Not {
        dst: Reg,
        a: Reg,
    },
    /// Kleene `dst = dst and a` / `dst = dst or a`.
    And {
        dst: Reg,
        a: Reg,
    },
    Or {
        dst: Reg,
        a: Reg,
    },
    /// Jumps when `r` is known and equal to `value`.
    JumpIf {
        r: Reg,
        value: bool,
        to: u32,
    },
    /// Jumps when `r` is unknown.
    JumpUnknown {
        r: Reg,
        to: u32,
    },
    /// Jumps when the `let` in `r` is worked out already.
    JumpDone {
        r: Reg,
        to: u32,
    },
    /// Numbers, dates and bools, by value.
    Compare {
        op: Cmp,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// Texts and enum values, by id (`Eq` or `Ne`).
    CompareText {
        eq: bool,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `a` in the fixed list `lists[start..start + len]`.
    In {
        dst: Reg,
        a: Reg,
        text: bool,
        start: u32,
        len: u32,
    },
    Arith {
        op: Arith,
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Neg {
        dst: Reg,
        a: Reg,
    },
    Abs {
        dst: Reg,
        a: Reg,
    },
    /// `dst = min(dst, a)` or max; unknown when either is.
    Extreme {
        min: bool,
        dst: Reg,
        a: Reg,
    },
    /// `a − b` for dates, as a duration in seconds.
    DateDiff {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `date ± duration`.
    DateShift {
        shift: Shift,
        dst: Reg,
        date: Reg,
        by: Reg,
    },
    /// `if c then a else b`, once both branches that had to run have.
    Choose {
        text: bool,
        dst: Reg,
        c: Reg,
        a: Reg,
        b: Reg,
    },
    /// An `exact` table with one or two keys (`b` unused for one).
    Exact {
        dst: Reg,
        table: u32,
        a: Reg,
        b: Reg,
        keys: u8,
    },
    /// A `nearest`, `floor` or `linear` table; `prefix` is the first key of
    /// a two-key table.
    Search {
        dst: Reg,
        table: u32,
        prefix: Option<Reg>,
        key: Reg,
    },
    /// Whether any of the clauses `indices[start..start + len]` (or any
    /// clause at all, when `all`) was vetoed.
    Vetoed {
        dst: Reg,
        all: bool,
        start: u32,
        len: u32,
    },

    /// `dst = a`, then on to `to` when `a` is known and equal to `value`:
    /// the short cut of `and` (`value` false) and `or` (true).
    Short {
        dst: Reg,
        a: Reg,
        value: bool,
        to: u32,
    },

    // A clause, as `Ctx::possible` decides it: each ends in one outcome,
    // or the run gives up (the clause is undecided). Each kind of check is
    // an instruction of its own, in two forms: a condition in a register
    // (negated when `not`), or the comparison `a op b` of numbers or dates.
    /// A `when`: once one is false the clause does not apply, on to `to`.
    When {
        r: Reg,
        not: bool,
        to: u32,
    },
    WhenCompare {
        op: Cmp,
        a: Reg,
        b: Reg,
        to: u32,
    },
    /// A `require` but the last: on to the partials (`to`) once one is false.
    Require {
        r: Reg,
        not: bool,
        to: u32,
    },
    RequireCompare {
        op: Cmp,
        a: Reg,
        b: Reg,
        to: u32,
    },
    /// The last `require`: the clause passes (on to `to`, its end) when it
    /// applies and holds, goes on to the partials when it fails them.
    LastRequire {
        r: Reg,
        not: bool,
        to: u32,
    },
    LastRequireCompare {
        op: Cmp,
        a: Reg,
        b: Reg,
        to: u32,
    },
    /// A part but the last of a `partial`'s `a and b`: on to the next
    /// partial (`to`) once one is false.
    PartialPart {
        r: Reg,
        not: bool,
        to: u32,
    },
    PartialPartCompare {
        op: Cmp,
        a: Reg,
        b: Reg,
        to: u32,
    },
    /// A `partial` (or the last part of one) by index: that outcome when
    /// true, and on to `to`.
    Partial {
        index: u32,
        r: Reg,
        not: bool,
        to: u32,
    },
    PartialCompare {
        index: u32,
        op: Cmp,
        a: Reg,
        b: Reg,
        to: u32,
    },
    /// No partial held.
    Fail,
    /// A deduction's count (1 or 0 for `when`): known and not negative.
    Count {
        r: Reg,
    },
    /// A grade or verdict rule: chosen when `r` holds (always when `r`
    /// is `None`), and then on to `to`.
    Pick {
        r: Option<Reg>,
        index: u32,
        to: u32,
    },
}

/// What a clause's condition decides: which of the check instructions
/// the emitter writes for it.
#[derive(Debug, Clone, Copy)]
enum Check {
    When,
    Require,
    LastRequire,
    /// A part but the last of a `partial`.
    PartialPart,
    /// `partial` by index.
    Partial(u32),
}

/// A stretch of code, `ops[start..end]`.
#[derive(Debug, Clone, Copy, Default)]
struct Code {
    start: u32,
    end: u32,
}

/// What a stretch of code decided.
#[derive(Debug, Default)]
struct Decisions {
    outcomes: Vec<Outcome>,
    counts: Vec<Num>,
    picked: usize,
}

/// A table made ready for words.
#[derive(Debug, Default)]
enum Table {
    /// Not used by any condition, or not one the lane handles.
    #[default]
    None,
    Exact(HashMap<(Word, Word), Word, FastHash>),
    /// Rows by the first key (`Word::UNKNOWN` for one-key tables), each
    /// list in the table's order: (last key, value).
    Search(crate::ast::Lookup, HashMap<Word, Vec<(Word, Word)>, FastHash>),
}

/// A rulebook's conditions compiled for the lane.
#[derive(Debug)]
pub(crate) struct Lane {
    ops: Vec<Op>,
    /// The words a run starts from: facts (overwritten by the audit's),
    /// then `let`s (pending), constants, `score`, and scratch registers.
    start: Vec<Word>,
    facts: usize,
    score: Reg,
    /// Every clause, then every deduction.
    clauses: Code,
    grades: Code,
    verdicts: Code,
    /// How many clauses and deductions there are.
    counts: (usize, usize),
    tables: Vec<Table>,
    lists: Vec<Word>,
    indices: Vec<u32>,
    texts: HashMap<Arc<str>, i64, FastHash>,
    /// Most steps the general evaluation can take on this rulebook: the
    /// lane is used only when that is within the audit's limit, so it
    /// never answers where the general evaluation would stop for work.
    most_steps: u64,
}

impl Lane {
    pub(super) fn new(program: &Program, compiler: &Compiler<'_>) -> Lane {
        emit::Emitter::new(program, compiler).finish()
    }

    /// A fact's value as a word.
    pub(crate) fn word(&self, value: Option<&Value>) -> Word {
        Word::of(value, |t| self.texts.get(t).copied().unwrap_or(Word::OTHER_TEXT))
    }

    /// Starts a run over an audit's facts, which `facts` writes into the
    /// fact registers (all unknown until then): each clause's outcome and
    /// each deduction's count, when every one is decided and the lane could
    /// follow them all. [`Run::grade`] goes on from there.
    ///
    /// Every run starts from `start`, every `let` pending: the code was
    /// compiled on that (`emit::settle_lets` drops the checks it makes
    /// needless), so words must never be carried from one run to the next.
    pub(crate) fn run(&self, max_steps: u64, facts: impl FnOnce(&mut [Word]) -> Option<()>) -> Option<Run<'_>> {
        if self.most_steps > max_steps {
            return None;
        }
        let mut words = self.start.clone();
        facts(words.get_mut(..self.facts)?)?;
        let mut decided = Decisions {
            outcomes: Vec::with_capacity(self.counts.0),
            counts: Vec::with_capacity(self.counts.1),
            picked: 0,
        };
        self.exec(&mut words, &[], self.clauses, &mut decided)?;
        Some(Run { lane: self, words, outcomes: decided.outcomes, counts: decided.counts })
    }
}

/// A run of the lane over one audit, its clauses and deductions decided.
pub(crate) struct Run<'l> {
    lane: &'l Lane,
    words: Vec<Word>,
    pub outcomes: Vec<Outcome>,
    /// Each deduction's count.
    pub counts: Vec<Num>,
}

impl Run<'_> {
    /// The first grade and the first verdict that hold for `score` with
    /// the clauses `vetoed` (indices, ascending), as `first_match` chooses
    /// them.
    pub(crate) fn grade(&mut self, score: Num, vetoed: &[usize]) -> Option<(usize, usize)> {
        let lane = self.lane;
        let score = Word::num(score);
        if score.d <= 0 {
            return None;
        }
        *self.words.get_mut(lane.score as usize)? = score;
        let mut picked = Decisions::default();
        lane.exec(&mut self.words, vetoed, lane.grades, &mut picked)?;
        let grade = picked.picked;
        lane.exec(&mut self.words, vetoed, lane.verdicts, &mut picked)?;
        Some((grade, picked.picked))
    }
}

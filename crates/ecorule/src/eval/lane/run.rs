//! Running the lane's code: one loop over instructions, exact arithmetic
//! on words, and giving up (`None`) on anything it cannot hold.

use std::cmp::Ordering;

use super::{Code, Decisions, Lane, Op, Table, Word};
use crate::ast::Lookup;
use crate::eval::Outcome;
use crate::eval::lookup::{Around, around};
use crate::ir::{Arith, Cmp, DAY, Shift, shift_by};
use crate::num::Num;

impl Lane {
    /// Runs a stretch of code into `out`, with the vetoed clauses' indices
    /// in ascending order; `None` when the lane gives up.
    pub(super) fn exec(&self, words: &mut [Word], vetoed: &[usize], code: Code, out: &mut Decisions) -> Option<()> {
        let ops = self.ops.get(..code.end as usize)?;
        // The next instruction; a jump past the stretch's end gives up.
        let mut pc = code.start as usize;
        let jump = |to: u32| (to as usize <= ops.len()).then_some(to as usize);
        let mut clause = Standing::NEW;
        while let Some(&op) = ops.get(pc) {
            pc += 1;
            match op {
                Op::GiveUp => return None,
                Op::When { r, not, to } => {
                    if clause.when(condition(words, r, not)?, out) {
                        pc = jump(to)?;
                    }
                }
                Op::WhenCompare { op, a, b, to } => {
                    if clause.when(compared(words, op, a, b)?, out) {
                        pc = jump(to)?;
                    }
                }
                Op::Require { r, not, to } => {
                    if clause.require(condition(words, r, not)?)? {
                        pc = jump(to)?;
                    }
                }
                Op::RequireCompare { op, a, b, to } => {
                    if clause.require(compared(words, op, a, b)?)? {
                        pc = jump(to)?;
                    }
                }
                Op::LastRequire { r, not, to } => {
                    if clause.last_require(condition(words, r, not)?, out)? {
                        pc = jump(to)?;
                    }
                }
                Op::LastRequireCompare { op, a, b, to } => {
                    if clause.last_require(compared(words, op, a, b)?, out)? {
                        pc = jump(to)?;
                    }
                }
                Op::PartialPart { r, not, to } => {
                    if clause.partial_part(condition(words, r, not)?) {
                        pc = jump(to)?;
                    }
                }
                Op::PartialPartCompare { op, a, b, to } => {
                    if clause.partial_part(compared(words, op, a, b)?) {
                        pc = jump(to)?;
                    }
                }
                Op::Partial { index, r, not, to } => {
                    if clause.partial(index, condition(words, r, not)?, out)? {
                        pc = jump(to)?;
                    }
                }
                Op::PartialCompare { index, op, a, b, to } => {
                    if clause.partial(index, compared(words, op, a, b)?, out)? {
                        pc = jump(to)?;
                    }
                }
                Op::Fail => {
                    out.outcomes.push(Outcome::Fail);
                    clause = Standing::NEW;
                }
                Op::Short { dst, a, value, to } => {
                    let w = get(words, a)?;
                    set(words, dst, w)?;
                    if tri(w)? == K::of(value) {
                        pc = jump(to)?;
                    }
                }
                Op::Count { r } => {
                    let n = held(get(words, r)?)?.to_num()?;
                    if n.is_negative() {
                        return None;
                    }
                    out.counts.push(n);
                }
                Op::Pick { r, index, to } => {
                    let holds = match r {
                        Some(r) => tri(get(words, r)?)? == K::T,
                        None => true,
                    };
                    if holds {
                        out.picked = index as usize;
                        pc = jump(to)?;
                    }
                }
                Op::Move { dst, a } => {
                    let w = get(words, a)?;
                    set(words, dst, w)?;
                }
                Op::Not { dst, a } => {
                    let w = held(get(words, a)?)?;
                    set(words, dst, if w.d == 0 { w } else { Word::bool(w.n == 0) })?;
                }
                Op::And { dst, a } => {
                    let (x, y) = (tri(get(words, dst)?)?, tri(get(words, a)?)?);
                    set(words, dst, x.and(y).word())?;
                }
                Op::Or { dst, a } => {
                    let (x, y) = (tri(get(words, dst)?)?, tri(get(words, a)?)?);
                    set(words, dst, x.or(y).word())?;
                }
                Op::JumpIf { r, value, to } => {
                    if tri(get(words, r)?)? == K::of(value) {
                        pc = jump(to)?;
                    }
                }
                Op::JumpUnknown { r, to } => {
                    if held(get(words, r)?)?.d == 0 {
                        pc = jump(to)?;
                    }
                }
                Op::JumpDone { r, to } => {
                    if get(words, r)? != Word::PENDING {
                        pc = jump(to)?;
                    }
                }
                Op::Compare { op, dst, a, b } => {
                    let w = both(words, a, b)?.map_or(Word::UNKNOWN, |(x, y)| Word::bool(meets(op, order(x, y))));
                    set(words, dst, w)?;
                }
                Op::CompareText { eq, dst, a, b } => {
                    let w = match both(words, a, b)? {
                        Some((x, y)) => Word::bool(same_text(x, y)? == eq),
                        None => Word::UNKNOWN,
                    };
                    set(words, dst, w)?;
                }
                Op::In { dst, a, text, start, len } => {
                    let x = held(get(words, a)?)?;
                    let list = self.lists.get(start as usize..(start + len) as usize)?;
                    let w = if x.d == 0 {
                        Word::UNKNOWN
                    } else if text {
                        Word::bool(list.iter().any(|i| i.n == x.n && x.n != Word::OTHER_TEXT))
                    } else {
                        Word::bool(list.iter().any(|i| order(x, *i) == Ordering::Equal))
                    };
                    set(words, dst, w)?;
                }
                Op::Arith { op, dst, a, b } => {
                    let w = match both(words, a, b)? {
                        Some((x, y)) => arith(op, x, y)?,
                        None => Word::UNKNOWN,
                    };
                    set(words, dst, w)?;
                }
                Op::Neg { dst, a } => {
                    let x = held(get(words, a)?)?;
                    set(words, dst, Word { n: x.n.checked_neg()?, d: x.d })?;
                }
                Op::Abs { dst, a } => {
                    let x = held(get(words, a)?)?;
                    set(words, dst, Word { n: x.n.checked_abs()?, d: x.d })?;
                }
                Op::Extreme { min, dst, a } => {
                    // Equal words are the same number, so either serves on a tie.
                    let w = both(words, dst, a)?.map_or(Word::UNKNOWN, |(x, y)| match (min, order(x, y)) {
                        (true, Ordering::Greater) | (false, Ordering::Less) => y,
                        _ => x,
                    });
                    set(words, dst, w)?;
                }
                Op::DateDiff { dst, a, b } => {
                    let w = match both(words, a, b)? {
                        Some((x, y)) => Word::int(x.n.checked_sub(y.n)?.checked_mul(DAY)?),
                        None => Word::UNKNOWN,
                    };
                    set(words, dst, w)?;
                }
                Op::DateShift { shift, dst, date, by } => {
                    let w = match both(words, date, by)? {
                        Some((x, y)) => shift_word(shift, x, y)?,
                        None => Word::UNKNOWN,
                    };
                    set(words, dst, w)?;
                }
                Op::Choose { text, dst, c, a, b } => {
                    let w = match tri(get(words, c)?)? {
                        K::T => get(words, a)?,
                        K::F => get(words, b)?,
                        _ => {
                            let (x, y) = (held(get(words, a)?)?, held(get(words, b)?)?);
                            let equal = match (x.d, y.d) {
                                (0, 0) => true,
                                (0, _) | (_, 0) => false,
                                _ if text => same_text(x, y)?,
                                _ => order(x, y) == Ordering::Equal,
                            };
                            if equal { x } else { Word::UNKNOWN }
                        }
                    };
                    set(words, dst, w)?;
                }
                Op::Exact { dst, table, a, b, keys } => {
                    let x = held(get(words, a)?)?;
                    let y = if keys == 2 { held(get(words, b)?)? } else { Word::int(0) };
                    let w = if x.d == 0 || y.d == 0 {
                        Word::UNKNOWN
                    } else {
                        let Table::Exact(rows) = self.tables.get(table as usize)? else { return None };
                        let y = if keys == 2 { lowest(y)? } else { Word::UNKNOWN };
                        *rows.get(&(lowest(x)?, y))?
                    };
                    set(words, dst, w)?;
                }
                Op::Search { dst, table, prefix, key } => {
                    let p = match prefix {
                        Some(p) => held(get(words, p)?)?,
                        None => Word::int(0),
                    };
                    let x = held(get(words, key)?)?;
                    let w = if p.d == 0 || x.d == 0 {
                        Word::UNKNOWN
                    } else {
                        let Table::Search(rule, groups) = self.tables.get(table as usize)? else { return None };
                        let group = if prefix.is_some() { lowest(p)? } else { Word::UNKNOWN };
                        search(*rule, x, groups.get(&group)?)?
                    };
                    set(words, dst, w)?;
                }
                Op::Vetoed { dst, all, start, len } => {
                    let w = if all {
                        Word::bool(!vetoed.is_empty())
                    } else {
                        let list = self.indices.get(start as usize..(start + len) as usize)?;
                        Word::bool(list.iter().any(|i| vetoed.binary_search(&(*i as usize)).is_ok()))
                    };
                    set(words, dst, w)?;
                }
            }
        }
        Some(())
    }
}

/// A value of Kleene's three-valued logic in one byte: false < unknown <
/// true, so `and` is the least of two values and `or` the greatest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct K(u8);

impl K {
    const F: K = K(0);
    const U: K = K(1);
    const T: K = K(2);

    #[inline(always)]
    fn of(b: bool) -> K {
        K(u8::from(b) << 1)
    }

    #[inline(always)]
    fn and(self, other: K) -> K {
        self.min(other)
    }

    #[inline(always)]
    fn or(self, other: K) -> K {
        self.max(other)
    }

    #[inline(always)]
    fn not(self) -> K {
        K(2 - self.0)
    }

    #[inline(always)]
    fn word(self) -> Word {
        match self {
            K::U => Word::UNKNOWN,
            k => Word::bool(k == K::T),
        }
    }
}

/// Where the clause being decided stands.
#[derive(Clone, Copy)]
struct Standing {
    applies: K,
    holds: K,
    /// The parts of the `partial` being checked, so far.
    partly: K,
}

impl Standing {
    const NEW: Standing = Standing { applies: K::T, holds: K::T, partly: K::T };

    // Each check below takes a condition's value and says whether to jump
    // (the clause is settled, or a `require` failed); `None` when the
    // clause is undecided. Each is an instruction of its own, so the
    // dispatch, not a second match, tells them apart.

    /// A `when`: a false one settles the clause as not applicable.
    #[inline(always)]
    fn when(&mut self, t: K, out: &mut Decisions) -> bool {
        self.applies = self.applies.and(t);
        let not_applicable = self.applies == K::F;
        if not_applicable {
            out.outcomes.push(Outcome::NotApplicable);
            *self = Standing::NEW;
        }
        not_applicable
    }

    /// A `require` but the last: whether it applies must be known by the
    /// time one fails.
    #[inline(always)]
    fn require(&mut self, t: K) -> Option<bool> {
        self.holds = self.holds.and(t);
        let failed = self.holds == K::F;
        if failed && self.applies != K::T {
            return None;
        }
        Some(failed)
    }

    /// The last `require`, which needs to know whether the clause applies:
    /// a pass settles the clause, a failure goes on to the partials.
    #[inline(always)]
    fn last_require(&mut self, t: K, out: &mut Decisions) -> Option<bool> {
        if self.applies != K::T {
            return None;
        }
        match self.holds.and(t) {
            K::T => {
                out.outcomes.push(Outcome::Pass);
                *self = Standing::NEW;
                Some(true)
            }
            K::F => {
                self.holds = K::F;
                Some(false)
            }
            _ => None,
        }
    }

    /// A part but the last of a `partial`: a false one makes the partial
    /// false, and the check goes on to the next.
    #[inline(always)]
    fn partial_part(&mut self, t: K) -> bool {
        self.partly = self.partly.and(t);
        let fails = self.partly == K::F;
        if fails {
            self.partly = K::T;
        }
        fails
    }

    /// A `partial` (with its parts so far): a true one settles the clause,
    /// a false one goes on.
    #[inline(always)]
    fn partial(&mut self, index: u32, t: K, out: &mut Decisions) -> Option<bool> {
        match self.partly.and(t) {
            K::T => {
                out.outcomes.push(Outcome::Partial(index as usize));
                *self = Standing::NEW;
                Some(true)
            }
            K::F => {
                self.partly = K::T;
                Some(false)
            }
            _ => None,
        }
    }
}

/// A clause's condition in `r`, negated when `not`; `None` gives up.
#[inline(always)]
fn condition(words: &[Word], r: u32, not: bool) -> Option<K> {
    let t = tri(get(words, r)?)?;
    Some(if not { t.not() } else { t })
}

/// The comparison `a op b` of two numbers or dates as a condition.
#[inline(always)]
fn compared(words: &[Word], op: Cmp, a: u32, b: u32) -> Option<K> {
    Some(both(words, a, b)?.map_or(K::U, |(x, y)| K::of(meets(op, order(x, y)))))
}

/// Two operands, or `Some(None)` when either is unknown (the result is
/// then unknown too); `None` gives up.
#[inline(always)]
fn both(words: &[Word], a: u32, b: u32) -> Option<Option<(Word, Word)>> {
    let (x, y) = (held(get(words, a)?)?, held(get(words, b)?)?);
    Some((x.d != 0 && y.d != 0).then_some((x, y)))
}

#[inline(always)]
fn get(words: &[Word], r: u32) -> Option<Word> {
    words.get(r as usize).copied()
}

#[inline(always)]
fn set(words: &mut [Word], r: u32, w: Word) -> Option<()> {
    *words.get_mut(r as usize)? = w;
    Some(())
}

/// The word, unless the lane cannot hold it (or it is a pending `let`).
#[inline(always)]
fn held(w: Word) -> Option<Word> {
    (w.d >= 0).then_some(w)
}

/// A condition's value; `None` gives up.
#[inline(always)]
fn tri(w: Word) -> Option<K> {
    match w.d {
        0 => Some(K::U),
        d if d > 0 => Some(K::of(w.n != 0)),
        _ => None,
    }
}

/// Two known texts equal? Two texts the rulebook never mentions cannot be
/// told apart by id: the lane gives up on them.
#[inline(always)]
fn same_text(x: Word, y: Word) -> Option<bool> {
    if x.n == Word::OTHER_TEXT && y.n == Word::OTHER_TEXT {
        return None;
    }
    Some(x.n == y.n)
}

/// The order of two known numbers (or dates, or bools): denominators are
/// positive, so cross products order them exactly.
#[inline(always)]
fn order(x: Word, y: Word) -> Ordering {
    if x.d == y.d {
        return x.n.cmp(&y.n);
    }
    // Cross products of small numbers fit 64 bits; 128 bits always do.
    if let (Some(a), Some(b)) = (x.n.checked_mul(y.d), y.n.checked_mul(x.d)) {
        return a.cmp(&b);
    }
    (i128::from(x.n) * i128::from(y.d)).cmp(&(i128::from(y.n) * i128::from(x.d)))
}

#[inline(always)]
fn meets(op: Cmp, o: Ordering) -> bool {
    match op {
        Cmp::Eq => o == Ordering::Equal,
        Cmp::Ne => o != Ordering::Equal,
        Cmp::Lt => o == Ordering::Less,
        Cmp::Le => o != Ordering::Greater,
        Cmp::Gt => o == Ordering::Greater,
        Cmp::Ge => o != Ordering::Less,
    }
}

/// `n / d` from 128-bit parts, as they are when they fit (no gcd on the
/// usual path), else in lowest terms when those fit; `None` otherwise (or
/// when `d` is zero).
fn fit(n: i128, d: i128) -> Option<Word> {
    if let (Ok(n), Ok(d)) = (i64::try_from(n), i64::try_from(d))
        && d > 0
    {
        return Some(Word { n, d });
    }
    reduced(n, d)
}

/// `n / d` in lowest terms, when that fits: the rare path of [`fit`] and
/// [`lowest`], kept out of the run loop.
#[cold]
#[inline(never)]
fn reduced(n: i128, d: i128) -> Option<Word> {
    let w = Word::num(Num::ratio(n, d)?);
    (w.d > 0).then_some(w)
}

/// A known number in lowest terms, as table keys are.
pub(super) fn lowest(w: Word) -> Option<Word> {
    if w.d == 1 {
        return Some(w);
    }
    reduced(i128::from(w.n), i128::from(w.d))
}

/// Exact arithmetic on two known numbers; `None` on division by zero or
/// when the result does not fit.
fn arith(op: Arith, x: Word, y: Word) -> Option<Word> {
    // In 64 bits where they suffice, as they usually do.
    let small = match op {
        Arith::Add if x.d == y.d => x.n.checked_add(y.n).map(|n| (n, x.d)),
        Arith::Sub if x.d == y.d => x.n.checked_sub(y.n).map(|n| (n, x.d)),
        Arith::Mul => x.n.checked_mul(y.n).zip(x.d.checked_mul(y.d)),
        _ => None,
    };
    if let Some((n, d)) = small {
        return Some(Word { n, d });
    }
    let (a, b, c, d) = (i128::from(x.n), i128::from(x.d), i128::from(y.n), i128::from(y.d));
    match op {
        Arith::Add if b == d => fit(a + c, b),
        Arith::Sub if b == d => fit(a - c, b),
        Arith::Add => fit(a * d + c * b, b * d),
        Arith::Sub => fit(a * d - c * b, b * d),
        Arith::Mul => fit(a * c, b * d),
        Arith::Div if c == 0 => None,
        Arith::Div => fit(a * d, b * c),
    }
}

/// A date moved by a duration in seconds, as [`shift_date`] moves it.
fn shift_word(shift: Shift, date: Word, by: Word) -> Option<Word> {
    let unit = shift.unit().0;
    if by.d != 1 || by.n % unit != 0 {
        return None;
    }
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(date.n).ok()?)?;
    let shifted = shift_by(date, shift, by.n / unit).ok()?;
    Some(Word::int(i64::from(chrono::Datelike::num_days_from_ce(&shifted))))
}

/// `lookup::search` over words: the value a `nearest`, `floor` or
/// `linear` look-up of `x` finds among rows sorted by key; `None` when no
/// row serves (the general look-up words that error).
fn search(rule: Lookup, x: Word, rows: &[(Word, Word)]) -> Option<Word> {
    let Around { below, floor, above } = around(x, rows.iter().copied(), |a, b| order(*a, *b));
    match rule {
        Lookup::Nearest => match (below, above) {
            (Some((lo, v)), Some((hi, w))) => {
                let to_lo = arith(Arith::Sub, x, lo)?;
                let to_hi = arith(Arith::Sub, hi, x)?;
                Some(if order(to_hi, to_lo) == Ordering::Greater { v } else { w })
            }
            (Some((_, v)), None) | (None, Some((_, v))) => Some(v),
            (None, None) => None,
        },
        Lookup::Floor => floor.map(|(_, v)| v),
        Lookup::Linear => {
            if let Some((_, v)) = below.filter(|(k, _)| order(*k, x) == Ordering::Equal) {
                return Some(v);
            }
            let (Some((k0, v0)), Some((k1, v1))) = (floor, above) else {
                return None;
            };
            // Values must be numbers: a pending or opaque one gives up.
            let (v0, v1) = (held(v0).filter(|w| w.d > 0)?, held(v1).filter(|w| w.d > 0)?);
            let slope = arith(Arith::Div, arith(Arith::Sub, v1, v0)?, arith(Arith::Sub, k1, k0)?)?;
            arith(Arith::Add, v0, arith(Arith::Mul, arith(Arith::Sub, x, k0)?, slope)?)
        }
        Lookup::Exact => None,
    }
}

//! A checked program to the lane's code, once per rulebook.
//!
//! Facts, `let`s, constants and `score` live in registers of their own, so
//! reading them costs no instruction; every other expression writes a
//! scratch register, freed when its parent has used it. Expressions that
//! read no fact are folded by the closure compiler, as the closures fold
//! them; one whose folding fails, and any construct the lane does not
//! handle, becomes [`Op::GiveUp`] where it would run.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use super::run::lowest;
use super::{Check, Code, Lane, Op, Reg, Table, Word};
use crate::ast::Lookup;
use crate::eval::compile::{Compiler, Shape};
use crate::eval::plan::most_steps;
use crate::ir::*;

/// Provisional numbers of constant and scratch registers, placed after
/// the others when the code is done.
const CONSTANT: Reg = 1 << 30;
const SCRATCH: Reg = 1 << 31;

pub(super) struct Emitter<'p, 'c> {
    program: &'p Program,
    compiler: &'c Compiler<'p>,
    ops: Vec<Op>,
    constants: Vec<Word>,
    constant_regs: HashMap<Word, Reg, FastHash>,
    tables: Vec<Option<Table>>,
    lists: Vec<Word>,
    indices: Vec<u32>,
    texts: HashMap<Arc<str>, i64, FastHash>,
    scratch: u32,
    most_scratch: u32,
    steps: u64,
}

impl<'p, 'c> Emitter<'p, 'c> {
    pub(super) fn new(program: &'p Program, compiler: &'c Compiler<'p>) -> Self {
        Emitter {
            program,
            compiler,
            ops: Vec::new(),
            constants: Vec::new(),
            constant_regs: HashMap::default(),
            tables: program.tables.iter().map(|_| None).collect(),
            lists: Vec::new(),
            indices: Vec::new(),
            texts: HashMap::default(),
            scratch: 0,
            most_scratch: 0,
            steps: 0,
        }
    }

    /// Emits every condition of the program and lays out the registers.
    pub(super) fn finish(mut self) -> Lane {
        let p = self.program;
        let start = self.here();
        for c in &p.clauses {
            // The checker gives every clause a `require`; the last settles it.
            if c.require.is_empty() {
                self.emit(Op::GiveUp);
                continue;
            }
            let mut done = Vec::new();
            for x in &c.when {
                for part in self.conjuncts(&x.expr) {
                    done.push(self.check(Check::When, part));
                }
            }
            let mut failed = Vec::new();
            let requires: Vec<&Expr> = c.require.iter().flat_map(|x| self.conjuncts(&x.expr)).collect();
            if let Some((last, others)) = requires.split_last() {
                for part in others {
                    failed.push(self.check(Check::Require, part));
                }
                done.push(self.check(Check::LastRequire, last));
            }
            failed.into_iter().for_each(|at| self.land(at));
            for (index, (_, x)) in c.partials.iter().enumerate() {
                let index = u32::try_from(index).unwrap_or(u32::MAX);
                let parts = self.conjuncts(&x.expr);
                if let Some((last, others)) = parts.split_last() {
                    let next: Vec<usize> = others.iter().map(|part| self.check(Check::PartialPart, part)).collect();
                    done.push(self.check(Check::Partial(index), last));
                    next.into_iter().for_each(|at| self.land(at));
                }
            }
            self.emit(Op::Fail);
            done.into_iter().for_each(|at| self.land(at));
        }
        for d in &p.scoring.deductions {
            let r = self.condition(d.basis.expr());
            self.emit(Op::Count { r });
        }
        let mut clauses = Code { start, end: self.here() };
        let mut grades = self.picks(&p.scoring.grades);
        let mut verdicts = self.picks(&p.scoring.verdicts);

        // facts, lets, score, constants, scratch
        let facts = p.facts.len();
        let score = facts + p.lets.len();
        let lets = u32::try_from(facts).unwrap_or(u32::MAX)..u32::try_from(score).unwrap_or(u32::MAX);
        settle_lets(&mut self.ops, lets, [&mut clauses, &mut grades, &mut verdicts]);
        let constants_at = score + 1;
        let scratch_at = constants_at + self.constants.len();
        let place = |r: &mut Reg| {
            *r = if *r >= SCRATCH {
                (scratch_at as Reg).saturating_add(*r - SCRATCH)
            } else if *r >= CONSTANT {
                (constants_at as Reg).saturating_add(*r - CONSTANT)
            } else {
                *r
            };
        };
        self.ops.iter_mut().for_each(|op| op.registers(place));
        // Code only jumps forward, so every run ends; were it not so (a bug
        // here), the lane would never be used.
        let forward = self.ops.iter_mut().enumerate().all(|(i, op)| op.target().is_none_or(|to| *to as usize > i));

        let mut start = vec![Word::UNKNOWN; facts];
        start.resize(score, Word::PENDING); // the lets
        start.push(Word::UNKNOWN); // score
        start.extend_from_slice(&self.constants);
        start.resize(scratch_at + self.most_scratch as usize, Word::UNKNOWN);
        Lane {
            ops: self.ops,
            start,
            facts,
            score: score as Reg,
            clauses,
            grades,
            verdicts,
            counts: (p.clauses.len(), p.scoring.deductions.len()),
            tables: self.tables.into_iter().map(Option::unwrap_or_default).collect(),
            lists: self.lists,
            indices: self.indices,
            texts: self.texts,
            most_steps: if forward { self.steps } else { u64::MAX },
        }
    }

    /// The first grade or verdict rule that holds, else the last.
    fn picks(&mut self, rules: &[OutcomeDef]) -> Code {
        let start = self.here();
        let mut done = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let r = rule.condition.as_ref().map(|e| self.condition(e));
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            done.push(self.emit(Op::Pick { r, index, to: 0 }));
        }
        let last = u32::try_from(rules.len().saturating_sub(1)).unwrap_or(u32::MAX);
        done.push(self.emit(Op::Pick { r: None, index: last, to: 0 }));
        done.into_iter().for_each(|at| self.land(at));
        Code { start, end: self.here() }
    }

    /// The parts of a clause's condition, checked one by one: `a and b` as
    /// `a` then `b`. Kleene's `and` is the least of its parts, and a check
    /// stops at a false one as `and` would, so the clause ends the same;
    /// it saves the instructions of the `and`. Counts the condition's
    /// steps.
    fn conjuncts(&mut self, e: &'p Expr) -> Vec<&'p Expr> {
        self.count_steps(e);
        let mut parts = Vec::new();
        let mut open = vec![e];
        while let Some(e) = open.pop() {
            match e {
                Expr::And(a, b) if !self.compiler.constant(e) => open.extend([&**b, &**a]),
                _ => parts.push(e),
            }
        }
        parts
    }

    /// A clause's condition (its steps counted), checked in one
    /// instruction where it is a comparison or a negation; the check's
    /// index, for its jump.
    fn check(&mut self, check: Check, e: &Expr) -> usize {
        self.scratch = 0;
        match e {
            Expr::Compare(op, a, b)
                if !self.compiler.constant(e)
                    && matches!(
                        (self.compiler.shape(a), self.compiler.shape(b)),
                        (Shape::Num, Shape::Num) | (Shape::Date, Shape::Date)
                    ) =>
            {
                let (a, b) = (self.expr(a), self.expr(b));
                self.emit(check.compare(*op, a, b))
            }
            Expr::Not(x) if !self.compiler.constant(e) => {
                let r = self.expr(x);
                self.emit(check.condition(r, true))
            }
            _ => {
                let r = self.expr(e);
                self.emit(check.condition(r, false))
            }
        }
    }

    fn count_steps(&mut self, e: &Expr) {
        self.steps = self.steps.saturating_add(most_steps(e));
    }

    /// One condition (or deduction basis): its register.
    fn condition(&mut self, e: &Expr) -> Reg {
        self.count_steps(e);
        self.scratch = 0;
        self.expr(e)
    }

    fn here(&self) -> u32 {
        u32::try_from(self.ops.len()).unwrap_or(u32::MAX)
    }

    fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.ops.len() - 1
    }

    /// Points the jump at `at` to the next instruction.
    fn land(&mut self, at: usize) {
        let here = self.here();
        if let Some(to) = self.ops.get_mut(at).and_then(Op::target) {
            *to = here;
        }
    }

    fn scratch(&mut self) -> Reg {
        let r = SCRATCH + self.scratch;
        self.scratch += 1;
        self.most_scratch = self.most_scratch.max(self.scratch);
        r
    }

    /// A word as a value of the rulebook's: its texts join the pool.
    fn word(&mut self, value: Option<&Value>) -> Word {
        let texts = &mut self.texts;
        Word::of(value, |t| {
            let next = i64::try_from(texts.len()).unwrap_or(i64::MAX);
            *texts.entry(Arc::clone(t)).or_insert(next)
        })
    }

    fn constant(&mut self, w: Word) -> Reg {
        let next = CONSTANT + u32::try_from(self.constants.len()).unwrap_or(0);
        match self.constant_regs.entry(w) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                self.constants.push(w);
                *e.insert(next)
            }
        }
    }

    /// Gives up where this would run; the register is never read.
    fn give_up(&mut self) -> Reg {
        self.emit(Op::GiveUp);
        self.scratch()
    }

    /// Emits `e` and returns the register its value ends up in.
    fn expr(&mut self, e: &Expr) -> Reg {
        self.expr_into(e, None)
    }

    /// Emits `e` with its value written to `into` (a scratch register
    /// when `None`); returns the register its value ends up in, which is
    /// another one when `e` is a constant, a fact, a `let` or `score`.
    fn expr_into(&mut self, e: &Expr, into: Option<Reg>) -> Reg {
        if let Expr::Const(v) = e {
            let w = self.word(Some(v));
            return self.constant(w);
        }
        if self.compiler.constant(e) {
            return match self.compiler.fold(e) {
                Some((value, _)) => {
                    let w = self.word(value.as_ref());
                    self.constant(w)
                }
                None => self.give_up(),
            };
        }
        let mark = self.scratch;
        let dst = into.unwrap_or_else(|| self.scratch());
        let kept = match e {
            Expr::Fact(slot) => Some(u32::try_from(*slot).unwrap_or(u32::MAX)),
            Expr::Let(i, inner) => Some(self.remember(*i, inner)),
            Expr::Score => Some(u32::try_from(self.program.facts.len() + self.program.lets.len()).unwrap_or(0)),
            _ => None,
        };
        if let Some(r) = kept {
            self.scratch = mark;
            return r;
        }
        let inner = self.scratch;
        match e {
            Expr::Not(a) => {
                let a = self.expr(a);
                self.emit(Op::Not { dst, a });
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                let and = matches!(e, Expr::And(..));
                let a = self.expr(a);
                // `a and b` skips b when a is false; `a or b` when a is true.
                let skip = self.emit(Op::Short { dst, a, value: !and, to: 0 });
                let b = self.expr(b);
                self.emit(if and { Op::And { dst, a: b } } else { Op::Or { dst, a: b } });
                self.land(skip);
            }
            Expr::Compare(op, a, b) => {
                let shape = (self.compiler.shape(a), self.compiler.shape(b));
                let (a, b) = (self.expr(a), self.expr(b));
                let equality = matches!(op, Cmp::Eq | Cmp::Ne);
                match shape {
                    (Shape::Num, Shape::Num) | (Shape::Date, Shape::Date) => {
                        self.emit(Op::Compare { op: *op, dst, a, b });
                    }
                    (Shape::Bool, Shape::Bool) if equality => {
                        self.emit(Op::Compare { op: *op, dst, a, b });
                    }
                    (Shape::Text, Shape::Text) if equality => {
                        self.emit(Op::CompareText { eq: *op == Cmp::Eq, dst, a, b });
                    }
                    _ => {
                        self.emit(Op::GiveUp);
                    }
                }
            }
            Expr::In(x, list) => {
                let text = self.compiler.shape(x) == Shape::Text;
                let a = self.expr(x);
                match self.fixed_list(list) {
                    Some((start, len)) => {
                        self.emit(Op::In { dst, a, text, start, len });
                    }
                    None => {
                        self.emit(Op::GiveUp);
                    }
                }
            }
            Expr::Arith(op, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                self.emit(Op::Arith { op: *op, dst, a, b });
            }
            Expr::Neg(a) => {
                let a = self.expr(a);
                self.emit(Op::Neg { dst, a });
            }
            Expr::DateDiff(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                self.emit(Op::DateDiff { dst, a, b });
            }
            Expr::DateShift(shift, date, by) => {
                let (date, by) = (self.expr(date), self.expr(by));
                self.emit(Op::DateShift { shift: *shift, dst, date, by });
            }
            Expr::Builtin(Builtin::Min | Builtin::Max, args) => self.extreme(e, dst, args),
            Expr::Builtin(Builtin::Abs, args) => match args.first() {
                Some(a) => {
                    let a = self.expr(a);
                    self.emit(Op::Abs { dst, a });
                }
                None => self.unknown(dst),
            },
            Expr::Builtin(Builtin::DaysBetween, args) => match (args.first(), args.get(1)) {
                (Some(a), Some(b)) => {
                    let (a, b) = (self.expr(a), self.expr(b));
                    self.emit(Op::DateDiff { dst, a: b, b: a });
                }
                _ => self.unknown(dst),
            },
            Expr::If(c, a, b) => {
                let text = self.compiler.shape(a) == Shape::Text;
                let c = self.expr(c);
                // Each branch runs unless the condition rules it out.
                let skip_a = self.emit(Op::JumpIf { r: c, value: false, to: 0 });
                let a = self.expr(a);
                self.land(skip_a);
                let skip_b = self.emit(Op::JumpIf { r: c, value: true, to: 0 });
                let b = self.expr(b);
                self.land(skip_b);
                self.emit(Op::Choose { text, dst, c, a, b });
            }
            Expr::Table(t, args) => self.table(*t, args, dst),
            Expr::Vetoed(None) => {
                self.emit(Op::Vetoed { dst, all: true, start: 0, len: 0 });
            }
            Expr::Vetoed(Some(list)) => {
                let start = u32::try_from(self.indices.len()).unwrap_or(0);
                self.indices.extend(list.iter().map(|i| u32::try_from(*i).unwrap_or(u32::MAX)));
                let len = u32::try_from(list.len()).unwrap_or(0);
                self.emit(Op::Vetoed { dst, all: false, start, len });
            }
            Expr::Builtin(Builtin::Count | Builtin::All | Builtin::Any, _)
            | Expr::List(_)
            | Expr::Const(_)
            | Expr::Constant(_)
            | Expr::Fact(_)
            | Expr::Let(..)
            | Expr::Score => {
                self.emit(Op::GiveUp);
            }
        }
        self.scratch = inner;
        dst
    }

    fn unknown(&mut self, dst: Reg) {
        let a = self.constant(Word::UNKNOWN);
        self.emit(Op::Move { dst, a });
    }

    /// A `let`, worked out at its first use in a run and kept: its code
    /// writes the `let`'s own register.
    fn remember(&mut self, i: usize, inner: &Expr) -> Reg {
        let r = u32::try_from(self.program.facts.len() + i).unwrap_or(u32::MAX);
        let done = self.emit(Op::JumpDone { r, to: 0 });
        let value = self.expr_into(inner, Some(r));
        if value != r {
            self.emit(Op::Move { dst: r, a: value });
        }
        self.land(done);
        r
    }

    /// `min`/`max`: unknown from the first unknown argument on, which
    /// ends the evaluation of the arguments.
    fn extreme(&mut self, e: &Expr, dst: Reg, args: &[Expr]) {
        let min = matches!(e, Expr::Builtin(Builtin::Min, _));
        if args.is_empty() {
            return self.unknown(dst);
        }
        let mut exits = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let a = self.expr(arg);
            self.emit(if i == 0 { Op::Move { dst, a } } else { Op::Extreme { min, dst, a } });
            exits.push(self.emit(Op::JumpUnknown { r: dst, to: 0 }));
        }
        exits.into_iter().for_each(|at| self.land(at));
    }

    /// A fixed list's items as words in [`Lane::lists`].
    fn fixed_list(&mut self, list: &Expr) -> Option<(u32, u32)> {
        let Some((Value::List(items), _)) = self.compiler.fixed(list) else {
            return None;
        };
        let start = u32::try_from(self.lists.len()).ok()?;
        for item in items.iter() {
            let w = self.word(Some(item));
            self.lists.push(w);
        }
        Some((start, u32::try_from(items.len()).ok()?))
    }

    fn table(&mut self, t: usize, args: &[Expr], dst: Reg) {
        let Some(def) = self.program.tables.get(t) else {
            self.emit(Op::GiveUp);
            return;
        };
        let regs: Vec<Reg> = args.iter().map(|a| self.expr(a)).collect();
        let ready = self.prepare(t);
        let table = u32::try_from(t).unwrap_or(u32::MAX);
        match (ready, def.lookup, regs.as_slice()) {
            (true, Lookup::Exact, [a]) => self.emit(Op::Exact { dst, table, a: *a, b: *a, keys: 1 }),
            (true, Lookup::Exact, [a, b]) => self.emit(Op::Exact { dst, table, a: *a, b: *b, keys: 2 }),
            (true, _, [key]) => self.emit(Op::Search { dst, table, prefix: None, key: *key }),
            (true, _, [p, key]) => self.emit(Op::Search { dst, table, prefix: Some(*p), key: *key }),
            _ => self.emit(Op::GiveUp),
        };
    }

    /// Makes table `t` ready for words, once; `false` when the lane does
    /// not handle it (more than two keys, a key it cannot hold).
    fn prepare(&mut self, t: usize) -> bool {
        if let Some(Some(table)) = self.tables.get(t) {
            return !matches!(table, Table::None);
        }
        let Some(def) = self.program.tables.get(t) else {
            return false;
        };
        let arity = def.params.len();
        let table = if !(1..=2).contains(&arity) {
            None
        } else if def.lookup == Lookup::Exact {
            let mut rows = HashMap::default();
            let mut ok = true;
            for (keys, value) in def.rows.iter() {
                // The keys' words in their lowest terms (the first two; a
                // row of more keys is skipped below), then the value's: in
                // this order, as texts are numbered when first seen.
                let mut lowest_keys = [Word::UNKNOWN; 2];
                let mut all_known = true;
                for (i, key) in keys.iter().enumerate() {
                    let w = self.word(Some(key));
                    match ((w.d > 0).then(|| lowest(w)).flatten(), lowest_keys.get_mut(i)) {
                        (Some(l), Some(slot)) => *slot = l,
                        (Some(_), None) => {}
                        (None, _) => all_known = false,
                    }
                }
                let value = self.word(Some(value));
                match (all_known, keys.len(), lowest_keys) {
                    (false, ..) => ok = false,
                    (true, 1, [a, _]) if arity == 1 => {
                        rows.entry((a, Word::UNKNOWN)).or_insert(value);
                    }
                    (true, 2, [a, b]) if arity == 2 => {
                        rows.entry((a, b)).or_insert(value);
                    }
                    _ => {}
                }
            }
            ok.then_some(Table::Exact(rows))
        } else {
            let mut groups: HashMap<Word, Vec<(Word, Word)>, FastHash> = HashMap::default();
            let mut ok = true;
            for (keys, value) in def.rows.iter() {
                let (group, last) = match keys.as_slice() {
                    [last] if arity == 1 => (Some(Word::UNKNOWN), last),
                    [first, last] if arity == 2 => {
                        let w = self.word(Some(first));
                        ((w.d > 0).then(|| lowest(w)).flatten(), last)
                    }
                    _ => continue,
                };
                let Value::Num(n) = last else { continue };
                let (k, value) = (Word::num(*n), self.word(Some(value)));
                match group {
                    Some(g) if k.d > 0 => groups.entry(g).or_default().push((k, value)),
                    _ => ok = false,
                }
            }
            ok.then_some(Table::Search(def.lookup, groups))
        };
        let ready = table.is_some();
        if let Some(slot) = self.tables.get_mut(t) {
            *slot = Some(table.unwrap_or(Table::None));
        }
        ready
    }
}

/// What is known of the `let`s at one point of the code, over every run
/// that reaches it: which of them may be worked out, and which surely are.
#[derive(Clone)]
struct Lets {
    maybe: Vec<bool>,
    surely: Vec<bool>,
}

impl Lets {
    /// Where every `let` might or might not be worked out.
    fn unsure(count: usize) -> Lets {
        Lets { maybe: vec![true; count], surely: vec![false; count] }
    }

    /// Where no `let` is worked out yet.
    fn pending(count: usize) -> Lets {
        Lets { maybe: vec![false; count], surely: vec![false; count] }
    }

    fn work_out(&mut self, k: usize) {
        if let (Some(maybe), Some(surely)) = (self.maybe.get_mut(k), self.surely.get_mut(k)) {
            (*maybe, *surely) = (true, true);
        }
    }

    /// What is known where runs from here and from `other` meet.
    fn meet(&mut self, other: &Lets) {
        self.maybe.iter_mut().zip(&other.maybe).for_each(|(a, b)| *a |= b);
        self.surely.iter_mut().zip(&other.surely).for_each(|(a, b)| *a &= b);
    }
}

/// Settles each `JumpDone` whose `let` is known where it stands, in every
/// run: the code of a `let` surely worked out already is dropped, with
/// its jump; the jump before a `let` surely not worked out yet is dropped.
/// The registers `lets` are the `let`s'; the grades and verdicts run after
/// the clauses, over their words, with any `let` worked out or not.
///
/// Code only jumps forward, and a `let`'s code is entered only through its
/// `JumpDone`, so one pass in order meets every way into an instruction
/// before the instruction itself.
fn settle_lets(ops: &mut Vec<Op>, lets: std::ops::Range<Reg>, code: [&mut Code; 3]) {
    let count = lets.len();
    let [clauses, grades, verdicts] = code;
    // What is known on the ways into each instruction seen so far.
    let mut arriving: Vec<Option<Lets>> = vec![None; ops.len() + 1];
    arrive(&mut arriving, clauses.start, &Lets::pending(count));
    arrive(&mut arriving, grades.start, &Lets::unsure(count));
    arrive(&mut arriving, verdicts.start, &Lets::unsure(count));
    let mut keep = vec![true; ops.len()];
    let mut flowing: Option<Lets> = None;
    let mut i = 0;
    while let Some(mut op) = ops.get(i).copied() {
        let known = match (arriving.get_mut(i).and_then(Option::take), flowing.take()) {
            (Some(mut jumped), Some(fell)) => {
                jumped.meet(&fell);
                Some(jumped)
            }
            (jumped, fell) => jumped.or(fell),
        };
        let Some(mut known) = known else {
            i += 1; // reached by no run
            continue;
        };
        match op {
            Op::JumpDone { r, to } if lets.contains(&r) && to as usize > i => {
                let k = (r - lets.start) as usize;
                if known.surely.get(k) == Some(&true) {
                    keep.get_mut(i..to as usize).into_iter().flatten().for_each(|kept| *kept = false);
                    arrive(&mut arriving, to, &known);
                    i = to as usize;
                    continue;
                }
                if known.maybe.get(k) == Some(&true) {
                    let mut done = known.clone();
                    done.work_out(k);
                    arrive(&mut arriving, to, &done);
                } else if let Some(kept) = keep.get_mut(i) {
                    *kept = false;
                }
            }
            Op::GiveUp => {
                i += 1;
                continue;
            }
            _ => {
                if let Some(r) = op.written().filter(|r| lets.contains(r)) {
                    known.work_out((r - lets.start) as usize);
                }
                if let Some(to) = op.target() {
                    arrive(&mut arriving, *to, &known);
                }
            }
        }
        flowing = Some(known);
        i += 1;
    }
    compact(ops, &keep, [clauses, grades, verdicts]);
}

/// Adds what is known on one way into instruction `at` to what is known
/// on the others.
fn arrive(arriving: &mut [Option<Lets>], at: u32, known: &Lets) {
    match arriving.get_mut(at as usize) {
        Some(Some(others)) => others.meet(known),
        Some(slot) => *slot = Some(known.clone()),
        None => {}
    }
}

/// Drops the instructions not kept, moving jump targets and stretches of
/// code to where their instructions now are.
fn compact(ops: &mut Vec<Op>, keep: &[bool], code: [&mut Code; 3]) {
    let mut moved = Vec::with_capacity(keep.len() + 1);
    let mut kept = 0u32;
    for k in keep {
        moved.push(kept);
        kept += u32::from(*k);
    }
    moved.push(kept);
    let to = |at: u32| moved.get(at as usize).copied().unwrap_or(kept);
    for op in ops.iter_mut() {
        if let Some(at) = op.target() {
            *at = to(*at);
        }
    }
    for c in code {
        (c.start, c.end) = (to(c.start), to(c.end));
    }
    let mut keep = keep.iter();
    ops.retain(|_| keep.next().copied().unwrap_or(true));
}

impl Check {
    /// The check of the condition in `r`, negated when `not`.
    fn condition(self, r: Reg, not: bool) -> Op {
        match self {
            Check::When => Op::When { r, not, to: 0 },
            Check::Require => Op::Require { r, not, to: 0 },
            Check::LastRequire => Op::LastRequire { r, not, to: 0 },
            Check::PartialPart => Op::PartialPart { r, not, to: 0 },
            Check::Partial(index) => Op::Partial { index, r, not, to: 0 },
        }
    }

    /// The check of the comparison `a op b`.
    fn compare(self, op: Cmp, a: Reg, b: Reg) -> Op {
        match self {
            Check::When => Op::WhenCompare { op, a, b, to: 0 },
            Check::Require => Op::RequireCompare { op, a, b, to: 0 },
            Check::LastRequire => Op::LastRequireCompare { op, a, b, to: 0 },
            Check::PartialPart => Op::PartialPartCompare { op, a, b, to: 0 },
            Check::Partial(index) => Op::PartialCompare { index, op, a, b, to: 0 },
        }
    }
}

impl Op {
    /// Where the instruction may jump.
    fn target(&mut self) -> Option<&mut u32> {
        match self {
            Op::JumpIf { to, .. }
            | Op::JumpUnknown { to, .. }
            | Op::JumpDone { to, .. }
            | Op::Short { to, .. }
            | Op::When { to, .. }
            | Op::WhenCompare { to, .. }
            | Op::Require { to, .. }
            | Op::RequireCompare { to, .. }
            | Op::LastRequire { to, .. }
            | Op::LastRequireCompare { to, .. }
            | Op::PartialPart { to, .. }
            | Op::PartialPartCompare { to, .. }
            | Op::Partial { to, .. }
            | Op::PartialCompare { to, .. }
            | Op::Pick { to, .. } => Some(to),
            _ => None,
        }
    }

    /// The register the instruction writes.
    fn written(&self) -> Option<Reg> {
        match *self {
            Op::Move { dst, .. }
            | Op::Not { dst, .. }
            | Op::And { dst, .. }
            | Op::Or { dst, .. }
            | Op::Compare { dst, .. }
            | Op::CompareText { dst, .. }
            | Op::In { dst, .. }
            | Op::Arith { dst, .. }
            | Op::Neg { dst, .. }
            | Op::Abs { dst, .. }
            | Op::Extreme { dst, .. }
            | Op::DateDiff { dst, .. }
            | Op::DateShift { dst, .. }
            | Op::Choose { dst, .. }
            | Op::Exact { dst, .. }
            | Op::Search { dst, .. }
            | Op::Vetoed { dst, .. }
            | Op::Short { dst, .. } => Some(dst),
            Op::GiveUp
            | Op::JumpIf { .. }
            | Op::JumpUnknown { .. }
            | Op::JumpDone { .. }
            | Op::When { .. }
            | Op::WhenCompare { .. }
            | Op::Require { .. }
            | Op::RequireCompare { .. }
            | Op::LastRequire { .. }
            | Op::LastRequireCompare { .. }
            | Op::PartialPart { .. }
            | Op::PartialPartCompare { .. }
            | Op::Partial { .. }
            | Op::PartialCompare { .. }
            | Op::Fail
            | Op::Count { .. }
            | Op::Pick { .. } => None,
        }
    }

    /// Calls `f` on every register the instruction names.
    fn registers(&mut self, mut f: impl FnMut(&mut Reg)) {
        match self {
            Op::GiveUp | Op::Fail => {}
            Op::When { r, .. }
            | Op::Require { r, .. }
            | Op::LastRequire { r, .. }
            | Op::PartialPart { r, .. }
            | Op::Partial { r, .. }
            | Op::Count { r } => f(r),
            Op::WhenCompare { a, b, .. }
            | Op::RequireCompare { a, b, .. }
            | Op::LastRequireCompare { a, b, .. }
            | Op::PartialPartCompare { a, b, .. }
            | Op::PartialCompare { a, b, .. } => {
                f(a);
                f(b);
            }
            Op::Pick { r, .. } => {
                if let Some(r) = r {
                    f(r);
                }
            }
            Op::Move { dst, a }
            | Op::Not { dst, a }
            | Op::And { dst, a }
            | Op::Or { dst, a }
            | Op::Neg { dst, a }
            | Op::Abs { dst, a }
            | Op::Extreme { dst, a, .. }
            | Op::Short { dst, a, .. }
            | Op::In { dst, a, .. } => {
                f(dst);
                f(a);
            }
            Op::JumpIf { r, .. } | Op::JumpUnknown { r, .. } | Op::JumpDone { r, .. } => f(r),
            Op::Compare { dst, a, b, .. }
            | Op::CompareText { dst, a, b, .. }
            | Op::Arith { dst, a, b, .. }
            | Op::DateDiff { dst, a, b }
            | Op::Exact { dst, a, b, .. } => {
                f(dst);
                f(a);
                f(b);
            }
            Op::DateShift { dst, date, by, .. } => {
                f(dst);
                f(date);
                f(by);
            }
            Op::Choose { dst, c, a, b, .. } => {
                f(dst);
                f(c);
                f(a);
                f(b);
            }
            Op::Search { dst, prefix, key, .. } => {
                f(dst);
                if let Some(p) = prefix {
                    f(p);
                }
                f(key);
            }
            Op::Vetoed { dst, .. } => f(dst),
        }
    }
}

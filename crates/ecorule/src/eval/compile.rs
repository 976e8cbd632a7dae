//! Expressions compiled to closures, once per rulebook.
//!
//! Each expression becomes a closure of the type its value has: a
//! condition returns a three-valued boolean, a number an optional [`Num`],
//! anything else an optional [`Value`]. Evaluating an audit then calls
//! straight through, without matching on expression kinds or wrapping and
//! unwrapping values at every node; a comparison with a literal captures
//! the literal.

use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

use super::lookup::{Index, Points, by_number, index, lookup, search};
use super::{Ctx, R, TraceKey, Traces, Tri, and, compare, or, overflow};
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;

/// A compiled expression whose value is a `T`, or unknown (`None`).
pub(crate) type Compiled<T> = Box<dyn Fn(&mut Ctx<'_>) -> R<Option<T>> + Send + Sync>;
/// A compiled condition (three-valued).
pub(crate) type CondFn = Compiled<bool>;
/// A compiled number (or quantity in base units).
pub(crate) type NumFn = Compiled<Num>;
/// A compiled expression of any other type.
pub(crate) type AnyFn = Compiled<Value>;

/// A folded constant: replays what it recorded, then gives its value.
fn folded<T: Clone + Send + Sync + 'static>(value: Option<T>, records: Records) -> Compiled<T> {
    Box::new(move |cx| {
        cx.step()?;
        cx.replay(&records);
        Ok(value.clone())
    })
}

/// `if c then a else b`; with `c` unknown, the value both branches agree on.
fn choose<T: PartialEq + 'static>(c: CondFn, a: Compiled<T>, b: Compiled<T>) -> Compiled<T> {
    Box::new(move |cx| {
        cx.step()?;
        Ok(match c(cx)? {
            Some(true) => a(cx)?,
            Some(false) => b(cx)?,
            None => {
                let (x, y) = (a(cx)?, b(cx)?);
                if x == y { x } else { None }
            }
        })
    })
}

/// A literal of a typed closure.
fn literal<T: Copy + Send + Sync + 'static>(value: T) -> Compiled<T> {
    Box::new(move |cx| {
        cx.step()?;
        Ok(Some(value))
    })
}

/// A fact read by a typed closure.
fn fact<T: 'static>(slot: usize, pick: fn(&Value) -> Option<T>) -> Compiled<T> {
    Box::new(move |cx| {
        cx.step()?;
        Ok(cx.fact(slot).and_then(pick))
    })
}

/// A `let`, worked out once per audit: its value is kept in the context
/// as a general value, `pick` reads it back.
fn remember<T: 'static>(
    i: usize,
    inner: Compiled<T>,
    pick: fn(&Value) -> Option<T>,
    wrap: fn(&T) -> Value,
) -> Compiled<T> {
    Box::new(move |cx| {
        cx.step()?;
        if let Some(kept) = cx.kept_let(i) {
            return Ok(kept.and_then(pick));
        }
        let value = cx.counted_once(i, |cx| inner(cx))?;
        cx.keep_let(i, value.as_ref().map(wrap));
        Ok(value)
    })
}

/// A general closure narrowed to the values `pick` accepts.
fn narrow<T: 'static>(f: AnyFn, pick: fn(&Value) -> Option<T>) -> Compiled<T> {
    Box::new(move |cx| Ok(f(cx)?.as_ref().and_then(pick)))
}

/// A typed closure widened to a general one.
fn widen<T: 'static>(f: Compiled<T>, wrap: fn(T) -> Value) -> AnyFn {
    Box::new(move |cx| Ok(f(cx)?.map(wrap)))
}

/// The kind of value an expression has. Conditions and numbers compile
/// to closures of their own type, the rest to general ones; the lane
/// ([`super::lane`]) also tells dates and texts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Bool,
    Num,
    Date,
    Text,
    /// A list (or a slot the program does not have).
    Other,
}

fn as_bool(v: &Value) -> Option<bool> {
    if let Value::Bool(b) = v { Some(*b) } else { None }
}

fn as_num(v: &Value) -> Option<Num> {
    if let Value::Num(n) = v { Some(*n) } else { None }
}

fn shape_of_value(v: &Value) -> Shape {
    match v {
        Value::Bool(_) => Shape::Bool,
        Value::Num(_) => Shape::Num,
        Value::Text(_) => Shape::Text,
        Value::Date(_) => Shape::Date,
        Value::List(_) => Shape::Other,
    }
}

fn shape_of_ty(t: &Ty) -> Shape {
    match t {
        Ty::Bool => Shape::Bool,
        Ty::Num(_) => Shape::Num,
        Ty::Text | Ty::Enum(_) => Shape::Text,
        Ty::Date => Shape::Date,
        Ty::List(_) => Shape::Other,
    }
}

pub(super) struct Compiler<'p> {
    program: &'p Program,
    /// Indexes of `exact` tables, by table, each made when an expression
    /// first looks its table up: a rulebook uses few of its modules'
    /// tables (shared with the compiler [`Compiler::fold`] makes).
    indexes: Rc<[OnceCell<Option<Arc<Index>>>]>,
    /// The rows of one-key tables looked up by number, by table, made the
    /// same way.
    by_number: Rc<[OnceCell<Option<Arc<Points>>>]>,
    /// Whether constant expressions are evaluated once, at compile time.
    folding: bool,
}

/// What a constant expression recorded for explanations.
pub(super) type Records = Traces;

impl<'p> Compiler<'p> {
    pub(super) fn new(program: &'p Program) -> Self {
        let indexes = program.tables.iter().map(|_| OnceCell::new()).collect();
        let by_number = program.tables.iter().map(|_| OnceCell::new()).collect();
        Compiler { program, indexes, by_number, folding: true }
    }

    /// The index of table `t` if it is an `exact` table.
    fn index(&self, t: usize) -> Option<Arc<Index>> {
        let table = self.program.tables.get(t)?;
        self.indexes.get(t)?.get_or_init(|| index(table).map(Arc::new)).clone()
    }

    /// The rows of table `t` if it is a one-key table looked up by number.
    fn by_number(&self, t: usize) -> Option<Arc<Points>> {
        let table = self.program.tables.get(t)?;
        self.by_number.get(t)?.get_or_init(|| by_number(table).map(Arc::from)).clone()
    }

    /// Evaluates an expression that reads no fact once, here: its value and
    /// what it recorded, replayed into each clause's explanation. Literals
    /// (nothing to save) and expressions that fail (they fail when
    /// evaluated, as written) are left alone.
    pub(super) fn fold(&self, e: &Expr) -> Option<(Option<Value>, Records)> {
        if !self.folding || matches!(e, Expr::Const(_)) || !self.constant(e) {
            return None;
        }
        if let Expr::Constant(i) = e {
            // A module constant, the usual operand: read as its closure
            // would read it, without compiling and running one.
            let value = self.program.constants.get(*i).map(|c| c.value.clone());
            let mut records = Records::default();
            records.record(TraceKey::Constant(*i), value.as_ref());
            return Some((value, records));
        }
        let compiled = Compiler {
            program: self.program,
            indexes: Rc::clone(&self.indexes),
            by_number: Rc::clone(&self.by_number),
            folding: false,
        }
        .any(e);
        // A trace that grows as it records: an evaluation's room for every
        // clause, allocated here for each folded expression, was most of
        // what a compile allocated.
        let mut cx = Ctx::new(self.program, &[], crate::limits::Limits::default().max_steps, false);
        cx.trace = Some(Traces::default());
        let value = compiled(&mut cx).ok()?;
        let records = cx.trace.take().unwrap_or_default();
        Some((value, records))
    }

    /// Whether an expression's value is the same for every audit.
    pub(super) fn constant(&self, e: &Expr) -> bool {
        match e {
            Expr::Fact(_) | Expr::Score | Expr::Vetoed(_) => false,
            _ => e.all_children(|child| self.constant(child)),
        }
    }

    pub(super) fn shape(&self, e: &Expr) -> Shape {
        let p = self.program;
        match e {
            Expr::Const(v) => shape_of_value(v),
            Expr::Constant(i) => p.constants.get(*i).map_or(Shape::Other, |c| shape_of_value(&c.value)),
            Expr::Fact(s) => p.facts.get(*s).map_or(Shape::Other, |f| shape_of_ty(&f.ty)),
            Expr::Table(t, _) => p.tables.get(*t).map_or(Shape::Other, |t| shape_of_ty(&t.value_ty)),
            Expr::Builtin(Builtin::All | Builtin::Any, _) => Shape::Bool,
            Expr::Builtin(..) | Expr::Neg(_) | Expr::Arith(..) | Expr::DateDiff(..) | Expr::Score => Shape::Num,
            Expr::List(_) => Shape::Other,
            Expr::DateShift(..) => Shape::Date,
            Expr::Not(_) | Expr::And(..) | Expr::Or(..) | Expr::Compare(..) | Expr::In(..) | Expr::Vetoed(_) => {
                Shape::Bool
            }
            Expr::If(_, a, _) | Expr::Let(_, a) => self.shape(a),
        }
    }

    /// A condition.
    pub(super) fn cond(&self, e: &Expr) -> CondFn {
        if let Some((value, records)) = self.fold(e) {
            return folded(value.as_ref().and_then(as_bool), records);
        }
        match e {
            Expr::Const(Value::Bool(b)) => literal(*b),
            Expr::Fact(slot) if self.shape(e) == Shape::Bool => fact(*slot, as_bool),
            Expr::Not(x) => {
                let x = self.cond(x);
                Box::new(move |cx| {
                    cx.step()?;
                    Ok(x(cx)?.map(|b| !b))
                })
            }
            Expr::And(a, b) => {
                let (a, b) = (self.cond(a), self.cond(b));
                Box::new(move |cx| {
                    cx.step()?;
                    let l = a(cx)?;
                    if l == Some(false) {
                        return Ok(l);
                    }
                    Ok(and(l, b(cx)?))
                })
            }
            Expr::Or(a, b) => {
                let (a, b) = (self.cond(a), self.cond(b));
                Box::new(move |cx| {
                    cx.step()?;
                    let l = a(cx)?;
                    if l == Some(true) {
                        return Ok(l);
                    }
                    Ok(or(l, b(cx)?))
                })
            }
            Expr::Compare(op, a, b) => self.compare(*op, a, b),
            Expr::Let(i, inner) if self.shape(inner) == Shape::Bool => {
                remember(*i, self.cond(inner), as_bool, |b| Value::Bool(*b))
            }
            Expr::In(x, list) if let (Expr::Fact(slot), Some(items)) = (&**x, self.constant_list(list)) => {
                // A fact looked for in a fixed list is read in place.
                let slot = *slot;
                Box::new(move |cx| {
                    cx.steps(3)?;
                    Ok(cx.fact(slot).map(|x| items.iter().any(|i| compare(Cmp::Eq, x, i))))
                })
            }
            Expr::In(x, list) => {
                let (x, list) = (self.any(x), self.any(list));
                Box::new(move |cx| {
                    cx.step()?;
                    let (Some(x), Some(Value::List(items))) = (x(cx)?, list(cx)?) else {
                        return Ok(None);
                    };
                    cx.items(items.len())?;
                    Ok(Some(items.iter().any(|i| compare(Cmp::Eq, &x, i))))
                })
            }
            Expr::Builtin(b @ (Builtin::All | Builtin::Any), args) => {
                let all = *b == Builtin::All;
                let args: Vec<AnyFn> = args.iter().map(|a| self.any(a)).collect();
                Box::new(move |cx| {
                    cx.step()?;
                    let fold = if all { and } else { or };
                    let mut acc: Tri = Some(all);
                    for a in &args {
                        match a(cx)? {
                            Some(Value::Bool(v)) => acc = fold(acc, Some(v)),
                            Some(Value::List(items)) => {
                                cx.items(items.len())?;
                                for i in items.iter() {
                                    acc = fold(acc, if let Value::Bool(v) = i { Some(*v) } else { None });
                                }
                            }
                            _ => acc = fold(acc, None),
                        }
                    }
                    Ok(acc)
                })
            }
            Expr::If(c, a, b) => choose(self.cond(c), self.cond(a), self.cond(b)),
            Expr::Vetoed(which) => {
                let which = which.clone();
                Box::new(move |cx| {
                    cx.step()?;
                    Ok(cx.outcome.as_ref().map(|(_, vetoed)| match &which {
                        None => vetoed.iter().any(|v| *v),
                        Some(list) => list.iter().any(|i| vetoed.get(*i).copied().unwrap_or(false)),
                    }))
                })
            }
            _ => narrow(self.general(e), as_bool),
        }
    }

    fn compare(&self, op: Cmp, a: &Expr, b: &Expr) -> CondFn {
        if self.shape(a) == Shape::Num && self.shape(b) == Shape::Num {
            let holds = move |l: Num, r: Num| match op {
                Cmp::Eq => l == r,
                Cmp::Ne => l != r,
                Cmp::Lt => l < r,
                Cmp::Le => l <= r,
                Cmp::Gt => l > r,
                Cmp::Ge => l >= r,
            };
            // A fact against a literal (`x <= 30 mg/m³`), the usual case,
            // is one closure; a literal on the right is captured, not called.
            if let Expr::Fact(slot) = a
                && let Some((Value::Num(r), records)) = self.fixed(b)
            {
                let slot = *slot;
                return Box::new(move |cx| {
                    cx.steps(3)?;
                    let l = cx.fact(slot).and_then(as_num);
                    cx.replay(&records);
                    Ok(l.map(|l| holds(l, r)))
                });
            }
            let left = self.num(a);
            if let Expr::Const(Value::Num(r)) = b {
                let r = *r;
                return Box::new(move |cx| {
                    cx.step()?;
                    cx.step()?;
                    Ok(left(cx)?.map(|l| holds(l, r)))
                });
            }
            let right = self.num(b);
            return Box::new(move |cx| {
                cx.step()?;
                let (l, r) = (left(cx)?, right(cx)?);
                Ok(match (l, r) {
                    (Some(l), Some(r)) => Some(holds(l, r)),
                    _ => None,
                })
            });
        }
        if let Expr::Fact(slot) = a
            && let Some((r, records)) = self.fixed(b)
        {
            let slot = *slot;
            return Box::new(move |cx| {
                cx.steps(3)?;
                let l = cx.fact(slot);
                cx.replay(&records);
                Ok(l.map(|l| compare(op, l, &r)))
            });
        }
        let (a, b) = (self.any(a), self.any(b));
        Box::new(move |cx| {
            cx.step()?;
            let (l, r) = (a(cx)?, b(cx)?);
            Ok(match (l, r) {
                (Some(l), Some(r)) => Some(compare(op, &l, &r)),
                _ => None,
            })
        })
    }

    /// A number.
    pub(super) fn num(&self, e: &Expr) -> NumFn {
        if let Some((value, records)) = self.fold(e) {
            return folded(value.as_ref().and_then(as_num), records);
        }
        match e {
            Expr::Const(Value::Num(n)) => literal(*n),
            Expr::Fact(slot) if self.shape(e) == Shape::Num => fact(*slot, as_num),
            Expr::Neg(x) => {
                let x = self.num(x);
                Box::new(move |cx| {
                    cx.step()?;
                    match x(cx)? {
                        Some(n) => Ok(Some(n.checked_neg().ok_or_else(overflow)?)),
                        None => Ok(None),
                    }
                })
            }
            Expr::Arith(op, a, b) => {
                let (op, a, b) = (*op, self.num(a), self.num(b));
                Box::new(move |cx| {
                    cx.step()?;
                    let (l, r) = (a(cx)?, b(cx)?);
                    let (Some(l), Some(r)) = (l, r) else {
                        return Ok(None);
                    };
                    let result = match op {
                        Arith::Add => l.checked_add(r),
                        Arith::Sub => l.checked_sub(r),
                        Arith::Mul => l.checked_mul(r),
                        Arith::Div if r.is_zero() => {
                            return Err(Error::new(ErrorKind::Evaluation, "division by zero"));
                        }
                        Arith::Div => l.checked_div(r),
                    };
                    Ok(Some(result.ok_or_else(overflow)?))
                })
            }
            Expr::Builtin(b @ (Builtin::Min | Builtin::Max), args) => {
                let min = *b == Builtin::Min;
                let args: Vec<NumFn> = args.iter().map(|a| self.num(a)).collect();
                Box::new(move |cx| {
                    cx.step()?;
                    let mut best: Option<Num> = None;
                    for a in &args {
                        let Some(n) = a(cx)? else {
                            return Ok(None);
                        };
                        best = Some(match best {
                            None => n,
                            Some(m) if min => m.min(n),
                            Some(m) => m.max(n),
                        });
                    }
                    Ok(best)
                })
            }
            Expr::Builtin(Builtin::Abs, args) => {
                let x = args.first().map(|a| self.num(a));
                Box::new(move |cx| {
                    cx.step()?;
                    match &x {
                        Some(x) => match x(cx)? {
                            Some(n) => Ok(Some(n.abs().ok_or_else(overflow)?)),
                            None => Ok(None),
                        },
                        None => Ok(None),
                    }
                })
            }
            Expr::Builtin(Builtin::Count, args) => {
                let x = args.first().map(|a| self.any(a));
                Box::new(move |cx| {
                    cx.step()?;
                    let Some(x) = &x else {
                        return Ok(None);
                    };
                    match x(cx)? {
                        Some(Value::List(items)) => {
                            let n = i64::try_from(items.len()).map_err(|_| overflow())?;
                            Ok(Some(Num::int(n)))
                        }
                        _ => Ok(None),
                    }
                })
            }
            Expr::Builtin(Builtin::DaysBetween, args) => {
                let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
                    return Box::new(|cx| {
                        cx.step()?;
                        Ok(None)
                    });
                };
                let (a, b) = (self.any(a), self.any(b));
                Box::new(move |cx| {
                    cx.step()?;
                    let (Some(Value::Date(x)), Some(Value::Date(y))) = (a(cx)?, b(cx)?) else {
                        return Ok(None);
                    };
                    Ok(Some(days(y.signed_duration_since(x).num_days())?))
                })
            }
            Expr::DateDiff(a, b) => {
                let (a, b) = (self.any(a), self.any(b));
                Box::new(move |cx| {
                    cx.step()?;
                    let (Some(Value::Date(x)), Some(Value::Date(y))) = (a(cx)?, b(cx)?) else {
                        return Ok(None);
                    };
                    Ok(Some(days(x.signed_duration_since(y).num_days())?))
                })
            }
            Expr::If(c, a, b) => choose(self.cond(c), self.num(a), self.num(b)),
            Expr::Let(i, inner) if self.shape(inner) == Shape::Num => {
                remember(*i, self.num(inner), as_num, |n| Value::Num(*n))
            }
            Expr::Table(t, args) if self.shape(e) == Shape::Num => match (self.by_number(*t), args.as_slice()) {
                (Some(rows), [key]) => self.table_by_number(*t, key, rows),
                _ => narrow(self.general(e), as_num),
            },
            Expr::Score => Box::new(|cx| {
                cx.step()?;
                Ok(cx.outcome.as_ref().map(|(s, _)| *s))
            }),
            _ => narrow(self.general(e), as_num),
        }
    }

    /// An expression of any type.
    fn any(&self, e: &Expr) -> AnyFn {
        if let Some((value, records)) = self.fold(e) {
            return folded(value, records);
        }
        match self.shape(e) {
            Shape::Bool => widen(self.cond(e), Value::Bool),
            Shape::Num => widen(self.num(e), Value::Num),
            Shape::Date | Shape::Text | Shape::Other => self.general(e),
        }
    }

    /// The expressions `cond` and `num` do not specialise: values read
    /// from the program or the audit, tables, lists, dates and `let`s.
    fn general(&self, e: &Expr) -> AnyFn {
        match e {
            Expr::Const(v) => {
                let v = v.clone();
                Box::new(move |cx| {
                    cx.step()?;
                    Ok(Some(v.clone()))
                })
            }
            Expr::Constant(i) => {
                let i = *i;
                Box::new(move |cx| {
                    cx.step()?;
                    let value = cx.program.constants.get(i).map(|c| c.value.clone());
                    cx.record(TraceKey::Constant(i), &value);
                    Ok(value)
                })
            }
            Expr::Fact(slot) => {
                let slot = *slot;
                Box::new(move |cx| {
                    cx.step()?;
                    Ok(cx.fact(slot).cloned())
                })
            }
            Expr::Table(t, args) => self.table(*t, args),
            Expr::List(items) => {
                let items: Vec<AnyFn> = items.iter().map(|i| self.any(i)).collect();
                Box::new(move |cx| {
                    cx.step()?;
                    let mut values = Vec::with_capacity(items.len());
                    for item in &items {
                        match item(cx)? {
                            Some(v) => values.push(v),
                            None => return Ok(None),
                        }
                    }
                    Ok(Some(Value::List(values.into())))
                })
            }
            Expr::DateShift(shift, d, dur) => {
                let (shift, d, dur) = (*shift, self.any(d), self.num(dur));
                Box::new(move |cx| {
                    cx.step()?;
                    let (Some(Value::Date(date)), Some(seconds)) = (d(cx)?, dur(cx)?) else {
                        return Ok(None);
                    };
                    match shift_date(date, shift, seconds) {
                        Ok(shifted) => Ok(Some(Value::Date(shifted))),
                        Err(ShiftError::NotWhole(count)) => {
                            let whole = shift.unit().1;
                            Err(Error::new(
                                ErrorKind::Evaluation,
                                format!("{count} {whole} is not a whole number of {whole}"),
                            ))
                        }
                        Err(ShiftError::OutOfRange) => {
                            Err(Error::new(ErrorKind::Evaluation, "the date moves out of range"))
                        }
                    }
                })
            }
            Expr::If(c, a, b) => choose(self.cond(c), self.any(a), self.any(b)),
            Expr::Let(i, inner) => remember(*i, self.any(inner), |v| Some(v.clone()), Value::clone),
            Expr::Not(_)
            | Expr::And(..)
            | Expr::Or(..)
            | Expr::Compare(..)
            | Expr::In(..)
            | Expr::Vetoed(_)
            | Expr::Builtin(Builtin::All | Builtin::Any, _) => widen(self.cond(e), Value::Bool),
            Expr::Neg(_) | Expr::Arith(..) | Expr::DateDiff(..) | Expr::Score | Expr::Builtin(..) => {
                widen(self.num(e), Value::Num)
            }
        }
    }

    /// The value of an operand every audit shares, with what it records:
    /// a literal, a module constant or an expression of those.
    pub(super) fn fixed(&self, e: &Expr) -> Option<(Value, Records)> {
        match e {
            Expr::Const(v) => Some((v.clone(), Records::default())),
            _ => match self.fold(e)? {
                (Some(v), records) => Some((v, records)),
                (None, _) => None,
            },
        }
    }

    /// A list every audit shares (`x in ["2", "3"]`), when it records
    /// nothing for explanations.
    fn constant_list(&self, e: &Expr) -> Option<Arc<[Value]>> {
        match self.fold(e) {
            Some((Some(Value::List(items)), records)) if records.is_empty() => Some(items),
            _ => None,
        }
    }

    /// A number from a one-key `nearest`, `floor` or `linear` table.
    fn table_by_number(&self, t: usize, key: &Expr, rows: Arc<Points>) -> NumFn {
        let key = self.num(key);
        let rule = self.program.tables.get(t).map(|table| table.lookup);
        Box::new(move |cx| {
            cx.step()?;
            let (Some(x), Some(rule), Some(table)) = (key(cx)?, rule, cx.program.tables.get(t)) else {
                return Ok(None);
            };
            let value = match search(rule, x, rows.iter().map(|(k, v)| (*k, v)))? {
                Some(value) => value,
                // No row: the general look-up says why.
                None => lookup(table, None, &[Value::Num(x)])?,
            };
            cx.record_table(t, &[Value::Num(x)], &value);
            Ok(as_num(&value))
        })
    }

    fn table(&self, t: usize, args: &[Expr]) -> AnyFn {
        let index = self.index(t);
        if let [Expr::Fact(slot)] = args {
            // One fact for the key, the usual case: looked up in place.
            let slot = *slot;
            return Box::new(move |cx| {
                cx.steps(2)?;
                let (Some(key), Some(table)) = (cx.fact(slot), cx.program.tables.get(t)) else {
                    return Ok(None);
                };
                let keys = std::slice::from_ref(key);
                let value = lookup(table, index.as_deref(), keys)?;
                cx.record_table(t, keys, &value);
                Ok(Some(value))
            });
        }
        let args: Vec<AnyFn> = args.iter().map(|a| self.any(a)).collect();
        Box::new(move |cx| {
            cx.step()?;
            let program = cx.program;
            let Some(table) = program.tables.get(t) else {
                return Ok(None);
            };
            // Tables have one or two keys; no allocation for those.
            let value = match args.as_slice() {
                [a] => {
                    let Some(k) = a(cx)? else { return Ok(None) };
                    let keys = [k];
                    let value = lookup(table, index.as_deref(), &keys)?;
                    cx.record_table(t, &keys, &value);
                    value
                }
                [a, b] => {
                    let (Some(k0), Some(k1)) = (a(cx)?, b(cx)?) else { return Ok(None) };
                    let keys = [k0, k1];
                    let value = lookup(table, index.as_deref(), &keys)?;
                    cx.record_table(t, &keys, &value);
                    value
                }
                _ => {
                    let mut keys = Vec::with_capacity(args.len());
                    for a in &args {
                        match a(cx)? {
                            Some(v) => keys.push(v),
                            None => return Ok(None),
                        }
                    }
                    let value = lookup(table, index.as_deref(), &keys)?;
                    cx.record_table(t, &keys, &value);
                    value
                }
            };
            Ok(Some(value))
        })
    }
}

/// Whole days as a time quantity in base units (seconds).
pub(super) fn days(n: i64) -> R<Num> {
    Num::int(n).checked_mul(Num::int(86_400)).ok_or_else(overflow)
}

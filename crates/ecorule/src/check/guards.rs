//! Guards: the values of a choice that the conditions a look-up runs under
//! keep from it, so [`Checker::table_key_slips`] does not warn of a key
//! that no audit reaching the look-up can give.
//!
//! What evaluation does (`eval::compile`, and the lane, which gives up
//! wherever it could differ): a clause's `when`s run in turn and stop at
//! the first that fails, and only then its `require`s, which also stop at
//! the first that fails, and its `partial`s (which run when a `require`
//! fails, so a `require` guards only the `require`s after it); `a and b`
//! runs `b` unless `a` is false, `a or b` unless `a` is true; `if c then a
//! else b` runs `a` when `c` is true, `b` when it is false and both when
//! it is unknown; `all` and `any` run every argument. Under Kleene logic an
//! unknown left side of `and` or `or` runs the right side too, so a guard
//! protects only if it is *false*, not merely not true, whenever the key
//! holds a value with no row. The forms read here are comparisons of an
//! enum fact with constants (`f == v`, `f != v`, `f in [...]`), `not` of them,
//! conjunctions of them (`a and b` held, `a or b` failed): a known
//! fact makes each comparison known, and a conjunction one of whose sides
//! is false is false (`false and unknown` too); and disjunctions of them
//! (`a or b` held, `a and b` failed), for a fact both sides keep to some
//! values, which then keep it to all of those. An unknown fact is no
//! danger: a look-up with an unknown key is unknown, not an error. Any
//! other condition (a bool fact, a comparison of two facts) allows every
//! value.

use std::sync::Arc;

use super::Checker;
use super::slips::{fact_slot, unlet};
use crate::ir::{Cmp, Expr, Ty, Value};

/// What a condition known to hold (or to fail) says of one fact: that its
/// value is one of `values` (`only`), or none of them.
pub(super) struct Narrowing {
    slot: usize,
    values: Vec<Arc<str>>,
    only: bool,
}

/// Whether the narrowings let fact `slot` be `code` where they hold.
pub(super) fn allows(narrowings: &[Narrowing], slot: usize, code: &str) -> bool {
    narrowings.iter().filter(|n| n.slot == slot).all(|n| n.values.iter().any(|v| &**v == code) == n.only)
}

impl Checker<'_> {
    /// Runs `check` with `cond` known to hold (`holds`) or to fail, then
    /// forgets what that said: the branches of an `if`, the right side of
    /// `and` and `or`.
    pub(super) fn guarded<T>(&mut self, cond: &Expr, holds: bool, check: impl FnOnce(&mut Self) -> T) -> T {
        let mark = self.narrowings.len();
        self.narrow(cond, holds);
        let checked = check(self);
        self.narrowings.truncate(mark);
        checked
    }

    /// Notes what `cond`, known to hold (`holds`) or to fail, says of the
    /// enum facts it compares with constants, in the forms the module
    /// comment lists; nothing (and no allocation) for any other condition. Recurs
    /// only through `not`, `and`, `or` and `let`s, as deep as the checked
    /// expression, which the depth limit holds.
    pub(super) fn narrow(&mut self, cond: &Expr, holds: bool) {
        match cond {
            Expr::Let(_, inner) => self.narrow(inner, holds),
            Expr::Not(inner) => self.narrow(inner, !holds),
            Expr::And(a, b) if holds => {
                self.narrow(a, true);
                self.narrow(b, true);
            }
            Expr::Or(a, b) if !holds => {
                self.narrow(a, false);
                self.narrow(b, false);
            }
            Expr::And(a, b) if !holds => self.narrow_either(a, b, false),
            Expr::Or(a, b) => self.narrow_either(a, b, true),
            Expr::Compare(cmp @ (Cmp::Eq | Cmp::Ne), l, r) => {
                let equal = (*cmp == Cmp::Eq) == holds;
                let compared = match (self.choice_slot(l), self.choice_slot(r)) {
                    (Some(slot), None) => self.constant_text(r).map(|v| (slot, v)),
                    (None, Some(slot)) => self.constant_text(l).map(|v| (slot, v)),
                    _ => None,
                };
                if let Some((slot, value)) = compared {
                    self.narrowings.push(Narrowing { slot, values: vec![value], only: equal });
                }
            }
            Expr::In(x, list) => {
                if let Some(slot) = self.choice_slot(x)
                    && let Some(values) = self.constant_texts(list)
                {
                    self.narrowings.push(Narrowing { slot, values, only: holds });
                }
            }
            _ => {}
        }
    }

    /// Notes what `a or b` holding says (`holds`), or `a and b` failing:
    /// a fact one side keeps to some values and the other side to others
    /// is kept to all of them (`fuel == gas or fuel == oil`). A side that
    /// keeps a fact to values is false for any other value the fact has,
    /// and so is the other, so the whole is too.
    fn narrow_either(&mut self, a: &Expr, b: &Expr, holds: bool) {
        let mark = self.narrowings.len();
        self.narrow(a, holds);
        let from_a = self.narrowings.split_off(mark);
        self.narrow(b, holds);
        let from_b = self.narrowings.split_off(mark);
        for n in from_a.iter().filter(|n| n.only) {
            for m in from_b.iter().filter(|m| m.only && m.slot == n.slot) {
                let mut values = n.values.clone();
                values.extend(m.values.iter().filter(|v| !n.values.contains(v)).cloned());
                self.narrowings.push(Narrowing { slot: n.slot, values, only: true });
            }
        }
    }

    /// The slot of an enum fact read as it is (a `let` of one included):
    /// only a choice keys a look-up the warning is about.
    fn choice_slot(&self, e: &Expr) -> Option<usize> {
        fact_slot(e).filter(|slot| self.facts.get(*slot).is_some_and(|f| matches!(f.ty, Ty::Enum(_))))
    }

    /// The text (a choice's code) a constant expression is.
    fn constant_text(&self, e: &Expr) -> Option<Arc<str>> {
        match self.constant_value(e)? {
            Value::Text(code) => Some(code),
            _ => None,
        }
    }

    /// The texts of a list every audit shares: written out of constants, or
    /// a module constant.
    fn constant_texts(&self, list: &Expr) -> Option<Vec<Arc<str>>> {
        let text = |v: &Value| match v {
            Value::Text(code) => Some(Arc::clone(code)),
            _ => None,
        };
        match unlet(list) {
            Expr::List(items) => items.iter().map(|i| self.constant_text(i)).collect(),
            other => match self.constant_value(other)? {
                Value::List(items) => items.iter().map(text).collect(),
                _ => None,
            },
        }
    }
}

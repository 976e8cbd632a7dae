//! Table look-ups: `exact`, `nearest`, `floor` and `linear`.

use super::{R, compare, overflow};
use crate::ast::Lookup;
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;

/// An `exact` table's rows by their keys (the first row of equal keys).
pub(super) type Index = std::collections::HashMap<Vec<Value>, usize, FastHash>;

/// The index of an `exact` table; `None` for the other look-ups.
pub(super) fn index(table: &TableDef) -> Option<Index> {
    if table.lookup != Lookup::Exact {
        return None;
    }
    let mut index = Index::default();
    for (i, (keys, _)) in table.rows.iter().enumerate() {
        index.entry(keys.clone()).or_insert(i);
    }
    Some(index)
}

/// Finds a table's value for `keys` by its look-up rule.
pub(super) fn lookup(table: &TableDef, index: Option<&Index>, keys: &[Value]) -> R<Value> {
    let (last, prefix) = keys.split_last().ok_or_else(|| Error::new(ErrorKind::Evaluation, "a table needs a key"))?;
    let no_row = |why: String| {
        let keys: Vec<String> = keys
            .iter()
            .zip(&table.param_names)
            .zip(&table.key_units)
            .map(|((k, n), u)| format!("{n} = {}", k.show(u.as_ref())))
            .collect();
        Error::new(ErrorKind::Evaluation, format!("table `{}` has no row for {}{why}", table.name, keys.join(", ")))
    };
    let rows = || {
        table
            .rows
            .iter()
            .filter(|(k, _)| k.len() == keys.len() && k.iter().zip(prefix).all(|(a, b)| compare(Cmp::Eq, a, b)))
    };
    // The first key that no row has in its place (any key of an `exact`
    // table, the keys before the last of the others), and the ones rows have.
    let exact = table.lookup == Lookup::Exact;
    let absent = || {
        let matched = if exact { keys } else { prefix };
        let listed = |i: usize, k: &Value| table.rows.iter().any(|(row, _)| row.get(i) == Some(k));
        let i = matched.iter().enumerate().position(|(i, k)| !listed(i, k))?;
        Some(format!(": {}", table.keys_text(i, false)))
    };
    if exact {
        // Keys compare equal exactly when they are equal values, so the
        // index finds the row a scan would.
        let row = match index {
            Some(index) => index.get(keys).and_then(|i| table.rows.get(*i)),
            None => table.rows.iter().find(|(k, _)| k.as_slice() == keys),
        };
        return row.map(|(_, v)| v.clone()).ok_or_else(|| no_row(absent().unwrap_or_default()));
    }
    let Value::Num(x) = last else {
        return Err(no_row(String::new()));
    };
    // INVARIANT: rows are sorted by their last key for these look-ups.
    let points = || {
        rows().filter_map(|(k, v)| match k.last() {
            Some(Value::Num(n)) => Some((*n, v)),
            _ => None,
        })
    };
    let range = || {
        let unit = table.key_units.last().and_then(Option::as_ref);
        match (points().next(), points().next_back()) {
            (Some((lo, _)), Some((hi, _))) => {
                format!(": its rows run from {} to {}", Value::Num(lo).show(unit), Value::Num(hi).show(unit))
            }
            _ => String::new(),
        }
    };
    search(table.lookup, *x, points())?.ok_or_else(|| no_row(absent().unwrap_or_else(range)))
}

/// A one-key table's rows as (key, value) pairs, in the table's order.
pub(super) type Points = [(Num, Value)];

/// The rows of a one-key `nearest`, `floor` or `linear` table; `None` for
/// other tables.
pub(super) fn by_number(table: &TableDef) -> Option<Vec<(Num, Value)>> {
    if table.lookup == Lookup::Exact || table.params.len() != 1 {
        return None;
    }
    let rows = table.rows.iter().filter_map(|(k, v)| match k.as_slice() {
        [Value::Num(n)] => Some((*n, v.clone())),
        _ => None,
    });
    Some(rows.collect())
}

/// The rows around `x` among rows sorted by key, found in one pass of
/// comparisons: what `nearest`, `floor` and `linear` choose from.
pub(super) struct Around<K, V> {
    /// The first row of the largest key at or below `x`.
    pub below: Option<(K, V)>,
    /// The last row at or below `x`.
    pub floor: Option<(K, V)>,
    /// The first row above `x`.
    pub above: Option<(K, V)>,
}

pub(super) fn around<K: Copy, V: Copy>(
    x: K,
    rows: impl IntoIterator<Item = (K, V)>,
    cmp: impl Fn(&K, &K) -> std::cmp::Ordering,
) -> Around<K, V> {
    use std::cmp::Ordering::Greater;
    let mut found = Around { below: None, floor: None, above: None };
    for (k, v) in rows {
        if cmp(&k, &x) == Greater {
            found.above = Some((k, v));
            break;
        }
        if found.below.is_none_or(|(b, _)| cmp(&k, &b) == Greater) {
            found.below = Some((k, v));
        }
        found.floor = Some((k, v));
    }
    found
}

/// The value a `nearest`, `floor` or `linear` look-up of `x` finds among
/// rows sorted by key; `None` when no row serves.
pub(super) fn search<'v>(rule: Lookup, x: Num, points: impl Iterator<Item = (Num, &'v Value)>) -> R<Option<Value>> {
    let Around { below, floor, above } = around(x, points, Num::cmp);
    match rule {
        Lookup::Nearest => match (below, above) {
            (Some((lo, v)), Some((hi, w))) => {
                // On a tie the higher key wins: 四舍五入, half rounds up.
                let to_lo = x.checked_sub(lo).ok_or_else(overflow)?;
                let to_hi = hi.checked_sub(x).ok_or_else(overflow)?;
                Ok(Some(if to_hi <= to_lo { w.clone() } else { v.clone() }))
            }
            (Some((_, v)), None) | (None, Some((_, v))) => Ok(Some(v.clone())),
            (None, None) => Ok(None),
        },
        // Of equal keys, the last row at or below x.
        Lookup::Floor => Ok(floor.map(|(_, v)| v.clone())),
        Lookup::Linear => {
            if let Some((_, v)) = below.filter(|(k, _)| *k == x) {
                return Ok(Some(v.clone()));
            }
            let (Some((k0, Value::Num(v0))), Some((k1, Value::Num(v1)))) = (floor, above) else {
                return Ok(None);
            };
            let slope = v1
                .checked_sub(*v0)
                .and_then(|dv| k1.checked_sub(k0).and_then(|dk| dv.checked_div(dk)))
                .ok_or_else(overflow)?;
            let value = x
                .checked_sub(k0)
                .and_then(|dx| dx.checked_mul(slope))
                .and_then(|d| v0.checked_add(d))
                .ok_or_else(overflow)?;
            Ok(Some(Value::Num(value)))
        }
        Lookup::Exact => Ok(None),
    }
}

//! Types, literals and tables: source text to exact values.

use std::cmp::Ordering;
use std::collections::HashSet;

use chrono::NaiveDate;

use super::Checker;
use crate::ast::{self, Literal, Lookup, Spanned, TypeExpr};
use crate::error::ErrorKind;
use crate::ir::{EnumDef, FactBounds, FastHash, Reason, TableDef, Ty, Value};
use crate::num::Num;
use crate::span::Span;
use crate::units::{Dim, Unit};

impl Checker<'_> {
    /// A declared type, with the unit values of it are given in.
    pub(super) fn type_expr(&mut self, ty: &Spanned<TypeExpr>) -> Option<(Ty, Option<Unit>)> {
        self.type_of(&ty.node)
    }

    fn type_of(&mut self, ty: &TypeExpr) -> Option<(Ty, Option<Unit>)> {
        Some(match ty {
            TypeExpr::Bool => (Ty::Bool, None),
            TypeExpr::Number | TypeExpr::Count => (Ty::Num(Dim::NONE), None),
            TypeExpr::Text => (Ty::Text, None),
            TypeExpr::Date => (Ty::Date, None),
            TypeExpr::Duration => (Ty::Num(Dim::TIME), Some(Unit::days())),
            TypeExpr::Quantity(text) => {
                let unit = self.unit(text.node, text.span)?;
                (Ty::Num(unit.dim()), Some(unit))
            }
            TypeExpr::Enum(variants) => {
                let mut seen = HashSet::new();
                let mut list = Vec::new();
                for v in variants {
                    if !seen.insert(v.name.node.to_string()) {
                        self.error(
                            ErrorKind::Duplicate,
                            format!("enum value `{}` is listed twice", v.name.node),
                            v.name.span,
                        );
                        continue;
                    }
                    let labels = v.title.as_ref().map(super::labels).unwrap_or_default();
                    list.push((v.name.node.to_string(), labels));
                }
                self.enums.push(EnumDef { variants: list });
                (Ty::Enum(self.enums.len() - 1), None)
            }
            TypeExpr::List(inner) => {
                let (t, unit) = self.type_of(inner)?;
                (Ty::List(Box::new(t)), unit)
            }
        })
    }

    pub(super) fn unit(&mut self, text: &str, span: Span) -> Option<Unit> {
        // Table rows repeat the same few units; parse each spelling once.
        if let Some(unit) = self.units.get(text) {
            return Some(unit.clone());
        }
        match Unit::parse(text) {
            Ok(u) => {
                self.units.insert(text.to_string(), u.clone());
                Some(u)
            }
            Err(why) => {
                self.error_help(
                    ErrorKind::Unit,
                    why,
                    span,
                    "units are written like `mg/L`, `mg/m³`, `kg/h`, `t/a`, `m³/d`, `dB(A)`, `%`",
                );
                None
            }
        }
    }

    pub(super) fn date(&mut self, text: &str, span: Span) -> Option<NaiveDate> {
        match crate::ir::parse_date(text) {
            Some(d) => Some(d),
            None => {
                self.error(ErrorKind::Literal, format!("`{text}` is not a valid date"), span);
                None
            }
        }
    }

    /// A literal's value, type and unit.
    pub(super) fn literal(&mut self, lit: &Literal, span: Span) -> Option<(Value, Ty, Option<Unit>)> {
        self.literal_as(lit, span, None)
    }

    /// A literal read where a value of `expected` (with `unit`) is wanted: a
    /// bare number there is taken in that unit.
    fn literal_as(
        &mut self,
        lit: &Literal,
        span: Span,
        expected: Option<(&Ty, Option<&Unit>)>,
    ) -> Option<(Value, Ty, Option<Unit>)> {
        match lit {
            Literal::Bool(b) => Some((Value::Bool(*b), Ty::Bool, None)),
            Literal::Text(t) => Some((Value::Text(t.as_ref().into()), Ty::Text, None)),
            Literal::Date(d) => Some((Value::Date(self.date(d, span)?), Ty::Date, None)),
            Literal::Number { value, unit } => {
                let Some(n) = Num::parse(value) else {
                    self.error(ErrorKind::Literal, format!("`{value}` is not a number that can be held exactly"), span);
                    return None;
                };
                let unit = match (unit, expected) {
                    (Some(u), _) => self.unit(u, span)?,
                    (None, Some((_, Some(u)))) => u.clone(),
                    (None, _) => Unit::none(),
                };
                let Some(base) = unit.to_base(n) else {
                    self.error(ErrorKind::Literal, format!("`{value}` is too large"), span);
                    return None;
                };
                let shown = if unit.name().is_empty() { None } else { Some(unit.clone()) };
                Some((Value::Num(base), Ty::Num(unit.dim()), shown))
            }
        }
    }

    /// A fact's `min` and `max`, values of its type (of its items, for a
    /// list) in order: numbers, quantities, durations and dates have them.
    /// A count is a whole number and at least 0 whatever its `min` says.
    pub(super) fn fact_bounds(&mut self, decl: &ast::FactDecl, ty: &Ty, unit: Option<&Unit>) -> FactBounds {
        let whole = matches!(&decl.ty.node, TypeExpr::Count)
            || matches!(&decl.ty.node, TypeExpr::List(item) if **item == TypeExpr::Count);
        let at_least_zero = || Some(Value::Num(Num::ZERO));
        let Some(first) = decl.min.as_ref().or(decl.max.as_ref()) else {
            return FactBounds { min: if whole { at_least_zero() } else { None }, max: None, whole };
        };
        let item = match ty {
            Ty::List(item) => item.as_ref(),
            ty => ty,
        };
        if !matches!(item, Ty::Num(_) | Ty::Date) {
            let message = format!(
                "`min` and `max` are for numbers, quantities, durations and dates, but fact `{}` is {}",
                decl.name.node,
                ty.describe(&self.enums, unit)
            );
            self.error(ErrorKind::Type, message, first.span);
            return FactBounds::default();
        }
        let mut min = decl.min.as_ref().and_then(|lit| self.typed_literal(lit, item, unit));
        let max = decl.max.as_ref().and_then(|lit| self.typed_literal(lit, item, unit));
        if whole {
            let negative = matches!(&min, Some(Value::Num(lo)) if lo.is_negative());
            if let (true, Some(lit)) = (negative, &decl.min) {
                self.error(
                    ErrorKind::Type,
                    format!("fact `{}` is a count, never below 0, so its `min` cannot be negative", decl.name.node),
                    lit.span,
                );
            }
            if negative || min.is_none() {
                min = at_least_zero();
            }
        }
        if let (Some(lo), Some(hi), Some(last)) = (&min, &max, &decl.max)
            && crate::ir::order(lo, hi).is_some_and(Ordering::is_gt)
        {
            self.error(
                ErrorKind::Type,
                format!("`max` of fact `{}` is less than its `min`", decl.name.node),
                last.span,
            );
        }
        FactBounds { min, max, whole }
    }

    pub(super) fn table(&mut self, t: &ast::Table, name: &str) -> Option<TableDef> {
        let mut params = Vec::new();
        let mut key_units = Vec::new();
        for p in &t.params {
            let (ty, unit) = self.type_expr(&p.ty)?;
            if !matches!(ty, Ty::Num(_) | Ty::Text) {
                self.error(
                    ErrorKind::Type,
                    format!("table key `{}` must be a quantity, a number or text", p.name.node),
                    p.ty.span,
                );
                return None;
            }
            params.push(ty);
            key_units.push(unit);
        }
        let (value_ty, value_unit) = self.type_expr(&t.result)?;
        if !matches!(value_ty, Ty::Num(_) | Ty::Text | Ty::Bool) {
            self.error(ErrorKind::Type, "table values must be quantities, numbers, text or true/false", t.result.span);
            return None;
        }
        let lookup = t.lookup.node;
        let last_numeric = matches!(params.last(), Some(Ty::Num(_)));
        if lookup != Lookup::Exact && !last_numeric {
            self.error(
                ErrorKind::Type,
                format!("`{}` look-up needs a numeric last key", lookup.keyword()),
                t.lookup.span,
            );
            return None;
        }
        if lookup == Lookup::Linear && !matches!(value_ty, Ty::Num(_)) {
            self.error(ErrorKind::Type, "`linear` look-up needs numeric values", t.lookup.span);
            return None;
        }
        let mut rows: Vec<(Vec<Value>, Value)> = Vec::new();
        // The keys listed so far: a table of thousands of rows is checked
        // for a key listed twice in one pass, not by comparing each pair.
        let mut listed: HashSet<Vec<Value>, FastHash> = HashSet::default();
        let mut ok = true;
        for row in &t.rows {
            if row.keys.len() != params.len() {
                self.error(
                    ErrorKind::Type,
                    format!("this row has {}, but table `{name}` takes {}", super::keys(row.keys.len()), params.len()),
                    row.span,
                );
                ok = false;
                continue;
            }
            let mut keys = Vec::new();
            for ((key, ty), unit) in row.keys.iter().zip(&params).zip(&key_units) {
                match self.typed_literal(key, ty, unit.as_ref()) {
                    Some(v) => keys.push(v),
                    None => ok = false,
                }
            }
            let value = self.typed_literal(&row.value, &value_ty, value_unit.as_ref());
            match value {
                Some(v) if keys.len() == params.len() => {
                    if !listed.insert(keys.clone()) {
                        self.error(ErrorKind::Duplicate, format!("table `{name}` lists this key twice"), row.span);
                        ok = false;
                    }
                    rows.push((keys, v));
                }
                _ => ok = false,
            }
        }
        if rows.is_empty() && ok {
            self.error(ErrorKind::Type, format!("table `{name}` has no rows"), t.span);
            return None;
        }
        if lookup != Lookup::Exact {
            rows.sort_by_key(|row| num_key(row.0.last()));
        }
        ok.then(|| TableDef {
            name: name.to_string(),
            param_names: t.params.iter().map(|p| p.name.node.to_string()).collect(),
            params,
            key_units,
            value_ty,
            value_unit,
            lookup,
            rows: rows.into(),
            unverified: t.unverified.as_ref().map(Reason::of),
        })
    }

    /// A literal that must have type `ty` (a table key or value).
    fn typed_literal(&mut self, lit: &Spanned<Literal>, ty: &Ty, unit: Option<&Unit>) -> Option<Value> {
        let (value, found, _) = self.literal_as(&lit.node, lit.span, Some((ty, unit)))?;
        if &found == ty {
            return Some(value);
        }
        let want = ty.describe(&self.enums, unit);
        let got = found.describe(&self.enums, None);
        self.error(ErrorKind::Unit, format!("expected {want} here, found {got}"), lit.span);
        None
    }
}

fn num_key(v: Option<&Value>) -> Num {
    match v {
        Some(Value::Num(n)) => *n,
        _ => Num::ZERO,
    }
}

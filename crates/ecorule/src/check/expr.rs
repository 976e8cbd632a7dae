//! Expressions: names resolved, types and units checked, lowered to IR.

use super::{Binding, Checker};
use crate::ast::{self, BinaryOp, Spanned, UnaryOp};
use crate::error::ErrorKind;
use crate::fmt::expr_text;
use crate::ir::{Arith, Builtin, Cmp, Expr, Shift, Ty, Value, in_brackets};
use crate::num::Num;
use crate::span::Span;
use crate::units::{Dim, Unit};

type Checked = Option<(Expr, Ty)>;

impl Checker<'_> {
    /// Checks an expression. `hint` is the type of the other operand of a
    /// comparison, so a bare name can resolve to one of its enum values.
    pub(super) fn expr(&mut self, e: &Spanned<ast::Expr>, hint: Option<&Ty>) -> Checked {
        match &e.node {
            ast::Expr::Literal(lit) => self.literal_expr(lit, e, hint),
            ast::Expr::Name(name) => self.name(name, e, hint),
            ast::Expr::Call { func, args } => self.call(func, args, e),
            ast::Expr::List(items) => self.list(items, e, hint),
            ast::Expr::Unary { op, expr } => self.unary(*op, expr),
            ast::Expr::If { cond, then, otherwise } => self.conditional(cond, then, otherwise, hint),
            ast::Expr::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e),
            ast::Expr::Group(inner) => self.expr(inner, hint),
        }
    }

    fn literal_expr(&mut self, lit: &ast::Literal, e: &Spanned<ast::Expr>, hint: Option<&Ty>) -> Checked {
        if let (ast::Literal::Text(t), Some(Ty::Enum(k))) = (lit, hint) {
            return self.variant(t, *k, e);
        }
        let (value, ty, _) = self.literal(lit, e.span)?;
        Some((Expr::Const(value), ty))
    }

    fn variant(&mut self, name: &str, k: usize, e: &Spanned<ast::Expr>) -> Checked {
        let known = self.enums.get(k).is_some_and(|d| d.variants.iter().any(|(v, _)| v == name));
        if !known {
            let options = Ty::Enum(k).describe(&self.enums, None);
            let message = format!("`{name}` is not a value of this enum, which is {options}");
            let variants = self.enums.get(k).map(|d| d.variants.as_slice()).unwrap_or_default();
            match crate::suggest::did_you_mean(name, variants.iter().map(|(v, _)| v.as_str())) {
                Some(meant) => self.error_help(ErrorKind::Type, message, e.span, meant),
                None => self.error(ErrorKind::Type, message, e.span),
            }
            return None;
        }
        Some((Expr::Const(Value::Text(name.into())), Ty::Enum(k)))
    }

    fn name(&mut self, name: &str, e: &Spanned<ast::Expr>, hint: Option<&Ty>) -> Checked {
        if self.in_outcome {
            return match name {
                "score" => Some((Expr::Score, Ty::Num(Dim::NONE))),
                "vetoed" => Some((Expr::Vetoed(None), Ty::Bool)),
                _ => {
                    self.not_in_outcome(name, e.span);
                    None
                }
            };
        }
        match self.names.get(name).cloned() {
            Some(Binding::Fact(slot)) => {
                self.reads.facts.push(slot);
                let ty = self.facts.get(slot)?.ty.clone();
                Some((Expr::Fact(slot), ty))
            }
            Some(Binding::Constant(i)) => {
                let c = self.constants.get(i)?;
                let ty = value_ty(&c.value, c.unit.as_ref().map_or(Dim::NONE, |u| u.dim()));
                if let Some(why) = &c.unverified {
                    self.unverified.push((c.name.clone(), why.clone()));
                }
                Some((Expr::Constant(i), ty))
            }
            Some(Binding::Table(_)) => {
                self.error(ErrorKind::Type, format!("table `{name}` needs its key: `{name}(…)`"), e.span);
                None
            }
            Some(Binding::Broken) => None,
            None if self.lets.contains_key(name) => {
                if let Some((&key, _)) = self.lets.get_key_value(name) {
                    self.reads.lets.push(key);
                }
                self.resolve_let(name, e.span)
            }
            None => {
                if let Some(Ty::Enum(k)) = hint {
                    return self.variant(name, *k, e);
                }
                self.unknown(name, e);
                None
            }
        }
    }

    fn unknown(&mut self, name: &str, e: &Spanned<ast::Expr>) {
        if self.reads_from_failed_use(name) {
            return;
        }
        let mut candidates: Vec<&str> = self.names.keys().map(AsRef::as_ref).collect();
        candidates.extend(self.lets.keys().copied());
        let help =
            self.missing_use(name).or_else(|| crate::suggest::did_you_mean(name, candidates)).unwrap_or_else(|| {
                "declare it in `facts`, define it with `let`, or `use` the module that has it".to_string()
            });
        self.error_help(ErrorKind::UnknownName, format!("unknown name `{name}`"), e.span, help);
    }

    fn list(&mut self, items: &[Spanned<ast::Expr>], e: &Spanned<ast::Expr>, hint: Option<&Ty>) -> Checked {
        let mut elem_hint = match hint {
            Some(Ty::List(t)) => Some((**t).clone()),
            Some(t) => Some(t.clone()),
            None => None,
        };
        let mut out = Vec::new();
        for item in items {
            let (expr, ty) = self.expr(item, elem_hint.as_ref())?;
            match &elem_hint {
                Some(h) if !compatible(h, &ty) => {
                    let (want, got) = (self.describe(h), self.describe(&ty));
                    self.error(ErrorKind::Type, format!("list items must all be {want}, but this is {got}"), item.span);
                    return None;
                }
                Some(_) => {}
                None => elem_hint = Some(ty),
            }
            out.push(expr);
        }
        let Some(elem) = elem_hint else {
            self.error(ErrorKind::Type, "an empty list has no type; list at least one value", e.span);
            return None;
        };
        Some((Expr::List(out), Ty::List(Box::new(elem))))
    }

    fn conditional(
        &mut self,
        cond: &Spanned<ast::Expr>,
        then: &Spanned<ast::Expr>,
        otherwise: &Spanned<ast::Expr>,
        hint: Option<&Ty>,
    ) -> Checked {
        let (c, ct) = self.expr(cond, None)?;
        if ct != Ty::Bool {
            let got = self.describe(&ct);
            self.operand_error("`if` needs a condition that is true or false", cond, &got);
            return None;
        }
        let (a, at) = self.guarded(&c, true, |this| this.expr(then, hint))?;
        let (b, bt) = self.guarded(&c, false, |this| this.expr(otherwise, Some(&at)))?;
        if !compatible(&at, &bt) {
            let (l, r) = (self.describe(&at), self.describe(&bt));
            self.error(
                ErrorKind::Type,
                format!("both branches of `if` must have one type, but they are {l} and {r}"),
                otherwise.span,
            );
            return None;
        }
        Some((Expr::If(Box::new(c), Box::new(a), Box::new(b)), at))
    }

    fn unary(&mut self, op: UnaryOp, operand: &Spanned<ast::Expr>) -> Checked {
        let (expr, ty) = self.expr(operand, None)?;
        match (op, &ty) {
            (UnaryOp::Not, Ty::Bool) => Some((Expr::Not(Box::new(expr)), Ty::Bool)),
            (UnaryOp::Neg, Ty::Num(_)) => Some((Expr::Neg(Box::new(expr)), ty)),
            (UnaryOp::Not, _) => {
                let got = self.describe(&ty);
                self.operand_error("`not` needs true or false", operand, &got);
                None
            }
            (UnaryOp::Neg, _) => {
                let got = self.describe(&ty);
                self.operand_error("`-` needs a number", operand, &got);
                None
            }
        }
    }

    fn operand_error(&mut self, need: &str, operand: &Spanned<ast::Expr>, got: &str) {
        let text = expr_text(&operand.node);
        self.error(ErrorKind::Type, format!("{need}, but `{text}` is {got}"), operand.span);
    }

    /// True for a bare name that only an enum hint could resolve.
    fn is_bare_variant(&self, e: &Spanned<ast::Expr>) -> bool {
        match e.node.ungrouped() {
            ast::Expr::Name(n) => !self.in_outcome && !self.names.contains_key(*n) && !self.lets.contains_key(n),
            ast::Expr::List(items) => items.iter().all(|i| {
                self.is_bare_variant(i) || matches!(i.node.ungrouped(), ast::Expr::Literal(ast::Literal::Text(_)))
            }),
            ast::Expr::Literal(ast::Literal::Text(_)) => true,
            _ => false,
        }
    }

    /// True for a name (not a text) that some declared enum has as a value.
    fn names_enum_value(&self, e: &Spanned<ast::Expr>) -> bool {
        let ast::Expr::Name(n) = e.node.ungrouped() else {
            return false;
        };
        self.enums.iter().any(|k| k.variants.iter().any(|(v, _)| v == n))
    }

    /// Checks both operands of `op`, the one that can give an enum hint first.
    fn operands(
        &mut self,
        op: BinaryOp,
        lhs: &Spanned<ast::Expr>,
        rhs: &Spanned<ast::Expr>,
    ) -> Option<((Expr, Ty), (Expr, Ty))> {
        let list_rhs = op == BinaryOp::In;
        // The right first when only it can give the left a type, or when
        // both are unknown names and only the left is an enum's value:
        // `sea == zome` is a misspelt fact on the right, and its error (with
        // its "did you mean") is the one to give.
        let left_is_value = self.is_bare_variant(lhs)
            && (!self.is_bare_variant(rhs) || (self.names_enum_value(lhs) && !self.names_enum_value(rhs)));
        if left_is_value {
            let r = self.expr(rhs, None)?;
            let hint = match (&r.1, list_rhs) {
                (Ty::List(t), true) => (**t).clone(),
                (t, _) => t.clone(),
            };
            let l = self.expr(lhs, Some(&hint))?;
            return Some((l, r));
        }
        let l = self.expr(lhs, None);
        // `zome == sea`: a bare name compared with the left is read against
        // the left's enum, so with the left an error it is not unknown too.
        let compared = matches!(op, BinaryOp::Eq | BinaryOp::Ne | BinaryOp::In);
        if l.is_none() && compared && self.is_bare_variant(rhs) {
            return None;
        }
        let hint = l.as_ref().map(|(_, t)| if list_rhs { Ty::List(Box::new(t.clone())) } else { t.clone() });
        // The right side of `and` runs only when the left is not false, of
        // `or` when it is not true ([`super::guards`]).
        let r = match (op, &l) {
            (BinaryOp::And | BinaryOp::Or, Some((guard, _))) => {
                self.guarded(guard, op == BinaryOp::And, |this| this.expr(rhs, hint.as_ref()))
            }
            _ => self.expr(rhs, hint.as_ref()),
        };
        Some((l?, r?))
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Spanned<ast::Expr>,
        rhs: &Spanned<ast::Expr>,
        e: &Spanned<ast::Expr>,
    ) -> Checked {
        let ((l, lt), (r, rt)) = self.operands(op, lhs, rhs)?;
        let (lb, rb) = (Box::new(l), Box::new(r));
        match op {
            BinaryOp::And | BinaryOp::Or => {
                for (ty, side) in [(&lt, lhs), (&rt, rhs)] {
                    if *ty != Ty::Bool {
                        let got = self.describe(ty);
                        self.operand_error(&format!("`{}` needs true or false on both sides", op.symbol()), side, &got);
                        return None;
                    }
                }
                let expr = if op == BinaryOp::And { Expr::And(lb, rb) } else { Expr::Or(lb, rb) };
                Some((expr, Ty::Bool))
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if !compatible(&lt, &rt) {
                    self.mismatch("compare", lhs, &lt, rhs, &rt, e);
                    return None;
                }
                let cmp = if op == BinaryOp::Eq { Cmp::Eq } else { Cmp::Ne };
                self.comparison_slips(cmp, &lt, (&lb, &rb), (lhs, rhs), e.span);
                Some((Expr::Compare(cmp, lb, rb), Ty::Bool))
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let ordered =
                    matches!((&lt, &rt), (Ty::Num(a), Ty::Num(b)) if a == b) || (lt == Ty::Date && rt == Ty::Date);
                if !ordered {
                    self.mismatch("compare", lhs, &lt, rhs, &rt, e);
                    return None;
                }
                let cmp = match op {
                    BinaryOp::Lt => Cmp::Lt,
                    BinaryOp::Le => Cmp::Le,
                    BinaryOp::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                self.comparison_slips(cmp, &lt, (&lb, &rb), (lhs, rhs), e.span);
                Some((Expr::Compare(cmp, lb, rb), Ty::Bool))
            }
            BinaryOp::In => match &rt {
                Ty::List(elem) if compatible(&lt, elem) => Some((Expr::In(lb, rb), Ty::Bool)),
                _ => {
                    let (want, got) = (self.describe(&lt), self.describe(&rt));
                    let text = expr_text(&rhs.node);
                    self.error(
                        ErrorKind::Type,
                        format!("`in` needs a list of {want} on its right, but `{text}` is {got}"),
                        rhs.span,
                    );
                    None
                }
            },
            BinaryOp::Add | BinaryOp::Sub => self.additive(op == BinaryOp::Add, (lb, lt), (rb, rt), lhs, rhs, e),
            BinaryOp::Mul | BinaryOp::Div => match (&lt, &rt) {
                (Ty::Num(a), Ty::Num(b)) => {
                    let dim = if op == BinaryOp::Mul { a.times(*b) } else { a.per(*b) };
                    let Some(dim) = dim else {
                        self.error(ErrorKind::Unit, "the unit of this product is too complex", e.span);
                        return None;
                    };
                    if op == BinaryOp::Div && matches!(*rb, Expr::Const(Value::Num(n)) if n.is_zero()) {
                        // Every audit would fail here: say so now.
                        self.error(ErrorKind::Literal, "division by zero: the divisor is the literal 0", rhs.span);
                        return None;
                    }
                    let arith = if op == BinaryOp::Mul { Arith::Mul } else { Arith::Div };
                    Some((Expr::Arith(arith, lb, rb), Ty::Num(dim)))
                }
                _ => {
                    self.mismatch(if op == BinaryOp::Mul { "multiply" } else { "divide" }, lhs, &lt, rhs, &rt, e);
                    None
                }
            },
        }
    }

    fn additive(
        &mut self,
        add: bool,
        (lb, lt): (Box<Expr>, Ty),
        (rb, rt): (Box<Expr>, Ty),
        lhs: &Spanned<ast::Expr>,
        rhs: &Spanned<ast::Expr>,
        e: &Spanned<ast::Expr>,
    ) -> Checked {
        match (&lt, &rt) {
            (Ty::Num(a), Ty::Num(b)) if a == b => {
                let arith = if add { Arith::Add } else { Arith::Sub };
                Some((Expr::Arith(arith, lb, rb), lt))
            }
            (Ty::Date, Ty::Date) if !add => {
                self.time_since(&lb, &rb);
                Some((Expr::DateDiff(lb, rb), Ty::Num(Dim::TIME)))
            }
            (Ty::Date, Ty::Num(d)) if *d == Dim::TIME => {
                let shift = self.shift(add, &rb, rhs)?;
                Some((Expr::DateShift(shift, lb, rb), Ty::Date))
            }
            (Ty::Num(d), Ty::Date) if *d == Dim::TIME && add => {
                let shift = self.shift(true, &lb, lhs)?;
                Some((Expr::DateShift(shift, rb, lb), Ty::Date))
            }
            _ => {
                self.mismatch(if add { "add" } else { "subtract" }, lhs, &lt, rhs, &rt, e);
                None
            }
        }
    }

    /// How a duration moves a date: by calendar years when it is written
    /// in years, else by days. A literal must be whole years or whole days,
    /// or every audit would fail there: an error now, at the literal.
    fn shift(&mut self, add: bool, by: &Expr, side: &Spanned<ast::Expr>) -> Option<Shift> {
        let shift = Shift { add, years: self.in_years(&side.node) };
        let Expr::Const(Value::Num(seconds)) = by else {
            return Some(shift);
        };
        let (unit, whole) = shift.unit();
        if seconds.checked_div(Num::int(unit)).is_some_and(Num::is_integer) {
            return Some(shift);
        }
        let text = expr_text(&side.node);
        let message = format!("a date moves by whole {whole}, and `{text}` is not a whole number of {whole}");
        if shift.years {
            let help = "a part of a year is written in days, e.g. `180 days`";
            self.error_help(ErrorKind::Literal, message, side.span, help);
        } else {
            self.error(ErrorKind::Literal, message, side.span);
        }
        None
    }

    /// Whether a duration is written in years: a literal such as `1 a` or
    /// `5 years`, negated or not, an `if` whose two values are, or the name
    /// of a `let` or module constant written so. Such a duration moves a
    /// date by calendar years; any other (a fact, a sum, `365 days`) by
    /// exact days.
    pub(super) fn in_years(&self, e: &ast::Expr) -> bool {
        let years = |unit: Option<&crate::units::Unit>| unit.is_some_and(|u| u.name() == "a");
        match e {
            ast::Expr::Literal(ast::Literal::Number { unit: Some(u), .. }) => {
                years(crate::units::Unit::parse(u).ok().as_ref())
            }
            ast::Expr::Group(inner) | ast::Expr::Unary { op: ast::UnaryOp::Neg, expr: inner } => {
                self.in_years(&inner.node)
            }
            ast::Expr::If { then, otherwise, .. } => self.in_years(&then.node) && self.in_years(&otherwise.node),
            ast::Expr::Name(n) => match self.names.get(*n) {
                Some(Binding::Constant(i)) => years(self.constants.get(*i).and_then(|c| c.unit.as_ref())),
                Some(_) => false,
                None => self.lets_in_years.contains(n),
            },
            _ => false,
        }
    }

    fn mismatch(
        &mut self,
        verb: &str,
        lhs: &Spanned<ast::Expr>,
        lt: &Ty,
        rhs: &Spanned<ast::Expr>,
        rt: &Ty,
        e: &Spanned<ast::Expr>,
    ) {
        let (l, r) = (expr_text(&lhs.node), expr_text(&rhs.node));
        let (ld, rd) = (in_brackets(&self.describe(lt)), in_brackets(&self.describe(rt)));
        let kind = match (lt, rt) {
            (Ty::Num(_), Ty::Num(_)) => ErrorKind::Unit,
            _ => ErrorKind::Type,
        };
        let message = format!("cannot {verb} `{l}` ({ld}) and `{r}` ({rd})");
        let help = match (lt, rt) {
            (Ty::Date, Ty::Num(d)) | (Ty::Num(d), Ty::Date) if d.is_none() => {
                let number = if matches!(lt, Ty::Date) { &r } else { &l };
                Some(match short_date(number) {
                    // `2024-6-1`, read as two subtractions
                    Some(date) => format!("a date is written YYYY-MM-DD, with two digits for month and day: `{date}`"),
                    None => "a date moves by a duration, such as `30 days`".to_string(),
                })
            }
            (Ty::Num(a), Ty::Num(b)) if a.is_none() != b.is_none() => {
                let (plain, other, dim) = if a.is_none() { (lhs, rhs, *b) } else { (rhs, lhs, *a) };
                let unit = self.display_unit(&other.node).filter(|u| u.dim() == dim);
                Some(plain_number_help(plain, dim, unit))
            }
            (Ty::Enum(k), _) => self.name_not_variant(*k, rhs),
            (_, Ty::Enum(k)) => self.name_not_variant(*k, lhs),
            (Ty::Date | Ty::Num(_), Ty::Text) => quoted_literal_help(lt, &rhs.node),
            (Ty::Text, Ty::Date | Ty::Num(_)) => quoted_literal_help(rt, &lhs.node),
            _ => None,
        };
        self.errors.push(crate::Error::at(kind, message, &self.current, e.span).with_help_if(help));
    }

    fn call(&mut self, func: &ast::Name, args: &[Spanned<ast::Expr>], e: &Spanned<ast::Expr>) -> Checked {
        let name = func.node;
        if self.in_outcome && name == "vetoed" {
            return self.vetoed(args, e);
        }
        if let Some(b) = Builtin::named(name) {
            return self.builtin(b, name, args, e);
        }
        if self.in_outcome {
            self.not_in_outcome(name, func.span);
            return None;
        }
        let binding = self.names.get(name).cloned();
        if let Some(Binding::Broken) = binding {
            return None;
        }
        let Some(Binding::Table(t)) = binding else {
            if self.reads_from_failed_use(name) {
                return None;
            }
            if let Some(help) = self.missing_use(name) {
                let message = format!("unknown table `{name}`");
                self.error_help(ErrorKind::UnknownName, message, func.span, help);
                return None;
            }
            let known =
                "functions are min, max, abs, count, all, any and days_between; tables are named `module.table`";
            let tables = self.tables.iter().map(|t| t.name.as_str());
            let builtins = ["min", "max", "abs", "count", "all", "any", "days_between"];
            let help = match crate::suggest::did_you_mean(name, tables.chain(builtins)) {
                Some(meant) => format!("{meant} ({known})"),
                None => known.to_string(),
            };
            self.error_help(ErrorKind::UnknownName, format!("unknown function or table `{name}`"), func.span, help);
            return None;
        };
        let keys = self.tables.get(t)?.params.len();
        if args.len() != keys {
            self.error(
                ErrorKind::Type,
                format!(
                    "table `{name}` takes {}, but {} {} given",
                    super::keys(keys),
                    args.len(),
                    if args.len() == 1 { "is" } else { "are" }
                ),
                e.span,
            );
            return None;
        }
        let mut checked = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let (expr, ty) = self.expr(arg, None)?;
            // The table is looked up again for each key: checking the key
            // needs `self` mutably, and cloning the table (rows and all) for
            // every call was a noticeable part of checking.
            let table = self.tables.get(t)?;
            let want = table.params.get(i)?;
            if !key_fits(want, &ty) {
                let unit = table.key_units.get(i).and_then(Option::as_ref);
                let want = want.describe(&self.enums, unit);
                let got = self.describe(&ty);
                let text = expr_text(&arg.node);
                let message = format!("table `{name}` is keyed by {want}, but `{text}` is {got}");
                let help = if i == 0 { self.keys_swapped(t, name, args, &ty) } else { None };
                self.errors
                    .push(crate::Error::at(ErrorKind::Unit, message, &self.current, arg.span).with_help_if(help));
                return None;
            }
            self.table_key_slips(t, i, (&expr, &ty), arg);
            checked.push(expr);
        }
        let table = self.tables.get(t)?;
        if let Some(why) = &table.unverified {
            self.unverified.push((table.name.clone(), why.clone()));
        }
        Some((Expr::Table(t, checked), table.value_ty.clone()))
    }

    /// Help for a two-key table whose first key, of type `first`, does not
    /// fit, where the keys fit the other way round: the call with them
    /// swapped. The second key is checked here, its errors reported, as
    /// the call is not checked further.
    fn keys_swapped(&mut self, t: usize, name: &str, args: &[Spanned<ast::Expr>], first: &Ty) -> Option<String> {
        let [a, b] = args else { return None };
        let (_, second) = self.expr(b, None)?;
        let table = self.tables.get(t)?;
        let [want_a, want_b] = table.params.as_slice() else { return None };
        if !(key_fits(want_b, first) && key_fits(want_a, &second)) {
            return None;
        }
        let text = |arg: &Spanned<ast::Expr>| self.current.text.get(arg.span.start..arg.span.end).unwrap_or_default();
        let param = |i: usize| table.param_names.get(i).map_or("key", String::as_str);
        Some(format!(
            "the keys are the other way round: `{name}` takes `{}` first, then `{}`; write `{name}({}, {})`",
            param(0),
            param(1),
            text(b),
            text(a)
        ))
    }

    /// Where a name beside an enum is declared (a fact or `let`) and is
    /// also one of the enum's values: the declaration is what it reads.
    fn name_not_variant(&self, k: usize, other: &Spanned<ast::Expr>) -> Option<String> {
        let ast::Expr::Name(name) = other.node.ungrouped() else { return None };
        let variants = &self.enums.get(k)?.variants;
        variants.iter().any(|(v, _)| v == name).then(|| {
            format!("`{name}` here is the declared `{name}`, not the enum's value: write the value as `\"{name}\"`")
        })
    }

    /// `name`, other than `score` and `vetoed`, in a grade or verdict rule:
    /// a declared fact, `let` or table is a scoring error there (the rules
    /// see only the score and the vetoes), any other name an unknown one.
    fn not_in_outcome(&mut self, name: &str, span: Span) {
        let declared = self.names.contains_key(name) || self.lets.contains_key(name);
        let message = format!("`{name}` cannot be used in a grade or verdict rule");
        let may = "grade and verdict rules may use `score`, `vetoed` and `vetoed(CLAUSE, …)`";
        let (kind, help) = if declared {
            let help = format!(
                "{may}: let it move the result through a clause (a `veto` clause for `vetoed`) or a `deduct … when`"
            );
            (ErrorKind::Scoring, help)
        } else {
            match crate::suggest::did_you_mean(name, ["score", "vetoed"]) {
                Some(meant) => (ErrorKind::UnknownName, format!("{meant} ({may})")),
                None => (ErrorKind::UnknownName, may.to_string()),
            }
        };
        self.error_help(kind, message, span, help);
    }

    fn vetoed(&mut self, args: &[Spanned<ast::Expr>], e: &Spanned<ast::Expr>) -> Checked {
        let mut clauses = Vec::new();
        for arg in args {
            let ast::Expr::Name(id) = arg.node.ungrouped() else {
                self.error(ErrorKind::Type, "`vetoed(…)` takes clause ids", arg.span);
                return None;
            };
            match self.clause_ids.get(*id) {
                Some((i, true)) => clauses.push(*i),
                Some((_, false)) => {
                    self.error_help(
                        ErrorKind::Scoring,
                        format!("clause `{id}` is not a veto clause"),
                        arg.span,
                        "mark the clause `veto`, or leave it out of `vetoed(…)`",
                    );
                    return None;
                }
                None => {
                    self.error(ErrorKind::UnknownName, format!("unknown clause `{id}`"), arg.span);
                    return None;
                }
            }
        }
        if clauses.is_empty() {
            self.error(
                ErrorKind::Type,
                "`vetoed(…)` needs at least one clause id; write `vetoed` for any veto",
                e.span,
            );
            return None;
        }
        Some((Expr::Vetoed(Some(clauses)), Ty::Bool))
    }

    fn builtin(&mut self, b: Builtin, name: &str, args: &[Spanned<ast::Expr>], e: &Spanned<ast::Expr>) -> Checked {
        let mut checked = Vec::new();
        for arg in args {
            checked.push(self.expr(arg, None)?);
        }
        let types: Vec<&Ty> = checked.iter().map(|(_, t)| t).collect();
        let result = match (b, types.as_slice()) {
            (Builtin::Min | Builtin::Max, [first, rest @ ..])
                if matches!(first, Ty::Num(_)) && rest.iter().all(|t| t == first) =>
            {
                Some((*first).clone())
            }
            (Builtin::Abs, [t @ Ty::Num(_)]) => Some((*t).clone()),
            (Builtin::Count, [Ty::List(_)]) => Some(Ty::Num(Dim::NONE)),
            (Builtin::All | Builtin::Any, [Ty::List(inner)]) if **inner == Ty::Bool => Some(Ty::Bool),
            (Builtin::All | Builtin::Any, list) if !list.is_empty() && list.iter().all(|t| **t == Ty::Bool) => {
                Some(Ty::Bool)
            }
            (Builtin::DaysBetween, [Ty::Date, Ty::Date]) => Some(Ty::Num(Dim::TIME)),
            _ => None,
        };
        if let (Some(_), [(since, _), (until, _)]) = (&result, checked.as_slice())
            && matches!(b, Builtin::DaysBetween)
        {
            self.time_since(until, since);
        }
        let Some(ty) = result else {
            if matches!(b, Builtin::Min | Builtin::Max)
                && let Some((arg, (_, list))) = args.iter().zip(&checked).find(|(_, (_, t))| matches!(t, Ty::List(_)))
            {
                // A series (hourly readings, say) given to `max`: the
                // general message would not say what is wrong with it.
                let message = format!(
                    "`{name}` takes numbers of one unit, not a list: `{}` is {}",
                    expr_text(&arg.node),
                    self.describe(list)
                );
                let help = "min and max compare the numbers given to them one by one (`max(a, b)`); \
                            the largest or smallest item of a list cannot be taken yet: \
                            give it as a fact of its own (the highest reading)";
                self.error_help(ErrorKind::Type, message, e.span, help);
                return None;
            }
            let want = match b {
                Builtin::Min | Builtin::Max => "one or more numbers of the same unit",
                Builtin::Abs => "one number",
                Builtin::Count => "one list",
                Builtin::All | Builtin::Any => "a list of true/false values, or several true/false values",
                Builtin::DaysBetween => "two dates",
            };
            self.error(ErrorKind::Type, format!("`{name}` takes {want}"), e.span);
            return None;
        };
        let exprs = checked.into_iter().map(|(x, _)| x).collect();
        Some((Expr::Builtin(b, exprs), ty))
    }
}

impl Checker<'_> {
    /// The unit to show an expression's value in: the first unit its
    /// operands are written or declared in.
    pub(super) fn display_unit(&self, e: &ast::Expr) -> Option<crate::units::Unit> {
        match e {
            ast::Expr::Literal(ast::Literal::Number { unit: Some(u), .. }) => crate::units::Unit::parse(u).ok(),
            ast::Expr::Name(n) => match self.names.get(*n) {
                Some(Binding::Fact(slot)) => self.facts.get(*slot)?.unit.clone(),
                Some(Binding::Constant(i)) => self.constants.get(*i)?.unit.clone(),
                Some(Binding::Table(_) | Binding::Broken) => None,
                None => self.let_defs.iter().find(|d| &d.name == n)?.unit.clone(),
            },
            ast::Expr::Call { func, args } => match self.names.get(func.node) {
                Some(Binding::Table(t)) => self.tables.get(*t)?.value_unit.clone(),
                _ => args.first().and_then(|a| self.display_unit(&a.node)),
            },
            ast::Expr::Unary { expr, .. } | ast::Expr::Group(expr) => self.display_unit(&expr.node),
            ast::Expr::If { then, otherwise, .. } => {
                self.display_unit(&then.node).or_else(|| self.display_unit(&otherwise.node))
            }
            ast::Expr::Binary { op, lhs, rhs } => {
                let (l, r) = (self.display_unit(&lhs.node), self.display_unit(&rhs.node));
                match op {
                    BinaryOp::Add | BinaryOp::Sub => l.or(r),
                    BinaryOp::Mul | BinaryOp::Div => match (l, r) {
                        (Some(u), None) | (None, Some(u)) => Some(u),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// `2024-06-01` for `2024 - 6 - 1`: a date written without its zeros,
/// which reads as arithmetic.
fn short_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(" - ").collect();
    let [year, month, day] = parts.as_slice() else { return None };
    let digits = |p: &str, most: usize| !p.is_empty() && p.len() <= most && p.bytes().all(|b| b.is_ascii_digit());
    (year.len() == 4 && digits(year, 4) && digits(month, 2) && digits(day, 2))
        .then(|| format!("{year}-{month:0>2}-{day:0>2}"))
}

/// The help for a date or an amount written in quotes (`"2024-01-01"`,
/// `"15 m"`), as an audit writes them: in a rulebook quotes make text,
/// which compares with neither.
fn quoted_literal_help(wanted: &Ty, quoted: &ast::Expr) -> Option<String> {
    let ast::Expr::Literal(ast::Literal::Text(text)) = quoted else { return None };
    let text = text.trim();
    match wanted {
        Ty::Date if crate::ir::parse_date(text).is_some() => {
            Some(format!("a date is written without quotes: `{text}`"))
        }
        Ty::Num(_) if text.split_whitespace().next().and_then(Num::parse).is_some() => {
            Some(format!("a number is written without quotes: `{text}`"))
        }
        _ => None,
    }
}

/// Whether values of the two types can be compared for equality.
fn compatible(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Enum(_), Ty::Text) | (Ty::Text, Ty::Enum(_)) => true,
        (Ty::List(x), Ty::List(y)) => compatible(x, y),
        _ => a == b,
    }
}

fn value_ty(value: &Value, dim: Dim) -> Ty {
    match value {
        Value::Bool(_) => Ty::Bool,
        Value::Num(_) => Ty::Num(dim),
        Value::Text(_) => Ty::Text,
        Value::Date(_) => Ty::Date,
        Value::List(items) => Ty::List(Box::new(items.first().map_or(Ty::Bool, |v| value_ty(v, dim)))),
    }
}

/// The help for a plain number met with a quantity of `dim`: a number
/// written in the rulebook lacks its unit (the unit the other side is
/// declared or written in, else the dimension's base unit); a fact or
/// expression is a plain number by its declaration.
fn plain_number_help(plain: &Spanned<ast::Expr>, dim: Dim, other_unit: Option<Unit>) -> String {
    match &plain.node {
        ast::Expr::Literal(ast::Literal::Number { value, unit: None }) => {
            let unit = other_unit.unwrap_or_else(|| if dim == Dim::TIME { Unit::days() } else { Unit::base(dim) });
            format!("give the number its unit, as in `{value} {}`", unit.name())
        }
        other => format!(
            "`{}` is a plain number: compare it with a plain number, or declare the fact as a `quantity` with a unit",
            expr_text(other)
        ),
    }
}

/// Whether a table's key of type `want` takes a value of type `got`: an
/// enum's value is its code, a text.
fn key_fits(want: &Ty, got: &Ty) -> bool {
    match (want, got) {
        (Ty::Text, Ty::Text | Ty::Enum(_)) => true,
        (a, b) => a == b,
    }
}

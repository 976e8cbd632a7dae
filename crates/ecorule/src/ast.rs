//! The syntax tree the parser builds and the checker reads.
//!
//! Every node that an error can point at carries a byte [`Span`]. Equality
//! ignores spans, so two sources that differ only in layout and comments
//! parse to equal trees (this is what `fmt` round-trips on).
//!
//! The tree borrows its names, numbers and strings from the source text
//! (`'a`): a rulebook has over a thousand of them, and allocating each was a
//! large part of the time to compile one. Only a string with escapes is owned.

use std::borrow::Cow;

use crate::span::Span;

/// A node with the byte range of the source it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The node.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `node` with its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// A name or id as written (`stack.height`, `FM21`).
pub type Name<'a> = Spanned<&'a str>;

/// A token as written: a number, a date or a unit.
pub type Token<'a> = Spanned<&'a str>;

/// The text of a string literal, escapes resolved.
pub type Text<'a> = Spanned<Cow<'a, str>>;

/// One parsed source file.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    target_pointer_width = "64",
    expect(clippy::large_enum_variant, reason = "one per file; boxing buys nothing")
)]
pub enum SourceFile<'a> {
    /// A module of tables and constants.
    Module(Module<'a>),
    /// A rulebook.
    Rulebook(Rulebook<'a>),
}

/// A Chinese title with an optional English one.
#[derive(Debug, Clone, PartialEq)]
pub struct Title<'a> {
    /// The Chinese (primary) text.
    pub zh: Text<'a>,
    /// The English text.
    pub en: Option<Text<'a>>,
}

/// `module id "title" { … }`
#[derive(Debug, Clone)]
pub struct Module<'a> {
    /// The module id that `use` names.
    pub id: Name<'a>,
    /// Titles.
    pub title: Title<'a>,
    /// References to the standard's text.
    pub refs: Vec<Text<'a>>,
    /// Look-up tables.
    pub tables: Vec<Table<'a>>,
    /// Named constants.
    pub constants: Vec<Constant<'a>>,
    /// The whole module.
    pub span: Span,
}

/// How a table finds the row for a key that is not listed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lookup {
    /// Only listed keys; anything else is an error.
    Exact,
    /// The nearest listed key; halfway between two, the higher (四舍五入).
    Nearest,
    /// The largest listed key not above the given one.
    Floor,
    /// Linear interpolation between the two surrounding rows.
    Linear,
}

impl Lookup {
    /// The keyword as written in source.
    pub fn keyword(self) -> &'static str {
        match self {
            Lookup::Exact => "exact",
            Lookup::Nearest => "nearest",
            Lookup::Floor => "floor",
            Lookup::Linear => "linear",
        }
    }
}

/// `table name(key: type, …) -> type rule { rows }`
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// Table name.
    pub name: Name<'a>,
    /// Key parameters.
    pub params: Vec<Param<'a>>,
    /// Type of the values.
    pub result: Spanned<TypeExpr<'a>>,
    /// Look-up rule for the last key.
    pub lookup: Spanned<Lookup>,
    /// Where the table comes from.
    pub refs: Vec<Text<'a>>,
    /// Why the values are not yet verified, if they are not.
    pub unverified: Option<Title<'a>>,
    /// Rows in source order.
    pub rows: Vec<Row<'a>>,
    /// The whole table.
    pub span: Span,
}

/// A table key parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param<'a> {
    /// Parameter name.
    pub name: Name<'a>,
    /// Its type.
    pub ty: Spanned<TypeExpr<'a>>,
}

/// `key, key => value`
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// Keys, one per parameter.
    pub keys: Vec<Spanned<Literal<'a>>>,
    /// The value.
    pub value: Spanned<Literal<'a>>,
    /// The whole row.
    pub span: Span,
}

/// `const name = value { ref "…" unverified "…" }`
#[derive(Debug, Clone)]
pub struct Constant<'a> {
    /// Constant name.
    pub name: Name<'a>,
    /// Its value.
    pub value: Spanned<Literal<'a>>,
    /// Where it comes from.
    pub refs: Vec<Text<'a>>,
    /// Why the value is not yet verified, if it is not.
    pub unverified: Option<Title<'a>>,
    /// The whole constant.
    pub span: Span,
}

/// `rulebook id "title" { … }`
#[derive(Debug, Clone)]
pub struct Rulebook<'a> {
    /// Rulebook id.
    pub id: Name<'a>,
    /// Titles.
    pub title: Title<'a>,
    /// `version "…"`.
    pub version: Option<Text<'a>>,
    /// `effective YYYY-MM-DD`.
    pub effective: Option<Token<'a>>,
    /// Imported modules.
    pub uses: Vec<Name<'a>>,
    /// References for the rulebook as a whole.
    pub refs: Vec<Text<'a>>,
    /// Declared facts.
    pub facts: Vec<FactDecl<'a>>,
    /// Named expressions.
    pub lets: Vec<Let<'a>>,
    /// The scoring block.
    pub scoring: Option<Scoring<'a>>,
    /// Areas in order.
    pub areas: Vec<Area<'a>>,
    /// The `facts { … }` block (empty when there is none).
    pub facts_span: Span,
    /// The whole rulebook.
    pub span: Span,
}

/// `name: type min … max … "label" en "label" help "…" en "…"`
#[derive(Debug, Clone)]
pub struct FactDecl<'a> {
    /// Dotted fact name.
    pub name: Name<'a>,
    /// Declared type.
    pub ty: Spanned<TypeExpr<'a>>,
    /// The least value an audit may give, if limited.
    pub min: Option<Spanned<Literal<'a>>>,
    /// The greatest value an audit may give, if limited.
    pub max: Option<Spanned<Literal<'a>>>,
    /// Labels.
    pub title: Title<'a>,
    /// Help text for whoever fills in the audit, Chinese and optionally English.
    pub help: Option<Title<'a>>,
    /// The whole declaration.
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr<'a> {
    /// `bool`
    Bool,
    /// `number` (dimensionless)
    Number,
    /// `count`: a whole number, 0 or more (incidents, outfalls, reports)
    Count,
    /// `text`
    Text,
    /// `date`
    Date,
    /// `duration` (a time quantity, shown in days)
    Duration,
    /// `quantity UNIT`
    Quantity(Token<'a>),
    /// `enum { a "标签" en "label", b }`
    Enum(Vec<EnumVariant<'a>>),
    /// `list T`
    List(Box<TypeExpr<'a>>),
}

/// One enum variant with optional labels.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant<'a> {
    /// The variant as written in audits and expressions.
    pub name: Name<'a>,
    /// Labels for forms.
    pub title: Option<Title<'a>>,
}

/// `let name = expr`
#[derive(Debug, Clone, PartialEq)]
pub struct Let<'a> {
    /// The name.
    pub name: Name<'a>,
    /// The expression it stands for.
    pub value: Spanned<Expr<'a>>,
    /// Where a parameter comes from.
    pub refs: Vec<Text<'a>>,
    /// Why a parameter is not yet verified, if it is not.
    pub unverified: Option<Title<'a>>,
}

/// How not-applicable clauses count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaPolicy {
    /// Left out of the denominator; the score is rescaled to the scale.
    Rescale,
    /// Earn nothing and stay in the denominator.
    Zero,
    /// Count as fully earned.
    Full,
}

impl NaPolicy {
    /// The keyword as written in source.
    pub fn keyword(self) -> &'static str {
        match self {
            NaPolicy::Rescale => "rescale",
            NaPolicy::Zero => "zero",
            NaPolicy::Full => "full",
        }
    }
}

/// The `scoring { … }` block.
#[derive(Debug, Clone)]
pub struct Scoring<'a> {
    /// `scale N`
    pub scale: Option<Token<'a>>,
    /// `not_applicable POLICY`
    pub not_applicable: Option<Spanned<NaPolicy>>,
    /// Grades, first match wins.
    pub grades: Vec<Outcome<'a>>,
    /// Verdicts, first match wins.
    pub verdicts: Vec<Outcome<'a>>,
    /// Deductions.
    pub deductions: Vec<Deduction<'a>>,
    /// The whole block.
    pub span: Span,
}

/// A grade or verdict rule.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    /// Its id (`excellent`, `ban`).
    pub id: Name<'a>,
    /// Labels; the parser lets any outcome leave them out, the checker
    /// only the verdicts `ban`, `rectify` and `standardize` (which have
    /// default ones).
    pub title: Option<Title<'a>>,
    /// `when expr`, or `None` for `otherwise`.
    pub condition: Option<Spanned<Expr<'a>>>,
    /// The whole rule.
    pub span: Span,
}

/// `deduct id "cause" N per expr max M` or `deduct id "cause" N when expr`.
#[derive(Debug, Clone)]
pub struct Deduction<'a> {
    /// Deduction id.
    pub id: Name<'a>,
    /// What it is for.
    pub title: Title<'a>,
    /// Points per event (or once, for `when`).
    pub points: Token<'a>,
    /// What is counted or tested.
    pub basis: DeductionBasis<'a>,
    /// Cap on the total deducted.
    pub max: Option<Token<'a>>,
    /// The whole deduction.
    pub span: Span,
}

/// What a deduction multiplies its points by.
#[derive(Debug, Clone, PartialEq)]
pub enum DeductionBasis<'a> {
    /// Once per counted event.
    Per(Spanned<Expr<'a>>),
    /// Once if the condition holds.
    When(Spanned<Expr<'a>>),
}

/// `area id "title" { clauses }`
#[derive(Debug, Clone)]
pub struct Area<'a> {
    /// Area id.
    pub id: Name<'a>,
    /// Titles.
    pub title: Title<'a>,
    /// Clauses in order.
    pub clauses: Vec<Clause<'a>>,
    /// The whole area.
    pub span: Span,
}

/// `clause id "title" points N veto { … }`
#[derive(Debug, Clone)]
pub struct Clause<'a> {
    /// Clause id.
    pub id: Name<'a>,
    /// Titles.
    pub title: Title<'a>,
    /// Weight.
    pub points: Token<'a>,
    /// One-vote veto (一票否决).
    pub veto: bool,
    /// References to the standard it enforces.
    pub refs: Vec<Text<'a>>,
    /// What the inspector looks at.
    pub evidence: Vec<Title<'a>>,
    /// Applicability conditions (all must hold).
    pub when: Vec<Spanned<Expr<'a>>>,
    /// Requirements (all must hold).
    pub require: Vec<Spanned<Expr<'a>>>,
    /// Partial credit, first match wins.
    pub partials: Vec<Partial<'a>>,
    /// What to do when it does not pass.
    pub fix: Option<Fix<'a>>,
    /// The whole clause.
    pub span: Span,
}

/// `partial F when expr`
#[derive(Debug, Clone, PartialEq)]
pub struct Partial<'a> {
    /// Fraction of the points earned.
    pub fraction: Token<'a>,
    /// When it applies.
    pub condition: Spanned<Expr<'a>>,
}

/// `fix "…" en "…" within N days`
#[derive(Debug, Clone, PartialEq)]
pub struct Fix<'a> {
    /// What to do.
    pub action: Title<'a>,
    /// Deadline in days after the audit.
    pub within_days: Token<'a>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr<'a> {
    /// A literal value.
    Literal(Literal<'a>),
    /// A fact, constant, `let`, enum variant or scoring name.
    Name(&'a str),
    /// `f(args)`: a table or a built-in function.
    Call {
        /// Function or `module.table`.
        func: Name<'a>,
        /// Arguments.
        args: Vec<Spanned<Expr<'a>>>,
    },
    /// `[a, b, c]`
    List(Vec<Spanned<Expr<'a>>>),
    /// `if cond then a else b`
    If {
        /// The condition.
        cond: Box<Spanned<Expr<'a>>>,
        /// Value when it holds.
        then: Box<Spanned<Expr<'a>>>,
        /// Value when it does not.
        otherwise: Box<Spanned<Expr<'a>>>,
    },
    /// `not x`, `-x`
    Unary {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        expr: Box<Spanned<Expr<'a>>>,
    },
    /// `(x)`: parentheses as written. They change no meaning beyond the
    /// grouping the tree already has; they are kept so that `fmt` and
    /// explanations print the expression as its author grouped it.
    Group(Box<Spanned<Expr<'a>>>),
    /// `a op b`
    Binary {
        /// Operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Spanned<Expr<'a>>>,
        /// Right operand.
        rhs: Box<Spanned<Expr<'a>>>,
    },
}

impl<'a> Expr<'a> {
    /// The expression inside any parentheses around it.
    pub fn ungrouped(&self) -> &Expr<'a> {
        let mut e = self;
        while let Expr::Group(inner) = e {
            e = &inner.node;
        }
        e
    }
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator as written by `fmt`.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::In => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }
}

/// Precedence of `not` (between `and` and the comparisons).
pub const NOT_PRECEDENCE: u8 = 3;

/// A literal as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal<'a> {
    /// A number with an optional unit; the text is kept exactly as written.
    Number {
        /// Decimal text, with a leading `-` if negative.
        value: &'a str,
        /// Unit text, if any.
        unit: Option<&'a str>,
    },
    /// A string.
    Text(Cow<'a, str>),
    /// A date (`YYYY-MM-DD`).
    Date(&'a str),
    /// `true` or `false`.
    Bool(bool),
}

/// Implements equality over the listed fields, leaving out spans.
macro_rules! eq_ignoring_spans {
    ($($ty:ident { $($field:ident),* })*) => {$(
        impl PartialEq for $ty<'_> {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)*
            }
        }
    )*};
}

eq_ignoring_spans! {
    Module { id, title, refs, tables, constants }
    Table { name, params, result, lookup, refs, unverified, rows }
    Row { keys, value }
    Constant { name, value, refs, unverified }
    Rulebook { id, title, version, effective, uses, refs, facts, lets, scoring, areas }
    FactDecl { name, ty, min, max, title, help }
    Scoring { scale, not_applicable, grades, verdicts, deductions }
    Outcome { id, title, condition }
    Deduction { id, title, points, basis, max }
    Area { id, title, clauses }
    Clause { id, title, points, veto, refs, evidence, when, require, partials, fix }
}

//! The syntax tree the parser builds and the checker reads.
//!
//! Every node that an error can point at carries a byte [`Span`]. Equality
//! ignores spans, so two sources that differ only in layout and comments
//! parse to equal trees (this is what `fmt` round-trips on).

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
pub type Name = Spanned<String>;

/// One parsed source file.
#[derive(Debug, Clone, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "one per file; boxing buys nothing")]
pub enum SourceFile {
    /// A module of tables and constants.
    Module(Module),
    /// A rulebook.
    Rulebook(Rulebook),
}

/// A Chinese title with an optional English one.
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    /// The Chinese (primary) text.
    pub zh: Spanned<String>,
    /// The English text.
    pub en: Option<Spanned<String>>,
}

/// `module id "title" { … }`
#[derive(Debug, Clone)]
pub struct Module {
    /// The module id that `use` names.
    pub id: Name,
    /// Titles.
    pub title: Title,
    /// References to the standard's text.
    pub refs: Vec<Spanned<String>>,
    /// Look-up tables.
    pub tables: Vec<Table>,
    /// Named constants.
    pub constants: Vec<Constant>,
    /// The whole module.
    pub span: Span,
}

/// How a table finds the row for a key that is not listed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lookup {
    /// Only listed keys; anything else is an error.
    Exact,
    /// The nearest listed key (ties go to the lower key).
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
pub struct Table {
    /// Table name.
    pub name: Name,
    /// Key parameters.
    pub params: Vec<Param>,
    /// Type of the values.
    pub result: Spanned<TypeExpr>,
    /// Look-up rule for the last key.
    pub lookup: Spanned<Lookup>,
    /// Where the table comes from.
    pub refs: Vec<Spanned<String>>,
    /// Why the values are not yet verified, if they are not.
    pub unverified: Option<Spanned<String>>,
    /// Rows in source order.
    pub rows: Vec<Row>,
    /// The whole table.
    pub span: Span,
}

/// A table key parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: Name,
    /// Its type.
    pub ty: Spanned<TypeExpr>,
}

/// `key, key => value`
#[derive(Debug, Clone)]
pub struct Row {
    /// Keys, one per parameter.
    pub keys: Vec<Spanned<Literal>>,
    /// The value.
    pub value: Spanned<Literal>,
    /// The whole row.
    pub span: Span,
}

/// `const name = value { ref "…" unverified "…" }`
#[derive(Debug, Clone)]
pub struct Constant {
    /// Constant name.
    pub name: Name,
    /// Its value.
    pub value: Spanned<Literal>,
    /// Where it comes from.
    pub refs: Vec<Spanned<String>>,
    /// Why the value is not yet verified, if it is not.
    pub unverified: Option<Spanned<String>>,
    /// The whole constant.
    pub span: Span,
}

/// `rulebook id "title" { … }`
#[derive(Debug, Clone)]
pub struct Rulebook {
    /// Rulebook id.
    pub id: Name,
    /// Titles.
    pub title: Title,
    /// `version "…"`.
    pub version: Option<Spanned<String>>,
    /// `effective YYYY-MM-DD`.
    pub effective: Option<Spanned<String>>,
    /// Imported modules.
    pub uses: Vec<Name>,
    /// References for the rulebook as a whole.
    pub refs: Vec<Spanned<String>>,
    /// Declared facts.
    pub facts: Vec<FactDecl>,
    /// Named expressions.
    pub lets: Vec<Let>,
    /// The scoring block.
    pub scoring: Option<Scoring>,
    /// Areas in order.
    pub areas: Vec<Area>,
    /// The `facts { … }` block (empty when there is none).
    pub facts_span: Span,
    /// The whole rulebook.
    pub span: Span,
}

/// `name: type "label" en "label" help "…"`
#[derive(Debug, Clone)]
pub struct FactDecl {
    /// Dotted fact name.
    pub name: Name,
    /// Declared type.
    pub ty: Spanned<TypeExpr>,
    /// Labels.
    pub title: Title,
    /// Help text for whoever fills in the audit.
    pub help: Option<Spanned<String>>,
    /// The whole declaration.
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// `bool`
    Bool,
    /// `number` (dimensionless)
    Number,
    /// `text`
    Text,
    /// `date`
    Date,
    /// `duration` (a time quantity, shown in days)
    Duration,
    /// `quantity UNIT`
    Quantity(Spanned<String>),
    /// `enum { a "标签" en "label", b }`
    Enum(Vec<EnumVariant>),
    /// `list T`
    List(Box<TypeExpr>),
}

/// One enum variant with optional labels.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The variant as written in audits and expressions.
    pub name: Name,
    /// Labels for forms.
    pub title: Option<Title>,
}

/// `let name = expr`
#[derive(Debug, Clone, PartialEq)]
pub struct Let {
    /// The name.
    pub name: Name,
    /// The expression it stands for.
    pub value: Spanned<Expr>,
    /// Where a parameter comes from.
    pub refs: Vec<Spanned<String>>,
    /// Why a parameter is not yet verified, if it is not.
    pub unverified: Option<Spanned<String>>,
}

/// How not-applicable clauses count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
pub struct Scoring {
    /// `scale N`
    pub scale: Option<Spanned<String>>,
    /// `not_applicable POLICY`
    pub not_applicable: Option<Spanned<NaPolicy>>,
    /// Grades, first match wins.
    pub grades: Vec<Outcome>,
    /// Verdicts, first match wins.
    pub verdicts: Vec<Outcome>,
    /// Deductions.
    pub deductions: Vec<Deduction>,
    /// The whole block.
    pub span: Span,
}

/// A grade or verdict rule.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Its id (`excellent`, `ban`).
    pub id: Name,
    /// Labels.
    pub title: Title,
    /// `when expr`, or `None` for `otherwise`.
    pub condition: Option<Spanned<Expr>>,
    /// The whole rule.
    pub span: Span,
}

/// `deduct id "cause" N per expr max M` or `deduct id "cause" N when expr`.
#[derive(Debug, Clone)]
pub struct Deduction {
    /// Deduction id.
    pub id: Name,
    /// What it is for.
    pub title: Title,
    /// Points per event (or once, for `when`).
    pub points: Spanned<String>,
    /// What is counted or tested.
    pub basis: DeductionBasis,
    /// Cap on the total deducted.
    pub max: Option<Spanned<String>>,
    /// The whole deduction.
    pub span: Span,
}

/// What a deduction multiplies its points by.
#[derive(Debug, Clone, PartialEq)]
pub enum DeductionBasis {
    /// Once per counted event.
    Per(Spanned<Expr>),
    /// Once if the condition holds.
    When(Spanned<Expr>),
}

/// `area id "title" { clauses }`
#[derive(Debug, Clone)]
pub struct Area {
    /// Area id.
    pub id: Name,
    /// Titles.
    pub title: Title,
    /// Clauses in order.
    pub clauses: Vec<Clause>,
    /// The whole area.
    pub span: Span,
}

/// `clause id "title" points N veto { … }`
#[derive(Debug, Clone)]
pub struct Clause {
    /// Clause id.
    pub id: Name,
    /// Titles.
    pub title: Title,
    /// Weight.
    pub points: Spanned<String>,
    /// One-vote veto (一票否决).
    pub veto: bool,
    /// References to the standard it enforces.
    pub refs: Vec<Spanned<String>>,
    /// What the inspector looks at.
    pub evidence: Vec<Title>,
    /// Applicability conditions (all must hold).
    pub when: Vec<Spanned<Expr>>,
    /// Requirements (all must hold).
    pub require: Vec<Spanned<Expr>>,
    /// Partial credit, first match wins.
    pub partials: Vec<Partial>,
    /// What to do when it does not pass.
    pub fix: Option<Fix>,
    /// The whole clause.
    pub span: Span,
}

/// `partial F when expr`
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    /// Fraction of the points earned.
    pub fraction: Spanned<String>,
    /// When it applies.
    pub condition: Spanned<Expr>,
}

/// `fix "…" en "…" within N days`
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// What to do.
    pub action: Title,
    /// Deadline in days after the audit.
    pub within_days: Spanned<String>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal value.
    Literal(Literal),
    /// A fact, constant, `let`, enum variant or scoring name.
    Name(String),
    /// `f(args)`: a table or a built-in function.
    Call {
        /// Function or `module.table`.
        func: Name,
        /// Arguments.
        args: Vec<Spanned<Expr>>,
    },
    /// `[a, b, c]`
    List(Vec<Spanned<Expr>>),
    /// `if cond then a else b`
    If {
        /// The condition.
        cond: Box<Spanned<Expr>>,
        /// Value when it holds.
        then: Box<Spanned<Expr>>,
        /// Value when it does not.
        otherwise: Box<Spanned<Expr>>,
    },
    /// `not x`, `-x`
    Unary {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        expr: Box<Spanned<Expr>>,
    },
    /// `a op b`
    Binary {
        /// Operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Spanned<Expr>>,
        /// Right operand.
        rhs: Box<Spanned<Expr>>,
    },
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
/// Precedence of unary minus (tighter than any infix operator).
pub const NEG_PRECEDENCE: u8 = 7;

/// A literal as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number with an optional unit; the text is kept exactly as written.
    Number {
        /// Decimal text, with a leading `-` if negative.
        value: String,
        /// Unit text, if any.
        unit: Option<String>,
    },
    /// A string.
    Text(String),
    /// A date (`YYYY-MM-DD`).
    Date(String),
    /// `true` or `false`.
    Bool(bool),
}

/// Implements equality over the listed fields, leaving out spans.
macro_rules! eq_ignoring_spans {
    ($($ty:ident { $($field:ident),* })*) => {$(
        impl PartialEq for $ty {
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
    FactDecl { name, ty, title, help }
    Scoring { scale, not_applicable, grades, verdicts, deductions }
    Outcome { id, title, condition }
    Deduction { id, title, points, basis, max }
    Area { id, title, clauses }
    Clause { id, title, points, veto, refs, evidence, when, require, partials, fix }
}

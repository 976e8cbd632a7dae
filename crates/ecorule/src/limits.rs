//! Bounds on the work any input can cause.
//!
//! Every limit has its own error kind, so an embedding program can tell a
//! hostile input from a mistaken one. The defaults fit every bundled
//! rulebook many times over.

/// Configurable limits; [`Limits::default`] gives the documented defaults.
///
/// `Limits` (and [`ScoreOptions`](crate::ScoreOptions), which holds them)
/// may gain fields, so outside this crate neither is written as a struct
/// literal, not even `Limits { max_steps: 10_000, ..Limits::default() }`:
/// take the defaults and change the fields a service needs.
///
/// ```
/// use ecorule::{ErrorKind, Limits, Rulebook, ScoreOptions, Source};
///
/// let mut limits = Limits::default();
/// limits.max_audit_bytes = 64 << 10;
/// let mut options = ScoreOptions::strict(true);
/// options.limits = limits.clone();
/// let book = r#"rulebook demo "示例" {
///   facts { drills: count "演练次数" }
///   scoring { scale 1 grade pass "合格" otherwise verdict standardize otherwise }
///   area A "应急" { clause D1 "演练" points 1 { require drills >= 2 } }
/// }"#;
/// let rulebook = Rulebook::compile_with(Source::new("demo.eco", book), &[], &limits)?;
/// let body = format!(r#"{{"facts": {{"drills": 2}}, "audit": {{"id": "{}"}}}}"#, "x".repeat(70_000));
/// let refused = rulebook.score_json(&body, &options).err().ok_or("scored")?;
/// assert_eq!(refused.first().map(|e| e.kind()), Some(ErrorKind::AuditTooLarge));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest source file, in bytes (default 1 MiB).
    pub max_source_bytes: usize,
    /// Deepest nesting in a source of brackets, calls, lists, `if`s, `not`s
    /// and `-`s (not the operators of a chain: see
    /// [`Limits::max_expr_depth`]), and of objects and lists in an audit
    /// (default 64).
    pub max_depth: usize,
    /// Deepest expression, with the `let`s it uses written out (default
    /// 256). Each operator of a chain is a level (`a + b + c` is
    /// `(a + b) + c`), and so is each bracket, call, list, `if`, `not` and
    /// `-`; a `let` counts as deep as its expression, so a chain of `let`s,
    /// each using the one before, is as deep as all of them together.
    /// Checking, compiling, evaluating and formatting walk expressions
    /// recursively: this bounds the stack they take (the deepest admitted
    /// are checked, scored, formatted and rendered in a thread of 1 MiB,
    /// the stack WASM gives a module, by a test; in the module itself they
    /// take less than 256 KiB, by `bindings/wasm/scripts/stack.sh`).
    pub max_expr_depth: usize,
    /// Most clauses in one rulebook (default 2,000).
    pub max_clauses: usize,
    /// Most tables in one module (default 500).
    pub max_tables: usize,
    /// Most facts in one rulebook (default 5,000).
    pub max_facts: usize,
    /// Most expression terms the `let`s of one rulebook add where they are
    /// used, each use counting its `let`'s whole expression, the `let`s it
    /// uses written out too (default 250,000): `let`s that use `let`s
    /// twice would otherwise double the work of compiling at each step.
    pub max_let_terms: usize,
    /// Longest string, name or audit text value, in bytes (default 64 KiB).
    pub max_string_bytes: usize,
    /// Largest audit, in bytes of JSON or TOML (default 16 MiB).
    pub max_audit_bytes: usize,
    /// Most values (of any kind) in one audit (default 1,000,000).
    pub max_audit_values: usize,
    /// Most evaluation steps for one audit (default 1,000,000).
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_source_bytes: 1 << 20,
            max_depth: 64,
            max_expr_depth: 256,
            max_clauses: 2_000,
            max_tables: 500,
            max_facts: 5_000,
            max_let_terms: 250_000,
            max_string_bytes: 64 << 10,
            max_audit_bytes: 16 << 20,
            max_audit_values: 1_000_000,
            max_steps: 1_000_000,
        }
    }
}

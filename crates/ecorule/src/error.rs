//! The one error type of the core, and its renderings.
//!
//! An [`Error`] has a kind, a lowercase message, and where it can, the span
//! and source it points at, so it renders itself with the source line and a
//! caret. Stages that can find several problems return [`Errors`].

use std::fmt;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

use crate::ir::Labels;
use crate::span::{Source, Span, ceil_char_boundary, floor_char_boundary};

/// What went wrong, broadly. New kinds may be added.
///
/// `Hash`, so a service can count errors by kind or map each kind to its
/// response once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The source does not follow the grammar.
    Syntax,
    /// A fact, table, module, constant or function that does not exist.
    UnknownName,
    /// An id or name given twice.
    Duplicate,
    /// Operands or arguments of the wrong type.
    Type,
    /// Units that cannot be compared or converted, or an unknown unit.
    Unit,
    /// Scoring that does not add up (points, scale, fractions, missing `otherwise`).
    Scoring,
    /// A literal that is not a valid number or date.
    Literal,
    /// A rulebook that refers to itself through `let`.
    Cycle,
    /// An audit value of the wrong shape, type or unit.
    Audit,
    /// A failure while evaluating a clause (table key out of range, overflow).
    Evaluation,
    /// Source larger than the configured limit.
    SourceTooLarge,
    /// Expressions nested deeper than the configured limit.
    TooDeep,
    /// More clauses, tables or facts than the configured limit.
    TooMany,
    /// An audit larger than the configured limit.
    AuditTooLarge,
    /// Evaluation took more steps than the configured limit.
    TooMuchWork,
    /// A warning, not an error: a declared fact nothing reads, a `let`
    /// nothing uses ([`Rulebook::warnings`](crate::Rulebook::warnings)).
    Unused,
    /// A comparison that no value within its fact's declared range meets
    /// (`removal >= 60` on a share of at most 1): it fails every audit. Or
    /// a table key that no row has (`gb8978.cod("4")`): it stops every
    /// audit that reaches it.
    Range,
    /// A warning, not an error: a comparison that every value within its
    /// fact's declared range meets, an enum fact some of whose values no
    /// row of the table it keys has, or a concentration per litre compared
    /// with one per cubic metre ([`Rulebook::warnings`](crate::Rulebook::warnings)).
    Suspicious,
}

impl ErrorKind {
    /// The kind as a snake_case word, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownName => "unknown_name",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::Type => "type",
            ErrorKind::Unit => "unit",
            ErrorKind::Scoring => "scoring",
            ErrorKind::Literal => "literal",
            ErrorKind::Cycle => "cycle",
            ErrorKind::Audit => "audit",
            ErrorKind::Evaluation => "evaluation",
            ErrorKind::SourceTooLarge => "source_too_large",
            ErrorKind::TooDeep => "too_deep",
            ErrorKind::TooMany => "too_many",
            ErrorKind::AuditTooLarge => "audit_too_large",
            ErrorKind::TooMuchWork => "too_much_work",
            ErrorKind::Unused => "unused",
            ErrorKind::Range => "range",
            ErrorKind::Suspicious => "suspicious",
        }
    }
}

/// For audit errors: which fact, what the rulebook expects and what was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactProblem {
    /// The fact name as given in the audit.
    pub fact: String,
    /// What the rulebook declares (`quantity m`, `one of sea, river`).
    pub expected: String,
    /// What the audit gave, shortened.
    pub given: String,
}

/// One problem, with enough context to show it to a person or a tool.
///
/// Two errors are equal when everything they say is: kind, messages and
/// helps in both languages, the fact, the span, and the source it points
/// into compared by its name and text (the same source read twice is the
/// same; one shared is not read through).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.message)]
pub struct Error(Box<Inner>);

// `Arc<Source>` compares the sources' contents, after checking whether
// they are one allocation (which `Source: Eq` lets it do).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    span: Option<Span>,
    origin: Option<Arc<Source>>,
    help: Option<String>,
    fact: Option<FactProblem>,
    /// The message and help in Chinese, for the errors a form's user
    /// meets ([`Error::message_zh`]).
    message_zh: Option<String>,
    help_zh: Option<String>,
    /// What the fact expects, in Chinese ([`Error::expected_zh`]).
    expected_zh: Option<String>,
}

impl Error {
    /// An error with no location.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            span: None,
            origin: None,
            help: None,
            fact: None,
            message_zh: None,
            help_zh: None,
            expected_zh: None,
        }))
    }

    /// An error pointing at `span` in `source`.
    pub fn at(kind: ErrorKind, message: impl Into<String>, source: &Arc<Source>, span: Span) -> Self {
        Error::new(kind, message).placed(source, span)
    }

    /// This error, pointing at `span` in `source`.
    pub(crate) fn placed(mut self, source: &Arc<Source>, span: Span) -> Self {
        self.0.span = Some(span);
        self.0.origin = Some(Arc::clone(source));
        self
    }

    /// An audit error about one fact.
    pub fn fact(fact: &str, expected: impl Into<String>, given: impl Into<String>) -> Self {
        Error::fact_of_kind(ErrorKind::Audit, fact, expected, given)
    }

    /// An error of `kind` about the value given for one fact: a binding
    /// that finds a value over a limit ([`ErrorKind::AuditTooLarge`]) while
    /// converting it names the fact as [`Error::fact`] does.
    ///
    /// ```
    /// use ecorule::{Error, ErrorKind};
    ///
    /// let e = Error::fact_of_kind(ErrorKind::AuditTooLarge, "fuel", "a text of at most 4 bytes", "a text of 5 bytes");
    /// assert_eq!(e.kind(), ErrorKind::AuditTooLarge);
    /// assert_eq!(e.fact_problem().map(|p| p.fact.as_str()), Some("fuel"));
    /// assert_eq!(e.message(), "fact `fuel` expects a text of at most 4 bytes, but the audit gives a text of 5 bytes");
    /// ```
    pub fn fact_of_kind(kind: ErrorKind, fact: &str, expected: impl Into<String>, given: impl Into<String>) -> Self {
        let problem = FactProblem { fact: fact.to_string(), expected: expected.into(), given: given.into() };
        let message =
            format!("fact `{}` expects {}, but the audit gives {}", problem.fact, problem.expected, problem.given);
        let mut error = Error::new(kind, message);
        error.0.fact = Some(problem);
        error
    }

    /// [`Error::fact_of_kind`], with the message in Chinese too: what was
    /// expected and what was given, each in both languages.
    ///
    /// ```
    /// use ecorule::{Error, ErrorKind, Labels};
    ///
    /// let text = |en: &str, zh: &str| Labels { en: en.into(), zh: zh.into() };
    /// let e = Error::fact_in(ErrorKind::Audit, "fuel", text("a number", "数值"), text("a function", "函数"));
    /// assert_eq!(e.message_zh(), Some("数据项 `fuel` 应为数值，但审核给出 函数"));
    /// assert_eq!(e.expected_zh(), Some("数值"));
    /// ```
    pub fn fact_in(kind: ErrorKind, fact: &str, expected: Labels, given: Labels) -> Self {
        let zh = format!("数据项 `{fact}` 应为{}，但审核给出 {}", expected.zh, given.zh);
        let mut error = Error::fact_of_kind(kind, fact, expected.en, given.en).with_zh(zh);
        error.0.expected_zh = Some(expected.zh);
        error
    }

    /// An error of `kind` with its message in both languages: a binding's
    /// own, about an audit it could not convert before the core saw it.
    ///
    /// ```
    /// use ecorule::{Error, ErrorKind, Labels};
    ///
    /// let message = Labels { en: "the audit is a set".into(), zh: "审核为集合".into() };
    /// let e = Error::new_in(ErrorKind::Audit, message);
    /// assert_eq!((e.message(), e.message_zh()), ("the audit is a set", Some("审核为集合")));
    /// ```
    pub fn new_in(kind: ErrorKind, message: Labels) -> Self {
        Error::new(kind, message.en).with_zh(message.zh)
    }

    /// Names the fact, what was expected and what was given, when there is
    /// one; the message stays as it is.
    pub(crate) fn with_fact(mut self, fact: Option<FactProblem>) -> Self {
        if fact.is_some() {
            self.0.fact = fact;
        }
        self
    }

    /// Adds what the fact of its [`FactProblem`] expects, in Chinese
    /// ([`Error::expected_zh`]).
    pub(crate) fn with_expected_zh(mut self, expected: impl Into<String>) -> Self {
        self.0.expected_zh = Some(expected.into());
        self
    }

    /// Adds the message in Chinese.
    pub(crate) fn with_zh(mut self, message: impl Into<String>) -> Self {
        self.0.message_zh = Some(message.into());
        self
    }

    /// Adds a hint in both languages, when there is one.
    pub fn with_help_in(mut self, help: Option<Labels>) -> Self {
        let Some(help) = help else { return self };
        self.0.help_zh = Some(help.zh);
        self.with_help(help.en)
    }

    /// Adds a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// [`Error::with_help`], when there is a help.
    pub(crate) fn with_help_if(self, help: Option<impl Into<String>>) -> Self {
        match help {
            Some(help) => self.with_help(help),
            None => self,
        }
    }

    /// The kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message (lowercase, no final period).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// A hint on how to fix it, if there is one.
    pub fn help(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The message in Chinese, where the core writes one: for a value an
    /// audit gives that its fact cannot take (wrong type, unit, date,
    /// bound or choice), a fact given twice, an undeclared one refused in
    /// strict mode, and an enterprise that is not an object. `None` for
    /// the rest, whose readers are rulebook authors and programs.
    pub fn message_zh(&self) -> Option<&str> {
        self.0.message_zh.as_deref()
    }

    /// The hint in Chinese, beside [`Error::message_zh`].
    pub fn help_zh(&self) -> Option<&str> {
        self.0.help_zh.as_deref()
    }

    /// For an error about one fact's value written in both languages
    /// ([`Error::fact_in`]): what the fact expects, in Chinese, as
    /// [`FactProblem::expected`] says it in English.
    pub fn expected_zh(&self) -> Option<&str> {
        self.0.expected_zh.as_deref()
    }

    /// The byte span it points at.
    pub fn span(&self) -> Option<Span> {
        self.0.span
    }

    /// The name of the source it points into.
    pub fn source_name(&self) -> Option<&str> {
        self.0.origin.as_deref().map(|s| s.name.as_str())
    }

    /// For audit errors: the fact, what was expected and what was given.
    pub fn fact_problem(&self) -> Option<&FactProblem> {
        self.0.fact.as_ref()
    }

    /// 1-based line and column (characters) of the start of the span.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        Some(self.0.origin.as_ref()?.line_col(self.0.span?.start))
    }

    /// The source line the error points at.
    pub fn snippet(&self) -> Option<&str> {
        Some(self.0.origin.as_ref()?.line_text(self.0.span?.start))
    }

    /// The error as plain data for tools and bindings.
    pub fn to_info(&self) -> ErrorInfo {
        self.info(self.render(false))
    }

    /// [`Error::to_info`] without drawing the source line: `rendered` is
    /// the heading, message and help alone, as [`Error::render`] draws an
    /// error that points at no line (`Error: …`, `  Help: …`). For a
    /// binding that must still report the error should drawing it fail.
    pub fn to_plain_info(&self) -> ErrorInfo {
        self.info(self.lineless(&self.words()))
    }

    /// The error as plain data, drawn as `rendered`.
    fn info(&self, rendered: String) -> ErrorInfo {
        let (line, column) = self.line_col().unzip();
        ErrorInfo {
            kind: self.0.kind,
            severity: if self.is_warning() { Severity::Warning } else { Severity::Error },
            message: self.0.message.clone(),
            source: self.source_name().map(str::to_string),
            line,
            column,
            start: self.0.span.map(|s| s.start),
            end: self.0.span.map(|s| s.end),
            snippet: self.snippet().map(|line| match (&self.0.origin, self.0.span) {
                (Some(source), Some(span)) if line.len() > LONG_LINE => {
                    excerpt(source, span.start.min(source.text.len())).0
                }
                _ => line.to_string(),
            }),
            help: self.0.help.clone(),
            fact: self.0.fact.clone(),
            message_zh: self.message_zh().map(str::to_string),
            help_zh: self.help_zh().map(str::to_string),
            expected_zh: self.expected_zh().map(str::to_string),
            rendered,
        }
    }

    /// [`Error::render`] of an error on a line longer than [`LONG_LINE`]
    /// (a generated or minified source may be one line of a megabyte):
    /// the part of the line around `range`, underlined, not all of it.
    fn render_excerpt(&self, source: &Source, range: std::ops::Range<usize>, words: &Words) -> String {
        let (line, column) = source.line_col(range.start);
        let (shown, before) = excerpt(source, range.start);
        let marked_end = ceil_char_boundary(&source.text, range.end.min(range.start + 120));
        let marked = source.text.get(range.start..marked_end).unwrap_or_default();
        let pad = " ".repeat(before);
        let underline = "^".repeat(marked.width().clamp(1, shown.width().saturating_sub(before).max(1)));
        let mut out = format!("{}{}{}\n", words.heading(self.is_warning()), words.sep(), words.message);
        let _ = writeln!(out, "  --> {}:{line}:{column}", source.name);
        let _ = writeln!(out, "   | {shown}");
        let _ = writeln!(out, "   | {pad}{underline} {}", words.label(self.0.kind));
        if let Some(help) = &words.help {
            let _ = writeln!(out, "  {}{}{help}", words.help_word(), words.sep());
        }
        out
    }

    /// Whether this is a warning ([`ErrorKind::Unused`],
    /// [`ErrorKind::Suspicious`]) rather than an error.
    pub fn is_warning(&self) -> bool {
        matches!(self.0.kind, ErrorKind::Unused | ErrorKind::Suspicious)
    }

    /// [`Error::render`] under Chinese labels, `错误：…` (or `警告：…`) and
    /// `提示：…`: in Chinese for an error the core writes in Chinese too
    /// ([`Error::message_zh`]), else its English. An error that points at a
    /// source line is drawn with it as `render` draws it: in Chinese when
    /// it has Chinese words (an audit's JSON or TOML that does not read),
    /// else in English.
    pub fn render_zh(&self, color: bool) -> String {
        let (message, help) = match &self.0.message_zh {
            Some(message) => (message, &self.0.help_zh),
            None if self.0.span.is_some() => return self.render(color),
            // One without Chinese words keeps its English under Chinese labels.
            None => (&self.0.message, &self.0.help),
        };
        let words = Words { zh: true, message: visible_lines(message), help: help.as_deref().map(visible_lines) };
        self.draw(color, &words)
    }

    /// The error drawn with its source line and a caret under the span.
    pub fn render(&self, color: bool) -> String {
        self.draw(color, &self.words())
    }

    /// What [`Error::render`] says, in English.
    fn words(&self) -> Words<'_> {
        Words { zh: false, message: visible_lines(&self.0.message), help: self.0.help.as_deref().map(visible_lines) }
    }

    /// The error in `words` without a source line: headed as ariadne heads
    /// one with a line (`Error: …`, `  Help: …`), so the two read alike.
    fn lineless(&self, words: &Words) -> String {
        let (heading, sep) = (words.heading(self.is_warning()), words.sep());
        let mut out = format!("{heading}{sep}{}\n", words.message);
        if let Some(help) = &words.help {
            let _ = writeln!(out, "  {}{sep}{help}", words.help_word());
        }
        out
    }

    /// The error in `words`: with its source line and a caret under the
    /// span when it has one, else the message and help alone.
    fn draw(&self, color: bool, words: &Words) -> String {
        let (english, heading, sep) = (!words.zh, words.heading(self.is_warning()), words.sep());
        let (Some(source), Some(span)) = (&self.0.origin, self.0.span) else {
            return self.lineless(words);
        };
        use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind};
        // INVARIANT: ariadne slices the source at these offsets, so they
        // must lie on character boundaries whatever span a stage produced.
        let text = source.text.as_str();
        let end = ceil_char_boundary(text, span.end.max(span.start).min(text.len()));
        let start = floor_char_boundary(text, span.start.min(end));
        let (source, range) = shown_source(source, start..end);
        let name = source.name.clone();
        if source.line_text(range.start).len() > LONG_LINE {
            return self.render_excerpt(&source, range, words);
        }
        let config =
            Config::default().with_color(color).with_char_set(CharSet::Unicode).with_index_type(IndexType::Byte);
        let kind = match (self.is_warning(), english) {
            (true, true) => ReportKind::Warning,
            (false, true) => ReportKind::Error,
            (true, false) => ReportKind::Custom(heading, Color::Yellow),
            (false, false) => ReportKind::Custom(heading, Color::Red),
        };
        let mut report = Report::build(kind, (name.clone(), range.clone()))
            .with_config(config)
            .with_message(&words.message)
            .with_label(Label::new((name.clone(), range)).with_message(words.label(self.0.kind)));
        // ariadne writes its own `Help:`; another language's word follows
        // the drawing instead.
        if let Some(help) = words.help.as_ref().filter(|_| english) {
            report = report.with_help(help);
        }
        let mut out = Vec::new();
        let cache = (name, ariadne::Source::from(source.text.as_str()));
        let mut drawn = match report.finish().write(cache, &mut out) {
            // ariadne colours a heading of its own words whatever the
            // config says; every other character of the source is shown
            // escaped, so an escape left is ariadne's.
            Ok(()) if !color && !english => strip_trailing_spaces(&without_colour(&String::from_utf8_lossy(&out))),
            Ok(()) => strip_trailing_spaces(&String::from_utf8_lossy(&out)),
            Err(_) => format!("{heading}{sep}{}\n", words.message),
        };
        if let Some(help) = words.help.as_ref().filter(|_| !english) {
            let _ = writeln!(drawn, "{}{sep}{help}", words.help_word());
        }
        drawn
    }
}

/// `text` without the colour escapes (`\u{1b}[31m`) in it.
fn without_colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 2..).unwrap_or_default();
        rest = after.find('m').and_then(|end| after.get(end + 1..)).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// What a drawing of an error says, and the language of its frame words.
struct Words<'e> {
    zh: bool,
    message: std::borrow::Cow<'e, str>,
    help: Option<std::borrow::Cow<'e, str>>,
}

impl Words<'_> {
    /// `Error` or `Warning`, `错误` or `警告`.
    fn heading(&self, warning: bool) -> &'static str {
        match (self.zh, warning) {
            (false, false) => "Error",
            (false, true) => "Warning",
            (true, false) => "错误",
            (true, true) => "警告",
        }
    }

    /// After a heading: `: `, or the full-width `：` after Chinese.
    fn sep(&self) -> &'static str {
        if self.zh { "：" } else { ": " }
    }

    /// Under the caret: the kind's own word (`here`, `not defined`), `此处`.
    fn label(&self, kind: ErrorKind) -> &'static str {
        if self.zh { "此处" } else { kind.label() }
    }

    /// `Help`, `提示`.
    fn help_word(&self) -> &'static str {
        if self.zh { "提示" } else { "Help" }
    }
}

impl ErrorKind {
    fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "here",
            ErrorKind::UnknownName => "not defined",
            ErrorKind::Duplicate => "given again here",
            ErrorKind::Type | ErrorKind::Unit | ErrorKind::Range | ErrorKind::Suspicious => "in this expression",
            ErrorKind::Unused => "declared here",
            _ => "here",
        }
    }
}

/// Source lines longer than this, in bytes, are shown as an excerpt.
const LONG_LINE: usize = 300;

/// `text` with its control characters written as escapes (`\n`, `\r`,
/// `\u{1b}`): for text from an audit or a rulebook shown on a terminal or
/// in a line of a report, where a newline would start a line that seems to
/// be the report's own and an escape sequence would drive the terminal.
/// The characters that reorder text (bidi overrides, embeddings, isolates
/// and marks: `\u{202e}`) are escaped as well, so a string cannot make
/// what follows it read backwards.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// A parser's message with each line cut to 200 characters: a TOML
/// parser may quote what it read, which in a one-line file is the whole
/// file ([`AuditInput::from_toml_named`](crate::AuditInput::from_toml_named)).
pub(crate) fn brief_lines(message: &str) -> String {
    let lines: Vec<String> = message
        .lines()
        .map(|line| match line.char_indices().nth(200) {
            Some((cut, _)) => format!("{}…", line.get(..cut).unwrap_or_default()),
            None => line.to_string(),
        })
        .collect();
    lines.join("\n")
}

/// Appends `c` as [`visible`] shows it: a control character as its escape
/// (`\n`, `\u{1b}`), another [`hidden`] one as `\u{..}`, the rest as it is.
pub(crate) fn push_visible(out: &mut String, c: char) {
    if c.is_control() {
        out.extend(c.escape_debug());
    } else if hidden(c) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// A message as [`visible`] shows it, but for its line breaks: a message
/// may quote a parser's own lines (a TOML error and the line it is in).
fn visible_lines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && hidden(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.split('\n').map(visible).collect::<Vec<_>>().join("\n"))
}

/// Whether [`visible`] writes `c` as an escape: a control character, or
/// one that reorders or hides text (bidi controls, the line and paragraph
/// separators).
pub(crate) fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c`, at byte `at` of `text`, lays the text out: a line break
/// (`\n`, or `\r` before `\n`) or a tab. These are the [`hidden`]
/// characters a source may hold, and an error draws as they are.
pub(crate) fn laid_out(text: &str, at: usize, c: char) -> bool {
    c == '\n' || c == '\t' || (c == '\r' && text.as_bytes().get(at + 1) == Some(&b'\n'))
}

/// `source` as an error draws it, with the offsets `range` (on character
/// boundaries) moves to: its name and text with the characters
/// [`visible`] escapes written as escapes, but for the line breaks
/// (`\n`, `\r\n`) and tabs the text is laid out with. A rulebook cannot
/// drive the terminal of whoever checks it through the lines an error
/// quotes. Columns counted on the drawing count the escapes.
fn shown_source(source: &Arc<Source>, range: std::ops::Range<usize>) -> (Arc<Source>, std::ops::Range<usize>) {
    let text = source.text.as_str();
    let laid_out = |at: usize, c: char| laid_out(text, at, c);
    let name = visible(&source.name);
    if matches!(name, std::borrow::Cow::Borrowed(_)) && !text.char_indices().any(|(i, c)| hidden(c) && !laid_out(i, c))
    {
        return (Arc::clone(source), range);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i == range.start {
            start = Some(shown.len());
        }
        if i == range.end {
            end = Some(shown.len());
        }
        if hidden(c) && !laid_out(i, c) {
            push_visible(&mut shown, c);
        } else {
            shown.push(c);
        }
    }
    let start = start.unwrap_or(shown.len());
    let end = end.unwrap_or(shown.len()).max(start);
    (Source::new(name, shown), start..end)
}

/// The part of the line holding `at` that is shown for it: up to 40
/// characters before it and 120 bytes from it, `…` where the line goes
/// on; and the columns the text before `at` takes.
fn excerpt(source: &Source, at: usize) -> (String, usize) {
    let text = source.text.as_str();
    let std::ops::Range { start: line_start, end: line_end } = source.line_bounds(at);
    let before = text.get(line_start..at).unwrap_or_default();
    let from = before.char_indices().rev().nth(39).map_or(line_start, |(i, _)| line_start + i);
    let to = ceil_char_boundary(text, (at + 120).min(line_end)).max(at);
    let open = if from > line_start { "…" } else { "" };
    let close = if to < line_end { "…" } else { "" };
    let shown = format!("{open}{}{close}", text.get(from..to).unwrap_or_default());
    (shown, open.width() + text.get(from..at).unwrap_or_default().width())
}

fn strip_trailing_spaces(text: &str) -> String {
    text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") + "\n"
}

/// Whether a diagnostic stops the rulebook or audit ([`Error::is_warning`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rulebook does not compile, or the audit is not scored.
    Error,
    /// Noticed, not refused ([`ErrorKind::Unused`], [`ErrorKind::Suspicious`]).
    Warning,
}

/// An [`Error`] as plain serialisable data, made by [`Error::to_info`]
/// (or [`Error::to_plain_info`]).
/// New fields may be added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// The kind.
    pub kind: ErrorKind,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// Source name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte offset of the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    /// Byte offset of the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The source line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// For audit errors: fact, expected, given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<FactProblem>,
    /// The message in Chinese ([`Error::message_zh`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    /// The hint in Chinese ([`Error::help_zh`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_zh: Option<String>,
    /// What the fact expects, in Chinese, as `fact.expected` says it in
    /// English ([`Error::expected_zh`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_zh: Option<String>,
    /// The diagnostic drawn as text, without colour.
    pub rendered: String,
}

/// One or more errors from a stage that collects them all; equal when
/// they hold equal errors in the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(Vec<Error>);

impl Errors {
    /// Wraps a list; an empty list becomes an internal error so it is never silent.
    pub fn new(errors: Vec<Error>) -> Self {
        if errors.is_empty() {
            return Errors(vec![Error::new(ErrorKind::Evaluation, "failed without a reason")]);
        }
        Errors(errors)
    }

    /// The errors, in source order where they have spans.
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: there is at least one.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error.
    pub fn first(&self) -> Option<&Error> {
        self.0.first()
    }

    /// All errors drawn one after the other.
    pub fn render(&self, color: bool) -> String {
        self.0.iter().map(|e| e.render(color)).collect()
    }

    /// All errors drawn as [`Error::render_zh`] draws each.
    pub fn render_zh(&self, color: bool) -> String {
        self.0.iter().map(|e| e.render_zh(color)).collect()
    }

    /// All errors as plain data.
    pub fn to_info(&self) -> Vec<ErrorInfo> {
        self.0.iter().map(Error::to_info).collect()
    }

    /// Unwraps into the list.
    pub fn into_vec(self) -> Vec<Error> {
        self.0
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match e.line_col() {
                Some((line, col)) => {
                    let name = visible(e.source_name().unwrap_or("<input>"));
                    write!(f, "{name}:{line}:{col}: {}", visible_lines(e.message()))?
                }
                None => f.write_str(&visible_lines(e.message()))?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl IntoIterator for Errors {
    type Item = Error;
    type IntoIter = std::vec::IntoIter<Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `for error in &errors`, as [`Errors::iter`].
impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_line_the_headings_are_ariadnes() {
        let e = Error::new_in(ErrorKind::Audit, Labels::new("the audit is empty", "审核为空"))
            .with_help_in(Some(Labels::new("give its facts", "请给出数据项")));
        assert_eq!(e.render(false), "Error: the audit is empty\n  Help: give its facts\n");
        assert_eq!(e.render_zh(false), "错误：审核为空\n  提示：请给出数据项\n");
        let warning = Error::new(ErrorKind::Unused, "fact `a` is never read");
        assert_eq!(warning.render(false), "Warning: fact `a` is never read\n");
    }

    #[test]
    fn info_says_what_is_expected_in_chinese() {
        let labels = |en: &str, zh: &str| Labels::new(en, zh);
        let e = Error::fact_in(ErrorKind::Audit, "fuel", labels("a number", "数值"), labels("a list", "列表"));
        let info = e.to_info();
        assert_eq!(info.expected_zh.as_deref(), Some("数值"));
        assert_eq!(info.fact.map(|p| p.expected).as_deref(), Some("a number"));
        let json = serde_json::to_value(e.to_info()).unwrap_or_default();
        assert_eq!(json["expected_zh"], "数值");
        // None is left out, as the other optional fields are.
        let plain = serde_json::to_value(Error::new(ErrorKind::Audit, "the audit is empty").to_info());
        assert!(plain.is_ok_and(|v| v.get("expected_zh").is_none()));
    }

    #[test]
    fn plain_info_is_info_without_the_drawing() {
        let source = Source::new("a.eco", "rulebook x {\n  bad\n}\n");
        let e = Error::at(ErrorKind::Syntax, "unexpected `bad`", &source, Span::new(15, 18)).with_help("remove it");
        let (drawn, plain) = (e.to_info(), e.to_plain_info());
        assert_eq!(plain.rendered, "Error: unexpected `bad`\n  Help: remove it\n");
        assert_ne!(drawn.rendered, plain.rendered);
        // Everything else is the same: where it is, the line, the help.
        assert_eq!(ErrorInfo { rendered: plain.rendered.clone(), ..drawn }, plain);
        assert_eq!((plain.line, plain.column, plain.snippet.as_deref()), (Some(2), Some(3), Some("  bad")));
        // An error at no line is drawn so anyway; a warning is headed as one.
        let lineless = Error::new_in(ErrorKind::Audit, Labels::new("the audit is empty", "审核为空"));
        assert_eq!(lineless.to_plain_info(), lineless.to_info());
        let warning = Error::new(ErrorKind::Unused, "fact `a` is never read").to_plain_info();
        assert_eq!(
            (warning.severity, warning.rendered.as_str()),
            (Severity::Warning, "Warning: fact `a` is never read\n")
        );
        // A control character in the message is escaped, as `render` escapes it.
        let odd = Error::new(ErrorKind::Audit, "fact `a\u{1b}[2J` is not declared").to_plain_info();
        assert_eq!(odd.rendered, "Error: fact `a\\u{1b}[2J` is not declared\n");
    }

    #[test]
    fn errors_are_equal_when_all_they_say_is() {
        let at = |name: &str, text: &str| {
            Error::at(ErrorKind::Syntax, "unexpected `x`", &Source::new(name, text), Span::new(0, 1))
        };
        // The same source read twice: equal, though not one allocation.
        assert_eq!(at("a.eco", "x"), at("a.eco", "x"));
        assert_ne!(at("a.eco", "x"), at("b.eco", "x"));
        assert_ne!(at("a.eco", "x"), at("a.eco", "xy"));
        let plain = Error::new(ErrorKind::Audit, "the audit is empty");
        assert_ne!(plain, plain.clone().with_help("give its facts"));
        assert_ne!(plain, Error::new(ErrorKind::AuditTooLarge, "the audit is empty"));
        assert_ne!(plain, plain.clone().with_zh("审核为空"));
        assert_eq!(Errors::from(plain.clone()), Errors::new(vec![plain.clone()]));
        assert_ne!(Errors::new(vec![plain.clone(), at("a.eco", "x")]), Errors::new(vec![at("a.eco", "x"), plain]));
    }

    #[test]
    fn an_excerpt_of_a_long_line_is_headed_as_a_drawing() {
        let source = Source::new("long.eco", format!("{} x", "a".repeat(400)));
        let e = Error::at(ErrorKind::Syntax, "unexpected `x`", &source, Span::new(401, 402)).with_help("remove it");
        let drawn = e.render(false);
        assert!(drawn.starts_with("Error: unexpected `x`\n  --> long.eco:1:402\n"), "{drawn}");
        assert!(drawn.ends_with("\n  Help: remove it\n"), "{drawn}");
    }
}

//! Canonical formatting: AST (plus the comments of its source) to text.
//!
//! `parse(format(x))` equals `parse(x)`, and formatting twice changes
//! nothing. Comments that stand between items or statements stay where
//! they were, and so does one at the end of a statement's last line; a
//! comment written inside a statement (in a condition broken over lines)
//! moves to a line of its own above the statement. An enum with comments
//! among its values is written one value a line, the comments beside them.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr as _;

use crate::ast::*;
use crate::ir::write_quoted;
use crate::span::Span;

/// Formats a parsed file in the canonical layout, keeping the comments of
/// `source`, the text it was parsed from.
pub fn format(file: &SourceFile, source: &str) -> String {
    let mut printer =
        Printer { out: String::new(), indent: 0, comments: comments(source), next: 0, trailing: Vec::new(), source };
    match file {
        SourceFile::Module(m) => printer.module(m),
        SourceFile::Rulebook(r) => printer.rulebook(r),
    }
    printer.comments_before(usize::MAX);
    let mut out = align_trailing_comments(&printer.out, &printer.trailing).trim_end().to_string();
    out.push('\n');
    out
}

/// The canonical text of an expression, as shown in explanations.
pub fn expr_text(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr);
    out
}

/// [`expr_text`] of an expression from the source, in a string sized by
/// its span: the canonical text is seldom longer than the source's.
pub(crate) fn spanned_expr_text(expr: &Spanned<Expr>) -> String {
    let mut out = String::with_capacity(expr.span.end.saturating_sub(expr.span.start));
    write_expr(&mut out, &expr.node);
    out
}

struct Comment {
    start: usize,
    text: String,
    /// Code stands before it on the same line.
    trailing: bool,
}

/// Finds every `//` comment outside strings.
fn comments(source: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    let mut in_string = false;
    let mut line_has_code = false;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                line_has_code = false;
                in_string = false;
            }
            '\\' if in_string => {
                chars.next();
            }
            '"' => {
                in_string = !in_string;
                line_has_code = true;
            }
            '/' if !in_string && chars.peek().is_some_and(|&(_, n)| n == '/') => {
                let mut end = source.len();
                while let Some(&(j, n)) = chars.peek() {
                    if n == '\n' {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let text = source.get(i..end).unwrap_or_default().trim_end().to_string();
                found.push(Comment { start: i, text, trailing: line_has_code });
            }
            c if !c.is_whitespace() && c != '\u{feff}' => line_has_code = true,
            _ => {}
        }
    }
    found
}

enum BookItem<'a> {
    Line(Span, String),
    Let(&'a Let<'a>),
    Facts,
    Scoring(&'a Scoring<'a>),
    Area(&'a Area<'a>),
}

enum ModuleItem<'a> {
    Table(&'a Table<'a>),
    Constant(&'a Constant<'a>),
}

/// Lines wider than this are broken: a long condition before its `or`s or
/// `and`s, a long sum before a `+` or `-`, a long enum one value a line,
/// long `ref`s one a line.
const WIDTH: usize = 100;

/// The columns `text` takes in a terminal: a Chinese character takes two.
fn width(text: &str) -> usize {
    text.width()
}

/// A statement of one line: plain text, or cells that line up with those
/// of the same kind of statement on the lines around it (a table's rows,
/// grades, verdicts), as `gofmt` lines up the fields of a block.
enum Line {
    Text(String),
    Cells(&'static str, Vec<String>),
}

impl Line {
    /// The text the line starts with (its keyword).
    fn head(&self) -> &str {
        match self {
            Line::Text(text) => text,
            Line::Cells(_, cells) => cells.first().map_or("", String::as_str),
        }
    }
}

struct Printer<'s> {
    source: &'s str,
    out: String,
    indent: usize,
    comments: Vec<Comment>,
    next: usize,
    /// Where each line with a trailing comment starts in `out`, and where
    /// its code ends, for [`align_trailing_comments`].
    trailing: Vec<(usize, usize)>,
}

impl Printer<'_> {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Keeps a blank line the author left before the line holding `pos`.
    fn keep_blank(&mut self, pos: usize) {
        if self.blank_before(pos) {
            self.blank();
        }
    }

    /// Whether the author left a blank line before the line holding `pos`.
    fn blank_before(&self, pos: usize) -> bool {
        let before = self.source.get(..pos).unwrap_or_default().trim_end_matches([' ', '\t']);
        let Some(rest) = before.strip_suffix('\n') else { return false };
        let rest = rest.strip_suffix('\r').unwrap_or(rest);
        let previous = rest.rsplit('\n').next().unwrap_or_default();
        previous.trim().is_empty() && !rest.is_empty()
    }

    /// A blank line between two items, the next at `pos`: after the
    /// comment at the end of the last line written, if it has one.
    fn separate(&mut self, pos: usize) {
        if let Some(c) = self.comments.get(self.next).filter(|c| c.trailing && c.start < pos) {
            let after = c.start + 1;
            self.comments_before(after);
        }
        self.blank();
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("{\n") && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Emits the comments that start before `pos`; a trailing one goes at
    /// the end of the last line written.
    fn comments_before(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            let (text, start, trailing) = (c.text.clone(), c.start, c.trailing);
            if !trailing {
                self.keep_blank(start);
            }
            if trailing && self.out.ends_with('\n') && !self.out.ends_with("\n\n") && !self.out.is_empty() {
                self.out.pop();
                let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
                // A second comment on the line joins the first: the line
                // lines up by where its code ends, as it will when read
                // again (the two are then one comment). A line that is a
                // comment itself has no code to line up.
                let is_comment = self.out.get(line_start..).is_some_and(|l| l.trim_start().starts_with("//"));
                if !is_comment && self.trailing.last().is_none_or(|&(start, _)| start != line_start) {
                    self.trailing.push((line_start, self.out.len()));
                }
                self.out.push_str("  ");
                self.out.push_str(&text);
                self.out.push('\n');
            } else {
                self.line(&text);
            }
            self.next += 1;
        }
    }

    /// Where the statement printed as `text` starts in the source, given
    /// `at`, where its node starts: a node after a keyword (`version`'s
    /// string, `require`'s condition) may stand lines below it, and the
    /// blank lines kept are those before the keyword's line.
    fn statement_start(&self, at: usize, text: &str) -> usize {
        let keyword = text.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')).next().unwrap_or_default();
        // The node starts with the keyword as a whole word (the grammar's
        // `ident_char` does not follow it): it is the statement's start.
        let rest = self.source.get(at..).unwrap_or_default();
        let at_keyword = rest
            .strip_prefix(keyword)
            .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
        if keyword.is_empty() || at_keyword {
            return at;
        }
        let before = self.source.get(..at).unwrap_or_default().trim_end();
        before.strip_suffix(keyword).map_or(at, str::len)
    }

    /// Where the code of `span` ends: the span of a statement that ends in
    /// an optional part (a fact's `help`, a deduction's `max`) runs on over
    /// the blanks and comments after it when the part is left out.
    fn code_end(&self, span: Span) -> usize {
        let mut end = span.end;
        loop {
            let code = self.source.get(span.start..end).unwrap_or_default();
            end = span.start + code.trim_end().len();
            let last = self.comments.partition_point(|c| c.start < end).checked_sub(1);
            match last.and_then(|i| self.comments.get(i)) {
                Some(c) if c.start >= span.start && c.start + c.text.len() >= end => end = c.start,
                _ => return end,
            }
        }
    }

    fn open(&mut self, header: &str, at: usize) {
        self.comments_before(at);
        self.keep_blank(self.statement_start(at, header));
        self.line(&format!("{header} {{"));
        self.indent += 1;
    }

    fn close(&mut self, end: usize) {
        self.comments_before(end.saturating_sub(1));
        self.indent = self.indent.saturating_sub(1);
        self.line("}");
    }

    /// Prints the statement written at `span` in the source (from its
    /// node's start: the keyword before it is found here). The comments
    /// written inside it go on lines of their own above it; one after it
    /// on its last line stays at the end of its last line.
    fn statement(&mut self, span: Span, text: &str) {
        let start = self.statement_start(span.start, text);
        self.print_statement(start, self.code_end(span), text);
    }

    /// [`Printer::statement`] of one whose source runs from its keyword at
    /// `start` to its code's `end`.
    fn print_statement(&mut self, start: usize, end: usize, text: &str) {
        self.comments_before(start);
        self.keep_blank(start);
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < end) {
            let comment = c.text.clone();
            self.line(&comment);
            self.next += 1;
        }
        self.line(text);
    }

    /// Prints statements in the order they were written, so each comment
    /// stays beside the statement it was written beside. The cells of a
    /// run of [`Line::Cells`] of one kind line up; a blank line or a
    /// comment of its own line ends the run.
    fn statements(&mut self, lines: Vec<(Span, Line)>) {
        // Each statement from its keyword, for `same_run`.
        let mut lines: Vec<(Span, Line)> = lines
            .into_iter()
            .map(|(span, line)| (Span::new(self.statement_start(span.start, line.head()), self.code_end(span)), line))
            .collect();
        lines.sort_by_key(|(span, _)| span.start);
        // The first line of the run each line belongs to.
        let mut runs: Vec<usize> = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let joins = i.checked_sub(1).and_then(|p| lines.get(p)).is_some_and(|before| self.same_run(before, line));
            runs.push(if joins { runs.last().copied().unwrap_or(i) } else { i });
        }
        // Each run's column widths, kept at the index of its first line.
        let mut columns: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
        for ((_, line), &run) in lines.iter().zip(&runs) {
            if let (Line::Cells(_, cells), Some(widths)) = (line, columns.get_mut(run)) {
                widths.resize(widths.len().max(cells.len()), 0);
                for (w, cell) in widths.iter_mut().zip(cells) {
                    *w = (*w).max(width(cell));
                }
            }
        }
        for ((span, line), run) in lines.into_iter().zip(runs) {
            let text = match line {
                Line::Text(text) => text,
                Line::Cells(_, cells) => padded(&cells, columns.get(run).map_or(&[], Vec::as_slice)),
            };
            self.print_statement(span.start, span.end, &text);
        }
    }

    /// Whether `line` lines up with `before`, the line above it.
    fn same_run(&self, (before, above): &(Span, Line), (span, line): &(Span, Line)) -> bool {
        matches!((above, line), (Line::Cells(a, _), Line::Cells(b, _)) if a == b)
            && !self.blank_before(span.start)
            && !self.comment_line_between(before.end, *span)
    }

    /// Whether a comment will print on a line of its own between the
    /// statement that ends at `end` and the one at `next`: one standing
    /// on its own line after `end`, or one written inside `next`, which
    /// [`Printer::statement`] moves above it (the comments are in source
    /// order).
    fn comment_line_between(&self, end: usize, next: Span) -> bool {
        let first = self.comments.partition_point(|c| c.start < end);
        let after = self.comments.get(first..).unwrap_or_default();
        after.iter().take_while(|c| c.start < next.end).any(|c| !c.trailing || c.start >= next.start)
    }

    /// `head`, then its `ref` and `unverified` attributes in braces: on
    /// the same line if it fits in [`WIDTH`], else one a line.
    /// `span` is the head's.
    fn attributed(&mut self, span: Span, head: &str, attrs: Vec<(Span, String)>) {
        if attrs.is_empty() {
            self.statement(span, head);
            return;
        }
        let texts: Vec<&str> = attrs.iter().map(|(_, text)| text.as_str()).collect();
        let one_line = format!("{head} {{ {} }}", texts.join(" "));
        let last_line = one_line.rsplit('\n').next().unwrap_or_default();
        if 2 * self.indent + width(last_line) <= WIDTH {
            self.statement(span, &one_line);
            return;
        }
        self.statement(span, &format!("{head} {{"));
        self.indent += 1;
        self.statements(attrs.into_iter().map(|(span, text)| (span, Line::Text(text))).collect());
        self.indent = self.indent.saturating_sub(1);
        self.line("}");
    }

    fn module(&mut self, m: &Module) {
        self.open(&format!("module {} {}", m.id.node, title(&m.title)), m.span.start);
        for r in &m.refs {
            self.statement(r.span, &format!("ref {}", quote(&r.node)));
        }
        let mut items: Vec<(usize, ModuleItem<'_>)> = m
            .tables
            .iter()
            .map(|t| (t.span.start, ModuleItem::Table(t)))
            .chain(m.constants.iter().map(|c| (c.span.start, ModuleItem::Constant(c))))
            .collect();
        items.sort_by_key(|(start, _)| *start);
        let mut previous_was_constant = false;
        for (_, item) in items {
            match item {
                ModuleItem::Table(t) => {
                    self.separate(t.span.start);
                    self.table(t);
                    previous_was_constant = false;
                }
                ModuleItem::Constant(c) => {
                    if !previous_was_constant {
                        self.separate(c.span.start);
                    }
                    self.constant(c);
                    previous_was_constant = true;
                }
            }
        }
        self.close(m.span.end);
    }

    fn table(&mut self, t: &Table) {
        let params: Vec<String> =
            t.params.iter().map(|p| format!("{}: {}", p.name.node, type_text(&p.ty.node))).collect();
        let header = format!(
            "table {}({}) -> {} {}",
            t.name.node,
            params.join(", "),
            type_text(&t.result.node),
            t.lookup.node.keyword()
        );
        self.open(&header, t.span.start);
        let lines = attributes(&t.refs, t.unverified.as_ref()).into_iter().map(|(span, text)| (span, Line::Text(text)));
        let rows = t.rows.iter().map(|row| {
            let keys: Vec<String> = row.keys.iter().map(|k| literal_text(&k.node)).collect();
            (row.span, Line::Cells("row", vec![keys.join(", "), format!("=> {}", literal_text(&row.value.node))]))
        });
        self.statements(lines.chain(rows).collect());
        self.close(t.span.end);
    }

    fn constant(&mut self, c: &Constant) {
        let head = format!("const {} = {}", c.name.node, literal_text(&c.value.node));
        let span = Span::new(c.span.start, c.value.span.end);
        self.attributed(span, &head, attributes(&c.refs, c.unverified.as_ref()));
    }

    fn rulebook(&mut self, r: &Rulebook) {
        self.open(&format!("rulebook {} {}", r.id.node, title(&r.title)), r.span.start);
        // Items print in source order, so comments stay beside them.
        let mut items: Vec<(usize, BookItem<'_>)> = Vec::new();
        if let Some(v) = &r.version {
            items.push((v.span.start, BookItem::Line(v.span, format!("version {}", quote(&v.node)))));
        }
        if let Some(e) = &r.effective {
            items.push((e.span.start, BookItem::Line(e.span, format!("effective {}", e.node))));
        }
        if let (Some(first), Some(last)) = (r.uses.first(), r.uses.last()) {
            let names: Vec<&str> = r.uses.iter().map(|u| u.node).collect();
            items.push((
                first.span.start,
                BookItem::Line(first.span.to(last.span), format!("use {}", names.join(", "))),
            ));
        }
        for reference in &r.refs {
            items.push((
                reference.span.start,
                BookItem::Line(reference.span, format!("ref {}", quote(&reference.node))),
            ));
        }
        if !r.facts.is_empty() {
            items.push((r.facts_span.start, BookItem::Facts));
        }
        for l in &r.lets {
            items.push((l.name.span.start, BookItem::Let(l)));
        }
        if let Some(s) = &r.scoring {
            items.push((s.span.start, BookItem::Scoring(s)));
        }
        for a in &r.areas {
            items.push((a.span.start, BookItem::Area(a)));
        }
        items.sort_by_key(|(start, _)| *start);
        for (start, item) in items {
            match item {
                BookItem::Line(span, text) => self.statement(span, &text),
                BookItem::Let(l) => {
                    let head = wrapped(&format!("let {} = ", l.name.node), &l.value.node, self.indent);
                    let span = Span::new(start, l.value.span.end);
                    self.attributed(span, &head, attributes(&l.refs, l.unverified.as_ref()));
                }
                BookItem::Facts => {
                    self.separate(start);
                    self.open("facts", r.facts_span.start);
                    for f in &r.facts {
                        self.fact(f);
                    }
                    self.close(r.facts_span.end);
                }
                BookItem::Scoring(s) => {
                    self.separate(start);
                    self.scoring(s);
                }
                BookItem::Area(a) => {
                    self.separate(start);
                    self.area(a);
                }
            }
        }
        self.close(r.span.end);
    }

    fn fact(&mut self, f: &FactDecl) {
        let mut tail = String::new();
        for (keyword, bound) in [("min", &f.min), ("max", &f.max)] {
            if let Some(bound) = bound {
                let _ = write!(tail, "{keyword} {} ", literal_text(&bound.node));
            }
        }
        tail.push_str(&title(&f.title));
        if let Some(h) = &f.help {
            let _ = write!(tail, " help {}", title(h));
        }
        let one_line = format!("{}: {} {tail}", f.name.node, type_text(&f.ty.node));
        let TypeExpr::Enum(variants) = &f.ty.node else {
            self.statement(f.span, &one_line);
            return;
        };
        // One value a line when they do not fit on one, or when comments
        // are written among them: each keeps the comments beside it.
        let first = variants.first().map_or(f.span.end, |v| v.name.span.start);
        let commented =
            self.comments.iter().skip(self.next).any(|c| c.start > first && c.start < f.title.zh.span.start);
        if width(&one_line) + 2 * self.indent <= WIDTH && !commented {
            self.statement(f.span, &one_line);
            return;
        }
        self.statement(Span::new(f.span.start, first), &format!("{}: enum {{", f.name.node));
        self.indent += 1;
        for (i, v) in variants.iter().enumerate() {
            let comma = if i + 1 < variants.len() { "," } else { "" };
            let span = v.title.as_ref().map_or(v.name.span, |t| v.name.span.to(title_span(t)));
            self.statement(span, &format!("{}{comma}", variant_text(v)));
        }
        // A comment after the last value ends its line.
        self.comments_before(f.title.zh.span.start);
        self.indent -= 1;
        self.line(&format!("}} {tail}"));
    }

    fn scoring(&mut self, s: &Scoring) {
        self.open("scoring", s.span.start);
        let mut lines: Vec<(Span, Line)> = Vec::new();
        if let Some(scale) = &s.scale {
            lines.push((scale.span, Line::Text(format!("scale {}", scale.node))));
        }
        if let Some(na) = &s.not_applicable {
            lines.push((na.span, Line::Text(format!("not_applicable {}", na.node.keyword()))));
        }
        for (keyword, list) in [("grade", &s.grades), ("verdict", &s.verdicts)] {
            for o in list {
                let condition = match &o.condition {
                    Some(c) => format!("when {}", expr_text(&c.node)),
                    None => "otherwise".to_string(),
                };
                let labels = o.title.as_ref().map(title).unwrap_or_default();
                let cells = vec![format!("{keyword} {}", o.id.node), labels, condition];
                lines.push((o.span, Line::Cells(keyword, cells)));
            }
        }
        for d in &s.deductions {
            let basis = match &d.basis {
                DeductionBasis::Per(e) => format!("per {}", expr_text(&e.node)),
                DeductionBasis::When(e) => format!("when {}", expr_text(&e.node)),
            };
            let max = d.max.as_ref().map(|m| format!(" max {}", m.node)).unwrap_or_default();
            let text = format!("deduct {} {} {} {basis}{max}", d.id.node, title(&d.title), d.points.node);
            lines.push((d.span, Line::Text(text)));
        }
        self.statements(lines);
        self.close(s.span.end);
    }

    fn area(&mut self, a: &Area) {
        self.open(&format!("area {} {}", a.id.node, title(&a.title)), a.span.start);
        for (i, c) in a.clauses.iter().enumerate() {
            if i > 0 {
                self.separate(c.span.start);
            }
            self.clause(c);
        }
        self.close(a.span.end);
    }

    fn clause(&mut self, c: &Clause) {
        let veto = if c.veto { " veto" } else { "" };
        let header = format!("clause {} {} points {}{veto}", c.id.node, title(&c.title), c.points.node);
        self.open(&header, c.span.start);
        // The tree keeps each kind of statement apart; `statements` puts
        // them back in the author's order.
        let mut statements: Vec<(Span, String)> = attributes(&c.refs, None);
        for e in &c.evidence {
            statements.push((title_span(e), format!("evidence {}", title(e))));
        }
        for w in &c.when {
            statements.push((w.span, wrapped("when ", &w.node, self.indent)));
        }
        for r in &c.require {
            statements.push((r.span, wrapped("require ", &r.node, self.indent)));
        }
        for p in &c.partials {
            let text = wrapped(&format!("partial {} when ", p.fraction.node), &p.condition.node, self.indent);
            statements.push((p.fraction.span.to(p.condition.span), text));
        }
        if let Some(f) = &c.fix {
            let text =
                format!("fix {} within {} {}", title(&f.action), f.within_days.node, days_word(f.within_days.node));
            statements.push((f.action.zh.span.to(f.within_days.span), text));
        }
        self.statements(statements.into_iter().map(|(span, text)| (span, Line::Text(text))).collect());
        self.close(c.span.end);
    }
}

/// The word after a fix's number of days: `within 1 day` reads as the
/// report says it, `within 30 days` for every other number.
fn days_word(number: &str) -> &'static str {
    if crate::num::Num::parse(number) == Some(crate::num::Num::ONE) { "day" } else { "days" }
}

/// `prefix` and the expression on one line or, where that is wider than
/// [`WIDTH`] at `indent`, broken by [`Wrapper`]. Line breaks are
/// whitespace, so the text parses to the same tree, and where they go
/// depends on the tree alone, so formatting again changes nothing.
fn wrapped(prefix: &str, expr: &Expr, indent: usize) -> String {
    let mut wrapper = Wrapper { out: String::from(prefix), first_indent: 2 * indent };
    wrapper.expr(expr, 2 * (indent + 2));
    wrapper.out
}

/// Writes an expression, breaking what does not fit: a chain of `or`s
/// (else of `and`s) before each operator, its continuation lines four
/// columns deeper than the statement (an operand's own chain four deeper
/// still, inside its parentheses too), a sum before the `+` or `-` of a
/// term that would not fit, and a list between its items. What cannot
/// break (a comparison, a call) stays whole.
struct Wrapper {
    out: String,
    /// The indent of the statement's first line, which `out` leaves out.
    first_indent: usize,
}

impl Wrapper {
    fn column(&self) -> usize {
        match self.out.rfind('\n') {
            Some(i) => width(self.out.get(i + 1..).unwrap_or_default()),
            None => self.first_indent + width(&self.out),
        }
    }

    fn new_line(&mut self, indent: usize) {
        self.out.push('\n');
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    /// Writes `expr`; `indent` is the column of its continuation lines.
    fn expr(&mut self, expr: &Expr, indent: usize) {
        let text = expr_text(expr);
        if self.column() + width(&text) <= WIDTH {
            self.out.push_str(&text);
            return;
        }
        for op in [BinaryOp::Or, BinaryOp::And] {
            let mut operands = Vec::new();
            chain(expr, op, &mut operands);
            if operands.len() > 1 {
                for (i, operand) in operands.into_iter().enumerate() {
                    if i > 0 {
                        self.new_line(indent);
                        self.out.push_str(op.symbol());
                        self.out.push(' ');
                    }
                    self.expr(operand, indent + 4);
                }
                return;
            }
        }
        if let Expr::Binary { op: BinaryOp::Add | BinaryOp::Sub, .. } = expr {
            // A sum (a day of readings added up) fills each line, breaking
            // before a `+` or `-` whose term would not fit after it.
            let mut terms = Vec::new();
            terms_of(expr, &mut terms);
            for (op, term) in terms {
                if let Some(op) = op {
                    if self.column() + op.symbol().len() + width(&expr_text(term)) + 2 > WIDTH {
                        self.new_line(indent);
                    } else {
                        self.out.push(' ');
                    }
                    self.out.push_str(op.symbol());
                    self.out.push(' ');
                }
                self.expr(term, indent + 4);
            }
            return;
        }
        match expr {
            Expr::Group(inner) => {
                self.out.push('(');
                self.expr(&inner.node, indent);
                self.out.push(')');
            }
            Expr::Unary { op: UnaryOp::Not, expr } => {
                self.out.push_str("not ");
                self.expr(&expr.node, indent);
            }
            Expr::Binary { op, lhs, rhs } => {
                self.expr(&lhs.node, indent);
                self.out.push(' ');
                self.out.push_str(op.symbol());
                self.out.push(' ');
                self.expr(&rhs.node, indent);
            }
            Expr::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    let text = expr_text(&item.node);
                    if i > 0 {
                        self.out.push(',');
                    }
                    // Room for the item and the `,` or `]` after it.
                    if self.column() + 1 + width(&text) + 1 > WIDTH {
                        self.new_line(indent);
                    } else if i > 0 {
                        self.out.push(' ');
                    }
                    self.out.push_str(&text);
                }
                self.out.push(']');
            }
            _ => self.out.push_str(&text),
        }
    }
}

/// `cells` joined by spaces, each but the last padded to its column's
/// width; a column empty on every line of the run (verdicts that all
/// leave out their titles) takes no room.
fn padded(cells: &[String], widths: &[usize]) -> String {
    let mut out = String::new();
    for (j, cell) in cells.iter().enumerate() {
        let column = widths.get(j).copied().unwrap_or(0);
        let last = j + 1 == cells.len();
        if column == 0 && !last {
            continue;
        }
        if j > 0 {
            out.push(' ');
        }
        out.push_str(cell);
        if !last {
            out.extend(std::iter::repeat_n(' ', column.saturating_sub(width(cell))));
        }
    }
    out
}

/// Lines up the comments at the ends of consecutive lines, two spaces
/// after the widest line's code. `marks` holds, for each line with such a
/// comment, where it starts in `out` and where its code ends.
fn align_trailing_comments(out: &str, marks: &[(usize, usize)]) -> String {
    let mut aligned = String::with_capacity(out.len());
    let mut copied = 0;
    let mut run_start = 0;
    while let Some(&(first, _)) = marks.get(run_start) {
        // The run: marks on consecutive lines.
        let mut run_end = run_start + 1;
        let mut line_end = out.get(first..).and_then(|rest| rest.find('\n')).map_or(out.len(), |n| first + n + 1);
        while let Some(&(next, _)) = marks.get(run_end) {
            if next != line_end {
                break;
            }
            line_end = out.get(next..).and_then(|rest| rest.find('\n')).map_or(out.len(), |n| next + n + 1);
            run_end += 1;
        }
        let run = marks.get(run_start..run_end).unwrap_or_default();
        let code = |&(start, end): &(usize, usize)| width(out.get(start..end).unwrap_or_default());
        let widest = run.iter().map(code).max().unwrap_or(0);
        for mark in run {
            aligned.push_str(out.get(copied..mark.1).unwrap_or_default());
            aligned.extend(std::iter::repeat_n(' ', widest.saturating_sub(code(mark))));
            copied = mark.1;
        }
        run_start = run_end;
    }
    aligned.push_str(out.get(copied..).unwrap_or_default());
    aligned
}

/// The operands of a chain of `op` (`a or b or c`), left to right: the
/// parser builds such a chain leaning left.
fn chain<'e, 'a>(expr: &'e Expr<'a>, op: BinaryOp, out: &mut Vec<&'e Expr<'a>>) {
    match expr {
        Expr::Binary { op: o, lhs, rhs } if *o == op => {
            chain(&lhs.node, op, out);
            out.push(&rhs.node);
        }
        other => out.push(other),
    }
}

/// The terms of a chain of `+` and `-` (`a + b - c`), each after the
/// operator before it: they group to the left, so the chain runs down the
/// left operands.
fn terms_of<'e, 'a>(expr: &'e Expr<'a>, out: &mut Vec<(Option<BinaryOp>, &'e Expr<'a>)>) {
    match expr {
        Expr::Binary { op: op @ (BinaryOp::Add | BinaryOp::Sub), lhs, rhs } => {
            terms_of(&lhs.node, out);
            out.push((Some(*op), &rhs.node));
        }
        first => out.push((None, first)),
    }
}

/// `ref "…"` and `unverified "…"` statements, each with its span.
fn attributes(refs: &[Text], unverified: Option<&Title>) -> Vec<(Span, String)> {
    let refs = refs.iter().map(|r| (r.span, format!("ref {}", quote(&r.node))));
    refs.chain(unverified.map(|u| (title_span(u), format!("unverified {}", title(u))))).collect()
}

/// From the Chinese text to the English one, if any.
fn title_span(t: &Title) -> Span {
    t.en.as_ref().map_or(t.zh.span, |en| t.zh.span.to(en.span))
}

fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_quoted(&mut out, text);
    out
}

fn title(t: &Title) -> String {
    match &t.en {
        Some(en) => format!("{} en {}", quote(&t.zh.node), quote(&en.node)),
        None => quote(&t.zh.node),
    }
}

fn type_text(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Bool => "bool".to_string(),
        TypeExpr::Number => "number".to_string(),
        TypeExpr::Count => "count".to_string(),
        TypeExpr::Text => "text".to_string(),
        TypeExpr::Date => "date".to_string(),
        TypeExpr::Duration => "duration".to_string(),
        TypeExpr::Quantity(u) => format!("quantity {}", u.node),
        TypeExpr::Enum(variants) => {
            let items: Vec<String> = variants.iter().map(variant_text).collect();
            format!("enum {{ {} }}", items.join(", "))
        }
        TypeExpr::List(inner) => format!("list {}", type_text(inner)),
    }
}

fn variant_text(v: &EnumVariant) -> String {
    // A value that could not be read back as a name is written as a code.
    let name = v.name.node;
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::parser::is_reserved(name);
    let name = if plain { name.to_string() } else { format!("\"{name}\"") };
    match &v.title {
        Some(t) => format!("{name} {}", title(t)),
        None => name,
    }
}

/// A literal as source text.
pub(crate) fn literal_text(literal: &Literal) -> String {
    let mut out = String::new();
    write_literal(&mut out, literal);
    out
}

/// [`literal_text`], appended to `out`.
fn write_literal(out: &mut String, literal: &Literal) {
    match literal {
        Literal::Number { value, unit } => {
            out.push_str(value);
            if let Some(unit) = unit {
                out.push(' ');
                out.push_str(unit);
            }
        }
        Literal::Text(t) => write_quoted(out, t),
        Literal::Date(d) => out.push_str(d),
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

/// Writes the expression's tokens as parsed, so the text parses back to
/// the same tree: the tree follows the operators' precedence, and the
/// only parentheses are the author's ([`Expr::Group`]). An `if` or a
/// `not` stands where its author put it (an `if` only as the last operand).
fn write_expr(out: &mut String, expr: &Expr) {
    match expr {
        Expr::Literal(l) => write_literal(out, l),
        Expr::Name(n) => out.push_str(n),
        Expr::Call { func, args } => {
            out.push_str(func.node);
            out.push('(');
            write_list(out, args);
            out.push(')');
        }
        Expr::List(items) => {
            out.push('[');
            write_list(out, items);
            out.push(']');
        }
        Expr::Group(inner) => {
            out.push('(');
            write_expr(out, &inner.node);
            out.push(')');
        }
        Expr::If { cond, then, otherwise } => {
            out.push_str("if ");
            write_expr(out, &cond.node);
            out.push_str(" then ");
            write_expr(out, &then.node);
            out.push_str(" else ");
            write_expr(out, &otherwise.node);
        }
        Expr::Unary { op: UnaryOp::Not, expr } => {
            out.push_str("not ");
            write_expr(out, &expr.node);
        }
        Expr::Unary { op: UnaryOp::Neg, expr } => {
            out.push('-');
            write_expr(out, &expr.node);
        }
        Expr::Binary { op, lhs, rhs } => {
            write_expr(out, &lhs.node);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr(out, &rhs.node);
        }
    }
}

fn write_list(out: &mut String, items: &[Spanned<Expr>]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, &item.node);
    }
}

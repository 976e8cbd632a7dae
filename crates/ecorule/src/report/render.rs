//! The report drawn for people: text for a terminal, and Markdown (HTML
//! is `html.rs`, which shares the helpers here).

use std::fmt::Write as _;

use super::{AreaReport, ClauseReport, DeductionReport, Report, Status};
use crate::error::{hidden, push_visible, visible};
use crate::num::Num;

/// The items joined by `sep`.
pub(super) fn join<'a>(items: impl Iterator<Item = &'a str>, sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

pub(super) fn both(zh: &str, en: &str) -> String {
    if en.is_empty() || en == zh { zh.to_string() } else { format!("{zh} {en}") }
}

pub(super) fn fixed(n: Num) -> String {
    n.to_fixed(2)
}

/// Points taken off, with a minus sign unless there are none.
fn minus(n: Num) -> String {
    if n.is_zero() { fixed(n) } else { format!("−{}", fixed(n)) }
}

/// The deductions that take or may take points off, with the amount: one
/// figure, a range while unknown facts leave the count open, or a least
/// amount when nothing bounds it.
pub(super) fn deductions(r: &Report) -> impl Iterator<Item = (DeductionReport<'_>, String)> {
    r.deductions().filter(|d| d.deducted_max() != Some(Num::ZERO)).map(|d| {
        let amount = match d.deducted_max() {
            Some(max) if max == d.deducted() => minus(max),
            Some(max) => format!("{} to {}", minus(d.deducted()), minus(max)),
            None => format!("{} or more", minus(d.deducted())),
        };
        (d, amount)
    })
}

fn score_line(r: &Report) -> String {
    let score = match r.score {
        Some(s) => format!("{} / {}", fixed(s), fixed(r.scale)),
        None => format!("{} – {} / {}", fixed(r.score_min), fixed(r.score_max), fixed(r.scale)),
    };
    let grade = both(&r.grade_label().zh, &r.grade_label().en);
    let verdict = both(&r.verdict_label().zh, &r.verdict_label().en);
    let state = if r.determined { "determined" } else { "provisional" };
    format!("score {score} · grade {grade} · verdict {verdict} ({state})")
}

fn header(r: &Report) -> (String, String) {
    let rulebook = r.rulebook();
    let version = rulebook.version.as_ref().map(|v| format!(" v{v}")).unwrap_or_default();
    let effective = rulebook.effective.as_ref().map(|d| format!(" effective {d}")).unwrap_or_default();
    let title = both(&rulebook.title, &rulebook.title_en);
    let book = format!("{} {title}{version}{effective} · {}", rulebook.id, rulebook.hash);
    (book, audit_line(r))
}

/// The modules the rulebook uses, each with the hash of its source:
/// `gb14554 sha256:…, gb8978 sha256:…`. A kept report names every source
/// it was scored against, so it can be checked against them later.
fn modules_line(r: &Report) -> String {
    let modules: Vec<String> = r.rulebook().modules.iter().map(|m| format!("{} {}", m.id, m.hash)).collect();
    modules.join(", ")
}

/// The audit's id, date, enterprise name and enterprise id (a credit
/// code names an enterprise where its name may change), those it gives,
/// joined by ` · `.
pub(super) fn audit_line(r: &Report) -> String {
    let audit = r.audit();
    let parts: Vec<&str> = [&audit.id, &audit.date, &audit.enterprise_name, &audit.enterprise_id]
        .into_iter()
        .filter_map(|x| x.as_deref())
        .collect();
    parts.join(" · ")
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Partial => "◐",
        Status::Fail => "✗",
        Status::NotApplicable => "–",
        Status::Unknown => "?",
    }
}

/// ` · score 16.00` for an area whose score is not its points earned
/// (some clause did not apply, or rounding); nothing otherwise.
pub(super) fn area_score(area: &AreaReport) -> String {
    match area.score() {
        Some(score) if score != area.earned() => format!(" · score {}", fixed(score)),
        _ => String::new(),
    }
}

/// An area's points earned of those that count: a range, as its clauses
/// show theirs, while unknown facts leave it open.
pub(super) fn area_earned(area: &AreaReport) -> String {
    if area.earned() == area.earned_max() {
        format!("{}/{}", area.earned(), area.possible())
    } else {
        format!("{}–{}/{}", area.earned(), area.earned_max(), area.possible())
    }
}

/// A clause's explanation in Chinese, then in English; a report read back
/// from before reports had the Chinese one gives the English one only.
pub(super) fn explanations<'r>(c: &ClauseReport<'r>) -> impl Iterator<Item = &'r str> {
    c.explanation_zh().into_iter().chain([c.explanation()])
}

/// `1 day`, `30 days`.
pub(super) fn days(n: u32) -> String {
    if n == 1 { "1 day".to_string() } else { format!("{n} days") }
}

pub(super) fn earned(c: &ClauseReport) -> String {
    if c.earned() == c.earned_max() {
        format!("{}/{}", c.earned(), c.points())
    } else {
        format!("{}–{}/{}", c.earned(), c.earned_max(), c.points())
    }
}

/// The report as plain text; `color` adds ANSI colours for a terminal.
pub fn render_text(r: &Report, color: bool) -> String {
    let paint = |status: Status, text: &str| -> String {
        if !color {
            return text.to_string();
        }
        let code = match status {
            Status::Pass => "32",
            Status::Partial => "33",
            Status::Fail => "31",
            Status::NotApplicable => "90",
            Status::Unknown => "36",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let mut out = String::new();
    let (book, audit) = header(r);
    let _ = writeln!(out, "{}", visible(&book));
    if !r.rulebook().modules.is_empty() {
        let _ = writeln!(out, "modules: {}", visible(&modules_line(r)));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "made by {}", visible(engine));
    }
    if !audit.is_empty() {
        let _ = writeln!(out, "{}", visible(&audit));
    }
    let _ = writeln!(out, "{}", visible(&score_line(r)));
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "vetoed by {}", visible(&join(r.vetoes(), ", ")));
    }
    if r.possible_vetoes().next().is_some() {
        let _ = writeln!(out, "may be vetoed by {}", visible(&join(r.possible_vetoes(), ", ")));
    }
    for (d, amount) in deductions(r) {
        let _ = writeln!(out, "deduction {}: {amount}", visible(&both(&d.cause().zh, &d.cause().en)));
    }
    for area in r.areas() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}  {}{}",
            visible(area.id()),
            visible(&both(area.title(), area.title_en())),
            area_earned(&area),
            area_score(&area)
        );
        for c in area.clauses() {
            let line =
                format!("{} {:<5} {:<14} {:>7}", mark(c.status()), visible(c.id()), c.status().as_str(), earned(&c));
            let _ = writeln!(out, "  {}  {}", paint(c.status(), &line), visible(&both(c.title(), c.title_en())));
            if c.status() != Status::Pass {
                for explanation in explanations(&c) {
                    let _ = writeln!(out, "      {}", visible(explanation));
                }
            }
            if let Some(fix) = c.fix() {
                let by = fix.deadline.map(|d| format!(" by {}", visible(d))).unwrap_or_default();
                let action = visible(&both(fix.action, fix.action_en)).into_owned();
                let _ = writeln!(out, "      fix{by} ({}): {action}", days(fix.within_days));
            }
        }
    }
    if r.missing_facts().next().is_some() {
        let _ = writeln!(out, "\nstill to answer: {}", visible(&join(r.missing_facts(), ", ")));
    }
    if r.unverified().next().is_some() {
        let _ = writeln!(out, "\nunverified values used:");
        for u in r.unverified() {
            let clauses = join(u.clauses(), ", ");
            let _ = writeln!(out, "  {} ({}): {}", visible(u.name()), visible(&clauses), visible(u.reason()));
        }
    }
    if !r.warnings().is_empty() {
        let _ = writeln!(out);
    }
    for w in r.warnings() {
        let _ = writeln!(out, "warning: {}", visible(w));
    }
    out
}

/// Text for one line of Markdown, shown as written: control characters
/// (a newline or a carriage return would start a block: a heading, a
/// quote) become spaces, `|` would end a table cell, `<` outside code
/// spans would start raw HTML (inside one it is shown as written, as
/// `&lt;` would be), `[` and `]` would make a link or an image, and `\`
/// would escape what follows it (a backtick, so that the code span this
/// function sees is not the one a reader of the Markdown sees). Bidi
/// controls are written as escapes, as on a terminal.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // A code span keeps its `<` (an unclosed run is backticks only).
            let span = code_span(rest);
            for c in rest.get(..span).unwrap_or_default().chars() {
                push_cell_char(&mut out, c, true);
            }
            rest = rest.get(span..).unwrap_or_default();
        } else {
            push_cell_char(&mut out, c, false);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    out
}

fn push_cell_char(out: &mut String, c: char, in_code: bool) {
    match c {
        '|' => out.push_str("\\|"),
        '<' if !in_code => out.push_str("&lt;"),
        '\\' | '[' | ']' if !in_code => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => out.push(' '),
        c if hidden(c) => push_visible(out, c),
        c => out.push(c),
    }
}

/// The length in bytes of the code span `text` starts with (a run of
/// backticks, up to the next run of the same length, as CommonMark
/// reads it); the run's own length when no such run closes it.
fn code_span(text: &str) -> usize {
    let run = text.bytes().take_while(|&b| b == b'`').count();
    let mut at = run;
    while let Some(next) = text.get(at..).and_then(|t| t.find('`')) {
        let start = at + next;
        let len = text.get(start..).map_or(0, |t| t.bytes().take_while(|&b| b == b'`').count());
        if len == run {
            return start + len;
        }
        at = start + len;
    }
    run
}

/// The report as Markdown.
pub fn render_markdown(r: &Report) -> String {
    let mut out = String::new();
    let (book, audit) = header(r);
    let _ = writeln!(out, "# {}\n", cell(&both(&r.rulebook().title, &r.rulebook().title_en)));
    let _ = writeln!(out, "- rulebook: {}", cell(&book));
    if !r.rulebook().modules.is_empty() {
        let _ = writeln!(out, "- modules: {}", cell(&modules_line(r)));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "- made by {}", cell(engine));
    }
    if !audit.is_empty() {
        let _ = writeln!(out, "- audit: {}", cell(&audit));
    }
    let _ = writeln!(out, "- {}", cell(&score_line(r)));
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "- vetoed by {}", cell(&join(r.vetoes(), ", ")));
    }
    if r.possible_vetoes().next().is_some() {
        let _ = writeln!(out, "- may be vetoed by {}", cell(&join(r.possible_vetoes(), ", ")));
    }
    for (d, amount) in deductions(r) {
        let _ = writeln!(out, "- deduction {}: {amount}", cell(&both(&d.cause().zh, &d.cause().en)));
    }
    for area in r.areas() {
        let _ = writeln!(
            out,
            "\n## {} {} ({}{})\n",
            cell(area.id()),
            cell(&both(area.title(), area.title_en())),
            area_earned(&area),
            area_score(&area)
        );
        let _ = writeln!(out, "| clause | status | points | why |");
        let _ = writeln!(out, "|---|---|---|---|");
        for c in area.clauses() {
            let _ = writeln!(
                out,
                "| {} {} | {} {} | {} | {} |",
                cell(c.id()),
                cell(&both(c.title(), c.title_en())),
                mark(c.status()),
                c.status().as_str(),
                earned(&c),
                explanations(&c).map(cell).collect::<Vec<_>>().join("<br>")
            );
        }
    }
    if r.rectification().next().is_some() {
        let _ = writeln!(out, "\n## Rectification\n");
        let _ = writeln!(out, "| clause | status | action | deadline |");
        let _ = writeln!(out, "|---|---|---|---|");
        for item in r.rectification() {
            let (action, deadline) = match item.fix() {
                Some(f) => {
                    (both(f.action, f.action_en), f.deadline.map_or_else(|| days(f.within_days), str::to_string))
                }
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(item.clause().id()),
                item.status().as_str(),
                cell(&action),
                cell(&deadline)
            );
        }
    }
    if r.missing_facts().next().is_some() {
        let _ = writeln!(out, "\nStill to answer: {}", cell(&join(r.missing_facts(), ", ")));
    }
    for u in r.unverified() {
        let name = cell(&format!("`{}`", u.name()));
        let _ =
            writeln!(out, "\n> unverified: {name} ({}), used by {}", cell(u.reason()), cell(&join(u.clauses(), ", ")));
    }
    for w in r.warnings() {
        let _ = writeln!(out, "\n> warning: {}", cell(w));
    }
    out
}

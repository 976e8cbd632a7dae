//! The report drawn for people: text for a terminal, and Markdown (HTML
//! is `html.rs`, which shares the helpers here).

use std::fmt::Write as _;

use super::lang::{Lang, RenderOptions, Words, pad};
use super::{AreaReport, ClauseReport, DeductionReport, Report, Status};
use crate::error::{hidden, push_visible, visible};
use crate::ir::Labels;
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
pub(super) fn deductions<'r>(
    r: &'r Report,
    words: &'static Words,
) -> impl Iterator<Item = (DeductionReport<'r>, String)> + use<'r> {
    r.deductions().filter(|d| d.deducted_max() != Some(Num::ZERO)).map(move |d| {
        let amount = match d.deducted_max() {
            Some(max) if max == d.deducted() => minus(max),
            Some(max) => (words.deducted_range)(&minus(d.deducted()), &minus(max)),
            None => (words.deducted_at_least)(&minus(d.deducted())),
        };
        (d, amount)
    })
}

fn score_line(r: &Report, lang: Lang) -> String {
    let w = lang.words();
    let score = match r.score {
        Some(s) => format!("{} / {}", fixed(s), fixed(r.scale)),
        None => format!("{} – {} / {}", fixed(r.score_min), fixed(r.score_max), fixed(r.scale)),
    };
    let label = |l: &Labels| lang.label(&l.zh, &l.en);
    let grade = ends(label(r.grade_label()), label(r.grade_best_label()));
    let verdict = ends(label(r.verdict_label()), label(r.verdict_best_label()));
    let state = if r.determined { w.determined } else { w.provisional };
    format!("{} {score} · {} {grade} · {} {verdict}{}{state}{}", w.score, w.grade, w.verdict, w.open, w.close)
}

/// A grade or verdict at both ends of the score range: one when they
/// agree, else `worse – better`, so an open grade is not read as decided.
pub(super) fn ends(worse: String, better: String) -> String {
    if worse == better { worse } else { format!("{worse} – {better}") }
}

fn header(r: &Report, lang: Lang) -> (String, String) {
    let rulebook = r.rulebook();
    let version = rulebook.version.as_ref().map(|v| format!(" v{v}")).unwrap_or_default();
    let effective = rulebook.effective.as_ref().map(|d| format!(" {} {d}", lang.words().effective)).unwrap_or_default();
    let title = lang.label(&rulebook.title, &rulebook.title_en);
    let book = format!("{} {title}{version}{effective} · {}", rulebook.id, rulebook.hash);
    (book, audit_line(r))
}

/// The modules the rulebook uses, each with the hash of its source:
/// `gb14554 sha256:…, gb8978 sha256:…`. A kept report names every source
/// it was scored against, so it can be checked against them later.
fn modules_line(r: &Report, words: &Words) -> String {
    let modules: Vec<String> = r.rulebook().modules.iter().map(|m| format!("{} {}", m.id, m.hash)).collect();
    modules.join(words.sep)
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

/// ` · score 14.86 / 16.00` for an area whose score is not its points
/// earned (some clause did not apply, or rounding), out of the area's
/// points: beside `13/14` earned of those that count, a score above 14 is
/// then read as it is meant. Nothing otherwise.
pub(super) fn area_score(area: &AreaReport, words: &Words) -> String {
    match area.score() {
        Some(score) if score != area.earned() => {
            format!(" · {} {} / {}", words.score, fixed(score), fixed(area.points()))
        }
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

/// A clause's fix as a line in `lang` (deadline, days, action), if it
/// has one: a clause that does not pass, or may not.
fn fix_line(c: &ClauseReport, lang: Lang) -> Option<String> {
    let fix = c.fix()?;
    let w = lang.words();
    Some((w.fix)(fix.deadline, &(w.days)(fix.within_days), &lang.label(fix.action, fix.action_en)))
}

/// The fix of a clause that is undecided and may fail, as a line: the
/// rectification list holds only what is certain to need fixing, so such
/// a clause carries its fix beside its explanation (`None` otherwise).
pub(super) fn undecided_fix(c: &ClauseReport, lang: Lang) -> Option<String> {
    if c.status() != Status::Unknown {
        return None;
    }
    fix_line(c, lang)
}

/// A clause's explanations in `lang`: in Chinese, then in English, for
/// both; a report read back from before reports had the Chinese one gives
/// the English one only (in Chinese too).
pub(super) fn explanations<'r>(c: &ClauseReport<'r>, lang: Lang) -> impl Iterator<Item = &'r str> + use<'r> {
    let (zh, en) = match (lang, c.explanation_zh()) {
        (Lang::Both, zh) => (zh, Some(c.explanation())),
        (Lang::Zh, Some(zh)) => (Some(zh), None),
        (Lang::Zh, None) | (Lang::En, _) => (None, Some(c.explanation())),
    };
    zh.into_iter().chain(en)
}

/// A report's warnings in `lang`, as its explanations are given: each in
/// Chinese then in English for both, one language otherwise (English in a
/// report read back from before reports had the Chinese ones).
pub(super) fn warnings(r: &Report, lang: Lang) -> Vec<&str> {
    let en = r.warnings().iter().map(String::as_str);
    match (lang, r.warnings_zh()) {
        (Lang::Both, Some(zh)) => zh.iter().map(String::as_str).zip(en).flat_map(|(z, e)| [z, e]).collect(),
        (Lang::Zh, Some(zh)) => zh.iter().map(String::as_str).collect(),
        _ => en.collect(),
    }
}

pub(super) fn earned(c: &ClauseReport) -> String {
    if c.left_out() {
        "—".to_string()
    } else if c.earned() == c.earned_max() {
        format!("{}/{}", c.earned(), c.points())
    } else {
        format!("{}–{}/{}", c.earned(), c.earned_max(), c.points())
    }
}

/// The report as plain text, bilingual; `color` adds ANSI colours for a
/// terminal. [`RenderOptions::text`] draws it in one language.
pub fn render_text(r: &Report, color: bool) -> String {
    text(r, RenderOptions::new().color(color))
}

pub(super) fn text(r: &Report, options: RenderOptions) -> String {
    let RenderOptions { lang, color } = options;
    let w = lang.words();
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
    let (after, colon) = (w.after, w.colon);
    let (book, audit) = header(r, lang);
    let _ = writeln!(out, "{}", visible(&book));
    if !r.rulebook().modules.is_empty() {
        let _ = writeln!(out, "{}{colon}{}", w.modules, visible(&modules_line(r, w)));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "{}{after}{}", w.made_by, visible(engine));
    }
    if !audit.is_empty() {
        let _ = writeln!(out, "{}", visible(&audit));
    }
    let _ = writeln!(out, "{}", visible(&score_line(r, lang)));
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "{}{after}{}", w.vetoed_by, visible(&join(r.vetoes(), w.sep)));
    }
    if r.possible_vetoes().next().is_some() {
        let _ = writeln!(out, "{}{after}{}", w.may_be_vetoed_by, visible(&join(r.possible_vetoes(), w.sep)));
    }
    for (d, amount) in deductions(r, w) {
        let _ = writeln!(out, "{} {}{colon}{amount}", w.deduction, visible(&lang.label(&d.cause().zh, &d.cause().en)));
    }
    for area in r.areas() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}  {}{}",
            visible(area.id()),
            visible(&lang.label(area.title(), area.title_en())),
            area_earned(&area),
            area_score(&area, w)
        );
        for c in area.clauses() {
            let line = format!(
                "{} {:<5} {} {:>7}",
                mark(c.status()),
                visible(c.id()),
                pad((w.status_word)(c.status()), w.status_width),
                earned(&c)
            );
            let _ = writeln!(out, "  {}  {}", paint(c.status(), &line), visible(&lang.label(c.title(), c.title_en())));
            if c.status() != Status::Pass {
                for explanation in explanations(&c, lang) {
                    let _ = writeln!(out, "      {}", visible(explanation));
                }
            }
            if let Some(fix) = fix_line(&c, lang) {
                let _ = writeln!(out, "      {}", visible(&fix));
            }
        }
    }
    if r.missing_facts().next().is_some() {
        let _ = writeln!(out, "\n{}{colon}{}", w.still_to_answer, visible(&join(r.missing_facts(), w.sep)));
    }
    if r.unverified().next().is_some() {
        let _ = writeln!(out, "\n{}{}", w.unverified_used, colon.trim_end());
        for u in r.unverified() {
            let clauses = join(u.clauses(), w.sep);
            let _ = writeln!(
                out,
                "  {}{}{}{}{colon}{}",
                visible(u.name()),
                w.open,
                visible(&clauses),
                w.close,
                visible(&u.reason_in(lang))
            );
        }
    }
    if !r.warnings().is_empty() {
        let _ = writeln!(out);
    }
    for warning in warnings(r, lang) {
        let _ = writeln!(out, "{}{colon}{}", w.warning, visible(warning));
    }
    out
}

/// Text for one line of Markdown, shown as written: control characters
/// (a newline or a carriage return would start a block: a heading, a
/// quote) become spaces, `|` would end a table cell, `<` outside code
/// spans would start raw HTML (inside one it is shown as written, as
/// `&lt;` would be), `&` would start an entity, `[` and `]` would make a
/// link or an image, `*`, `~` and an `_` not inside a word emphasis or
/// strikethrough, and `\`
/// would escape what follows it (a backtick, so that the code span this
/// function sees is not the one a reader of the Markdown sees); a web or
/// mail address would become a link ([`makes_autolink`]). Bidi
/// controls are written as escapes, as on a terminal.
fn cell(text: &str) -> String {
    cell_of(text, Ticks::CodeSpans)
}

/// [`cell`] for text from an audit, where a backtick is a character and
/// opens no code span (an enterprise named ``A `fish` co`` is shown so).
fn audit_cell(text: &str) -> String {
    cell_of(text, Ticks::Characters)
}

/// [`cell`] for an explanation, whose code spans are the rulebook's and
/// whose quoted texts are the audit's (`fuel = "co`al"`, as
/// `write_quoted` quotes them): a backtick in one is a character, so it
/// cannot pair with the next code span's.
fn explanation_cell(text: &str) -> String {
    cell_of(text, Ticks::CodeSpansOutsideQuotes)
}

/// What a backtick of a cell's text is.
#[derive(Clone, Copy, PartialEq)]
enum Ticks {
    CodeSpans,
    Characters,
    CodeSpansOutsideQuotes,
}

fn cell_of(text: &str, ticks: Ticks) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' && ticks == Ticks::CodeSpansOutsideQuotes {
            let quoted = quoted_len(rest);
            out.push_str(&cell_of(rest.get(..quoted).unwrap_or_default(), Ticks::Characters));
            rest = rest.get(quoted..).unwrap_or_default();
        } else if c == '`' && ticks == Ticks::Characters {
            out.push_str("\\`");
            rest = rest.get(1..).unwrap_or_default();
        } else if c == '`' {
            // A code span keeps its `<` (an unclosed run is backticks only).
            let span = code_span(rest);
            for c in rest.get(..span).unwrap_or_default().chars() {
                push_cell_char(&mut out, c, true);
            }
            rest = rest.get(span..).unwrap_or_default();
        } else {
            let after = rest.get(c.len_utf8()..).unwrap_or_default();
            // An `_` inside a word (`in_red_line`) makes no emphasis, and
            // is left as it is.
            let before = out.chars().next_back();
            let inside_word = c == '_'
                && before.is_some_and(char::is_alphanumeric)
                && after.chars().next().is_some_and(char::is_alphanumeric);
            if makes_autolink(&out, c, after) {
                defuse_autolink(&mut out, c);
            } else {
                push_cell_char(&mut out, c, inside_word);
            }
            rest = after;
        }
    }
    out
}

/// The length in bytes of the quoted text `text` starts with, up to its
/// closing `"` (a `\\` escapes the character after it); just the `"` when
/// none closes it.
fn quoted_len(text: &str) -> usize {
    let mut bytes = text.bytes().enumerate().skip(1);
    while let Some((i, b)) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'"' => return i + 1,
            _ => {}
        }
    }
    1
}

/// Whether `c`, after `out` and before `after`, is where GitHub's Markdown
/// would see a link in plain text (an audit's `http://…`, `www.…` or
/// `name@host.cn` made a live link in a report): the `:` of `://`, the `.`
/// of a `www.` that starts a word, the `@` between an address's parts.
fn makes_autolink(out: &str, c: char, after: &str) -> bool {
    let address_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_');
    match c {
        ':' => after.starts_with("//"),
        '.' => {
            let word = out.rsplit(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
            word.eq_ignore_ascii_case("www")
        }
        '@' => out.chars().next_back().is_some_and(address_char) && after.chars().next().is_some_and(address_char),
        _ => false,
    }
}

/// Writes the `c` [`makes_autolink`] found so that no link is made: the
/// `:` and `.` escaped, a word joiner (U+2060, unseen) before the `@`, since
/// an escaped `@` still makes one.
fn defuse_autolink(out: &mut String, c: char) {
    if c == '@' {
        out.push_str("&#8288;@");
    } else {
        out.push('\\');
        out.push(c);
    }
}

/// Pushes `c` of a cell; `plain` where Markdown gives it no meaning (in a
/// code span, or an `_` inside a word).
fn push_cell_char(out: &mut String, c: char, plain: bool) {
    match c {
        '|' => out.push_str("\\|"),
        '<' if !plain => out.push_str("&lt;"),
        '&' if !plain => out.push_str("&amp;"),
        '\\' | '[' | ']' | '*' | '_' | '~' if !plain => {
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

/// The report as Markdown, bilingual. [`RenderOptions::markdown`] draws it
/// in one language.
pub fn render_markdown(r: &Report) -> String {
    markdown(r, Lang::Both)
}

/// `text` with its first letter a capital, to start a sentence.
pub(super) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub(super) fn markdown(r: &Report, lang: Lang) -> String {
    let w = lang.words();
    let (after, colon) = (w.after, w.colon);
    let mut out = String::new();
    let (book, audit) = header(r, lang);
    let _ = writeln!(out, "# {}\n", cell(&lang.label(&r.rulebook().title, &r.rulebook().title_en)));
    let _ = writeln!(out, "- {}{colon}{}", w.rulebook, cell(&book));
    if !r.rulebook().modules.is_empty() {
        let _ = writeln!(out, "- {}{colon}{}", w.modules, cell(&modules_line(r, w)));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "- {}{after}{}", w.made_by, cell(engine));
    }
    if !audit.is_empty() {
        let _ = writeln!(out, "- {}{colon}{}", w.audit, audit_cell(&audit));
    }
    let _ = writeln!(out, "- {}", cell(&score_line(r, lang)));
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "- {}{after}{}", w.vetoed_by, cell(&join(r.vetoes(), w.sep)));
    }
    if r.possible_vetoes().next().is_some() {
        let _ = writeln!(out, "- {}{after}{}", w.may_be_vetoed_by, cell(&join(r.possible_vetoes(), w.sep)));
    }
    for (d, amount) in deductions(r, w) {
        let _ = writeln!(out, "- {} {}{colon}{amount}", w.deduction, cell(&lang.label(&d.cause().zh, &d.cause().en)));
    }
    for area in r.areas() {
        let _ = writeln!(
            out,
            "\n## {} {}{}{}{}{}\n",
            cell(area.id()),
            cell(&lang.label(area.title(), area.title_en())),
            w.open,
            area_earned(&area),
            area_score(&area, w),
            w.close
        );
        let _ = writeln!(out, "| {} | {} | {} | {} |", w.clause, w.status, w.points, w.why);
        let _ = writeln!(out, "|---|---|---|---|");
        for c in area.clauses() {
            let _ = writeln!(
                out,
                "| {} {} | {} {} | {} | {} |",
                cell(c.id()),
                cell(&lang.label(c.title(), c.title_en())),
                mark(c.status()),
                (w.status_word)(c.status()),
                earned(&c),
                explanations(&c, lang)
                    .map(explanation_cell)
                    .chain(undecided_fix(&c, lang).as_deref().map(cell))
                    .collect::<Vec<_>>()
                    .join("<br>")
            );
        }
    }
    if r.rectification().next().is_some() {
        let _ = writeln!(out, "\n## {}\n", w.rectification);
        let _ = writeln!(out, "| {} | {} | {} | {} |", w.clause, w.status, w.action, w.deadline);
        let _ = writeln!(out, "|---|---|---|---|");
        for item in r.rectification() {
            let (action, deadline) = match item.fix() {
                Some(f) => (
                    lang.label(f.action, f.action_en),
                    f.deadline.map_or_else(|| (w.days)(f.within_days), str::to_string),
                ),
                None => (String::new(), String::new()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(item.clause().id()),
                (w.status_word)(item.status()),
                cell(&action),
                cell(&deadline)
            );
        }
    }
    if r.missing_facts().next().is_some() {
        let _ = writeln!(out, "\n{}{colon}{}", capital(w.still_to_answer), cell(&join(r.missing_facts(), w.sep)));
    }
    for u in r.unverified() {
        let name = cell(&format!("`{}`", u.name()));
        let _ = writeln!(
            out,
            "\n> {}{colon}{name}{}{}{}{}{} {}",
            w.unverified,
            w.open,
            cell(&u.reason_in(lang)),
            w.close,
            w.comma,
            w.used_by,
            cell(&join(u.clauses(), w.sep))
        );
    }
    for warning in warnings(r, lang) {
        let _ = writeln!(out, "\n> {}{colon}{}", w.warning, cell(warning));
    }
    out
}

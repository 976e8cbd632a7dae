//! The report as HTML: a document to print or keep, and the same content
//! as a fragment to embed (a notebook cell, a web page). Every text is
//! escaped; the styles travel with the fragment, scoped to its class.

use std::fmt::Write as _;

use super::lang::{Lang, Words};
use super::render::{
    area_earned, area_score, audit_line, capital, deductions, earned, ends, fixed, join, undecided_fix, warnings,
};
use super::{ClauseReport, Report, Status};
use crate::error::{Errors, hidden, push_visible};
use crate::ir::Labels;

/// Styles of the fragment, all under `.ecorule-report`.
const STYLE: &str = "\
.ecorule-report{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#24292f;line-height:1.45}
.ecorule-report h1{font-size:1.3em;margin:0 0 .3em}
.ecorule-report h2{font-size:1.1em;margin:1.2em 0 .3em}
.ecorule-report .en,.ecorule-report .meta{color:#57606a}
.ecorule-report .meta{margin:.1em 0;font-size:.9em}
.ecorule-report code{font-size:.85em;word-break:break-all}
.ecorule-report table{border-collapse:collapse;margin:.3em 0}
.ecorule-report th,.ecorule-report td{padding:2px 8px;text-align:left;vertical-align:top}
.ecorule-report thead th{border-bottom:2px solid #d0d7de}
.ecorule-report tbody tr{border-bottom:1px solid #eaeef2}
.ecorule-report .num{white-space:nowrap;text-align:right}
.ecorule-report .id{white-space:nowrap}
.ecorule-report .veto{color:#cf222e}
.ecorule-status{border-radius:4px;padding:0 6px;font-weight:600;white-space:nowrap}
.ecorule-pass{color:#1a7f37;background:#dafbe1}
.ecorule-partial{color:#9a6700;background:#fff8c5}
.ecorule-fail{color:#cf222e;background:#ffebe9}
.ecorule-not_applicable{color:#57606a;background:#eaeef2}
.ecorule-unknown{color:#8250df;background:#fbefff}
@media print{.ecorule-report{font-size:10pt}.ecorule-report tr{break-inside:avoid}}
";

/// Reports as a standalone HTML document, one after another (one report,
/// or the audits of one batch), bilingual. [`RenderOptions::html`](super::RenderOptions::html)
/// draws them in one language.
pub fn render_html<'a>(reports: impl IntoIterator<Item = &'a Report>) -> String {
    document(reports.into_iter().map(HtmlPart::Report), Lang::Both)
}

/// One part of an HTML document of several audits
/// ([`RenderOptions::html_parts`](super::RenderOptions::html_parts)): each
/// audit's file, then its report or why it has none, so that a document
/// kept of a batch shows every audit given, in order, and none is taken
/// for another's.
#[derive(Debug, Clone, Copy)]
pub enum HtmlPart<'a> {
    /// The name of the file (or stream) the next audit was read from,
    /// shown as written.
    File(&'a str),
    /// An audit's report.
    Report(&'a Report),
    /// An audit that could not be scored, in its report's place: the
    /// errors' messages, with where each is.
    NotScored(&'a Errors),
}

pub(super) fn document<'a>(parts: impl IntoIterator<Item = HtmlPart<'a>>, lang: Lang) -> String {
    let parts: Vec<HtmlPart<'a>> = parts.into_iter().collect();
    let first = parts.iter().find_map(|p| if let HtmlPart::Report(r) = p { Some(*r) } else { None });
    let audits = parts.iter().filter(|p| !matches!(p, HtmlPart::File(_))).count();
    let title = match (first, audits) {
        (None, _) => String::from("ecorule"),
        (Some(one), 1) => {
            let book = one.rulebook();
            let audit = one.audit().id.as_ref().map(|id| format!(" · {}", escape(id))).unwrap_or_default();
            format!("{}{audit}", escape(&lang.label(&book.title, &book.title_en)))
        }
        (Some(first), n) => format!(
            "{} · {}",
            escape(&lang.label(&first.rulebook().title, &first.rulebook().title_en)),
            (lang.words().audits)(n)
        ),
    };
    let tag = match lang {
        Lang::Both => "zh",
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ecorule {}\">\n<title>{title}</title>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
    );
    let mut after_file = true;
    for part in parts {
        if !after_file {
            out.push_str("<hr>\n");
        }
        after_file = matches!(part, HtmlPart::File(_));
        match part {
            HtmlPart::File(name) => {
                let _ = writeln!(out, "<p class=\"ecorule-file\"><code>{}</code></p>", escape(name));
            }
            HtmlPart::Report(r) => out.push_str(&fragment(r, lang)),
            HtmlPart::NotScored(errors) => not_scored(&mut out, errors, lang),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// What stands in the place of a report: `not scored`, and each error's
/// message (in Chinese where the core wrote one and the report is drawn in
/// Chinese) with the place it is at.
fn not_scored(out: &mut String, errors: &Errors, lang: Lang) {
    let w = lang.words();
    let _ = writeln!(out, "<div class=\"ecorule-not-scored\">\n<p><strong>{}</strong></p>\n<ul>", w.not_scored);
    for e in errors.iter() {
        let message = match lang {
            Lang::Zh => e.message_zh().unwrap_or(e.message()),
            Lang::Both | Lang::En => e.message(),
        };
        let at = match (e.source_name(), e.line_col()) {
            (Some(name), Some((line, col))) => format!(" <code>{}:{line}:{col}</code>", escape(name)),
            _ => String::new(),
        };
        let _ = writeln!(out, "<li>{}{at}</li>", escape(message));
    }
    out.push_str("</ul>\n</div>\n");
}

/// The report as one `<div class="ecorule-report">` with its own styles,
/// to embed in a page or a notebook, bilingual.
/// [`RenderOptions::html_fragment`](super::RenderOptions::html_fragment)
/// draws it in one language.
pub fn render_html_fragment(r: &Report) -> String {
    fragment(r, Lang::Both)
}

pub(super) fn fragment(r: &Report, lang: Lang) -> String {
    let w = lang.words();
    let mut out = String::from("<div class=\"ecorule-report\">\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n");
    header(&mut out, r, lang);
    summary(&mut out, r, lang);
    for area in r.areas() {
        let _ = writeln!(
            out,
            "<h2>{} {} <span class=\"meta\">{}{}</span></h2>",
            escape(area.id()),
            labels(lang, area.title(), area.title_en()),
            area_earned(&area),
            area_score(&area, w)
        );
        let _ = writeln!(
            out,
            "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            w.clause, w.status, w.points, w.why
        );
        for c in area.clauses() {
            clause_row(&mut out, &c, lang);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    rectification(&mut out, r, lang);
    notes(&mut out, r, lang);
    out.push_str("</div>\n");
    out
}

fn header(out: &mut String, r: &Report, lang: Lang) {
    let w = lang.words();
    let book = r.rulebook();
    let _ = writeln!(out, "<h1>{}</h1>", labels(lang, &book.title, &book.title_en));
    let version = book.version.as_ref().map(|v| format!(" v{}", escape(v))).unwrap_or_default();
    let effective = book.effective.as_ref().map(|d| format!(" {} {}", w.effective, escape(d))).unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} <code>{}</code>{version}{effective} · <code>{}</code></p>",
        w.rulebook,
        escape(&book.id),
        escape(&book.hash)
    );
    if !book.modules.is_empty() {
        let modules: Vec<String> =
            book.modules.iter().map(|m| format!("<code>{} {}</code>", escape(&m.id), escape(&m.hash))).collect();
        let _ = writeln!(out, "<p class=\"meta\">{}{}{}</p>", w.modules, w.colon, modules.join(w.sep));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "<p class=\"meta\">{}{}<code>{}</code></p>", w.made_by, w.after, escape(engine));
    }
    let audit = audit_line(r);
    if !audit.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{} {}</p>", w.audit, escape(&audit));
    }
}

fn summary(out: &mut String, r: &Report, lang: Lang) {
    let w = lang.words();
    out.push_str("<table class=\"summary\">\n");
    let score = match r.score {
        Some(s) => format!("<b>{}</b> / {}", fixed(s), fixed(r.scale)),
        None => format!(
            "<b>{} – {}</b> / {} <span class=\"meta\">{}{}{}</span>",
            fixed(r.score_min),
            fixed(r.score_max),
            fixed(r.scale),
            w.open.trim_start(),
            w.range_note,
            w.close
        ),
    };
    let state = if r.determined { w.determined } else { w.provisional };
    let label = |l: &Labels| labels(lang, &l.zh, &l.en);
    let grade = ends(label(r.grade_label()), label(r.grade_best_label()));
    let verdict = ends(label(r.verdict_label()), label(r.verdict_best_label()));
    let _ = writeln!(out, "<tr><th>{}</th><td>{score}</td></tr>", w.score);
    let _ = writeln!(out, "<tr><th>{}</th><td>{grade}</td></tr>", w.grade);
    let _ = writeln!(
        out,
        "<tr><th>{}</th><td>{verdict} <span class=\"meta\">{}{state}{}</span></td></tr>",
        w.verdict,
        w.open.trim_start(),
        w.close
    );
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", w.vetoed_by, escape(&join(r.vetoes(), w.sep)));
    }
    if r.possible_vetoes().next().is_some() {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            w.may_be_vetoed_by,
            escape(&join(r.possible_vetoes(), w.sep))
        );
    }
    for (d, amount) in deductions(r, w) {
        let cause = labels(lang, &d.cause().zh, &d.cause().en);
        let _ = writeln!(out, "<tr><th>{}</th><td>{cause}{}{}</td></tr>", w.deduction, w.colon, escape(&amount));
    }
    out.push_str("</table>\n");
}

fn clause_row(out: &mut String, c: &ClauseReport, lang: Lang) {
    let w = lang.words();
    let veto = if c.veto() { format!(" <span class=\"veto\" title=\"{}\">⚑</span>", w.veto) } else { String::new() };
    let explanation = match lang {
        Lang::Both => labels(lang, c.explanation_zh().unwrap_or_default(), c.explanation()),
        Lang::Zh => escape(c.explanation_zh().unwrap_or(c.explanation())),
        Lang::En => escape(c.explanation()),
    };
    let fix = undecided_fix(c, lang).map(|f| format!("<br>{}", escape(&f))).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr><td class=\"id\">{}{veto}</td><td>{}</td><td class=\"num\">{}</td><td>{}<br>{explanation}{fix}</td></tr>",
        escape(c.id()),
        badge(c.status(), w),
        escape(&earned(c)),
        labels(lang, c.title(), c.title_en()),
    );
}

fn rectification(out: &mut String, r: &Report, lang: Lang) {
    let w = lang.words();
    if r.rectification().next().is_none() {
        return;
    }
    match lang {
        Lang::Both => out.push_str("<h2>Rectification <span class=\"en\">整改</span></h2>\n<table>\n"),
        Lang::Zh | Lang::En => {
            let _ = writeln!(out, "<h2>{}</h2>\n<table>", w.rectification);
        }
    }
    let _ = writeln!(
        out,
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        w.clause, w.status, w.action, w.deadline
    );
    for item in r.rectification() {
        let (action, deadline) = match item.fix() {
            Some(f) => {
                (labels(lang, f.action, f.action_en), f.deadline.map_or_else(|| (w.days)(f.within_days), escape))
            }
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td>{}</td><td>{action}</td><td class=\"num\">{deadline}</td></tr>",
            escape(item.clause().id()),
            badge(item.status(), w)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Facts still to answer, unverified values, warnings.
fn notes(out: &mut String, r: &Report, lang: Lang) {
    let w = lang.words();
    if r.missing_facts().next().is_some() {
        let heading = capital(w.still_to_answer);
        let _ = writeln!(out, "<p>{heading}{}{}</p>", w.colon, escape(&join(r.missing_facts(), w.sep)));
    }
    for u in r.unverified() {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}{}<code>{}</code>{}{}{}{}{} {}</p>",
            w.unverified,
            w.colon,
            escape(u.name()),
            w.open,
            escape(&u.reason_in(lang)),
            w.close,
            w.comma,
            w.used_by,
            escape(&join(u.clauses(), w.sep))
        );
    }
    for warning in warnings(r, lang) {
        let _ = writeln!(out, "<p class=\"meta\">{}{}{}</p>", w.warning, w.colon, escape(warning));
    }
}

/// A label in `lang`: bilingual, Chinese text with the English in grey
/// when there is a different one.
fn labels(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Both if en.is_empty() || en == zh => escape(zh),
        Lang::Both if zh.is_empty() => escape(en),
        Lang::Both => format!("{} <span class=\"en\">{}</span>", escape(zh), escape(en)),
        Lang::Zh | Lang::En => escape(&lang.label(zh, en)),
    }
}

fn badge(status: Status, w: &Words) -> String {
    let name = status.as_str();
    format!("<span class=\"ecorule-status ecorule-{name}\">{}</span>", (w.badge)(status))
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for element content and
/// quoted attributes alike. Control characters other than line breaks and
/// tabs, and bidi controls, are written as `\u{..}` escapes, as on a
/// terminal: an override (U+202E) from a title or an audit's text would
/// otherwise reverse how the rest of its table cell or heading reads.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c != '\n' && c != '\t' && hidden(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

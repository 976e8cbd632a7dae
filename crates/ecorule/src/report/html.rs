//! The report as HTML: a document to print or keep, and the same content
//! as a fragment to embed (a notebook cell, a web page). Every text is
//! escaped; the styles travel with the fragment, scoped to its class.

use std::fmt::Write as _;

use super::render::{area_earned, area_score, audit_line, both, days, deductions, earned, fixed, join};
use super::{ClauseReport, Report, Status};
use crate::error::{hidden, push_visible};

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
/// or the audits of one batch).
pub fn render_html<'a>(reports: impl IntoIterator<Item = &'a Report>) -> String {
    let reports: Vec<&Report> = reports.into_iter().collect();
    let title = match reports.as_slice() {
        [] => String::from("ecorule"),
        [one] => {
            let book = one.rulebook();
            let audit = one.audit().id.as_ref().map(|id| format!(" · {}", escape(id))).unwrap_or_default();
            format!("{}{audit}", escape(&both(&book.title, &book.title_en)))
        }
        [first, ..] => {
            format!("{} · {} audits", escape(&both(&first.rulebook().title, &first.rulebook().title_en)), reports.len())
        }
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ecorule {}\">\n<title>{title}</title>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
    );
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            out.push_str("<hr>\n");
        }
        out.push_str(&render_html_fragment(r));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The report as one `<div class="ecorule-report">` with its own styles,
/// to embed in a page or a notebook.
pub fn render_html_fragment(r: &Report) -> String {
    let mut out = String::from("<div class=\"ecorule-report\">\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n");
    header(&mut out, r);
    summary(&mut out, r);
    for area in r.areas() {
        let _ = writeln!(
            out,
            "<h2>{} {} <span class=\"meta\">{}{}</span></h2>",
            escape(area.id()),
            labels(area.title(), area.title_en()),
            area_earned(&area),
            area_score(&area)
        );
        out.push_str(
            "<table>\n<thead><tr><th>clause</th><th>status</th><th>points</th><th>why</th></tr></thead>\n<tbody>\n",
        );
        for c in area.clauses() {
            clause_row(&mut out, &c);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    rectification(&mut out, r);
    notes(&mut out, r);
    out.push_str("</div>\n");
    out
}

fn header(out: &mut String, r: &Report) {
    let book = r.rulebook();
    let _ = writeln!(out, "<h1>{}</h1>", labels(&book.title, &book.title_en));
    let version = book.version.as_ref().map(|v| format!(" v{}", escape(v))).unwrap_or_default();
    let effective = book.effective.as_ref().map(|d| format!(" effective {}", escape(d))).unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">rulebook <code>{}</code>{version}{effective} · <code>{}</code></p>",
        escape(&book.id),
        escape(&book.hash)
    );
    if !book.modules.is_empty() {
        let modules: Vec<String> =
            book.modules.iter().map(|m| format!("<code>{} {}</code>", escape(&m.id), escape(&m.hash))).collect();
        let _ = writeln!(out, "<p class=\"meta\">modules: {}</p>", modules.join(", "));
    }
    if let Some(engine) = r.engine() {
        let _ = writeln!(out, "<p class=\"meta\">made by <code>{}</code></p>", escape(engine));
    }
    let audit = audit_line(r);
    if !audit.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">audit {}</p>", escape(&audit));
    }
}

fn summary(out: &mut String, r: &Report) {
    out.push_str("<table class=\"summary\">\n");
    let score = match r.score {
        Some(s) => format!("<b>{}</b> / {}", fixed(s), fixed(r.scale)),
        None => format!(
            "<b>{} – {}</b> / {} <span class=\"meta\">(a range: some facts are unknown)</span>",
            fixed(r.score_min),
            fixed(r.score_max),
            fixed(r.scale)
        ),
    };
    let state = if r.determined { "determined" } else { "provisional" };
    let grade = labels(&r.grade_label().zh, &r.grade_label().en);
    let verdict = labels(&r.verdict_label().zh, &r.verdict_label().en);
    let _ = writeln!(out, "<tr><th>score</th><td>{score}</td></tr>");
    let _ = writeln!(out, "<tr><th>grade</th><td>{grade}</td></tr>");
    let _ = writeln!(out, "<tr><th>verdict</th><td>{verdict} <span class=\"meta\">({state})</span></td></tr>");
    if r.vetoes().next().is_some() {
        let _ = writeln!(out, "<tr><th>vetoed by</th><td>{}</td></tr>", escape(&join(r.vetoes(), ", ")));
    }
    if r.possible_vetoes().next().is_some() {
        let _ =
            writeln!(out, "<tr><th>may be vetoed by</th><td>{}</td></tr>", escape(&join(r.possible_vetoes(), ", ")));
    }
    for (d, amount) in deductions(r) {
        let cause = labels(&d.cause().zh, &d.cause().en);
        let _ = writeln!(out, "<tr><th>deduction</th><td>{cause}: {}</td></tr>", escape(&amount));
    }
    out.push_str("</table>\n");
}

fn clause_row(out: &mut String, c: &ClauseReport) {
    let veto = if c.veto() { " <span class=\"veto\" title=\"one-vote veto\">⚑</span>" } else { "" };
    let _ = writeln!(
        out,
        "<tr><td class=\"id\">{}{veto}</td><td>{}</td><td class=\"num\">{}</td><td>{}<br>{}</td></tr>",
        escape(c.id()),
        badge(c.status()),
        escape(&earned(c)),
        labels(c.title(), c.title_en()),
        labels(c.explanation_zh().unwrap_or_default(), c.explanation())
    );
}

fn rectification(out: &mut String, r: &Report) {
    if r.rectification().next().is_none() {
        return;
    }
    out.push_str("<h2>Rectification <span class=\"en\">整改</span></h2>\n<table>\n");
    out.push_str("<thead><tr><th>clause</th><th>status</th><th>action</th><th>deadline</th></tr></thead>\n<tbody>\n");
    for item in r.rectification() {
        let (action, deadline) = match item.fix() {
            Some(f) => (labels(f.action, f.action_en), f.deadline.map_or_else(|| days(f.within_days), escape)),
            None => (String::new(), String::new()),
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"id\">{}</td><td>{}</td><td>{action}</td><td class=\"num\">{deadline}</td></tr>",
            escape(item.clause().id()),
            badge(item.status())
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Facts still to answer, unverified values, warnings.
fn notes(out: &mut String, r: &Report) {
    if r.missing_facts().next().is_some() {
        let _ = writeln!(out, "<p>Still to answer: {}</p>", escape(&join(r.missing_facts(), ", ")));
    }
    for u in r.unverified() {
        let _ = writeln!(
            out,
            "<p class=\"meta\">unverified: <code>{}</code> ({}), used by {}</p>",
            escape(u.name()),
            escape(u.reason()),
            escape(&join(u.clauses(), ", "))
        );
    }
    for w in r.warnings() {
        let _ = writeln!(out, "<p class=\"meta\">warning: {}</p>", escape(w));
    }
}

/// Chinese text, with the English in grey when there is a different one.
fn labels(zh: &str, en: &str) -> String {
    if en.is_empty() || en == zh {
        escape(zh)
    } else if zh.is_empty() {
        escape(en)
    } else {
        format!("{} <span class=\"en\">{}</span>", escape(zh), escape(en))
    }
}

fn badge(status: Status) -> String {
    let name = status.as_str();
    let shown = if status == Status::NotApplicable { "n/a" } else { name };
    format!("<span class=\"ecorule-status ecorule-{name}\">{shown}</span>")
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

//! The language a report is drawn in, and the fixed words of each: the
//! renderers (`render.rs`, `html.rs`) take every word they write around
//! the rulebook's and the audit's text from one [`Words`] table.

use unicode_width::UnicodeWidthStr as _;

use super::Report;
use super::Status;
use super::html::HtmlPart;

/// The language a report is drawn in (text, Markdown, HTML; JSON holds
/// both languages always).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Chinese labels with their English beside them, English frame words
    /// and both explanations: what the renderers drew before they had a
    /// choice.
    #[default]
    Both,
    /// Chinese throughout; an English label or explanation only where the
    /// Chinese one is missing.
    Zh,
    /// English throughout; a Chinese label only where the English one is
    /// missing.
    En,
}

impl Lang {
    /// Every language, in the order of their codes' documentation.
    pub const ALL: [Lang; 3] = [Lang::Both, Lang::Zh, Lang::En];

    /// `both`, `zh` or `en`: the code the CLI's `--lang` and the bindings
    /// take.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Both => "both",
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language of a code ([`Lang::code`]); `None` for any other text.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The label in this language: the Chinese one, the English one, or
    /// both; each falls back to the other when it is empty.
    pub(super) fn label(self, zh: &str, en: &str) -> String {
        match self {
            Lang::Both if en.is_empty() || en == zh => zh.to_string(),
            Lang::Both => format!("{zh} {en}"),
            Lang::Zh if zh.is_empty() => en.to_string(),
            Lang::Zh => zh.to_string(),
            Lang::En if en.is_empty() => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// The frame words.
    pub(super) fn words(self) -> &'static Words {
        match self {
            Lang::Zh => &ZH,
            Lang::Both | Lang::En => &EN,
        }
    }
}

/// How a report is drawn: its [`Lang`], and (for text) ANSI colours for a
/// terminal. The default is bilingual without colours, which is what
/// [`render_text`](crate::render_text), [`render_markdown`](crate::render_markdown),
/// [`render_html`](crate::render_html) and
/// [`render_html_fragment`](crate::render_html_fragment) draw.
///
/// ```
/// use ecorule::{Lang, RenderOptions};
/// let options = RenderOptions::new().lang(Lang::Zh);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    pub(super) lang: Lang,
    pub(super) color: bool,
}

impl RenderOptions {
    /// Bilingual, without colours.
    pub fn new() -> RenderOptions {
        RenderOptions::default()
    }

    /// Draws in `lang`.
    pub fn lang(self, lang: Lang) -> RenderOptions {
        RenderOptions { lang, ..self }
    }

    /// Colours the status of each clause in text (ANSI escapes); Markdown
    /// and HTML have none.
    pub fn color(self, color: bool) -> RenderOptions {
        RenderOptions { color, ..self }
    }

    /// The report as plain text.
    pub fn text(&self, r: &Report) -> String {
        super::render::text(r, *self)
    }

    /// The report as Markdown.
    pub fn markdown(&self, r: &Report) -> String {
        super::render::markdown(r, self.lang)
    }

    /// Reports as a standalone HTML document, one after another.
    pub fn html<'a>(&self, reports: impl IntoIterator<Item = &'a Report>) -> String {
        super::html::document(reports.into_iter().map(HtmlPart::Report), self.lang)
    }

    /// Audits as a standalone HTML document, in parts: each audit's file,
    /// then its report or why it could not be scored.
    ///
    /// ```
    /// use ecorule::{AuditInput, Errors, HtmlPart, RenderOptions, Rulebook, ScoreOptions};
    ///
    /// let source = r#"
    /// rulebook demo "示例" en "Demo" {
    ///   facts { ok: bool "合格" en "OK" }
    ///   scoring {
    ///     scale 10
    ///     grade pass "合格" en "pass" otherwise
    ///     verdict standardize "规范" otherwise
    ///   }
    ///   area A1 "甲" en "A" {
    ///     clause C1 "乙" en "B" points 10 { require ok }
    ///   }
    /// }"#;
    /// let book = Rulebook::compile("demo.eco", source)?;
    /// let options = ScoreOptions::default();
    /// let good = AuditInput::from_json(r#"{"facts": {"ok": true}}"#, &options.limits)?;
    /// let report = book.score(&good, &options)?;
    /// let Err(broken) = AuditInput::from_json_named("b.json", r#"{"facts": "#, &options.limits) else {
    ///     return Err("a broken audit was read".into());
    /// };
    /// let errors = Errors::new(vec![broken]);
    /// let html = RenderOptions::new().html_parts([
    ///     HtmlPart::File("a.json"),
    ///     HtmlPart::Report(&report),
    ///     HtmlPart::File("b.json"),
    ///     HtmlPart::NotScored(&errors),
    /// ]);
    /// assert!(html.contains("<title>示例 Demo · 2 audits</title>"));
    /// assert!(html.contains("<code>b.json</code>") && html.contains("not scored"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn html_parts<'a>(&self, parts: impl IntoIterator<Item = HtmlPart<'a>>) -> String {
        super::html::document(parts, self.lang)
    }

    /// The report as one `<div class="ecorule-report">` with its own
    /// styles, to embed in a page or a notebook.
    pub fn html_fragment(&self, r: &Report) -> String {
        super::html::fragment(r, self.lang)
    }
}

/// The words a report is framed in, in one language. Frame words of text
/// and Markdown are written as prefixes (`score`, `modules:`); HTML takes
/// the same words for its headings and table headers.
pub(super) struct Words {
    /// Between the items of a list of ids or fact names.
    pub sep: &'static str,
    /// After a frame word that introduces a value (`modules: …`), and
    /// after one that reads into it in English (`made by …`).
    pub colon: &'static str,
    pub after: &'static str,
    /// Between two parts of a sentence.
    pub comma: &'static str,
    /// `(` and `)` around a note.
    pub open: &'static str,
    pub close: &'static str,
    pub effective: &'static str,
    pub rulebook: &'static str,
    pub modules: &'static str,
    pub made_by: &'static str,
    pub audit: &'static str,
    pub score: &'static str,
    pub grade: &'static str,
    pub verdict: &'static str,
    pub determined: &'static str,
    pub provisional: &'static str,
    /// HTML's note beside a score range.
    pub range_note: &'static str,
    pub vetoed_by: &'static str,
    pub may_be_vetoed_by: &'static str,
    pub veto: &'static str,
    pub deduction: &'static str,
    /// Points taken off within a range, and at least.
    pub deducted_range: fn(&str, &str) -> String,
    pub deducted_at_least: fn(&str) -> String,
    pub clause: &'static str,
    pub status: &'static str,
    pub points: &'static str,
    pub why: &'static str,
    pub rectification: &'static str,
    pub action: &'static str,
    pub deadline: &'static str,
    /// A text line's fix: the deadline (when the audit has a date), the
    /// days allowed, the action.
    pub fix: fn(Option<&str>, &str, &str) -> String,
    /// `30 days` allowed.
    pub days: fn(u32) -> String,
    pub still_to_answer: &'static str,
    /// Text's heading over the unverified values, and the words of
    /// Markdown's and HTML's line for one (`unverified`, `used by`).
    pub unverified_used: &'static str,
    pub unverified: &'static str,
    pub used_by: &'static str,
    pub warning: &'static str,
    /// `N audits` in an HTML document's title.
    pub audits: fn(usize) -> String,
    /// What an HTML document of several audits says in the place of a
    /// report it could not make.
    pub not_scored: &'static str,
    /// The width of the status column of text, in terminal columns.
    pub status_width: usize,
    /// Status words of text and Markdown, and HTML's shorter badges.
    pub status_word: fn(Status) -> &'static str,
    pub badge: fn(Status) -> &'static str,
}

/// English: also the frame of bilingual reports.
static EN: Words = Words {
    sep: ", ",
    colon: ": ",
    after: " ",
    comma: ", ",
    open: " (",
    close: ")",
    effective: "effective",
    rulebook: "rulebook",
    modules: "modules",
    made_by: "made by",
    audit: "audit",
    score: "score",
    grade: "grade",
    verdict: "verdict",
    determined: "determined",
    provisional: "provisional",
    range_note: "a range: some facts are unknown",
    vetoed_by: "vetoed by",
    may_be_vetoed_by: "may be vetoed by",
    veto: "one-vote veto",
    deduction: "deduction",
    deducted_range: |from, to| format!("{from} to {to}"),
    deducted_at_least: |least| format!("{least} or more"),
    clause: "clause",
    status: "status",
    points: "points",
    why: "why",
    rectification: "Rectification",
    action: "action",
    deadline: "deadline",
    fix: |deadline, days, action| {
        let by = deadline.map(|d| format!(" by {d}")).unwrap_or_default();
        format!("fix{by} ({days}): {action}")
    },
    days: |n| if n == 1 { "1 day".to_string() } else { format!("{n} days") },
    still_to_answer: "still to answer",
    unverified_used: "unverified values used",
    unverified: "unverified",
    used_by: "used by",
    warning: "warning",
    audits: |n| format!("{n} audits"),
    not_scored: "not scored",
    status_width: 14,
    status_word: Status::as_str,
    badge: |s| if s == Status::NotApplicable { "n/a" } else { s.as_str() },
};

/// Chinese, in the self-assessment page's words (`www/js/i18n.js`) where
/// it has them.
static ZH: Words = Words {
    sep: "、",
    colon: "：",
    after: "：",
    comma: "，",
    open: "（",
    close: "）",
    effective: "生效日期",
    rulebook: "规则集",
    modules: "所用标准模块",
    made_by: "生成工具",
    audit: "审核",
    score: "得分",
    grade: "等级",
    verdict: "结论",
    determined: "已确定",
    provisional: "暂定",
    range_note: "尚有未答问题，得分为可能范围",
    vetoed_by: "否决项",
    may_be_vetoed_by: "可能触发的否决项",
    veto: "一票否决",
    deduction: "扣分",
    deducted_range: |from, to| format!("{from} 至 {to}"),
    deducted_at_least: |least| format!("{least} 或更多"),
    clause: "条款",
    status: "状态",
    points: "分值",
    why: "说明",
    rectification: "整改",
    action: "整改措施",
    deadline: "期限",
    fix: |deadline, days, action| match deadline {
        Some(d) => format!("整改期限 {d}（{days}）：{action}"),
        None => format!("整改期限 {days}：{action}"),
    },
    days: |n| format!("{n} 天内"),
    still_to_answer: "待回答的关键问题",
    unverified_used: "未经核实的取值",
    unverified: "未经核实",
    used_by: "用于条款",
    warning: "警告",
    audits: |n| format!("{n} 份审核"),
    not_scored: "未评分",
    status_width: 8,
    status_word: zh_status,
    badge: zh_status,
};

fn zh_status(s: Status) -> &'static str {
    match s {
        Status::Pass => "合格",
        Status::Partial => "部分合格",
        Status::Fail => "不合格",
        Status::NotApplicable => "不适用",
        Status::Unknown => "待定",
    }
}

/// `text` followed by spaces up to `columns` terminal columns.
pub(super) fn pad(text: &str, columns: usize) -> String {
    let mut out = text.to_string();
    for _ in text.width()..columns {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("zh-CN"), None);
    }

    #[test]
    fn labels_fall_back_to_the_other_language() {
        assert_eq!(Lang::Both.label("原料", "Raw"), "原料 Raw");
        assert_eq!(Lang::Zh.label("原料", "Raw"), "原料");
        assert_eq!(Lang::Zh.label("", "Raw"), "Raw");
        assert_eq!(Lang::En.label("原料", ""), "原料");
        assert_eq!(Lang::En.label("原料", "Raw"), "Raw");
    }

    #[test]
    fn pads_by_terminal_columns() {
        assert_eq!(pad("合格", 8), "合格    ");
        assert_eq!(pad("部分合格", 8), "部分合格");
        assert_eq!(pad("pass", 6), "pass  ");
    }
}

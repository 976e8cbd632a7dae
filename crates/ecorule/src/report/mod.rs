//! Stage 5: an [`Evaluation`](crate::eval::Evaluation) to the explained,
//! reproducible [`Report`].
//!
//! What a report says about the rulebook (ids, titles, references,
//! evidence, fix actions, the fixed words of every explanation) is the same
//! for every audit, so it is prepared once per compiled rulebook
//! ([`ReportBook`]) and shared by one `Arc`. What the audit decides
//! (statuses, points, the values read, the explanations quoting them,
//! deadlines) is written into one text buffer and a few flat vectors per
//! report. The public types for areas, clauses and the lists are views that
//! borrow from the report. JSON is serde's (written out here field by field,
//! so the bytes stay those of `ecorule.report/1`); `render` draws text and
//! Markdown, `html` HTML. Every binding returns the same JSON bytes.

mod build;
mod html;
mod lang;
mod read;
mod render;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::ast::NaPolicy;
use crate::eval::{ClauseResult, Decided, Evaluation, Outcome};
use crate::ir::*;
use crate::num::Num;

use build::{AreaBook, ClauseBook, DeductionBook};
pub(crate) use build::{ReportBook, scoring_warnings};
pub use html::{HtmlPart, render_html, render_html_fragment};
pub use lang::{Lang, RenderOptions};
pub use render::{render_markdown, render_text};

/// The report schema this version writes.
pub const SCHEMA: &str = "ecorule.report/1";

/// The engine a report names as its maker: the crate's version and, after
/// `+r`, the report revision, raised with every change to what a report
/// (its JSON) says for the same rulebook and audit; the golden vectors'
/// test holds the revision to their bytes. A stored report is reproduced
/// byte for byte only by the engine it names. Text, Markdown and HTML
/// name it too (`made by …`).
pub const ENGINE: &str = concat!("ecorule ", env!("CARGO_PKG_VERSION"), "+r16");

/// The outcome of scoring one audit against one rulebook.
///
/// Numbers are fields; texts and lists are methods, because the rulebook's
/// own text (titles, references, evidence, fix actions) is shared with the
/// compiled [`Rulebook`](crate::Rulebook) rather than copied into each
/// report. Areas, clauses and list items are views borrowing from the
/// report ([`AreaReport`], [`ClauseReport`], ...). Every text of the JSON
/// form is reachable from here.
///
/// The JSON form reads back into a `Report` through serde's `Deserialize`
/// (`serde_json::from_str::<Report>`), for a service given reports rather
/// than audits: the rulebook's part (titles, references, evidence, fix
/// actions) is then the report's own, not a compiled rulebook's, and the
/// report is written again byte for byte ([`Report::engine`] is the engine
/// it names). Reading fails when `schema` is not [`SCHEMA`] or a list
/// (`vetoes`, `rectification`, ...) names a clause the report does not
/// hold; fields a later revision added are optional, so a stored report
/// from an earlier one reads too.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let source = r#"rulebook demo "示例" en "Demo" {
///   facts { drills: count "演练次数" en "drills" }
///   scoring {
///     scale 1
///     grade pass "合格" en "pass" when score >= 1
///     grade fail "不合格" en "fail" otherwise
///     verdict standardize otherwise
///   }
///   area A "应急" en "Emergency" {
///     clause D1 "应急演练" en "Drills" points 1 {
///       require drills >= 2
///       fix "组织演练" en "hold a drill" within 30 days
///     }
///   }
/// }"#;
/// let rulebook = ecorule::Rulebook::compile("demo.eco", source)?;
/// let audit = r#"{"audit": {"date": "2024-05-20"}, "facts": {"drills": 1}}"#;
/// let report = rulebook.score_json(audit, &ecorule::ScoreOptions::default())?;
/// let json = report.to_json();
/// let read: ecorule::Report = serde_json::from_str(&json)?;
/// assert_eq!(read, report);
/// assert_eq!(read.to_json(), json);
/// let item = read.rectification().next().ok_or("no item")?;
/// assert_eq!(item.clause().id(), "D1");
/// assert_eq!(item.fix().and_then(|f| f.deadline), Some("2024-06-19"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Report {
    book: Arc<ReportBook>,
    /// [`ENGINE`], or what a report read back names (`None` for a report
    /// written before reports named their engine).
    engine: Option<Cow<'static, str>>,
    audit: AuditRef,
    /// The score, when no unknown fact could change it.
    pub score: Option<Num>,
    /// The lowest score any completion of the unknown facts gives.
    pub score_min: Num,
    /// The highest score any completion of the unknown facts gives.
    pub score_max: Num,
    /// The full score.
    pub scale: Num,
    /// How the rulebook counts a clause that does not apply; `None` in a
    /// report read back from before reports said (r15).
    not_applicable: Option<NaPolicy>,
    /// True when both ends give the same verdict.
    pub determined: bool,
    grade: usize,
    grade_best: usize,
    verdict: usize,
    verdict_best: usize,
    vetoes: Vec<usize>,
    possible_vetoes: Vec<usize>,
    deductions: Vec<DeductionRecord>,
    /// One per area of the rulebook, in order.
    areas: Vec<AreaRecord>,
    /// One per clause of the rulebook, in rulebook order.
    clauses: Vec<ClauseRecord>,
    /// Every clause's values, clause after clause.
    values: Vec<ValueRecord>,
    /// Explanations, value names and values, deadlines.
    text: String,
    /// Clause indices.
    rectification: Vec<u32>,
    /// Fact slots.
    missing_facts: Vec<u32>,
    unverified: Vec<UnverifiedRecord>,
    /// (index into `unverified`, clause index), in clause order.
    unverified_uses: Vec<(u32, u32)>,
    warnings: Vec<String>,
    /// `warnings` in Chinese, one for one; `None` in a report read back
    /// from before reports had them (r4).
    warnings_zh: Option<Vec<String>>,
}

/// A piece of [`Report::text`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The same piece, `by` bytes further on.
    fn shifted(self, by: u32) -> Span {
        Span { start: self.start.saturating_add(by), end: self.end.saturating_add(by) }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ClauseRecord {
    status: Status,
    earned: Num,
    earned_max: Num,
    explanation: Explanation,
    /// Range into [`Report::values`].
    values: (u32, u32),
    /// The fix's deadline, when the clause has a fix that shows.
    fix: Option<Option<Span>>,
}

/// A clause's explanation in each language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Explanation {
    en: Span,
    /// `None` in a report read back from before reports had it (r3).
    zh: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ValueRecord {
    name: Span,
    value: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
struct AreaRecord {
    points: Num,
    possible: Num,
    earned: Num,
    earned_max: Num,
    score: Option<Num>,
}

#[derive(Debug, Clone, PartialEq)]
struct DeductionRecord {
    count: Option<Num>,
    deducted: Num,
    deducted_max: Option<Num>,
}

/// The first clause entry that named an unverified value.
#[derive(Debug, Clone, Copy, PartialEq)]
struct UnverifiedRecord {
    clause: u32,
    entry: u32,
}

static NO_LABELS: Labels = Labels { zh: String::new(), en: String::new() };

/// The rulebook a report was made by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulebookRef {
    /// Rulebook id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// English title.
    pub title_en: String,
    /// `version`, if given.
    pub version: Option<String>,
    /// `effective`, if given.
    pub effective: Option<String>,
    /// `sha256:` and the lowercase hex SHA-256 of the rulebook's source
    /// bytes (what `sha256sum` prints for its file).
    pub hash: String,
    /// The modules it uses, in the order of its `use` list, each with the
    /// hash of its source: with `hash`, the exact rules that made a report.
    #[serde(default)]
    pub modules: Vec<ModuleRef>,
}

/// A module a rulebook uses, as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleRef {
    /// Module id.
    pub id: String,
    /// `sha256:` and the lowercase hex SHA-256 of the module's source bytes.
    pub hash: String,
}

impl RulebookRef {
    pub(crate) fn new(program: &Program, hash: String, modules: Vec<ModuleRef>) -> RulebookRef {
        RulebookRef {
            id: program.id.clone(),
            title: program.labels.zh.clone(),
            title_en: program.labels.en.clone(),
            version: program.version.clone(),
            effective: program.effective.map(date_text),
            hash,
            modules,
        }
    }
}

/// The audit a report scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRef {
    /// Audit id.
    pub id: Option<String>,
    /// Audit date.
    pub date: Option<String>,
    /// Enterprise id.
    pub enterprise_id: Option<String>,
    /// Enterprise name.
    pub enterprise_name: Option<String>,
    /// Other enterprise fields as given.
    pub enterprise: BTreeMap<String, String>,
}

/// How a clause ended (`Hash`, to count a batch's clauses by status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every requirement holds.
    Pass,
    /// A requirement fails, partial credit applies.
    Partial,
    /// A requirement fails.
    Fail,
    /// The clause does not apply.
    NotApplicable,
    /// The outcome depends on facts the audit does not give.
    Unknown,
}

impl Status {
    /// The status as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Partial => "partial",
            Status::Fail => "fail",
            Status::NotApplicable => "not_applicable",
            Status::Unknown => "unknown",
        }
    }
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).unwrap_or("")
}

fn outcome(list: &[(String, Labels)], i: usize) -> (&str, &Labels) {
    list.get(i).map_or(("", &NO_LABELS), |(id, labels)| (id.as_str(), labels))
}

impl Report {
    /// Always [`SCHEMA`].
    pub fn schema(&self) -> &'static str {
        SCHEMA
    }

    /// Which engine made this report: [`ENGINE`] for a report scored
    /// here; for one read back, the engine it names (`None` if it names
    /// none).
    pub fn engine(&self) -> Option<&str> {
        self.engine.as_deref()
    }

    /// How the rulebook counts a clause that does not apply (`None` for a
    /// report read back from before reports said).
    pub fn not_applicable(&self) -> Option<NaPolicy> {
        self.not_applicable
    }

    /// Which rules made this report.
    pub fn rulebook(&self) -> &RulebookRef {
        self.book.rulebook()
    }

    /// Which audit it scores.
    pub fn audit(&self) -> &AuditRef {
        &self.audit
    }

    /// Grade id at `score_min`.
    pub fn grade(&self) -> &str {
        outcome(&self.book.grades, self.grade).0
    }

    /// Labels of [`Report::grade`].
    pub fn grade_label(&self) -> &Labels {
        outcome(&self.book.grades, self.grade).1
    }

    /// Grade id at `score_max`.
    pub fn grade_best(&self) -> &str {
        outcome(&self.book.grades, self.grade_best).0
    }

    /// Labels of [`Report::grade_best`].
    pub fn grade_best_label(&self) -> &Labels {
        outcome(&self.book.grades, self.grade_best).1
    }

    /// Verdict id at the worse end (every possible veto, `score_min`).
    pub fn verdict(&self) -> &str {
        outcome(&self.book.verdicts, self.verdict).0
    }

    /// Labels of [`Report::verdict`].
    pub fn verdict_label(&self) -> &Labels {
        outcome(&self.book.verdicts, self.verdict).1
    }

    /// Verdict id at the better end.
    pub fn verdict_best(&self) -> &str {
        outcome(&self.book.verdicts, self.verdict_best).0
    }

    /// Labels of [`Report::verdict_best`].
    pub fn verdict_best_label(&self) -> &Labels {
        outcome(&self.book.verdicts, self.verdict_best).1
    }

    fn clause_ids<'r>(&'r self, list: &'r [usize]) -> impl Iterator<Item = &'r str> + Clone + 'r {
        list.iter().filter_map(|i| self.book.clauses.get(*i)).map(|c| c.id.as_str())
    }

    /// Ids of the veto clauses that failed.
    pub fn vetoes(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.clause_ids(&self.vetoes)
    }

    /// Ids of the veto clauses that may fail, depending on unknown facts.
    pub fn possible_vetoes(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.clause_ids(&self.possible_vetoes)
    }

    /// Points taken off after the clauses were summed.
    pub fn deductions(&self) -> impl Iterator<Item = DeductionReport<'_>> + Clone + '_ {
        self.book.deductions.iter().zip(&self.deductions).map(|(def, record)| DeductionReport { def, record })
    }

    /// Areas with their clauses.
    pub fn areas(&self) -> impl ExactSizeIterator<Item = AreaReport<'_>> + Clone + '_ {
        self.book.areas.iter().zip(&self.areas).map(move |(def, record)| AreaReport { report: self, def, record })
    }

    /// Every clause, in rulebook order.
    pub fn clauses(&self) -> impl Iterator<Item = ClauseReport<'_>> + Clone + '_ {
        self.areas().flat_map(|a| a.clauses())
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<ClauseReport<'_>> {
        self.clauses().find(|c| c.id() == id)
    }

    fn clause_at(&self, index: usize) -> Option<ClauseReport<'_>> {
        self.areas().find(|a| a.def.clauses.contains(&index))?.clause_at(index)
    }

    /// What to fix, by when, for every clause that failed or earned partial credit.
    pub fn rectification(&self) -> impl Iterator<Item = Rectification<'_>> + Clone + '_ {
        self.rectification.iter().filter_map(|i| self.clause_at(*i as usize)).map(Rectification)
    }

    /// Facts the audit did not give that would decide an undecided clause
    /// or deduction: the clauses' first, in clause order.
    pub fn missing_facts(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.missing_facts.iter().filter_map(|s| self.book.facts.get(*s as usize)).map(String::as_str)
    }

    /// Values not yet verified against a standard's text that clauses used.
    pub fn unverified(&self) -> impl Iterator<Item = UnverifiedValue<'_>> + Clone + '_ {
        self.unverified.iter().enumerate().filter_map(|(group, record)| {
            let (name, reason) =
                self.book.clauses.get(record.clause as usize)?.unverified.get(record.entry as usize)?;
            let (group, reason_zh) = (group as u32, reason.zh.as_deref());
            Some(UnverifiedValue { report: self, group, name, reason: &reason.text, reason_zh })
        })
    }

    /// Things the caller should know (undeclared facts, nothing applicable),
    /// in English.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// [`Report::warnings`] in Chinese, one for one. `None` only in a
    /// report read back from JSON written before reports had them.
    pub fn warnings_zh(&self) -> Option<&[String]> {
        self.warnings_zh.as_deref()
    }

    /// The report as pretty-printed JSON, the same bytes in every binding.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Serializes what a closure iterates, as a sequence.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Report", 27)?;
        s.serialize_field("schema", SCHEMA)?;
        match self.engine() {
            Some(engine) => s.serialize_field("engine", engine)?,
            None => s.skip_field("engine")?,
        }
        s.serialize_field("rulebook", self.rulebook())?;
        s.serialize_field("audit", &self.audit)?;
        s.serialize_field("score", &self.score)?;
        s.serialize_field("score_min", &self.score_min)?;
        s.serialize_field("score_max", &self.score_max)?;
        s.serialize_field("scale", &self.scale)?;
        match self.not_applicable {
            Some(policy) => s.serialize_field("not_applicable", &policy)?,
            None => s.skip_field("not_applicable")?,
        }
        s.serialize_field("grade", self.grade())?;
        s.serialize_field("grade_label", self.grade_label())?;
        s.serialize_field("grade_best", self.grade_best())?;
        s.serialize_field("grade_best_label", self.grade_best_label())?;
        s.serialize_field("verdict", self.verdict())?;
        s.serialize_field("verdict_label", self.verdict_label())?;
        s.serialize_field("verdict_best", self.verdict_best())?;
        s.serialize_field("verdict_best_label", self.verdict_best_label())?;
        s.serialize_field("determined", &self.determined)?;
        s.serialize_field("vetoes", &Seq(|| self.vetoes()))?;
        s.serialize_field("possible_vetoes", &Seq(|| self.possible_vetoes()))?;
        s.serialize_field("deductions", &Seq(|| self.deductions()))?;
        s.serialize_field("areas", &Seq(|| self.areas()))?;
        s.serialize_field("rectification", &Seq(|| self.rectification()))?;
        s.serialize_field("missing_facts", &Seq(|| self.missing_facts()))?;
        s.serialize_field("unverified", &Seq(|| self.unverified()))?;
        s.serialize_field("warnings", &self.warnings)?;
        match &self.warnings_zh {
            Some(zh) => s.serialize_field("warnings_zh", zh)?,
            None => s.skip_field("warnings_zh")?,
        }
        s.end()
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("rulebook", self.rulebook())
            .field("audit", &self.audit)
            .field("score", &self.score)
            .field("score_min", &self.score_min)
            .field("score_max", &self.score_max)
            .field("scale", &self.scale)
            .field("not_applicable", &self.not_applicable)
            .field("grade", &self.grade())
            .field("grade_best", &self.grade_best())
            .field("verdict", &self.verdict())
            .field("verdict_best", &self.verdict_best())
            .field("determined", &self.determined)
            .field("vetoes", &self.vetoes().collect::<Vec<_>>())
            .field("possible_vetoes", &self.possible_vetoes().collect::<Vec<_>>())
            .field("deductions", &self.deductions().collect::<Vec<_>>())
            .field("areas", &self.areas().collect::<Vec<_>>())
            .field("rectification", &self.rectification().collect::<Vec<_>>())
            .field("missing_facts", &self.missing_facts().collect::<Vec<_>>())
            .field("unverified", &self.unverified().collect::<Vec<_>>())
            .field("warnings", &self.warnings)
            .field("warnings_zh", &self.warnings_zh)
            .finish()
    }
}

/// Equal when they say the same: the same JSON.
impl PartialEq for Report {
    fn eq(&self, other: &Report) -> bool {
        self.engine == other.engine
            && self.rulebook() == other.rulebook()
            && self.audit == other.audit
            && self.score == other.score
            && self.score_min == other.score_min
            && self.score_max == other.score_max
            && self.scale == other.scale
            && self.not_applicable == other.not_applicable
            && self.grade() == other.grade()
            && self.grade_label() == other.grade_label()
            && self.grade_best() == other.grade_best()
            && self.grade_best_label() == other.grade_best_label()
            && self.verdict() == other.verdict()
            && self.verdict_label() == other.verdict_label()
            && self.verdict_best() == other.verdict_best()
            && self.verdict_best_label() == other.verdict_best_label()
            && self.determined == other.determined
            && self.vetoes().eq(other.vetoes())
            && self.possible_vetoes().eq(other.possible_vetoes())
            && self.deductions().eq(other.deductions())
            && self.areas().eq(other.areas())
            && self.rectification().eq(other.rectification())
            && self.missing_facts().eq(other.missing_facts())
            && self.unverified().eq(other.unverified())
            && self.warnings == other.warnings
            && self.warnings_zh == other.warnings_zh
    }
}

/// One area of a [`Report`].
#[derive(Clone, Copy)]
pub struct AreaReport<'r> {
    report: &'r Report,
    def: &'r AreaBook,
    record: &'r AreaRecord,
}

impl<'r> AreaReport<'r> {
    /// Area id.
    pub fn id(&self) -> &'r str {
        &self.def.id
    }

    /// Chinese title.
    pub fn title(&self) -> &'r str {
        &self.def.labels.zh
    }

    /// English title.
    pub fn title_en(&self) -> &'r str {
        &self.def.labels.en
    }

    /// Sum of its clauses' points.
    pub fn points(&self) -> Num {
        self.record.points
    }

    /// Points of the clauses that apply (or may).
    pub fn possible(&self) -> Num {
        self.record.possible
    }

    /// Points earned for certain.
    pub fn earned(&self) -> Num {
        self.record.earned
    }

    /// Points earned at best.
    pub fn earned_max(&self) -> Num {
        self.record.earned_max
    }

    /// Points earned on the area's own points, rescaled as the total is
    /// (`earned × points / possible`, to two places); `None` while an
    /// unknown fact could change it or when nothing in it counts.
    pub fn score(&self) -> Option<Num> {
        self.record.score
    }

    /// Its clauses.
    pub fn clauses(&self) -> impl Iterator<Item = ClauseReport<'r>> + Clone + use<'r> {
        let area = *self;
        self.def.clauses.clone().filter_map(move |i| area.clause_at(i))
    }

    /// Clause `index` of the report, which is one of this area's.
    fn clause_at(&self, index: usize) -> Option<ClauseReport<'r>> {
        let def = self.report.book.clauses.get(index)?;
        let record = self.report.clauses.get(index)?;
        Some(ClauseReport { area: *self, def, record })
    }
}

impl Serialize for AreaReport<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AreaReport", 9)?;
        s.serialize_field("id", self.id())?;
        s.serialize_field("title", self.title())?;
        s.serialize_field("title_en", self.title_en())?;
        s.serialize_field("points", &self.points())?;
        s.serialize_field("possible", &self.possible())?;
        s.serialize_field("earned", &self.earned())?;
        s.serialize_field("earned_max", &self.earned_max())?;
        s.serialize_field("score", &self.score())?;
        s.serialize_field("clauses", &Seq(|| self.clauses()))?;
        s.end()
    }
}

impl PartialEq for AreaReport<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.title() == other.title()
            && self.title_en() == other.title_en()
            && self.points() == other.points()
            && self.possible() == other.possible()
            && self.earned() == other.earned()
            && self.earned_max() == other.earned_max()
            && self.score() == other.score()
            && self.clauses().eq(other.clauses())
    }
}

impl fmt::Debug for AreaReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AreaReport")
            .field("id", &self.id())
            .field("points", &self.points())
            .field("possible", &self.possible())
            .field("earned", &self.earned())
            .field("earned_max", &self.earned_max())
            .field("score", &self.score())
            .field("clauses", &self.clauses().collect::<Vec<_>>())
            .finish()
    }
}

/// One clause of a [`Report`], explained.
#[derive(Clone, Copy)]
pub struct ClauseReport<'r> {
    /// The area it is in, with the report.
    area: AreaReport<'r>,
    def: &'r ClauseBook,
    record: &'r ClauseRecord,
}

impl<'r> ClauseReport<'r> {
    /// Clause id.
    pub fn id(&self) -> &'r str {
        &self.def.id
    }

    /// The area it is in, as the JSON nests it: for a clause reached
    /// through [`Report::clause`] or [`Report::rectification`] as much as
    /// through [`AreaReport::clauses`].
    pub fn area(&self) -> AreaReport<'r> {
        self.area
    }

    /// Chinese title.
    pub fn title(&self) -> &'r str {
        &self.def.labels.zh
    }

    /// English title.
    pub fn title_en(&self) -> &'r str {
        &self.def.labels.en
    }

    /// How it ended.
    pub fn status(&self) -> Status {
        self.record.status
    }

    /// One-vote veto clause.
    pub fn veto(&self) -> bool {
        self.def.veto
    }

    /// Its weight.
    pub fn points(&self) -> Num {
        self.def.points
    }

    /// Points earned (the lower bound when unknown).
    pub fn earned(&self) -> Num {
        self.record.earned
    }

    /// Points earned at best.
    pub fn earned_max(&self) -> Num {
        self.record.earned_max
    }

    /// Whether its points are left out of the scale: it does not apply,
    /// and the rulebook rescales (`not_applicable rescale`), so its `0`
    /// earned is no loss. Drawn reports show `—` for its points.
    pub fn left_out(&self) -> bool {
        self.record.status == Status::NotApplicable && self.area.report.not_applicable == Some(NaPolicy::Rescale)
    }

    /// Why, in one line of English.
    pub fn explanation(&self) -> &'r str {
        slice(&self.area.report.text, self.record.explanation.en)
    }

    /// Why, in one line of Chinese, quoting the same values. `None` only
    /// in a report read back from JSON written before reports had it.
    pub fn explanation_zh(&self) -> Option<&'r str> {
        self.record.explanation.zh.map(|zh| slice(&self.area.report.text, zh))
    }

    /// The values that decided it: facts, constants, lets and table rows read.
    pub fn values(&self) -> impl ExactSizeIterator<Item = ValueReport<'r>> + Clone + use<'r> {
        let (start, end) = self.record.values;
        let text = self.area.report.text.as_str();
        let values = self.area.report.values.get(start as usize..end as usize).unwrap_or(&[]);
        values.iter().map(move |v| ValueReport { name: slice(text, v.name), value: v.value.map(|s| slice(text, s)) })
    }

    /// The standard and section it enforces.
    pub fn refs(&self) -> &'r [String] {
        &self.def.refs
    }

    /// What the inspector looks at.
    pub fn evidence(&self) -> &'r [Labels] {
        &self.def.evidence
    }

    /// What to do, for a clause that did not pass.
    pub fn fix(&self) -> Option<Fix<'r>> {
        let deadline = self.record.fix?;
        let (labels, days) = self.def.fix.as_ref()?;
        Some(Fix {
            action: &labels.zh,
            action_en: &labels.en,
            within_days: *days,
            deadline: deadline.map(|s| slice(&self.area.report.text, s)),
        })
    }
}

impl Serialize for ClauseReport<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ClauseReport", 14)?;
        s.serialize_field("id", self.id())?;
        s.serialize_field("title", self.title())?;
        s.serialize_field("title_en", self.title_en())?;
        s.serialize_field("status", &self.status())?;
        s.serialize_field("veto", &self.veto())?;
        s.serialize_field("points", &self.points())?;
        s.serialize_field("earned", &self.earned())?;
        s.serialize_field("earned_max", &self.earned_max())?;
        s.serialize_field("explanation", self.explanation())?;
        match self.explanation_zh() {
            Some(zh) => s.serialize_field("explanation_zh", zh)?,
            None => s.skip_field("explanation_zh")?,
        }
        s.serialize_field("values", &Seq(|| self.values()))?;
        s.serialize_field("refs", self.refs())?;
        s.serialize_field("evidence", self.evidence())?;
        s.serialize_field("fix", &self.fix())?;
        s.end()
    }
}

impl fmt::Debug for ClauseReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClauseReport")
            .field("id", &self.id())
            .field("status", &self.status())
            .field("veto", &self.veto())
            .field("points", &self.points())
            .field("earned", &self.earned())
            .field("earned_max", &self.earned_max())
            .field("explanation", &self.explanation())
            .field("explanation_zh", &self.explanation_zh())
            .field("values", &self.values().collect::<Vec<_>>())
            .field("fix", &self.fix())
            .finish()
    }
}

impl PartialEq for ClauseReport<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.title() == other.title()
            && self.title_en() == other.title_en()
            && self.record.status == other.record.status
            && self.veto() == other.veto()
            && self.points() == other.points()
            && self.earned() == other.earned()
            && self.earned_max() == other.earned_max()
            && self.explanation() == other.explanation()
            && self.explanation_zh() == other.explanation_zh()
            && self.values().eq(other.values())
            && self.refs() == other.refs()
            && self.evidence() == other.evidence()
            && self.fix() == other.fix()
    }
}

/// A fact, constant, `let` or table value a clause read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ValueReport<'r> {
    /// `stack.height`, `gb14554.ammonia_rate(25 m)`.
    pub name: &'r str,
    /// The value with its unit; `None` when the audit does not give it.
    pub value: Option<&'r str>,
}

/// A clause's rectification requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fix<'r> {
    /// What to do (Chinese).
    pub action: &'r str,
    /// What to do (English).
    pub action_en: &'r str,
    /// Days allowed after the audit.
    pub within_days: u32,
    /// The audit date plus `within_days`, when the audit date is known.
    pub deadline: Option<&'r str>,
}

/// One item of the rectification list: a clause that failed or earned
/// partial credit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rectification<'r>(ClauseReport<'r>);

impl<'r> Rectification<'r> {
    /// The clause, with its id, titles and explanation.
    pub fn clause(&self) -> ClauseReport<'r> {
        self.0
    }

    /// `fail` or `partial`.
    pub fn status(&self) -> Status {
        self.0.status()
    }

    /// What to do and by when, if the clause says.
    pub fn fix(&self) -> Option<Fix<'r>> {
        self.0.fix()
    }
}

impl Serialize for Rectification<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = &self.0;
        let mut s = serializer.serialize_struct("Rectification", 6)?;
        s.serialize_field("clause", c.id())?;
        s.serialize_field("title", c.title())?;
        s.serialize_field("title_en", c.title_en())?;
        s.serialize_field("status", &c.status())?;
        s.serialize_field("veto", &c.veto())?;
        s.serialize_field("fix", &c.fix())?;
        s.end()
    }
}

/// A deduction and what it took off.
#[derive(Clone, Copy)]
pub struct DeductionReport<'r> {
    def: &'r DeductionBook,
    record: &'r DeductionRecord,
}

impl<'r> DeductionReport<'r> {
    /// Deduction id.
    pub fn id(&self) -> &'r str {
        &self.def.id
    }

    /// The cause.
    pub fn cause(&self) -> &'r Labels {
        &self.def.labels
    }

    /// Events counted (1 or 0 for a condition); `None` when unknown.
    pub fn count(&self) -> Option<Num> {
        self.record.count
    }

    /// Points per event.
    pub fn points(&self) -> Num {
        self.def.points
    }

    /// Points taken off (the lower bound when unknown).
    pub fn deducted(&self) -> Num {
        self.record.deducted
    }

    /// Points taken off at most; `None` when unbounded.
    pub fn deducted_max(&self) -> Option<Num> {
        self.record.deducted_max
    }
}

impl Serialize for DeductionReport<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("DeductionReport", 6)?;
        s.serialize_field("id", self.id())?;
        s.serialize_field("cause", self.cause())?;
        s.serialize_field("count", &self.count())?;
        s.serialize_field("points", &self.points())?;
        s.serialize_field("deducted", &self.deducted())?;
        s.serialize_field("deducted_max", &self.deducted_max())?;
        s.end()
    }
}

impl PartialEq for DeductionReport<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.cause() == other.cause()
            && self.count() == other.count()
            && self.points() == other.points()
            && self.deducted() == other.deducted()
            && self.deducted_max() == other.deducted_max()
    }
}

impl fmt::Debug for DeductionReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeductionReport")
            .field("id", &self.id())
            .field("count", &self.count())
            .field("points", &self.points())
            .field("deducted", &self.deducted())
            .field("deducted_max", &self.deducted_max())
            .finish()
    }
}

/// An unverified value that clauses used.
#[derive(Clone, Copy)]
pub struct UnverifiedValue<'r> {
    report: &'r Report,
    group: u32,
    name: &'r str,
    reason: &'r str,
    reason_zh: Option<&'r str>,
}

impl<'r> UnverifiedValue<'r> {
    /// `module.name`.
    pub fn name(&self) -> &'r str {
        self.name
    }

    /// Why it is not verified: in English when the rulebook gives the
    /// reason in Chinese then English (`unverified "…" en "…"`), else the
    /// one reason it gives.
    pub fn reason(&self) -> &'r str {
        self.reason
    }

    /// The reason in Chinese, when the rulebook gives it in both languages.
    pub fn reason_zh(&self) -> Option<&'r str> {
        self.reason_zh
    }

    /// The reason in `lang`: for both, the Chinese then the English, a
    /// slash between (they are sentences); the one reason given, in any
    /// language, when there is no Chinese apart.
    pub fn reason_in(&self, lang: Lang) -> String {
        match (lang, self.reason_zh) {
            (Lang::Zh, Some(zh)) => zh.to_string(),
            (Lang::Both, Some(zh)) => format!("{zh} / {}", self.reason),
            (Lang::En, _) | (_, None) => self.reason.to_string(),
        }
    }

    /// Ids of the clauses that read it.
    pub fn clauses(&self) -> impl Iterator<Item = &'r str> + Clone + use<'r> {
        let (report, group) = (self.report, self.group);
        report
            .unverified_uses
            .iter()
            .filter(move |(g, _)| *g == group)
            .filter_map(|(_, c)| report.book.clauses.get(*c as usize))
            .map(|c| c.id.as_str())
    }
}

impl Serialize for UnverifiedValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("UnverifiedValue", 4)?;
        s.serialize_field("name", self.name)?;
        s.serialize_field("reason", self.reason)?;
        // Only when the rulebook gives one: reports before it are unchanged.
        if let Some(zh) = self.reason_zh {
            s.serialize_field("reason_zh", zh)?;
        }
        s.serialize_field("clauses", &Seq(|| self.clauses()))?;
        s.end()
    }
}

impl PartialEq for UnverifiedValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.reason == other.reason
            && self.reason_zh == other.reason_zh
            && self.clauses().eq(other.clauses())
    }
}

impl fmt::Debug for UnverifiedValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedValue")
            .field("name", &self.name)
            .field("reason", &self.reason)
            .field("reason_zh", &self.reason_zh)
            .field("clauses", &self.clauses().collect::<Vec<_>>())
            .finish()
    }
}

/// Score and verdict only, without explanations.
///
/// `determined` speaks of the verdict alone: an audit that leaves facts
/// out can have its verdict settled while its grade is not, so a service
/// showing a grade compares `grade` with `grade_best` itself.
///
/// ```
/// let source = r#"rulebook demo "示例" {
///   facts { a: bool "a"  b: bool "b" }
///   scoring {
///     scale 2
///     grade pass "合格" when score >= 2
///     grade fail "不合格" otherwise
///     verdict standardize "规范" otherwise
///   }
///   area A "甲" {
///     clause C1 "一" points 1 { require a }
///     clause C2 "二" points 1 { require b }
///   }
/// }"#;
/// let rulebook = ecorule::Rulebook::compile("demo.eco", source)?;
/// let options = ecorule::ScoreOptions::default();
/// let audit = ecorule::AuditInput::from_json(r#"{"facts": {"a": true}}"#, &options.limits)?;
/// let summary = rulebook.summary(&audit, &options)?;
/// // One verdict whatever `b` is, but two grades.
/// assert!(summary.determined);
/// assert_eq!((summary.grade.as_str(), summary.grade_best.as_str()), ("fail", "pass"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The lowest possible score.
    pub score_min: Num,
    /// The highest possible score.
    pub score_max: Num,
    /// Grade id at the lower end.
    pub grade: String,
    /// Grade id at the upper end: it may differ from `grade` even when
    /// `determined`, which speaks of the verdict alone.
    pub grade_best: String,
    /// Verdict id at the worse end.
    pub verdict: String,
    /// Verdict id at the better end (the same as `verdict` when determined).
    pub verdict_best: String,
    /// Whether both ends give the same verdict (the grades may differ).
    pub determined: bool,
    /// Veto clauses that failed.
    pub vetoes: Vec<String>,
    /// Status of every clause, in rulebook order.
    pub statuses: Vec<Status>,
}

impl Summary {
    /// A summary by position with its grade, verdict and vetoes named.
    pub(crate) fn named(program: &Program, row: RowSummary) -> Summary {
        let (grade, verdict, vetoes) = ids(program, row.grade, row.verdict, &row.vetoes);
        let (grade_best, verdict_best, _) = ids(program, row.grade_best, row.verdict_best, &[]);
        let RowSummary { score_min, score_max, determined, statuses, .. } = row;
        Summary { score_min, score_max, grade, grade_best, verdict, verdict_best, determined, vetoes, statuses }
    }
}

/// A [`Summary`] by position, as a batch's audits are summarised
/// ([`Rulebook::summarize_row`](crate::Rulebook::summarize_row)): the grade,
/// the verdict and the veto clauses are indices into the rulebook's lists
/// ([`RulebookInfo`](crate::RulebookInfo)'s `grades` and `verdicts`,
/// [`Rulebook::clause_ids`](crate::Rulebook::clause_ids)), which a caller
/// holding many audits maps once instead of comparing names per audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSummary {
    /// The lowest possible score.
    pub score_min: Num,
    /// The highest possible score.
    pub score_max: Num,
    /// The grade at the lower end.
    pub grade: usize,
    /// The grade at the upper end.
    pub grade_best: usize,
    /// The verdict at the worse end.
    pub verdict: usize,
    /// The verdict at the better end.
    pub verdict_best: usize,
    /// Whether both ends give the same verdict (the grades may differ).
    pub determined: bool,
    /// Veto clauses that failed, ascending.
    pub vetoes: Vec<usize>,
    /// Status of every clause, in rulebook order.
    pub statuses: Vec<Status>,
    /// Whether no clause may apply, so the score counts as 0 (a report
    /// warns of it; [`Rulebook::row_warnings`](crate::Rulebook::row_warnings)).
    pub nothing_applicable: bool,
}

impl RowSummary {
    pub(crate) fn new(eval: &Evaluation) -> RowSummary {
        RowSummary {
            score_min: eval.score_min,
            score_max: eval.score_max,
            grade: eval.grade,
            grade_best: eval.grade_best,
            verdict: eval.verdict,
            verdict_best: eval.verdict_best,
            determined: eval.verdict == eval.verdict_best,
            vetoes: eval.vetoes.clone(),
            statuses: eval.clauses.iter().map(status).collect(),
            nothing_applicable: eval.nothing_applicable,
        }
    }

    /// The summary of an audit whose every clause is decided.
    pub(crate) fn decided(decided: Decided) -> RowSummary {
        RowSummary {
            score_min: decided.score,
            score_max: decided.score,
            grade: decided.grade,
            grade_best: decided.grade,
            verdict: decided.verdict,
            verdict_best: decided.verdict,
            determined: true,
            vetoes: decided.vetoes,
            statuses: decided.outcomes.iter().map(|o| o.status()).collect(),
            nothing_applicable: decided.nothing_applicable,
        }
    }
}

/// The ids of a grade, a verdict and veto clauses, by index.
fn ids(program: &Program, grade: usize, verdict: usize, vetoes: &[usize]) -> (String, String, Vec<String>) {
    let id = |list: &[OutcomeDef], i: usize| list.get(i).map(|o| o.id.clone()).unwrap_or_default();
    (
        id(&program.scoring.grades, grade),
        id(&program.scoring.verdicts, verdict),
        vetoes.iter().filter_map(|i| program.clauses.get(*i)).map(|c| c.id.clone()).collect(),
    )
}

fn status(result: &ClauseResult) -> Status {
    result.decided().map_or(Status::Unknown, Outcome::status)
}

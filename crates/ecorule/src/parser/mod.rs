//! Stage 1: source text to [`SourceFile`] (our own AST with spans).
//!
//! pest does the tokenising against `grammar.pest`; this module turns its
//! pairs into AST nodes, climbs operator precedence itself (so nesting is
//! bounded by [`Limits::max_depth`], and the depth of each expression's
//! tree by [`Limits::max_expr_depth`]) and turns pest's errors into ours,
//! with human names for every grammar rule.

use std::borrow::Cow;
use std::sync::Arc;

use pest::Parser as _;
use pest::iterators::{Pair, Pairs};

use crate::ast::*;
use crate::error::{Error, ErrorKind, Errors};
use crate::limits::Limits;
use crate::num::Num;
use crate::span::{Source, Span};

mod names;

#[derive(pest_derive::Parser)]
#[grammar = "parser/grammar.pest"]
struct Grammar;

/// Parses one source file (a module or a rulebook).
///
/// The tree borrows its names and strings from `source`.
pub fn parse<'a>(source: &'a Arc<Source>, limits: &Limits) -> Result<SourceFile<'a>, Errors> {
    let text = source.text.as_str();
    if text.len() > limits.max_source_bytes {
        return Err(Error::new(
            ErrorKind::SourceTooLarge,
            format!(
                "source `{}` is {} bytes, more than the limit of {} bytes",
                source.name,
                text.len(),
                limits.max_source_bytes
            ),
        )
        .into());
    }
    prescan(source, limits)?;
    let pairs = match Grammar::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(_) => return Err(syntax_error(source).into()),
    };
    let mut builder = Builder { source, limits, errors: Vec::new() };
    let file = builder.file(pairs);
    match (file, builder.errors.is_empty()) {
        (Some(file), true) => Ok(file),
        _ => Err(Errors::new(builder.errors)),
    }
}

/// One pass over the source before pest parses it: rejects brackets that
/// nest deeper than the limit (before pest recurses into them), and
/// characters that hide or reorder text ([`Hidden`]).
fn prescan(source: &Arc<Source>, limits: &Limits) -> Result<(), Errors> {
    // Bytes, not chars: every byte this looks for but a hidden character's
    // first is ASCII, and no byte of a multi-byte character is ASCII, so
    // the offsets are the same.
    let bytes = source.text.as_bytes();
    let mut hidden = Hidden { source, errors: Vec::new() };
    let mut depth = 0usize;
    let mut i = OUTSIDE.find(bytes, 0);
    while let Some(&b) = bytes.get(i) {
        // Where to look on from.
        let next = match b {
            // A string (which may run over lines) to its closing quote.
            b'"' => {
                i = IN_STRING.find(bytes, i + 1);
                loop {
                    match bytes.get(i) {
                        // An escaped quote or backslash is skipped; any
                        // other character after `\` is looked at as it is.
                        Some(b'\\') => {
                            let escaped = matches!(bytes.get(i + 1), Some(b'"' | b'\\'));
                            i = IN_STRING.find(bytes, i + 1 + usize::from(escaped));
                        }
                        Some(b'"') | None => break i + 1,
                        Some(_) => i = IN_STRING.find(bytes, hidden.check(i)),
                    }
                }
            }
            // A comment to the end of its line.
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = IN_COMMENT.find(bytes, i + 2);
                while bytes.get(i).is_some_and(|&b| b != b'\n') {
                    i = IN_COMMENT.find(bytes, hidden.check(i));
                }
                i + 1
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Error::at(
                        ErrorKind::TooDeep,
                        format!("brackets nest deeper than the limit of {}", limits.max_depth),
                        source,
                        Span::new(i, i + 1),
                    )
                    .into());
                }
                i + 1
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i + 1
            }
            _ => hidden.check(i),
        };
        i = OUTSIDE.find(bytes, next);
    }
    if hidden.errors.is_empty() { Ok(()) } else { Err(Errors::new(hidden.errors)) }
}

/// The control characters and the characters that reorder text (bidi
/// controls) found anywhere in a source, strings and comments included:
/// they can make a rulebook read differently from what it says, and a
/// string holding one would carry it into every report. Tabs and line
/// breaks (`\n`, `\r\n`) are fine; a string writes them as `\t` and `\n`.
/// The first few are named, each at its place.
struct Hidden<'s> {
    source: &'s Arc<Source>,
    errors: Vec<Error>,
}

impl Hidden<'_> {
    const SHOWN: usize = 10;

    /// Checks the character at byte `at` (where a byte of [`HIDDEN_START`]
    /// is), and gives the offset after it.
    fn check(&mut self, at: usize) -> usize {
        let text = self.source.text.as_str();
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return at + 1;
        };
        if crate::error::hidden(c) && !crate::error::laid_out(text, at, c) && self.errors.len() < Self::SHOWN {
            let mut shown = String::new();
            crate::error::push_visible(&mut shown, c);
            let help = if c == '\r' {
                "a carriage return that does not end a line can hide what comes before it: delete it"
            } else {
                "it is invisible or changes how the text around it is shown: delete it (in a string, write `\\n` or `\\t` for a line break or a tab)"
            };
            let span = Span::new(at, at + c.len_utf8());
            let message = format!("the source holds the character `{shown}`");
            self.errors.push(Error::at(ErrorKind::Syntax, message, self.source, span).with_help(help));
        }
        at + c.len_utf8()
    }
}

/// The first bytes of the characters [`Hidden`] looks at: ASCII controls,
/// and the first bytes of U+0080 to U+009F (C1 controls), U+061C, and
/// U+200E to U+2069 (marks, separators, bidi). Most are the first byte of
/// harmless characters too (`·`, `≥`, a line break): [`Hidden::check`]
/// decodes the character.
const HIDDEN_START: [u8; 36] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
    31, 0x7f, 0xc2, 0xd8, 0xe2,
];

/// The bytes [`prescan`] stops at outside strings and comments; the rest
/// of the text is skipped with one table look-up a byte.
const OUTSIDE: ByteSet = ByteSet::of(b"\"/()[]{}").with(&HIDDEN_START);
/// The bytes it stops at inside a string.
const IN_STRING: ByteSet = ByteSet::of(b"\"\\").with(&HIDDEN_START);
/// The bytes it stops at inside a comment (the line break ends it).
const IN_COMMENT: ByteSet = ByteSet::of(&HIDDEN_START);

/// A set of bytes, as a table of 256 flags.
struct ByteSet([bool; 256]);

impl ByteSet {
    const fn of(members: &[u8]) -> ByteSet {
        ByteSet([false; 256]).with(members)
    }

    /// This set and `members`.
    const fn with(self, members: &[u8]) -> ByteSet {
        let ByteSet(mut flags) = self;
        let mut rest = members;
        while let [first, tail @ ..] = rest {
            if let Some((_, [flag, ..])) = flags.split_at_mut_checked(*first as usize) {
                *flag = true;
            }
            rest = tail;
        }
        ByteSet(flags)
    }

    /// The offset of the first member at or after `from`, or the length
    /// of `bytes` if there is none.
    fn find(&self, bytes: &[u8], from: usize) -> usize {
        let rest = bytes.get(from..).unwrap_or_default();
        rest.iter().position(|&b| self.0.get(usize::from(b)) == Some(&true)).map_or(bytes.len(), |p| from + p)
    }
}

fn syntax_error(source: &Arc<Source>) -> Error {
    let Some(mut failure) = parse_failure(&source.text) else {
        return Error::new(ErrorKind::Syntax, "the source could not be parsed");
    };
    // `a === b` fails at its third `=`, after what may follow `==`: the
    // error covers all three, with what may stand where they start (the
    // alternatives a lone `=` there gets).
    let text = &source.text;
    let pos = failure.pos;
    if text.get(..pos).is_some_and(|b| b.ends_with("==")) && text.get(pos..).is_some_and(|r| r.starts_with('=')) {
        let start = pos.saturating_sub(2);
        let single = format!("{}=  {}", text.get(..start).unwrap_or_default(), text.get(pos + 1..).unwrap_or_default());
        failure = parse_failure(&single).filter(|f| f.pos == start).unwrap_or(Failure { pos: start, ..failure });
    }
    let Failure { pos, expected, operator_expected } = failure;
    let rest = text.get(pos..).unwrap_or_default();
    if let Some(error) = bad_escape(source, pos) {
        return error;
    }
    let slip = SLIPS
        .iter()
        .find(|(token, _)| rest.starts_with(token) && !rest.starts_with("!=") && (*token != "=" || operator_expected));
    let len = slip.map_or_else(|| found_len(text, pos), |(token, _)| token.len());
    // Full-width punctuation typed with a Chinese input method (`x：`):
    // at the failure, or just after the word found there.
    let wide = [pos, pos + len].into_iter().find_map(|at| {
        let c = text.get(at..)?.chars().next()?;
        FULL_WIDTH.iter().find(|(wide, _)| *wide == c).map(|(_, ascii)| (at, c, *ascii))
    });
    // A space that does not look odd but is not one the language takes.
    let odd_space = text.get(pos..).and_then(|r| r.chars().next()).and_then(|c| {
        let (_, name) = ODD_SPACES.iter().find(|(space, _)| *space == c)?;
        Some((c, *name))
    });
    let (span, found, help) = match (odd_space, wide, slip) {
        (Some((c, name)), _, _) => {
            let code = format!("U+{:04X}", u32::from(c));
            (
                Span::new(pos, pos + c.len_utf8()),
                format!("{name} ({code})"),
                Some(format!("{name} ({code}) looks like a space or like nothing: write a plain space, or delete it")),
            )
        }
        (None, Some((at, c, ascii)), _) => (
            Span::new(at, at + c.len_utf8()),
            format!("`{c}`"),
            Some(format!("`{c}` is full-width punctuation: write `{ascii}`")),
        ),
        (None, None, Some((token, help))) => {
            (Span::new(pos, pos + len), format!("`{token}`"), Some((*help).to_string()))
        }
        (None, None, None) => {
            let end = (pos + len).min(text.len());
            let word = text.get(pos..end).unwrap_or_default();
            if let Some((message, help)) = module_item_in_rulebook(word, &expected) {
                return Error::at(ErrorKind::Syntax, message, source, Span::new(pos, end)).with_help(help);
            }
            if let Some((span, message, help)) = run_on_keyword(text, pos) {
                return Error::at(ErrorKind::Syntax, message, source, span).with_help(help);
            }
            let help = chinese_unit_help(word)
                .or_else(|| unclosed_block_help(word, &expected))
                .or_else(|| unclosed_at_end_help(text.get(pos..).unwrap_or_default(), &expected))
                .or_else(|| veto_before_points_help(word, &expected))
                .or_else(|| partial_percent_help(text.get(..pos).unwrap_or_default(), word, &expected))
                .or_else(|| unclosed_string_help(text.get(..pos).unwrap_or_default()))
                .or_else(|| hyphen_in_name_help(text, pos, &expected))
                .or_else(|| word_help(word, &expected))
                .or_else(|| days_help(&expected))
                .or_else(|| keyword_help(word, &expected));
            (Span::new(pos, end), found_at(text, pos), help)
        }
    };
    let message = match expected.as_slice() {
        [] => format!("unexpected {found}"),
        list => format!("expected {}, found {found}", names::one_of(list)),
    };
    Error::at(ErrorKind::Syntax, message, source, span).with_help_if(help)
}

/// "did you mean `when`?" for a misspelt keyword (`whenn`, `rescaled`):
/// the keywords are the first words of what was expected (`` `partial F
/// when …` ``).
fn keyword_help(word: &str, expected: &[String]) -> Option<String> {
    if !word.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
        return None;
    }
    let keywords = expected.iter().filter_map(|e| {
        let first = e.strip_prefix('`')?.split(['`', ' ']).next()?;
        first.bytes().all(|b| b.is_ascii_lowercase() || b == b'_').then_some(first)
    });
    crate::suggest::did_you_mean(word, keywords)
}

/// Statement keywords that start a line and take a name or an expression
/// after them, so that letters run on (`requires x`) read as a name.
const STATEMENT_KEYWORDS: [&str; 5] = ["require", "partial", "evidence", "when", "ref"];

/// Letters run on to a keyword that are likelier a slip than a name:
/// `requires`, `partials`, `refs`.
fn is_run_on(rest: &str) -> bool {
    (1..=2).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_lowercase())
}

/// A statement keyword with letters run on (`requires x`), standing at the
/// start of its line before the failure at `pos`: the grammar read the
/// letters as a name and failed after it.
fn run_on_keyword(text: &str, pos: usize) -> Option<(Span, String, String)> {
    let before = text.get(..pos)?.trim_end();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let start = before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    let word = before.get(start..)?;
    let line_start = before.get(..start)?.trim_end_matches([' ', '\t']);
    if !(line_start.is_empty() || line_start.ends_with(['\n', '{'])) {
        return None;
    }
    let keyword = STATEMENT_KEYWORDS.into_iter().find(|k| word.strip_prefix(k).is_some_and(is_run_on))?;
    let span = Span::new(start, start + word.len());
    Some((span, format!("`{word}` is not a keyword"), format!("did you mean `{keyword}`?")))
}

/// The escapes a string may hold, as the grammar's `string` rule reads them.
const ESCAPES: [char; 4] = ['"', '\\', 'n', 't'];

/// A string starting at `pos` that fails on an escape the grammar does not
/// know (`"低\q"`): pest fails the whole string at its opening quote, so
/// this points at the backslash and says which escapes there are.
fn bad_escape(source: &Arc<Source>, pos: usize) -> Option<Error> {
    let string = source.text.get(pos..)?.strip_prefix('"')?;
    let mut chars = string.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\n' => return None,
            '\\' => match chars.next() {
                Some((_, e)) if ESCAPES.contains(&e) => {}
                Some((_, e)) if e != '\n' && e != '\r' => {
                    let at = pos + 1 + i;
                    let mut shown = String::new();
                    crate::error::push_visible(&mut shown, e);
                    let message = format!("unknown escape `\\{shown}` in a string");
                    let help = "a string may hold the escapes `\\\"`, `\\\\`, `\\n` and `\\t`; write a backslash itself as `\\\\`";
                    let span = Span::new(at, at + 1 + e.len_utf8());
                    return Some(Error::at(ErrorKind::Syntax, message, source, span).with_help(help));
                }
                _ => return None,
            },
            _ => {}
        }
    }
    None
}

/// A `table` or `const` where a rulebook's items may stand: they belong in
/// a module, and the list of what may stand there, cut short, would not
/// say so.
fn module_item_in_rulebook(word: &str, expected: &[String]) -> Option<(String, &'static str)> {
    if !matches!(word, "table" | "const") || !expected.iter().any(|e| e == "an `area`") {
        return None;
    }
    Some((
        format!("a `{word}` belongs in a `module`, not in a rulebook"),
        "declare tables and constants in a `module` and read them after `use MODULE`; in a rulebook, `let name = …` names a value",
    ))
}

/// Blocks that stand only at the top of a rulebook or in an area: one
/// found where a `}` could close the block before is most likely after a
/// `}` left out, the usual slip when a clause is copied or cut.
const BLOCK_KEYWORDS: [&str; 4] = ["clause", "area", "scoring", "facts"];

fn unclosed_block_help(word: &str, expected: &[String]) -> Option<String> {
    let closable = expected.iter().any(|e| e == "`}`");
    let allowed_here = expected.iter().any(|e| e.contains(&format!("`{word}")));
    (BLOCK_KEYWORDS.contains(&word) && closable && !allowed_here)
        .then(|| format!("`{word}` cannot stand here: is the `}}` that closes the block above it missing?"))
}

/// Help where the file ends while a `}` could still close a block: `rest`
/// is the source from the failure on.
fn unclosed_at_end_help(rest: &str, expected: &[String]) -> Option<String> {
    (rest.trim().is_empty() && expected.iter().any(|e| e == "`}`"))
        .then(|| "the file ends inside a block: a `}` is missing, most likely that of a block opened above".to_string())
}

/// Help for `veto` written before a clause's points (`… veto points 2`):
/// the grammar takes the points first, so `veto` alone reads as a slip.
fn veto_before_points_help(word: &str, expected: &[String]) -> Option<String> {
    (word == "veto" && expected.iter().any(|e| e == "`points N`"))
        .then(|| "write `veto` after the points: `points 2 veto`".to_string())
}

/// Help for a partial credit written as a percentage (`partial 50 %
/// when …`): the credit is a fraction of the points, so the help gives
/// `partial 0.5`. `before` is the source up to the `%`.
fn partial_percent_help(before: &str, word: &str, expected: &[String]) -> Option<String> {
    if word != "%" || !expected.iter().any(|e| e == "`when …`") {
        return None;
    }
    let mut words = before.split_whitespace().rev();
    let (number, keyword) = (words.next()?, words.next()?);
    let fraction = Num::parse(number)?.checked_div(Num::int(100))?;
    (keyword == "partial").then(|| format!("partial credit is a fraction of the points: `partial {fraction} when …`"))
}

/// Help for a title whose closing quote is left out (`"运行台账 en
/// "Operating log"`): the string ran on to the English one's opening
/// quote, and its words are found where `en` or `{` was expected.
/// `before` is the source up to the failure.
fn unclosed_string_help(before: &str) -> Option<String> {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let run_on = line.trim_end().strip_suffix('"')?.trim_end().ends_with(" en");
    run_on.then(|| "a string is not closed: is the `\"` before ` en` missing?".to_string())
}

/// Help for a name with a hyphen (`coal-fired` as a choice or a fact),
/// found at the `-` at `pos`: names take letters, digits and `_`; a code
/// that needs a hyphen is written in quotes.
fn hyphen_in_name_help(text: &str, pos: usize, expected: &[String]) -> Option<String> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let (before, after) = (text.get(..pos)?, text.get(pos..)?.strip_prefix('-')?);
    let head = before.rsplit(|c: char| !is_name(c)).next().filter(|h| !h.is_empty())?;
    let tail = after.split(|c: char| !is_name(c)).next().filter(|t| !t.is_empty())?;
    let name = format!("a name takes letters, digits and `_`, not `-`: write `{head}_{tail}`");
    if expected.iter().any(|e| e.contains("string in quotes")) {
        Some(format!("{name}, or the choice's code in quotes (`\"{head}-{tail}\"`)"))
    } else {
        expected.iter().any(|e| e == "`:`").then_some(name)
    }
}

/// Help where a fix's period must end in `days` (`within 5 h`).
fn days_help(expected: &[String]) -> Option<String> {
    expected
        .iter()
        .any(|e| e == names::DAYS)
        .then(|| "a fix period is a whole number of days, as in `within 5 days`".to_string())
}

/// Units written in Chinese (`8 米`, `within 90 天`), and the symbol to
/// write instead.
const CHINESE_UNITS: &[(&str, &str)] = &[
    ("米", "m"),
    ("厘米", "cm"),
    ("毫米", "mm"),
    ("千米", "km"),
    ("公里", "km"),
    ("平方米", "m²"),
    ("立方米", "m³"),
    ("升", "L"),
    ("吨", "t"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("克", "g"),
    ("毫克", "mg"),
    ("微克", "µg"),
    ("天", "days"),
    ("日", "days"),
    ("小时", "h"),
    ("分钟", "min"),
    ("秒", "s"),
    ("年", "a"),
    ("分贝", "dB(A)"),
    ("摄氏度", "°C"),
    ("度", "°C"),
    ("℃", "°C"),
    ("％", "%"),
];

fn chinese_unit_help(word: &str) -> Option<String> {
    let (_, symbol) = CHINESE_UNITS.iter().find(|(zh, _)| *zh == word)?;
    Some(format!("units are written as symbols: `{symbol}` for `{word}`"))
}

/// Help for a word where something else was `expected`: `5 parsecs` is a
/// word where a number's unit may stand that is not one; where an
/// operator may stand too, `adn` is more likely a slip of `and`.
fn word_help(word: &str, expected: &[String]) -> Option<String> {
    let unit_expected = expected.iter().any(|e| e == "a unit");
    if !unit_expected || !word.starts_with(char::is_alphabetic) || crate::units::Unit::parse(word).is_ok() {
        return None;
    }
    // `5 ml`: a unit in the wrong case, rather than a slip of `or`.
    if let Some(meant) = crate::units::spelt_otherwise(word) {
        return Some(format!("`{word}` is not a unit ecorule knows: did you mean `{meant}`?"));
    }
    let operators = ["and", "or", "in", "then", "else"];
    // An operator is a slip of an ASCII word, not of `米`.
    let operator = expected.iter().any(|e| e == "an operator") && word.is_ascii();
    operator.then(|| crate::suggest::did_you_mean(word, operators)).flatten().or_else(|| {
        Some(format!("`{word}` is not a unit ecorule knows: the units are listed under Units in docs/language.md"))
    })
}

/// Characters that look like a space or like nothing, which editors and
/// copied text bring in, by name.
const ODD_SPACES: &[(char, &str)] = &[
    ('\u{a0}', "a no-break space"),
    ('\u{3000}', "a full-width space"),
    ('\u{2002}', "an en space"),
    ('\u{2003}', "an em space"),
    ('\u{2009}', "a thin space"),
    ('\u{202f}', "a narrow no-break space"),
    ('\u{200b}', "a zero-width space"),
    ('\u{200c}', "a zero-width non-joiner"),
    ('\u{200d}', "a zero-width joiner"),
    ('\u{2060}', "a word joiner"),
    ('\u{feff}', "a zero-width no-break space"),
];

/// Full-width punctuation and what to write instead.
const FULL_WIDTH: &[(char, &str)] = &[
    ('：', ":"),
    ('，', ","),
    ('“', "\""),
    ('”', "\""),
    ('（', "("),
    ('）', ")"),
    ('｛', "{"),
    ('｝', "}"),
    ('＝', "="),
    ('＞', ">"),
    ('＜', "<"),
];

/// Where a source that does not parse fails, and what could stand there.
struct Failure {
    pos: usize,
    /// Human names of the alternatives, punctuation first.
    expected: Vec<String>,
    /// Whether a binary operator could stand there.
    operator_expected: bool,
}

fn parse_failure(text: &str) -> Option<Failure> {
    // Parse again with pest's detailed attempts on, only on the error path.
    pest::set_error_detail(true);
    let error = Grammar::parse(Rule::file, text).err();
    pest::set_error_detail(false);
    let error = error?;
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    if let Some(failure) =
        error.parse_attempts().and_then(|a| literal_failure(a.max_position, &a.expected_tokens(), pos))
    {
        return Some(failure);
    }
    // Closing brackets and separators first (the usual slip), then what
    // the grammar rules at that point would accept.
    let mut expected: Vec<String> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            if PUNCTUATION.contains(&token.as_str()) {
                expected.push(format!("`{token}`"));
            }
        }
    }
    let mut operator_expected = false;
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        expected.extend(positives.iter().filter_map(|r| names::rule_name(*r)).map(str::to_string));
        operator_expected = positives.contains(&Rule::op);
    }
    let mut seen = std::collections::HashSet::new();
    expected.retain(|e| seen.insert(e.clone()));
    // Where an expression or an operator may stand, a `(` would start a
    // group or a call's arguments: saying so only lengthens the list.
    if expected.iter().any(|e| e == "an expression" || e == "an operator") {
        expected.retain(|e| e != "`(`");
    }
    Some(Failure { pos, expected, operator_expected })
}

/// Pest places an error at the furthest *rule* it tried. A keyword or
/// punctuation the grammar wanted further on (`points` after a clause's
/// title, `within` after a fix's title, `,` between two choices of an
/// enum) is a literal, tried later in the text than any rule: the failure
/// is there, and those literals are what was expected.
fn literal_failure(max_position: usize, tokens: &[impl ToString], rule_pos: usize) -> Option<Failure> {
    if max_position <= rule_pos {
        return None;
    }
    let mut expected: Vec<String> = Vec::new();
    for token in tokens {
        let name = match token.to_string().as_str() {
            "points" => "`points N`".to_string(),
            "within" => "`within N days`".to_string(),
            t if PUNCTUATION.contains(&t) => format!("`{t}`"),
            t if t.len() > 1 && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => format!("`{t}`"),
            // what `WHITESPACE` tries between any two tokens
            _ => continue,
        };
        if !expected.contains(&name) {
            expected.push(name);
        }
    }
    (!expected.is_empty()).then_some(Failure { pos: max_position, expected, operator_expected: false })
}

/// Operators of other languages that rulebook authors write by habit, with
/// the help their syntax error gets (`=` only where an operator could
/// stand: elsewhere it is the `=` of a `let` or `const`).
const SLIPS: &[(&str, &str)] = &[
    ("===", "to compare, write `==`"),
    ("&&", "write `and` for \"both\""),
    ("||", "write `or` for \"either\""),
    ("=", "to compare, write `==`: a single `=` only names a `let` or `const`"),
    ("!", "write `not` to negate, `!=` for \"differs from\""),
];

/// Whether a word of the language cannot name a fact, table, clause or
/// let. By length first: only the few words of that length are compared.
pub(crate) fn is_reserved(word: &str) -> bool {
    match word.len() {
        2 => matches!(word, "or" | "in" | "en" | "if"),
        3 => matches!(word, "and" | "not" | "fix" | "ref" | "per" | "let"),
        4 => matches!(word, "true" | "when" | "area" | "help" | "then" | "else"),
        5 => matches!(word, "false" | "grade"),
        6 => matches!(word, "within" | "clause" | "deduct"),
        7 => matches!(word, "require" | "partial" | "verdict"),
        8 => word == "evidence",
        9 => word == "otherwise",
        _ => false,
    }
}

/// Tokens worth naming in a syntax error; keywords and literals are named
/// by their grammar rules instead.
const PUNCTUATION: &[&str] = &["}", ")", "]", "{", "(", ",", "=>", "->", ":", "="];

fn found_at(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or_default();
    match rest.chars().next() {
        None => "the end of the file".to_string(),
        Some('\n' | '\r') => "the end of the line".to_string(),
        Some(_) => format!("`{}`", rest.get(..found_len(text, pos)).unwrap_or_default()),
    }
}

fn found_len(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or_default();
    // At most 40 bytes of the word, ending on a character boundary.
    let mut word = 0;
    for c in rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.') {
        if word + c.len_utf8() > 40 {
            break;
        }
        word += c.len_utf8();
    }
    if word > 0 { word } else { rest.chars().next().map_or(0, char::len_utf8) }
}

/// Builds the tree of one source: `'a` is the source text's lifetime.
struct Builder<'a, 'l> {
    source: &'a Arc<Source>,
    limits: &'l Limits,
    errors: Vec<Error>,
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// A pair's text and span, from one look-up of its ends.
fn spanned_str<'a>(pair: &Pair<'a, Rule>) -> Token<'a> {
    let s = pair.as_span();
    Spanned::new(s.as_str(), Span::new(s.start(), s.end()))
}

impl<'a> Builder<'a, '_> {
    fn error(&mut self, kind: ErrorKind, message: String, span: Span) {
        self.errors.push(Error::at(kind, message, self.source, span));
    }

    /// Records a second `version`, `scale` and the like.
    fn set_once<T>(&mut self, slot: &mut Option<T>, value: T, what: &str, span: Span) {
        if slot.is_some() {
            self.error(ErrorKind::Duplicate, format!("`{what}` is given twice"), span);
        } else {
            *slot = Some(value);
        }
    }

    fn file(&mut self, mut pairs: Pairs<'a, Rule>) -> Option<SourceFile<'a>> {
        let file = pairs.next()?;
        let item = file.into_inner().next()?;
        match item.as_rule() {
            Rule::module => Some(SourceFile::Module(self.module(item))),
            Rule::rulebook => Some(SourceFile::Rulebook(self.rulebook(item))),
            _ => None,
        }
    }

    fn title(&mut self, pair: Pair<'a, Rule>) -> Title<'a> {
        // `string (kw_en string)?`: the English string follows the keyword.
        let mut inner = pair.into_inner();
        let zh = inner.next().map(|p| self.string(p)).unwrap_or_else(empty_text);
        let en = inner.nth(1).map(|p| self.string(p));
        Title { zh, en }
    }

    fn string(&mut self, pair: Pair<'a, Rule>) -> Text<'a> {
        let Spanned { node: text, span } = spanned_str(&pair);
        let raw = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        let out = if raw.contains('\\') { Cow::Owned(unescape(raw)) } else { Cow::Borrowed(raw) };
        if out.len() > self.limits.max_string_bytes {
            self.error(
                ErrorKind::SourceTooLarge,
                format!("string is longer than the limit of {} bytes", self.limits.max_string_bytes),
                span,
            );
        }
        Spanned::new(out, span)
    }

    /// Reports a keyword run into the word after it (`scale1` for
    /// `scale 1`, `usegb14554`): the grammar matches keywords as prefixes,
    /// so it reads them as two words. Called on the pair after a keyword;
    /// a name or number that starts right after a letter or digit can only
    /// have followed one.
    fn spaced(&mut self, pair: &Pair<'a, Rule>) {
        let text = self.source.text.as_str();
        let bytes = text.as_bytes();
        let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
        let start = pair.as_span().start();
        let glued =
            start.checked_sub(1).and_then(|i| bytes.get(i)).is_some_and(word) && bytes.get(start).is_some_and(word);
        if !glued {
            return;
        }
        let head = bytes.get(..start).unwrap_or_default();
        let keyword_start = head.iter().rposition(|b| !word(b)).map_or(0, |i| i + 1);
        let keyword = text.get(keyword_start..start).unwrap_or_default();
        // What follows, to its first space: `gb14554`, `0.5`, `stack.height`.
        let rest = pair.as_str().split(char::is_whitespace).next().unwrap_or_default();
        let end = start + rest.len();
        // `requires` alone reads as `require s`; a slip is likelier than a
        // one-letter name run into the keyword, so both are offered.
        let message = if STATEMENT_KEYWORDS.contains(&keyword) && is_run_on(rest) {
            format!(
                "`{keyword}{rest}` reads as `{keyword} {rest}`: write `{keyword}` if the `{rest}` is a slip, or \
                 `{keyword} {rest}` with a space"
            )
        } else {
            format!("`{keyword}{rest}` runs two words together: write `{keyword} {rest}`")
        };
        self.error(ErrorKind::Syntax, message, Span::new(keyword_start, end));
    }

    /// The text of a number, date or unit right after a keyword.
    fn token_after_keyword(&mut self, pair: &Pair<'a, Rule>) -> Token<'a> {
        self.spaced(pair);
        spanned_str(pair)
    }

    /// A literal right after a keyword (`min`, `max`).
    fn literal_after_keyword(&mut self, pair: Pair<'a, Rule>) -> Spanned<Literal<'a>> {
        self.spaced(&pair);
        self.literal(pair)
    }

    /// An expression right after a keyword (`require`, `per`).
    fn expr_after_keyword(&mut self, pair: Pair<'a, Rule>) -> Spanned<Expr<'a>> {
        self.spaced(&pair);
        self.expr(pair)
    }

    /// A name being declared (or used) right after a keyword.
    fn ident(&mut self, pair: Pair<'a, Rule>) -> Name<'a> {
        self.spaced(&pair);
        self.name(pair)
    }

    /// An enum value: a name, or a code in quotes (`"2"`), which is taken
    /// as written: not empty, without escapes, and within the length limit.
    fn variant_name(&mut self, pair: Pair<'a, Rule>) -> Name<'a> {
        if pair.as_rule() != Rule::string {
            return self.ident(pair);
        }
        let Spanned { node: text, span } = spanned_str(&pair);
        let code = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        let problem = if code.trim().is_empty() {
            Some("an enum value in quotes cannot be empty or blank")
        } else if code.contains('\\') {
            Some("an enum value in quotes is written as it is, without escapes")
        } else if code.len() > self.limits.max_string_bytes {
            Some("an enum value is longer than the limit")
        } else {
            None
        };
        if let Some(message) = problem {
            self.error(ErrorKind::Syntax, message.to_string(), span);
        }
        Spanned::new(code, span)
    }

    /// A name: not a reserved word, within the length limit.
    fn name(&mut self, pair: Pair<'a, Rule>) -> Name<'a> {
        let name = spanned_str(&pair);
        // A set of one char, not `split('.')`: names are short, and the
        // memchr search per segment that a single char gets cost more than
        // testing each character.
        if let Some(word) = name.node.split(['.']).find(|w| is_reserved(w)) {
            self.error(
                ErrorKind::Syntax,
                format!("`{word}` is a reserved word and cannot be used as a name"),
                name.span,
            );
        }
        if name.node.len() > self.limits.max_string_bytes {
            self.error(
                ErrorKind::SourceTooLarge,
                format!("name is longer than the limit of {} bytes", self.limits.max_string_bytes),
                name.span,
            );
        }
        name
    }

    fn module(&mut self, pair: Pair<'a, Rule>) -> Module<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let id = inner.next().map(|p| self.ident(p)).unwrap_or_else(missing_name);
        let title = inner.next().map(|p| self.title(p)).unwrap_or_else(empty_title);
        let mut module = Module { id, title, refs: Vec::new(), tables: Vec::new(), constants: Vec::new(), span };
        for item in inner {
            match item.as_rule() {
                Rule::ref_stmt => module.refs.push(self.first_string(item)),
                Rule::table => {
                    let table = self.table(item);
                    module.tables.push(table);
                }
                Rule::constant => {
                    let constant = self.constant(item);
                    module.constants.push(constant);
                }
                _ => {}
            }
        }
        self.count("tables", module.tables.len(), self.limits.max_tables, span);
        module
    }

    fn count(&mut self, what: &str, n: usize, max: usize, span: Span) {
        if n > max {
            self.error(ErrorKind::TooMany, format!("{n} {what}, more than the limit of {max}"), span);
        }
    }

    /// The title a statement holds (`unverified "原因" en "reason"`).
    fn first_title(&mut self, pair: Pair<'a, Rule>) -> Title<'a> {
        match pair.into_inner().next() {
            Some(p) => self.title(p),
            None => Title { zh: empty_text(), en: None },
        }
    }

    fn first_string(&mut self, pair: Pair<'a, Rule>) -> Text<'a> {
        match pair.into_inner().next() {
            Some(p) => self.string(p),
            None => empty_text(),
        }
    }

    fn table(&mut self, pair: Pair<'a, Rule>) -> Table<'a> {
        let span = span_of(&pair);
        let mut name = missing_name();
        let mut params = Vec::new();
        let mut result = None;
        let mut lookup = Spanned::new(Lookup::Exact, span);
        let mut refs = Vec::new();
        let mut unverified = None;
        let mut rows = Vec::new();
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::ident => name = self.ident(item),
                Rule::param => {
                    let mut p = item.into_inner();
                    let pname = p.next().map(|x| self.ident(x)).unwrap_or_else(missing_name);
                    let ty = p.next().map(|x| self.type_expr(x));
                    if let Some(ty) = ty {
                        params.push(Param { name: pname, ty });
                    }
                }
                Rule::type_expr => result = Some(self.type_expr(item)),
                Rule::lookup => {
                    let rule = match item.as_str() {
                        "nearest" => Lookup::Nearest,
                        "floor" => Lookup::Floor,
                        "linear" => Lookup::Linear,
                        _ => Lookup::Exact,
                    };
                    lookup = Spanned::new(rule, span_of(&item));
                }
                Rule::ref_stmt => refs.push(self.first_string(item)),
                Rule::unverified_stmt => {
                    let s = span_of(&item);
                    let reason = self.first_title(item);
                    self.set_once(&mut unverified, reason, "unverified", s);
                }
                Rule::row => {
                    let row_span = span_of(&item);
                    let mut literals: Vec<Spanned<Literal>> = item.into_inner().map(|l| self.literal(l)).collect();
                    if let Some(value) = literals.pop() {
                        rows.push(Row { keys: literals, value, span: row_span });
                    }
                }
                _ => {}
            }
        }
        let result = result.unwrap_or_else(|| Spanned::new(TypeExpr::Number, span));
        Table { name, params, result, lookup, refs, unverified, rows, span }
    }

    fn constant(&mut self, pair: Pair<'a, Rule>) -> Constant<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = inner.next().map(|p| self.ident(p)).unwrap_or_else(missing_name);
        let value = match inner.next() {
            Some(p) => self.literal(p),
            None => Spanned::new(Literal::Bool(false), span),
        };
        let mut refs = Vec::new();
        let mut unverified = None;
        for item in inner {
            match item.as_rule() {
                Rule::ref_stmt => refs.push(self.first_string(item)),
                Rule::unverified_stmt => {
                    let s = span_of(&item);
                    let reason = self.first_title(item);
                    self.set_once(&mut unverified, reason, "unverified", s);
                }
                _ => {}
            }
        }
        Constant { name, value, refs, unverified, span }
    }

    fn rulebook(&mut self, pair: Pair<'a, Rule>) -> Rulebook<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let id = inner.next().map(|p| self.ident(p)).unwrap_or_else(missing_name);
        let title = inner.next().map(|p| self.title(p)).unwrap_or_else(empty_title);
        let mut book = Rulebook {
            id,
            title,
            version: None,
            effective: None,
            uses: Vec::new(),
            refs: Vec::new(),
            facts: Vec::new(),
            lets: Vec::new(),
            scoring: None,
            areas: Vec::new(),
            facts_span: Span::default(),
            span,
        };
        for item in inner {
            let item_span = span_of(&item);
            match item.as_rule() {
                Rule::version_stmt => {
                    let v = self.first_string(item);
                    self.set_once(&mut book.version, v, "version", item_span);
                }
                Rule::effective_stmt => {
                    let d = item.into_inner().next().map(|p| self.token_after_keyword(&p));
                    if let Some(d) = d {
                        self.set_once(&mut book.effective, d, "effective", item_span);
                    }
                }
                Rule::use_stmt => {
                    for p in item.into_inner() {
                        let name = self.ident(p);
                        book.uses.push(name);
                    }
                }
                Rule::ref_stmt => book.refs.push(self.first_string(item)),
                Rule::facts => {
                    book.facts_span = item_span;
                    for decl in item.into_inner() {
                        let fact = self.fact(decl);
                        book.facts.push(fact);
                    }
                }
                Rule::let_stmt => {
                    let mut p = item.into_inner();
                    let name = p.next().map(|x| self.ident(x)).unwrap_or_else(missing_name);
                    let Some(value) = p.next().map(|x| self.expr(x)) else { continue };
                    let mut refs = Vec::new();
                    let mut unverified = None;
                    for attr in p {
                        let attr_span = span_of(&attr);
                        match attr.as_rule() {
                            Rule::ref_stmt => refs.push(self.first_string(attr)),
                            Rule::unverified_stmt => {
                                let reason = self.first_title(attr);
                                self.set_once(&mut unverified, reason, "unverified", attr_span);
                            }
                            _ => {}
                        }
                    }
                    book.lets.push(Let { name, value, refs, unverified });
                }
                Rule::scoring => {
                    let scoring = self.scoring(item);
                    self.set_once(&mut book.scoring, scoring, "scoring", item_span);
                }
                Rule::area => {
                    let area = self.area(item);
                    book.areas.push(area);
                }
                _ => {}
            }
        }
        let clauses: usize = book.areas.iter().map(|a| a.clauses.len()).sum();
        self.count("clauses", clauses, self.limits.max_clauses, span);
        self.count("facts", book.facts.len(), self.limits.max_facts, span);
        book
    }

    fn fact(&mut self, pair: Pair<'a, Rule>) -> FactDecl<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = inner.next().map(|p| self.ident(p)).unwrap_or_else(missing_name);
        let ty = match inner.next() {
            Some(p) => self.type_expr(p),
            None => Spanned::new(TypeExpr::Bool, span),
        };
        let (mut min, mut max, mut title, mut help) = (None, None, None, None);
        for p in inner {
            match p.as_rule() {
                Rule::fact_min => min = p.into_inner().next().map(|v| self.literal_after_keyword(v)),
                Rule::fact_max => max = p.into_inner().next().map(|v| self.literal_after_keyword(v)),
                Rule::title => title = Some(self.title(p)),
                _ => help = p.into_inner().next().map(|t| self.title(t)),
            }
        }
        let title = title.unwrap_or_else(empty_title);
        FactDecl { name, ty, min, max, title, help, span }
    }

    fn type_expr(&mut self, pair: Pair<'a, Rule>) -> Spanned<TypeExpr<'a>> {
        let span = span_of(&pair);
        let Some(inner) = pair.into_inner().next() else {
            return Spanned::new(TypeExpr::Number, span);
        };
        let ty = match inner.as_rule() {
            Rule::list_type => {
                let elem = inner.into_inner().next().map(|p| {
                    self.spaced(&p);
                    self.scalar_type(p)
                });
                TypeExpr::List(Box::new(elem.unwrap_or(TypeExpr::Number)))
            }
            _ => self.scalar_type(inner),
        };
        Spanned::new(ty, span)
    }

    fn scalar_type(&mut self, pair: Pair<'a, Rule>) -> TypeExpr<'a> {
        match pair.as_rule() {
            Rule::quantity_type => {
                let unit = pair.into_inner().next().map(|p| self.token_after_keyword(&p));
                TypeExpr::Quantity(unit.unwrap_or_else(|| Spanned::new("", Span::default())))
            }
            Rule::enum_type => {
                let mut variants = Vec::new();
                for v in pair.into_inner() {
                    let mut p = v.into_inner();
                    let name = p.next().map(|x| self.variant_name(x)).unwrap_or_else(missing_name);
                    let title = p.next().map(|x| self.title(x));
                    variants.push(EnumVariant { name, title });
                }
                TypeExpr::Enum(variants)
            }
            _ => match pair.as_str().trim() {
                "bool" => TypeExpr::Bool,
                "count" => TypeExpr::Count,
                "text" => TypeExpr::Text,
                "date" => TypeExpr::Date,
                "duration" => TypeExpr::Duration,
                _ => TypeExpr::Number,
            },
        }
    }

    fn scoring(&mut self, pair: Pair<'a, Rule>) -> Scoring<'a> {
        let span = span_of(&pair);
        let mut scoring = Scoring {
            scale: None,
            not_applicable: None,
            grades: Vec::new(),
            verdicts: Vec::new(),
            deductions: Vec::new(),
            span,
        };
        for item in pair.into_inner() {
            // After `otherwise` or a not-applicable policy.
            self.spaced(&item);
            let item_span = span_of(&item);
            match item.as_rule() {
                Rule::scale_stmt => {
                    if let Some(n) = item.into_inner().next() {
                        let n = self.token_after_keyword(&n);
                        self.set_once(&mut scoring.scale, n, "scale", item_span);
                    }
                }
                Rule::na_stmt => {
                    let policy = item.into_inner().next().map(|p| {
                        self.spaced(&p);
                        p.as_str()
                    });
                    let policy = match policy {
                        Some("zero") => NaPolicy::Zero,
                        Some("full") => NaPolicy::Full,
                        _ => NaPolicy::Rescale,
                    };
                    let policy = Spanned::new(policy, item_span);
                    self.set_once(&mut scoring.not_applicable, policy, "not_applicable", item_span);
                }
                Rule::grade_stmt => {
                    let outcome = self.outcome(item);
                    scoring.grades.push(outcome);
                }
                Rule::verdict_stmt => {
                    let outcome = self.outcome(item);
                    scoring.verdicts.push(outcome);
                }
                Rule::deduct_stmt => {
                    let deduction = self.deduction(item);
                    scoring.deductions.push(deduction);
                }
                _ => {}
            }
        }
        scoring
    }

    fn outcome(&mut self, pair: Pair<'a, Rule>) -> Outcome<'a> {
        let mut span = span_of(&pair);
        let (mut id, mut title, mut condition) = (missing_name(), None, None);
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::ident => id = self.ident(item),
                Rule::title => title = Some(self.title(item)),
                Rule::condition => condition = children(item).find(|p| p.as_rule() == Rule::expr).map(|e| self.expr(e)),
                _ => {}
            }
        }
        // Pest's span of a statement ending in a bare name (`when vetoed`)
        // takes the whitespace after it; the condition's own span does not.
        if let Some(c) = &condition {
            span.end = c.span.end;
        }
        Outcome { id, title, condition, span }
    }

    fn deduction(&mut self, pair: Pair<'a, Rule>) -> Deduction<'a> {
        let span = span_of(&pair);
        let mut id = missing_name();
        let mut title = empty_title();
        let mut points = Spanned::new("0", span);
        let mut basis = None;
        let mut max = None;
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::ident => id = self.ident(item),
                Rule::title => title = self.title(item),
                Rule::number => points = spanned_str(&item),
                Rule::deduct_per | Rule::deduct_when => {
                    let per = item.as_rule() == Rule::deduct_per;
                    if let Some(e) = children(item).next() {
                        let e = self.expr_after_keyword(e);
                        basis = Some(if per { DeductionBasis::Per(e) } else { DeductionBasis::When(e) });
                    }
                }
                Rule::deduct_max => {
                    max = item.into_inner().next().map(|p| self.token_after_keyword(&p));
                }
                _ => {}
            }
        }
        let basis =
            basis.unwrap_or_else(|| DeductionBasis::When(Spanned::new(Expr::Literal(Literal::Bool(false)), span)));
        Deduction { id, title, points, basis, max, span }
    }

    fn area(&mut self, pair: Pair<'a, Rule>) -> Area<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let id = inner.next().map(|p| self.ident(p)).unwrap_or_else(missing_name);
        let title = inner.next().map(|p| self.title(p)).unwrap_or_else(empty_title);
        let clauses = inner.map(|c| self.clause(c)).collect();
        Area { id, title, clauses, span }
    }

    fn clause(&mut self, pair: Pair<'a, Rule>) -> Clause<'a> {
        let span = span_of(&pair);
        let mut clause = Clause {
            id: missing_name(),
            title: empty_title(),
            points: Spanned::new("0", span),
            veto: false,
            refs: Vec::new(),
            evidence: Vec::new(),
            when: Vec::new(),
            require: Vec::new(),
            partials: Vec::new(),
            fix: None,
            span,
        };
        for item in pair.into_inner() {
            let item_span = span_of(&item);
            match item.as_rule() {
                Rule::ident => clause.id = self.ident(item),
                Rule::title => clause.title = self.title(item),
                Rule::number => {
                    clause.points = self.token_after_keyword(&item);
                }
                Rule::veto => clause.veto = true,
                Rule::ref_stmt => clause.refs.push(self.first_string(item)),
                Rule::evidence_stmt => {
                    if let Some(t) = item.into_inner().next() {
                        let t = self.title(t);
                        clause.evidence.push(t);
                    }
                }
                Rule::when_stmt | Rule::require_stmt => {
                    let is_when = item.as_rule() == Rule::when_stmt;
                    if let Some(e) = children(item).next() {
                        let e = self.expr_after_keyword(e);
                        if is_when { clause.when.push(e) } else { clause.require.push(e) }
                    }
                }
                Rule::partial_stmt => {
                    let mut p = children(item);
                    let fraction = p.next().map(|x| self.token_after_keyword(&x));
                    let condition = p.next().map(|x| self.expr(x));
                    if let (Some(fraction), Some(condition)) = (fraction, condition) {
                        clause.partials.push(Partial { fraction, condition });
                    }
                }
                Rule::fix_stmt => {
                    let mut p = children(item);
                    let action = p.next().map(|x| self.title(x)).unwrap_or_else(empty_title);
                    let within_days = p.next().map(|x| self.token_after_keyword(&x));
                    let within_days = within_days.unwrap_or_else(|| Spanned::new("0", item_span));
                    let fix = Fix { action, within_days };
                    self.set_once(&mut clause.fix, fix, "fix", item_span);
                }
                _ => {}
            }
        }
        clause
    }

    fn literal(&mut self, pair: Pair<'a, Rule>) -> Spanned<Literal<'a>> {
        let span = span_of(&pair);
        let inner = match pair.as_rule() {
            Rule::literal => pair.into_inner().next(),
            _ => Some(pair),
        };
        let Some(inner) = inner else {
            return Spanned::new(Literal::Bool(false), span);
        };
        let literal = match inner.as_rule() {
            Rule::date => Literal::Date(inner.as_str()),
            Rule::boolean => Literal::Bool(inner.as_str().starts_with('t')),
            Rule::string => Literal::Text(self.string(inner).node),
            _ => {
                // The sign, if any, runs straight into the number (`quantity`
                // is compound-atomic), so the value is one slice from the start.
                let (input, start) = (inner.get_input(), inner.as_span().start());
                let mut value = "";
                let mut unit = None;
                for part in inner.into_inner() {
                    match part.as_rule() {
                        Rule::number => value = input.get(start..part.as_span().end()).unwrap_or_default(),
                        Rule::unit => unit = Some(part.as_str()),
                        _ => {}
                    }
                }
                Literal::Number { value, unit }
            }
        };
        Spanned::new(literal, span)
    }

    // ─── Expressions ───────────────────────────────────────────────────────

    fn expr(&mut self, pair: Pair<'a, Rule>) -> Spanned<Expr<'a>> {
        let span = span_of(&pair);
        match self.climb(&mut tokens(pair), 0, 0) {
            Some((expr, _)) => expr,
            None => Spanned::new(Expr::Literal(Literal::Bool(false)), span),
        }
    }

    /// Precedence climbing over the flat `prefix* primary (infix prefix* primary)*`
    /// sequence. Returns the expression and its tree depth.
    ///
    /// `depth` counts nesting (brackets, calls, lists, `if`s, `not`s and
    /// `-`s), bounded by [`Limits::max_depth`]; the operators of a chain do
    /// not nest (this recursion goes no deeper than the precedence levels
    /// for them), but each is a level of the tree, whose depth is bounded by
    /// [`Limits::max_expr_depth`] for the stages after this one.
    fn climb(&mut self, cursor: &mut Cursor<'a>, min_prec: u8, depth: usize) -> Option<(Spanned<Expr<'a>>, usize)> {
        let (mut lhs, mut lhs_depth) = self.unary(cursor, depth)?;
        while let Some(op) = cursor.peek().and_then(|p| binary_op(&p)) {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            cursor.next();
            let (rhs, rhs_depth) = self.climb(cursor, prec + 1, depth)?;
            let span = lhs.span.to(rhs.span);
            lhs_depth = lhs_depth.max(rhs_depth) + 1;
            if self.too_long(lhs_depth, span) {
                return None;
            }
            lhs = Spanned::new(Expr::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span);
        }
        Some((lhs, lhs_depth))
    }

    /// Whether a tree of `depth` levels is deeper than
    /// [`Limits::max_expr_depth`] (an error then).
    fn too_long(&mut self, depth: usize, span: Span) -> bool {
        if depth <= self.limits.max_expr_depth {
            return false;
        }
        // Each operator of a chain is a level (`a + b + c` is
        // `(a + b) + c`), though nothing is bracketed.
        self.errors.push(
            Error::at(
                ErrorKind::TooDeep,
                format!("expression is deeper than the limit of {} levels", self.limits.max_expr_depth),
                self.source,
                span,
            )
            .with_help(
                "each operator of a chain is a level: bracket its halves, as in `(a + b) + (c + d)`, or write a long `and` or `or` chain as `all(a, b, …)` or `any(a, b, …)`",
            ),
        );
        true
    }

    /// Whether `depth` levels of nesting are more than [`Limits::max_depth`]
    /// (an error then).
    fn too_deep(&mut self, depth: usize, span: Span) -> bool {
        if depth > self.limits.max_depth {
            self.error(
                ErrorKind::TooDeep,
                format!("expression nests deeper than the limit of {}", self.limits.max_depth),
                span,
            );
            return true;
        }
        false
    }

    fn unary(&mut self, cursor: &mut Cursor<'a>, depth: usize) -> Option<(Spanned<Expr<'a>>, usize)> {
        let token = cursor.next()?;
        let start = span_of(&token);
        let op = match token.as_rule() {
            Rule::not => UnaryOp::Not,
            Rule::neg => UnaryOp::Neg,
            _ => return self.primary(token, cursor, depth),
        };
        if self.too_deep(depth, start) {
            return None;
        }
        let (operand, operand_depth) = match op {
            UnaryOp::Not => self.climb(cursor, NOT_PRECEDENCE, depth + 1)?,
            UnaryOp::Neg => self.unary(cursor, depth + 1)?,
        };
        let span = start.to(operand.span);
        if self.too_long(operand_depth + 1, span) {
            return None;
        }
        Some((Spanned::new(Expr::Unary { op, expr: Box::new(operand) }, span), operand_depth + 1))
    }

    fn primary(
        &mut self,
        pair: Pair<'a, Rule>,
        cursor: &mut Cursor<'a>,
        depth: usize,
    ) -> Option<(Spanned<Expr<'a>>, usize)> {
        let mut span = span_of(&pair);
        // A name followed by `args` is a call; its span runs to the `)`.
        let args = match pair.as_rule() {
            Rule::var | Rule::name if cursor.peek().is_some_and(|p| p.as_rule() == Rule::args) => cursor.next(),
            _ => None,
        };
        if let Some(args) = &args {
            span = span.to(span_of(args));
        }
        if self.too_deep(depth, span) {
            return None;
        }
        let (expr, tree_depth) = match pair.as_rule() {
            Rule::group => {
                let inner = pair.into_inner().next()?;
                let (e, d) = self.climb(&mut tokens(inner), 0, depth + 1)?;
                (Expr::Group(Box::new(e)), d + 1)
            }
            Rule::list => {
                let mut items = Vec::new();
                let mut deepest = 0;
                for item in pair.into_inner() {
                    let (e, d) = self.climb(&mut tokens(item), 0, depth + 1)?;
                    deepest = deepest.max(d);
                    items.push(e);
                }
                (Expr::List(items), deepest + 1)
            }
            Rule::if_expr => {
                let mut parts = Vec::with_capacity(3);
                let mut deepest = 0;
                for part in children(pair) {
                    let (e, d) = self.climb(&mut tokens(part), 0, depth + 1)?;
                    deepest = deepest.max(d);
                    parts.push(Box::new(e));
                }
                let mut parts = parts.into_iter();
                let (Some(cond), Some(then), Some(otherwise)) = (parts.next(), parts.next(), parts.next()) else {
                    return None;
                };
                (Expr::If { cond, then, otherwise }, deepest + 1)
            }
            Rule::var | Rule::name if args.is_some() => {
                let func = self.name(pair);
                let mut call_args = Vec::new();
                let mut deepest = 0;
                for arg in args.into_iter().flat_map(Pair::into_inner) {
                    let (e, d) = self.climb(&mut tokens(arg), 0, depth + 1)?;
                    deepest = deepest.max(d);
                    call_args.push(e);
                }
                (Expr::Call { func, args: call_args }, deepest + 1)
            }
            Rule::var | Rule::name => (Expr::Name(self.name(pair).node), 1),
            _ => (Expr::Literal(self.literal(pair).node), 1),
        };
        if self.too_long(tree_depth, span) {
            return None;
        }
        Some((Spanned::new(expr, span), tree_depth))
    }
}

/// The flat token sequence of an `expr` pair.
type Cursor<'i> = Pairs<'i, Rule>;

/// The tokens of an `expr`: operators and primaries, never keyword pairs
/// (`if` has its own `if_expr` pair), so nothing needs filtering out.
fn tokens(expr: Pair<'_, Rule>) -> Cursor<'_> {
    expr.into_inner()
}

/// The operator an `op` token spells; `None` for any other pair.
fn binary_op(pair: &Pair<'_, Rule>) -> Option<BinaryOp> {
    if pair.as_rule() != Rule::op {
        return None;
    }
    Some(match pair.as_str() {
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "==" => BinaryOp::Eq,
        "!=" | "≠" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" | "≤" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" | "≥" => BinaryOp::Ge,
        "in" => BinaryOp::In,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" | "×" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        _ => return None,
    })
}

/// The children of a pair, without keyword pairs, which carry no content:
/// for the rules that have them among their children (`when`, `partial`
/// and `fix` statements, conditions, `if` expressions). The other rules'
/// children are read with `into_inner()`, which saves testing each one.
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| {
        !matches!(p.as_rule(), Rule::kw_when | Rule::kw_en | Rule::days | Rule::kw_if | Rule::kw_then | Rule::kw_else)
    })
}

/// The text of a string literal with its escapes (`\"`, `\\`, `\n`, `\t`) resolved.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn missing_name<'a>() -> Name<'a> {
    Spanned::new("", Span::default())
}

fn empty_text<'a>() -> Text<'a> {
    Spanned::new(Cow::Borrowed(""), Span::default())
}

fn empty_title<'a>() -> Title<'a> {
    Title { zh: empty_text(), en: None }
}

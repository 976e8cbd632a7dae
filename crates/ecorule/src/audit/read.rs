//! Audit text to an [`AuditInput`]: JSON read with every number as
//! written, TOML read likewise, and the errors for text that is neither,
//! located at its line and column.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::AuditInput;
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::limits::Limits;
use crate::num::Num;
use crate::span::{Source, Span, ceil_char_boundary, floor_char_boundary};

/// An audit's text within `limits`, without a byte-order mark, to parse.
fn audit_text<'a>(text: &'a str, limits: &Limits) -> Result<&'a str, Error> {
    within_audit_bytes(text.len(), limits)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// An audit of `size` bytes, if that is within `limits`.
fn within_audit_bytes(size: usize, limits: &Limits) -> Result<(), Error> {
    if size > limits.max_audit_bytes {
        let limit = limits.max_audit_bytes;
        return Err(Error::new(
            ErrorKind::AuditTooLarge,
            format!("the audit is {size} bytes, more than the limit of {limit} bytes"),
        )
        .with_zh(format!("审核有 {size} 字节，超过 {limit} 字节的上限")));
    }
    Ok(())
}

impl AuditInput {
    /// Parses JSON text, with the size limits of `limits`.
    pub fn from_json(text: &str, limits: &Limits) -> Result<AuditInput, Error> {
        AuditInput::from_json_named("audit", text, limits)
    }

    /// [`AuditInput::from_json`] of bytes as received (a request body).
    /// Bytes over [`Limits::max_audit_bytes`] are refused before they are
    /// decoded; bytes that are not UTF-8 are an [`ErrorKind::Audit`] error
    /// that says where the first invalid byte is ([`Error::not_utf8`]).
    ///
    /// ```
    /// use ecorule::{AuditInput, ErrorKind, Limits};
    ///
    /// let limits = Limits::default();
    /// assert!(AuditInput::from_json_bytes(br#"{"facts": {"ok": true}}"#, &limits).is_ok());
    /// let e = AuditInput::from_json_bytes(b"{\"facts\": \"caf\xe9\"}", &limits).err().ok_or("not an error")?;
    /// assert_eq!(e.kind(), ErrorKind::Audit);
    /// assert_eq!(e.message(), "the audit is not UTF-8 text (invalid byte at line 1, column 15)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_bytes(bytes: &[u8], limits: &Limits) -> Result<AuditInput, Error> {
        AuditInput::from_json_bytes_named("audit", bytes, limits)
    }

    /// [`AuditInput::from_json_bytes`], an error in the JSON located in
    /// `name` as [`AuditInput::from_json_named`] locates it: the Python
    /// binding names bytes given as an audit `<string>`, as it names text.
    /// Bytes that are not UTF-8 are `the audit` whatever `name` is.
    pub fn from_json_bytes_named(name: &str, bytes: &[u8], limits: &Limits) -> Result<AuditInput, Error> {
        within_audit_bytes(bytes.len(), limits)?;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::not_utf8(ErrorKind::Audit, Labels::new("the audit", "审核"), bytes, &e))?;
        AuditInput::from_json_named(name, text, limits)
    }

    /// [`AuditInput::from_json`] of text read from `name` (a file's path):
    /// an error in the JSON points into `name`, so a caller scoring many
    /// files can tell which one is malformed, and where.
    pub fn from_json_named(name: &str, text: &str, limits: &Limits) -> Result<AuditInput, Error> {
        let text = audit_text(text, limits)?;
        // serde_json reads numbers through a double unless its
        // `arbitrary_precision` is on, which a library must not turn on for
        // every crate of the program it is linked in (it breaks numbers
        // under `#[serde(flatten)]` and untagged enums). So the numbers are
        // taken as written from the text, in the order the parser meets them.
        let numbers = written_numbers(text);
        let readable = readable_numbers(text, &numbers);
        let mut input: AuditInput = serde_json::from_str(&readable).map_err(|e| match e.classify() {
            // The JSON reader's own limit (128), met before ours can be:
            // the same error as a nesting over ours.
            serde_json::error::Category::Syntax if e.to_string().starts_with("recursion limit exceeded") => {
                too_deep_json(name, text, &e, limits.max_depth.min(JSON_DEPTH))
            }
            _ => not_json(name, text, &e),
        })?;
        input.check_size(limits)?;
        input.restore_numbers(text, &numbers);
        Ok(input)
    }

    /// Parses TOML text read from `name` (a file's path), as
    /// [`AuditInput::from_json_named`] parses JSON: the size limits of
    /// `limits`, and an error in the TOML located in `name` (a line, a
    /// column and an excerpt). The CLI and the Python binding read `.toml`
    /// audits with it.
    ///
    /// ```
    /// use ecorule::{AuditInput, Limits};
    ///
    /// let limits = Limits::default();
    /// let input = AuditInput::from_toml_named("a.toml", "[facts]\n\"stack.height\" = \"25 m\"\n", &limits)?;
    /// assert!(matches!(input, AuditInput::Map(_)));
    /// let e = AuditInput::from_toml_named("a.toml", "[facts\n", &limits).err().ok_or("not an error")?;
    /// assert_eq!((e.source_name(), e.line_col()), (Some("a.toml"), Some((1, 7))));
    /// assert!(e.message().starts_with("the audit is not valid TOML: "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml_named(name: &str, text: &str, limits: &Limits) -> Result<AuditInput, Error> {
        let text = audit_text(text, limits)?;
        let document: toml_edit::DocumentMut = text.parse().map_err(|e| not_toml(name, text, &e, limits))?;
        let input = from_toml_table(document.as_table());
        input.check_size(limits)?;
        Ok(input)
    }
}

impl<'de> Deserialize<'de> for AuditInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InputVisitor)
    }
}

struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = AuditInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an audit value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<AuditInput, E> {
        Ok(AuditInput::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<AuditInput, E> {
        Ok(AuditInput::Number(Ok(Num::int(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<AuditInput, E> {
        Ok(written_number(v.to_string()))
    }

    // A `serde_json::Value` holding an integer past 64 bits gives it so.
    fn visit_i128<E>(self, v: i128) -> Result<AuditInput, E> {
        Ok(written_number(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<AuditInput, E> {
        Ok(written_number(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<AuditInput, E> {
        Ok(AuditInput::Number(Num::from_f64(v).ok_or_else(|| v.to_string())))
    }

    fn visit_str<E>(self, v: &str) -> Result<AuditInput, E> {
        Ok(AuditInput::Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<AuditInput, E> {
        Ok(AuditInput::Text(v))
    }

    fn visit_none<E>(self) -> Result<AuditInput, E> {
        Ok(AuditInput::Null)
    }

    fn visit_unit<E>(self) -> Result<AuditInput, E> {
        Ok(AuditInput::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AuditInput, D::Error> {
        AuditInput::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AuditInput, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(AuditInput::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AuditInput, A::Error> {
        let mut entries: Vec<(String, AuditInput)> = Vec::new();
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.is_new(&entries, &key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value: AuditInput = map.next_value()?;
            entries.push((key, value));
        }
        // JSON numbers as written (serde_json's `arbitrary_precision`)
        // arrive as a one-key map.
        if let [(key, AuditInput::Text(text))] = entries.as_slice()
            && key == "$serde_json::private::Number"
        {
            return Ok(written_number(text.clone()));
        }
        Ok(AuditInput::Map(entries))
    }
}

/// Where the numbers of JSON `text` are written, in order: a number
/// starts with `-` or a digit outside a string, and runs over the
/// characters a JSON number may have. For valid JSON these are exactly its
/// numbers, in the order a parser reads them.
fn written_numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i - 1;
                while bytes.get(i).is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
                    i += 1;
                }
                numbers.push((start, i));
            }
            _ => {}
        }
    }
    numbers
}

/// `text` with each number a double cannot hold (`1e400`) written `0` and
/// padded to its length, so that serde_json, which refuses such a number
/// when it reads through doubles, reads the rest, and its errors keep their
/// lines and columns; the number itself is taken from `text` after.
fn readable_numbers<'a>(text: &'a str, numbers: &[(usize, usize)]) -> Cow<'a, str> {
    let huge = |&&(start, end): &&(usize, usize)| {
        text.get(start..end).and_then(|n| n.parse::<f64>().ok()).is_some_and(f64::is_infinite)
    };
    if !numbers.iter().any(|n| huge(&n)) {
        return Cow::Borrowed(text);
    }
    let mut readable = String::with_capacity(text.len());
    let mut at = 0;
    for &(start, end) in numbers.iter().filter(huge) {
        readable.push_str(text.get(at..start).unwrap_or_default());
        readable.push('0');
        readable.extend(std::iter::repeat_n(' ', end - start - 1));
        at = end;
    }
    readable.push_str(text.get(at..).unwrap_or_default());
    Cow::Owned(readable)
}

impl AuditInput {
    /// Puts back the numbers of a tree read from `text` as they are written
    /// there (`numbers`, from [`written_numbers`]), in the order written.
    fn restore_numbers(&mut self, text: &str, numbers: &[(usize, usize)]) {
        let mut numbers = numbers.iter().filter_map(|&(start, end)| text.get(start..end));
        let mut stack = vec![self];
        while let Some(value) = stack.pop() {
            match value {
                AuditInput::Number(n) => {
                    if let Some(written) = numbers.next() {
                        *n = Num::parse(written).ok_or_else(|| written.to_string());
                    }
                }
                AuditInput::List(items) => stack.extend(items.iter_mut().rev()),
                AuditInput::Map(entries) => stack.extend(entries.iter_mut().rev().map(|(_, v)| v)),
                AuditInput::Null | AuditInput::Bool(_) | AuditInput::Text(_) => {}
            }
        }
    }
}

/// A number as written, held as its text when it cannot be held exactly
/// (binding then names it).
fn written_number(text: String) -> AuditInput {
    AuditInput::Number(Num::parse(&text).ok_or(text))
}

/// The keys of an object being read: scanned while it is small, hashed
/// once it is not, so an object of many keys (the limits allow a million)
/// is not read in quadratic time.
#[derive(Default)]
struct SeenKeys(Option<HashSet<String>>);

impl SeenKeys {
    /// Keys scanned before they are hashed.
    const SCAN: usize = 16;

    /// Whether `key` is not among the keys of `entries`, the object so far.
    fn is_new(&mut self, entries: &[(String, AuditInput)], key: &str) -> bool {
        if let Some(set) = &mut self.0 {
            return set.insert(key.to_owned());
        }
        if entries.iter().any(|(k, _)| k == key) {
            return false;
        }
        if entries.len() >= Self::SCAN {
            let keys = entries.iter().map(|(k, _)| k.clone()).chain(std::iter::once(key.to_owned()));
            self.0 = Some(keys.collect());
        }
        true
    }
}

/// How deep the JSON reader nests before it stops (serde_json's limit): a
/// guard of the parser's stack, above the audit's own limit
/// ([`Limits::max_depth`], 64 by default), which [`AuditInput::check_size`]
/// applies once the text is read.
const JSON_DEPTH: usize = 128;

/// The error for audit text that is not JSON, at the place the parser
/// stopped (so it has a line, a column and an excerpt, as a rulebook's
/// syntax error has): the text is copied into a source only here.
#[cold]
fn not_json(name: &str, text: &str, e: &serde_json::Error) -> Error {
    if text.trim().is_empty() {
        return Error::new(ErrorKind::Audit, "the audit is empty").with_zh("审核为空").with_help_in(Some(Labels::new(
            "an audit is a JSON object with `audit` and `facts`",
            "审核是含 `audit` 与 `facts` 的 JSON 对象",
        )));
    }
    // The parser's own words stay English in both. Where it stopped is
    // said as the error's line and column say it (characters, where the
    // parser counts bytes; after the last character when the text ends
    // early, where the parser names the last character or the next line).
    let written = e.to_string();
    let what = written.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&written);
    let error = |at: Option<(usize, usize)>| match at {
        Some((line, column)) => {
            Error::new(ErrorKind::Audit, format!("the audit is not valid JSON: {what} at line {line} column {column}"))
                .with_zh(format!("审核不是有效的 JSON：{what}（第 {line} 行第 {column} 列）"))
        }
        None => Error::new(ErrorKind::Audit, format!("the audit is not valid JSON: {written}"))
            .with_zh(format!("审核不是有效的 JSON：{written}")),
    };
    placed_in_json(error, name, text, e)
}

/// [`Error::audit_too_deep`] for JSON text that nests deeper than the JSON
/// reader's own limit, which it meets before the audit's limit can be
/// counted: pointed at where the reader stopped, as a syntax error is, since
/// no path to it can be named without the values.
#[cold]
fn too_deep_json(name: &str, text: &str, e: &serde_json::Error, limit: usize) -> Error {
    placed_in_json(|_| Error::audit_too_deep(limit, None), name, text, e)
}

/// The error `error` makes of the line and column where the JSON reader
/// stopped, pointed there, when the reader names a line (the text is
/// copied into a source only then).
fn placed_in_json(
    error: impl FnOnce(Option<(usize, usize)>) -> Error,
    name: &str,
    text: &str,
    e: &serde_json::Error,
) -> Error {
    let Some(span) = json_span(text, e) else { return error(None) };
    let source = Source::new(name, text);
    error(Some(source.line_col(span.start))).placed(&source, span)
}

/// The character of `text` a JSON reader's error is at (it counts lines
/// from 1 and columns in bytes from 1), or `None` when it names no line.
/// For text that ends early it is just after the last character that is
/// not white space, where what is missing belongs (the reader itself
/// names that character, or the line after it).
fn json_span(text: &str, e: &serde_json::Error) -> Option<Span> {
    let line = e.line().checked_sub(1)?;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let at = if e.is_eof() { text.trim_end().len() } else { line_start + e.column().saturating_sub(1) };
    let at = floor_char_boundary(text, at.min(text.len()));
    let end = ceil_char_boundary(text, (at + 1).min(text.len()));
    Some(Span::new(at, end))
}

/// A TOML table as an audit object, keys in the order written. The parser
/// bounds how deep tables and arrays nest, and so this recursion.
fn from_toml_table<'a>(table: impl IntoIterator<Item = (&'a str, &'a toml_edit::Item)>) -> AuditInput {
    AuditInput::Map(table.into_iter().map(|(key, item)| (key.to_string(), from_toml_item(item))).collect())
}

fn from_toml_item(item: &toml_edit::Item) -> AuditInput {
    use toml_edit::Item;
    match item {
        Item::None => AuditInput::Null,
        Item::Value(value) => from_toml_value(value),
        Item::Table(table) => from_toml_table(table.iter()),
        Item::ArrayOfTables(tables) => AuditInput::List(tables.iter().map(|t| from_toml_table(t.iter())).collect()),
    }
}

fn from_toml_value(value: &toml_edit::Value) -> AuditInput {
    use toml_edit::Value;
    match value {
        Value::String(s) => AuditInput::Text(s.value().clone()),
        Value::Integer(n) => AuditInput::Number(Ok(Num::int(*n.value()))),
        // As written (`1_000.5`, `+2.5e-3`): a float's value would round
        // `14.9999999999999999` to 15. `inf` and `nan` are not numbers.
        Value::Float(f) => {
            let written = f.as_repr().and_then(|r| r.as_raw().as_str()).map(str::to_string);
            let written = written.unwrap_or_else(|| f.value().to_string());
            let digits = written.replace('_', "");
            AuditInput::Number(Num::parse(digits.strip_prefix('+').unwrap_or(&digits)).ok_or(written))
        }
        Value::Boolean(b) => AuditInput::Bool(*b.value()),
        Value::Datetime(d) => AuditInput::Text(d.value().to_string()),
        Value::Array(items) => AuditInput::List(items.iter().map(from_toml_value).collect()),
        Value::InlineTable(table) => {
            AuditInput::Map(table.iter().map(|(key, v)| (key.to_string(), from_toml_value(v))).collect())
        }
    }
}

/// The error for audit text that is not TOML, as [`not_json`] gives it:
/// the parser's message (which it would otherwise follow with the line it
/// quotes, cut by [`brief_lines`](crate::error::brief_lines)) at its span.
#[cold]
fn not_toml(name: &str, text: &str, e: &toml_edit::TomlError, limits: &Limits) -> Error {
    // The TOML reader's own limit on nesting, met before ours can be
    // counted: the same error as a nesting over ours, as for JSON, so a
    // service tells a hostile audit from a mistyped one by its kind.
    let error = if e.message().lines().any(|line| line.trim() == "recursion limit exceeded") {
        Error::audit_too_deep(limits.max_depth.min(TOML_DEPTH), None)
    } else {
        let why = crate::error::brief_lines(e.message().trim_end());
        Error::new(ErrorKind::Audit, format!("the audit is not valid TOML: {why}"))
            .with_zh(format!("审核不是有效的 TOML：{why}"))
    };
    let Some(range) = e.span() else {
        return error;
    };
    let at = floor_char_boundary(text, range.start.min(text.len()));
    // An empty span (at the end of the text, say) marks the character there.
    let end = ceil_char_boundary(text, range.end.max(at + 1).min(text.len()));
    error.placed(&Source::new(name, text), Span::new(at, end))
}

/// How deep the TOML reader nests arrays, inline tables and dotted keys
/// before it stops (toml_edit's limit), as [`JSON_DEPTH`] is the JSON
/// reader's.
const TOML_DEPTH: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bytes_are_read_as_json_text_is() {
        let limits = Limits::default();
        let text = "\u{feff}{\"facts\": {\"site.name\": \"Tromsø\", \"x\": 14.9999999999999999}}";
        let read = AuditInput::from_json_bytes(text.as_bytes(), &limits).ok();
        assert!(read.is_some());
        assert_eq!(read, AuditInput::from_json(text, &limits).ok());
        let broken = AuditInput::from_json_bytes(b"{\"facts\": ", &limits);
        assert!(broken.is_err());
        assert_eq!(broken, AuditInput::from_json("{\"facts\": ", &limits));
        let named = AuditInput::from_json_bytes_named("<string>", b"{\"facts\": ", &limits);
        assert_eq!(named, AuditInput::from_json_named("<string>", "{\"facts\": ", &limits));
        assert_eq!(named.err().and_then(|e| e.source_name().map(str::to_string)).as_deref(), Some("<string>"));
    }

    #[test]
    fn json_bytes_not_utf8_say_where() {
        let limits = Limits::default();
        let Err(e) = AuditInput::from_json_bytes(b"{\"facts\":\n {\"a\": \"\xd6\xd0\xce\xc4\"}}", &limits) else {
            unreachable!("GBK bytes read as UTF-8")
        };
        assert_eq!(e.kind(), ErrorKind::Audit);
        assert_eq!(e.message(), "the audit is not UTF-8 text (invalid byte at line 2, column 9)");
        assert_eq!(e.message_zh(), Some("审核不是 UTF-8 文本（第 2 行第 9 列有无效字节）"));
        assert!(e.help().is_some_and(|h| h.contains("GBK")));
        // Too many bytes are refused before they are decoded.
        let limits = Limits { max_audit_bytes: 3, ..Limits::default() };
        let e = AuditInput::from_json_bytes(b"\xff\xff\xff\xff", &limits).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::AuditTooLarge));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let limits = Limits::default();
        let err = AuditInput::from_json(r#"{"facts": {"a": 1, "a": 2}}"#, &limits);
        assert!(err.is_err_and(|e| e.message().contains("duplicate key `a`")));
    }

    #[test]
    fn numbers_are_exact() {
        let input = AuditInput::from_json("[0.1, 1e400, -0, 14.9999999999999999]", &Limits::default());
        let number = |text: &str| AuditInput::Number(Num::parse(text).ok_or_default());
        let want = [number("0.1"), AuditInput::Number(Err("1e400".into())), number("0"), number("14.9999999999999999")];
        assert_eq!(input.ok(), Some(AuditInput::List(want.to_vec())));
    }

    #[test]
    fn numbers_are_read_as_written_wherever_they_are() {
        let text = r#"{"k1\"2": [1E5, "3\\", {"4": 18446744073709551616123}], "-5": -0.50, "x": "6 m", "e": 7e-1}"#;
        let input = AuditInput::from_json(text, &Limits::default());
        let number = |text: &str| AuditInput::Number(Num::parse(text).ok_or_else(|| text.to_string()));
        let want = AuditInput::Map(vec![
            (
                "k1\"2".into(),
                AuditInput::List(vec![
                    number("1E5"),
                    AuditInput::Text("3\\".into()),
                    AuditInput::Map(vec![("4".into(), number("18446744073709551616123"))]),
                ]),
            ),
            ("-5".into(), number("-0.5")),
            ("x".into(), AuditInput::Text("6 m".into())),
            ("e".into(), number("0.7")),
        ]);
        assert_eq!(input.ok(), Some(want));
        // A number too large for a double does not move an error after it.
        let e = AuditInput::from_json("{\"a\": 1e400, \"b\": 2 m}", &Limits::default()).err();
        assert_eq!(e.as_ref().and_then(Error::line_col), Some((1, 21)), "at the `m`");
    }

    #[test]
    fn malformed_toml_is_located_as_json_is() {
        let limits = Limits::default();
        // After a byte-order mark and a line of Chinese: columns count characters.
        let text = "\u{feff}[audit]\nid = \"审核\" # 一\n[facts]\n\"fuel\" = \"煤\" m\n";
        let e = AuditInput::from_toml_named("a.toml", text, &limits).err();
        let got = e.as_ref().map(|e| (e.kind(), e.source_name(), e.line_col(), e.snippet()));
        assert_eq!(got, Some((ErrorKind::Audit, Some("a.toml"), Some((4, 14)), Some("\"fuel\" = \"煤\" m"))));
        let message = e.map(|e| e.message().to_string()).unwrap_or_default();
        assert!(message.starts_with("the audit is not valid TOML: "), "{message}");
        // The parser's own drawing of the line is left out: the error draws it.
        assert!(!message.contains("煤") && !message.contains(" | "), "{message}");
        // At the end of the text, and the same audit as JSON gives, when well-formed.
        let e = AuditInput::from_toml_named("b.toml", "[facts]\nx = ", &limits).err();
        assert_eq!(e.and_then(|e| e.line_col()), Some((2, 5)));
        let toml = AuditInput::from_toml_named("c.toml", "[facts]\nx = 1.50\ny = [\"a\"]\n", &limits);
        assert_eq!(toml.ok(), AuditInput::from_json(r#"{"facts": {"x": 1.50, "y": ["a"]}}"#, &limits).ok());
        let small = Limits { max_audit_bytes: 4, ..Limits::default() };
        let e = AuditInput::from_toml_named("d.toml", "[facts]\n", &small).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::AuditTooLarge));
    }

    #[test]
    fn a_json_value_of_a_large_integer_reads_as_its_text_does() {
        let limits = Limits::default();
        for text in ["300000000000000000000", "-300000000000000000000", "18446744073709551615"] {
            let value: Result<serde_json::Value, _> = serde_json::from_str(text);
            let from_value = value.ok().map(serde_json::from_value::<AuditInput>).and_then(Result::ok);
            assert_eq!(from_value, AuditInput::from_json(text, &limits).ok(), "{text}");
        }
    }

    #[test]
    fn toml_numbers_are_exact_as_json_numbers_are() {
        let limits = Limits::default();
        let toml = "[audit]\ndate = 2024-05-20\n[facts]\nh = 14.9999999999999999\nn = 0.30000000000000001\n\
                    big = 1_000.5\nsigned = +2.5e-3\nwhole = 7\nlist = [1.10, 2]\npipe = { d = 0.1 }\n\
                    [[stacks]]\nheight = 15.0\n";
        let json = r#"{"audit": {"date": "2024-05-20"}, "facts": {"h": 14.9999999999999999, "n": 0.30000000000000001,
                    "big": 1000.5, "signed": 2.5e-3, "whole": 7, "list": [1.10, 2], "pipe": {"d": 0.1}},
                    "stacks": [{"height": 15.0}]}"#;
        let toml = AuditInput::from_toml_named("a.toml", toml, &limits);
        assert_eq!(toml.ok(), AuditInput::from_json(json, &limits).ok());
        // Not numbers: held as their text, for binding to name.
        let odd = AuditInput::from_toml_named("b.toml", "x = inf\ny = nan\n", &limits).ok();
        let held = AuditInput::Map(vec![
            ("x".to_string(), AuditInput::Number(Err("inf".to_string()))),
            ("y".to_string(), AuditInput::Number(Err("nan".to_string()))),
        ]);
        assert_eq!(odd, Some(held));
    }

    trait OkOrDefault {
        fn ok_or_default(self) -> Result<Num, String>;
    }
    impl OkOrDefault for Option<Num> {
        fn ok_or_default(self) -> Result<Num, String> {
            self.ok_or_else(String::new)
        }
    }
}

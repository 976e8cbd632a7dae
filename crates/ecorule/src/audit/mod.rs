//! Stage 3: an audit as given (JSON, TOML, a Python dict, a JS object) to
//! the values of a rulebook's fact slots.
//!
//! [`AuditInput`] deserialises from any serde format and rejects duplicate
//! keys. Binding converts each value to the declared type and unit and
//! collects every problem, naming the fact, what was expected and what was
//! given; a fact given twice (flat and nested) is one of them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, ErrorKind, Errors, FactProblem};
use crate::ir::*;
use crate::limits::Limits;
use crate::num::Num;
use crate::span::{Source, Span, ceil_char_boundary, floor_char_boundary};
use crate::units::{Dim, NotAUnit, Unit, VolumeBasis, other_volume_basis};

/// An audit as given, before it is checked against a rulebook.
///
/// A service given JSON text (a request body) reads it with
/// [`AuditInput::from_json`], not with serde: `AuditInput` does implement
/// `Deserialize`, for formats of the caller's own, but that route reads
/// numbers through the format's number type, which for `serde_json`
/// (without its `arbitrary_precision` feature) is a double: then
/// `14.9999999999999999` arrives as 15 and passes a `>= 15` limit, and
/// `1e400` fails the whole body. `from_json` takes every number as
/// written, and its errors name the line, the column and the kind
/// ([`ErrorKind::AuditTooLarge`] for an audit over [`Limits`]). An audit
/// deserialised or built by the caller is held to the limits when it is
/// scored or bound.
///
/// ```
/// use ecorule::{AuditInput, Limits, Num};
///
/// let body = r#"{"audit": {"date": "2024-05-20"}, "facts": {"dust.pm": 14.9999999999999999}}"#;
/// let audit = AuditInput::from_json(body, &Limits::default())?;
/// let AuditInput::Map(top) = &audit else { return Err("not an object".into()) };
/// let facts = top.iter().find(|(key, _)| key == "facts").map(|(_, facts)| facts);
/// let Some(AuditInput::Map(facts)) = facts else { return Err("no facts".into()) };
/// let exact = Num::parse("14.9999999999999999").ok_or("not a number")?;
/// assert_eq!(facts.first().map(|(_, value)| value), Some(&AuditInput::Number(Ok(exact))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AuditInput {
    /// `null`: the same as leaving the fact out.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, exact; `Err` holds the text of a number that cannot be held.
    Number(Result<Num, String>),
    /// A string.
    Text(String),
    /// An array.
    List(Vec<AuditInput>),
    /// An object, keys in the order given.
    Map(Vec<(String, AuditInput)>),
}

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
        within_audit_bytes(bytes.len(), limits)?;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::not_utf8(ErrorKind::Audit, Labels::new("the audit", "审核"), bytes, &e))?;
        AuditInput::from_json(text, limits)
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

    /// Checks the number of values, the length of strings and how deep
    /// objects and lists nest (`max_depth` of them, as the Python and WASM
    /// bindings count when they convert their values).
    pub fn check_size(&self, limits: &Limits) -> Result<(), Error> {
        let mut count = 0usize;
        // Each value with the number of objects and lists around it.
        let mut stack = vec![(self, 0usize)];
        while let Some((v, depth)) = stack.pop() {
            count += 1;
            if count > limits.max_audit_values {
                return Err(self.too_many_values(limits.max_audit_values));
            }
            match v {
                AuditInput::Text(s) if s.len() > limits.max_string_bytes => {
                    return Err(self.too_long_text(s, limits.max_string_bytes));
                }
                AuditInput::List(_) | AuditInput::Map(_) if depth >= limits.max_depth => {
                    let place = self.place_deeper_than(limits.max_depth);
                    return Err(Error::audit_too_deep(limits.max_depth, place.as_deref()));
                }
                AuditInput::List(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
                AuditInput::Map(entries) => {
                    for (k, v) in entries {
                        if k.len() > limits.max_string_bytes {
                            let limit = limits.max_string_bytes;
                            return Err(Error::new(
                                ErrorKind::AuditTooLarge,
                                format!("a key is longer than the limit of {limit} bytes"),
                            )
                            .with_zh(format!("有一个键长于 {limit} 字节的上限")));
                        }
                        stack.push((v, depth + 1));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Where the first object or list nested `limit` deep is, as
    /// `facts.a[2]` (cut to 60 characters): found again here, on the error
    /// path only, in the order the audit is written.
    #[cold]
    fn place_deeper_than(&self, limit: usize) -> Option<String> {
        let nests = |v: &AuditInput| matches!(v, AuditInput::List(_) | AuditInput::Map(_));
        // Each object or list on the way down, the next of its items to
        // look at, and the step to it.
        let mut way: Vec<(&AuditInput, usize, String)> = vec![(self, 0, String::new())];
        loop {
            let (at, next, _) = way.last_mut()?;
            let child = match *at {
                AuditInput::List(items) => items.get(*next).map(|v| (format!("[{next}]"), v)),
                AuditInput::Map(entries) => entries.get(*next).map(|(k, v)| (crate::error::visible(k).into_owned(), v)),
                _ => None,
            };
            *next += 1;
            match child {
                Some((step, v)) if nests(v) => {
                    way.push((v, 0, step));
                    if way.len() > limit {
                        break;
                    }
                }
                Some(_) => {}
                None => {
                    way.pop();
                }
            }
        }
        let mut place = String::new();
        for (_, _, step) in way.iter().skip(1) {
            if !place.is_empty() && !step.starts_with('[') {
                place.push('.');
            }
            place.push_str(step);
        }
        Some(if place.chars().count() > 60 {
            format!("{}…", place.chars().take(60).collect::<String>())
        } else {
            place
        })
    }

    /// The error for an audit of more than `limit` values: its help names
    /// the part holding the most (found again here, on the error path
    /// only), a series of readings as a rule.
    #[cold]
    fn too_many_values(&self, limit: usize) -> Error {
        let error = Error::audit_too_many_values(limit);
        let mut path = Vec::new();
        let mut at = self;
        while let AuditInput::Map(entries) = at {
            let Some((key, biggest)) = entries.iter().max_by_key(|(_, v)| v.values()) else { break };
            path.push(key.as_str());
            at = biggest;
        }
        if path.is_empty() {
            return error;
        }
        let joined = path.join(".");
        let (most, values) = (crate::error::visible(&joined), at.values());
        error.with_help_in(Some(Labels::new(
            format!(
                "`{most}` holds the most, {values} values; a program that embeds ecorule can raise `Limits::max_audit_values`"
            ),
            format!("`{most}` 所含最多，有 {values} 个值；嵌入 ecorule 的程序可以调高 `Limits::max_audit_values`"),
        )))
    }

    /// How many values this holds, itself included (as `check_size` counts).
    fn values(&self) -> usize {
        let mut count = 0usize;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            count += 1;
            match v {
                AuditInput::List(items) => stack.extend(items),
                AuditInput::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        count
    }

    /// The error for the text `long`, over `limit`: it names the fact
    /// holding it (found again here, on the error path only), so a form
    /// can mark the one answer to shorten.
    #[cold]
    fn too_long_text(&self, long: &str, limit: usize) -> Error {
        match self.get("facts").and_then(|facts| facts.path_to(long)) {
            Some(fact) => long_text(&fact, long, limit),
            None => match self.get("audit").and_then(|audit| audit.path_to(long)) {
                // Named as the built-in facts are: `audit.id`, `enterprise.name`.
                Some(field) if field.starts_with("enterprise.") => long_text(&field, long, limit),
                Some(field) => long_text(&format!("audit.{field}"), long, limit),
                None => Error::new(
                    ErrorKind::AuditTooLarge,
                    format!("a text value is longer than the limit of {limit} bytes"),
                )
                .with_zh(format!("有一个文本值长于 {limit} 字节的上限")),
            },
        }
    }

    /// The dotted path of keys to the text `target` (the same allocation)
    /// within this value, lists left out of the name.
    fn path_to(&self, target: &str) -> Option<String> {
        match self {
            AuditInput::Text(s) if std::ptr::eq(s.as_str(), target) => Some(String::new()),
            AuditInput::List(items) => items.iter().find_map(|item| item.path_to(target)),
            AuditInput::Map(entries) => entries.iter().find_map(|(key, value)| {
                let rest = value.path_to(target)?;
                Some(if rest.is_empty() { key.clone() } else { format!("{key}.{rest}") })
            }),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&AuditInput> {
        match self {
            AuditInput::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short rendering for messages.
    fn brief(&self) -> String {
        let text = match self {
            AuditInput::Null => "null".to_string(),
            AuditInput::Bool(b) => b.to_string(),
            AuditInput::Number(Ok(n)) => n.to_string(),
            AuditInput::Number(Err(t)) => t.clone(),
            AuditInput::Text(s) => format!("\"{}\"", crate::error::visible(s)),
            AuditInput::List(items) => format!("a list of {}", items.len()),
            AuditInput::Map(_) => match self.quantity_parts() {
                Some((value, unit)) => format!("{{\"value\": {}, \"unit\": {}}}", value.brief(), unit.brief()),
                None => "an object".to_string(),
            },
        };
        if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
    }

    /// The parts of a quantity written `{"value": …, "unit": …}`: an
    /// object of those two keys, shown as written in a message.
    fn quantity_parts(&self) -> Option<(&AuditInput, &AuditInput)> {
        match self {
            AuditInput::Map(entries) => match entries.as_slice() {
                [(a, x), (b, y)] if a == "value" && b == "unit" => Some((x, y)),
                [(a, y), (b, x)] if a == "unit" && b == "value" => Some((x, y)),
                _ => None,
            },
            _ => None,
        }
    }

    /// [`AuditInput::brief`] in English and Chinese.
    fn brief_in(&self) -> Labels {
        let zh = match self {
            AuditInput::List(items) => format!("{} 项的列表", items.len()),
            AuditInput::Map(_) if self.quantity_parts().is_none() => "一个对象".to_string(),
            _ => {
                let brief = self.brief();
                return Labels { zh: brief.clone(), en: brief };
            }
        };
        Labels { en: self.brief(), zh }
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

/// An audit's facts bound to a rulebook's slots.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub values: Vec<Option<Value>>,
    /// Enterprise fields beyond id and name, kept for the report.
    pub enterprise: BTreeMap<String, String>,
    /// What binding noticed: about the audit's top-level keys, its `audit`
    /// and then its `facts`, each part in the order of its texts.
    pub warnings: Vec<Warning>,
    /// Where the warnings about the `facts` part start.
    pub facts_part: usize,
}

impl Bound {
    /// Every fact unknown, nothing noticed.
    pub(crate) fn unknown(slots: usize) -> Bound {
        Bound { values: vec![None; slots], enterprise: BTreeMap::new(), warnings: Vec::new(), facts_part: 0 }
    }

    /// Replaces what was noticed about the value in `slot` with `warning`,
    /// placed where binding a whole audit would have placed it.
    pub(crate) fn replace_warning(&mut self, slot: usize, warning: Option<&Labels>) {
        self.warnings.retain(|w| w.about != About::Value(slot));
        if let Some(labels) = warning {
            let part = self.warnings.get(self.facts_part..).unwrap_or_default();
            let at = part.iter().position(|w| w.about == About::Count || w.labels.en > labels.en);
            let at = self.facts_part + at.unwrap_or(part.len());
            self.warnings.insert(at, Warning { labels: labels.clone(), about: About::Value(slot) });
        }
    }
}

/// Binds `input` to the program's fact slots. In strict mode an undeclared
/// fact is an error; otherwise a warning.
///
/// Binding counts the values it walks (every value once) and measures
/// every text and key, so an audit over `limits` gets the same error as
/// [`AuditInput::check_size`] gives it, without a walk of its own: binding
/// stops once a limit is passed and lets `check_size` name the first.
pub(crate) fn bind(program: &Program, input: &AuditInput, strict: bool, limits: &Limits) -> Result<Bound, Errors> {
    let mut binder = Binder {
        program,
        values: vec![None; program.facts.len()],
        given: vec![false; program.facts.len()],
        errors: Vec::new(),
        warnings: Vec::new(),
        strict,
        size: Size::default(),
        last_slot: None,
        hints: 0,
        undeclared: HashSet::new(),
        limits,
    };
    let AuditInput::Map(top) = input else {
        input.check_size(limits)?;
        return Err(Error::audit_not_an_object(input.brief_in()).into());
    };
    // The audit and its values are counted here, what the facts object
    // holds as it is bound.
    let facts = input.get("facts").filter(|f| matches!(f, AuditInput::Map(_)));
    binder.size.values += 1 + top.len();
    binder.size.container(0);
    for (key, value) in top {
        binder.size.key(key);
        if !facts.is_some_and(|f| std::ptr::eq(f, value)) {
            binder.size.contents(value, 1);
        }
    }
    if binder.size.exceeds(limits) {
        return Err(too_large(input, limits));
    }
    for (key, _) in top {
        if key != "audit" && key != "facts" && key != "$schema" {
            let hint = binder.misplaced(key);
            let key = brief_name(key);
            binder.undeclared_because(&format!("top-level key `{key}`"), &format!("顶层键 `{key}`"), hint, None);
        }
    }
    binder.sort_warnings(0);
    let audit_warnings = binder.warnings.len();
    let mut enterprise = BTreeMap::new();
    match input.get("audit") {
        Some(meta @ AuditInput::Map(entries)) => {
            for (key, value) in entries {
                match key.as_str() {
                    "date" => binder.set(AUDIT_DATE, "audit.date", value),
                    "id" => binder.set(AUDIT_ID, "audit.id", &stringify(value)),
                    "enterprise" => enterprise = binder.enterprise(value),
                    other => {
                        let other = brief_name(other);
                        binder.unknown(&format!("`audit.{other}`"), &format!("`audit.{other}`"));
                    }
                }
            }
            let _ = meta;
        }
        Some(AuditInput::Null) | None => {}
        Some(other) => {
            let expected = Labels::new("an object with id, date and enterprise", "含 id、date 与 enterprise 的对象");
            binder.errors.push(Error::fact_in(ErrorKind::Audit, "audit", expected, other.brief_in()))
        }
    }
    binder.sort_warnings(audit_warnings);
    let fact_warnings = binder.warnings.len();
    match input.get("facts") {
        Some(facts @ AuditInput::Map(_)) => binder.facts(&mut String::with_capacity(64), facts, 1),
        Some(AuditInput::Null) | None => {}
        Some(other) => {
            let expected = Labels::new("an object of fact values", "由各数据项的值组成的对象");
            binder.errors.push(Error::fact_in(ErrorKind::Audit, "facts", expected, other.brief_in()))
        }
    }
    binder.sort_warnings(fact_warnings);
    if binder.size.exceeds(limits) {
        return Err(too_large(input, limits));
    }
    if binder.errors.is_empty() {
        Ok(Bound { values: binder.values, enterprise, warnings: binder.warnings, facts_part: fact_warnings })
    } else {
        Err(Errors::new(binder.errors))
    }
}

/// How deep the JSON reader nests before it stops (serde_json's limit): a
/// guard of the parser's stack, above the audit's own limit
/// ([`Limits::max_depth`], 64 by default), which [`AuditInput::check_size`]
/// applies once the text is read.
const JSON_DEPTH: usize = 128;

/// The errors a binding meets as it converts values of its language (a
/// JavaScript object, a Python dict) to an [`AuditInput`]: worded as the
/// core words the same problem in audit text, in English and Chinese, so
/// an audit gets the same message however it is given.
impl Error {
    /// An audit that is not an object with `audit` and `facts`; `given`
    /// says what it is (`a list of 2`, `undefined`).
    #[cold]
    pub fn audit_not_an_object(given: Labels) -> Error {
        Error::new(ErrorKind::Audit, format!("an audit must be an object with `audit` and `facts`, not {}", given.en))
            .with_zh(format!("审核应为含 `audit` 与 `facts` 的对象，而非 {}", given.zh))
    }

    /// An audit that nests objects and lists more than `limit` deep, with
    /// the place of the first one that is too deep when it is known
    /// (`facts.notes[0][0]`).
    #[cold]
    pub fn audit_too_deep(limit: usize, at: Option<&str>) -> Error {
        let (en, zh) = (
            format!("the audit nests objects and lists more than the limit of {limit} deep"),
            format!("审核中对象与列表的嵌套超过 {limit} 层的上限"),
        );
        match at {
            Some(at) => {
                Error::new(ErrorKind::AuditTooLarge, format!("{en}, at `{at}`")).with_zh(format!("{zh}，位于 `{at}`"))
            }
            None => Error::new(ErrorKind::AuditTooLarge, en).with_zh(zh),
        }
    }

    /// An audit of more than `limit` values.
    #[cold]
    pub fn audit_too_many_values(limit: usize) -> Error {
        Error::new(ErrorKind::AuditTooLarge, format!("the audit holds more than the limit of {limit} values"))
            .with_zh(format!("审核所含的值超过 {limit} 个的上限"))
    }

    /// An audit whose texts and keys hold more than `limit` bytes in all
    /// (the limit on audit text, [`Limits::max_audit_bytes`], for an audit
    /// given as values rather than text).
    #[cold]
    pub fn audit_too_much_text(limit: usize) -> Error {
        Error::new(ErrorKind::AuditTooLarge, format!("the audit holds more than the limit of {limit} bytes of text"))
            .with_zh(format!("审核所含文本超过 {limit} 字节的上限"))
    }

    /// A text of `bytes` bytes for `fact`, over `limit`; `at` is its
    /// place within the fact's value, if it is inside one (`[2]`).
    #[cold]
    pub fn audit_text_too_long(fact: &str, bytes: usize, limit: usize, at: Option<&str>) -> Error {
        let expected = Labels::new(format!("a text of at most {limit} bytes"), format!("至多 {limit} 字节的文本"));
        let given = Labels::new(format!("a text of {bytes} bytes"), format!("{bytes} 字节的文本"));
        let given = match at {
            Some(at) => Labels::new(format!("{} at `{at}`", given.en), format!("{}（位于 `{at}`）", given.zh)),
            None => given,
        };
        Error::fact_in(ErrorKind::AuditTooLarge, fact, expected, given)
    }

    /// `bytes`, read as `name` (a file's path, or `the audit`), that are not
    /// UTF-8 text, as an error of `kind`: `name.zh` stands right before
    /// `不是`, so a path there ends with a space. Says where the first invalid byte is,
    /// and the help to save it as UTF-8 (naming GBK when the byte and the
    /// next could be a GBK character, as a file saved on Chinese Windows
    /// often is).
    #[cold]
    pub fn not_utf8(kind: ErrorKind, name: Labels, bytes: &[u8], e: &std::str::Utf8Error) -> Error {
        let (before, after) = bytes.split_at_checked(e.valid_up_to()).unwrap_or((bytes, &[]));
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default()).chars().count() + 1;
        let help = if matches!(after, [0x81..=0xfe, 0x40..=0xfe, ..]) {
            Labels::new(
                "it may be GBK, as Excel and Notepad on Chinese Windows save: save it as UTF-8",
                "可能是 GBK 编码（中文 Windows 的 Excel、记事本常这样保存）：请另存为 UTF-8",
            )
        } else {
            Labels::new("save it as UTF-8", "请另存为 UTF-8")
        };
        let message = Labels::new(
            format!("{} is not UTF-8 text (invalid byte at line {line}, column {column})", name.en),
            format!("{}不是 UTF-8 文本（第 {line} 行第 {column} 列有无效字节）", name.zh),
        );
        Error::new_in(kind, message).with_help_in(Some(help))
    }

    /// Audit text that holds a lone surrogate (half of a UTF-16 pair),
    /// which a binding would otherwise read as U+FFFD.
    #[cold]
    pub fn audit_not_unicode() -> Error {
        Error::new(
            ErrorKind::Audit,
            "the audit text holds a lone surrogate (half of a UTF-16 pair), which is not valid Unicode",
        )
        .with_zh("审核文本含孤立的代理项（UTF-16 代理对的一半），不是有效的 Unicode")
    }
}

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

/// The error for the text `long` of `fact`, over `limit`.
fn long_text(fact: &str, long: &str, limit: usize) -> Error {
    Error::audit_text_too_long(fact, long.len(), limit, None)
}

/// The error [`AuditInput::check_size`] gives an audit that binding found
/// over a limit.
fn too_large(input: &AuditInput, limits: &Limits) -> Errors {
    match input.check_size(limits) {
        Err(error) => error.into(),
        // Not reached: binding counts a part of what check_size counts.
        Ok(()) => {
            Error::new(ErrorKind::AuditTooLarge, "the audit is larger than the limits").with_zh("审核超出上限").into()
        }
    }
}

/// What binding has counted of an audit, for the size limits: values, the
/// longest text or key, and how deep objects and lists nest. A list or
/// object counts the values it holds (so the audit itself is counted
/// apart, by [`bind`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Size {
    values: usize,
    longest: usize,
    /// The most objects and lists any value lies within, itself included:
    /// an audit built or deserialised by its caller, not read by
    /// [`AuditInput::from_json`], has not had its depth checked yet.
    nested: usize,
}

impl Size {
    /// Notes an object or list with `depth` objects and lists around it.
    fn container(&mut self, depth: usize) {
        self.nested = self.nested.max(depth + 1);
    }

    /// Measures a text or a key.
    fn key(&mut self, text: &str) {
        self.longest = self.longest.max(text.len());
    }

    /// Measures `value`, with `depth` objects and lists around it, if it
    /// is a text, and counts and measures every value in it if it is a
    /// list or an object.
    #[inline]
    fn contents(&mut self, value: &AuditInput, depth: usize) {
        match value {
            AuditInput::Text(s) => self.key(s),
            AuditInput::List(_) | AuditInput::Map(_) => self.tree(value, depth),
            AuditInput::Null | AuditInput::Bool(_) | AuditInput::Number(_) => {}
        }
    }

    /// [`Size::contents`] of a list or an object.
    fn tree(&mut self, value: &AuditInput, depth: usize) {
        let mut stack = vec![(value, depth)];
        while let Some((v, depth)) = stack.pop() {
            match v {
                AuditInput::Text(s) => self.key(s),
                AuditInput::List(items) => {
                    self.container(depth);
                    self.values += items.len();
                    stack.extend(items.iter().map(|item| (item, depth + 1)));
                }
                AuditInput::Map(entries) => {
                    self.container(depth);
                    self.values += entries.len();
                    for (k, v) in entries {
                        self.key(k);
                        stack.push((v, depth + 1));
                    }
                }
                AuditInput::Null | AuditInput::Bool(_) | AuditInput::Number(_) => {}
            }
        }
    }

    /// Whether what was counted is over a limit (and so the whole audit is).
    fn exceeds(&self, limits: &Limits) -> bool {
        self.values > limits.max_audit_values
            || self.longest > limits.max_string_bytes
            || self.nested > limits.max_depth
    }
}

/// Converts one value for the fact in `slot`, for callers that hold audits
/// as columns: each distinct value is converted once, then set on many
/// [`Bound`]s. A value over `limits` gets the error
/// [`AuditInput::check_size`] gives it, counted as [`bind`] counts.
pub(crate) fn bind_value(
    program: &Program,
    slot: usize,
    input: &AuditInput,
    limits: &Limits,
) -> Result<(Option<Value>, Option<Labels>), Errors> {
    let Some(fact) = program.facts.get(slot) else {
        return Err(no_slot(program, slot).into());
    };
    // The value is measured on its own, as `check_size` of it would be.
    let mut size = Size { values: 1, ..Size::default() };
    size.contents(input, 0);
    if size.exceeds(limits) {
        return Err(match input {
            // As a whole audit holding it would say.
            AuditInput::Text(long) if long.len() > limits.max_string_bytes => {
                long_text(&fact.name, long, limits.max_string_bytes).into()
            }
            _ => too_large(input, limits),
        });
    }
    let input = if slot == AUDIT_ID || slot == ENTERPRISE_ID { stringify(input) } else { Cow::Borrowed(input) };
    let mut noticed = Noticed::default();
    let value = convert_within(program, fact, &input, &mut noticed)
        .map_err(|problem| Errors::from(fact_error(program, fact, &fact.name, *problem)))?;
    let warning = noticed.other_volume_basis.then(|| volume_basis_warning(fact, &fact.name, &input));
    Ok((value, warning))
}

/// Whether a column of numbers in `unit` can give the fact in `slot` its
/// values (its items, for a list): see [`Rulebook::column_unit`].
///
/// [`Rulebook::column_unit`]: crate::Rulebook::column_unit
pub(crate) fn column_unit(program: &Program, slot: usize, unit: &str) -> Result<(), Error> {
    let Some(fact) = program.facts.get(slot) else {
        return Err(no_slot(program, slot));
    };
    let expected = expected(program, fact);
    let refused = |message: Labels, given: String, help: Option<Labels>| {
        let problem = FactProblem { fact: fact.name.clone(), expected: expected.en.clone(), given };
        Error::new_in(ErrorKind::Unit, message)
            .with_help_in(help)
            .with_fact(Some(problem))
            .with_expected_zh(expected.zh.clone())
    };
    let parsed = match Unit::parse_or_why(unit) {
        Ok(parsed) => parsed,
        Err(why) => {
            let message = Labels::new(format!("`{unit}` is not a unit"), format!("`{unit}` 不是单位"));
            return Err(refused(message, format!("`{unit}`, which is not a unit"), Some(why.labels())));
        }
    };
    // One number in the unit, as the column gives it to each row: its
    // bounds are the rows' to meet (`1 cm` is below `min 15 m`, `2 cm` need
    // not be).
    let number = AuditInput::Map(vec![
        ("value".to_string(), AuditInput::Number(Ok(Num::ONE))),
        ("unit".to_string(), AuditInput::Text(unit.to_string())),
    ]);
    let probe = if matches!(fact.ty, Ty::List(_)) { AuditInput::List(vec![number]) } else { number };
    if convert_unbounded(program, fact, &probe, &mut Noticed::default()).is_ok() {
        return Ok(());
    }
    let given = Labels::new(
        format!("numbers in `{unit}` ({})", parsed.dim().describe_in_brackets()),
        format!("以 `{unit}` 计的数值（{}）", parsed.dim().describe_in_brackets_zh()),
    );
    let message = Labels::new(
        format!("{} do not fit, but the fact expects {}", given.en, expected.en),
        format!("{}不符，该数据项应为{}", given.zh, expected.zh),
    );
    Err(refused(message, given.en, None))
}

/// The error for a slot the rulebook does not have: a caller's mistake.
#[cold]
fn no_slot(program: &Program, slot: usize) -> Error {
    Error::new(ErrorKind::Audit, format!("rulebook `{}` has no fact slot {slot}", program.id))
}

/// Audit ids may be given as numbers.
fn stringify(value: &AuditInput) -> Cow<'_, AuditInput> {
    match value {
        AuditInput::Number(Ok(n)) => Cow::Owned(AuditInput::Text(n.to_string())),
        other => Cow::Borrowed(other),
    }
}

struct Binder<'a> {
    program: &'a Program,
    values: Vec<Option<Value>>,
    /// Whether the audit gave each slot a value (`null` too): a fact may be
    /// written flat or nested, but only once.
    given: Vec<bool>,
    errors: Vec<Error>,
    warnings: Vec<Warning>,
    strict: bool,
    /// The facts counted so far, against `limits`.
    size: Size,
    /// The slot of the fact last looked up by name.
    last_slot: Option<usize>,
    /// The undeclared facts a hint was looked for so far.
    hints: usize,
    /// The undeclared facts given so far: one given twice (flat and
    /// nested) is as ambiguous as a declared one.
    undeclared: HashSet<String>,
    limits: &'a Limits,
}

/// A warning from binding, and what it is about.
#[derive(Debug, Clone)]
pub(crate) struct Warning {
    pub labels: Labels,
    about: About,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    /// A name the rulebook does not declare (those are listed up to
    /// [`MAX_UNDECLARED_LISTED`]).
    Undeclared,
    /// How the value of the fact in this slot is written.
    Value(usize),
    /// How many more undeclared names there are.
    Count,
}

/// A name an audit gives, as a message quotes it: its first 60 characters
/// and `…` when it is longer (a stray key of 60 KB would make a warning as
/// long, in every report).
fn brief_name(name: &str) -> Cow<'_, str> {
    match name.char_indices().nth(60) {
        Some((end, _)) => Cow::Owned(format!("{}…", name.get(..end).unwrap_or_default())),
        None => Cow::Borrowed(name),
    }
}

/// Undeclared names listed in one part of an audit (its top-level keys,
/// `audit`, `facts`); the rest are counted in one more warning, so an audit
/// of many stray keys does not make a report many times its size.
const MAX_UNDECLARED_LISTED: usize = 100;

/// Undeclared facts a "did you mean" hint is looked for: an audit may hold many,
/// and each hint compares the name with every declared fact.
const MAX_HINTS: usize = 16;

impl<'a> Binder<'a> {
    /// `what` (and `what_zh`, in Chinese) given but not declared.
    fn unknown(&mut self, what: &str, what_zh: &str) {
        self.undeclared(what, what_zh, None);
    }

    /// [`Binder::unknown`] for a fact, with the declared fact it may
    /// have meant (`stack.heigth`: `stack.height`).
    fn unknown_fact(&mut self, name: &str, given: &AuditInput) {
        if !self.undeclared.insert(name.to_string()) {
            self.errors.push(given_twice(name));
            return;
        }
        let mut hint = None;
        if self.hints < MAX_HINTS {
            self.hints += 1;
            let declared = self.program.facts.iter().filter(|f| !f.builtin).map(|f| f.name.as_str());
            hint = crate::suggest::closest(name, declared);
        }
        // Refused in strict mode as a value of a fact is: by name.
        let problem = self.strict.then(|| FactProblem {
            fact: name.to_string(),
            expected: format!("a fact rulebook `{}` declares", self.program.id),
            given: given.brief_in().en,
        });
        let hint = hint.map(crate::suggest::meant);
        let name = brief_name(name);
        self.undeclared_because(&format!("fact `{name}`"), &format!("数据项 `{name}`"), hint, problem);
    }

    fn undeclared(&mut self, what: &str, what_zh: &str, meant: Option<&str>) {
        self.undeclared_because(what, what_zh, meant.map(crate::suggest::meant), None);
    }

    /// Where a top-level key belongs, when it names a declared fact (or a
    /// group of them) or the audit's own id or date: a row of a table
    /// given as the audit, say, whose facts are then all unknown.
    fn misplaced(&self, key: &str) -> Option<Labels> {
        if matches!(key, "audit.id" | "audit.date" | "audit.enterprise") {
            let field = key.trim_start_matches("audit.");
            return Some(Labels {
                en: format!("the audit's own fields go under `audit`: {{\"audit\": {{\"{field}\": …}}}}"),
                zh: format!("审核本身的字段应写在 `audit` 之下：{{\"audit\": {{\"{field}\": …}}}}"),
            });
        }
        let is_fact = self
            .program
            .facts
            .iter()
            .filter(|f| !f.builtin)
            .any(|f| f.name.strip_prefix(key).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')));
        is_fact.then(|| Labels {
            en: format!("facts go under `facts`: {{\"facts\": {{\"{key}\": …}}}}"),
            zh: format!("数据项应写在 `facts` 之下：{{\"facts\": {{\"{key}\": …}}}}"),
        })
    }

    fn undeclared_because(&mut self, what: &str, what_zh: &str, hint: Option<Labels>, fact: Option<FactProblem>) {
        let id = &self.program.id;
        // Refused in strict mode, else left aside.
        let (aside, aside_zh) = if self.strict { ("", "") } else { (", and is ignored", "，已忽略") };
        let message = format!("{} is not declared by rulebook `{id}`{aside}", crate::error::visible(what));
        let zh = format!("{} 未在规则集 `{id}` 中声明{aside_zh}", crate::error::visible(what_zh));
        self.ignored(Labels { en: message, zh }, hint, fact);
    }

    /// Sorts the warnings from `start` on: those of one part of the audit
    /// (its top-level keys, `audit`, `facts`) come in one order whatever
    /// the order of its keys (a JSON object has none), so the same audit
    /// gives the same report.
    fn sort_warnings(&mut self, start: usize) {
        let Some(part) = self.warnings.get_mut(start..) else {
            return;
        };
        part.sort_unstable_by(|a, b| a.labels.en.cmp(&b.labels.en));
        let undeclared = part.iter().filter(|w| w.about == About::Undeclared).count();
        if undeclared <= MAX_UNDECLARED_LISTED {
            return;
        }
        let part = self.warnings.split_off(start);
        let mut listed = 0;
        for w in part {
            let is_undeclared = w.about == About::Undeclared;
            listed += usize::from(is_undeclared);
            if !is_undeclared || listed <= MAX_UNDECLARED_LISTED {
                self.warnings.push(w);
            }
        }
        let (id, more) = (&self.program.id, undeclared - MAX_UNDECLARED_LISTED);
        let labels = Labels {
            en: format!(
                "and {more} more names rulebook `{id}` does not declare (the first {MAX_UNDECLARED_LISTED} are listed)"
            ),
            zh: format!("另有 {more} 个名称未在规则集 `{id}` 中声明（仅列出前 {MAX_UNDECLARED_LISTED} 个）"),
        };
        self.warnings.push(Warning { labels, about: About::Count });
    }

    /// What the audit gives that scoring leaves aside: an error in strict
    /// mode (naming the fact it gives, if any), else a warning in the report.
    fn ignored(&mut self, message: Labels, hint: Option<Labels>, fact: Option<FactProblem>) {
        if self.strict {
            let error = Error::new(ErrorKind::Audit, message.en).with_zh(message.zh).with_help_in(hint);
            self.errors.push(error.with_fact(fact));
        } else {
            let labels = match hint {
                Some(h) => Labels { en: format!("{}; {}", message.en, h.en), zh: format!("{}；{}", message.zh, h.zh) },
                None => message,
            };
            self.warnings.push(Warning { labels, about: About::Undeclared });
        }
    }

    fn enterprise(&mut self, value: &AuditInput) -> BTreeMap<String, String> {
        let mut extra = BTreeMap::new();
        match value {
            AuditInput::Map(entries) => {
                for (key, v) in entries {
                    match key.as_str() {
                        "id" => self.set(ENTERPRISE_ID, "enterprise.id", &stringify(v)),
                        "name" => self.set(ENTERPRISE_NAME, "enterprise.name", v),
                        other => {
                            let shown = match v {
                                AuditInput::Text(s) => Some(s.clone()),
                                AuditInput::Number(Ok(n)) => Some(n.to_string()),
                                AuditInput::Bool(b) => Some(b.to_string()),
                                AuditInput::Null => None,
                                AuditInput::Number(Err(_)) | AuditInput::List(_) | AuditInput::Map(_) => {
                                    // Kept as text or not at all: said, not dropped unseen.
                                    let field = crate::error::visible(other);
                                    let given = v.brief_in();
                                    // Refused in strict mode, else left out.
                                    let (aside, aside_zh) =
                                        if self.strict { ("", "") } else { (": it is left out", "：已略去") };
                                    let message = Labels {
                                        en: format!(
                                            "enterprise field `{field}` is {}, not text, a number or yes/no{aside}",
                                            given.en
                                        ),
                                        zh: format!(
                                            "企业字段 `{field}` 为 {}，不是文本、数字或是/否{aside_zh}",
                                            given.zh
                                        ),
                                    };
                                    self.ignored(message, None, None);
                                    None
                                }
                            };
                            if let Some(shown) = shown {
                                extra.insert(other.to_string(), shown);
                            }
                        }
                    }
                }
            }
            AuditInput::Null => {}
            other => {
                let expected = Labels::new("an object with id and name", "含 id 与 name 的对象");
                self.errors.push(Error::fact_in(ErrorKind::Audit, "audit.enterprise", expected, other.brief_in()))
            }
        }
        extra
    }

    /// Binds the facts of `value`, an object with `depth` objects around
    /// it; `name` holds the dotted prefix of nested objects (`stack` for
    /// `{"stack": {"height": …}}`) and is restored on return. Stops when
    /// the audit is over a size limit.
    fn facts(&mut self, name: &mut String, value: &AuditInput, depth: usize) {
        let AuditInput::Map(entries) = value else {
            return;
        };
        self.size.container(depth);
        self.size.values += entries.len();
        let prefix = name.len();
        for (key, v) in entries {
            self.size.key(key);
            // At the top, a key is the whole name: it is not copied.
            let full = if prefix == 0 {
                key.as_str()
            } else {
                name.truncate(prefix);
                name.push('.');
                name.push_str(key);
                name.as_str()
            };
            let declared = self.slot_of(full).filter(|(_, fact)| !fact.builtin);
            if declared.is_none() && self.holds_facts(key, full, v) {
                if prefix == 0 {
                    name.clear();
                    name.push_str(key);
                }
                self.facts(name, v, depth + 1);
                continue;
            }
            self.size.contents(v, depth + 1);
            if self.size.exceeds(self.limits) {
                break;
            }
            match declared {
                Some((slot, fact)) => self.set_fact(slot, fact, full, v),
                None => self.unknown_fact(full, v),
            }
        }
        name.truncate(prefix);
    }

    /// Whether `v`, under `key` (`full` with the names above it) that is no
    /// fact's name, holds facts nested under that name. Not a quantity, nor
    /// under an empty key, nor `{}` under a name no declared fact starts
    /// with: those are an undeclared fact.
    fn holds_facts(&self, key: &str, full: &str, v: &AuditInput) -> bool {
        let AuditInput::Map(entries) = v else {
            return false;
        };
        let is_prefix = || {
            self.program
                .facts
                .iter()
                .any(|f| !f.builtin && f.name.strip_prefix(full).is_some_and(|rest| rest.starts_with('.')))
        };
        !key.is_empty() && !is_quantity_object(v) && (!entries.is_empty() || is_prefix())
    }

    /// The slot of the fact named `name`. Audits filled in from a form
    /// (or from the schema) give facts in the rulebook's order, so the
    /// slot after the last one found is tried first: fact names are
    /// unique, so a match there is the slot the name table holds.
    fn slot_of(&mut self, name: &str) -> Option<(usize, &'a FactDef)> {
        let program = self.program;
        let next = self.last_slot.map_or(0, |s| s + 1);
        let found = match program.facts.get(next) {
            Some(fact) if fact.name == name => Some((next, fact)),
            _ => program.fact_slots.get(name).and_then(|&slot| Some((slot, program.facts.get(slot)?))),
        };
        self.last_slot = found.map(|(slot, _)| slot).or(self.last_slot);
        found
    }

    fn set(&mut self, slot: usize, name: &str, input: &AuditInput) {
        if let Some(fact) = self.program.facts.get(slot) {
            self.set_fact(slot, fact, name, input);
        }
    }

    /// [`Binder::set`] of the fact `fact` in `slot`.
    fn set_fact(&mut self, slot: usize, fact: &FactDef, name: &str, input: &AuditInput) {
        let (Some(value), Some(given)) = (self.values.get_mut(slot), self.given.get_mut(slot)) else {
            return;
        };
        if std::mem::replace(given, true) {
            self.errors.push(given_twice(name));
            return;
        }
        // The commonest fact takes its value as given, written in place.
        if let (Ty::Bool, AuditInput::Bool(b)) = (&fact.ty, input) {
            *value = Some(Value::Bool(*b));
            return;
        }
        let mut noticed = Noticed::default();
        match convert_within(self.program, fact, input, &mut noticed) {
            Ok(converted) => {
                *value = converted;
                if noticed.other_volume_basis {
                    let labels = volume_basis_warning(fact, name, input);
                    self.warnings.push(Warning { labels, about: About::Value(slot) });
                }
            }
            Err(problem) => self.errors.push(fact_error(self.program, fact, name, *problem)),
        }
    }
}

/// What converting a value noticed about how it was written, for the fact
/// to judge.
#[derive(Default)]
struct Noticed {
    /// A concentration per litre for a fact per cubic metre, or the other
    /// way round: scored, with a warning.
    other_volume_basis: bool,
    /// A plain number written in `%` or `‰`: meant only for a share.
    scaled_plain: bool,
}

/// One audit value converted for `fact`, within its `min` and `max`.
fn convert_within(
    program: &Program,
    fact: &FactDef,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    let value = convert_unbounded(program, fact, input, noticed)?;
    if fact.bounds.is_none() {
        return Ok(value);
    }
    match (&value, input) {
        (Some(Value::List(items)), AuditInput::List(given)) => {
            let outer = items.iter().zip(given).enumerate().find(|(_, (item, _))| !fact.bounds.admit(item));
            if let Some((i, (item, given))) = outer {
                return Err(outside(fact, item, given, at_position(given.brief_in(), i)));
            }
        }
        (Some(v), _) if !fact.bounds.admit(v) => return Err(outside(fact, v, input, input.brief_in())),
        _ => {}
    }
    Ok(value)
}

/// One audit value converted for `fact`, before its `min` and `max` are
/// checked.
#[inline]
fn convert_unbounded(
    program: &Program,
    fact: &FactDef,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    let value = convert(program, &fact.ty, fact.unit.as_ref(), input, noticed)?;
    if noticed.scaled_plain && !fact.bounds.is_share() {
        return Err(percent_of_plain(input));
    }
    Ok(value)
}

/// The problem of `value` (`input`, shown as `given`) outside the fact's
/// bounds: for a share (a fact of at most 1, or `max 21 %`), a number
/// without a unit that would be within the bounds as a percentage (`90`)
/// is pointed out. A pH of 15 is not told to be written "15 %".
#[cold]
#[inline(never)]
fn outside(fact: &FactDef, value: &Value, input: &AuditInput, given: Labels) -> Box<Problem> {
    let bare = match input {
        AuditInput::Number(_) => true,
        AuditInput::Text(t) => Num::parse(t.trim()).is_some(),
        _ => false,
    };
    let percent = match value {
        Value::Num(n) if bare && fact.bounds.is_share() && fact.unit.is_none() => {
            n.checked_div(Num::int(100)).map(Value::Num)
        }
        _ => None,
    };
    let help = percent.filter(|p| fact.bounds.admit(p)).map(|_| {
        let n = value.show(None);
        Labels::new(
            format!("a share is written as a fraction or with `%`: if {n} is a percentage, write \"{n} %\""),
            format!("比例写作小数或带 `%`：若 {n} 是百分数，请写作 \"{n} %\""),
        )
    });
    problem_with_help(given, help)
}

/// The problem of a plain number written in `%` or `‰` (a pH of `"7 %"`),
/// for a fact that is not a share: read as 0.07, it would be scored wrong.
#[cold]
#[inline(never)]
fn percent_of_plain(input: &AuditInput) -> Box<Problem> {
    let help = Labels::new(
        "this fact is a plain number, not a share: write it without `%` or `‰`",
        "此项为普通数值，不是比例：请不带 `%` 或 `‰` 填写",
    );
    problem_with_help(input.brief_in(), Some(help))
}

/// The error for a value `fact` could not take: kept out of line, so that
/// converting a good value does not make room for it.
#[cold]
#[inline(never)]
fn fact_error(program: &Program, fact: &FactDef, name: &str, problem: Problem) -> Error {
    Error::fact_in(ErrorKind::Audit, name, expected(program, fact), problem.given).with_help_in(problem.help)
}

/// What `fact` takes, as its errors say it: its type and unit, and its
/// bounds.
fn expected(program: &Program, fact: &FactDef) -> Labels {
    let unit = fact.unit.as_ref();
    let list = matches!(fact.ty, Ty::List(_));
    let mut expected = match (fact.bounds.whole, list) {
        (true, false) => Labels::new("a whole number", "整数"),
        (true, true) => Labels::new("a list of whole numbers", "列表，每项为整数"),
        _ => Labels::new(fact.ty.describe(&program.enums, unit), fact.ty.describe_zh(&program.enums, unit)),
    };
    if !fact.bounds.is_none() {
        // The Chinese list already says `每项为…`, which the bounds go on.
        let each = if list { ", each" } else { "" };
        expected.en = format!("{}{each} {}", expected.en, fact.bounds.describe(unit));
        expected.zh = format!("{}，{}", expected.zh, fact.bounds.describe_zh(unit));
    }
    expected
}

/// The error for a fact the audit gives a second time, flat and nested
/// (`"stack.height"` and `"stack": {"height": …}`): which one counts would
/// depend on the order of the keys.
#[cold]
#[inline(never)]
fn given_twice(name: &str) -> Error {
    let name = brief_name(name);
    let help = Labels::new(
        "give each fact once, either by its dotted name or nested under its prefix",
        "每个数据项只给一次：用带点的全名，或嵌套在其前缀之下",
    );
    Error::new(ErrorKind::Audit, format!("fact `{name}` is given twice"))
        .with_zh(format!("数据项 `{name}` 给出了两次"))
        .with_help_in(Some(help))
}

fn is_quantity_object(v: &AuditInput) -> bool {
    v.get("value").is_some() && v.get("unit").is_some()
}

/// Why a value does not convert; boxed, so a converted value is returned
/// in a result no larger than itself.
struct Problem {
    given: Labels,
    help: Option<Labels>,
}

#[cold]
#[inline(never)]
fn problem(input: &AuditInput) -> Box<Problem> {
    Box::new(Problem { given: input.brief_in(), help: half_width_help(input) })
}

/// The help for a text typed with full-width digits or signs: the text
/// in ASCII; or with a unit of one character (`㎎`, `㎥`), as a word
/// processor writes it: the text with the unit in letters.
fn half_width_help(input: &AuditInput) -> Option<Labels> {
    let AuditInput::Text(text) = input else { return None };
    match half_width(text) {
        Some(ascii) => {
            let ascii = unit_letters(&ascii).unwrap_or(ascii);
            Some(Labels::new(
                format!("write digits and symbols in ASCII: \"{ascii}\""),
                format!("数字与符号请用半角：\"{ascii}\""),
            ))
        }
        None => {
            let letters = unit_letters(text)?;
            Some(Labels::new(
                format!("write the unit in letters, not as one character: \"{letters}\""),
                format!("单位请用字母书写，不用单个组合字符：应写作 \"{letters}\""),
            ))
        }
    }
}

/// `text` with its units of one character (the CJK compatibility forms
/// `㎎`, `㎏`, `㎖`, `㎥`, `㎞`; `ℓ`) in letters; `None` when it has none.
fn unit_letters(text: &str) -> Option<String> {
    let letters = |c: char| {
        Some(match c {
            '㎍' => "µg",
            '㎎' => "mg",
            '㎏' => "kg",
            '㎖' | '㏄' => "mL",
            'ℓ' => "L",
            '㎜' => "mm",
            '㎝' => "cm",
            '㎞' => "km",
            '㎟' => "mm²",
            '㎠' => "cm²",
            '㎡' => "m²",
            '㎢' => "km²",
            '㎣' => "mm³",
            '㎤' => "cm³",
            '㎥' => "m³",
            '㎦' => "km³",
            '㎧' => "m/s",
            '㎩' => "Pa",
            '㎪' => "kPa",
            '㎫' => "MPa",
            '㎾' => "kW",
            '㎿' => "MW",
            '㏈' => "dB(A)",
            _ => return None,
        })
    };
    if !text.chars().any(|c| letters(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| letters(c).map_or_else(|| c.to_string(), str::to_string)).collect())
}

/// `text` with full-width digits and signs (as a Chinese input method
/// types them: `２５ ｍ`, `５０ ％`, `20 ℃`) in ASCII; `None` when it has none.
fn half_width(text: &str) -> Option<String> {
    let ascii = |c: char| match c {
        // The full-width forms of ASCII `!` to `~` are 0xFEE0 above them.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).map(String::from),
        '\u{3000}' => Some(" ".to_string()),
        '℃' => Some("°C".to_string()),
        _ => None,
    };
    if !text.chars().any(|c| ascii(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| ascii(c).unwrap_or_else(|| c.to_string())).collect())
}

/// The problem `given` with a help text.
fn problem_with_help(given: Labels, help: Option<Labels>) -> Box<Problem> {
    Box::new(Problem { given, help })
}

/// What was given at index `i` of a list: `"x" at position 3`.
fn at_position(given: Labels, i: usize) -> Labels {
    Labels::new(format!("{} at position {}", given.en, i + 1), format!("第 {} 项 {}", i + 1, given.zh))
}

/// Converts one audit value to the declared type; `Ok(None)` for null.
fn convert(
    program: &Program,
    ty: &Ty,
    unit: Option<&Unit>,
    input: &AuditInput,
    noticed: &mut Noticed,
) -> Result<Option<Value>, Box<Problem>> {
    if matches!(input, AuditInput::Null) {
        return Ok(None);
    }
    let value = match (ty, input) {
        (Ty::Bool, AuditInput::Bool(b)) => Value::Bool(*b),
        // 1/0, "TRUE", "yes", "是": as spreadsheets write a yes or no.
        (Ty::Bool, AuditInput::Number(_) | AuditInput::Text(_)) => {
            let help = Labels::new(
                "a yes-or-no fact takes true or false, unquoted (True or False in Python): convert 1/0 or yes/no first",
                "是否类数据项只接受不加引号的 true 或 false（Python 中为 True 或 False）：请先转换 1/0 或 是/否",
            );
            return Err(problem_with_help(input.brief_in(), Some(help)));
        }
        (Ty::Num(dim), _) => Value::Num(quantity(*dim, unit, input, noticed)?),
        (Ty::Text, AuditInput::Text(s)) => Value::Text(Arc::from(s.as_str())),
        // Spaces around a code, as a spreadsheet's cell keeps them, are
        // left out, as around a quantity.
        (Ty::Enum(k), AuditInput::Text(s)) => {
            let variants = program.enums.get(*k).map(|e| e.variants.as_slice()).unwrap_or_default();
            let given = |code: &str| variants.iter().find(|(v, _)| v == code);
            let Some((code, _)) = given(s).or_else(|| given(trim(s))) else {
                return Err(not_a_code(input, trim(s), variants));
            };
            Value::Text(Arc::from(code.as_str()))
        }
        // A code such as `"2"` given as the number 2, as a spreadsheet or
        // a CSV read by pandas writes it: the code written so.
        (Ty::Enum(k), AuditInput::Number(Ok(n))) => {
            let variants = program.enums.get(*k).map(|e| e.variants.as_slice()).unwrap_or_default();
            match variants.iter().find(|(v, _)| numeric_code(v) == Some(*n)) {
                Some((code, _)) => Value::Text(Arc::from(code.as_str())),
                None => return Err(problem(input)),
            }
        }
        (Ty::Date, AuditInput::Text(s)) => match crate::ir::parse_date(trim(s)) {
            Some(d) => Value::Date(d),
            None => {
                // A date and time (`2024-06-01T10:00:00+08:00`, or as a
                // spreadsheet writes it, `2024-06-01 00:00:00`): which day
                // it is depends on the zone, so the audit says the day.
                let s = trim(s);
                let after_day = s.get(10..).unwrap_or_default();
                let digits_after_space =
                    after_day.strip_prefix(' ').is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
                let timed = s.get(..10).and_then(crate::ir::parse_date).is_some()
                    && (after_day.starts_with('T') || digits_after_space);
                let help = if timed {
                    Labels::new(
                        "give the day only, YYYY-MM-DD: a time of day is not read",
                        "只写日期 YYYY-MM-DD：不读取时刻",
                    )
                } else {
                    Labels::new("dates are written YYYY-MM-DD and must exist", "日期写作 YYYY-MM-DD，且须是实有的日期")
                };
                return Err(problem_with_help(input.brief_in(), Some(help)));
            }
        },
        (Ty::List(inner), AuditInput::List(items)) => {
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match convert(program, inner, unit, item, noticed) {
                    Ok(Some(v)) => values.push(v),
                    // Not the whole list unknown for one gap: said, at its place.
                    Ok(None) => {
                        let help = Labels::new(
                            "a list holds known items only: leave this one out, or give the whole list as null when \
                             it is unknown",
                            "列表只含已知的项：去掉这一项；整个列表未知时，整体写 null",
                        );
                        return Err(problem_with_help(at_position(Labels::new("null", "null"), i), Some(help)));
                    }
                    Err(p) => {
                        return Err(problem_with_help(at_position(p.given, i), p.help));
                    }
                }
            }
            Value::List(Arc::from(values))
        }
        _ => return Err(problem(input)),
    };
    Ok(Some(value))
}

/// The number an enum code is, when it is written as that number is
/// (`2`, `1.5`, `-3`; not `02`, `2.0` or `1e3`): such a code may be given
/// as the number.
pub(crate) fn numeric_code(code: &str) -> Option<Num> {
    Num::parse(code).filter(|n| n.to_string() == code)
}

/// Why a number that reads as one is refused.
fn number_range() -> Labels {
    Labels::new(
        "numbers are held exactly, so they may have at most 30 significant digits, none before the 1e30s place or after the 1e-30s",
        "数值按精确值保存：有效数字至多 30 位，各位数字须在 1e30 位与 1e-30 位之间",
    )
}

/// A number or quantity: a bare number (in the declared unit), `"25 m"`, or
/// `{"value": 25, "unit": "m"}`. Returned in base units. A unit on another
/// volume basis than the declared one, or `%` for a plain number, is noticed.
fn quantity(dim: Dim, declared: Option<&Unit>, input: &AuditInput, noticed: &mut Noticed) -> Result<Num, Box<Problem>> {
    let plain = Unit::none();
    let declared = declared.unwrap_or(&plain);
    let (value, unit_text) = match input {
        AuditInput::Number(Ok(n)) => (*n, None),
        AuditInput::Number(Err(written)) => return Err(out_of_range(input, written)),
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            let Some(n) = Num::parse(number) else {
                return Err(match point_help(number, unit_text) {
                    Some(help) => problem_with_help(input.brief_in(), Some(help)),
                    // A number as a double reads it, but too large or long to hold exactly.
                    None if number.parse::<f64>().is_ok() => out_of_range(input, number),
                    None => not_a_number(input, declared),
                });
            };
            if unit_text.starts_with(',') {
                if let Some(help) = comma_help(s) {
                    return Err(problem_with_help(input.brief_in(), Some(help)));
                }
            }
            (n, Some(unit_text))
        }
        AuditInput::Map(entries) => {
            let (Some(AuditInput::Number(Ok(n))), Some(AuditInput::Text(u)), 2) =
                (input.get("value"), input.get("unit"), entries.len())
            else {
                return Err(not_a_quantity_object(input));
            };
            (*n, Some(u.as_str()))
        }
        _ => return Err(problem(input)),
    };
    // The declared unit is used as it is when the audit writes it so.
    let written: Unit;
    let unit = match unit_text.map(trim) {
        Some(text) if !text.is_empty() && text != declared.name() => {
            written = Unit::parse_or_why(text).map_err(|why| not_a_unit(input, &why, declared))?;
            noticed.other_volume_basis |= other_volume_basis(declared, &written);
            noticed.scaled_plain |= declared.name().is_empty() && written.factor() != Num::ONE;
            &written
        }
        _ => declared,
    };
    if unit.dim() != dim {
        return Err(other_dimension(value, unit, input, declared));
    }
    unit.to_base(value).ok_or_else(|| problem(input))
}

// The problems of a quantity, out of line: converting a good one does not
// make room for them.

/// A number that reads as one but is not held: one that is not finite
/// (`inf`, `nan`), or one past the exact-decimal limit. The message says
/// which; the help, what to give instead.
#[cold]
#[inline(never)]
fn out_of_range(input: &AuditInput, number: &str) -> Box<Problem> {
    let given = input.brief_in();
    let unsigned = number.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if matches!(unsigned.as_str(), "inf" | "infinity" | "nan") {
        let help = Labels::new(
            "give a finite number, or leave the fact out while it is not known",
            "请给出有限数值；尚不知道时，不填此数据项",
        );
        let given =
            Labels::new(format!("{}, which is not a finite number", given.en), format!("{}，不是有限数值", given.zh));
        return problem_with_help(given, Some(help));
    }
    let given = if too_small(&unsigned) {
        Labels::new(
            format!("{}, which is too small to hold exactly", given.en),
            format!("{}，数值过小，无法精确保存", given.zh),
        )
    } else {
        Labels::new(
            format!("{}, which is too large or too long to hold exactly", given.en),
            format!("{}，数值过大或位数过多，无法精确保存", given.zh),
        )
    };
    problem_with_help(given, Some(number_range()))
}

/// Whether a number refused by [`Num::parse`] (`unsigned`, lowercase) was
/// refused for its size below 1 (`1e-31`, `1.5e-40`) rather than for its
/// digits: it has no more significant digits than a number may have.
fn too_small(unsigned: &str) -> bool {
    let mantissa = unsigned.split('e').next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    (1..=crate::num::MAX_DIGITS).contains(&significant) && unsigned.parse::<f64>().is_ok_and(|v| v < 1.0)
}

/// The help for `15.m` or `.5 m`, a number without a digit on one side of
/// its point (which a double reads, but the language does not): the value
/// with a `0` there.
#[cold]
#[inline(never)]
fn point_help(number: &str, unit_text: &str) -> Option<Labels> {
    let (sign, digits) = number.split_at(usize::from(number.starts_with(['-', '+'])));
    let (mantissa, exponent) = digits.split_at(digits.find(['e', 'E']).unwrap_or(digits.len()));
    let fixed = match (mantissa.strip_prefix('.'), mantissa.strip_suffix('.')) {
        (Some(after), _) => format!("{sign}0.{after}{exponent}"),
        (None, Some(before)) => format!("{sign}{before}.0{exponent}"),
        (None, None) => return None,
    };
    Num::parse(&fixed)?;
    let shown = with_unit(&fixed, unit_text);
    Some(Labels::new(
        format!("a number has digits on both sides of its point: write \"{shown}\""),
        format!("小数点两边都要有数字：应写作 \"{shown}\""),
    ))
}

/// The help for `15,5 m` (a decimal comma) or `1,000 m` (a thousands
/// separator), whose number ends at the comma and whose unit would be
/// `,5 m`: the number with a point, or without the comma.
#[cold]
#[inline(never)]
fn comma_help(text: &str) -> Option<Labels> {
    let text = trim(text);
    let end = text.find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+'))).unwrap_or(text.len());
    let (written, unit_text) = text.split_at(end);
    let mut groups = written.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    // `1,000` and `1,000,000.5`: groups of three digits after each comma.
    let thousands = !rest.is_empty()
        && rest
            .iter()
            .all(|g| g.split('.').next().is_some_and(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())));
    let decimal = match rest.as_slice() {
        [fraction] if !first.contains('.') && !fraction.contains('.') => Some(format!("{first}.{fraction}")),
        _ => None,
    }
    .filter(|d| Num::parse(d).is_some());
    let whole = written.replace(',', "");
    let help = match (thousands && Num::parse(&whole).is_some(), decimal) {
        (true, Some(decimal)) => {
            let (whole, decimal) = (with_unit(&whole, unit_text), with_unit(&decimal, unit_text));
            Labels::new(
                format!(
                    "a number has no thousands separators: write \"{whole}\" (or \"{decimal}\" if the comma is a decimal point)"
                ),
                format!("数字不用千位分隔符：应写作 \"{whole}\"（若逗号是小数点，应写作 \"{decimal}\"）"),
            )
        }
        (true, None) => thousands_help(&with_unit(&whole, unit_text)),
        (false, Some(decimal)) => {
            let decimal = with_unit(&decimal, unit_text);
            Labels::new(
                format!("a decimal comma is written as a point: \"{decimal}\""),
                format!("小数点用 `.`，不用逗号：应写作 \"{decimal}\""),
            )
        }
        (false, None) => return None,
    };
    Some(help)
}

/// The help for `1×10⁻⁷ cm/s` (or `1x10^-7`, `1*10-7`), a power of ten
/// as standards print it, whose unit would be `×10⁻⁷ cm/s`: the number
/// with an exponent, `1e-7 cm/s`.
#[cold]
#[inline(never)]
fn power_of_ten_help(number: &str, unit_text: &str) -> Option<Labels> {
    // A sign of multiplication first: `5 102 cm` is no power of ten.
    let unit_text = trim(unit_text);
    let rest = unit_text.trim_start_matches(['×', 'x', 'X', '*', '·', '⋅']);
    if rest.len() == unit_text.len() {
        return None;
    }
    let rest = rest.trim_start().strip_prefix("10")?;
    let rest = rest.strip_prefix('^').unwrap_or(rest);
    let (mut exponent, rest) = match rest.chars().next() {
        Some(c @ ('-' | '⁻' | '−')) => (String::from("-"), rest.get(c.len_utf8()..)?),
        Some(c @ ('+' | '⁺')) => (String::new(), rest.get(c.len_utf8()..)?),
        _ => (String::new(), rest),
    };
    let digit = |c: char| c.to_digit(10).or_else(|| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c)?.try_into().ok());
    let end = rest.find(|c: char| digit(c).is_none()).unwrap_or(rest.len());
    let digits = rest.get(..end)?;
    if digits.is_empty() {
        return None;
    }
    exponent.extend(digits.chars().filter_map(|c| char::from_digit(digit(c)?, 10)));
    let fixed = format!("{number}e{exponent}");
    Num::parse(&fixed)?;
    let shown = with_unit(&fixed, rest.get(end..).unwrap_or_default());
    Some(Labels::new(
        format!("write a power of ten with `e`: \"{shown}\""),
        format!("10 的乘方用 `e` 表示：应写作 \"{shown}\""),
    ))
}

/// `15.0 m`: a number and the unit written after it, if any.
fn with_unit(number: &str, unit_text: &str) -> String {
    match trim(unit_text) {
        "" => number.to_string(),
        unit => format!("{number} {unit}"),
    }
}

#[cold]
#[inline(never)]
fn not_a_quantity_object(input: &AuditInput) -> Box<Problem> {
    let other = match input {
        AuditInput::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).find(|k| !matches!(*k, "value" | "unit")),
        _ => None,
    };
    // What is wrong with it, where that can be told.
    let help = match (input.get("value"), input.get("unit"), other) {
        (Some(AuditInput::Number(Err(_))), _, _) => number_range(),
        (Some(AuditInput::Null), _, _) => Labels::new(
            "its `value` is null: leave the fact out while it is not known",
            "其 `value` 为 null：尚不知道时，不填此数据项",
        ),
        (Some(v @ (AuditInput::Text(_) | AuditInput::Bool(_) | AuditInput::List(_) | AuditInput::Map(_))), _, _) => {
            let given = v.brief_in();
            Labels::new(
                format!("its `value` must be a number, not {}", given.en),
                format!("其 `value` 应为数值，而非 {}", given.zh),
            )
        }
        (Some(_), Some(u), _) if !matches!(u, AuditInput::Text(_)) => {
            Labels::new("its `unit` must be a text, such as \"m\"", "其 `unit` 应为文本，如 \"m\"")
        }
        (Some(_), Some(_), Some(other)) => Labels::new(
            format!("a quantity holds only `value` and `unit`; `{other}` is not read"),
            format!("量只含 `value` 与 `unit`；`{other}` 不会被读取"),
        ),
        _ => Labels::new(
            "write a quantity as {\"value\": 25, \"unit\": \"m\"}",
            "量写作 {\"value\": 25, \"unit\": \"m\"}",
        ),
    };
    problem_with_help(input.brief_in(), Some(help))
}

#[cold]
#[inline(never)]
fn not_a_unit(input: &AuditInput, why: &NotAUnit, declared: &Unit) -> Box<Problem> {
    // `50 ％`: the full-width sign is the problem, not the unit; in
    // `1×10⁻⁷ cm/s`, the power of ten; in `1 000 m³/d`, a thousands
    // separator; in `0.025L mg/L`, a lab sheet's mark; in `25 毫克/立方米`,
    // the unit's Chinese name.
    let other = || match input {
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            power_of_ten_help(number, unit_text)
                .or_else(|| space_thousands_help(number, unit_text))
                .or_else(|| below_detection_mark_help(number, unit_text, declared))
                .or_else(|| chinese_unit_help(number, unit_text))
        }
        _ => None,
    };
    let help = half_width_help(input).or_else(other).unwrap_or_else(|| why.labels());
    problem_with_help(input.brief_in(), Some(help))
}

/// `15 kg (a mass)` given for a length; `0.5L` given for a concentration
/// is a lab sheet's mark of a value below the detection limit, not litres.
#[cold]
#[inline(never)]
fn other_dimension(value: Num, unit: &Unit, input: &AuditInput, declared: &Unit) -> Box<Problem> {
    let given = if unit.name().is_empty() {
        Labels::new(format!("{value} (a plain number)"), format!("{value}（纯数）"))
    } else {
        Labels::new(
            format!("{value} {unit} ({})", unit.dim().describe_in_brackets()),
            format!("{value} {unit}（{}）", unit.dim().describe_in_brackets_zh()),
        )
    };
    let help = match input {
        AuditInput::Text(s) => {
            let (number, unit_text) = split_quantity(s);
            below_detection_mark_help(number, unit_text, declared)
        }
        _ => None,
    };
    problem_with_help(given, help)
}

/// What to do about a value below the detection limit, `limit` (as
/// written, with its unit) if it is known: ecorule takes measured values
/// only, and a fact left out leaves the clauses it decides undecided.
fn below_detection_advice(limit: Option<&str>) -> Labels {
    let (en, zh) = match limit {
        Some(limit) => (format!(" or the detection limit \"{limit}\""), format!("或检出限 \"{limit}\"")),
        None => (" or the detection limit".to_string(), "或检出限".to_string()),
    };
    Labels::new(
        format!(
            "ecorule has no value for below the detection limit: give the measured value{en}, as your regulator \
             requires, or leave the fact out so that the clauses it decides stay undecided"
        ),
        format!(
            "ecorule 没有“低于检出限”这种值：请按主管部门的要求填实测值{zh}；或不填此数据项，由它判定的条款暂不判定"
        ),
    )
}

/// The help for a value a lab sheet writes for a measurement below the
/// detection limit, or for a bound: `ND`, `未检出`, `<0.5 mg/L`,
/// `≤20 mg/L`, `>5`; `None` for other text.
#[cold]
#[inline(never)]
fn lab_sheet_help(text: &str, declared: &Unit) -> Option<Labels> {
    let text = trim(text);
    let first = text.split(|c: char| c.is_whitespace() || matches!(c, '(' | '（')).next().unwrap_or_default();
    let not_detected = matches!(first.to_ascii_uppercase().as_str(), "ND" | "N.D." | "N.D" | "BDL" | "<DL" | "<LOD")
        || ["未检出", "未检测出", "低于检出限", "小于检出限"].iter().any(|w| text.starts_with(w));
    if not_detected {
        let advice = below_detection_advice(None);
        return Some(Labels::new(
            format!("`{first}` means not detected (below the detection limit); {}", advice.en),
            format!("`{first}` 表示未检出（低于检出限）；{}", advice.zh),
        ));
    }
    let below = ["<=", "≤", "≦", "<", "＜", "﹤"].iter().find_map(|s| text.strip_prefix(s).map(|rest| (s, rest)));
    if let Some((sign, rest)) = below {
        let (number, unit_text) = split_quantity(rest);
        Num::parse(number)?;
        let limit = with_unit(number, if trim(unit_text).is_empty() { declared.name() } else { unit_text });
        let advice = below_detection_advice(Some(&limit));
        return Some(Labels::new(
            format!("`{sign}` marks a bound, not a value: if {limit} is the detection limit, {}", advice.en),
            format!("`{sign}` 表示界限而非数值：若 {limit} 是检出限，{}", advice.zh),
        ));
    }
    let above = [">=", "≥", "≧", ">", "＞", "﹥"].iter().find_map(|s| text.strip_prefix(s).map(|rest| (s, rest)));
    let (sign, rest) = above?;
    Num::parse(split_quantity(rest).0)?;
    Some(Labels::new(
        format!("`{sign}` marks a bound, not a value: give the measured value"),
        format!("`{sign}` 表示界限而非数值：请填实测值"),
    ))
}

/// The help for `0.025L mg/L`, or `0.5L` for a fact that is not a volume:
/// an `L` right after the number is the mark HJ monitoring standards give
/// a result below the detection limit of that number. `0.5 L`, with a
/// space, is litres.
#[cold]
#[inline(never)]
fn below_detection_mark_help(number: &str, unit_text: &str, declared: &Unit) -> Option<Labels> {
    let after = unit_text.strip_prefix('L')?;
    Num::parse(number)?;
    let unit = if after.is_empty() {
        declared.name()
    } else if after.starts_with(char::is_whitespace) && Unit::parse(trim(after)).is_ok() {
        trim(after)
    } else {
        return None;
    };
    let limit = with_unit(number, unit);
    let advice = below_detection_advice(Some(&limit));
    Some(Labels::new(
        format!(
            "`{number}L` is how HJ monitoring standards mark a result below the detection limit of {number}; {}",
            advice.en
        ),
        format!("`{number}L` 是 HJ 监测标准中“低于检出限 {number}”的写法；{}", advice.zh),
    ))
}

/// The help for `1 000 m³/d`, a space (or a thin space) as a thousands
/// separator, whose unit would be `000 m³/d`: as for `1,000 m³/d`.
#[cold]
#[inline(never)]
fn space_thousands_help(number: &str, unit_text: &str) -> Option<Labels> {
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut whole = number.to_string();
    let mut rest = unit_text;
    // Each group: a space, then three digits not followed by another digit.
    while let Some(after) = rest.strip_prefix(char::is_whitespace) {
        let group = after.get(..3).filter(|g| g.bytes().all(|b| b.is_ascii_digit()));
        let Some(group) = group else { break };
        if after.as_bytes().get(3).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        whole.push_str(group);
        rest = after.get(3..).unwrap_or_default();
    }
    if whole.len() == number.len() {
        return None;
    }
    // A decimal part after the last group: `1 000.5 m`.
    let (fraction, unit_text) = split_quantity(rest);
    let whole = format!("{whole}{fraction}");
    Num::parse(&whole)?;
    Some(thousands_help(&with_unit(&whole, unit_text)))
}

/// "a number has no thousands separators: write \"1000 m\"".
fn thousands_help(whole: &str) -> Labels {
    Labels::new(
        format!("a number has no thousands separators: write \"{whole}\""),
        format!("数字不用千位分隔符：应写作 \"{whole}\""),
    )
}

/// Units written by their Chinese names, as a lab sheet or a form may
/// give them, and the symbols they stand for; a longer name before any
/// name it holds (`毫克` before `克`).
const CHINESE_UNITS: &[(&str, &str)] = &[
    ("立方米", "m³"),
    ("平方米", "m²"),
    ("毫克", "mg"),
    ("微克", "µg"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("克", "g"),
    ("吨", "t"),
    ("毫升", "mL"),
    ("升", "L"),
    ("公里", "km"),
    ("千米", "km"),
    ("厘米", "cm"),
    ("毫米", "mm"),
    ("米", "m"),
    ("小时", "h"),
    ("分钟", "min"),
    ("秒", "s"),
    ("天", "d"),
    ("年", "a"),
    ("千帕", "kPa"),
    ("兆帕", "MPa"),
    ("帕", "Pa"),
    ("千瓦", "kW"),
    ("兆瓦", "MW"),
    ("瓦", "W"),
    ("摄氏度", "°C"),
    ("分贝", "dB(A)"),
    ("每", "/"),
];

/// The help for `25 毫克/立方米`, a unit written by its Chinese name: the
/// unit's symbol, `25 mg/m³`, when every name in it has one.
#[cold]
#[inline(never)]
fn chinese_unit_help(number: &str, unit_text: &str) -> Option<Labels> {
    let mut symbols = trim(unit_text).to_string();
    for (name, symbol) in CHINESE_UNITS {
        symbols = symbols.replace(name, symbol);
    }
    let symbols = symbols.replace(' ', "");
    if symbols == trim(unit_text) || Unit::parse(&symbols).is_err() {
        return None;
    }
    let shown = with_unit(number, &symbols);
    Some(Labels::new(
        format!("write the unit as its symbol: \"{shown}\""),
        format!("单位请用符号书写：应写作 \"{shown}\""),
    ))
}

/// The problem of a text given for a number that does not start with
/// one: a lab sheet's `ND` or `<0.5 mg/L` is told what to give instead.
#[cold]
#[inline(never)]
fn not_a_number(input: &AuditInput, declared: &Unit) -> Box<Problem> {
    match input {
        AuditInput::Text(s) => match lab_sheet_help(s, declared) {
            Some(help) => problem_with_help(input.brief_in(), Some(help)),
            None => problem(input),
        },
        _ => problem(input),
    }
}

/// The problem of a text given for an enum that is none of its codes:
/// one of its labels (`低温干燥`, or the start of `低温干燥(桨叶+闪蒸等)`)
/// is told the code; a code misspelt, the closest.
#[cold]
#[inline(never)]
fn not_a_code(input: &AuditInput, given: &str, variants: &[(String, Labels)]) -> Box<Problem> {
    let labelled = |prefix: bool| {
        let mut found = variants.iter().filter(|(_, label)| {
            let (zh, en) = (label.zh.trim(), label.en.trim());
            zh == given
                || (!en.is_empty() && en.eq_ignore_ascii_case(given))
                || (prefix && given.chars().count() >= 2 && (zh.starts_with(given) || en.starts_with(given)))
        });
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    let help = match labelled(false).or_else(|| labelled(true)) {
        Some((code, label)) => Some(Labels::new(
            format!(
                "give the code, not the label: did you mean `{code}` ({})?",
                if label.en.is_empty() { &label.zh } else { &label.en }
            ),
            format!("请填代码而非名称：是否应为 `{code}`（{}）？", label.zh),
        )),
        None => crate::suggest::did_you_mean_in(given, variants.iter().map(|(v, _)| v.as_str())),
    };
    problem_with_help(input.brief_in(), help)
}

/// `"25 mg/L"` as its number and its unit text (`"25"`, `" mg/L"`).
fn split_quantity(text: &str) -> (&str, &str) {
    let text = trim(text);
    // the number ends where its characters do (all of them ASCII)
    let split = text.bytes().position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')));
    text.split_at(split.unwrap_or(text.len()))
}

/// The report's warning for `input`, a value of `fact` given per litre
/// where the fact is per cubic metre or the other way round (in one of its
/// items, for a list): names the first such unit.
#[cold]
fn volume_basis_warning(fact: &FactDef, name: &str, input: &AuditInput) -> Labels {
    let plain = Unit::none();
    let declared = fact.unit.as_ref().unwrap_or(&plain);
    let written = |input: &AuditInput| match input {
        AuditInput::Text(s) => Unit::parse(split_quantity(s).1).ok(),
        AuditInput::Map(_) => match input.get("unit") {
            Some(AuditInput::Text(u)) => Unit::parse(u).ok(),
            _ => None,
        },
        _ => None,
    };
    let items = match input {
        AuditInput::List(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let given = items.iter().filter_map(written).find(|u| other_volume_basis(declared, u)).unwrap_or_else(Unit::none);
    let (declared_basis, given_basis) = (VolumeBasis::of(declared), VolumeBasis::of(&given));
    let en = |basis: Option<VolumeBasis>| basis.map_or("", VolumeBasis::en);
    let zh = |basis: Option<VolumeBasis>| basis.map_or("", VolumeBasis::zh);
    let ratio = given.factor().checked_div(declared.factor()).unwrap_or(Num::ONE);
    let (declared, given) = (declared.name(), given.name());
    Labels {
        en: format!(
            "fact `{name}` is declared in {declared} ({}) but given in {given} ({}): 1 {given} is {ratio} {declared}, \
             and it is scored so; check the unit",
            en(declared_basis),
            en(given_basis),
        ),
        zh: format!(
            "数据项 `{name}` 的单位声明为 {declared}（{}），给出的却是 {given}（{}）：1 {given} 即 {ratio} {declared}，\
             已按此计分；请核对单位",
            zh(declared_basis),
            zh(given_basis),
        ),
    }
}

/// `text.trim()`, without decoding characters where the text starts, and
/// ends, with a visible ASCII character (as numbers and most units do).
fn trim(text: &str) -> &str {
    // ASCII whitespace is whitespace to `trim` too.
    let text = text.trim_ascii_start();
    let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    match (plain(text.as_bytes().first()), plain(text.as_bytes().last())) {
        (true, true) => text,
        (true, false) => text.trim_end(),
        (false, _) => text.trim(),
    }
}

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

#[cfg(test)]
mod size_tests {
    use proptest::prelude::*;

    use super::*;

    const BOOK: &str = r#"
rulebook sizes "尺寸" {
  facts {
    stack.height: quantity m "高度"
    stack.open: bool "开"
    fuel: text "燃料"
    kinds: list enum { a "甲", b "乙" } "种类"
  }
  scoring {
    scale 10
    grade ok "合格" when score >= 6
    grade fail "不合格" otherwise
    verdict done "完" otherwise
  }
  area A1 "区" {
    clause C1 "高" points 10 { require stack.height >= 15 m }
  }
}"#;

    fn program() -> Arc<Program> {
        match crate::Rulebook::compile("sizes.eco", BOOK) {
            Ok(book) => Arc::new(book.program().clone()),
            Err(e) => panic!("{e}"),
        }
    }

    /// Audit values of every shape, with keys that are facts, prefixes of
    /// facts, built-in sections and strangers.
    fn input() -> impl Strategy<Value = AuditInput> {
        let key = prop_oneof![
            Just("stack"),
            Just("height"),
            Just("stack.height"),
            Just("stack.open"),
            Just("open"),
            Just("fuel"),
            Just("kinds"),
            Just("facts"),
            Just("audit"),
            Just("enterprise"),
            Just("id"),
            Just("date"),
            Just("value"),
            Just("unit"),
            Just("a key longer than most"),
        ]
        .prop_map(str::to_string);
        let leaf = prop_oneof![
            Just(AuditInput::Null),
            any::<bool>().prop_map(AuditInput::Bool),
            (-50i64..50).prop_map(|n| AuditInput::Number(Ok(Num::int(n)))),
            prop_oneof![Just("12 m"), Just("a"), Just("2024-05-20"), Just("m"), Just("a rather long text value")]
                .prop_map(|s| AuditInput::Text(s.to_string())),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(AuditInput::List),
                proptest::collection::vec((key.clone(), inner), 0..6).prop_map(AuditInput::Map),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// `trim` is `str::trim`, on texts with every kind of whitespace.
        #[test]
        fn trim_is_str_trim(text in "[ \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{3000}\u{2028}a1³µ/.-]{0,8}") {
            prop_assert_eq!(trim(&text), text.trim());
        }

        /// Binding holds an audit to its size limits (depth too) as `check_size` does:
        /// the same error when it is over one, else the binding it gets
        /// with no limits.
        #[test]
        fn binding_checks_size_as_check_size_does(
            facts in input(),
            audit in input(),
            extra in input(),
            max_audit_values in 1usize..40,
            max_string_bytes in 0usize..30,
            max_depth in 0usize..6,
            strict in any::<bool>(),
        ) {
            let program = program();
            let input = AuditInput::Map(vec![
                ("audit".to_string(), audit),
                ("facts".to_string(), facts),
                ("extra".to_string(), extra),
            ]);
            let limits = Limits { max_audit_values, max_string_bytes, max_depth, ..Limits::default() };
            let unlimited = Limits {
                max_audit_values: usize::MAX,
                max_string_bytes: usize::MAX,
                max_depth: usize::MAX,
                ..Limits::default()
            };
            let shown = |r: Result<Bound, Errors>| format!("{r:?}");
            let bound = shown(bind(&program, &input, strict, &limits));
            match input.check_size(&limits) {
                Err(e) => prop_assert_eq!(bound, format!("{:?}", Err::<Bound, Errors>(e.into()))),
                Ok(()) => prop_assert_eq!(bound, shown(bind(&program, &input, strict, &unlimited))),
            }
        }

        /// The same for an audit that is not an object, or whose facts are.
        #[test]
        fn any_shape_is_checked(
            input in input(),
            max_audit_values in 1usize..40,
            max_string_bytes in 0usize..30,
            max_depth in 0usize..6,
        ) {
            let program = program();
            let limits = Limits { max_audit_values, max_string_bytes, max_depth, ..Limits::default() };
            let bound = format!("{:?}", bind(&program, &input, false, &limits));
            if let Err(e) = input.check_size(&limits) {
                prop_assert_eq!(bound, format!("{:?}", Err::<Bound, Errors>(e.into())));
            }
        }
    }
}

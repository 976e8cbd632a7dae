//! Stage 3: an audit as given (JSON, TOML, a Python dict, a JS object) to
//! the values of a rulebook's fact slots.
//!
//! [`AuditInput`] deserialises from any serde format and rejects duplicate
//! keys. Binding converts each value to the declared type and unit and
//! collects every problem, naming the fact, what was expected and what was
//! given; a fact given twice (flat and nested) is one of them.
//!
//! Its steps, a module each: `read` takes JSON or TOML text to an
//! [`AuditInput`], `size` holds it to the size limits, `bind` gives its
//! facts to a rulebook's slots, `convert` turns one value into its
//! fact's declared type and unit, and `help` says how to write a value
//! that did not convert (a decimal comma, a lab sheet's `ND`, …).
//! Here are the type itself and the audit errors the bindings share.

mod bind;
mod convert;
mod help;
mod read;
mod size;

use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::num::Num;

pub(crate) use bind::{Bound, bind, bind_value, column_unit, no_slot};
pub(crate) use convert::numeric_code;

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
/// ([`ErrorKind::AuditTooLarge`] for an audit over
/// [`Limits`](crate::Limits)). An audit deserialised or built by the caller
/// is held to the limits when it is scored or bound.
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

impl AuditInput {
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
    /// (the limit on audit text,
    /// [`Limits::max_audit_bytes`](crate::Limits::max_audit_bytes), for an
    /// audit given as values rather than text).
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

    /// [`Error::not_utf8`] of the file at `path`, named as given: the
    /// error the CLI and the Python binding give a rulebook or an audit
    /// file that is not UTF-8.
    #[cold]
    pub fn file_not_utf8(kind: ErrorKind, path: &str, bytes: &[u8], e: &std::str::Utf8Error) -> Error {
        Error::not_utf8(kind, Labels::new(path, format!("{path} ")), bytes, e)
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

//! An audit held to the size limits of [`Limits`]: how many values it
//! holds, how long its texts and keys are, and how deep it nests; the
//! place over a limit is found again on the error path only.

use super::AuditInput;
use crate::error::{Error, ErrorKind};
use crate::ir::*;
use crate::limits::Limits;

impl AuditInput {
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
}

/// The error for the text `long` of `fact`, over `limit`.
pub(super) fn long_text(fact: &str, long: &str, limit: usize) -> Error {
    Error::audit_text_too_long(fact, long.len(), limit, None)
}

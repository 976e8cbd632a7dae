//! Stage 3: an audit as given (JSON, TOML, a Python dict, a JS object) to
//! the values of a rulebook's fact slots.
//!
//! [`AuditInput`] deserialises from any serde format and rejects duplicate
//! keys. Binding converts each value to the declared type and unit and
//! collects every problem, naming the fact, what was expected and what was
//! given.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, ErrorKind, Errors};
use crate::ir::*;
use crate::limits::Limits;
use crate::num::Num;
use crate::units::{Dim, Unit};

/// An audit as given, before it is checked against a rulebook.
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
    /// Parses JSON text, with the size limits of `limits`.
    pub fn from_json(text: &str, limits: &Limits) -> Result<AuditInput, Error> {
        if text.len() > limits.max_audit_bytes {
            return Err(Error::new(
                ErrorKind::AuditTooLarge,
                format!("the audit is {} bytes, more than the limit of {} bytes", text.len(), limits.max_audit_bytes),
            ));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let input: AuditInput = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Audit, format!("the audit is not valid JSON: {e}")))?;
        input.check_size(limits)?;
        Ok(input)
    }

    /// Checks the number of values and the length of strings.
    pub fn check_size(&self, limits: &Limits) -> Result<(), Error> {
        let mut count = 0usize;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            count += 1;
            if count > limits.max_audit_values {
                return Err(Error::new(
                    ErrorKind::AuditTooLarge,
                    format!("the audit holds more than the limit of {} values", limits.max_audit_values),
                ));
            }
            match v {
                AuditInput::Text(s) if s.len() > limits.max_string_bytes => {
                    return Err(Error::new(
                        ErrorKind::AuditTooLarge,
                        format!("a text value is longer than the limit of {} bytes", limits.max_string_bytes),
                    ));
                }
                AuditInput::List(items) => stack.extend(items),
                AuditInput::Map(entries) => {
                    for (k, v) in entries {
                        if k.len() > limits.max_string_bytes {
                            return Err(Error::new(
                                ErrorKind::AuditTooLarge,
                                format!("a key is longer than the limit of {} bytes", limits.max_string_bytes),
                            ));
                        }
                        stack.push(v);
                    }
                }
                _ => {}
            }
        }
        Ok(())
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
            AuditInput::Text(s) => format!("\"{s}\""),
            AuditInput::List(items) => format!("a list of {}", items.len()),
            AuditInput::Map(_) => "an object".to_string(),
        };
        if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
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
        Ok(AuditInput::Number(Num::parse(&v.to_string()).ok_or_else(|| v.to_string())))
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
        while let Some(key) = map.next_key::<String>()? {
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value: AuditInput = map.next_value()?;
            entries.push((key, value));
        }
        // TOML dates arrive as a one-key map.
        if let [(key, AuditInput::Text(date))] = entries.as_slice() {
            if key == "$__toml_private_datetime" {
                return Ok(AuditInput::Text(date.clone()));
            }
        }
        Ok(AuditInput::Map(entries))
    }
}

/// An audit's facts bound to a rulebook's slots.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub values: Vec<Option<Value>>,
    /// Enterprise fields beyond id and name, kept for the report.
    pub enterprise: BTreeMap<String, String>,
    pub warnings: Vec<String>,
}

/// Binds `input` to the program's fact slots. In strict mode an undeclared
/// fact is an error; otherwise a warning.
pub(crate) fn bind(program: &Program, input: &AuditInput, strict: bool) -> Result<Bound, Errors> {
    let mut binder =
        Binder { program, values: vec![None; program.facts.len()], errors: Vec::new(), warnings: Vec::new(), strict };
    let AuditInput::Map(top) = input else {
        return Err(Error::new(
            ErrorKind::Audit,
            format!("an audit must be an object with `audit` and `facts`, not {}", input.brief()),
        )
        .into());
    };
    for (key, _) in top {
        if key != "audit" && key != "facts" && key != "$schema" {
            binder.unknown(&format!("top-level key `{key}`"));
        }
    }
    let mut enterprise = BTreeMap::new();
    match input.get("audit") {
        Some(meta @ AuditInput::Map(entries)) => {
            for (key, value) in entries {
                match key.as_str() {
                    "date" => binder.set(AUDIT_DATE, "audit.date", value),
                    "id" => binder.set(AUDIT_ID, "audit.id", &stringify(value)),
                    "enterprise" => enterprise = binder.enterprise(value),
                    other => binder.unknown(&format!("`audit.{other}`")),
                }
            }
            let _ = meta;
        }
        Some(AuditInput::Null) | None => {}
        Some(other) => {
            binder.errors.push(Error::fact("audit", "an object with id, date and enterprise", other.brief()))
        }
    }
    match input.get("facts") {
        Some(facts @ AuditInput::Map(_)) => binder.facts(&mut String::with_capacity(64), facts),
        Some(AuditInput::Null) | None => {}
        Some(other) => binder.errors.push(Error::fact("facts", "an object of fact values", other.brief())),
    }
    if binder.errors.is_empty() {
        Ok(Bound { values: binder.values, enterprise, warnings: binder.warnings })
    } else {
        Err(Errors::new(binder.errors))
    }
}

/// Converts one value for the fact in `slot`, for callers that hold audits
/// as columns: each distinct value is converted once, then set on many
/// [`Bound`]s.
pub(crate) fn bind_value(program: &Program, slot: usize, input: &AuditInput) -> Result<Option<Value>, Errors> {
    let Some(fact) = program.facts.get(slot) else {
        return Err(Error::new(ErrorKind::Audit, format!("rulebook `{}` has no fact slot {slot}", program.id)).into());
    };
    let stringified;
    let input = if slot == AUDIT_ID || slot == ENTERPRISE_ID {
        stringified = stringify(input);
        &stringified
    } else {
        input
    };
    convert_fact(program, fact, &fact.name, input).map_err(Errors::from)
}

/// Audit ids may be given as numbers.
fn stringify(value: &AuditInput) -> AuditInput {
    match value {
        AuditInput::Number(Ok(n)) => AuditInput::Text(n.to_string()),
        other => other.clone(),
    }
}

struct Binder<'a> {
    program: &'a Program,
    values: Vec<Option<Value>>,
    errors: Vec<Error>,
    warnings: Vec<String>,
    strict: bool,
}

impl Binder<'_> {
    fn unknown(&mut self, what: &str) {
        let message = format!("{what} is not declared by rulebook `{}`", self.program.id);
        if self.strict {
            self.errors.push(Error::new(ErrorKind::Audit, message));
        } else {
            self.warnings.push(message);
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
                                _ => None,
                            };
                            if let Some(shown) = shown {
                                extra.insert(other.to_string(), shown);
                            }
                        }
                    }
                }
            }
            AuditInput::Null => {}
            other => self.errors.push(Error::fact("audit.enterprise", "an object with id and name", other.brief())),
        }
        extra
    }

    /// Binds the facts of an object; `name` holds the dotted prefix of
    /// nested objects (`stack` for `{"stack": {"height": …}}`) and is
    /// restored on return.
    fn facts(&mut self, name: &mut String, value: &AuditInput) {
        let AuditInput::Map(entries) = value else {
            return;
        };
        let prefix = name.len();
        for (key, v) in entries {
            name.truncate(prefix);
            if prefix > 0 {
                name.push('.');
            }
            name.push_str(key);
            let declared = self.program.fact_slots.get(name.as_str()).copied();
            match declared.filter(|s| self.program.facts.get(*s).is_some_and(|f| !f.builtin)) {
                Some(slot) => self.set(slot, name, v),
                None if matches!(v, AuditInput::Map(_)) && !is_quantity_object(v) => self.facts(name, v),
                None => self.unknown(&format!("fact `{name}`")),
            }
        }
        name.truncate(prefix);
    }

    fn set(&mut self, slot: usize, name: &str, input: &AuditInput) {
        let Some(fact) = self.program.facts.get(slot) else {
            return;
        };
        match convert_fact(self.program, fact, name, input) {
            Ok(value) => {
                if let Some(v) = self.values.get_mut(slot) {
                    *v = value;
                }
            }
            Err(error) => self.errors.push(error),
        }
    }
}

/// One audit value converted for `fact`, or the error that names the fact
/// (as `name`, the way the audit wrote it), what it expects and what it got.
fn convert_fact(program: &Program, fact: &FactDef, name: &str, input: &AuditInput) -> Result<Option<Value>, Error> {
    convert(program, &fact.ty, fact.unit.as_ref(), input).map_err(|problem| {
        let expected = fact.ty.describe(&program.enums, fact.unit.as_ref());
        let error = Error::fact(name, expected, problem.given);
        match problem.help {
            Some(h) => error.with_help(h),
            None => error,
        }
    })
}

fn is_quantity_object(v: &AuditInput) -> bool {
    v.get("value").is_some() && v.get("unit").is_some()
}

struct Problem {
    given: String,
    help: Option<String>,
}

fn problem(input: &AuditInput) -> Problem {
    Problem { given: input.brief(), help: None }
}

/// Converts one audit value to the declared type; `Ok(None)` for null.
fn convert(program: &Program, ty: &Ty, unit: Option<&Unit>, input: &AuditInput) -> Result<Option<Value>, Problem> {
    if *input == AuditInput::Null {
        return Ok(None);
    }
    let value = match (ty, input) {
        (Ty::Bool, AuditInput::Bool(b)) => Value::Bool(*b),
        (Ty::Num(dim), _) => Value::Num(quantity(*dim, unit, input)?),
        (Ty::Text, AuditInput::Text(s)) => Value::Text(Arc::from(s.as_str())),
        (Ty::Enum(k), AuditInput::Text(s)) => {
            let known = program.enums.get(*k).is_some_and(|e| e.variants.iter().any(|(v, _)| v == s));
            if !known {
                return Err(problem(input));
            }
            Value::Text(Arc::from(s.as_str()))
        }
        (Ty::Date, AuditInput::Text(s)) => {
            let date = s.get(..10).filter(|_| s.len() == 10 || s.get(10..11) == Some("T"));
            match date.and_then(crate::ir::parse_date) {
                Some(d) => Value::Date(d),
                None => {
                    return Err(Problem {
                        given: input.brief(),
                        help: Some("dates are written YYYY-MM-DD and must exist".to_string()),
                    });
                }
            }
        }
        (Ty::List(inner), AuditInput::List(items)) => {
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match convert(program, inner, unit, item) {
                    Ok(Some(v)) => values.push(v),
                    Ok(None) => return Ok(None),
                    Err(p) => {
                        return Err(Problem { given: format!("{} at position {}", p.given, i + 1), help: p.help });
                    }
                }
            }
            Value::List(Arc::from(values))
        }
        _ => return Err(problem(input)),
    };
    Ok(Some(value))
}

/// A number or quantity: a bare number (in the declared unit), `"25 m"`, or
/// `{"value": 25, "unit": "m"}`. Returned in base units.
fn quantity(dim: Dim, declared: Option<&Unit>, input: &AuditInput) -> Result<Num, Problem> {
    use std::borrow::Cow;
    let declared: Cow<'_, Unit> = match declared {
        Some(u) => Cow::Borrowed(u),
        None => Cow::Owned(Unit::none()),
    };
    // The declared unit is reused when the audit writes it as declared.
    let unit_of = |text: &str| -> Result<Cow<'_, Unit>, Problem> {
        let text = text.trim();
        if text.is_empty() || text == declared.name() {
            return Ok(declared.clone());
        }
        Unit::parse(text).map(Cow::Owned).map_err(|why| Problem { given: input.brief(), help: Some(why) })
    };
    let (value, unit) = match input {
        AuditInput::Number(Ok(n)) => (*n, declared.clone()),
        AuditInput::Text(s) => {
            let s = s.trim();
            let split =
                s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))).unwrap_or(s.len());
            let (number, unit_text) = s.split_at(split);
            let Some(n) = Num::parse(number.trim()) else {
                return Err(problem(input));
            };
            (n, unit_of(unit_text)?)
        }
        AuditInput::Map(_) => {
            let (Some(AuditInput::Number(Ok(n))), Some(AuditInput::Text(u))) = (input.get("value"), input.get("unit"))
            else {
                return Err(Problem {
                    given: input.brief(),
                    help: Some("write a quantity as {\"value\": 25, \"unit\": \"m\"}".to_string()),
                });
            };
            (*n, unit_of(u)?)
        }
        _ => return Err(problem(input)),
    };
    if unit.dim() != dim {
        let given = if unit.name().is_empty() {
            format!("{value} (a plain number)")
        } else {
            format!("{value} {unit} ({})", unit.dim().describe())
        };
        return Err(Problem { given, help: None });
    }
    unit.to_base(value).ok_or_else(|| problem(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_rejected() {
        let limits = Limits::default();
        let err = AuditInput::from_json(r#"{"facts": {"a": 1, "a": 2}}"#, &limits);
        assert!(err.is_err_and(|e| e.message().contains("duplicate key `a`")));
    }

    #[test]
    fn numbers_are_exact() {
        let input = AuditInput::from_json("[0.1, 1e400, -0]", &Limits::default());
        let Ok(AuditInput::List(items)) = input else {
            // 1e400 is rejected by the JSON parser itself.
            return;
        };
        assert_eq!(items.first(), Some(&AuditInput::Number(Num::parse("0.1").ok_or_default())));
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

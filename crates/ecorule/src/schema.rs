//! The JSON Schema (draft 2020-12) of the audits a rulebook accepts, for
//! other systems to validate against before they call us. It accepts the
//! fact keys binding (`audit::bind`) accepts, and no others; and of their
//! values, what binding takes as far as a pattern and a number's bounds
//! can say it (limits, white space, the days that exist), which the parity
//! tests of `tests/schema.rs` hold it to.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use crate::ir::{FactBounds, FactDef, Program, Ty, Value};
use crate::limits::Limits;
use crate::num::{MAX_DIGITS, MAX_EXPONENT, Num};
use crate::rulebook::Rulebook;
use crate::units::Unit;

/// The JSON Schema of the audit input `rulebook` accepts.
///
/// `facts` lists every fact by its flat dotted name. Facts may also be
/// nested (`"stack": {"height": …}`), split at any dot
/// (`"a": {"b.c": …}`, `"a.b": {"c": …}`): each such object is a
/// `$defs` entry named by its prefix, whose keys are the rest of the
/// names under it.
pub fn audit_schema(rulebook: &Rulebook) -> Json {
    let program = rulebook.program();
    let declared: Vec<&FactDef> = program.facts.iter().filter(|f| !f.builtin).collect();
    let mut facts = Map::new();
    for fact in &declared {
        facts.insert(fact.name.clone(), fact_schema(program, fact));
    }
    let mut defs = Map::new();
    for (prefix, keys) in nesting(&declared) {
        match prefix {
            "" => facts.extend(keys),
            _ => {
                defs.insert(prefix.to_string(), prefix_schema(prefix, keys));
            }
        }
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("ecorule audit for {} ({})", program.id, program.labels.zh),
        "description": format!("Audit input for rulebook `{}` (source {}). Facts are named flat (`stack.height`) or nested at their dots (`stack` then `height`), each once. Every fact may be left out or null: it is then unknown. {}", program.id, rulebook.hash(), limits_note()),
        "type": "object",
        // `null` is "not given" everywhere, as binding reads it.
        "properties": {
            "$schema": scalar(&["string"]),
            "audit": {
                "type": ["object", "null"],
                "properties": {
                    "id": scalar(&["string", "number", "null"]),
                    "date": date(&["string", "null"]),
                    "enterprise": enterprise()
                },
                "additionalProperties": false
            },
            "facts": {"type": ["object", "null"], "properties": facts, "additionalProperties": false}
        },
        "additionalProperties": false,
        "$defs": defs
    })
}

/// Binding refuses a text or a key of more bytes than this (the default
/// [`Limits::max_string_bytes`]). A character takes one byte or more, so
/// `maxLength` (which counts characters) of it refuses the texts surely
/// too long; one of fewer characters but more bytes is left to binding.
fn max_text() -> usize {
    Limits::default().max_string_bytes
}

/// Binding holds a number exactly only below 10^([`MAX_EXPONENT`] + 1) in
/// size (`Num::parse`): `1e31` is refused wherever a number is taken (a
/// test holds the two together). How many significant digits a number
/// has, and the place of its last, are not seen by a validator, which
/// reads the number's value as a double.
const NUMBER_SIZE: f64 = 1e31;

/// What binding limits and the schema cannot check, for its description.
fn limits_note() -> String {
    format!(
        "Texts and keys are at most {} bytes of UTF-8 (`maxLength` counts characters). Numbers are held exactly: below 1e{} in size, with at most {MAX_DIGITS} significant digits, none after the 1e-{MAX_EXPONENT}s place, which a validator cannot check.",
        max_text(),
        MAX_EXPONENT + 1,
    )
}

/// A value of one of `types`, within binding's limits on a text and on a
/// number (each keyword applies to its own type only).
fn scalar(types: &[&str]) -> Json {
    Json::Object(scalar_keywords(types))
}

/// [`scalar`] as keywords, for a schema to add its own to.
fn scalar_keywords(types: &[&str]) -> Map<String, Json> {
    let mut schema = Map::new();
    schema.insert("type".to_string(), if let [one] = types { json!(one) } else { json!(types) });
    if types.contains(&"string") {
        schema.insert("maxLength".to_string(), json!(max_text()));
    }
    if types.contains(&"number") || types.contains(&"integer") {
        schema.insert("exclusiveMinimum".to_string(), json!(-NUMBER_SIZE));
        schema.insert("exclusiveMaximum".to_string(), json!(NUMBER_SIZE));
    }
    schema
}

/// `audit.enterprise`: its `id` (text, or a number read as its text) and
/// `name`, and other fields of text, a number, yes/no or null, which the
/// report shows. Each within binding's limits: its keys too, which binding
/// measures as it measures a text.
fn enterprise() -> Json {
    json!({
        "type": ["object", "null"],
        "properties": {"id": scalar(&["string", "number", "null"]), "name": scalar(&["string", "null"])},
        "propertyNames": {"maxLength": max_text()},
        "additionalProperties": scalar(&["string", "number", "boolean", "null"])
    })
}

/// The keys of each object that holds facts nested, by the prefix it
/// stands for (`""` for `facts` itself), each with the `$ref` of what it
/// holds; the facts' own flat names are not among them.
///
/// Binding reads a key as the name of the object it is in, a dot and the
/// key; a declared fact of that name takes the value, whatever it is.
/// Otherwise an object (that is not a quantity) holds facts under that
/// name. So an object stands for every dotted prefix of a fact's name that
/// is not itself a fact, and its keys are the rest of every longer such
/// prefix or fact name.
// INVARIANT: fact names are identifiers joined by dots, so a name is a
// JSON pointer token and a URI fragment as it is.
fn nesting<'a>(facts: &[&'a FactDef]) -> BTreeMap<&'a str, Map<String, Json>> {
    let names: BTreeSet<&str> = facts.iter().map(|f| f.name.as_str()).collect();
    let mut prefixes: BTreeSet<&str> = BTreeSet::new();
    for name in &names {
        for (dot, _) in name.match_indices('.') {
            let prefix = name.get(..dot).unwrap_or_default();
            if !names.contains(prefix) {
                prefixes.insert(prefix);
            }
        }
    }
    let mut objects: BTreeMap<&str, Map<String, Json>> = BTreeMap::new();
    for &name in names.iter().chain(&prefixes) {
        let target = if names.contains(name) {
            format!("#/properties/facts/properties/{name}")
        } else {
            format!("#/$defs/{name}")
        };
        // The objects above `name`: its proper prefixes that are objects.
        for (dot, _) in name.match_indices('.') {
            let (Some(above), Some(key)) = (name.get(..dot), name.get(dot + 1..)) else {
                continue;
            };
            if prefixes.contains(above) {
                objects.entry(above).or_default().insert(key.to_string(), json!({"$ref": target}));
            }
        }
        // Flat names are in `facts` already; a prefix is a key there too.
        if !names.contains(name) {
            objects.entry("").or_default().insert(name.to_string(), json!({"$ref": target}));
        }
    }
    objects
}

/// The object that holds the facts under `prefix`. One with both a `value`
/// and a `unit` key is read as a quantity, not as facts, so it is refused
/// here even where `prefix.value` and `prefix.unit` are facts.
fn prefix_schema(prefix: &str, keys: Map<String, Json>) -> Json {
    let mut schema = json!({
        "type": "object",
        "description": format!("facts under `{prefix}.`, named by the rest of their names"),
        "additionalProperties": false
    });
    if let Json::Object(map) = &mut schema {
        if keys.contains_key("value") && keys.contains_key("unit") {
            map.insert("not".to_string(), json!({"required": ["value", "unit"]}));
        }
        map.insert("properties".to_string(), Json::Object(keys));
    }
    schema
}

fn fact_schema(program: &Program, fact: &FactDef) -> Json {
    let mut schema = value_schema(program, &fact.ty, fact.unit.as_ref(), &fact.bounds, true);
    if let Json::Object(map) = &mut schema {
        map.insert("title".to_string(), json!(fact.labels.both()));
        if let Some(help) = &fact.help {
            map.insert("description".to_string(), json!(help.both()));
        }
    }
    schema
}

/// The values a fact of type `ty` may be given as, and `null` when `null`:
/// for a fact (unknown), not for a list's item (binding refuses one).
fn value_schema(program: &Program, ty: &Ty, unit: Option<&Unit>, bounds: &FactBounds, null: bool) -> Json {
    let nullable = |t: Json| if null { json!({"anyOf": [t, {"type": "null"}]}) } else { t };
    match ty {
        Ty::Bool => nullable(json!({"type": "boolean"})),
        Ty::Text => nullable(scalar(&["string"])),
        Ty::Date => nullable(date(&["string"])),
        Ty::Enum(k) => {
            let codes = program.enums.get(*k).map(|e| e.variants.as_slice()).unwrap_or_default();
            let mut values: Vec<Json> = codes.iter().map(|(v, _)| json!(v)).collect();
            // A code that is a number may be given as the number.
            let numbers = codes.iter().filter(|(v, _)| crate::audit::numeric_code(v).is_some());
            values.extend(numbers.filter_map(|(v, _)| serde_json::from_str::<Json>(v).ok()));
            let mut ways = vec![json!({"enum": values})];
            ways.extend(padded_codes(codes.iter().map(|(v, _)| v.as_str())));
            nullable(json!({"anyOf": ways}))
        }
        Ty::Num(_) => {
            let mut number = scalar_keywords(&[if bounds.whole { "integer" } else { "number" }]);
            if let Some(u) = unit.filter(|u| !u.name().is_empty()) {
                number.insert("description".to_string(), json!(format!("in {}", u.name())));
            }
            // A bare number is in the declared unit; a bound that is not
            // exact as a decimal there is left to binding.
            for (keyword, bound) in [("minimum", &bounds.min), ("maximum", &bounds.max)] {
                if let Some(Value::Num(n)) = bound
                    && let Some(limit) = decimal_json(*n, unit)
                {
                    number.insert(keyword.to_string(), limit);
                }
            }
            let mut ways = vec![
                Json::Object(number),
                quantity_text(),
                json!({"type": "object", "properties": {"value": scalar(&["number"]), "unit": scalar(&["string"])},
                 "required": ["value", "unit"], "additionalProperties": false}),
            ];
            if null {
                ways.push(json!({"type": "null"}));
            }
            json!({ "anyOf": ways })
        }
        Ty::List(inner) => {
            nullable(json!({"type": "array", "items": value_schema(program, inner, unit, bounds, false)}))
        }
    }
}

/// What binding leaves out around a quantity, a code or a date, as
/// `str::trim` does: a character of Unicode's White_Space. Spelled out,
/// since a pattern's `\s` (ECMA-262's) is another set: it has U+FEFF,
/// which binding keeps, and not U+0085, which binding leaves out.
const SPACE: &str = "[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

/// A quantity written as text: a number, and a unit after it or none,
/// white space around. Binding ends the number where its characters
/// (digits, `.`, `+`, `-`, `e`, `E`) do, so the unit cannot start with
/// one of them (`"2em"`, `"25.m"` have no number), nor with a comma
/// (`"15,5 m"`, a decimal comma, is refused). Which units binding knows,
/// and the bounds, are left to it.
fn quantity_text() -> Json {
    let pattern = format!("^{SPACE}*[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?([^0-9.eE+,-][\\s\\S]*)?$");
    let mut schema = scalar_keywords(&["string"]);
    schema.insert("pattern".to_string(), json!(pattern));
    Json::Object(schema)
}

/// A date (`YYYY-MM-DD`) of `types`, white space around it as binding
/// takes it. Not `format: "date"`, which a validator may or may not
/// check, and then without the white space.
fn date(types: &[&str]) -> Json {
    let mut schema = scalar_keywords(types);
    schema.insert("pattern".to_string(), json!(format!("^{SPACE}*{DAY}{SPACE}*$")));
    Json::Object(schema)
}

/// A day that exists, `YYYY-MM-DD`, as binding reads it (chrono's
/// proleptic Gregorian calendar): any year from 0000 to 9999, the 29th
/// of February in a leap year only. Year 0000 is a leap year, as 2000
/// is; a validator's own `format: "date"` may refuse it (Python's does).
const DAY: &str = concat!(
    "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    // Leap years: a multiple of 4 not ending in 00, or of 400.
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
);

/// The codes of an enum with white space around them, which binding
/// leaves out when the text is not a code as it is: `None` when no code
/// can be so given (a code that itself starts or ends with white space
/// is matched only as it is).
fn padded_codes<'a>(codes: impl Iterator<Item = &'a str>) -> Option<Json> {
    let codes: Vec<String> = codes.filter(|c| c.trim() == *c).map(regex_literal).collect();
    if codes.is_empty() {
        return None;
    }
    let mut schema = scalar_keywords(&["string"]);
    schema.insert("pattern".to_string(), json!(format!("^{SPACE}*(?:{}){SPACE}*$", codes.join("|"))));
    Some(Json::Object(schema))
}

/// `text` as a pattern that matches it: ECMA-262's syntax characters
/// escaped, and no others (escaping another, as `-`, is an error there).
fn regex_literal(text: &str) -> String {
    let mut literal = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.*+?()[]{}|".contains(c) {
            literal.push('\\');
        }
        literal.push(c);
    }
    literal
}

/// A base-unit number in `unit` as a JSON number, when a decimal holds it
/// exactly.
fn decimal_json(n: Num, unit: Option<&Unit>) -> Option<Json> {
    let n = match unit {
        Some(u) => u.from_base(n)?,
        None => n,
    };
    let text = n.to_decimal();
    (Num::parse(&text) == Some(n)).then(|| serde_json::from_str(&text).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_bound_is_the_first_size_binding_refuses() {
        let first_refused = format!("1e{}", MAX_EXPONENT + 1);
        assert_eq!(first_refused.parse::<f64>().ok(), Some(NUMBER_SIZE));
        assert!(Num::parse(&first_refused).is_none());
        assert!(Num::parse(&format!("9.{}e{MAX_EXPONENT}", "9".repeat(MAX_DIGITS - 1))).is_some());
    }
}

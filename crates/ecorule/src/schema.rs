//! The JSON Schema (draft 2020-12) of the audits a rulebook accepts, for
//! other systems to validate against before they call us.

use serde_json::{Map, Value as Json, json};

use crate::ir::{FactDef, Program, Ty};
use crate::rulebook::Rulebook;

/// The JSON Schema of the audit input `rulebook` accepts. Facts are listed
/// by their flat dotted names.
pub fn audit_schema(rulebook: &Rulebook) -> Json {
    let program = rulebook.program();
    let mut facts = Map::new();
    for fact in program.facts.iter().filter(|f| !f.builtin) {
        facts.insert(fact.name.clone(), fact_schema(program, fact));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("ecorule audit for {} ({})", program.id, program.labels.zh),
        "description": format!("Audit input for rulebook `{}` ({}). Every fact may be left out or null: it is then unknown.", program.id, rulebook.hash()),
        "type": "object",
        "properties": {
            "audit": {
                "type": "object",
                "properties": {
                    "id": {"type": ["string", "number"]},
                    "date": {"type": "string", "format": "date"},
                    "enterprise": {
                        "type": "object",
                        "properties": {"id": {"type": ["string", "number"]}, "name": {"type": "string"}},
                        "additionalProperties": {"type": ["string", "number", "boolean"]}
                    }
                },
                "additionalProperties": false
            },
            "facts": {"type": "object", "properties": facts, "additionalProperties": false}
        },
        "additionalProperties": false
    })
}

fn fact_schema(program: &Program, fact: &FactDef) -> Json {
    let mut schema = value_schema(program, &fact.ty, fact.unit.as_ref().map(|u| u.name()));
    if let Json::Object(map) = &mut schema {
        let title = if fact.labels.en.is_empty() {
            fact.labels.zh.clone()
        } else {
            format!("{} ({})", fact.labels.zh, fact.labels.en)
        };
        map.insert("title".to_string(), json!(title));
        if let Some(help) = &fact.help {
            map.insert("description".to_string(), json!(help));
        }
    }
    schema
}

fn value_schema(program: &Program, ty: &Ty, unit: Option<&str>) -> Json {
    let nullable = |t: Json| json!({"anyOf": [t, {"type": "null"}]});
    match ty {
        Ty::Bool => nullable(json!({"type": "boolean"})),
        Ty::Text => nullable(json!({"type": "string"})),
        Ty::Date => nullable(json!({"type": "string", "format": "date"})),
        Ty::Enum(k) => {
            let values: Vec<&str> =
                program.enums.get(*k).map(|e| e.variants.iter().map(|(v, _)| v.as_str()).collect()).unwrap_or_default();
            nullable(json!({"type": "string", "enum": values}))
        }
        Ty::Num(_) => {
            let unit = unit.filter(|u| !u.is_empty());
            let number = match unit {
                Some(u) => json!({"type": "number", "description": format!("in {u}")}),
                None => json!({"type": "number"}),
            };
            json!({"anyOf": [
                number,
                {"type": "string", "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*\\S*\\s*$"},
                {"type": "object", "properties": {"value": {"type": "number"}, "unit": {"type": "string"}},
                 "required": ["value", "unit"], "additionalProperties": false},
                {"type": "null"}
            ]})
        }
        Ty::List(inner) => nullable(json!({"type": "array", "items": value_schema(program, inner, unit)})),
    }
}

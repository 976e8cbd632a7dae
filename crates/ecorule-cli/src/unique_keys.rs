//! A check that JSON text gives no object a key twice, which
//! `serde_json::Value` would read with the last one winning. Audits are
//! read so by the core (`AuditInput`); expected files are read so here.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Checks JSON `text` for a key given twice in one object: the error names
/// the key and where it is given again (`duplicate key `a` at line 1
/// column 14`).
pub(crate) fn check(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<UniqueKeys>(text).map(|_| ())
}

/// Any JSON value whose objects each give a key once; nothing is kept.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UniqueKeys, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    // INVARIANT: a number read with `arbitrary_precision` arrives as a map
    // of one key, so it passes here as an object of one key would.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            map.next_value::<UniqueKeys>()?;
        }
        Ok(UniqueKeys)
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn a_key_given_twice_is_named_where_it_is_given_again() {
        let message = check("{\"a\": 1,\n \"b\": {\"c\": [1, {\"d\": 2, \"d\": 3}]}}").err().map(|e| e.to_string());
        assert_eq!(message.as_deref(), Some("duplicate key `d` at line 2 column 28"));
    }

    #[test]
    fn the_same_key_in_different_objects_is_not_a_duplicate() {
        assert!(check(r#"{"a": {"id": 1.50}, "b": {"id": 2}, "c": [{"id": null}, {"id": "x", "e": true}]}"#).is_ok());
    }
}

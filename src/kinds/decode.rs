//! Shared decoding helpers: wire object to typed struct with the failing field named, and
//! the typed values to SQLite values.

use rusqlite::types::Value;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::timestamp;

/// A row for one entity table plus the join rows its object carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    /// Column name and value, in the table's order; ownership, `lastupdated` and `raw`
    /// are added by the store.
    pub columns: Vec<(&'static str, Value)>,
    /// The complete API object as received (minus any secret).
    pub raw: String,
    pub links: Vec<Link>,
}

/// One join-table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub table: &'static str,
    pub columns: Vec<(&'static str, Value)>,
}

impl Link {
    pub fn new(table: &'static str, columns: Vec<(&'static str, Value)>) -> Self {
        Link { table, columns }
    }
}

/// A wire object that does not have the shape the API documents.
#[derive(Debug, Clone, thiserror::Error)]
#[error("at `{path}`: {message}")]
pub struct DecodeError {
    /// JSON path of the offending value inside the object (`.` for the object itself).
    pub path: String,
    pub message: String,
}

impl DecodeError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Decodes one wire object, naming the field that has the wrong type.
pub fn parse<T: DeserializeOwned>(raw: &RawValue) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        DecodeError::new(path, error.into_inner().to_string())
    })
}

/// A normalised timestamp, or an error naming the field.
pub fn ts(field: &str, value: &Option<String>) -> Result<Value, DecodeError> {
    match value.as_deref() {
        None | Some("") => Ok(Value::Null),
        Some(text) => timestamp::normalize(text)
            .map(Value::Text)
            .map_err(|e| DecodeError::new(field, format!("invalid timestamp {text:?}: {e}"))),
    }
}

pub fn text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::Text)
}

pub fn flag(value: Option<bool>) -> Value {
    value.map_or(Value::Null, |b| Value::Integer(i64::from(b)))
}

/// A size in bytes; sizes beyond i64 cannot occur on real volumes but must not wrap.
pub fn bytes(field: &str, value: Option<u64>) -> Result<Value, DecodeError> {
    match value {
        None => Ok(Value::Null),
        Some(size) => i64::try_from(size)
            .map(Value::Integer)
            .map_err(|_| DecodeError::new(field, format!("size {size} is out of range"))),
    }
}

/// The object's id, which every stored object must have.
pub fn required_id(field: &str, value: Option<String>) -> Result<String, DecodeError> {
    match value {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(DecodeError::new(field, "missing id")),
    }
}

/// An `{id, name}` reference as the Instance API nests it (`server`, `base_volume`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Ref {
    #[serde(default)]
    pub id: Option<String>,
}

impl Ref {
    pub fn id_of(reference: &Option<Ref>) -> Option<String> {
        reference
            .as_ref()
            .and_then(|r| r.id.clone())
            .filter(|id| !id.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Sample {
        #[allow(dead_code)]
        mfa: Option<bool>,
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let raw = RawValue::from_string(r#"{"mfa": "yes"}"#.to_string()).unwrap();
        let error = parse::<Sample>(&raw).unwrap_err();
        assert_eq!(error.path, "mfa");
        assert!(error.message.contains("invalid type"), "{error}");
    }

    #[test]
    fn bad_timestamps_name_their_field() {
        let error = ts("created_at", &Some("soon".into())).unwrap_err();
        assert_eq!(error.path, "created_at");
        assert_eq!(ts("x", &Some(String::new())).unwrap(), Value::Null);
    }

    #[test]
    fn huge_sizes_are_refused_not_wrapped() {
        assert!(bytes("size", Some(u64::MAX)).is_err());
        assert_eq!(
            bytes("size", Some(20_000_000_000)).unwrap(),
            Value::Integer(20_000_000_000)
        );
    }
}

//! Change history: the kinds that record changes, one change as read from `changes`, and
//! how a run of changes of one entity collapses into its net change.
//!
//! [`record`] records while a sync writes (connection-local triggers, sealed into
//! `changes` before COMMIT); [`read`] answers `inv diff` and `inv history`.

pub mod read;
pub mod record;

pub use read::{diff, timeline, Diff, HistoryError, Range, Timeline};

use serde_json::{Map, Value};

/// An entity table and the columns of its readable label (the first that is set and not
/// empty): the label stored in `changes.name`.
pub const ENTITIES: &[(&str, &[&str])] = &[
    ("organizations", &["name"]),
    ("projects", &["name"]),
    ("users", &["email"]),
    ("groups", &["name"]),
    ("applications", &["name"]),
    ("api_keys", &["description"]),
    ("instances", &["name"]),
    ("flexible_ips", &["address", "prefix"]),
    ("volumes", &["name"]),
    ("volume_snapshots", &["name"]),
];

/// A relationship (join table): the entity tables of its two ends and their columns, in
/// the order of the table's first two columns, which is the order of the two ids in
/// `changes.id`.
#[derive(Debug, Clone, Copy)]
pub struct Relationship {
    pub table: &'static str,
    pub from: &'static str,
    pub from_column: &'static str,
    pub to: &'static str,
    pub to_column: &'static str,
    /// Other columns, recorded in `fields` when the relationship is added or removed.
    pub columns: &'static [&'static str],
    /// Recorded from both ends (`seen_from`): one relationship while either row exists.
    pub both_sides: bool,
}

const fn relationship(
    table: &'static str,
    (from, from_column): (&'static str, &'static str),
    (to, to_column): (&'static str, &'static str),
) -> Relationship {
    Relationship {
        table,
        from,
        from_column,
        to,
        to_column,
        columns: &[],
        both_sides: false,
    }
}

pub const RELATIONSHIPS: &[Relationship] = &[
    relationship(
        "user_member_of_group",
        ("users", "user_id"),
        ("groups", "group_id"),
    ),
    relationship(
        "application_member_of_group",
        ("applications", "application_id"),
        ("groups", "group_id"),
    ),
    relationship(
        "user_has_api_key",
        ("users", "user_id"),
        ("api_keys", "api_key_id"),
    ),
    relationship(
        "application_has_api_key",
        ("applications", "application_id"),
        ("api_keys", "api_key_id"),
    ),
    Relationship {
        columns: &["position", "boot", "volume_type"],
        ..relationship(
            "instance_mounts_volume",
            ("instances", "instance_id"),
            ("volumes", "volume_id"),
        )
    },
    Relationship {
        both_sides: true,
        ..relationship(
            "flexible_ip_identifies_instance",
            ("flexible_ips", "flexible_ip_id"),
            ("instances", "instance_id"),
        )
    },
    relationship(
        "volume_has_snapshot",
        ("volumes", "volume_id"),
        ("volume_snapshots", "snapshot_id"),
    ),
];

/// Every kind a change can have, entities first, in a fixed order (the order of output).
pub fn kinds() -> Vec<&'static str> {
    ENTITIES
        .iter()
        .map(|(table, _)| *table)
        .chain(RELATIONSHIPS.iter().map(|r| r.table))
        .collect()
}

/// The SQL of an entity table's readable label, its columns prefixed with `row`
/// (`"NEW."`, `"OLD."` or `""`); `None` for a table that is not an entity table.
pub fn label_of(table: &str, row: &str) -> Option<String> {
    let (_, columns) = ENTITIES.iter().find(|(name, _)| *name == table)?;
    let columns: Vec<String> = columns.iter().map(|c| format!("{row}{c}")).collect();
    Some(match columns.as_slice() {
        [one] => format!("NULLIF({one}, '')"),
        many => format!("NULLIF(coalesce({}), '')", many.join(", ")),
    })
}

/// What happened to an entity or relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Added,
    Removed,
    Modified,
}

impl ChangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Added => "added",
            ChangeType::Removed => "removed",
            ChangeType::Modified => "modified",
        }
    }

    /// The stored text; the CHECK constraint admits nothing else, but the file is outside
    /// input, so anything else is read as a modification rather than a failure.
    pub fn parse(text: &str) -> ChangeType {
        match text {
            "added" => ChangeType::Added,
            "removed" => ChangeType::Removed,
            _ => ChangeType::Modified,
        }
    }
}

/// One row of `changes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// NULL while the sync that records it is still writing.
    pub sync_id: Option<i64>,
    pub kind: String,
    pub id: String,
    pub name: Option<String>,
    pub change: ChangeType,
    /// Field name to `[old, new]`, in the stored order.
    pub fields: Option<Map<String, Value>>,
}

impl Change {
    /// The stored `fields` text as an object; text that is not a JSON object is kept under
    /// the key `fields` as a new value rather than dropped.
    pub fn parse_fields(text: Option<&str>) -> Option<Map<String, Value>> {
        let text = text?;
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Some(map),
            Ok(Value::Null) => None,
            Ok(other) => Some(Map::from_iter([(
                "fields".to_string(),
                Value::Array(vec![Value::Null, other]),
            )])),
            Err(_) => Some(Map::from_iter([(
                "fields".to_string(),
                Value::Array(vec![Value::Null, Value::String(text.to_string())]),
            )])),
        }
    }

    /// The stored `fields` text.
    pub fn fields_text(&self) -> Option<String> {
        self.fields
            .as_ref()
            .map(|map| Value::Object(map.clone()).to_string())
    }

    /// The fields as `{"field": {"old": ..., "new": ...}}`, the form `inv diff` shows.
    pub fn fields_json(&self) -> Value {
        match &self.fields {
            None => Value::Null,
            Some(map) => Value::Object(
                map.iter()
                    .map(|(key, pair)| {
                        let (old, new) = old_new(pair);
                        let mut both = Map::new();
                        both.insert("old".into(), old.clone());
                        both.insert("new".into(), new.clone());
                        (key.clone(), Value::Object(both))
                    })
                    .collect(),
            ),
        }
    }
}

/// The `[old, new]` pair of a stored field; a value of another shape is taken as a new value.
pub fn old_new(pair: &Value) -> (&Value, &Value) {
    const NULL: &Value = &Value::Null;
    match pair.as_array().map(Vec::as_slice) {
        Some([old, new]) => (old, new),
        _ => (NULL, pair),
    }
}

/// The net change of a run of changes of one (kind, id), oldest first, or `None` when
/// they cancel out. Whether the entity existed before the run is told by its first change
/// (anything but `added` means it did), whether it exists after by its last (anything but
/// `removed`). Fields keep the old value of their first mention and the new value of
/// their last; a modification whose fields all came back to their old values is no change.
/// An entity added and then modified is `added` (the current row holds its values);
/// a relationship keeps its columns, as `[null, value]` when added and `[value, null]`
/// when removed.
pub fn collapse(run: &[Change]) -> Option<Change> {
    let (first, last) = (run.first()?, run.last()?);
    if run.len() == 1 {
        return Some(first.clone());
    }
    let existed = first.change != ChangeType::Added;
    let exists = last.change != ChangeType::Removed;
    let mut merged: Map<String, Value> = Map::new();
    for change in run {
        for (key, pair) in change.fields.iter().flatten() {
            let (old, new) = old_new(pair);
            match merged.get_mut(key) {
                Some(Value::Array(both)) if both.len() == 2 => both[1] = new.clone(),
                _ => {
                    merged.insert(key.clone(), Value::Array(vec![old.clone(), new.clone()]));
                }
            }
        }
    }
    let (change, fields) = match (existed, exists) {
        (false, false) => return None,
        (false, true) => (
            ChangeType::Added,
            first.fields.as_ref().map(|_| {
                merged
                    .into_iter()
                    .map(|(key, pair)| {
                        let (_, new) = old_new(&pair);
                        (key, Value::Array(vec![Value::Null, new.clone()]))
                    })
                    .collect()
            }),
        ),
        (true, false) => (
            ChangeType::Removed,
            last.fields.as_ref().map(|_| {
                merged
                    .into_iter()
                    .map(|(key, pair)| {
                        let (old, _) = old_new(&pair);
                        (key, Value::Array(vec![old.clone(), Value::Null]))
                    })
                    .collect()
            }),
        ),
        (true, true) => {
            // serde_json compares objects regardless of key order.
            let changed: Map<String, Value> = merged
                .into_iter()
                .filter(|(_, pair)| {
                    let (old, new) = old_new(pair);
                    old != new
                })
                .collect();
            if changed.is_empty() {
                return None;
            }
            (ChangeType::Modified, Some(changed))
        }
    };
    Some(Change {
        sync_id: last.sync_id,
        kind: last.kind.clone(),
        id: last.id.clone(),
        name: run.iter().rev().find_map(|c| c.name.clone()),
        change,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(sync: i64, change: ChangeType, fields: Option<Value>) -> Change {
        Change {
            sync_id: Some(sync),
            kind: "users".into(),
            id: "u1".into(),
            name: Some(format!("name-{sync}")),
            change,
            fields: fields.and_then(|f| f.as_object().cloned()),
        }
    }

    use ChangeType::*;

    #[test]
    fn one_change_is_itself() {
        let c = change(1, Modified, Some(json!({"mfa": [true, false]})));
        assert_eq!(collapse(std::slice::from_ref(&c)), Some(c));
        assert_eq!(collapse(&[]), None);
    }

    #[test]
    fn added_then_removed_is_nothing() {
        assert_eq!(
            collapse(&[change(1, Added, None), change(2, Removed, None)]),
            None
        );
    }

    #[test]
    fn added_then_modified_is_added() {
        let net = collapse(&[
            change(1, Added, None),
            change(2, Modified, Some(json!({"tags": [[], ["x"]]}))),
        ])
        .unwrap();
        assert_eq!(net.change, Added);
        assert_eq!(net.fields, None);
        assert_eq!(net.sync_id, Some(2));
        assert_eq!(net.name.as_deref(), Some("name-2"));
    }

    #[test]
    fn two_modifications_keep_the_first_old_and_the_last_new() {
        let net = collapse(&[
            change(
                1,
                Modified,
                Some(json!({"name": ["a", "b"], "mfa": [true, false]})),
            ),
            change(
                2,
                Modified,
                Some(json!({"name": ["b", "c"], "mfa": [false, true]})),
            ),
        ])
        .unwrap();
        assert_eq!(net.change, Modified);
        assert_eq!(
            Value::Object(net.fields.unwrap()),
            json!({"name": ["a", "c"]})
        );
    }

    #[test]
    fn a_modification_undone_is_nothing() {
        assert_eq!(
            collapse(&[
                change(1, Modified, Some(json!({"v": [{"a": 1, "b": 2}, 3]}))),
                change(2, Modified, Some(json!({"v": [3, {"b": 2, "a": 1}]}))),
            ]),
            None
        );
    }

    #[test]
    fn modified_then_removed_is_removed() {
        let net = collapse(&[
            change(1, Modified, Some(json!({"mfa": [true, false]}))),
            change(2, Removed, None),
        ])
        .unwrap();
        assert_eq!(net.change, Removed);
        assert_eq!(net.fields, None);
    }

    #[test]
    fn a_relationship_removed_and_added_again_is_modified_or_nothing() {
        let removed = change(1, Removed, Some(json!({"position": ["0", null]})));
        let same = change(1, Added, Some(json!({"position": [null, "0"]})));
        assert_eq!(collapse(&[removed.clone(), same]), None);
        let moved = change(1, Added, Some(json!({"position": [null, "1"]})));
        let net = collapse(&[removed, moved]).unwrap();
        assert_eq!(net.change, Modified);
        assert_eq!(
            Value::Object(net.fields.unwrap()),
            json!({"position": ["0", "1"]})
        );
    }

    #[test]
    fn a_relationship_added_keeps_its_final_columns() {
        let net = collapse(&[
            change(1, Added, Some(json!({"position": [null, "0"]}))),
            change(1, Removed, Some(json!({"position": ["0", null]}))),
            change(2, Added, Some(json!({"position": [null, "2"]}))),
        ])
        .unwrap();
        assert_eq!(net.change, Added);
        assert_eq!(
            Value::Object(net.fields.unwrap()),
            json!({"position": [null, "2"]})
        );
    }

    #[test]
    fn odd_stored_fields_are_kept_not_lost() {
        assert_eq!(Change::parse_fields(None), None);
        assert_eq!(
            Value::Object(Change::parse_fields(Some("oops")).unwrap()),
            json!({"fields": [null, "oops"]})
        );
        let c = Change {
            fields: Some(Map::from_iter([("x".to_string(), json!(5))])),
            ..change(1, Modified, None)
        };
        assert_eq!(c.fields_json(), json!({"x": {"old": null, "new": 5}}));
    }

    #[test]
    fn every_table_has_a_kind() {
        let conn = crate::store::open_in_memory().unwrap();
        let mut tables: Vec<String> = conn
            .prepare(
                "SELECT m.name FROM sqlite_master m
                  WHERE m.type = 'table' AND m.name NOT IN ('sync_runs', 'sync_scopes',
                        'schema_doc', 'changes', 'refinery_schema_history')",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.sort();
        let mut known: Vec<String> = kinds().into_iter().map(String::from).collect();
        known.sort();
        assert_eq!(tables, known);
        for table in crate::kinds::entity_tables() {
            assert!(label_of(table, "").is_some(), "{table}");
        }
        assert_eq!(
            label_of("flexible_ips", "NEW.").as_deref(),
            Some("NULLIF(coalesce(NEW.address, NEW.prefix), '')")
        );
    }
}

//! The registry of resource kinds: where each is listed, how it pages, and how its wire
//! objects become rows. Adding a kind means one module here, one migration and one fixture.

mod api_keys;
mod applications;
mod block_snapshots;
mod block_volumes;
mod decode;
mod flexible_ips;
mod groups;
mod instance_snapshots;
mod instance_volumes;
mod instances;
mod projects;
mod users;

pub use decode::{DecodeError, Link, Record};

use rusqlite::types::Value;
use serde_json::value::RawValue;

/// The pagination convention of an API family (scaleway-api.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `page` + `page_size`, count in the body's `total_count` (Account, IAM, Block).
    PageSize,
    /// `page` + `per_page`, count in the `X-Total-Count` header (Instance).
    PerPage,
}

impl Paging {
    pub fn size_param(self) -> &'static str {
        match self {
            Paging::PageSize => "page_size",
            Paging::PerPage => "per_page",
        }
    }
}

/// Whether a kind is listed once for the organization or once per zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locality {
    Global,
    Zonal,
}

/// A join table row set owned by a kind: replaced each time the parent object is stored.
#[derive(Debug)]
pub struct LinkSpec {
    pub table: &'static str,
    /// The column holding the parent object's id.
    pub parent_column: &'static str,
    /// Extra equality that selects this parent's rows when two kinds share one table.
    pub only: Option<(&'static str, &'static str)>,
}

/// One resource kind: one listing endpoint, stored into one table.
#[derive(Debug)]
pub struct Kind {
    /// Name used in `--kinds`, `sync_scopes.kind` and messages.
    pub name: &'static str,
    pub table: &'static str,
    pub locality: Locality,
    /// Path of the listing; `{zone}` is replaced for zonal kinds.
    pub path: &'static str,
    /// Key of the list in the response envelope.
    pub list_key: &'static str,
    pub paging: Paging,
    /// Query parameter that restricts a listing to one organization.
    pub organization_param: &'static str,
    /// Extra SQL predicate selecting this kind's rows when two kinds share a table.
    pub rows_filter: Option<&'static str>,
    pub links: &'static [LinkSpec],
    /// The read-only permission set a key needs to list this kind (named in 403 hints).
    pub permission_set: &'static str,
    pub decode: fn(&RawValue, &Context) -> Result<Record, DecodeError>,
}

/// What a decoder knows besides the object itself.
#[derive(Debug, Clone)]
pub struct Context {
    /// The zone of the listing, for zonal kinds. It is the stored `zone`, so that every
    /// object a listing returned belongs to that listing's scope when pruning.
    pub zone: Option<String>,
}

impl Kind {
    /// The listing path for a zone (global kinds ignore it).
    pub fn path_for(&self, zone: Option<&str>) -> String {
        match zone {
            Some(zone) => self.path.replace("{zone}", zone),
            None => self.path.to_string(),
        }
    }

    /// The SQL predicate selecting this kind's rows of one scope, with `?1` the
    /// organization and `?2` the zone (zonal kinds only).
    pub fn scope_predicate(&self) -> String {
        let mut predicate = String::from("organization_id = ?1");
        if self.locality == Locality::Zonal {
            predicate.push_str(" AND zone = ?2");
        }
        if let Some(filter) = self.rows_filter {
            predicate.push_str(" AND ");
            predicate.push_str(filter);
        }
        predicate
    }
}

/// Every kind, in the order a sync stores them (owners before what they own).
pub static KINDS: &[&Kind] = &[
    &projects::KIND,
    &users::KIND,
    &applications::KIND,
    &groups::KIND,
    &api_keys::KIND,
    &instances::KIND,
    &flexible_ips::KIND,
    &instance_volumes::KIND,
    &block_volumes::KIND,
    &instance_snapshots::KIND,
    &block_snapshots::KIND,
];

/// Looks a kind up by name.
pub fn by_name(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|kind| kind.name == name)
}

/// The tables that hold entities, each once, in registry order.
pub fn entity_tables() -> Vec<&'static str> {
    let mut tables = vec!["organizations"];
    for kind in KINDS {
        if !tables.contains(&kind.table) {
            tables.push(kind.table);
        }
    }
    tables
}

/// Whether a table holds zonal objects (and so has a `zone` column).
pub fn is_zonal_table(table: &str) -> bool {
    KINDS
        .iter()
        .any(|kind| kind.table == table && kind.locality == Locality::Zonal)
}

/// A JSON list as stored text (`tags`, `private_nics`, ...).
pub(crate) fn json_text<T: serde::Serialize>(value: &Option<T>) -> Value {
    match value {
        Some(value) => serde_json::to_string(value).map_or(Value::Null, Value::Text),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for kind in KINDS {
            assert_eq!(by_name(kind.name).map(|k| k.name), Some(kind.name));
            assert_eq!(KINDS.iter().filter(|k| k.name == kind.name).count(), 1);
        }
    }

    #[test]
    fn zonal_paths_name_the_zone() {
        for kind in KINDS {
            assert_eq!(
                kind.path.contains("{zone}"),
                kind.locality == Locality::Zonal,
                "{}",
                kind.name
            );
        }
    }

    #[test]
    fn kinds_sharing_a_table_tell_their_rows_apart() {
        for kind in KINDS {
            let sharing = KINDS.iter().filter(|k| k.table == kind.table).count();
            assert_eq!(sharing > 1, kind.rows_filter.is_some(), "{}", kind.name);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Any JSON value, a few levels deep.
    fn json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            ".{0,12}".prop_map(serde_json::Value::from),
            Just(serde_json::Value::from("2024-07-30T12:51:09.262410+00:00")),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(".{0,8}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Field names the decoders read, so that generated objects hit the typed paths.
    const KEYS: &[&str] = &[
        "id",
        "access_key",
        "name",
        "tags",
        "zone",
        "volumes",
        "public_ips",
        "public_ip",
        "server",
        "base_volume",
        "parent_volume",
        "references",
        "location",
        "ipv6",
        "size",
        "created_at",
        "creation_date",
        "expires_at",
        "mfa",
        "user_ids",
        "application_ids",
        "user_id",
        "application_id",
        "private_nics",
        "error_details",
        "secret_key",
    ];

    fn object() -> impl Strategy<Value = serde_json::Value> {
        prop::collection::vec((prop::sample::select(KEYS), json()), 0..10).prop_map(|pairs| {
            serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        })
    }

    proptest! {
        #[test]
        fn no_object_makes_a_decoder_panic(value in object()) {
            let raw = RawValue::from_string(value.to_string()).unwrap();
            let context = Context { zone: Some("fr-par-1".into()) };
            for kind in KINDS {
                if let Ok(record) = (kind.decode)(&raw, &context) {
                    prop_assert!(!record.id.is_empty());
                    // API keys are the objects that can carry a secret.
                    if kind.name == "api_keys" {
                        prop_assert!(!record.raw.contains("\"secret_key\""));
                    }
                }
            }
        }
    }
}

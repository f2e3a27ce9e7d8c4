//! Instance snapshots of local volumes (`GET /instance/v1/zones/{zone}/snapshots`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{bytes, parse, required_id, text, ts, DecodeError, Link, Record, Ref};
use super::{json_text, Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "instance_snapshots",
    table: "volume_snapshots",
    locality: Locality::Zonal,
    path: "/instance/v1/zones/{zone}/snapshots",
    list_key: "snapshots",
    paging: Paging::PerPage,
    organization_param: "organization",
    rows_filter: Some("api = 'instance'"),
    links: &[LinkSpec {
        table: "volume_has_snapshot",
        parent_column: "snapshot_id",
        only: None,
    }],
    permission_set: "InstancesReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Snapshot {
    id: Option<String>,
    name: Option<String>,
    tags: Option<Vec<String>>,
    volume_type: Option<String>,
    size: Option<u64>,
    state: Option<String>,
    creation_date: Option<String>,
    modification_date: Option<String>,
    // The SDK names it `error_reason`; every recorded response sends `error_details`.
    // Its shape is undocumented (always null when recorded): any non-string is kept as JSON.
    error_reason: Option<serde_json::Value>,
    error_details: Option<serde_json::Value>,
    zone: Option<String>,
    base_volume: Option<Ref>,
    project: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let s: Snapshot = parse(raw)?;
    let id = required_id("id", s.id)?;
    let base_volume_id = Ref::id_of(&s.base_volume);
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&s.name)),
            ("tags", json_text(&s.tags)),
            ("volume_type", text(&s.volume_type)),
            ("size", bytes("size", s.size)?),
            ("state", text(&s.state)),
            ("creation_date", ts("creation_date", &s.creation_date)?),
            (
                "modification_date",
                ts("modification_date", &s.modification_date)?,
            ),
            (
                "error_reason",
                text(&loose_text(s.error_reason.or(s.error_details))),
            ),
            ("zone", context.zone.clone().or(s.zone).into()),
            ("api", "instance".to_string().into()),
            ("base_volume_id", text(&base_volume_id)),
            ("project_id", text(&s.project)),
        ],
        links: snapshot_link(&id, base_volume_id),
        id,
        raw: raw.get().to_string(),
    })
}

/// The HAS edge from the volume a snapshot was taken of.
pub(super) fn snapshot_link(snapshot_id: &str, volume_id: Option<String>) -> Vec<Link> {
    volume_id
        .into_iter()
        .map(|volume_id| {
            Link::new(
                "volume_has_snapshot",
                vec![
                    ("volume_id", volume_id.into()),
                    ("snapshot_id", snapshot_id.to_string().into()),
                ],
            )
        })
        .collect()
}

fn loose_text(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

//! Block Storage (SBS) snapshots (`GET /block/v1alpha1/zones/{zone}/snapshots`), stored
//! beside Instance snapshots with `volume_type = 'sbs_snapshot'`.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{bytes, parse, required_id, text, ts, DecodeError, Record, Ref};
use super::instance_snapshots::snapshot_link;
use super::{json_text, Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "block_snapshots",
    table: "volume_snapshots",
    locality: Locality::Zonal,
    path: "/block/v1alpha1/zones/{zone}/snapshots",
    list_key: "snapshots",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: Some("api = 'block'"),
    links: &[LinkSpec {
        table: "volume_has_snapshot",
        parent_column: "snapshot_id",
        only: None,
    }],
    permission_set: "BlockStorageReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Snapshot {
    id: Option<String>,
    name: Option<String>,
    parent_volume: Option<Ref>,
    size: Option<u64>,
    project_id: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    status: Option<String>,
    tags: Option<Vec<String>>,
    zone: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let s: Snapshot = parse(raw)?;
    let id = required_id("id", s.id)?;
    let base_volume_id = Ref::id_of(&s.parent_volume);
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&s.name)),
            ("tags", json_text(&s.tags)),
            ("volume_type", "sbs_snapshot".to_string().into()),
            ("size", bytes("size", s.size)?),
            ("state", text(&s.status)),
            ("creation_date", ts("created_at", &s.created_at)?),
            ("modification_date", ts("updated_at", &s.updated_at)?),
            ("error_reason", rusqlite::types::Value::Null),
            ("zone", context.zone.clone().or(s.zone).into()),
            ("api", "block".to_string().into()),
            ("base_volume_id", text(&base_volume_id)),
            ("project_id", text(&s.project_id)),
        ],
        links: snapshot_link(&id, base_volume_id),
        id,
        raw: raw.get().to_string(),
    })
}

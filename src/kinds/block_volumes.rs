//! Block Storage (SBS) volumes (`GET /block/v1alpha1/zones/{zone}/volumes`), stored beside
//! Instance volumes with `volume_type = 'sbs_volume'` so that server mounts resolve.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{bytes, parse, required_id, text, ts, DecodeError, Record};
use super::{json_text, Context, Kind, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "block_volumes",
    table: "volumes",
    locality: Locality::Zonal,
    path: "/block/v1alpha1/zones/{zone}/volumes",
    list_key: "volumes",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: Some("api = 'block'"),
    links: &[],
    permission_set: "BlockStorageReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Volume {
    id: Option<String>,
    name: Option<String>,
    size: Option<u64>,
    project_id: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    references: Option<Vec<Reference>>,
    status: Option<String>,
    tags: Option<Vec<String>>,
    zone: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    product_resource_type: Option<String>,
    product_resource_id: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let v: Volume = parse(raw)?;
    let id = required_id("id", v.id)?;
    // The attachment to a server is a reference of type `instance_server`.
    let server_id = v
        .references
        .iter()
        .flatten()
        .find(|r| r.product_resource_type.as_deref() == Some("instance_server"))
        .and_then(|r| r.product_resource_id.clone());
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&v.name)),
            ("export_uri", rusqlite::types::Value::Null),
            ("size", bytes("size", v.size)?),
            ("volume_type", "sbs_volume".to_string().into()),
            ("creation_date", ts("created_at", &v.created_at)?),
            ("modification_date", ts("updated_at", &v.updated_at)?),
            ("tags", json_text(&v.tags)),
            ("state", text(&v.status)),
            ("zone", context.zone.clone().or(v.zone).into()),
            ("api", "block".to_string().into()),
            ("server_id", text(&server_id)),
            ("project_id", text(&v.project_id)),
        ],
        id,
        raw: raw.get().to_string(),
        links: vec![],
    })
}

//! Instance local volumes (`GET /instance/v1/zones/{zone}/volumes`): `l_ssd`, `scratch`
//! and legacy `b_ssd`. SBS volumes are listed by the Block API.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{bytes, parse, required_id, text, ts, DecodeError, Record, Ref};
use super::{json_text, Context, Kind, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "instance_volumes",
    table: "volumes",
    locality: Locality::Zonal,
    path: "/instance/v1/zones/{zone}/volumes",
    list_key: "volumes",
    paging: Paging::PerPage,
    organization_param: "organization",
    rows_filter: Some("api = 'instance'"),
    links: &[],
    permission_set: "InstancesReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Volume {
    id: Option<String>,
    name: Option<String>,
    export_uri: Option<String>,
    size: Option<u64>,
    volume_type: Option<String>,
    creation_date: Option<String>,
    modification_date: Option<String>,
    tags: Option<Vec<String>>,
    state: Option<String>,
    zone: Option<String>,
    server: Option<Ref>,
    project: Option<String>,
}

fn decode(raw: &RawValue, context: &Context) -> Result<Record, DecodeError> {
    let v: Volume = parse(raw)?;
    let id = required_id("id", v.id)?;
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&v.name)),
            ("export_uri", text(&v.export_uri)),
            ("size", bytes("size", v.size)?),
            ("volume_type", text(&v.volume_type)),
            ("creation_date", ts("creation_date", &v.creation_date)?),
            (
                "modification_date",
                ts("modification_date", &v.modification_date)?,
            ),
            ("tags", json_text(&v.tags)),
            ("state", text(&v.state)),
            ("zone", context.zone.clone().or(v.zone).into()),
            ("api", "instance".to_string().into()),
            ("server_id", text(&Ref::id_of(&v.server))),
            ("project_id", text(&v.project)),
        ],
        id,
        raw: raw.get().to_string(),
        links: vec![],
    })
}

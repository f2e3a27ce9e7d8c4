//! Account v3 projects (`GET /account/v3/projects`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{parse, required_id, text, ts, DecodeError, Record};
use super::{Context, Kind, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "projects",
    table: "projects",
    locality: Locality::Global,
    path: "/account/v3/projects",
    list_key: "projects",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: None,
    links: &[],
    permission_set: "ProjectReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Project {
    id: Option<String>,
    name: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    description: Option<String>,
}

fn decode(raw: &RawValue, _: &Context) -> Result<Record, DecodeError> {
    let p: Project = parse(raw)?;
    let id = required_id("id", p.id)?;
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&p.name)),
            ("created_at", ts("created_at", &p.created_at)?),
            ("updated_at", ts("updated_at", &p.updated_at)?),
            ("description", text(&p.description)),
        ],
        id,
        raw: raw.get().to_string(),
        links: vec![],
    })
}

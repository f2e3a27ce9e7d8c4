//! IAM applications (`GET /iam/v1alpha1/applications`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{flag, parse, required_id, text, ts, DecodeError, Record};
use super::{json_text, Context, Kind, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "applications",
    table: "applications",
    locality: Locality::Global,
    path: "/iam/v1alpha1/applications",
    list_key: "applications",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: None,
    links: &[],
    permission_set: "IAMReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Application {
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    editable: Option<bool>,
    deletable: Option<bool>,
    managed: Option<bool>,
    tags: Option<Vec<String>>,
}

fn decode(raw: &RawValue, _: &Context) -> Result<Record, DecodeError> {
    let a: Application = parse(raw)?;
    let id = required_id("id", a.id)?;
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("name", text(&a.name)),
            ("description", text(&a.description)),
            ("created_at", ts("created_at", &a.created_at)?),
            ("updated_at", ts("updated_at", &a.updated_at)?),
            ("editable", flag(a.editable)),
            ("deletable", flag(a.deletable)),
            ("managed", flag(a.managed)),
            ("tags", json_text(&a.tags)),
        ],
        id,
        raw: raw.get().to_string(),
        links: vec![],
    })
}

//! IAM groups (`GET /iam/v1alpha1/groups`), with their embedded member lists.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{flag, parse, required_id, text, ts, DecodeError, Link, Record};
use super::{json_text, Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "groups",
    table: "groups",
    locality: Locality::Global,
    path: "/iam/v1alpha1/groups",
    list_key: "groups",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: None,
    links: &[
        LinkSpec {
            table: "user_member_of_group",
            parent_column: "group_id",
            only: None,
        },
        LinkSpec {
            table: "application_member_of_group",
            parent_column: "group_id",
            only: None,
        },
    ],
    permission_set: "IAMReadOnly",
    decode,
};

#[derive(Deserialize)]
struct Group {
    id: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    name: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
    editable: Option<bool>,
    deletable: Option<bool>,
    managed: Option<bool>,
    user_ids: Option<Vec<String>>,
    application_ids: Option<Vec<String>>,
}

fn decode(raw: &RawValue, _: &Context) -> Result<Record, DecodeError> {
    let g: Group = parse(raw)?;
    let id = required_id("id", g.id)?;
    let mut links = Vec::new();
    for user_id in g.user_ids.iter().flatten() {
        links.push(Link::new(
            "user_member_of_group",
            vec![
                ("user_id", user_id.clone().into()),
                ("group_id", id.clone().into()),
            ],
        ));
    }
    for application_id in g.application_ids.iter().flatten() {
        links.push(Link::new(
            "application_member_of_group",
            vec![
                ("application_id", application_id.clone().into()),
                ("group_id", id.clone().into()),
            ],
        ));
    }
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("created_at", ts("created_at", &g.created_at)?),
            ("updated_at", ts("updated_at", &g.updated_at)?),
            ("name", text(&g.name)),
            ("description", text(&g.description)),
            ("tags", json_text(&g.tags)),
            ("editable", flag(g.editable)),
            ("deletable", flag(g.deletable)),
            ("managed", flag(g.managed)),
        ],
        id,
        raw: raw.get().to_string(),
        links,
    })
}

//! IAM users (`GET /iam/v1alpha1/users`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{flag, parse, required_id, text, ts, DecodeError, Record};
use super::{json_text, Context, Kind, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "users",
    table: "users",
    locality: Locality::Global,
    path: "/iam/v1alpha1/users",
    list_key: "users",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: None,
    links: &[],
    permission_set: "IAMReadOnly",
    decode,
};

#[derive(Deserialize)]
struct User {
    id: Option<String>,
    email: Option<String>,
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone_number: Option<String>,
    locale: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    deletable: Option<bool>,
    last_login_at: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    mfa: Option<bool>,
    account_root_user_id: Option<String>,
    tags: Option<Vec<String>>,
    locked: Option<bool>,
}

fn decode(raw: &RawValue, _: &Context) -> Result<Record, DecodeError> {
    let u: User = parse(raw)?;
    let id = required_id("id", u.id)?;
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("email", text(&u.email)),
            ("username", text(&u.username)),
            ("first_name", text(&u.first_name)),
            ("last_name", text(&u.last_name)),
            ("phone_number", text(&u.phone_number)),
            ("locale", text(&u.locale)),
            ("created_at", ts("created_at", &u.created_at)?),
            ("updated_at", ts("updated_at", &u.updated_at)?),
            ("deletable", flag(u.deletable)),
            ("last_login_at", ts("last_login_at", &u.last_login_at)?),
            ("type", text(&u.kind)),
            ("status", text(&u.status)),
            ("mfa", flag(u.mfa)),
            ("account_root_user_id", text(&u.account_root_user_id)),
            ("tags", json_text(&u.tags)),
            ("locked", flag(u.locked)),
        ],
        id,
        raw: raw.get().to_string(),
        links: vec![],
    })
}

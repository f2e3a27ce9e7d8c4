//! IAM API keys (`GET /iam/v1alpha1/api-keys`); the access key is the id.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::decode::{flag, parse, required_id, text, ts, DecodeError, Link, Record};
use super::{Context, Kind, LinkSpec, Locality, Paging};

pub static KIND: Kind = Kind {
    name: "api_keys",
    table: "api_keys",
    locality: Locality::Global,
    path: "/iam/v1alpha1/api-keys",
    list_key: "api_keys",
    paging: Paging::PageSize,
    organization_param: "organization_id",
    rows_filter: None,
    links: &[
        LinkSpec {
            table: "user_has_api_key",
            parent_column: "api_key_id",
            only: None,
        },
        LinkSpec {
            table: "application_has_api_key",
            parent_column: "api_key_id",
            only: None,
        },
    ],
    permission_set: "IAMReadOnly",
    decode,
};

#[derive(Deserialize)]
struct ApiKey {
    access_key: Option<String>,
    description: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    expires_at: Option<String>,
    default_project_id: Option<String>,
    editable: Option<bool>,
    deletable: Option<bool>,
    managed: Option<bool>,
    creation_ip: Option<String>,
    user_id: Option<String>,
    application_id: Option<String>,
}

fn decode(raw: &RawValue, _: &Context) -> Result<Record, DecodeError> {
    let k: ApiKey = parse(raw)?;
    let id = required_id("access_key", k.access_key)?;
    let user_id = k.user_id.filter(|v| !v.is_empty());
    let application_id = k.application_id.filter(|v| !v.is_empty());
    let mut links = Vec::new();
    if let Some(user_id) = &user_id {
        links.push(Link::new(
            "user_has_api_key",
            vec![
                ("user_id", user_id.clone().into()),
                ("api_key_id", id.clone().into()),
            ],
        ));
    }
    if let Some(application_id) = &application_id {
        links.push(Link::new(
            "application_has_api_key",
            vec![
                ("application_id", application_id.clone().into()),
                ("api_key_id", id.clone().into()),
            ],
        ));
    }
    Ok(Record {
        columns: vec![
            ("id", id.clone().into()),
            ("description", text(&k.description)),
            ("created_at", ts("created_at", &k.created_at)?),
            ("updated_at", ts("updated_at", &k.updated_at)?),
            ("expires_at", ts("expires_at", &k.expires_at)?),
            ("default_project_id", text(&k.default_project_id)),
            ("editable", flag(k.editable)),
            ("deletable", flag(k.deletable)),
            ("managed", flag(k.managed)),
            ("creation_ip", text(&k.creation_ip)),
            ("user_id", text(&user_id)),
            ("application_id", text(&application_id)),
        ],
        id,
        raw: without_secret(raw)?,
        links,
    })
}

/// The stored object never carries a secret: lists send `secret_key: null`, but a key
/// that does come back is dropped rather than written to the file.
fn without_secret(raw: &RawValue) -> Result<String, DecodeError> {
    if !raw.get().contains("\"secret_key\"") {
        return Ok(raw.get().to_string());
    }
    let mut object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(raw.get()).map_err(|e| DecodeError::new(".", e.to_string()))?;
    object.remove("secret_key");
    serde_json::to_string(&object).map_err(|e| DecodeError::new(".", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_key_never_reaches_raw() {
        let raw = RawValue::from_string(
            r#"{"access_key":"SCWAAAAAAAAAAAAAAAAA","secret_key":"11111111-2222-3333-4444-555555555555","user_id":"u"}"#
                .to_string(),
        )
        .unwrap();
        let record = decode(&raw, &Context { zone: None }).unwrap();
        assert!(!record.raw.contains("11111111-2222"));
        assert!(record.raw.contains("SCWAAAAAAAAAAAAAAAAA"));
        assert_eq!(record.links.len(), 1);
    }
}

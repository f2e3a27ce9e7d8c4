//! Finds the organization a key belongs to when none is configured (scaleway-api.md §4.2),
//! and reads its name.

use serde::Deserialize;

use crate::api::{ApiError, Client};

/// Why the organization could not be determined.
#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    #[error("no organization given and no access key to find it from: set SCW_DEFAULT_ORGANIZATION_ID (or default_organization_id in your scw profile, or --organization-id), or set SCW_ACCESS_KEY")]
    NoAccessKey,
    #[error("cannot find the organization of access key {access_key} ({source}); set SCW_DEFAULT_ORGANIZATION_ID (or --organization-id)")]
    Lookup {
        access_key: String,
        source: ApiError,
    },
    #[error("the API describes access key {access_key} without an owning user or application; set SCW_DEFAULT_ORGANIZATION_ID (or --organization-id)")]
    NoBearer { access_key: String },
}

impl OrganizationError {
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            OrganizationError::Lookup { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct KeyBearer {
    user_id: Option<String>,
    application_id: Option<String>,
}

#[derive(Deserialize)]
struct Owned {
    organization_id: Option<String>,
}

/// `GET api-keys/{access_key}` gives the bearer; the bearer gives the organization.
pub async fn discover(
    client: &Client,
    access_key: Option<&str>,
) -> Result<String, OrganizationError> {
    let access_key = access_key.ok_or(OrganizationError::NoAccessKey)?;
    let lookup = |source| OrganizationError::Lookup {
        access_key: access_key.to_string(),
        source,
    };
    let raw = client
        .get_object(&format!("/iam/v1alpha1/api-keys/{access_key}"))
        .await
        .map_err(lookup)?;
    let key: KeyBearer = parse(&raw, "api key").map_err(lookup)?;
    let path = match (key.user_id, key.application_id) {
        (Some(user), _) if !user.is_empty() => format!("/iam/v1alpha1/users/{user}"),
        (_, Some(app)) if !app.is_empty() => format!("/iam/v1alpha1/applications/{app}"),
        _ => {
            return Err(OrganizationError::NoBearer {
                access_key: access_key.to_string(),
            })
        }
    };
    let raw = client.get_object(&path).await.map_err(lookup)?;
    let owner: Owned = parse(&raw, &path).map_err(lookup)?;
    owner
        .organization_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| OrganizationError::NoBearer {
            access_key: access_key.to_string(),
        })
}

/// The organization's name and object, when the key may read them: a key limited to
/// listing resources still produces a complete inventory without them.
/// It is also the sync's first request with the organization known, so a key that is
/// refused or an API that cannot be reached ends the sync here, before any fan-out.
pub async fn details(
    client: &Client,
    organization_id: &str,
) -> Result<Option<(Option<String>, String)>, ApiError> {
    let path = format!("/iam/v1alpha1/organizations/{organization_id}");
    match client.get_object(&path).await {
        Ok(raw) => {
            let name = serde_json::from_str::<serde_json::Value>(raw.get())
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string));
            Ok(Some((name, raw.get().to_string())))
        }
        Err(error @ (ApiError::Unauthorized { .. } | ApiError::Unreachable { .. })) => Err(error),
        Err(error) => {
            tracing::warn!(%error, "could not read the organization's name; continuing without it");
            Ok(None)
        }
    }
}

fn parse<T: for<'de> Deserialize<'de>>(
    raw: &serde_json::value::RawValue,
    what: &str,
) -> Result<T, ApiError> {
    serde_json::from_str(raw.get()).map_err(|e| ApiError::Malformed {
        url: what.to_string(),
        detail: e.to_string(),
    })
}

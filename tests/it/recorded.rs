//! Every response recorded by Scaleway's own test suites (in `../shared/fixtures`, never
//! copied here) goes through our decoders and into a real inventory file.

use std::path::{Path, PathBuf};

use inv::api::ApiError;
use inv::kinds::{self, Context, Kind};
use inv::store::{self, Writer};
use serde_json::value::RawValue;

/// Recorded families and the kind that decodes them; the Instance API wraps single
/// objects under this key.
const FAMILIES: &[(&str, &str, Option<&str>)] = &[
    ("account_projects", "projects", None),
    ("iam_users", "users", None),
    ("iam_groups", "groups", None),
    ("iam_applications", "applications", None),
    ("iam_api_keys", "api_keys", None),
    ("instance_servers", "instances", Some("server")),
    ("instance_ips", "flexible_ips", Some("ip")),
    ("instance_volumes", "instance_volumes", Some("volume")),
    ("instance_snapshots", "instance_snapshots", Some("snapshot")),
    ("block_volumes", "block_volumes", None),
    ("block_snapshots", "block_snapshots", None),
];

fn recordings() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/scaleway-recorded");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (it ships beside the repository, not in it)",
            dir.display()
        );
        None
    }
}

fn records(path: &Path) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).expect("recordings are JSON arrays"),
        Err(_) => Vec::new(),
    }
}

fn files(dir: &Path, family: &str, what: &str) -> Vec<PathBuf> {
    [
        dir.join(format!("{family}.{what}.json")),
        dir.join("history").join(format!("{family}.{what}.json")),
    ]
    .into_iter()
    .filter(|p| p.exists())
    .collect()
}

fn decode_into(writer: &mut Writer, kind: &'static Kind, object: &serde_json::Value, origin: &str) {
    let raw = RawValue::from_string(object.to_string()).expect("re-serialised JSON");
    let zone = object
        .get("zone")
        .and_then(|z| z.as_str())
        .map(str::to_string);
    let context = Context {
        zone: zone.or_else(|| Some("fr-par-1".to_string())),
    };
    let record = (kind.decode)(&raw, &context)
        .unwrap_or_else(|e| panic!("{origin}: {} does not decode: {e}", kind.name));
    writer
        .store(kind, context.zone.as_deref(), &record)
        .unwrap_or_else(|e| panic!("{origin}: {} does not store: {e}", kind.name));
}

#[test]
fn every_recorded_object_decodes_and_stores() {
    let Some(dir) = recordings() else { return };
    let temp = crate::support::temp();
    let path = temp.path().join("recorded.db");
    let conn = store::open_for_write(&path).expect("a new inventory");
    let mut writer = Writer::begin(conn, &path, "2026-12-01T00:00:00.000000Z").expect("lock");
    writer
        .set_organization("00000000-0000-0000-0000-000000000000")
        .expect("the organization is set");
    let mut decoded = 0;
    for (family, kind_name, wrapper) in FAMILIES {
        let kind = kinds::by_name(kind_name).expect("a registered kind");
        for file in files(&dir, family, "list") {
            for (i, record) in records(&file).iter().enumerate() {
                let origin = format!("{}#{i}", file.display());
                let items = record["body"][kind.list_key]
                    .as_array()
                    .unwrap_or_else(|| panic!("{origin}: no `{}` list", kind.list_key));
                for item in items {
                    decode_into(&mut writer, kind, item, &origin);
                    decoded += 1;
                }
            }
        }
        for file in files(&dir, family, "single") {
            for (i, record) in records(&file).iter().enumerate() {
                let origin = format!("{}#{i}", file.display());
                let body = &record["body"];
                let object = match wrapper {
                    Some(key) => &body[key],
                    None => body,
                };
                assert!(object.is_object(), "{origin}: not an object");
                decode_into(&mut writer, kind, object, &origin);
                decoded += 1;
            }
        }
    }
    assert!(decoded > 1000, "only {decoded} recorded objects found");
    let counts = writer.table_counts().expect("counts");
    for table in [
        "projects",
        "users",
        "groups",
        "applications",
        "api_keys",
        "instances",
        "flexible_ips",
        "volumes",
        "volume_snapshots",
    ] {
        assert!(counts[table] > 0, "no {table} stored from the recordings");
    }
}

#[test]
fn every_recorded_error_becomes_a_typed_error() {
    let Some(dir) = recordings() else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("readable")
        .chain(std::fs::read_dir(dir.join("history")).expect("readable"))
    {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".error.json") {
            continue;
        }
        for record in records(&path) {
            let status = record["status"].as_u64().expect("a status") as u16;
            let body = match &record["body"] {
                serde_json::Value::String(text) => text.clone().into_bytes(),
                other => other.to_string().into_bytes(),
            };
            let error = ApiError::from_response("/recorded", status, &body);
            let expected = match status {
                401 => matches!(error, ApiError::Unauthorized { .. }),
                403 => matches!(error, ApiError::Forbidden { .. }),
                404 => matches!(error, ApiError::NotFound { .. }),
                _ => !error.to_string().is_empty(),
            };
            assert!(expected, "{}: {status} became {error:?}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} recorded errors");
}

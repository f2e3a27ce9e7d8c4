//! Resolved settings: flags over `SCW_*` environment over the scw config profile over
//! defaults, exactly as the scw CLI and SDKs take them (scaleway-api.md §6).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

pub const DEFAULT_API_URL: &str = "https://api.scaleway.com";

/// Every zone Scaleway runs (scaleway-api.md §3.1), in the order they are synced.
pub const ALL_ZONES: &[&str] = &[
    "fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3", "pl-waw-1", "pl-waw-2",
    "pl-waw-3", "it-mil-1",
];

/// Configuration problems, each saying what to set or fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no Scaleway secret key: set SCW_SECRET_KEY (and SCW_ACCESS_KEY), or add a profile with secret_key to {config} (create one with `scw init`); try `inv sync --demo` to see inv without an account")]
    MissingSecret { config: String },
    #[error("cannot read the scw config file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("the scw config file {path} is not valid YAML: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error("profile {name:?} is not in {path} (profiles there: {known})")]
    UnknownProfile {
        name: String,
        path: String,
        known: String,
    },
    #[error("{what} {value:?} is invalid: {reason}")]
    Invalid {
        what: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "insecure = true (from {source_name}) is refused: inv always verifies TLS certificates"
    )]
    Insecure { source_name: String },
}

/// One profile of the scw config file (only the keys inv uses; others are ignored).
#[derive(Debug, Default, Clone, Deserialize)]
struct Profile {
    access_key: Option<String>,
    secret_key: Option<String>,
    default_organization_id: Option<String>,
    api_url: Option<String>,
    insecure: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(flatten)]
    root: Profile,
    active_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// Flags that override the environment and the config file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub profile: Option<String>,
    pub organization_id: Option<String>,
    pub api_url: Option<String>,
}

/// The credentials and endpoint a sync uses.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key: Option<String>,
    pub secret_key: SecretString,
    pub organization_id: Option<String>,
    pub api_url: String,
    /// Where the settings came from, for messages (never the values).
    pub origin: String,
}

/// Reads the environment through a function so tests need not touch the process's own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, with empty values treated as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Resolves the credentials with the documented precedence.
pub fn resolve(overrides: &Overrides, env: Env) -> Result<Credentials, ConfigError> {
    let (path, explicit) = config_path(env);
    let file = match &path {
        Some(path) => read_file(path, explicit)?,
        None => None,
    };
    let shown_path = path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.config/scw/config.yaml".to_string());

    let profile_name = overrides
        .profile
        .clone()
        .or_else(|| env("SCW_PROFILE"))
        .or_else(|| file.as_ref().and_then(|f| f.active_profile.clone()));
    let profile = match (&file, &profile_name) {
        (Some(file), Some(name)) if name != "default" => {
            let named = file
                .profiles
                .get(name)
                .ok_or_else(|| ConfigError::UnknownProfile {
                    name: name.clone(),
                    path: shown_path.clone(),
                    known: known_profiles(file),
                })?;
            merge(&file.root, named)
        }
        (Some(file), _) => file.root.clone(),
        (None, Some(name)) if name != "default" => {
            return Err(ConfigError::UnknownProfile {
                name: name.clone(),
                path: shown_path,
                known: "none: the file does not exist".to_string(),
            })
        }
        (None, _) => Profile::default(),
    };

    let pick = |flag: &Option<String>, var: &str, from_file: &Option<String>| {
        flag.clone()
            .or_else(|| env(var))
            .or_else(|| from_file.clone().filter(|v| !v.is_empty()))
    };
    let access_key = pick(&None, "SCW_ACCESS_KEY", &profile.access_key);
    let secret = pick(&None, "SCW_SECRET_KEY", &profile.secret_key).ok_or_else(|| {
        ConfigError::MissingSecret {
            config: shown_path.clone(),
        }
    })?;
    let organization_id = pick(
        &overrides.organization_id,
        "SCW_DEFAULT_ORGANIZATION_ID",
        &profile.default_organization_id,
    );
    let api_url = pick(&overrides.api_url, "SCW_API_URL", &profile.api_url)
        .unwrap_or_else(|| DEFAULT_API_URL.to_string());

    let insecure_env = env("SCW_INSECURE").is_some_and(|v| v == "true" || v == "1");
    if insecure_env || profile.insecure == Some(true) {
        let source_name = if insecure_env {
            "SCW_INSECURE".to_string()
        } else {
            shown_path.clone()
        };
        return Err(ConfigError::Insecure { source_name });
    }
    if let Some(key) = &access_key {
        validate_access_key(key)?;
    }
    if let Some(id) = &organization_id {
        validate_uuid("organization id", id)?;
    }
    let api_url = validate_api_url(&api_url)?;
    let origin = match (&file, &profile_name) {
        (Some(_), Some(name)) => format!("environment and profile {name:?} of {shown_path}"),
        (Some(_), None) => format!("environment and {shown_path}"),
        (None, _) => "environment".to_string(),
    };
    Ok(Credentials {
        access_key,
        secret_key: SecretString::from(secret),
        organization_id,
        api_url,
        origin,
    })
}

/// `SCW_CONFIG_PATH` verbatim, else `$XDG_CONFIG_HOME/scw/config.yaml`, else
/// `~/.config/scw/config.yaml` (or `config.yml` beside it). The flag says whether the
/// user named the file, in which case it must exist.
fn config_path(env: Env) -> (Option<PathBuf>, bool) {
    if let Some(path) = env("SCW_CONFIG_PATH") {
        return (Some(PathBuf::from(path)), true);
    }
    let dir = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".config")));
    let Some(dir) = dir else {
        return (None, false);
    };
    let yaml = dir.join("scw").join("config.yaml");
    let yml = dir.join("scw").join("config.yml");
    if !yaml.exists() && yml.exists() {
        return (Some(yml), false);
    }
    (Some(yaml), false)
}

fn read_file(path: &Path, explicit: bool) -> Result<Option<ConfigFile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(ConfigFile::default()));
    }
    serde_yaml_ng::from_str(&text)
        .map(Some)
        // serde_yaml errors quote the offending value, which may be a secret: keep only
        // where it is.
        .map_err(|e| ConfigError::Malformed {
            path: path.to_path_buf(),
            reason: match e.location() {
                Some(at) => format!("error at line {}, column {}", at.line(), at.column()),
                None => "the file does not have the scw config layout".to_string(),
            },
        })
}

fn merge(root: &Profile, named: &Profile) -> Profile {
    Profile {
        access_key: named.access_key.clone().or_else(|| root.access_key.clone()),
        secret_key: named.secret_key.clone().or_else(|| root.secret_key.clone()),
        default_organization_id: named
            .default_organization_id
            .clone()
            .or_else(|| root.default_organization_id.clone()),
        api_url: named.api_url.clone().or_else(|| root.api_url.clone()),
        insecure: named.insecure.or(root.insecure),
    }
}

fn known_profiles(file: &ConfigFile) -> String {
    let mut names = vec!["default".to_string()];
    names.extend(file.profiles.keys().cloned());
    names.join(", ")
}

fn validate_access_key(key: &str) -> Result<(), ConfigError> {
    let ok = key.len() == 20
        && key.starts_with("SCW")
        && key[3..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            what: "access key",
            value: key.to_string(),
            reason: "expected SCW followed by 17 upper-case letters or digits".to_string(),
        })
    }
}

/// Whether a string has the 8-4-4-4-12 hex shape of the API's ids.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn validate_uuid(what: &'static str, value: &str) -> Result<(), ConfigError> {
    if is_uuid(value) {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            what,
            value: value.to_string(),
            reason: "expected a UUID like 11111111-2222-3333-4444-555555555555".to_string(),
        })
    }
}

/// Accepts https URLs, and plain http only to a loopback host (a local fake or proxy):
/// anything else would send the secret key in clear text.
pub fn validate_api_url(url: &str) -> Result<String, ConfigError> {
    let url = url.trim().trim_end_matches('/');
    let invalid = |reason: &str| ConfigError::Invalid {
        what: "API URL",
        value: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    let host = parsed.host_str().ok_or_else(|| invalid("it has no host"))?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let loopback = host == "localhost"
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(invalid(
                    "plain http would send the secret key unencrypted; use https (http is accepted only for a loopback host)",
                ));
            }
        }
        _ => return Err(invalid("expected an https:// URL")),
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(url.to_string())
}

/// Parses `--zones`: zone names, or region names standing for all their zones.
pub fn parse_zones(spec: &str) -> Result<Vec<String>, ConfigError> {
    let mut zones = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let expanded: Vec<String> = if is_region(item) {
            let found: Vec<String> = ALL_ZONES
                .iter()
                .filter(|z| z.rsplit_once('-').map(|(r, _)| r) == Some(item))
                .map(|z| z.to_string())
                .collect();
            if found.is_empty() {
                return Err(invalid_zone(item));
            }
            found
        } else if is_zone(item) {
            vec![item.to_string()]
        } else {
            return Err(invalid_zone(item));
        };
        for zone in expanded {
            if !zones.contains(&zone) {
                zones.push(zone);
            }
        }
    }
    if zones.is_empty() {
        return Err(invalid_zone(spec));
    }
    Ok(zones)
}

fn invalid_zone(value: &str) -> ConfigError {
    ConfigError::Invalid {
        what: "zone",
        value: value.to_string(),
        reason: format!(
            "expected zones or regions separated by commas, such as fr-par-1,nl-ams or {}",
            ALL_ZONES.join(",")
        ),
    }
}

/// `^[a-z]{2}-[a-z]{3,7}-[0-9]{1,2}$`
fn is_zone(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && region_parts(parts[0], parts[1])
        && (1..=2).contains(&parts[2].len())
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

/// `^[a-z]{2}-[a-z]{3,7}$`
fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 2 && region_parts(parts[0], parts[1])
}

fn region_parts(country: &str, city: &str) -> bool {
    country.len() == 2
        && country.chars().all(|c| c.is_ascii_lowercase())
        && (3..=7).contains(&city.len())
        && city.chars().all(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const FILE: &str = "access_key: SCWXXXXXXXXXXXXXXXXX
secret_key: 11111111-1111-1111-1111-111111111111
default_organization_id: 22222222-2222-2222-2222-222222222222
active_profile: inventory
profiles:
  inventory:
    access_key: SCWYYYYYYYYYYYYYYYYY
    secret_key: 33333333-3333-3333-3333-333333333333
  other:
    secret_key: 44444444-4444-4444-4444-444444444444
";

    fn with_file(text: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, text).unwrap();
        let shown = path.display().to_string();
        (dir, shown)
    }

    #[test]
    fn active_profile_inherits_from_the_root() {
        let (_dir, path) = with_file(FILE);
        let c = resolve(
            &Overrides::default(),
            &env_of(&[("SCW_CONFIG_PATH", &path)]),
        )
        .unwrap();
        assert_eq!(c.access_key.as_deref(), Some("SCWYYYYYYYYYYYYYYYYY"));
        assert_eq!(
            c.secret_key.expose_secret(),
            "33333333-3333-3333-3333-333333333333"
        );
        assert_eq!(
            c.organization_id.as_deref(),
            Some("22222222-2222-2222-2222-222222222222")
        );
        assert_eq!(c.api_url, DEFAULT_API_URL);
    }

    #[test]
    fn environment_beats_file_and_flags_beat_both() {
        let (_dir, path) = with_file(FILE);
        let env = env_of(&[
            ("SCW_CONFIG_PATH", &path),
            ("SCW_PROFILE", "other"),
            ("SCW_SECRET_KEY", "55555555-5555-5555-5555-555555555555"),
            (
                "SCW_DEFAULT_ORGANIZATION_ID",
                "66666666-6666-6666-6666-666666666666",
            ),
        ]);
        let overrides = Overrides {
            organization_id: Some("77777777-7777-7777-7777-777777777777".into()),
            ..Overrides::default()
        };
        let c = resolve(&overrides, &env).unwrap();
        assert_eq!(
            c.secret_key.expose_secret(),
            "55555555-5555-5555-5555-555555555555"
        );
        assert_eq!(c.access_key.as_deref(), Some("SCWXXXXXXXXXXXXXXXXX"));
        assert_eq!(
            c.organization_id.as_deref(),
            Some("77777777-7777-7777-7777-777777777777")
        );
    }

    #[test]
    fn an_unknown_profile_lists_the_known_ones() {
        let (_dir, path) = with_file(FILE);
        let env = env_of(&[("SCW_CONFIG_PATH", &path), ("SCW_PROFILE", "prod")]);
        let error = resolve(&Overrides::default(), &env)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"prod\"") && error.contains("default, inventory, other"),
            "{error}"
        );
    }

    #[test]
    fn missing_credentials_say_what_to_set() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().display().to_string();
        let error = resolve(&Overrides::default(), &env_of(&[("HOME", &home)])).unwrap_err();
        assert!(error.to_string().contains("SCW_SECRET_KEY"), "{error}");
    }

    #[test]
    fn a_named_but_absent_file_is_an_error() {
        let env = env_of(&[("SCW_CONFIG_PATH", "/nonexistent/scw.yaml")]);
        assert!(matches!(
            resolve(&Overrides::default(), &env),
            Err(ConfigError::Unreadable { .. })
        ));
    }

    #[test]
    fn malformed_yaml_names_the_place_but_not_the_content() {
        let (_dir, path) = with_file("secret_key: [unclosed 99999999-aaaa\n  : :");
        let error = resolve(
            &Overrides::default(),
            &env_of(&[("SCW_CONFIG_PATH", &path)]),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("not valid YAML"), "{error}");
        assert!(!error.contains("99999999"), "{error}");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(validate_api_url("http://127.0.0.1:8080/").is_ok());
        assert!(validate_api_url("http://localhost:1").is_ok());
        assert!(validate_api_url("http://[::1]:1").is_ok());
        assert!(validate_api_url("http://api.scaleway.com").is_err());
        assert!(validate_api_url("ftp://x").is_err());
        assert_eq!(
            validate_api_url("https://api.scaleway.com/").unwrap(),
            DEFAULT_API_URL
        );
    }

    #[test]
    fn insecure_is_refused() {
        let env = env_of(&[("SCW_SECRET_KEY", "x"), ("SCW_INSECURE", "true")]);
        assert!(matches!(
            resolve(&Overrides::default(), &env),
            Err(ConfigError::Insecure { .. })
        ));
    }

    #[test]
    fn zones_and_regions() {
        assert_eq!(parse_zones("fr-par-2").unwrap(), vec!["fr-par-2"]);
        assert_eq!(parse_zones("nl-ams,fr-par-1").unwrap().len(), 4);
        assert_eq!(parse_zones("fr-par-9").unwrap(), vec!["fr-par-9"]);
        assert!(parse_zones("paris").is_err());
        assert!(parse_zones("xx-yyy").is_err());
        assert!(parse_zones(",").is_err());
    }

    #[test]
    fn ids_are_validated() {
        assert!(is_uuid("0b1e4c2a-5d3f-4a6b-9c7d-8e9f0a1b2c3d"));
        assert!(!is_uuid("0b1e4c2a5d3f4a6b9c7d8e9f0a1b2c3d"));
        let env = env_of(&[("SCW_SECRET_KEY", "x"), ("SCW_ACCESS_KEY", "abc")]);
        assert!(resolve(&Overrides::default(), &env).is_err());
    }
}

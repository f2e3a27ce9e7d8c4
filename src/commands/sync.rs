//! `inv sync`: resolve settings, run the sync, print its summary.

use std::fmt::Write as _;
use std::time::Duration;

use crate::api::RetryPolicy;
use crate::cli::SyncArgs;
use crate::config::{self, Credentials, Overrides};
use crate::exit::{Failure, Status};
use crate::fakeapi;
use crate::progress::Progress;
use crate::sync::{self, SyncOptions, SyncReport};

/// Runs `inv sync` with real credentials (or the demo's) and prints the summary.
pub async fn run(args: SyncArgs, quiet: bool) -> Result<Status, Failure> {
    let zones = match &args.zones {
        Some(spec) => config::parse_zones(spec).map_err(|e| Failure::usage(e.to_string()))?,
        None => config::ALL_ZONES.iter().map(|z| z.to_string()).collect(),
    };
    if args.demo {
        return demo(&args, zones, quiet).await;
    }
    let overrides = Overrides {
        profile: args.profile.clone(),
        organization_id: args.organization_id.clone(),
        api_url: args.api_url.clone(),
    };
    let credentials = config::resolve(&overrides, &config::process_env)?;
    sync_with(&args, credentials, zones, quiet).await
}

/// Serves the built-in demo organization on loopback and syncs it like a real one: the
/// organization is even found from the access key, as for a user with no
/// `SCW_DEFAULT_ORGANIZATION_ID`.
async fn demo(args: &SyncArgs, zones: Vec<String>, quiet: bool) -> Result<Status, Failure> {
    let (world, credential) = fakeapi::demo_world();
    let fresh = !has_synced(&args.db.db, &credential.organization_id);
    let first = if fresh {
        fakeapi::demo_world_week_before()
    } else {
        world.clone()
    };
    let api = fakeapi::start(first, fakeapi::Faults::none())
        .await
        .map_err(|e| {
            Failure::new(
                Status::Internal,
                format!("cannot start the demo API on loopback: {e}"),
            )
        })?;
    if !quiet {
        eprintln!(
            "Syncing the built-in demo organization, served by a local fake Scaleway API at {}",
            api.url()
        );
    }
    let credentials = Credentials {
        access_key: Some(credential.access_key),
        secret_key: credential.secret_key.into(),
        organization_id: None,
        api_url: api.url(),
        origin: "the built-in demo organization".to_string(),
    };
    // A new file first gets the organization as it was a week ago, so that its history
    // (`inv diff`) has something to show.
    if fresh {
        let options = sync_options(args, credentials.clone(), zones.clone(), Progress::hidden());
        let report = sync::run(options).await?;
        if !quiet {
            eprintln!(
                "Sync #{} stored the demo organization as it was a week ago; now syncing it as it is:",
                report.sync_id
            );
        }
        api.set_world(world);
    }
    let status = sync_with(args, credentials, zones, quiet).await;
    api.shutdown();
    if status.is_ok() && !quiet {
        let db = args.db.db.display();
        eprintln!(
            "Now ask it questions: inv query no-mfa --db {db}   (or: inv query --list, inv audit --db {db}, inv diff --db {db})"
        );
    }
    status
}

/// Whether the file already holds a sync of this organization.
fn has_synced(db: &std::path::Path, organization_id: &str) -> bool {
    let Ok(conn) = crate::store::open_read_only(db) else {
        return false;
    };
    conn.query_row(
        "SELECT count(*) > 0 FROM sync_runs WHERE organization_id = ?1",
        [organization_id],
        |r| r.get(0),
    )
    .unwrap_or(false)
}

/// The sync itself, shared by real and demo runs.
pub async fn sync_with(
    args: &SyncArgs,
    credentials: Credentials,
    zones: Vec<String>,
    quiet: bool,
) -> Result<Status, Failure> {
    tracing::info!(origin = %credentials.origin, "credentials resolved");
    let options = sync_options(args, credentials, zones, Progress::stderr(quiet));
    let report = sync::run(options).await?;
    print!("{}", summary(&report, &args.db.db.display().to_string()));
    Ok(match report.run.status {
        "complete" => Status::Ok,
        "partial" => Status::Partial,
        _ => Status::Api,
    })
}

fn sync_options(
    args: &SyncArgs,
    credentials: Credentials,
    zones: Vec<String>,
    progress: Progress,
) -> SyncOptions {
    SyncOptions {
        db: args.db.db.clone(),
        credentials,
        zones,
        concurrency: usize::from(args.concurrency),
        rate: args.rate,
        timeout: Duration::from_secs_f64(args.timeout),
        retry: RetryPolicy {
            max_attempts: args.attempts,
            ..RetryPolicy::default()
        },
        progress,
    }
}

/// The end-of-sync summary: counts, skipped zones, failures, unresolved references,
/// requests and time.
pub fn summary(report: &SyncReport, db: &str) -> String {
    let run = &report.run;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sync #{} of organization {} into {db}: {} in {:.1} s",
        report.sync_id,
        run.organization_id.as_deref().unwrap_or("?"),
        run.status,
        report.elapsed.as_secs_f64()
    );
    let counts: Vec<String> = run
        .counts
        .iter()
        .filter(|(table, _)| table.as_str() != "organizations")
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    let _ = writeln!(out, "  objects: {}", counts.join(", "));
    let skipped: Vec<String> = run
        .scopes
        .iter()
        .filter(|s| s.status == "unavailable")
        .map(|s| format!("{} {}", s.kind, s.zone))
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "  not available (skipped): {}", skipped.join(", "));
    }
    for scope in &run.errors {
        let _ = writeln!(
            out,
            "  FAILED {} {}: {} (its earlier rows were kept)",
            scope.kind,
            scope.zone,
            scope.error.as_deref().unwrap_or("unknown error")
        );
    }
    if !run.unresolved.is_empty() {
        let refs: Vec<String> = run
            .unresolved
            .iter()
            .map(|(relation, n)| format!("{relation} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  references to objects not in the inventory: {}",
            refs.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "  {} requests ({} retries, {} throttled), {} stale objects removed",
        run.requests, run.retries, run.throttled, report.pruned
    );
    out
}

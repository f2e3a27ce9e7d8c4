//! The command line as typed (clap definitions); resolution into settings happens elsewhere.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "inv",
    version,
    args_override_self = true,
    about = "A Scaleway organization as one SQLite file: every entity and relationship, ready for SQL and audits",
    after_help = "Start with `inv sync --demo`, then `inv query no-mfa`.\n\nExit codes: 0 ok, 1 internal error, 2 usage error, 3 partial sync, 4 credentials or configuration, 5 inventory file, 6 API failure, 7 audit findings at --fail-on, 130 interrupted."
)]
pub struct Cli {
    /// More logging on stderr (-v: info, -vv: debug, -vvv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// No progress display and no logging below errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the organization from the Scaleway API into the inventory file.
    Sync(SyncArgs),
    /// Run a saved question (or ad-hoc SQL) on the inventory.
    Query(QueryArgs),
    /// Run every saved question and summarise the findings.
    Audit(AuditArgs),
    /// Show what changed between two syncs (default: the last two).
    Diff(DiffArgs),
    /// Show every recorded change of one entity or relationship, oldest first.
    History(HistoryArgs),
    /// Show what the inventory file holds: last syncs, counts, failures, schema version.
    Status(DbArgs),
    /// Print the documentation of every table and column of the inventory.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Serve a fake Scaleway API on loopback (for demos, tests and benchmarks).
    #[command(hide = true)]
    FakeApi(FakeApiArgs),
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The inventory file.
    #[arg(long, env = "INV_DB", default_value = "inventory.db")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Sync the built-in demo organization through a local fake API (no account, no network).
    #[arg(long, conflicts_with_all = ["organization_id", "profile", "api_url"])]
    pub demo: bool,
    /// Zones or regions to read, comma-separated (default: every zone).
    #[arg(long, value_name = "LIST")]
    pub zones: Option<String>,
    /// Organization to read (default: SCW_DEFAULT_ORGANIZATION_ID, the profile, or the key's own).
    #[arg(long, value_name = "UUID")]
    pub organization_id: Option<String>,
    /// scw config profile (default: SCW_PROFILE, then the file's active_profile).
    #[arg(long, short = 'p', value_name = "NAME")]
    pub profile: Option<String>,
    /// API base URL (default: SCW_API_URL, the profile's api_url, or https://api.scaleway.com).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Maximum requests in flight.
    #[arg(long, default_value_t = crate::sync::DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Request budget in requests per second; lowered automatically on HTTP 429.
    #[arg(long, default_value_t = crate::sync::DEFAULT_RATE, value_parser = positive_rate)]
    pub rate: f64,
    /// Seconds allowed for one request.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS", value_parser = positive_seconds)]
    pub timeout: f64,
    /// Attempts per request, the first included.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Name of the saved question (see --list).
    pub name: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// List the saved questions.
    #[arg(long, conflicts_with_all = ["name", "sql"])]
    pub list: bool,
    /// Run this SQL instead of a saved question.
    #[arg(long, conflicts_with = "name")]
    pub sql: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// The time the questions compare with (RFC 3339; default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// A parameter of the question, e.g. --param days=365.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// A folder of .sql questions that add to or override the built-in ones.
    #[arg(long, env = "INV_QUERIES", value_name = "DIR")]
    pub queries: Option<PathBuf>,
}

/// How much a finding of a question matters, from least to most (the order is used by
/// `--fail-on` and by the audit's ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The exact lower-case name, as written in question headers.
    pub fn from_name(name: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// The time the questions compare with (RFC 3339; default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// A parameter given to every question that takes it, e.g. --param days=365.
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Exit with status 7 when a question of this severity or worse has findings.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// A folder of .sql questions that add to or override the built-in ones.
    #[arg(long, env = "INV_QUERIES", value_name = "DIR")]
    pub queries: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The sync to compare from (default: the organization's sync before --to).
    #[arg(long, value_name = "SYNC", value_parser = sync_number)]
    pub from: Option<i64>,
    /// The sync to compare to (default: the latest sync that stored data).
    #[arg(long, value_name = "SYNC", value_parser = sync_number)]
    pub to: Option<i64>,
    /// Only changes of this kind: a table name such as users or user_member_of_group
    /// (repeatable).
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The table of the entity or relationship, e.g. users, instances, user_member_of_group.
    pub kind: String,
    /// Its id; for a relationship "<id> <id>" as `inv diff` shows it, or either id alone.
    pub id: String,
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FakeApiArgs {
    /// A world file (JSON); default: the demo organization.
    #[arg(long)]
    pub world: Option<PathBuf>,
    /// Generate a synthetic organization of about this many objects instead.
    #[arg(long, value_name = "OBJECTS")]
    pub synthetic: Option<usize>,
    /// Faults to inject (JSON file).
    #[arg(long)]
    pub faults: Option<PathBuf>,
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// A sync number as `inv status` shows it: `5` or `#5`.
fn sync_number(text: &str) -> Result<i64, String> {
    match text.trim().trim_start_matches('#').parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err("expected a sync number such as 5 (`inv status` lists them)".to_string()),
    }
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= 1.0 => Ok(rate),
        _ => Err("expected a number of requests per second, at least 1".to_string()),
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 3600.0 => Ok(s),
        _ => Err("expected a number of seconds between 0 and 3600".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}

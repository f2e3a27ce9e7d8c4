//! The `inv` binary: parse, run one command, map the outcome to a documented exit status.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use inv::cli::{Cli, Command};
use inv::exit::{Failure, Status};

fn main() -> ExitCode {
    let version = format!(
        "{} (schema version {})",
        env!("CARGO_PKG_VERSION"),
        inv::store::schema_version()
    );
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    init_logging(cli.verbose, cli.quiet);
    match run(cli) {
        Ok(status) => status.into(),
        Err(failure) => {
            eprintln!("inv: {}", failure.message);
            failure.status.into()
        }
    }
}

fn run(cli: Cli) -> Result<Status, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Status::Internal, format!("cannot start the runtime: {e}")))?;
    match cli.command {
        Command::Sync(args) => runtime.block_on(inv::commands::sync::run(args, cli.quiet)),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "inv", &mut std::io::stdout());
            Ok(Status::Ok)
        }
        Command::Query(args) => inv::commands::query::run(args),
        Command::Audit(args) => inv::commands::audit::run(args),
        Command::Diff(args) => inv::commands::diff::run(args),
        Command::History(args) => inv::commands::history::run(args),
        Command::Status(args) => inv::commands::status::run(args),
        Command::Schema(args) => inv::commands::schema::run(args),
        Command::FakeApi(args) => runtime.block_on(inv::commands::fake_api::run(args)),
    }
}

/// Logs go to stderr; `-v` levels raise the filter, `RUST_LOG` overrides it.
fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("inv={level},warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

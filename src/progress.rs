//! The live progress line of a sync on stderr: shown only on a terminal, never with
//! `--quiet`, and never mixed into stdout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::Client;

/// A cheap handle; hidden progress does nothing.
#[derive(Clone, Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    stored: Arc<AtomicU64>,
}

impl Progress {
    /// Progress on stderr when it is a terminal and `quiet` is off.
    pub fn stderr(quiet: bool) -> Self {
        use std::io::IsTerminal;
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} [{elapsed}] {pos}/{len} scopes  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar: Some(bar),
            stored: Arc::default(),
        }
    }

    pub fn hidden() -> Self {
        Progress {
            bar: None,
            stored: Arc::default(),
        }
    }

    pub fn message(&self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(text.to_string());
        }
    }

    pub fn start_scopes(&self, scopes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(scopes);
        }
    }

    /// Objects written so far.
    pub fn stored(&self, objects: u64) {
        self.stored.fetch_add(objects, Ordering::Relaxed);
    }

    pub fn scope_done(&self, client: &Client, kind: &str, zone: Option<&str>) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            let stats = client.stats();
            bar.set_message(format!(
                "{} objects, {} requests, {} retries, {} throttled, {:.0} req/s budget; last: {kind} {}",
                self.stored.load(Ordering::Relaxed),
                stats.requests(),
                stats.retries(),
                stats.throttled(),
                client.pacer().rate(),
                zone.unwrap_or("(global)"),
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

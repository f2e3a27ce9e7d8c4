//! `inv audit`: run every saved question and summarise the findings, as a terminal table,
//! a CSV summary, JSON with every row, or a Markdown report to attach next to the file.

use std::fmt::Write as _;

use rusqlite::types::Value;

use crate::cli::{AuditArgs, Format};
use crate::exit::{Failure, Status};
use crate::output::ResultSet;
use crate::query::{self, params, Library, Report};
use crate::store;

pub fn run(args: AuditArgs) -> Result<Status, Failure> {
    let library = Library::load(args.queries.as_deref())?;
    let given = params::parse_assignments(&args.params)?;
    let now = params::resolve_now(args.now.as_deref())?;
    params::check_audit(&library, &given)?;
    let conn = store::open_read_only(&args.db.db)?;
    let report = query::audit(&conn, &args.db.db, &library, &now, &given)?;

    let text = match args.format {
        Format::Table => table(&report),
        Format::Csv => summary(&report).render(Format::Csv),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&report.to_json()).map_err(|e| {
                Failure::new(Status::Internal, format!("cannot encode the report: {e}"))
            })?;
            text.push('\n');
            text
        }
        Format::Markdown => markdown(&report),
    };
    // JSON and CSV carry no prose: the warnings go to stderr so that nobody misses them.
    if matches!(args.format, Format::Json | Format::Csv) {
        for warning in &report.warnings {
            eprintln!("inv: warning: {warning}");
        }
    }
    super::emit(&text)?;

    if let Some(threshold) = args.fail_on {
        let failing = report.at_or_above(threshold);
        if !failing.is_empty() {
            let names: Vec<String> = failing
                .iter()
                .map(|f| format!("{} ({})", f.question.name, f.count()))
                .collect();
            eprintln!(
                "inv: {} question(s) at severity {threshold} or worse have findings: {}",
                failing.len(),
                names.join(", ")
            );
            return Ok(Status::Findings);
        }
    }
    Ok(Status::Ok)
}

/// One row per question: name, severity, findings, title.
fn summary(report: &Report) -> ResultSet {
    let rows = report
        .findings
        .iter()
        .map(|f| {
            vec![
                Value::Text(f.question.name.clone()),
                Value::Text(f.severity().as_str().to_string()),
                Value::Integer(i64::try_from(f.count()).unwrap_or(i64::MAX)),
                Value::Text(f.question.header.title.clone()),
            ]
        })
        .collect();
    ResultSet {
        columns: ["name", "severity", "findings", "title"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// A one-line account of the data the findings describe.
fn sync_line(report: &Report) -> String {
    match &report.sync {
        Some(sync) => format!(
            "{} · sync #{} {} (finished {}) · as of {}",
            sync.organization(),
            sync.id,
            sync.status,
            sync.finished_at,
            report.now
        ),
        None => format!("no sync recorded · as of {}", report.now),
    }
}

fn with_findings(report: &Report) -> usize {
    report.findings.iter().filter(|f| f.count() > 0).count()
}

fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", sync_line(report));
    for warning in &report.warnings {
        let _ = writeln!(out, "WARNING: {warning}");
    }
    out.push_str(&summary(report).render(Format::Table));
    let _ = writeln!(
        out,
        "{} questions, {} with findings.",
        report.findings.len(),
        with_findings(report)
    );
    out
}

fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let organization = report
        .sync
        .as_ref()
        .map_or_else(|| "unknown organization".to_string(), |s| s.organization());
    let _ = writeln!(out, "# Audit of {}\n", escape(&organization));
    let _ = writeln!(out, "- Inventory file: `{}`", report.database);
    match &report.sync {
        Some(sync) => {
            let _ = writeln!(
                out,
                "- Last sync: #{}, started {}, finished {}, status **{}** (inv {}, {})",
                sync.id,
                sync.started_at,
                sync.finished_at,
                sync.status,
                sync.tool_version,
                sync.api_url
            );
        }
        None => out.push_str("- Last sync: **none recorded**\n"),
    }
    let _ = writeln!(out, "- Questions asked as of: {}", report.now);
    let _ = writeln!(out, "- Report generated at: {}", report.generated_at);
    let _ = writeln!(out, "- inv version: {}", env!("CARGO_PKG_VERSION"));
    for warning in &report.warnings {
        let _ = writeln!(out, "\n> **WARNING — {}**", escape(warning));
    }

    let _ = writeln!(
        out,
        "\n## Summary\n\n{} questions, {} with findings.\n",
        report.findings.len(),
        with_findings(report)
    );
    out.push_str(&summary(report).render(Format::Markdown));

    if with_findings(report) > 0 {
        out.push_str("\n## Findings\n");
    }
    for finding in report.findings.iter().filter(|f| f.count() > 0) {
        let header = &finding.question.header;
        let _ = writeln!(
            out,
            "\n### `{}`: {}\n",
            finding.question.name,
            escape(&header.title)
        );
        let mut facts = format!(
            "Severity **{}** · {} finding{}",
            header.severity,
            finding.count(),
            if finding.count() == 1 { "" } else { "s" }
        );
        if !finding.values.is_empty() {
            let values: Vec<String> = finding
                .values
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let _ = write!(facts, " · parameters: {}", values.join(", "));
        }
        let _ = writeln!(out, "{facts}\n\n{}\n", escape(&header.description));
        out.push_str(&finding.rows.render(Format::Markdown));
    }
    out
}

/// Text from files and the API in Markdown prose: no accidental emphasis or HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '`' | '<' | '>' | '[' | ']' | '\\' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

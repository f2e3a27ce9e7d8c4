//! An audit: every question of the library asked of one inventory as of one `:now`, with
//! the sync the data came from.

use std::path::Path;

use rusqlite::Connection;
use serde_json::{json, Value};

use super::header::ParamValue;
use super::library::{Library, Question};
use super::params::{self, Values};
use super::run::run_question;
use super::sync_record;
use super::QueryError;
use crate::cli::Severity;
use crate::output::ResultSet;
use crate::store::runs::{self, SyncRecord};

/// One question's answer.
#[derive(Debug, Clone)]
pub struct Finding {
    pub question: Question,
    pub values: Values,
    pub rows: ResultSet,
}

impl Finding {
    pub fn count(&self) -> usize {
        self.rows.rows.len()
    }

    pub fn severity(&self) -> Severity {
        self.question.header.severity
    }
}

/// The whole audit, findings ordered by severity (worst first), then name.
#[derive(Debug, Clone)]
pub struct Report {
    pub generated_at: String,
    pub now: String,
    pub database: String,
    /// The last sync attempt; `None` when the file records none.
    pub sync: Option<SyncRecord>,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Asks every question of `library`; `given` are the `--param` pairs, each given to the
/// questions that declare it.
pub fn audit(
    conn: &Connection,
    database: &Path,
    library: &Library,
    now: &str,
    given: &[(String, String)],
) -> Result<Report, QueryError> {
    params::check_audit(library, given)?;
    let origin = database.display().to_string();
    let database_error = |source| QueryError::Database {
        origin: origin.clone(),
        source,
    };
    let latest = runs::latest(conn).map_err(database_error)?;
    let stored = runs::latest_stored(conn).map_err(database_error)?;
    let warnings = sync_record::warnings(latest.as_ref(), stored.as_ref());

    let mut findings = Vec::with_capacity(library.len());
    for question in library.questions() {
        let values = params::for_audit_question(question, given)?;
        let rows = run_question(conn, question, now, &values)?;
        findings.push(Finding {
            question: question.clone(),
            values,
            rows,
        });
    }
    findings.sort_by(|a, b| {
        b.severity()
            .cmp(&a.severity())
            .then_with(|| a.question.name.cmp(&b.question.name))
    });
    Ok(Report {
        generated_at: crate::timestamp::now(),
        now: now.to_string(),
        database: origin,
        sync: latest,
        warnings,
        findings,
    })
}

impl Report {
    /// The findings of questions at `threshold` or worse that have rows.
    pub fn at_or_above(&self, threshold: Severity) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity() >= threshold && f.count() > 0)
            .collect()
    }

    pub fn to_json(&self) -> Value {
        let questions: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let params: serde_json::Map<String, Value> = f
                    .values
                    .iter()
                    .map(|(name, value)| (name.clone(), param_json(value)))
                    .collect();
                json!({
                    "name": f.question.name,
                    "title": f.question.header.title,
                    "severity": f.severity().as_str(),
                    "description": f.question.header.description,
                    "params": params,
                    "count": f.count(),
                    "columns": f.rows.columns,
                    "rows": f.rows.to_json_rows(),
                })
            })
            .collect();
        json!({
            "generated_at": self.generated_at,
            "now": self.now,
            "database": self.database,
            "sync": self.sync.as_ref().map(SyncRecord::to_json),
            "warnings": self.warnings,
            "questions": questions,
        })
    }
}

fn param_json(value: &ParamValue) -> Value {
    match value {
        ParamValue::Integer(n) => Value::from(*n),
        ParamValue::Text(t) => Value::String(t.clone()),
    }
}

//! Everything that can go wrong between a question's name and its rows, each error
//! naming what the user has to fix (the file and line, the parameter, the name).

use std::path::PathBuf;

/// The errors of loading and running questions.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A question file whose header cannot be read.
    #[error("{origin}:{line}: {message}")]
    Header {
        origin: String,
        line: usize,
        message: String,
    },
    #[error("cannot read the questions folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the question file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", unknown_message(.name, .suggestions))]
    Unknown {
        name: String,
        suggestions: Vec<String>,
    },
    /// A `--param` that is malformed, unknown to the question or of the wrong type.
    #[error("{0}")]
    Param(String),
    #[error("--now {value:?} is not an RFC 3339 time such as 2026-12-01T00:00:00Z ({reason})")]
    Now { value: String, reason: String },
    /// SQL that SQLite refuses; `location` is `file`, `file:line:column` or `--sql:...`.
    #[error("{location}: {message}")]
    Sql { location: String, message: String },
    #[error("{origin}: questions run on a read-only connection and this SQL would change the inventory; only SELECT (and other read-only statements) can run")]
    ReadOnly { origin: String },
    /// A failure of the inventory file itself while a question ran.
    #[error("{origin}: database error: {source}")]
    Database {
        origin: String,
        source: rusqlite::Error,
    },
}

impl QueryError {
    /// Whether the fault is the inventory file's rather than the user's input.
    pub fn is_database(&self) -> bool {
        matches!(self, QueryError::Database { .. })
    }
}

fn unknown_message(name: &str, suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => format!("no question is named `{name}`; `inv query --list` shows them all"),
        [one] => format!("no question is named `{name}`; did you mean {one}?"),
        many => format!(
            "no question is named `{name}`; did you mean one of {}?",
            many.join(", ")
        ),
    }
}

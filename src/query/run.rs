//! Running one question (or ad-hoc SQL) on a read-only connection: parameters bound by
//! name, never pasted into the SQL; SQLite's errors turned into `file:line:column`.

use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, ToSql};

use super::header::ParamValue;
use super::library::Question;
use super::params::Values;
use super::QueryError;
use crate::output::ResultSet;

/// Where the SQL comes from, which decides how an undeclared parameter is explained.
enum Source<'a> {
    Question(&'a Question),
    AdHoc,
}

/// Runs a saved question with `:now` and its parameter values.
pub fn run_question(
    conn: &Connection,
    question: &Question,
    now: &str,
    values: &Values,
) -> Result<ResultSet, QueryError> {
    let origin = question.origin.to_string();
    execute(
        conn,
        &origin,
        &question.sql,
        now,
        values,
        Source::Question(question),
    )
}

/// Runs ad-hoc SQL (`--sql`); errors are located as `--sql:line:column`.
pub fn run_sql(
    conn: &Connection,
    sql: &str,
    now: &str,
    values: &Values,
) -> Result<ResultSet, QueryError> {
    execute(conn, "--sql", sql, now, values, Source::AdHoc)
}

fn execute(
    conn: &Connection,
    origin: &str,
    sql: &str,
    now: &str,
    values: &Values,
    source: Source<'_>,
) -> Result<ResultSet, QueryError> {
    let mut statement = conn.prepare(sql).map_err(|e| classify(origin, sql, e))?;
    if statement.expanded_sql().is_none() {
        return Err(QueryError::Sql {
            location: origin.to_string(),
            message: "there is no SQL statement, only comments".to_string(),
        });
    }
    if !statement.readonly() {
        return Err(QueryError::ReadOnly {
            origin: origin.to_string(),
        });
    }

    let mut bound: Vec<(String, Value)> = Vec::new();
    for index in 1..=statement.parameter_count() {
        let Some(placeholder) = statement
            .parameter_name(index)
            .filter(|name| !name.starts_with('?'))
        else {
            return Err(QueryError::Sql {
                location: origin.to_string(),
                message: "positional parameters (`?`) are not supported; name them (`:days`)"
                    .to_string(),
            });
        };
        // SQLite also accepts `@name` and `$name`; all three mean the same parameter.
        let name = &placeholder[1..];
        let value = if name == "now" {
            Value::Text(now.to_string())
        } else {
            match values.get(name) {
                Some(ParamValue::Integer(n)) => Value::Integer(*n),
                Some(ParamValue::Text(t)) => Value::Text(t.clone()),
                None => return Err(undeclared(origin, name, &source)),
            }
        };
        bound.push((placeholder.to_string(), value));
    }
    if let Source::AdHoc = source {
        for key in values.keys() {
            if !bound
                .iter()
                .any(|(placeholder, _)| &placeholder[1..] == key)
            {
                return Err(QueryError::Param(format!(
                    "--param {key}: the SQL has no parameter :{key}"
                )));
            }
        }
    }

    let named: Vec<(&str, &dyn ToSql)> = bound
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn ToSql))
        .collect();
    ResultSet::collect(&mut statement, named.as_slice()).map_err(|e| classify(origin, sql, e))
}

fn undeclared(origin: &str, name: &str, source: &Source<'_>) -> QueryError {
    match source {
        Source::Question(question) => QueryError::Sql {
            location: origin.to_string(),
            message: format!(
                "the SQL uses :{name}, which the header of `{}` does not declare (add `-- param: {name} = DEFAULT : description`)",
                question.name
            ),
        },
        Source::AdHoc => QueryError::Param(format!(
            "the SQL uses :{name}; give it a value with --param {name}=VALUE"
        )),
    }
}

/// Sorts SQLite's errors into the user's (SQL, read-only) and the file's (anything
/// else: corruption, I/O, locks).
fn classify(origin: &str, sql: &str, error: rusqlite::Error) -> QueryError {
    match error {
        rusqlite::Error::SqlInputError { msg, offset, .. } => QueryError::Sql {
            location: locate(origin, sql, offset),
            message: msg,
        },
        rusqlite::Error::MultipleStatement => QueryError::Sql {
            location: origin.to_string(),
            message: "there is more than one SQL statement; a question is a single statement"
                .to_string(),
        },
        error if error.sqlite_error_code() == Some(ErrorCode::ReadOnly) => QueryError::ReadOnly {
            origin: origin.to_string(),
        },
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error {
                code: ErrorCode::Unknown,
                ..
            },
            message,
        ) => QueryError::Sql {
            location: origin.to_string(),
            message: message.unwrap_or_else(|| "SQL error".to_string()),
        },
        source => QueryError::Database {
            origin: origin.to_string(),
            source,
        },
    }
}

/// `origin:line:column` of a byte offset into the SQL (1-based, columns in characters).
fn locate(origin: &str, sql: &str, offset: i32) -> String {
    let Ok(offset) = usize::try_from(offset) else {
        return origin.to_string();
    };
    let Some(before) = sql.get(..offset.min(sql.len())) else {
        return origin.to_string();
    };
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("{origin}:{line}:{column}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::library::Origin;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id TEXT, n INTEGER); INSERT INTO t VALUES ('a', 1), ('b', 2);",
        )
        .unwrap();
        conn.pragma_update(None, "query_only", true).unwrap();
        conn
    }

    fn question(body: &str) -> Question {
        Question::parse(
            "q",
            &format!(
                "-- title: t\n-- severity: low\n-- description: d\n-- param: min = 2\n\n{body}"
            ),
            Origin::User("dir/q.sql".into()),
        )
        .unwrap()
    }

    #[test]
    fn parameters_are_bound() {
        let q = question("SELECT id, :now AS now FROM t WHERE n >= :min ORDER BY id;");
        let mut values = Values::new();
        values.insert("min".into(), ParamValue::Integer(1));
        let rows = run_question(&conn(), &q, "2026-01-01T00:00:00.000000Z", &values).unwrap();
        assert_eq!(rows.columns, vec!["id", "now"]);
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(
            rows.rows[0][1],
            Value::Text("2026-01-01T00:00:00.000000Z".into())
        );
    }

    #[test]
    fn a_value_is_never_sql() {
        let q = question("SELECT id FROM t WHERE id = :min;");
        let mut values = Values::new();
        values.insert("min".into(), ParamValue::Text("a' OR '1'='1".into()));
        let rows = run_question(&conn(), &q, "now", &values).unwrap();
        assert!(rows.rows.is_empty());
    }

    #[test]
    fn sql_errors_name_file_line_and_column() {
        let q = question("SELECT id,\n       nope\n  FROM t;");
        let message = run_question(&conn(), &q, "now", &Values::new())
            .unwrap_err()
            .to_string();
        assert_eq!(message, "dir/q.sql:7:8: no such column: nope");
    }

    #[test]
    fn undeclared_parameters_are_refused() {
        let q = question("SELECT id FROM t WHERE n > :limit;");
        let message = run_question(&conn(), &q, "now", &Values::new())
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("uses :limit, which the header"),
            "{message}"
        );
        for positional in ["SELECT ?", "SELECT ?1"] {
            let message = run_sql(&conn(), positional, "now", &Values::new())
                .unwrap_err()
                .to_string();
            assert!(message.contains("positional"), "{message}");
        }
    }

    #[test]
    fn writes_and_odd_input_are_refused() {
        let message = run_sql(&conn(), "DELETE FROM t", "now", &Values::new())
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("--sql: questions run on a read-only connection"),
            "{message}"
        );
        let message = run_sql(&conn(), "SELECT 1; SELECT 2", "now", &Values::new())
            .unwrap_err()
            .to_string();
        assert!(message.contains("more than one"), "{message}");
        let message = run_sql(&conn(), "-- nothing", "now", &Values::new())
            .unwrap_err()
            .to_string();
        assert!(message.contains("no SQL statement"), "{message}");
        let mut values = Values::new();
        values.insert("x".into(), ParamValue::Integer(1));
        let message = run_sql(&conn(), "SELECT 1", "now", &values)
            .unwrap_err()
            .to_string();
        assert_eq!(message, "--param x: the SQL has no parameter :x");
    }

    #[test]
    fn offsets_become_lines() {
        assert_eq!(locate("f", "ab\ncd\néf", 6), "f:3:1");
        assert_eq!(locate("f", "ab\ncd\néf", 8), "f:3:2");
        assert_eq!(locate("f", "ab\ncd\néf", 7), "f");
        assert_eq!(locate("f", "ab", -1), "f");
        assert_eq!(locate("f", "é", 1), "f");
    }
}

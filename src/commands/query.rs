//! `inv query`: run one saved question or ad-hoc SQL on the inventory, or list the
//! questions. Only the result goes to stdout.

use rusqlite::types::Value;

use crate::cli::QueryArgs;
use crate::exit::{Failure, Status};
use crate::output::ResultSet;
use crate::query::{self, params, Library};
use crate::store;

pub fn run(args: QueryArgs) -> Result<Status, Failure> {
    if args.list {
        let library = Library::load(args.queries.as_deref())?;
        let with_files = args.queries.is_some();
        return print(&list(&library, with_files).render(args.format));
    }
    // Names, parameters and --now are checked before the file is opened, so that a typo
    // is reported as a typo even when the inventory is missing.
    let given = params::parse_assignments(&args.params)?;
    let now = params::resolve_now(args.now.as_deref())?;
    let rows = match (&args.name, &args.sql) {
        (Some(name), _) => {
            let library = Library::load(args.queries.as_deref())?;
            let question = library.get(name)?;
            let values = params::for_question(question, &given)?;
            let conn = store::open_read_only(&args.db.db)?;
            query::run_question(&conn, question, &now, &values)?
        }
        (None, Some(sql)) => {
            let values = params::for_sql(&given);
            let conn = store::open_read_only(&args.db.db)?;
            query::run_sql(&conn, sql, &now, &values)?
        }
        (None, None) => {
            return Err(Failure::usage(
                "give the name of a question (`inv query --list` shows them), --sql \"SELECT ...\" or --list",
            ))
        }
    };
    print(&rows.render(args.format))
}

/// The library as a result set: one row per question, in name order; the file of each
/// is shown when a user folder may have replaced some.
fn list(library: &Library, with_files: bool) -> ResultSet {
    let text = |s: &str| Value::Text(s.to_string());
    let rows = library
        .questions()
        .map(|q| {
            let params: Vec<String> = q
                .header
                .params
                .iter()
                .map(|p| format!("{}={}", p.name, p.default))
                .collect();
            let mut row = vec![
                text(&q.name),
                text(q.header.severity.as_str()),
                text(&q.header.title),
                text(&q.header.description),
                text(&params.join(" ")),
            ];
            if with_files {
                row.push(text(&q.origin.to_string()));
            }
            row
        })
        .collect();
    let mut columns: Vec<String> = ["name", "severity", "title", "description", "params"]
        .map(String::from)
        .to_vec();
    if with_files {
        columns.push("file".to_string());
    }
    ResultSet { columns, rows }
}

fn print(text: &str) -> Result<Status, Failure> {
    super::emit(text)?;
    Ok(Status::Ok)
}

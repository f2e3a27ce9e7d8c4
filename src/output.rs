//! Result sets as a terminal table, JSON, CSV or Markdown. JSON and CSV are meant for
//! pipes: nothing else is ever written to stdout with them.

use comfy_table::{presets, ContentArrangement, Table};
use rusqlite::types::Value;

use crate::cli::Format;

/// Columns and rows of a result, values as SQLite returned them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl ResultSet {
    /// Runs a prepared statement to completion.
    pub fn collect(
        statement: &mut rusqlite::Statement<'_>,
        params: impl rusqlite::Params,
    ) -> rusqlite::Result<ResultSet> {
        let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
        let width = columns.len();
        let mut rows = Vec::new();
        let mut cursor = statement.query(params)?;
        while let Some(row) = cursor.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(row.get::<_, Value>(i)?);
            }
            rows.push(values);
        }
        Ok(ResultSet { columns, rows })
    }

    /// The rows as JSON objects keyed by column name, in column order.
    pub fn to_json_rows(&self) -> Vec<serde_json::Value> {
        self.rows
            .iter()
            .map(|row| {
                let object: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .cloned()
                    .zip(row.iter().map(json_value))
                    .collect();
                serde_json::Value::Object(object)
            })
            .collect()
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.table(),
            Format::Json => {
                let rows = serde_json::Value::Array(self.to_json_rows());
                let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
                text.push('\n');
                text
            }
            Format::Csv => self.csv(),
            Format::Markdown => self.markdown(),
        }
    }

    fn table(&self) -> String {
        if self.rows.is_empty() {
            return "(no rows)\n".to_string();
        }
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(self.columns.clone());
        for row in &self.rows {
            table.add_row(row.iter().map(plain_text).collect::<Vec<_>>());
        }
        format!("{table}\n")
    }

    fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = writer.write_record(&self.columns);
        for row in &self.rows {
            let _ = writer.write_record(row.iter().map(plain_text));
        }
        writer
            .into_inner()
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let cell = |text: &str| text.replace('|', "\\|").replace(['\n', '\r'], " ");
        out.push_str("| ");
        out.push_str(
            &self
                .columns
                .iter()
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push_str(" |\n|");
        out.push_str(&"---|".repeat(self.columns.len()));
        out.push('\n');
        for row in &self.rows {
            out.push_str("| ");
            out.push_str(
                &row.iter()
                    .map(|v| cell(&plain_text(v)))
                    .collect::<Vec<_>>()
                    .join(" | "),
            );
            out.push_str(" |\n");
        }
        out
    }
}

/// A value as a person reads it: NULL as empty, blobs as their size.
pub fn plain_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// A value as JSON: NULL as null, numbers as numbers.
pub fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => format!("<{} bytes>", b.len()).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResultSet {
        ResultSet {
            columns: vec!["id".into(), "name".into(), "size".into()],
            rows: vec![
                vec![
                    Value::Text("a".into()),
                    Value::Text("x|y, \"z\"".into()),
                    Value::Integer(5),
                ],
                vec![Value::Text("b".into()), Value::Null, Value::Real(1.5)],
            ],
        }
    }

    #[test]
    fn json_keeps_column_order_and_types() {
        assert_eq!(
            sample().render(Format::Json),
            "[\n  {\n    \"id\": \"a\",\n    \"name\": \"x|y, \\\"z\\\"\",\n    \"size\": 5\n  },\n  {\n    \"id\": \"b\",\n    \"name\": null,\n    \"size\": 1.5\n  }\n]\n"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(
            sample().render(Format::Csv),
            "id,name,size\na,\"x|y, \"\"z\"\"\",5\nb,,1.5\n"
        );
    }

    #[test]
    fn markdown_escapes_pipes() {
        assert_eq!(
            sample().render(Format::Markdown),
            "| id | name | size |\n|---|---|---|\n| a | x\\|y, \"z\" | 5 |\n| b |  | 1.5 |\n"
        );
    }

    #[test]
    fn empty_results_say_so() {
        assert_eq!(ResultSet::default().render(Format::Table), "(no rows)\n");
        assert_eq!(ResultSet::default().render(Format::Json), "[]\n");
    }
}

//! `--param KEY=VALUE` and `--now`: read from the command line, checked against what a
//! question declares, typed by the declared defaults.

use std::collections::BTreeMap;

use super::header::ParamValue;
use super::library::{Library, Question};
use super::QueryError;
use crate::timestamp;

/// Parameter values by name (without the `:`), `now` excluded.
pub type Values = BTreeMap<String, ParamValue>;

/// The `--param` arguments as `(key, value)` pairs, each key once.
pub fn parse_assignments(args: &[String]) -> Result<Vec<(String, String)>, QueryError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for arg in args {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(QueryError::Param(format!(
                "--param {arg:?}: expected KEY=VALUE, for example --param days=365"
            )));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(QueryError::Param(format!(
                "--param {arg:?}: the key before `=` is empty"
            )));
        }
        if key == "now" {
            return Err(QueryError::Param(
                "`now` is not a --param: give the time with --now RFC3339".to_string(),
            ));
        }
        if pairs.iter().any(|(k, _)| k == key) {
            return Err(QueryError::Param(format!("--param {key} is given twice")));
        }
        pairs.push((key.to_string(), value.to_string()));
    }
    Ok(pairs)
}

/// The `:now` of a run in the stored timestamp form: `--now` normalised, or the current
/// time.
pub fn resolve_now(given: Option<&str>) -> Result<String, QueryError> {
    match given {
        None => Ok(timestamp::now()),
        Some(text) => timestamp::normalize(text).map_err(|e| QueryError::Now {
            value: text.to_string(),
            reason: e.to_string(),
        }),
    }
}

/// The values a question runs with: its defaults, replaced by the given ones. A key the
/// question does not declare is refused, so that a typo cannot silently run the default.
pub fn for_question(question: &Question, given: &[(String, String)]) -> Result<Values, QueryError> {
    let declared = &question.header.params;
    for (key, _) in given {
        if !declared.iter().any(|p| &p.name == key) {
            let names: Vec<&str> = declared.iter().map(|p| p.name.as_str()).collect();
            let takes = if names.is_empty() {
                "it takes none".to_string()
            } else {
                format!("it takes {}", names.join(", "))
            };
            return Err(QueryError::Param(format!(
                "`{}` has no parameter `{key}` ({takes})",
                question.name
            )));
        }
    }
    typed(question, given)
}

/// The values of one question of an audit: `--param` keys it does not declare are for
/// other questions. [`check_audit`] has made sure each key is declared somewhere.
pub fn for_audit_question(
    question: &Question,
    given: &[(String, String)],
) -> Result<Values, QueryError> {
    typed(question, given)
}

/// Refuses `--param` keys that no question of the audit declares.
pub fn check_audit(library: &Library, given: &[(String, String)]) -> Result<(), QueryError> {
    for (key, _) in given {
        let known = library
            .questions()
            .any(|q| q.header.params.iter().any(|p| &p.name == key));
        if !known {
            let mut names: Vec<&str> = library
                .questions()
                .flat_map(|q| q.header.params.iter().map(|p| p.name.as_str()))
                .collect();
            names.sort_unstable();
            names.dedup();
            return Err(QueryError::Param(format!(
                "no question takes a parameter `{key}` (the parameters are: {})",
                names.join(", ")
            )));
        }
    }
    Ok(())
}

/// Values for ad-hoc SQL, which declares nothing: whole numbers bind as integers (so that
/// they compare as numbers), anything else as text.
pub fn for_sql(given: &[(String, String)]) -> Values {
    given
        .iter()
        .map(|(key, value)| {
            let typed = match value.trim().parse::<i64>() {
                Ok(n) => ParamValue::Integer(n),
                Err(_) => ParamValue::Text(value.clone()),
            };
            (key.clone(), typed)
        })
        .collect()
}

fn typed(question: &Question, given: &[(String, String)]) -> Result<Values, QueryError> {
    let mut values = Values::new();
    for spec in &question.header.params {
        let value = match given.iter().find(|(key, _)| key == &spec.name) {
            Some((_, text)) => spec.parse_value(text).map_err(|message| {
                QueryError::Param(format!("--param {}: {message}", spec.name))
            })?,
            None => spec.default.clone(),
        };
        values.insert(spec.name.clone(), value);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::library::Origin;

    fn question() -> Question {
        Question::parse(
            "soon",
            "-- title: t\n-- severity: low\n-- description: d\n-- param: days = 30 : window\nSELECT :days AS id;\n",
            Origin::BuiltIn("soon.sql".into()),
        )
        .unwrap()
    }

    fn pairs(args: &[&str]) -> Result<Vec<(String, String)>, QueryError> {
        parse_assignments(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn assignments_are_parsed_and_checked() {
        assert_eq!(
            pairs(&["days=365", "name=a=b"]).unwrap(),
            vec![
                ("days".to_string(), "365".to_string()),
                ("name".to_string(), "a=b".to_string())
            ]
        );
        for (bad, expected) in [
            (vec!["days"], "expected KEY=VALUE"),
            (vec!["=3"], "empty"),
            (vec!["now=2026-01-01T00:00:00Z"], "--now"),
            (vec!["days=1", "days=2"], "twice"),
        ] {
            let message = pairs(&bad).unwrap_err().to_string();
            assert!(message.contains(expected), "{bad:?}: {message}");
        }
    }

    #[test]
    fn defaults_are_replaced_and_checked() {
        let q = question();
        assert_eq!(
            for_question(&q, &[]).unwrap().get("days"),
            Some(&ParamValue::Integer(30))
        );
        let given = pairs(&["days=7"]).unwrap();
        assert_eq!(
            for_question(&q, &given).unwrap().get("days"),
            Some(&ParamValue::Integer(7))
        );
        let message = for_question(&q, &pairs(&["dayz=7"]).unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(message, "`soon` has no parameter `dayz` (it takes days)");
        let message = for_question(&q, &pairs(&["days=-7"]).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("--param days: `days` expects a whole number"),
            "{message}"
        );
    }

    #[test]
    fn now_is_normalised_or_refused() {
        assert_eq!(
            resolve_now(Some("2026-12-01T01:00:00+01:00")).unwrap(),
            "2026-12-01T00:00:00.000000Z"
        );
        let message = resolve_now(Some("yesterday")).unwrap_err().to_string();
        assert!(
            message.starts_with("--now \"yesterday\" is not an RFC 3339 time"),
            "{message}"
        );
        assert!(resolve_now(None).unwrap().ends_with('Z'));
    }

    #[test]
    fn ad_hoc_values_are_typed_by_their_look() {
        let values = for_sql(&pairs(&["n=42", "s=abc"]).unwrap());
        assert_eq!(values.get("n"), Some(&ParamValue::Integer(42)));
        assert_eq!(values.get("s"), Some(&ParamValue::Text("abc".into())));
    }
}

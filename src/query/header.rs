//! The comment header of a question file: title, severity, description and parameters.
//!
//! The header is the block of `--` comment lines at the top of the file (blank lines
//! before it are skipped); the first line that is not a `--` comment ends it and starts the
//! SQL. Inside the header every line is one of:
//!
//! ```text
//! -- title: Users without MFA                     (required, once)
//! -- severity: high                               (required, once: info, low, medium, high, critical)
//! -- description: Users whose mfa flag is false.  (required, once)
//! -- param: days = 30 : look-ahead window in days (any number, one per parameter)
//! --   more words for the line above              (continuation: `--` then two or more spaces)
//! --                                              (an empty comment, ignored)
//! ```
//!
//! A parameter whose default is a whole number takes whole numbers from 0 to
//! [`MAX_INTEGER`]; any other default makes it a text parameter. The SQL refers to it as
//! `:name`; `:now` is always available and cannot be declared.

use crate::cli::Severity;

/// The largest value an integer parameter accepts: a century of days keeps every date
/// computed from `:now` inside the years SQLite's date functions handle.
pub const MAX_INTEGER: i64 = 36_500;

/// What the header says about its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub params: Vec<ParamSpec>,
}

/// One declared parameter and its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: String,
    pub default: ParamValue,
    pub description: String,
}

/// A parameter value, typed by the parameter's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    Integer(i64),
    Text(String),
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Integer(n) => write!(f, "{n}"),
            ParamValue::Text(t) => f.write_str(t),
        }
    }
}

impl ParamSpec {
    /// Reads a value given on the command line with this parameter's type.
    pub fn parse_value(&self, text: &str) -> Result<ParamValue, String> {
        match self.default {
            ParamValue::Integer(_) => parse_integer(text.trim()).ok_or_else(|| {
                format!(
                    "`{}` expects a whole number from 0 to {MAX_INTEGER}, not {text:?}",
                    self.name
                )
            }),
            ParamValue::Text(_) => Ok(ParamValue::Text(text.to_string())),
        }
    }
}

/// A header error, with the 1-based line of the file it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    pub line: usize,
    pub message: String,
}

impl HeaderError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        HeaderError {
            line,
            message: message.into(),
        }
    }
}

const KEYS: [&str; 4] = ["title", "severity", "description", "param"];

/// Which field a continuation line extends.
#[derive(Clone, Copy)]
enum Last {
    None,
    Title,
    Description,
    Param,
    Severity,
}

/// Parses the header at the top of a question file's text.
pub fn parse(text: &str) -> Result<Header, HeaderError> {
    let mut title: Option<String> = None;
    let mut severity: Option<Severity> = None;
    let mut description: Option<String> = None;
    let mut params: Vec<ParamSpec> = Vec::new();
    let mut last = Last::None;
    let mut first_line = None;

    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if first_line.is_none() && trimmed.is_empty() {
            continue;
        }
        let Some(comment) = trimmed.strip_prefix("--") else {
            break;
        };
        first_line.get_or_insert(number);
        if comment.trim().is_empty() {
            continue;
        }
        if comment.starts_with("  ") || comment.starts_with('\t') {
            let more = comment.trim();
            let target = match last {
                Last::Title => title.as_mut(),
                Last::Description => description.as_mut(),
                Last::Param => params.last_mut().map(|p| &mut p.description),
                Last::Severity | Last::None => {
                    return Err(HeaderError::new(
                        number,
                        "a continuation line (`--` and two spaces) must follow a title, description or param line",
                    ))
                }
            };
            if let Some(target) = target {
                if !target.is_empty() {
                    target.push(' ');
                }
                target.push_str(more);
            }
            continue;
        }
        let (key, value) = split_key(comment.trim(), number)?;
        match key {
            "title" => {
                set_once(&mut title, value, "title", number)?;
                last = Last::Title;
            }
            "severity" => {
                if severity.is_some() {
                    return Err(HeaderError::new(number, "`severity` is given twice"));
                }
                severity = Some(Severity::from_name(value).ok_or_else(|| {
                    HeaderError::new(
                        number,
                        format!(
                            "unknown severity {value:?} (expected one of {})",
                            Severity::ALL.map(Severity::as_str).join(", ")
                        ),
                    )
                })?);
                last = Last::Severity;
            }
            "description" => {
                set_once(&mut description, value, "description", number)?;
                last = Last::Description;
            }
            _ => {
                let spec = parse_param(value, number)?;
                if params.iter().any(|p| p.name == spec.name) {
                    return Err(HeaderError::new(
                        number,
                        format!("parameter `{}` is declared twice", spec.name),
                    ));
                }
                params.push(spec);
                last = Last::Param;
            }
        }
    }

    let Some(at) = first_line else {
        return Err(HeaderError::new(
            1,
            "the file must start with a header of `--` comments (title, severity, description)",
        ));
    };
    let missing = |field: &str| {
        HeaderError::new(
            at,
            format!("the header has no `{field}:` line (required: title, severity, description)"),
        )
    };
    Ok(Header {
        title: title.ok_or_else(|| missing("title"))?,
        severity: severity.ok_or_else(|| missing("severity"))?,
        description: description.ok_or_else(|| missing("description"))?,
        params,
    })
}

fn split_key(comment: &str, number: usize) -> Result<(&str, &str), HeaderError> {
    let malformed = || {
        HeaderError::new(
            number,
            format!(
                "expected `-- key: value` with key one of {} (a free comment belongs after the header, past a blank line)",
                KEYS.join(", ")
            ),
        )
    };
    let (key, value) = comment.split_once(':').ok_or_else(malformed)?;
    let key = key.trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(malformed());
    }
    if !KEYS.contains(&key) {
        let closest = KEYS
            .iter()
            .map(|k| (strsim::levenshtein(k, key), *k))
            .min()
            .filter(|(distance, _)| *distance <= 3);
        let hint = match closest {
            Some((_, k)) => format!("did you mean `{k}`?"),
            None => format!("expected one of {}", KEYS.join(", ")),
        };
        return Err(HeaderError::new(
            number,
            format!("unknown header key `{key}` ({hint})"),
        ));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(HeaderError::new(number, format!("`{key}` has no value")));
    }
    Ok((key, value))
}

fn set_once(
    field: &mut Option<String>,
    value: &str,
    name: &str,
    number: usize,
) -> Result<(), HeaderError> {
    if field.is_some() {
        return Err(HeaderError::new(
            number,
            format!("`{name}` is given twice (continue a long line with `--` and two spaces)"),
        ));
    }
    *field = Some(value.to_string());
    Ok(())
}

/// `name = default [: description]`.
fn parse_param(value: &str, number: usize) -> Result<ParamSpec, HeaderError> {
    let (name, rest) = value.split_once('=').ok_or_else(|| {
        HeaderError::new(number, "expected `-- param: name = default : description`")
    })?;
    let name = name.trim();
    let valid_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name {
        return Err(HeaderError::new(
            number,
            format!("parameter name {name:?} must be lower-case letters, digits and `_`"),
        ));
    }
    if name == "now" {
        return Err(HeaderError::new(
            number,
            "`now` is always bound (from --now) and cannot be declared",
        ));
    }
    let (default, description) = match rest.split_once(':') {
        Some((default, description)) => (default.trim(), description.trim()),
        None => (rest.trim(), ""),
    };
    if default.is_empty() {
        return Err(HeaderError::new(
            number,
            format!("parameter `{name}` needs a default (`{name} = VALUE`)"),
        ));
    }
    let default = if default.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        parse_integer(default).ok_or_else(|| {
            HeaderError::new(
                number,
                format!("the default of `{name}` must be a whole number from 0 to {MAX_INTEGER}"),
            )
        })?
    } else {
        ParamValue::Text(default.to_string())
    };
    Ok(ParamSpec {
        name: name.to_string(),
        default,
        description: description.to_string(),
    })
}

fn parse_integer(text: &str) -> Option<ParamValue> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if n <= MAX_INTEGER => Some(ParamValue::Integer(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "-- title: Users without MFA\n\
-- severity: high\n\
-- description: Users whose mfa flag is false,\n\
--   pending invitations included.\n\
--\n\
-- param: days = 30 : look-ahead window\n\
--   in days\n\
-- param: state = running\n\
\n\
-- a free comment\n\
SELECT 1;\n";

    #[test]
    fn a_complete_header_is_read() {
        let header = parse(GOOD).unwrap();
        assert_eq!(header.title, "Users without MFA");
        assert_eq!(header.severity, Severity::High);
        assert_eq!(
            header.description,
            "Users whose mfa flag is false, pending invitations included."
        );
        assert_eq!(
            header.params,
            vec![
                ParamSpec {
                    name: "days".into(),
                    default: ParamValue::Integer(30),
                    description: "look-ahead window in days".into(),
                },
                ParamSpec {
                    name: "state".into(),
                    default: ParamValue::Text("running".into()),
                    description: String::new(),
                },
            ]
        );
    }

    #[test]
    fn leading_blank_lines_are_skipped() {
        let header =
            parse("\n\n-- title: t\n-- severity: info\n-- description: d\nSELECT 1").unwrap();
        assert_eq!(header.title, "t");
    }

    fn error(text: &str) -> HeaderError {
        parse(text).unwrap_err()
    }

    #[test]
    fn errors_name_the_line() {
        let e = error("-- title: t\n-- severity: severe\n-- description: d\nSELECT 1");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("unknown severity \"severe\""),
            "{}",
            e.message
        );

        let e = error("-- title: t\n-- severity: low\n-- descripton: d\nSELECT 1");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("did you mean `description`"),
            "{}",
            e.message
        );

        let e = error("-- title: t\n-- title: u\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("twice"));

        let e = error("-- title: t\n-- just a remark\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("expected `-- key: value`"));

        let e = error("-- title: t\n-- severity: low\n--   more\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("continuation"));
    }

    #[test]
    fn missing_fields_are_named() {
        let e = error("-- title: t\n-- severity: low\n\nSELECT 1");
        assert_eq!(e.line, 1);
        assert!(
            e.message.contains("no `description:` line"),
            "{}",
            e.message
        );
        let e = error("SELECT 1");
        assert!(
            e.message.contains("must start with a header"),
            "{}",
            e.message
        );
        let e = error("");
        assert!(
            e.message.contains("must start with a header"),
            "{}",
            e.message
        );
    }

    #[test]
    fn params_are_checked() {
        let base = "-- title: t\n-- severity: low\n-- description: d\n";
        let e = error(&format!("{base}-- param: days\n"));
        assert_eq!(e.line, 4);
        assert!(e.message.contains("name = default"));
        let e = error(&format!("{base}-- param: Days = 3\n"));
        assert!(e.message.contains("lower-case"));
        let e = error(&format!("{base}-- param: now = 3\n"));
        assert!(e.message.contains("cannot be declared"));
        let e = error(&format!("{base}-- param: days = -3\n"));
        assert!(e.message.contains("whole number"));
        let e = error(&format!("{base}-- param: days =  : nothing\n"));
        assert!(e.message.contains("needs a default"));
        let e = error(&format!("{base}-- param: days = 3\n-- param: days = 4\n"));
        assert_eq!(e.line, 5);
        assert!(e.message.contains("declared twice"));
    }

    #[test]
    fn values_follow_the_default_type() {
        let days = ParamSpec {
            name: "days".into(),
            default: ParamValue::Integer(30),
            description: String::new(),
        };
        assert_eq!(days.parse_value("365"), Ok(ParamValue::Integer(365)));
        assert_eq!(days.parse_value(" 0 "), Ok(ParamValue::Integer(0)));
        for bad in ["-1", "ten", "1.5", "", "36501", "99999999999999999999"] {
            let e = days.parse_value(bad).unwrap_err();
            assert!(e.contains("whole number from 0 to 36500"), "{bad}: {e}");
        }
        let state = ParamSpec {
            name: "state".into(),
            default: ParamValue::Text("running".into()),
            description: String::new(),
        };
        assert_eq!(
            state.parse_value("stopped"),
            Ok(ParamValue::Text("stopped".into()))
        );
    }
}

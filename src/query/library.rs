//! The saved questions: the `queries/*.sql` files compiled into the binary, extended or
//! overridden by the `.sql` files of a user folder (`--queries DIR` / `INV_QUERIES`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::header::{self, Header};
use super::QueryError;

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/queries");

/// Where a question comes from, as error messages and `--list` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the project's `queries/` folder, compiled in.
    BuiltIn(String),
    /// A file of the user's folder.
    User(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn(file) => write!(f, "queries/{file}"),
            Origin::User(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One saved question: its header and the whole file text, which is what runs (SQLite
/// skips the comments), so that SQLite's error offsets are offsets in the file.
#[derive(Debug, Clone)]
pub struct Question {
    pub name: String,
    pub header: Header,
    pub sql: String,
    pub origin: Origin,
}

impl Question {
    /// Reads a question from the text of its file.
    pub fn parse(name: &str, text: &str, origin: Origin) -> Result<Question, QueryError> {
        let header = header::parse(text).map_err(|e| QueryError::Header {
            origin: origin.to_string(),
            line: e.line,
            message: e.message,
        })?;
        Ok(Question {
            name: name.to_string(),
            header,
            sql: text.to_string(),
            origin,
        })
    }
}

/// Every question available to a run, by name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    questions: BTreeMap<String, Question>,
}

impl Library {
    /// The questions compiled into the binary.
    pub fn built_in() -> Result<Library, QueryError> {
        let mut library = Library::default();
        for file in BUILT_IN.files() {
            let Some((name, file_name)) = sql_file_name(file.path()) else {
                continue;
            };
            let origin = Origin::BuiltIn(file_name);
            let text = file.contents_utf8().ok_or_else(|| QueryError::Header {
                origin: origin.to_string(),
                line: 1,
                message: "the file is not UTF-8 text".to_string(),
            })?;
            library.insert(Question::parse(&name, text, origin)?);
        }
        Ok(library)
    }

    /// The built-in questions, then those of `folder`, whose files replace built-in
    /// questions of the same name.
    pub fn load(folder: Option<&Path>) -> Result<Library, QueryError> {
        let mut library = Library::built_in()?;
        if let Some(folder) = folder {
            library.add_folder(folder)?;
        }
        Ok(library)
    }

    fn add_folder(&mut self, folder: &Path) -> Result<(), QueryError> {
        let folder_error = |source| QueryError::Folder {
            path: folder.to_path_buf(),
            source,
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(folder_error)? {
            let path = entry.map_err(folder_error)?.path();
            if path.is_file() && sql_file_name(&path).is_some() {
                paths.push(path);
            }
        }
        // A stable order makes "the first error" the same on every machine.
        paths.sort();
        for path in paths {
            let Some((name, _)) = sql_file_name(&path) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|source| QueryError::File {
                path: path.clone(),
                source,
            })?;
            let question = Question::parse(&name, &text, Origin::User(path))?;
            self.insert(question);
        }
        Ok(())
    }

    fn insert(&mut self, question: Question) {
        self.questions.insert(question.name.clone(), question);
    }

    /// The questions in name order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.values()
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The question called `name`, or an error suggesting the closest names.
    pub fn get(&self, name: &str) -> Result<&Question, QueryError> {
        self.questions.get(name).ok_or_else(|| QueryError::Unknown {
            name: name.to_string(),
            suggestions: self.closest(name),
        })
    }

    /// Up to three names a typo of `name` plausibly meant, closest first.
    pub fn closest(&self, name: &str) -> Vec<String> {
        let wanted = name.to_lowercase();
        let mut scored: Vec<(f64, &String)> = self
            .questions
            .keys()
            .filter_map(|candidate| {
                let mut score = strsim::jaro_winkler(&wanted, candidate);
                // A fragment of a long name ("expired") is a good hint, but a near-exact
                // spelling of a whole name still comes first.
                if wanted.len() >= 3 && candidate.contains(&wanted) {
                    score = score.max(0.9);
                }
                (score >= 0.8).then_some((score, candidate))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, n)| n.clone()).collect()
    }
}

/// `(question name, file name)` of a `.sql` file; `None` for anything else.
fn sql_file_name(path: &Path) -> Option<(String, String)> {
    if path.extension()? != "sql" {
        return None;
    }
    let name = path.file_stem()?.to_str()?.to_string();
    let file_name = path.file_name()?.to_str()?.to_string();
    (!name.is_empty()).then_some((name, file_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Severity;

    #[test]
    fn every_built_in_question_parses() {
        let library = Library::built_in().unwrap();
        assert!(library.len() >= 25, "{} questions", library.len());
        for question in library.questions() {
            assert!(!question.header.title.is_empty());
            assert!(
                question
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                question.name
            );
        }
        assert_eq!(
            library.get("no-mfa").unwrap().header.severity,
            Severity::High
        );
    }

    #[test]
    fn typos_get_suggestions() {
        let library = Library::built_in().unwrap();
        assert_eq!(
            library.closest("no-mfaa").first().map(String::as_str),
            Some("no-mfa")
        );
        assert!(library
            .closest("expired")
            .contains(&"api-keys-expired".to_string()));
        assert!(library.closest("zzzzzzzzzzzz").is_empty());
        match library.get("locked-user") {
            Err(QueryError::Unknown { suggestions, .. }) => {
                assert_eq!(
                    suggestions.first().map(String::as_str),
                    Some("locked-users")
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_user_folder_overrides_and_extends() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("no-mfa.sql"),
            "-- title: Mine\n-- severity: low\n-- description: d\nSELECT 1 AS id;\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("extra.sql"),
            "-- title: Extra\n-- severity: info\n-- description: d\nSELECT 2 AS id;\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.md"), "not a question").unwrap();
        let library = Library::load(Some(dir.path())).unwrap();
        assert_eq!(library.get("no-mfa").unwrap().header.title, "Mine");
        assert!(matches!(
            library.get("no-mfa").unwrap().origin,
            Origin::User(_)
        ));
        assert_eq!(library.get("extra").unwrap().header.title, "Extra");
        assert_eq!(library.len(), Library::built_in().unwrap().len() + 1);
    }

    #[test]
    fn a_bad_user_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.sql");
        std::fs::write(&path, "-- title: t\n-- severity: urgent\n").unwrap();
        let message = Library::load(Some(dir.path())).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("{}:2: unknown severity", path.display())),
            "{message}"
        );
        let missing = dir.path().join("absent");
        let message = Library::load(Some(&missing)).unwrap_err().to_string();
        assert!(
            message.contains("cannot read the questions folder"),
            "{message}"
        );
    }
}

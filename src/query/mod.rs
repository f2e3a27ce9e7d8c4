//! Saved questions: the library of `.sql` files, their headers and parameters, running
//! them read-only, and the audit that asks them all.

pub mod error;
pub mod header;
pub mod library;
pub mod params;
pub mod report;
pub mod run;
pub mod sync_record;

pub use error::QueryError;
pub use header::{Header, ParamSpec, ParamValue};
pub use library::{Library, Origin, Question};
pub use report::{audit, Finding, Report};
pub use run::{run_question, run_sql};

//! One module per subcommand: each turns resolved arguments into output and a status.

pub mod audit;
pub mod fake_api;
pub mod query;
pub mod schema;
pub mod status;
pub mod sync;
